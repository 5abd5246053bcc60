import { describe, expect, it } from 'vitest';
import { filesystemFor } from '../../main/monitor/host-monitor';

const linux = [
  { fs: '/dev/vda1', type: 'ext4', mount: '/' },
  { fs: '/dev/vdb1', type: 'xfs', mount: '/var/lib' },
  { fs: '/dev/vdc1', type: 'xfs', mount: '/var/lib/docker' },
  { fs: 'overlay', type: 'overlay', mount: '/var/lib/docker/overlay2/abc/merged' },
  { fs: '/dev/vdd1', type: 'ext4', mount: '/var/lib/dockerish' },
];

describe('filesystemFor', () => {
  it('picks the mount that holds the engine data root', () => {
    expect(filesystemFor('/var/lib/docker', linux)?.fs).toBe('/dev/vdc1');
    expect(filesystemFor('/var/lib/docker/volumes', linux)?.fs).toBe('/dev/vdc1');
  });

  it('does not take a sibling whose name only starts the same', () => {
    expect(filesystemFor('/var/lib/dock', linux)?.fs).toBe('/dev/vdb1');
  });

  it('ignores container overlay mounts', () => {
    expect(filesystemFor('/var/lib/docker/overlay2/abc/merged/x', linux)?.fs).toBe('/dev/vdc1');
  });

  it('falls back to the root filesystem', () => {
    expect(filesystemFor('/home/me', linux)?.fs).toBe('/dev/vda1');
    expect(filesystemFor('/', linux)?.fs).toBe('/dev/vda1');
  });

  it('understands Windows drives', () => {
    const windows = [
      { fs: 'C:', type: 'NTFS', mount: 'C:' },
      { fs: 'D:', type: 'NTFS', mount: 'D:' },
    ];
    expect(filesystemFor('C:\\ProgramData\\docker', windows)?.fs).toBe('C:');
    expect(filesystemFor('d:\\docker', windows)?.fs).toBe('D:');
    expect(filesystemFor('/', windows)).toBeUndefined();
  });
});
