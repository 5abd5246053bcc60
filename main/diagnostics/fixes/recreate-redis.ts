/** `recreate-redis`: remove the Redis container (the data volume stays), then `up`. */
import { containerName } from '../../cluster/naming';
import type { Fix } from './fix';

export const recreateRedis: Fix = {
  id: 'recreate-redis',
  async run({ core, spec, up }) {
    await (await core.cluster.containers()).remove(containerName(spec.name, 'redis', 1), 10);
    await up();
    return 'The Redis container was recreated; its data volume was kept.';
  },
};
