/** `retry`: does nothing; the caller checks again. */
import type { Fix } from './fix';

export const retry: Fix = {
  id: 'retry',
  run: async () => 'Checked again.',
};
