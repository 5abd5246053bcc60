/**
 * The autoscale block in the cluster file (issue 15): `guildhall apply` reads it on any pool, the
 * default pool included, fills its defaults and writes it back; a wrong block is named by its
 * field path with a hint on how to write it, and nothing is saved.
 */
import { describe, expect, it } from 'vitest';
import { parseClusterFile, specToYaml } from '../../main/settings/cluster-file';
import { settingsSchema } from '../../main/settings/settings-schema';
import { GuildhallError } from '../../main/util/errors';

const FILE = '/stack/cluster.yaml';
const current = settingsSchema.parse({});

function parse(text: string) {
  return parseClusterFile(text, FILE, current, '/home/someone');
}

function failure(text: string): GuildhallError {
  try {
    parse(text);
  } catch (err) {
    if (err instanceof GuildhallError) return err;
    throw err;
  }
  throw new Error('expected the file to be refused');
}

describe('cluster file: autoscale', () => {
  it('reads an autoscale block on the default pool and another, with defaults filled in', () => {
    const { spec } = parse(
      'pools:\n' +
        '  worker: { replicas: 2, autoscale: { min: 1, max: 6, cooldownSeconds: 30 } }\n' +
        '  tools: { autoscale: { max: 3, backlogPerWorker: 20 } }\n' +
        '  plain: {}\n',
    );
    expect(spec.workers.autoscale).toEqual({
      min: 1,
      max: 6,
      backlogPerWorker: 100,
      cooldownSeconds: 30,
    });
    expect(spec.pools.tools!.autoscale).toEqual({
      min: 1,
      max: 3,
      backlogPerWorker: 20,
      cooldownSeconds: 60,
    });
    expect(spec.pools.plain!.autoscale).toBeNull();
  });

  it('writes the block back so the file reads back to the same spec', () => {
    const { spec } = parse('pools:\n  worker: { autoscale: { min: 2, max: 8 } }\n');
    const text = specToYaml(spec);
    expect(text).toContain('autoscale:');
    expect(parseClusterFile(text, '/elsewhere/f.yaml', current, '/home/someone').spec).toEqual(
      spec,
    );
  });

  it('min above max is named by its field path, with how to write it', () => {
    const err = failure('pools:\n  worker: { autoscale: { min: 5, max: 2 } }\n');
    expect(err.code).toBe('invalid-input');
    expect(err.message).toContain('pools.worker.autoscale.min: must not be more than max (5)');
    expect(err.message).toContain('Nothing was saved');
    expect(err.hint).toMatch(/autoscale min ≤ max/);
    const other = failure('pools:\n  tools: { autoscale: { min: 4, max: 3 } }\n');
    expect(other.message).toContain('pools.tools.autoscale.min');
  });

  it('a missing max, a max above 64 and an unknown field are each named by path', () => {
    expect(failure('pools:\n  worker: { autoscale: { min: 1 } }\n').message).toContain(
      'pools.worker.autoscale.max',
    );
    expect(failure('pools:\n  worker: { autoscale: { max: 65 } }\n').message).toContain(
      'pools.worker.autoscale.max',
    );
    expect(failure('pools:\n  worker: { autoscale: { max: 4, backlog: 10 } }\n').message).toContain(
      'pools.worker.autoscale: unknown field "backlog"',
    );
    expect(
      failure('pools:\n  worker: { autoscale: { max: 4, backlogPerWorker: 0 } }\n').message,
    ).toContain('pools.worker.autoscale.backlogPerWorker');
  });
});
