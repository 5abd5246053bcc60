// Benchmark: time until a cluster of Redis + 4 workers is ready (Redis healthy, 4 workers
// registered by heartbeat), images present. Guildhall's `up` side by side with
// `docker-compose up -d` of an equivalent compose file and with a shell script of `docker run`s.
// Run: node tests/bench/cluster-up.mjs [--rounds N]   (needs `npm run build` and an engine)
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import {
  fmt,
  machine,
  run,
  sleep,
  spawnCli,
  stats,
  waitHealthy,
  waitHeartbeats,
  writeReportSection,
} from './lib.mjs';

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 5;
const WORKERS = 4;
const redisImage = process.env.GUILDHALL_REDIS_IMAGE ?? 'guildhall-offline/redis:bookworm';
const baseImage = process.env.GUILDHALL_WORKER_BASE_IMAGE ?? 'guildhall-offline/node:bookworm';
const work = await fs.mkdtemp(path.join(os.tmpdir(), 'guildhall-bench-up-'));
const env = {
  ...process.env,
  GUILDHALL_HOME: work,
  GUILDHALL_REDIS_IMAGE: redisImage,
  GUILDHALL_WORKER_BASE_IMAGE: baseImage,
};
const ports = { guildhall: 26379, compose: 26380, script: 26381 };

// Guildhall settings for a dedicated bench cluster.
await fs.writeFile(
  path.join(work, 'settings.json'),
  JSON.stringify({
    cluster: {
      name: 'ghbench',
      redis: { port: ports.guildhall },
      workers: { replicas: WORKERS, memoryMb: 256 },
    },
  }),
);

// Warm-up: builds the worker image once so every variant starts with images present.
await spawnCli(['up'], env);
const { stdout: workerImage } = await run('docker', [
  'inspect',
  '-f',
  '{{.Config.Image}}',
  'ghbench-worker-1',
]);
const password = (await fs.readFile(path.join(work, 'secrets.json'), 'utf8')).match(
  /"redis-password:ghbench": "([0-9a-f]+)"/,
)[1];
await spawnCli(['down', '--volumes'], env);

const pwFile = path.join(work, 'redis-password');
await fs.writeFile(pwFile, password, { mode: 0o644 });
await fs.chmod(pwFile, 0o644);
const image = workerImage.trim();

function composeFile() {
  const workers = Array.from(
    { length: WORKERS },
    (_, i) => `  worker${i + 1}:
    image: ${image}
    init: true
    user: "1000:1000"
    restart: on-failure
    stop_grace_period: 30s
    environment:
      GUILDHALL_CLUSTER: ghcompose
      GUILDHALL_WORKER_NAME: ghcompose-worker-${i + 1}
      GUILDHALL_REDIS_HOST: redis
      GUILDHALL_REDIS_PORT: "6379"
      GUILDHALL_REDIS_PASSWORD_FILE: /run/secrets/redis_pw
      GUILDHALL_CONCURRENCY: "10"
    secrets: [redis_pw]
`,
  ).join('');
  return `version: "3.8"
services:
  redis:
    image: ${redisImage}
    init: true
    command: ["redis-server", "--requirepass", "${password}", "--appendonly", "yes", "--appendfsync", "everysec", "--maxmemory-policy", "noeviction", "--dir", "/data"]
    ports: ["127.0.0.1:${ports.compose}:6379"]
    volumes: [redis-data:/data]
    restart: unless-stopped
    healthcheck:
      test: ["CMD-SHELL", "redis-cli -a ${password} --no-auth-warning ping | grep -q PONG"]
      interval: 1s
      timeout: 3s
      retries: 30
${workers}volumes:
  redis-data: {}
secrets:
  redis_pw:
    file: ${pwFile}
`;
}
const composePath = path.join(work, 'docker-compose.yml');
await fs.writeFile(composePath, composeFile());

function scriptFile() {
  const lines = [
    'set -e',
    'docker network create ghscript_default >/dev/null',
    'docker volume create ghscript_redis-data >/dev/null',
    `docker run -d --init --name ghscript-redis-1 --network ghscript_default --network-alias redis -p 127.0.0.1:${ports.script}:6379 -v ghscript_redis-data:/data --restart unless-stopped --health-cmd 'redis-cli -a ${password} --no-auth-warning ping | grep -q PONG' --health-interval 1s --health-retries 30 ${redisImage} redis-server --requirepass ${password} --appendonly yes --maxmemory-policy noeviction --dir /data >/dev/null`,
  ];
  for (let i = 1; i <= WORKERS; i++) {
    lines.push(
      `docker run -d --init --name ghscript-worker-${i} --network ghscript_default --user 1000:1000 --restart on-failure -v ${pwFile}:/run/secrets/redis_pw:ro -e GUILDHALL_CLUSTER=ghscript -e GUILDHALL_WORKER_NAME=ghscript-worker-${i} -e GUILDHALL_REDIS_HOST=redis -e GUILDHALL_REDIS_PORT=6379 -e GUILDHALL_REDIS_PASSWORD_FILE=/run/secrets/redis_pw ${image} >/dev/null`,
    );
  }
  return lines.join('\n');
}
const scriptPath = path.join(work, 'up.sh');
await fs.writeFile(scriptPath, scriptFile());

async function readyBy(cluster, port) {
  await waitHealthy(`${cluster}-redis-1`);
  const redis = new Redis({
    host: '127.0.0.1',
    port,
    password,
    lazyConnect: true,
    maxRetriesPerRequest: 1,
  });
  redis.on('error', () => {});
  await redis.connect();
  await waitHeartbeats(
    redis,
    cluster,
    Array.from({ length: WORKERS }, (_, i) => `${cluster}-worker-${i + 1}`),
  );
  redis.disconnect();
}

const variants = {
  guildhall: {
    up: () => spawnCli(['up'], env),
    down: () => spawnCli(['down', '--volumes'], env),
  },
  compose: {
    up: async () => {
      await run('docker-compose', [
        '-p',
        'ghcompose',
        '-f',
        composePath,
        'up',
        '-d',
        '--quiet-pull',
      ]);
      await readyBy('ghcompose', ports.compose);
    },
    down: () =>
      run('docker-compose', ['-p', 'ghcompose', '-f', composePath, 'down', '-v', '-t', '10']),
  },
  script: {
    up: async () => {
      await run('bash', [scriptPath]);
      await readyBy('ghscript', ports.script);
    },
    down: async () => {
      const names = [
        'ghscript-redis-1',
        ...Array.from({ length: WORKERS }, (_, i) => `ghscript-worker-${i + 1}`),
      ];
      await run('docker', ['rm', '-f', ...names]).catch(() => {});
      await run('docker', ['network', 'rm', 'ghscript_default']).catch(() => {});
      await run('docker', ['volume', 'rm', 'ghscript_redis-data']).catch(() => {});
    },
  },
};
// docker-compose names containers <project>_<service>_1; give them the names the heartbeat uses.
await fs.writeFile(
  composePath,
  composeFile().replace(
    / {2}(redis|worker(\d+)):\n {4}image/g,
    (_m, svc, n) =>
      `  ${svc}:\n    container_name: ghcompose-${n ? `worker-${n}` : 'redis-1'}\n    image`,
  ),
);

const times = { guildhall: [], compose: [], script: [] };
for (let round = 0; round < rounds; round++) {
  const order =
    round % 2 === 0 ? ['guildhall', 'compose', 'script'] : ['script', 'compose', 'guildhall'];
  for (const name of order) {
    const started = performance.now();
    await variants[name].up();
    times[name].push(performance.now() - started);
    await variants[name].down();
    await sleep(500);
  }
  process.stderr.write(
    `round ${round + 1}/${rounds}: ${Object.entries(times)
      .map(([k, v]) => `${k} ${fmt(v.at(-1))}`)
      .join(', ')}\n`,
  );
}
await fs.rm(work, { recursive: true, force: true });

const s = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, stats(v)]));
const ratio = (a, b) => (s[a].median / s[b].median).toFixed(2);
const m = await machine();
const markdown = `## Cluster up: Redis + ${WORKERS} workers until ready

Ready = Redis healthy and ${WORKERS} workers registered (heartbeat in Redis); images present; ${rounds} rounds, order alternated.
Machine: ${m.cores} cores, ${m.memoryGiB} GiB, ${m.cpu}; Docker ${m.docker}; Node ${m.node}; ${m.date}.

| variant | median | min | max |
| --- | --- | --- | --- |
| Guildhall \`guildhall up\` | ${fmt(s.guildhall.median)} | ${fmt(s.guildhall.min)} | ${fmt(s.guildhall.max)} |
| \`docker-compose up -d\` + wait until ready | ${fmt(s.compose.median)} | ${fmt(s.compose.min)} | ${fmt(s.compose.max)} |
| shell script of \`docker run\` + wait until ready | ${fmt(s.script.median)} | ${fmt(s.script.min)} | ${fmt(s.script.max)} |

Ratio Guildhall / compose: **${ratio('guildhall', 'compose')}×** (goal ≤ 0.6×); Guildhall / script: ${ratio('guildhall', 'script')}×.
Rerun: \`npm run build && node tests/bench/cluster-up.mjs --rounds ${rounds}\`.
`;
await writeReportSection('cluster-up', markdown);
process.stdout.write(markdown);
