/** The CLI's help text stays true: every command the CLI runs and every config key it accepts. */
import { describe, expect, it } from 'vitest';
import { USAGE } from '../../main/cli/usage';
import { configKeyNames } from '../../main/settings/config-keys';

describe('guildhall help', () => {
  it('shows the job and config commands with their arguments', () => {
    expect(USAGE).toContain('job <queue> <id> [--json]');
    expect(USAGE).toMatch(/jobs <queue> \[--state S\].* most recent jobs of any state/);
    expect(USAGE).toContain('config get [KEY] [--json]');
    expect(USAGE).toContain('config set KEY VALUE');
    expect(USAGE).toContain('config unset KEY');
  });

  it('lists every key `config set` accepts', () => {
    for (const key of configKeyNames()) expect(USAGE).toContain(key);
  });
});
