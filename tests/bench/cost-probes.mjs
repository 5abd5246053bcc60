// Cost accounting for the job benchmarks: CPU time spent by consumers (worker containers via the
// engine's stats, host processes via /proc), by the userland docker-proxy that carries host
// clients' traffic to a published port, and by Redis itself, plus Redis commands executed.
// CPU time is far less sensitive to a busy shared host than wall-clock rates.
import fs from 'node:fs/promises';
import Dockerode from 'dockerode';
import { run } from './lib.mjs';

const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU milliseconds a container has used since it started. */
export async function containerCpuMs(name) {
  const stats = await docker.getContainer(name).stats({ stream: false });
  return stats.cpu_stats.cpu_usage.total_usage / 1e6;
}

/** CPU milliseconds (user + system) a host process has used, 0 when it is gone. */
export async function processCpuMs(pid) {
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at ") ".
    const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks / CLOCK_TICKS_PER_SECOND) * 1000;
  } catch {
    return 0;
  }
}

/** Pids of the docker-proxy processes forwarding a published host port, if any. */
export async function dockerProxyPids(port) {
  const { stdout } = await run('pgrep', ['-f', `docker-proxy .*-host-port ${port} `]).catch(() => ({
    stdout: '',
  }));
  return stdout.split('\n').filter(Boolean).map(Number);
}

/** Redis's own CPU (main process, user + sys) in ms and total commands executed so far. */
export async function redisCounters(redis) {
  const [cpu, commands] = await Promise.all([redis.info('cpu'), redis.info('commandstats')]);
  const seconds = (field) => Number(new RegExp(`^${field}:([\\d.]+)`, 'm').exec(cpu)?.[1] ?? 0);
  let calls = 0;
  for (const [, count] of commands.matchAll(/^cmdstat_[^:]+:calls=(\d+)/gm)) calls += Number(count);
  return { cpuMs: (seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1000, calls };
}

/**
 * Snapshots every counter; `since(before)` returns the deltas. `consumers` is a function giving
 * the current consumer CPU (containers or processes), summed.
 */
export function costMeter({ redis, consumers, proxyPids }) {
  const take = async () => {
    const [consumerMs, redisNow, proxyMs] = await Promise.all([
      consumers(),
      redisCounters(redis),
      Promise.all(proxyPids.map(processCpuMs)).then((ms) => ms.reduce((a, b) => a + b, 0)),
    ]);
    return { consumerMs, proxyMs, redisMs: redisNow.cpuMs, calls: redisNow.calls };
  };
  return {
    take,
    async since(before) {
      const now = await take();
      return {
        consumerMs: now.consumerMs - before.consumerMs,
        proxyMs: now.proxyMs - before.proxyMs,
        redisMs: now.redisMs - before.redisMs,
        calls: now.calls - before.calls,
      };
    },
  };
}
