/** Host port checks for the Redis port (published on 127.0.0.1). */
import net from 'node:net';

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

/** The first free port at or after `start` (up to `tries` ports), or null. */
export async function findFreePort(
  start: number,
  tries = 100,
  host = '127.0.0.1',
): Promise<number | null> {
  for (let port = start; port < Math.min(start + tries, 65536); port++) {
    if (await isPortFree(port, host)) return port;
  }
  return null;
}
