import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import {
  needsRecreate,
  serverFieldErrors,
  validateForm,
  formFromSettings,
} from '../../renderer/src/lib/settings/settings-form';
import SettingsForm from '../../renderer/src/lib/settings/SettingsForm.svelte';
import { i18n } from '../../renderer/src/lib/i18n/i18n.svelte';
import { settingsFixture } from './fixtures/settings-fixture';

const SETTINGS = settingsFixture();

function setup(props: Record<string, unknown> = {}) {
  const onSave = vi.fn();
  const view = render(SettingsForm, { props: { settings: SETTINGS, onSave, ...props } });
  const save = screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement;
  return { onSave, view, save };
}

const field = (label: string) => screen.getByLabelText(label) as HTMLInputElement;

describe('settings form', () => {
  it('shows the saved settings, with Save disabled until something changes', () => {
    const { save } = setup();
    expect(field('Workers').value).toBe('2');
    expect(field('Port on 127.0.0.1').value).toBe('6379');
    expect(field('Redis image').value).toBe('redis:7.4-bookworm');
    expect(save.disabled).toBe(true);
  });

  it('explains out-of-range numbers on the field and refuses to save', async () => {
    const { save, onSave } = setup();
    await fireEvent.input(field('Workers'), { target: { value: '65' } });
    const workers = field('Workers');
    expect(workers.getAttribute('aria-invalid')).toBe('true');
    const described = document.getElementById(
      workers.getAttribute('aria-describedby')!.split(' ').at(-1)!,
    );
    expect(described?.textContent).toBe('Enter a whole number from 0 to 64.');
    expect(save.disabled).toBe(true);

    await fireEvent.input(field('Workers'), { target: { value: '4' } });
    await fireEvent.input(field('Port on 127.0.0.1'), { target: { value: '70000' } });
    expect(screen.getByText('Enter a whole number from 1 to 65535.')).toBeTruthy();
    expect(save.disabled).toBe(true);
    await fireEvent.submit(save.closest('form')!);
    expect(onSave).not.toHaveBeenCalled();
  });

  it('checks images and the processors folder', async () => {
    setup();
    await fireEvent.input(field('Redis image'), { target: { value: 'redis 7' } });
    expect(screen.getByText(/image name without spaces/)).toBeTruthy();
    await fireEvent.input(field('Processors folder'), { target: { value: 'relative/dir' } });
    expect(screen.getByText(/full folder path/)).toBeTruthy();
    await fireEvent.input(field('Processors folder'), { target: { value: '/home/me/processors' } });
    expect(screen.queryByText(/full folder path/)).toBeNull();
  });

  it('saves only what changed', async () => {
    const { save, onSave } = setup();
    await fireEvent.input(field('Workers'), { target: { value: '3' } });
    await fireEvent.input(field('CPUs per worker'), { target: { value: '0.5' } });
    await fireEvent.change(field('Language'), { target: { value: 'ja' } });
    await fireEvent.click(screen.getByLabelText('On every write'));
    expect(save.disabled).toBe(false);
    await fireEvent.click(save);
    expect(onSave).toHaveBeenCalledExactlyOnceWith({
      cluster: { redis: { persistence: 'always' }, workers: { replicas: 3, cpus: 0.5 } },
      app: { language: 'ja' },
    });
  });

  it('says when an environment variable overrides an image, and which image runs (en, ja)', () => {
    const imageOverrides = {
      redis: { variable: 'GUILDHALL_REDIS_IMAGE', image: 'guildhall-offline/redis:bookworm' },
      workerBase: null,
    };
    const { view } = setup({ imageOverrides });
    const notes = screen.getAllByRole('note');
    expect(notes).toHaveLength(1);
    expect(notes[0]!.textContent).toContain('GUILDHALL_REDIS_IMAGE is set.');
    expect(notes[0]!.textContent).toContain(
      'the cluster runs guildhall-offline/redis:bookworm, not the image saved here',
    );
    // The saved value stays in the field: the notice explains why it is not the one that runs.
    expect(field('Redis image').value).toBe('redis:7.4-bookworm');
    view.unmount();

    i18n.setPreference('ja');
    try {
      render(SettingsForm, {
        props: {
          settings: SETTINGS,
          onSave: vi.fn(),
          imageOverrides: {
            redis: null,
            workerBase: {
              variable: 'GUILDHALL_WORKER_BASE_IMAGE',
              image: 'guildhall-offline/node:bookworm',
            },
          },
        },
      });
      const [note] = screen.getAllByRole('note');
      expect(note!.textContent).toContain('GUILDHALL_WORKER_BASE_IMAGE が設定されています。');
      expect(note!.textContent).toContain('guildhall-offline/node:bookworm を使います');
    } finally {
      i18n.setPreference('en');
    }
  });

  it('without overrides shows no notice, and names every processor file extension', () => {
    setup();
    expect(screen.queryAllByRole('note')).toEqual([]);
    expect(screen.getByText(/\.js, \.mjs or \.cjs processor files/)).toBeTruthy();
  });

  it('shows the server’s message on the fields it names', () => {
    const message = 'Settings not saved: cluster.workers.concurrency: Too big.';
    setup({ serverErrors: serverFieldErrors(['cluster.workers.concurrency'], message) });
    expect(screen.getByText(message)).toBeTruthy();
  });
});

describe('desktop-only settings', () => {
  const DESKTOP_ONLY = [
    'Open Guildhall when you log in',
    'Start the cluster when Guildhall opens',
    'When you quit with the cluster running',
  ];

  it('are offered in the desktop app', () => {
    setup({ desktop: true });
    for (const label of DESKTOP_ONLY) expect(screen.queryByLabelText(label)).not.toBeNull();
    expect(screen.queryByText(/are set in the Guildhall desktop app/)).toBeNull();
  });

  it('are left out of the browser console, which says where they are set', () => {
    setup({ desktop: false });
    for (const label of DESKTOP_ONLY) expect(screen.queryByLabelText(label)).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Startup and quitting' })).toBeNull();
    expect(screen.getByText(/are set in the Guildhall desktop app/)).toBeTruthy();
    // Language and theme stay: the browser console acts on them.
    expect(screen.getByLabelText('Language')).toBeTruthy();
  });
});

describe('settings form model', () => {
  it('accepts the saved settings and flags each bad field', () => {
    expect(validateForm(formFromSettings(SETTINGS))).toEqual({});
    const errors = validateForm({
      ...formFromSettings(SETTINGS),
      concurrency: '0',
      cpus: '-1',
      memoryMb: '1.5',
      workerImage: '',
    });
    expect(Object.keys(errors).sort()).toEqual(['concurrency', 'cpus', 'memoryMb', 'workerImage']);
  });

  it('says which changes need the cluster recreated', () => {
    expect(needsRecreate({ cluster: { workers: { concurrency: 5 } } })).toBe(true);
    expect(needsRecreate({ app: { theme: 'dark' } })).toBe(false);
  });
});
