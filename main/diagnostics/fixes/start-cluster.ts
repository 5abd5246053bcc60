/** `start-cluster`: `up` creates or starts whatever is missing. */
import type { Fix } from './fix';

export const startCluster: Fix = {
  id: 'start-cluster',
  async run({ up }) {
    await up();
    return 'The cluster is up.';
  },
};
