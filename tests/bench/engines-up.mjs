// Benchmark: Guildhall's `up` of Redis + 4 workers until ready, on Docker and on Podman's
// Docker-compatible API service, in the same run (rounds alternate the engine), images present.
// Ready = `up` returned, then checked again: Redis answers an authenticated PING on its published
// port and every worker's heartbeat is in Redis. Also the engines' /version answer time, which
// every CLI command's engine probe waits for.
// Run: npm run build && node tests/bench/engines-up.mjs [--rounds N]
//      (needs Docker and Podman's service: sudo bash scripts/ensure-podman.sh)
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import {
  fmt,
  machine,
  sleep,
  spawnCli,
  stats,
  waitHeartbeats,
  writeReportSection,
} from './lib.mjs';

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 5;
const WORKERS = 4;
const podmanSocket = process.env.GUILDHALL_PODMAN_SOCKET ?? '/run/guildhall-podman/podman.sock';
const engines = {
  docker: { label: 'Docker', socket: '/var/run/docker.sock', port: 26391 },
  podman: { label: 'Podman', socket: podmanSocket, port: 26392 },
};

/** GET `route` on a unix socket: [status body, milliseconds]. */
function timedGet(socketPath, route) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get({ socketPath, path: route }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve([body, performance.now() - started]));
      })
      .on('error', reject);
  });
}

for (const engine of Object.values(engines)) {
  const [version] = await timedGet(engine.socket, '/version');
  engine.version = JSON.parse(version).Version;
  engine.home = await fs.mkdtemp(path.join(os.tmpdir(), `guildhall-bench-${engine.label}-`));
  engine.env = {
    ...process.env,
    DOCKER_HOST: `unix://${engine.socket}`,
    GUILDHALL_HOME: engine.home,
    GUILDHALL_REDIS_IMAGE: process.env.GUILDHALL_REDIS_IMAGE ?? 'guildhall-offline/redis:bookworm',
    GUILDHALL_WORKER_BASE_IMAGE:
      process.env.GUILDHALL_WORKER_BASE_IMAGE ?? 'guildhall-offline/node:bookworm',
  };
  await fs.writeFile(
    path.join(engine.home, 'settings.json'),
    JSON.stringify({
      cluster: {
        name: `ghbench${engine.label.toLowerCase()}`,
        redis: { port: engine.port },
        workers: { replicas: WORKERS, memoryMb: 256 },
      },
    }),
  );
  // Warm-up: builds the worker image on this engine, so every timed up has its images.
  await spawnCli(['up'], engine.env);
  await spawnCli(['down', '--volumes'], engine.env);
  const secrets = await fs.readFile(path.join(engine.home, 'secrets.json'), 'utf8');
  engine.password = /"redis-password:[^"]+": "([0-9a-f]+)"/.exec(secrets)[1];
  engine.times = [];
  engine.versionMs = [];
}

async function checkReady(engine) {
  const cluster = `ghbench${engine.label.toLowerCase()}`;
  const redis = new Redis({ host: '127.0.0.1', port: engine.port, password: engine.password });
  try {
    await waitHeartbeats(
      redis,
      cluster,
      Array.from({ length: WORKERS }, (_, i) => `${cluster}-worker-${i + 1}`),
    );
  } finally {
    redis.disconnect();
  }
}

const names = Object.keys(engines);
for (let round = 0; round < rounds; round++) {
  for (const name of round % 2 === 0 ? names : [...names].reverse()) {
    const engine = engines[name];
    engine.versionMs.push((await timedGet(engine.socket, '/version'))[1]);
    const started = performance.now();
    await spawnCli(['up'], engine.env);
    await checkReady(engine);
    engine.times.push(performance.now() - started);
    await spawnCli(['down', '--volumes'], engine.env);
    await sleep(500);
  }
  process.stderr.write(
    `round ${round + 1}/${rounds}: ${names.map((n) => `${n} ${fmt(engines[n].times.at(-1))}`).join(', ')}\n`,
  );
}
for (const engine of Object.values(engines)) {
  await fs.rm(engine.home, { recursive: true, force: true });
}

const m = await machine();
const load = os.loadavg()[0].toFixed(1);
const row = (engine) => {
  const s = stats(engine.times);
  const v = stats(engine.versionMs);
  return `| ${engine.label} ${engine.version} | ${fmt(s.median)} | ${fmt(s.min)} | ${fmt(s.max)} | ${Math.round(v.median)} ms |`;
};
const ratio = (stats(engines.podman.times).median / stats(engines.docker.times).median).toFixed(2);
const markdown = `## Cluster up on Docker and on Podman

\`guildhall up\` of Redis + ${WORKERS} workers until ready (then checked: PING + heartbeats), images present, on each engine in the same run; ${rounds} rounds, engine order alternated. Podman is Debian's, its Docker-compatible API served by \`podman system service\` (no systemd, so no engine healthchecks; Guildhall does not wait for them). "/version" is the engine's answer time to the request every command's engine probe makes.
Machine: ${m.cores} cores, ${m.memoryGiB} GiB, ${m.cpu}; Node ${m.node}; ${m.date}; load average ${load} at the end (other work on the host).

| engine | up median | min | max | /version median |
| --- | --- | --- | --- | --- |
${row(engines.docker)}
${row(engines.podman)}

Podman / Docker: ${ratio}×.

Rerun: \`npm run build && node tests/bench/engines-up.mjs --rounds ${rounds}\` (Podman's service: \`sudo bash scripts/ensure-podman.sh\`).
`;
await writeReportSection('engines-up', markdown);
process.stdout.write(markdown);
