/**
 * Route helpers for the queues, jobs and logs pages on top of the shell's router
 * (renderer/src/lib/router): links, and moving within a page without piling up history entries.
 */
import { hrefFor, type PageId } from '../router/routes';

export type RouteParams = Record<string, string | number | null | undefined>;

function asStrings(params: RouteParams): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(params))
    out[key] = value === null || value === undefined ? undefined : String(value);
  return out;
}

export function hashHref(page: PageId, params: RouteParams = {}): string {
  return hrefFor(page, asStrings(params));
}

/** Goes to `page` with `params`, replacing the current history entry (tabs, filters). */
export function replaceRoute(page: PageId, params: RouteParams): void {
  const href = hashHref(page, params);
  if (globalThis.location.hash !== href) globalThis.location.replace(href);
}

/** Goes to `page` with `params` as a new history entry, so Back returns (opening a job). */
export function pushRoute(page: PageId, params: RouteParams): void {
  const href = hashHref(page, params);
  if (globalThis.location.hash !== href) globalThis.location.hash = href;
}
