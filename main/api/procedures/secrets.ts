/**
 * secrets.*: the user's secrets that pools name. Values go in only (set) and never come back,
 * nor into the activity log (the name only) or the audit log (audited-procedures.ts).
 */
import { listUserSecrets, removeUserSecret, setUserSecret } from '../../settings/user-secrets';
import type { ApiServices } from '../context';
import { os } from './base';

async function list(services: ApiServices) {
  const { spec } = await services.core.cluster.spec();
  return { secrets: await listUserSecrets(services.core.secrets, spec) };
}

export const secretsProcedures = {
  list: os.secrets.list.handler(async ({ context }) => list(context.services)),

  set: os.secrets.set.handler(async ({ input, context }) => {
    const { services } = context;
    await setUserSecret(services.core.secrets, input.name, input.value);
    services.hub.publish('log', {
      level: 'info',
      message: `Secret ${input.name} stored; pools naming it get it from the next up`,
      operation: 'secrets.set',
    });
    return list(services);
  }),

  remove: os.secrets.remove.handler(async ({ input, context }) => {
    const { services } = context;
    await removeUserSecret(services.core.secrets, input.name);
    services.hub.publish('log', {
      level: 'info',
      message: `Secret ${input.name} removed`,
      operation: 'secrets.remove',
    });
    return list(services);
  }),
};
