/**
 * Saves a file the browser console serves (support bundle, app log) to the user's downloads.
 * The console token goes in a header, never in a URL; the file comes back as a blob.
 */
import { WEB_CONSOLE } from '@shared/schemas/transport';

export async function downloadConsoleFile(url: string, fileName: string): Promise<void> {
  const token = sessionStorage.getItem(WEB_CONSOLE.tokenStorageKey);
  const response = await fetch(url, {
    headers: token ? { 'X-Guildhall-Token': token } : {},
    cache: 'no-store',
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const href = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 30_000);
}
