/**
 * The pools editor's fields for how a pool's containers run (issue 14), as users meet them: env
 * rows added, checked (bad names, reserved names with the core's own message, a name twice) and
 * removed; mount rows read-only unless turned off, a container path checked as typed, and the
 * core's refusal of a host folder shown at its row after a save; the stop timeout; a custom
 * pool's Redis-URL variable with its docker-inspect note. What Save sends is what the core
 * parses. The default pool's autoscale editor shares the editor frame. English and Japanese.
 */
import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { reservedEnvReason } from '../../main/shared/env-names';
import { poolSpecSchema } from '../../main/settings/pool-spec';
import { i18n } from '../../renderer/src/lib/i18n/i18n.svelte';
import DefaultPoolAutoscale from '../../renderer/src/lib/pools/DefaultPoolAutoscale.svelte';
import PoolEditor from '../../renderer/src/lib/pools/PoolEditor.svelte';
import {
  DEFAULT_POOL,
  emptyPoolForm,
  formFromPool,
  poolFromForm,
  serverPoolErrors,
  type PoolErrors,
  type PoolForm,
} from '../../renderer/src/lib/pools/pool-form';

afterEach(() => i18n.setPreference('en'));

const context = { otherNames: [], otherReplicas: 1 };

function setup(initial: PoolForm, serverErrors: PoolErrors = {}) {
  const onSave = vi.fn<(form: PoolForm) => void>();
  render(PoolEditor, {
    props: { initial, isNew: false, context, serverErrors, onSave, onCancel: () => {} },
  });
  const save = screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement;
  return { onSave, save };
}

const input = (label: string) => screen.getByLabelText(label) as HTMLInputElement;
const type = (label: string, value: string) => fireEvent.input(input(label), { target: { value } });

/** The message an input's aria-describedby points at (its row's or field's problem). */
function problemOf(label: string): string | null {
  const ids = input(label).getAttribute('aria-describedby')?.split(' ') ?? [];
  const error = ids.map((id) => document.getElementById(id)).find((el) => el?.id.endsWith('error'));
  return error?.textContent?.trim() ?? null;
}

describe('pool editor: env, mounts, stop timeout, Redis URL variable', () => {
  it('adds env rows, refuses bad, reserved and repeated names with the core’s message, and saves the rest', async () => {
    const { onSave, save } = setup({ ...emptyPoolForm(), name: 'tools' });
    expect(screen.getByText('No variables.')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Add variable' }));
    await type('Name of variable 1', 'NODE_OPTIONS');
    await type('Value of variable 1', '--require /x.js');
    expect(problemOf('Name of variable 1')).toBe(reservedEnvReason('NODE_OPTIONS', 'builtin'));
    expect(input('Name of variable 1').getAttribute('aria-invalid')).toBe('true');
    expect(save.disabled).toBe(true);

    await type('Name of variable 1', 'GUILDHALL_QUEUES');
    expect(problemOf('Name of variable 1')).toBe(reservedEnvReason('GUILDHALL_QUEUES'));
    await type('Name of variable 1', '1BAD');
    expect(problemOf('Name of variable 1')).toMatch(/"1BAD" is not a variable name/);

    await type('Name of variable 1', 'API_URL');
    await fireEvent.click(screen.getByRole('button', { name: 'Add variable' }));
    await type('Name of variable 2', 'API_URL');
    expect(problemOf('Name of variable 2')).toBe('API_URL is set twice; keep one.');
    await fireEvent.click(screen.getByRole('button', { name: 'Remove variable 1' }));
    // The first row went; the second (same name) stays, now alone and valid.
    expect(screen.queryByLabelText('Name of variable 2')).toBeNull();
    expect(input('Name of variable 1').value).toBe('API_URL');
    await type('Value of variable 1', 'https://api.example');
    expect(problemOf('Name of variable 1')).toBeNull();
    // A blank row is left out rather than refused.
    await fireEvent.click(screen.getByRole('button', { name: 'Add variable' }));
    expect(save.disabled).toBe(false);

    await fireEvent.click(save);
    const pool = poolFromForm(onSave.mock.calls[0]![0]);
    expect(pool.env).toEqual({ API_URL: 'https://api.example' });
    expect(poolSpecSchema.parse(pool)).toEqual(pool);
  });

  it('lets a custom pool set its own runtime names (PATH) but not GUILDHALL_REDIS_*', async () => {
    const { save } = setup({
      ...emptyPoolForm(),
      name: 'celery',
      kind: 'custom',
      image: 'my-celery:latest',
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Add variable' }));
    await type('Name of variable 1', 'PATH');
    await type('Value of variable 1', '/opt/app/bin:/usr/bin');
    expect(problemOf('Name of variable 1')).toBeNull();
    expect(save.disabled).toBe(false);
    await type('Name of variable 1', 'GUILDHALL_QUEUES');
    expect(problemOf('Name of variable 1')).toBeNull();
    await type('Name of variable 1', 'GUILDHALL_REDIS_HOST');
    expect(problemOf('Name of variable 1')).toBe(
      reservedEnvReason('GUILDHALL_REDIS_HOST', 'custom'),
    );
  });

  it('adds mounts read-only by default, checks the container path as typed, and saves them', async () => {
    const { onSave, save } = setup({ ...emptyPoolForm(), name: 'tools' });
    await fireEvent.click(screen.getByRole('button', { name: 'Add folder' }));
    const readOnly = input('Mount 1 read-only');
    expect(readOnly.checked).toBe(true);
    await type('Folder of mount 1', 'projects');
    await type('Container path of mount 1', 'workspace');
    expect(problemOf('Folder of mount 1')).toBe(
      'Give a full path (starting with / or ~/). Give an absolute path in the container, e.g. /workspace (no ":").',
    );
    expect(save.disabled).toBe(true);
    await type('Folder of mount 1', '~/projects');
    await type('Container path of mount 1', '/');
    expect(problemOf('Container path of mount 1')).toBe(
      "The container's root cannot be a mount target.",
    );
    await type('Container path of mount 1', '/workspace');
    expect(problemOf('Container path of mount 1')).toBeNull();

    await fireEvent.click(screen.getByRole('button', { name: 'Add folder' }));
    await type('Folder of mount 2', '/srv/data');
    await type('Container path of mount 2', '/workspace/');
    expect(problemOf('Container path of mount 2')).toBe('/workspace is mounted twice.');
    await type('Container path of mount 2', '/data');
    await fireEvent.click(input('Mount 2 read-only'));

    await fireEvent.click(save);
    const pool = poolFromForm(onSave.mock.calls[0]![0]);
    expect(pool.mounts).toEqual([
      { source: '~/projects', target: '/workspace', readOnly: true },
      { source: '/srv/data', target: '/data', readOnly: false },
    ]);
  });

  it("shows the core's refusal of a host folder at its row after a save", () => {
    const initial = formFromPool('tools', {
      ...DEFAULT_POOL,
      mounts: [
        { source: '/srv/data', target: '/data', readOnly: true },
        { source: '/', target: '/all', readOnly: true },
      ],
      env: { NODE_OPTIONS: 'x' },
    });
    const message =
      'Settings not saved: cluster.pools.tools.mounts.1.source: / is the root of the file system: every file would be readable by jobs. Mount a folder holding only what the pool’s jobs need.';
    const serverErrors = serverPoolErrors(
      ['cluster.pools.tools.mounts.1.source', 'cluster.pools.tools.env.NODE_OPTIONS'],
      message,
      'tools',
    );
    expect(Object.keys(serverErrors).sort()).toEqual(['envNames', 'mountRows']);
    setup(initial, serverErrors);
    expect(problemOf('Folder of mount 2')).toBe(message);
    expect(input('Folder of mount 2').getAttribute('aria-invalid')).toBe('true');
    expect(problemOf('Folder of mount 1')).toBeNull();
    // The env row is the editor's own check first (the same rule), not the server's text.
    expect(problemOf('Name of variable 1')).toBe(reservedEnvReason('NODE_OPTIONS'));
  });

  it('edits the stop timeout within the core’s range', async () => {
    const { onSave, save } = setup({ ...emptyPoolForm(), name: 'tools' });
    expect(input('Stop timeout').value).toBe('30');
    await type('Stop timeout', '0');
    expect(problemOf('Stop timeout')).toMatch(/1.*3600/);
    expect(save.disabled).toBe(true);
    await type('Stop timeout', '120');
    await fireEvent.click(save);
    expect(poolFromForm(onSave.mock.calls[0]![0]).stopTimeoutSeconds).toBe(120);
  });

  it("shows a custom pool's Redis URL variable with its docker-inspect note, and checks the name", async () => {
    const { onSave, save } = setup({
      ...emptyPoolForm(),
      name: 'celery',
      kind: 'custom',
      image: 'my-celery:latest',
    });
    const field = input('Redis URL variable');
    const note = screen.getByText(/visible to anyone who can run docker inspect/);
    expect(field.getAttribute('aria-describedby')).toContain(note.id);
    await type('Redis URL variable', 'GUILDHALL_REDIS_URL');
    expect(problemOf('Redis URL variable')).toBe(
      reservedEnvReason('GUILDHALL_REDIS_URL', 'custom'),
    );
    expect(save.disabled).toBe(true);
    await type('Redis URL variable', 'CELERY_BROKER_URL');
    // The note stays in sight while the field is valid.
    expect(screen.getByText(/visible to anyone who can run docker inspect/)).toBeTruthy();
    await fireEvent.click(save);
    const pool = poolFromForm(onSave.mock.calls[0]![0]);
    expect(pool.redisUrlEnv).toBe('CELERY_BROKER_URL');
    expect(poolSpecSchema.parse(pool)).toEqual(pool);
  });

  it('offers the Redis URL variable to custom pools only', () => {
    setup({ ...emptyPoolForm(), name: 'tools' });
    expect(screen.queryByLabelText('Redis URL variable')).toBeNull();
  });

  it('says it in Japanese', async () => {
    i18n.setPreference('ja');
    render(PoolEditor, {
      props: {
        initial: { ...emptyPoolForm(), name: 'celery', kind: 'custom', image: 'x:1' },
        isNew: false,
        context,
        onSave: () => {},
        onCancel: () => {},
      },
    });
    expect(screen.getByText('環境変数')).toBeTruthy();
    expect(screen.getByText('このコンピューターのフォルダー')).toBeTruthy();
    expect(screen.getByLabelText('停止の猶予')).toBeTruthy();
    expect(screen.getByText(/docker inspect を実行できる人なら誰でも見られます/)).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: '変数を追加' }));
    await type('変数 1 の名前', 'GUILDHALL_REDIS_X');
    expect(problemOf('変数 1 の名前')).toBe(
      'GUILDHALL_REDIS_X は予約されています: GUILDHALL_REDIS_* は Redis の場所を伝えるため Guildhall 自身が設定します',
    );
  });
});

describe('editor frame', () => {
  it('frames the default pool’s autoscale like a pool editor: title, Cancel, Save off while invalid', async () => {
    const onSave = vi.fn();
    const onCancel = vi.fn();
    render(DefaultPoolAutoscale, {
      props: {
        spec: { min: 1, max: 4, backlogPerWorker: 100, cooldownSeconds: 60 },
        replicas: 2,
        saving: false,
        serverError: null,
        onSave,
        onCancel,
      },
    });
    const form = screen.getByRole('form', { name: 'Autoscale of the default pool' });
    expect(form.querySelector('h3')?.textContent).toBe('Autoscale of the default pool');
    const save = screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement;
    await fireEvent.input(screen.getByLabelText('Fewest workers'), { target: { value: '9' } });
    expect(save.disabled).toBe(true);
    await fireEvent.submit(form);
    expect(onSave).not.toHaveBeenCalled();
    await fireEvent.input(screen.getByLabelText('Fewest workers'), { target: { value: '2' } });
    await fireEvent.click(save);
    expect(onSave).toHaveBeenCalledWith({
      min: 2,
      max: 4,
      backlogPerWorker: 100,
      cooldownSeconds: 60,
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onCancel).toHaveBeenCalled();
  });
});
