/**
 * The page served for `/` without a token. It holds no data; its script (a same-origin file, as
 * the CSP requires) reloads with the token this tab kept in sessionStorage, so reloading the
 * console works after the page stripped the token from the address bar. A token that fails once
 * is forgotten, so a stale one (from an earlier console) cannot loop.
 */
import { WEB_CONSOLE } from '@shared/schemas/transport';

const TOKEN_STORAGE_KEY = WEB_CONSOLE.tokenStorageKey;
const RESUME_MARK_KEY = WEB_CONSOLE.resumeMarkKey;
export const RESUME_SCRIPT_PATH = '/__guildhall/resume.js';

export const RESUME_SCRIPT = `(function () {
  try {
    var token = sessionStorage.getItem(${JSON.stringify(TOKEN_STORAGE_KEY)});
    if (!token) return;
    if (sessionStorage.getItem(${JSON.stringify(RESUME_MARK_KEY)}) === token) {
      sessionStorage.removeItem(${JSON.stringify(TOKEN_STORAGE_KEY)});
      sessionStorage.removeItem(${JSON.stringify(RESUME_MARK_KEY)});
      return;
    }
    sessionStorage.setItem(${JSON.stringify(RESUME_MARK_KEY)}, token);
    location.replace('/?' + ${JSON.stringify(WEB_CONSOLE.tokenParam)} + '=' + encodeURIComponent(token));
  } catch (e) {}
})();
`;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function tokenRequiredPage(message: string): string {
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Guildhall console</title></head>
  <body>
    <p>${escapeHtml(message)}</p>
    <script src="${RESUME_SCRIPT_PATH}"></script>
  </body>
</html>
`;
}
