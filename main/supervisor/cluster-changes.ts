/**
 * Wakes the supervisor when the engine reports a change to one of the cluster's containers (a
 * removal, a crash, a start, a health change), so a `docker rm -f` is seen in a fraction of a
 * second while an idle cluster costs one open event stream and no reads. The stream is opened on
 * the first `watch` and opened again after it ends (engine restart).
 */
import type { ClusterContainers } from '../cluster/containers';
import { LABEL } from '../cluster/naming';

/** Engine events that change what the supervisor sees (no exec_*: healthchecks run as execs). */
const EVENTS = [
  'create',
  'start',
  'die',
  'destroy',
  'stop',
  'kill',
  'oom',
  'pause',
  'unpause',
  'update',
  'health_status',
];

export class ClusterChanges {
  private stream: (NodeJS.ReadableStream & { destroy?: () => void }) | null = null;
  private cluster = '';
  private opening = false;

  constructor(private readonly onChange: () => void) {}

  /** Keeps a stream open on `containers`' cluster (another cluster's closes the old one). */
  watch(containers: ClusterContainers): void {
    if (this.stream && this.cluster === containers.cluster) return;
    if (this.opening) return;
    this.close();
    this.cluster = containers.cluster;
    this.opening = true;
    containers
      .events({
        type: ['container'],
        event: EVENTS,
        label: [`${LABEL.cluster}=${containers.cluster}`],
      })
      .then(
        (stream) => {
          this.opening = false;
          this.stream = stream;
          stream.on('data', () => this.onChange());
          const gone = () => {
            if (this.stream === stream) this.stream = null;
          };
          stream.on('end', gone);
          stream.on('error', gone);
          stream.on('close', gone);
        },
        () => {
          this.opening = false; // tried again at the next tick
        },
      );
  }

  close(): void {
    this.stream?.destroy?.();
    this.stream = null;
  }
}
