/**
 * The current route as reactive state, following the location hash:
 *
 *   import { router, navigate } from '../lib/router/router.svelte';
 *   router.route.page          // 'jobs'
 *   router.route.params.queue  // 'email'
 *   navigate('logs', { container: 'worker-2' });
 */
import { hrefFor, parseHash, type PageId, type Route } from './routes';

class Router {
  route = $state<Route>(parseHash(globalThis.location?.hash ?? ''));

  constructor() {
    globalThis.addEventListener?.('hashchange', () => {
      this.route = parseHash(location.hash);
    });
  }
}

export const router = new Router();

/** Goes to a page (adds a history entry, so Back returns). */
export function navigate(page: PageId, params?: Record<string, string | undefined>): void {
  location.hash = hrefFor(page, params);
}

export { hrefFor, parseHash, PAGES, DEFAULT_PAGE } from './routes';
export type { PageId, Route } from './routes';
