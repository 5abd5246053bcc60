/**
 * The wizard's starting templates: each fills the pools the Configure step saves, and the core's
 * cluster spec accepts them as given; "none" leaves the pools as they were; pools already saved
 * stay beside a template's; a template that needs an image is refused until it has a valid one.
 */
import { describe, expect, it } from 'vitest';
import { clusterSpecSchema } from '../../main/settings/cluster-spec';
import { poolSpecSchema } from '../../main/settings/pool-spec';
import {
  configFromSettings,
  configPatch,
  fieldsFromServer,
  validateConfig,
  type WizardConfig,
} from '../../renderer/src/lib/wizard/config-model';
import type { TemplateChoice } from '../../renderer/src/lib/wizard/pool-templates';
import { settingsFixture } from './fixtures/settings-fixture';

const settings = settingsFixture({ app: { setupCompleted: false } });

function config(template: Partial<TemplateChoice>): WizardConfig {
  return {
    ...configFromSettings(settings),
    template: { id: 'none', image: '', command: '', ...template },
  };
}

function pools(template: Partial<TemplateChoice>, existing = {}) {
  return configPatch(config(template), existing).cluster?.pools;
}

describe('wizard templates', () => {
  it('starts with no template: the default pool only, pools left as they are', () => {
    const c = configFromSettings(settings);
    expect(c.template.id).toBe('none');
    expect(validateConfig(c)).toEqual({});
    expect(configPatch(c).cluster).not.toHaveProperty('pools');
  });

  it('CLI/shell tasks with extra tools: a built-in pool with git, python3 and curl', () => {
    const made = pools({ id: 'tools' })!;
    expect(Object.keys(made)).toEqual(['tools']);
    expect(made.tools).toMatchObject({
      packages: ['git', 'python3', 'curl'],
      queues: [{ name: 'tools', processor: 'shell' }],
      image: null,
      replicas: 1,
    });
    expect(poolSpecSchema.parse(made.tools)).toEqual(made.tools);
  });

  it('Celery workers: a custom pool running the example app on the watched queue celery', () => {
    const c = config({ id: 'celery', image: '' });
    expect(validateConfig(c)).toEqual({ template: 'template' });
    const made = pools({ id: 'celery', image: ' my-celery:latest ' })!;
    expect(made.celery).toMatchObject({
      image: 'my-celery:latest',
      command: ['celery', '-A', 'tasks', 'worker', '-Q', 'celery', '--loglevel=INFO'],
      watch: { celery: ['celery'] },
      packages: [],
    });
    expect(poolSpecSchema.parse(made.celery)).toEqual(made.celery);
  });

  it('custom image: the image and command typed; an invalid reference is refused', () => {
    expect(validateConfig(config({ id: 'custom', image: 'Not An Image' }))).toEqual({
      template: 'template',
    });
    const made = pools({ id: 'custom', image: 'ghcr.io/acme/worker:1.2', command: 'run --fast' })!;
    expect(made.app).toMatchObject({
      image: 'ghcr.io/acme/worker:1.2',
      command: ['run', '--fast'],
    });
    expect(pools({ id: 'custom', image: 'busybox' })!.app!.command).toBeNull();
  });

  it("keeps pools already saved beside the template's, and the spec accepts the whole", () => {
    const existing = pools({ id: 'tools' })!;
    const made = pools({ id: 'celery', image: 'my-celery:latest' }, existing)!;
    expect(Object.keys(made).sort()).toEqual(['celery', 'tools']);
    const spec = clusterSpecSchema.safeParse({ ...settings.cluster, pools: made });
    expect(spec.success).toBe(true);
  });

  it("maps the server's pool errors to the template", () => {
    expect(fieldsFromServer(['cluster.pools.celery.image'])).toEqual({ template: 'template' });
  });
});
