/**
 * `guildhall supervise`: runs the cluster's supervisor in the foreground for headless hosts
 * (the app and `guildhall console` run one too; one of them acts at a time, by the Redis lease).
 * Prints each lease change and action as it happens; SIGINT or SIGTERM stops it cleanly: the
 * duties stop and the lease is given back, so another supervisor takes over at once. README.md
 * shows a systemd user unit for it.
 */
import type { Core } from '../../core';
import { supervisorDuties } from '../../supervisor/duties';
import { Supervisor } from '../../supervisor/supervisor';
import { EXIT } from '../exit-codes';
import type { CliIO } from '../io';

export async function runSupervise(core: Core, io: CliIO): Promise<number> {
  const { spec } = await core.cluster.spec();
  if (!spec.supervisor.enabled) {
    io.stderr.write(
      'guildhall supervise: the supervisor is off for this cluster (spec.supervisor.enabled is false); waiting until it is turned on.\n',
    );
  }
  const supervisor = new Supervisor({
    core,
    face: 'supervise',
    duties: supervisorDuties(core),
    log: (line) => io.stdout.write(`${line}\n`),
  });
  io.stdout.write(
    `Supervising cluster ${spec.name} as ${supervisor.identity.id}. Ctrl+C to stop.\n`,
  );
  supervisor.start();
  await new Promise<void>((resolve) => {
    io.onInterrupt(resolve);
    io.onTerminate?.(resolve);
  });
  await supervisor.stop();
  io.stdout.write('Supervisor stopped.\n');
  return EXIT.ok;
}
