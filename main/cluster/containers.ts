/**
 * One cluster's containers on one engine connection: what exists, and the actions the layers
 * above may take on them (restart, stop or remove one; decoded logs; stats and event streams;
 * the engine's own facts). Code above main/cluster goes through this class or ClusterService,
 * never through the engine client, so each container fact and action is written once.
 */
import { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { removeContainer } from './container-removal';
import { DockerLogDecoder, logText, type DecodedLine, type LogChunk } from './log-lines';
import { containerName, parseShortName, LABEL } from './naming';
import { listClusterContainers } from './observe';
import { redisPortStatus, type PortStatus } from './port-status';
import { lastLogLines } from './readiness';
import { probeContainerStart } from './start-probe';
import type { ClusterSpec } from '../settings/cluster-spec';
import type { EngineSummary } from '../engine/connect';
import { clusterStatus, redisProbes, type ClusterStatus, type StatusOptions } from './status';
import type { RedisConnection } from './redis-connection';

/** A container as the engine lists it. */
export type ContainerSummary = Dockerode.ContainerInfo;
/** A container as the engine inspects it. */
export type ContainerDetails = Dockerode.ContainerInspectInfo;

/** What the engine says about itself (`docker info`); fields are absent when it does not say. */
export interface EngineFacts {
  DockerRootDir?: string;
  MemTotal?: number;
  NCPU?: number;
  OperatingSystem?: string;
  KernelVersion?: string;
  Driver?: string;
  CgroupVersion?: string;
  ServerVersion?: string;
  Containers?: number;
  Images?: number;
  SecurityOptions?: string[];
}

/** A container's output: decoded per stream, or as lines. Iterate one of them, once. */
export interface ContainerLogs {
  chunks(): AsyncIterable<LogChunk>;
  lines(): AsyncIterable<DecodedLine>;
  /** Ends the stream (a following log otherwise runs until the container stops). */
  close(): void;
}

/** Which engine events to follow (the engine's own filter names). */
export interface EventFilters {
  type?: string[];
  event?: string[];
  container?: string[];
  label?: string[];
}

const statusCode = (err: unknown) => (err as { statusCode?: number })?.statusCode;

export class ClusterContainers {
  constructor(
    private readonly docker: Dockerode,
    readonly cluster: string,
    /** The connection's endpoint and engine facts, when the caller has them. */
    readonly engine: EngineSummary | null = null,
  ) {}

  /**
   * The cluster's status (`spec` must be this cluster's); Redis is asked through `redis`
   * (ClusterService.redisConnection), not at all when null.
   */
  status(spec: ClusterSpec, redis: RedisConnection | null): Promise<ClusterStatus> {
    return clusterStatus(this.docker, spec, redisProbes(redis, spec.name));
  }

  /** The cluster's status, asking Redis only what `options` say (e.g. on a kept connection). */
  statusWith(spec: ClusterSpec, options: StatusOptions): Promise<ClusterStatus> {
    return clusterStatus(this.docker, spec, options);
  }

  /** The cluster's containers, found by label (never by name guessing), stopped ones too. */
  list(): Promise<ContainerSummary[]> {
    return listClusterContainers(this.docker, this.cluster);
  }

  /** Whether the cluster has any container (it was created and not taken down). */
  async exist(): Promise<boolean> {
    return (await this.list()).length > 0;
  }

  /**
   * The container's name in this cluster: `redis`, `POOL-N` (`worker-2`, `tools-1`), or an exact
   * name (`<cluster>-…`) or id.
   */
  nameOf(target: string): string {
    if (target.startsWith(`${this.cluster}-`)) return target;
    const short = parseShortName(target);
    return short ? containerName(this.cluster, short.pool, short.number) : target;
  }

  inspect(idOrName: string): Promise<ContainerDetails> {
    return this.docker.getContainer(idOrName).inspect();
  }

  /** The container's details, or null when there is no such container. */
  async find(idOrName: string): Promise<ContainerDetails | null> {
    try {
      return await this.inspect(idOrName);
    } catch (err) {
      if (statusCode(err) === 404) return null;
      throw err;
    }
  }

  /** Restarts a container: SIGTERM, SIGKILL after `stopSeconds`, then start. */
  async restart(idOrName: string, stopSeconds: number): Promise<void> {
    await this.docker.getContainer(idOrName).restart({ t: stopSeconds });
  }

  /** Starts a stopped container; already running (304) is fine; gone (404) throws. */
  async start(idOrName: string): Promise<void> {
    try {
      await this.docker.getContainer(idOrName).start();
    } catch (err) {
      if (statusCode(err) !== 304) throw err;
    }
  }

  /**
   * Whether the engine restarts the container when it exits: `unless-stopped` (how pools run,
   * container-configs.ts) or `no` (while the supervisor backs off a crash loop and restarts it
   * on its own schedule).
   */
  async setRestartPolicy(idOrName: string, policy: 'unless-stopped' | 'no'): Promise<void> {
    await this.docker.getContainer(idOrName).update({ RestartPolicy: { Name: policy } });
  }

  /** Stops a container gracefully; already stopped (304) is fine; gone (404) throws. */
  async stop(idOrName: string, stopSeconds: number): Promise<void> {
    try {
      await this.docker.getContainer(idOrName).stop({ t: stopSeconds });
    } catch (err) {
      if (statusCode(err) !== 304) throw err;
    }
  }

  /** Stops and removes a container (its volumes stay); gone or being removed is fine. */
  remove(idOrName: string, stopSeconds: number): Promise<void> {
    return removeContainer(this.docker, idOrName, stopSeconds);
  }

  /** Stops every running container of the cluster: the workers first, then Redis. */
  async stopAll(stopSeconds: number): Promise<void> {
    const containers = await this.list();
    const stop = async (info: ContainerSummary) => {
      if (info.State !== 'running' && info.State !== 'restarting') return;
      await this.docker
        .getContainer(info.Id)
        .stop({ t: stopSeconds })
        .catch((err: unknown) => {
          if (statusCode(err) !== 304 && statusCode(err) !== 404) throw err;
        });
    };
    const isRedis = (info: ContainerSummary) => info.Labels?.[LABEL.service] === 'redis';
    await Promise.all(containers.filter((c) => !isRedis(c)).map(stop));
    await Promise.all(containers.filter(isRedis).map(stop));
  }

  /** A container's output, the last `tail` lines first; `follow` keeps it open. */
  async logs(
    idOrName: string,
    options: { follow?: boolean; tail?: number; timestamps?: boolean } = {},
  ): Promise<ContainerLogs> {
    const container = this.docker.getContainer(idOrName);
    const tty = (await container.inspect()).Config.Tty;
    const common = {
      stdout: true,
      stderr: true,
      tail: options.tail ?? 200,
      timestamps: options.timestamps ?? false,
    };
    // Without follow the engine answers with one buffer; a stream either way.
    const stream = (
      options.follow
        ? await container.logs({ ...common, follow: true })
        : Readable.from([(await container.logs({ ...common, follow: false })) as Buffer])
    ) as NodeJS.ReadableStream & { destroy?: () => void };
    const decoder = new DockerLogDecoder(tty);
    return {
      async *chunks() {
        for await (const chunk of stream as AsyncIterable<Buffer>) yield* decoder.chunks(chunk);
      },
      async *lines() {
        for await (const chunk of stream as AsyncIterable<Buffer>) yield* decoder.push(chunk);
        yield* decoder.end();
      },
      close: () => stream.destroy?.(),
    };
  }

  /** The last lines a container wrote, as text (stdout and stderr together); '' when unreadable. */
  lastLines(idOrName: string, lines = 5): Promise<string> {
    return lastLogLines(this.docker, idOrName, lines);
  }

  /** A container's last `tail` log lines as one text, with the engine's timestamps. */
  async logText(idOrName: string, tail: number): Promise<string> {
    const buffer = (await this.docker.getContainer(idOrName).logs({
      stdout: true,
      stderr: true,
      tail,
      timestamps: true,
    })) as unknown as Buffer;
    return logText(buffer);
  }

  /**
   * One stats sample of a container, answered at once (one-shot: no wait for a CPU delta), or
   * null when the engine does not give it.
   */
  async statsOnce(idOrName: string, signal?: AbortSignal): Promise<unknown> {
    const options = { stream: false as const, 'one-shot': true, abortSignal: signal };
    return this.docker
      .getContainer(idOrName)
      .stats(options)
      .catch(() => null);
  }

  /** The engine's live stats of a container: one JSON document per sample (about 1 s). */
  async stats(idOrName: string): Promise<NodeJS.ReadableStream> {
    return (await this.docker
      .getContainer(idOrName)
      .stats({ stream: true })) as unknown as NodeJS.ReadableStream;
  }

  /**
   * The engine's events as JSON lines: live from now, or between `since` and `until` (epoch
   * seconds), after which the stream ends.
   */
  async events(
    filters: EventFilters,
    range: { since?: number; until?: number } = {},
  ): Promise<NodeJS.ReadableStream & { destroy?: () => void }> {
    return (await this.docker.getEvents({
      ...range,
      filters: JSON.stringify(filters),
    } as Dockerode.GetEventsOptions)) as NodeJS.ReadableStream & { destroy?: () => void };
  }

  /**
   * One container's past `die` and `oom` events since `sinceSeconds`, as one finite stream of
   * JSON lines (other events may be among them: pick by Action). Docker ends the answer at
   * `until`; Podman 4.3 answers nothing when `until` is given and filters by its own event
   * names ("died"), so it is asked for all of the container's events with stream=false.
   */
  async pastExitEvents(
    containerId: string,
    sinceSeconds: number,
  ): Promise<NodeJS.ReadableStream & { destroy?: () => void }> {
    const query =
      this.engine?.info?.engineName === 'podman'
        ? {
            since: sinceSeconds,
            stream: false,
            filters: JSON.stringify({ container: [containerId] }),
          }
        : {
            since: sinceSeconds,
            until: Math.ceil(Date.now() / 1000),
            filters: JSON.stringify({ container: [containerId], event: ['die', 'oom'] }),
          };
    return (await this.docker.getEvents(
      query as Dockerode.GetEventsOptions,
    )) as NodeJS.ReadableStream & { destroy?: () => void };
  }

  /** Who holds Redis's `port` for `cluster` (default: this one): free, ours, or another's. */
  redisPortStatus(port: number, cluster = this.cluster): Promise<PortStatus> {
    return redisPortStatus(this.docker, cluster, port);
  }

  /** Starts a throwaway container from `image` to see the engine can (start-probe.ts). */
  probeStart(image: string, name: string): Promise<void> {
    return probeContainerStart(this.docker, image, name);
  }

  /** What the engine says about itself, or null when it does not answer. */
  async engineFacts(): Promise<EngineFacts | null> {
    try {
      return (await this.docker.info()) as EngineFacts;
    } catch {
      return null;
    }
  }
}
