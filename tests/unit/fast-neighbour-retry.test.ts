import { describe, expect, it } from 'vitest';
import { supportsFastNeighbourRetry } from '../../main/cluster/container-configs';

describe('supportsFastNeighbourRetry: which engines take the per-interface sysctl as given', () => {
  it('Docker Engine up to API 1.44 (Docker 25) does', () => {
    for (const apiVersion of ['1.41', '1.43', '1.44']) {
      expect(supportsFastNeighbourRetry({ engineName: 'docker', apiVersion })).toBe(true);
    }
  });

  it('Docker 26 and later (API 1.45+) do not: 26.0 refused it, later versions rewrite it', () => {
    for (const apiVersion of ['1.45', '1.46', '1.47', '1.51', '2.0']) {
      expect(supportsFastNeighbourRetry({ engineName: 'docker', apiVersion })).toBe(false);
    }
  });

  it('Podman and unreadable versions do not', () => {
    expect(supportsFastNeighbourRetry({ engineName: 'podman', apiVersion: '1.41' })).toBe(false);
    expect(supportsFastNeighbourRetry({ engineName: 'docker', apiVersion: 'unknown' })).toBe(false);
    expect(supportsFastNeighbourRetry({ engineName: 'docker', apiVersion: '' })).toBe(false);
  });
});
