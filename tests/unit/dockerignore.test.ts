/**
 * `.dockerignore` patterns read as `docker build` reads them: segments, `**`, classes, escapes,
 * a leading `/`, comments, folders leaving out what they hold, and `!` taking paths back with
 * the last match deciding; and a custom pool's build context leaves out what they match while
 * keeping the Dockerfile and `.dockerignore`, so a change to an ignored file does not change the
 * image's hash.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readBuildContext } from '../../main/images/build-context';
import { parseDockerIgnore } from '../../main/images/dockerignore';

describe('.dockerignore patterns', () => {
  const cases: [string, string, boolean][] = [
    ['*.log', 'app.log', true],
    ['*.log', 'logs/app.log', false],
    ['**/*.log', 'logs/deep/app.log', true],
    ['**/*.log', 'app.log', true],
    ['node_modules', 'node_modules/x/index.js', true],
    ['/secret.env', 'secret.env', true],
    ['./secret.env', 'secret.env', true],
    ['secret.env', 'sub/secret.env', false],
    ['build/', 'build/out.bin', true],
    ['te?t.txt', 'test.txt', true],
    ['te?t.txt', 'te/t.txt', false],
    ['file[0-9].txt', 'file7.txt', true],
    ['file[!0-9].txt', 'filex.txt', true],
    ['file[!0-9].txt', 'file7.txt', false],
    ['data/**', 'data/a/b.csv', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['# a comment', '# a comment', false],
  ];
  it.each(cases)('%s on %s: excluded %s', (pattern, file, excluded) => {
    expect(parseDockerIgnore(`${pattern}\n`).excludes(file)).toBe(excluded);
  });

  it('takes paths back with !, the last matching line deciding', () => {
    const ignore = parseDockerIgnore(
      '*.md\n!README.md\nREADME*.md\n!READMEKEEP.md\nlogs\n!logs/keep.log\n',
    );
    expect(ignore.excludes('CHANGES.md')).toBe(true);
    expect(ignore.excludes('README.md')).toBe(true);
    expect(ignore.excludes('READMEKEEP.md')).toBe(false);
    expect(ignore.excludes('logs/other.log')).toBe(true);
    expect(ignore.excludes('logs/keep.log')).toBe(false);
    expect(ignore.canSkip('logs')).toBe(false);
    expect(parseDockerIgnore('logs\n').canSkip('logs')).toBe(true);
  });
});

describe('a build context with a .dockerignore', () => {
  let dir: string | null = null;
  afterEach(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  async function write(files: Record<string, string>): Promise<void> {
    for (const [name, content] of Object.entries(files)) {
      await fs.mkdir(path.dirname(path.join(dir!, name)), { recursive: true });
      await fs.writeFile(path.join(dir!, name), content);
    }
  }

  it('sends what docker would: not the ignored files, always the Dockerfile', async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gh-dockerignore-'));
    await write({
      Dockerfile: 'FROM scratch\n',
      '.dockerignore':
        '# not these\nDockerfile\n.dockerignore\n*.env\nnode_modules\nlogs\n!logs/keep.log\n',
      'app.py': 'print(1)\n',
      'secret.env': 'TOKEN=1\n',
      'node_modules/big/index.js': 'x'.repeat(1000),
      'logs/a.log': 'a\n',
      'logs/keep.log': 'keep\n',
      'src/main.py': 'main\n',
    });
    const context = await readBuildContext('app', dir, 'Dockerfile');
    expect([...context.files.keys()].sort()).toEqual([
      '.dockerignore',
      'Dockerfile',
      'app.py',
      'logs/keep.log',
      'src/main.py',
    ]);

    // An ignored file changes: the same hash (no rebuild); a sent file changes: a new one.
    await write({ 'secret.env': 'TOKEN=2\n', 'node_modules/big/index.js': 'y' });
    expect((await readBuildContext('app', dir, 'Dockerfile')).hash).toBe(context.hash);
    await write({ 'app.py': 'print(2)\n' });
    expect((await readBuildContext('app', dir, 'Dockerfile')).hash).not.toBe(context.hash);
  });

  it('without a .dockerignore sends every file', async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gh-dockerignore-'));
    await write({ Dockerfile: 'FROM scratch\n', 'secret.env': 'x', 'node_modules/a.js': 'a' });
    const context = await readBuildContext('app', dir, 'Dockerfile');
    expect([...context.files.keys()].sort()).toEqual([
      'Dockerfile',
      'node_modules/a.js',
      'secret.env',
    ]);
  });
});
