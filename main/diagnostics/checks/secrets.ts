/**
 * Secrets check: does the store hold every secret the pools name? A pool naming one it does not
 * hold cannot be started (`up` refuses before changing anything), so this names each missing one
 * with the command that stores it. Names only: a value is never read here.
 */
import { missingPoolSecrets } from '../../settings/user-secrets';
import { failed, passed, type DiagnosticCheck } from '../types';

export const poolSecretsCheck: DiagnosticCheck = {
  id: 'workers.secrets',
  category: 'workers',
  title: 'Every secret the pools name is stored',
  documentation:
    "A pool gets each secret it names as the file /run/secrets/NAME; one missing from Guildhall's secret store stops `up` before it changes anything.",
  applicable: async (ctx) => {
    const spec = await ctx.spec();
    return (
      spec.workers.secrets.length > 0 || Object.values(spec.pools).some((p) => p.secrets.length > 0)
    );
  },
  async check(ctx) {
    const missing = await missingPoolSecrets(ctx.core.secrets, await ctx.spec());
    if (missing.length === 0) return passed('Every secret the pools name is stored.');
    return failed(
      `${missing.length === 1 ? 'A secret' : `${missing.length} secrets`} named by a pool ${missing.length === 1 ? 'is' : 'are'} not stored: ${missing.map((m) => `${m.name} (pool ${m.pool})`).join(', ')}.`,
      [],
      missing.map(
        (m) =>
          `fix: guildhall secret set ${m.name} (the value is read from stdin), or Settings → Secrets; or remove it from pool "${m.pool}".`,
      ),
    );
  },
};
