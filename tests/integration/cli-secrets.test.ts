/**
 * `guildhall secret` as a user runs it, in its own process: `set` reads the value from stdin,
 * `ls` prints names (and the pools using them) but never a value, a value given on the command
 * line is refused and stored nowhere (not in the store, not in the audit log), an empty value is
 * refused, `rm` removes. No engine needed: secrets live in the settings folder.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, type CliResult } from './helpers/run-cli';

let home: string;
let env: NodeJS.ProcessEnv;

function secretCli(args: string[], stdin: string | null): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, 'secret', ...args], {
      env,
      stdio: [stdin === null ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (stdin !== null) child.stdin?.end(stdin);
  });
}

/** Every file of the settings folder, as text. */
async function homeText(): Promise<string> {
  let text = '';
  for (const name of await fs.readdir(home)) {
    const file = path.join(home, name);
    if ((await fs.stat(file)).isFile()) text += await fs.readFile(file, 'utf8');
  }
  return text;
}

beforeAll(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'ghcli-secrets-'));
  env = { ...process.env, GUILDHALL_HOME: home };
});

afterAll(async () => {
  if (home) await fs.rm(home, { recursive: true, force: true });
});

describe('guildhall secret', () => {
  it('set reads stdin; ls shows names and pools, never values; rm removes', async () => {
    const value = `sk-${randomBytes(16).toString('hex')}`;
    const set = await secretCli(['set', 'API_KEY'], `${value}\n`);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout + set.stderr).not.toContain(value);

    // The first ls writes the first settings, in which the default pool then names secrets.
    expect((await secretCli(['ls'], null)).stdout).toMatch(/^API_KEY {2}unused$/m);
    const settings = JSON.parse(await fs.readFile(path.join(home, 'settings.json'), 'utf8'));
    settings.cluster.workers.secrets = ['API_KEY', 'NOT_YET'];
    await fs.writeFile(path.join(home, 'settings.json'), JSON.stringify(settings));

    const ls = await secretCli(['ls', '--json'], null);
    expect(ls.code, ls.stderr).toBe(0);
    expect(JSON.parse(ls.stdout)).toEqual({
      secrets: [
        { name: 'API_KEY', stored: true, pools: ['worker'] },
        { name: 'NOT_YET', stored: false, pools: ['worker'] },
      ],
    });
    const plain = await secretCli(['ls'], null);
    expect(plain.stdout).toMatch(/^API_KEY {2}used by worker$/m);
    expect(plain.stdout).toContain('guildhall secret set NOT_YET');
    expect(ls.stdout + plain.stdout).not.toContain(value);

    // The value is stored as given on stdin, less the trailing line break.
    const stored = JSON.parse(await fs.readFile(path.join(home, 'secrets.json'), 'utf8'));
    expect(stored['user:API_KEY']).toBe(value);
    // The audit log records the action by name only.
    const audit = await fs.readFile(path.join(home, 'audit.jsonl'), 'utf8');
    expect(audit).toContain('secrets.set');
    expect(audit).toContain('secret:API_KEY');
    expect(audit).not.toContain(value);

    const rm = await secretCli(['rm', 'API_KEY'], null);
    expect(rm.code, rm.stderr).toBe(0);
    // Still named by the pool, no longer stored.
    expect(JSON.parse((await secretCli(['ls', '--json'], null)).stdout).secrets).toEqual([
      { name: 'API_KEY', stored: false, pools: ['worker'] },
      { name: 'NOT_YET', stored: false, pools: ['worker'] },
    ]);
    expect((await secretCli(['rm', 'API_KEY'], null)).code).toBe(6);
  });

  it('refuses a value on the command line, storing and recording it nowhere', async () => {
    const value = `argv-${randomBytes(8).toString('hex')}`;
    const result = await secretCli(['set', 'ARGV_KEY', value], '');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/never taken from the command line/);
    expect(result.stderr).toContain('fix:');
    expect(await homeText()).not.toContain(value);
    const ls = JSON.parse((await secretCli(['ls', '--json'], null)).stdout);
    expect(ls.secrets.map((s: { name: string }) => s.name)).not.toContain('ARGV_KEY');
    // There is no flag for a value either.
    expect((await secretCli(['set', 'ARGV_KEY', `--value=${value}`], '')).code).toBe(2);
  });

  it('refuses an empty value and a bad name', async () => {
    const empty = await secretCli(['set', 'EMPTY_KEY'], '\n');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/EMPTY_KEY is empty/);
    const bad = await secretCli(['set', 'not-a-name'], 'something');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a secret name/);
  });
});
