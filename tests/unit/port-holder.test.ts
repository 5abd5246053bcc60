/** Reading who holds a port from each OS's tools (main/util/port-holder.ts). */
import { describe, expect, it } from 'vitest';
import {
  describePortHolder,
  holderFromLsof,
  holderFromSs,
  listeningInodes,
  pidFromNetstat,
} from '../../main/util/port-holder';

describe('port holder parsing', () => {
  it('finds the listening socket of a port in /proc/net/tcp', () => {
    const table = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:18EB 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 91234 1 0 100 0 0 10 0',
      '   1: 0100007F:18EB 0100007F:C350 01 00000000:00000000 00:00000000 00000000  1000        0 91299 1 0 20 4 30 10 -1',
      '   2: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5555 1 0 100 0 0 10 0',
    ].join('\n');
    expect(listeningInodes(table, 6379)).toEqual(['91234']);
    expect(listeningInodes(table, 8080)).toEqual(['5555']);
    expect(listeningInodes(table, 1234)).toEqual([]);
  });

  it('reads ss, lsof and netstat output', () => {
    expect(
      holderFromSs(
        'LISTEN 0 511 127.0.0.1:6379 0.0.0.0:* users:(("redis-server",pid=4242,fd=6))\n',
        6379,
      ),
    ).toEqual({ name: 'redis-server', pid: 4242 });
    expect(holderFromSs('LISTEN 0 511 127.0.0.1:6379 0.0.0.0:*\n', 6379)).toBeNull();
    expect(holderFromLsof('p4242\ncredis-server\nf6\n')).toEqual({
      pid: 4242,
      name: 'redis-server',
    });
    expect(holderFromLsof('')).toBeNull();
    const netstat = [
      '  Proto  Local Address          Foreign Address        State           PID',
      '  TCP    127.0.0.1:6379         0.0.0.0:0              LISTENING       4242',
      '  TCP    127.0.0.1:6379         127.0.0.1:50000        ESTABLISHED     4242',
    ].join('\r\n');
    expect(pidFromNetstat(netstat, 6379)).toBe(4242);
    expect(pidFromNetstat(netstat, 80)).toBeNull();
    expect(describePortHolder({ pid: 4242, name: 'redis-server' })).toBe('redis-server (pid 4242)');
    expect(describePortHolder(null)).toBeNull();
  });
});
