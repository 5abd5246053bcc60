/**
 * Settings says when the cluster uses an external Redis (cluster.redis.external): which one, its
 * ACL user, the secret holding the password (never the password) and how TLS is verified; in
 * English and Japanese. Without one, nothing is shown.
 */
import { render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import SettingsForm from '../../renderer/src/lib/settings/SettingsForm.svelte';
import { i18n } from '../../renderer/src/lib/i18n/i18n.svelte';
import { settingsFixture } from './fixtures/settings-fixture';

const EXTERNAL = {
  url: 'rediss://app@redis.example.internal:6380/0',
  passwordSecret: 'EXT_REDIS_PASSWORD',
  caFile: '/etc/guildhall/redis-ca.pem',
};

function withExternal(external: typeof EXTERNAL | null) {
  const settings = settingsFixture();
  settings.cluster.redis = { ...settings.cluster.redis, external };
  render(SettingsForm, { props: { settings, onSave: vi.fn() } });
}

afterEach(() => i18n.setPreference('en'));

describe('external Redis in Settings', () => {
  it('names the external Redis, its user, the password secret and the CA', () => {
    withExternal(EXTERNAL);
    const note = screen.getByRole('note', { name: 'This cluster uses an external Redis' });
    expect(note.textContent).toContain(EXTERNAL.url);
    expect(note.textContent).toContain('app');
    expect(note.textContent).toContain('EXT_REDIS_PASSWORD');
    expect(note.textContent).toContain(`verified against ${EXTERNAL.caFile}`);
  });

  it('is shown in Japanese too', () => {
    i18n.setPreference('ja');
    withExternal(EXTERNAL);
    const note = screen.getByRole('note', {
      name: 'このクラスターは外部の Redis を使用しています',
    });
    expect(note.textContent).toContain(`${EXTERNAL.caFile} で検証`);
  });

  it('is absent when the cluster runs its own Redis', () => {
    withExternal(null);
    expect(screen.queryByText('This cluster uses an external Redis')).toBeNull();
  });
});
