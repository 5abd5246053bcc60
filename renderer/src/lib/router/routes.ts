/**
 * The console's hash routes: `#/<page>?<params>`, e.g. `#/jobs?queue=email&state=failed&job=42`.
 * Pure functions (no runes), so they are easy to test and share.
 */
export const PAGES = [
  'dashboard',
  'workers',
  'queues',
  'jobs',
  'search',
  'schedules',
  'flows',
  'logs',
  'activity',
  'alerts',
  'export',
  'settings',
  'troubleshoot',
  'setup',
] as const;
export type PageId = (typeof PAGES)[number];

export const DEFAULT_PAGE: PageId = 'dashboard';

export interface Route {
  page: PageId;
  params: Readonly<Record<string, string>>;
}

function isPage(value: string): value is PageId {
  return (PAGES as readonly string[]).includes(value);
}

/** Reads a location hash; anything unknown is the dashboard. */
export function parseHash(hash: string): Route {
  const body = hash.replace(/^#\/?/, '');
  const queryAt = body.indexOf('?');
  const path = (queryAt === -1 ? body : body.slice(0, queryAt)).replace(/\/+$/, '');
  const query = queryAt === -1 ? '' : body.slice(queryAt + 1);
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(query)) if (value !== '') params[key] = value;
  return isPage(path) ? { page: path, params } : { page: DEFAULT_PAGE, params: {} };
}

/** The hash for a page; empty or undefined params are left out. */
export function hrefFor(page: PageId, params: Record<string, string | undefined> = {}): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') query.set(key, value);
  }
  const text = query.toString();
  return `#/${page}${text ? `?${text}` : ''}`;
}
