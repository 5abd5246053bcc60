/**
 * Runs a command in an image with a throwaway container (no cluster, no network needed) and
 * returns its exit code and output: how tests see what an image holds.
 */
import type Dockerode from 'dockerode';
import { docker } from './test-cluster';

export interface ImageRun {
  exitCode: number;
  output: string;
}

export async function runInImage(
  image: string,
  command: string[],
  engine: Dockerode = docker,
): Promise<ImageRun> {
  const container = await engine.createContainer({
    Image: image,
    Entrypoint: command.slice(0, 1),
    Cmd: command.slice(1),
    Labels: { 'io.guildhall.test': 'run-image' },
    HostConfig: { NetworkMode: 'none' },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const logs = (await container.logs({ stdout: true, stderr: true })) as Buffer;
    return { exitCode: StatusCode, output: demux(logs) };
  } finally {
    await container.remove({ force: true }).catch(() => {});
  }
}

/** The engine's multiplexed log stream (8-byte frame headers) as plain text. */
function demux(buffer: Buffer): string {
  let out = '';
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    out += buffer.subarray(offset + 8, offset + 8 + size).toString();
    offset += 8 + size;
  }
  return out;
}
