/**
 * `secret set NAME` (the value from stdin, or a prompt without echo), `secret rm NAME`, `secret ls
 * [--json]`: the user's secrets that pools name (settings/user-secrets.ts). Only names are ever
 * printed; a value on the command line is refused, not stored.
 */
import {
  assertSecretName,
  listUserSecrets,
  removeUserSecret,
  setUserSecret,
} from '../../settings/user-secrets';
import { GuildhallError } from '../../util/errors';
import { EXIT } from '../exit-codes';
import type { CommandRunner } from '../index';
import { readSecretInput } from '../secret-input';

const USE = 'Use: guildhall secret set NAME (value on stdin) | secret rm NAME | secret ls [--json]';

export const runSecret: CommandRunner = async (core, io, positionals, flags) => {
  const [action, name, ...extra] = positionals;
  const json = flags.json === true;
  if (action === 'set' && name !== undefined) {
    if (extra.length > 0) {
      throw new GuildhallError(
        'invalid-input',
        "A secret's value is never taken from the command line (other users and your shell history could read it); nothing was stored.",
        `Give it on stdin: printf %s "$VALUE" | guildhall secret set ${name} — or type it at the prompt.`,
      );
    }
    assertSecretName(name);
    const value = await (io.readSecret ?? readSecretInput)(`Value for ${name} (not shown): `);
    await setUserSecret(core.secrets, name, value);
    if (json) io.stdout.write(`${JSON.stringify({ name, stored: true })}\n`);
    else
      io.stderr.write(`Stored ${name}. Pools naming it get it from the next \`guildhall up\`.\n`);
    return EXIT.ok;
  }
  if (action === 'rm' && name !== undefined && extra.length === 0) {
    await removeUserSecret(core.secrets, name);
    if (json) io.stdout.write(`${JSON.stringify({ name, removed: true })}\n`);
    else io.stderr.write(`Removed ${name}.\n`);
    return EXIT.ok;
  }
  if (action === 'ls' && name === undefined) {
    const { spec } = await core.cluster.spec();
    const secrets = await listUserSecrets(core.secrets, spec);
    if (json) {
      io.stdout.write(`${JSON.stringify({ secrets })}\n`);
    } else if (secrets.length === 0) {
      io.stdout.write('No secrets stored. Add one: guildhall secret set NAME\n');
    } else {
      for (const secret of secrets) {
        const used = secret.pools.length ? `used by ${secret.pools.join(', ')}` : 'unused';
        const state = secret.stored
          ? ''
          : '  (not stored: guildhall secret set ' + secret.name + ')';
        io.stdout.write(`${secret.name}  ${used}${state}\n`);
      }
    }
    return EXIT.ok;
  }
  throw new GuildhallError('invalid-input', 'secret needs set NAME, rm NAME or ls.', USE);
};
