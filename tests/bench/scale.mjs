// Benchmark: scaling workers 0 → 16 (until all 16 are registered by heartbeat) and 16 → 1
// (until the 15 containers are removed). Guildhall's `guildhall scale N` side by side with
// `docker-compose up -d --scale worker=N` of an equivalent compose file (same worker image,
// limits, init, user, healthcheck), both against an already running Redis.
// Run: npm run build && node tests/bench/scale.mjs [--rounds N]
import fs from 'node:fs/promises';
import path from 'node:path';
import { Redis } from 'ioredis';
import {
  arg,
  benchHome,
  cliOutput,
  containersNamed,
  goal,
  loadAverage,
  redisConnection,
  redisImage,
  row,
  waitRegistered,
} from './bench-kit.mjs';
import { fmt, machine, run, sleep, stats, waitHealthy, writeReportSection } from './lib.mjs';

const rounds = arg('--rounds', 3);
const UP = 16;
const DOWN = 1;
const GH = { name: 'ghbscale', port: 26390 };
const COMPOSE = { project: 'ghcscale', port: 26391 };

const { home, env, remove } = await benchHome('guildhall-bench-scale', {
  name: GH.name,
  port: GH.port,
  workers: 0,
  memoryMb: 256,
});
const composePath = path.join(home, 'docker-compose.yml');
const compose = (...args) =>
  run('docker-compose', ['-p', COMPOSE.project, '-f', composePath, ...args]);
let ghRedis;
let composeRedis;

async function cleanup() {
  ghRedis?.disconnect();
  composeRedis?.disconnect();
  await cliOutput(['down', '--volumes'], env).catch(() => {});
  await compose('down', '-v', '-t', '10').catch(() => {});
  await remove();
}

try {
  // Guildhall: Redis only, then the worker image the compose file will use too.
  process.stderr.write('scale: preparing (guildhall up with 0 workers, worker image)\n');
  await cliOutput(['up'], env);
  await cliOutput(['scale', '1'], env);
  const { stdout: image } = await run('docker', [
    'inspect',
    '-f',
    '{{.Config.Image}}',
    `${GH.name}-worker-1`,
  ]);
  await cliOutput(['scale', '0'], env);
  const connection = await redisConnection(env);
  ghRedis = new Redis({ ...connection, maxRetriesPerRequest: 2 });
  ghRedis.on('error', () => {});

  // docker-compose: what a hand-written file would hold for the same Redis and workers (same image,
  // limits and healthchecks; workers reach Redis over TCP by its service name, the password file
  // is bind-mounted).
  const pwFile = path.join(home, 'redis-password');
  await fs.writeFile(pwFile, connection.password);
  await fs.chmod(pwFile, 0o644);
  await fs.writeFile(
    composePath,
    `version: "2.4"
services:
  redis:
    image: ${redisImage}
    init: true
    command: ["redis-server", "--requirepass", "${connection.password}", "--appendonly", "yes", "--appendfsync", "everysec", "--maxmemory-policy", "noeviction", "--dir", "/data"]
    ports: ["127.0.0.1:${COMPOSE.port}:6379"]
    volumes: ["redis-data:/data"]
    restart: unless-stopped
    healthcheck:
      test: ["CMD-SHELL", "redis-cli -a ${connection.password} --no-auth-warning ping | grep -q PONG"]
      interval: 1s
      timeout: 3s
      retries: 30
  worker:
    image: ${image.trim()}
    init: true
    user: "1000:1000"
    restart: unless-stopped
    stop_grace_period: 10s
    mem_limit: 256m
    cpus: 1.0
    environment:
      GUILDHALL_CLUSTER: ${COMPOSE.project}
      GUILDHALL_REDIS_HOST: redis
      GUILDHALL_REDIS_PORT: "6379"
      GUILDHALL_REDIS_PASSWORD_FILE: /run/secrets/redis_pw
      GUILDHALL_CONCURRENCY: "10"
      GUILDHALL_SHUTDOWN_GRACE_MS: "8000"
    volumes: ["${pwFile}:/run/secrets/redis_pw:ro"]
    healthcheck:
      test: ["CMD", "node", "/opt/guildhall/worker.cjs", "--healthcheck"]
      interval: 10s
      timeout: 5s
      retries: 3
      start_period: 10s
volumes:
  redis-data: {}
`,
  );
  await compose('up', '-d', '--scale', 'worker=0');
  await waitHealthy(`${COMPOSE.project}_redis_1`);
  composeRedis = new Redis({
    host: '127.0.0.1',
    port: COMPOSE.port,
    password: connection.password,
    maxRetriesPerRequest: 2,
  });
  composeRedis.on('error', () => {});

  const variants = {
    guildhall: {
      // `guildhall scale N` returns once every new worker has registered (heartbeat).
      up: async () => {
        const since = Date.now();
        await cliOutput(['scale', String(UP)], env);
        await waitRegistered(ghRedis, GH.name, UP, since, 5_000);
      },
      down: async () => {
        await cliOutput(['scale', String(DOWN)], env);
        const left = (await containersNamed(`${GH.name}-worker-`)).length;
        if (left !== DOWN)
          throw new Error(`guildhall scale ${DOWN} left ${left} worker containers`);
      },
      reset: () => cliOutput(['scale', '0'], env),
    },
    compose: {
      up: async () => {
        const since = Date.now();
        await compose('up', '-d', '--scale', `worker=${UP}`);
        await waitRegistered(composeRedis, COMPOSE.project, UP, since);
      },
      down: async () => {
        await compose('up', '-d', '--scale', `worker=${DOWN}`);
        const left = (await containersNamed(`${COMPOSE.project}_worker_`)).length;
        if (left !== DOWN)
          throw new Error(`compose --scale worker=${DOWN} left ${left} worker containers`);
      },
      reset: () => compose('up', '-d', '--scale', 'worker=0'),
    },
  };

  const times = { guildhall: { up: [], down: [] }, compose: { up: [], down: [] } };
  const loads = [];
  for (let round = 0; round < rounds; round++) {
    loads.push(loadAverage());
    const order = round % 2 === 0 ? ['guildhall', 'compose'] : ['compose', 'guildhall'];
    for (const name of order) {
      let started = performance.now();
      await variants[name].up();
      times[name].up.push(performance.now() - started);
      await sleep(1_000);
      started = performance.now();
      await variants[name].down();
      times[name].down.push(performance.now() - started);
      await variants[name].reset();
      await sleep(1_000);
    }
    process.stderr.write(
      `scale round ${round + 1}/${rounds}: ${Object.entries(times)
        .map(([k, v]) => `${k} up ${fmt(v.up.at(-1))} down ${fmt(v.down.at(-1))}`)
        .join(', ')}\n`,
    );
  }

  const s = {
    ghUp: stats(times.guildhall.up),
    ghDown: stats(times.guildhall.down),
    coUp: stats(times.compose.up),
    coDown: stats(times.compose.down),
  };
  const m = await machine();
  const markdown = `## Scale: 0 → ${UP} workers and ${UP} → ${DOWN}

Up = until all ${UP} new workers are registered (heartbeat in Redis); down = until the ${UP - DOWN} containers are removed (graceful stop, idle workers). Redis already running; worker image present; ${rounds} rounds, order alternated.
Guildhall: \`guildhall scale N\` (the CLI returns when the workers have registered). Compose: \`docker-compose up -d --scale worker=N\` (v${(await run('docker-compose', ['version', '--short'])).stdout.trim()}) of an equivalent file (same image, 256 MiB / 1 CPU per worker, init, user 1000, healthcheck), then polling heartbeats.
Machine: ${m.cores} cores, ${m.memoryGiB} GiB, ${m.cpu}; Docker ${m.docker}; Node ${m.node}; ${m.date}. 1-min load average at each round's start: ${loads.join(', ')} (the host is shared).

| variant | median | min | max |
| --- | --- | --- | --- |
${row(`Guildhall 0 → ${UP}`, s.ghUp, fmt)}
${row(`docker-compose 0 → ${UP}`, s.coUp, fmt)}
${row(`Guildhall ${UP} → ${DOWN}`, s.ghDown, fmt)}
${row(`docker-compose ${UP} → ${DOWN}`, s.coDown, fmt)}

Guildhall scale 0 → ${UP}: ${goal((s.ghUp.median / 1000).toFixed(2), ' s', '≤', '5')}; ratio Guildhall / compose up: ${(s.ghUp.median / s.coUp.median).toFixed(2)}×, down: ${(s.ghDown.median / s.coDown.median).toFixed(2)}×.
Rerun: \`npm run build && node tests/bench/scale.mjs --rounds ${rounds}\`.
`;
  await writeReportSection('scale', markdown);
  process.stdout.write(markdown);
} finally {
  await cleanup();
}
