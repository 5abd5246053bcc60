/**
 * Finding the user's processor files, deciding which queue each worker consumes, and noticing
 * when the files change (with fs events and with polling only, as on bind mounts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILTIN_QUEUES } from '../../main/shared/worker-contract';
import { ConfigError } from '../../resources/worker/src/config';
import {
  fingerprintProcessorFiles,
  listProcessorFiles,
} from '../../resources/worker/src/processor-files';
import { watchProcessorFiles } from '../../resources/worker/src/processor-watcher';
import { planQueues } from '../../resources/worker/src/queue-plan';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghwtest-procfiles-'));
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, content = 'module.exports = async () => 1;\n'): void {
  fs.writeFileSync(path.join(dir, name), content);
}

describe('listProcessorFiles', () => {
  it('finds .js, .mjs and .cjs files named after valid queues, one per queue', () => {
    write('resize.js');
    write('greet.mjs');
    write('shout.cjs');
    write('resize.mjs');
    write('readme.md');
    write('bad:name.js');
    write('.hidden.js');
    fs.mkdirSync(path.join(dir, 'folder.js'));
    const listing = listProcessorFiles(dir);
    expect(listing.files).toEqual([
      { queue: 'greet', path: path.join(dir, 'greet.mjs') },
      { queue: 'resize', path: path.join(dir, 'resize.js') },
      { queue: 'shout', path: path.join(dir, 'shout.cjs') },
    ]);
    expect(listing.shadowed).toEqual(['resize.mjs']);
  });
});

describe('planQueues', () => {
  it('consumes every built-in plus every processor file when no queues are named', () => {
    write('resize.js');
    const plan = planQueues([], dir);
    expect(plan.allQueues).toBe(true);
    expect(plan.handlers.map((h) => h.queue)).toEqual([...BUILTIN_QUEUES, 'resize']);
    expect(plan.handlers.find((h) => h.queue === 'resize')).toEqual({
      queue: 'resize',
      kind: 'file',
      file: path.join(dir, 'resize.js'),
    });
  });

  it('lets a processor file replace a built-in of the same name', () => {
    write('echo.js');
    expect(planQueues(['echo'], dir).handlers).toEqual([
      { queue: 'echo', kind: 'file', file: path.join(dir, 'echo.js') },
    ]);
  });

  it('serves a queue by the processor it is bound to (built-in or file)', () => {
    write('echo.js');
    expect(planQueues(['agent-tasks=shell', 'thumbs=echo'], dir).handlers).toEqual([
      { queue: 'agent-tasks', kind: 'builtin', builtin: 'shell' },
      // a processor file named echo replaces the built-in, under the bound queue's name
      { queue: 'thumbs', kind: 'file', file: path.join(dir, 'echo.js') },
    ]);
    expect(() => planQueues(['agent-tasks=nothing'], dir)).toThrow(
      'no processor for queue agent-tasks (processor nothing)',
    );
  });

  it('rejects a named queue that nothing handles', () => {
    expect(() => planQueues(['shell', 'resize'], null)).toThrow(ConfigError);
    // A pool without shell: every built-in but shell; naming it is refused, a file of its name runs.
    const noShell = planQueues([], null, false).handlers.map((h) => h.queue);
    expect(noShell).not.toContain('shell');
    expect(noShell).toContain('echo');
    expect(() => planQueues(['agent-tasks=shell'], null, false)).toThrow(
      /agent-tasks needs the shell processor, which is off for this pool/,
    );
    expect(() => planQueues(['resize'], dir)).toThrow(
      `no processor for queue resize: not a built-in queue (shell, http, echo, sleep) and no resize{.js,.mjs,.cjs} in ${dir}`,
    );
  });
});

describe('watchProcessorFiles', () => {
  function watchOnce(fsEvents: boolean, isRelevant: (queue: string) => boolean = () => true) {
    let changes = 0;
    const watcher = watchProcessorFiles({
      dir,
      isRelevant,
      onChange: () => changes++,
      pollMs: 100,
      debounceMs: 50,
      fsEvents,
    });
    return { watcher, changes: () => changes };
  }

  const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it.each([true, false])('reports an edit once (fs events: %s)', async (fsEvents) => {
    write('resize.js');
    const { watcher, changes } = watchOnce(fsEvents);
    try {
      await settle(150);
      expect(changes()).toBe(0);
      write('resize.js', 'module.exports = async () => 2; // a longer, new version\n');
      await settle(600);
      expect(changes()).toBe(1);
    } finally {
      watcher.close();
    }
  });

  it('reports added and removed files, but not unrelated ones', async () => {
    write('resize.js');
    const added = watchOnce(false, (queue) => queue === 'resize' || queue === 'greet');
    write('notes.txt', 'hello');
    write('other.js');
    await settle(400);
    expect(added.changes()).toBe(0);
    write('greet.js');
    await settle(400);
    expect(added.changes()).toBe(1);
    added.watcher.close();

    const removed = watchOnce(false);
    fs.rmSync(path.join(dir, 'resize.js'));
    await settle(400);
    expect(removed.changes()).toBe(1);
    removed.watcher.close();
  });

  it('fingerprints change with content size', () => {
    write('resize.js', 'a');
    const before = fingerprintProcessorFiles(dir, () => true);
    write('resize.js', 'ab');
    expect(fingerprintProcessorFiles(dir, () => true)).not.toBe(before);
  });
});
