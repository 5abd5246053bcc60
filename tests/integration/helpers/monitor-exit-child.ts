/**
 * Child process for the "stop() leaves nothing running" test: runs a full Monitor (host and
 * containers) on a cluster until a tick carries container stats, then either stops it (the
 * process must then exit by itself) or leaves it running (the process must stay alive).
 * Prints one JSON line when it reaches that point.
 */
import Dockerode from 'dockerode';
import { ClusterContainers } from '../../../main/cluster/containers';
import { Monitor } from '../../../main/monitor/monitor';

async function main(): Promise<void> {
  const [cluster, mode] = process.argv.slice(2);
  if (!cluster || (mode !== 'stop' && mode !== 'keep'))
    throw new Error('usage: <cluster> stop|keep');
  const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });
  const monitor = new Monitor({
    containers: new ClusterContainers(docker, cluster),
    intervalMs: 250,
  });
  let ticks = 0;
  const ready = new Promise<void>((resolve) => {
    monitor.subscribe((tick) => {
      ticks++;
      const streaming = tick.containers.containers.some((c) => c.memoryBytes !== null);
      if (streaming && tick.host) resolve();
    });
  });
  await monitor.start();
  await Promise.race([ready, new Promise((r) => setTimeout(r, 15_000).unref())]);
  const containers = monitor.latest().containers.containers.length;
  if (mode === 'stop') monitor.stop();
  process.stdout.write(`${JSON.stringify({ ticks, containers, running: monitor.isRunning })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
