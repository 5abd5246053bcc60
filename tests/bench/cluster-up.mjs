// Benchmark: time until a cluster of Redis + 4 workers is ready (Redis healthy, 4 workers
// registered by heartbeat), images present. Guildhall's `up` side by side with
// `docker-compose up -d` of an equivalent compose file and with a shell script of `docker run`s.
// Run: node tests/bench/cluster-up.mjs [--rounds N]   (needs `npm run build` and an engine)
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { Redis } from 'ioredis';
import { spawn } from 'node:child_process';
import {
  cli,
  fmt,
  machine,
  run,
  sleep,
  spawnCli,
  stats,
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

const engine = new Dockerode();

/** Polls the engine API (not the docker CLI, which costs a process per look) until healthy. */
async function waitEngineHealthy(container, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const info = await engine
      .getContainer(container)
      .inspect()
      .catch(() => null);
    if (info?.State?.Health?.Status === 'healthy') return;
    await sleep(25);
  }
  throw new Error(`${container} not healthy in ${timeoutMs} ms`);
}

/** A client once Redis answers an authenticated PING on its published port. */
async function answeringRedis(port, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const redis = new Redis({
      host: '127.0.0.1',
      port,
      password,
      lazyConnect: true,
      connectTimeout: 1_000,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on('error', () => {});
    try {
      await redis.connect();
      if ((await redis.ping()) === 'PONG') return redis;
    } catch {
      redis.disconnect();
      if (Date.now() > deadline) throw new Error(`Redis on ${port} did not answer`);
      await sleep(25);
    }
  }
}

/**
 * Ready = Redis answers and every worker has a heartbeat. `engineHealth` also waits for the
 * engine's healthcheck to say healthy, which is all a compose file can wait for.
 */
async function readyBy(cluster, port, { engineHealth }) {
  if (engineHealth) await waitEngineHealthy(`${cluster}-redis-1`);
  const redis = await answeringRedis(port);
  await waitHeartbeats(
    redis,
    cluster,
    Array.from({ length: WORKERS }, (_, i) => `${cluster}-worker-${i + 1}`),
  );
  redis.disconnect();
}

const composeUp = () =>
  run('docker-compose', ['-p', 'ghcompose', '-f', composePath, 'up', '-d', '--quiet-pull']);
const composeDown = () =>
  run('docker-compose', ['-p', 'ghcompose', '-f', composePath, 'down', '-v', '-t', '10']);
async function scriptDown() {
  const names = [
    'ghscript-redis-1',
    ...Array.from({ length: WORKERS }, (_, i) => `ghscript-worker-${i + 1}`),
  ];
  await run('docker', ['rm', '-f', ...names]).catch(() => {});
  await run('docker', ['network', 'rm', 'ghscript_default']).catch(() => {});
  await run('docker', ['volume', 'rm', 'ghscript_redis-data']).catch(() => {});
}

const variants = {
  guildhall: {
    // `up` returns once Redis answers and every worker registered; checking that again here (in
    // the timed part) keeps it honest.
    up: async () => {
      await spawnCli(['up'], env);
      await readyBy('ghbench', ports.guildhall, { engineHealth: false });
    },
    down: () => spawnCli(['down', '--volumes'], env),
  },
  compose: {
    up: async () => {
      await composeUp();
      await readyBy('ghcompose', ports.compose, { engineHealth: true });
    },
    down: composeDown,
  },
  composePing: {
    up: async () => {
      await composeUp();
      await readyBy('ghcompose', ports.compose, { engineHealth: false });
    },
    down: composeDown,
  },
  script: {
    up: async () => {
      await run('bash', [scriptPath]);
      await readyBy('ghscript', ports.script, { engineHealth: true });
    },
    down: scriptDown,
  },
  scriptPing: {
    up: async () => {
      await run('bash', [scriptPath]);
      await readyBy('ghscript', ports.script, { engineHealth: false });
    },
    down: scriptDown,
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

const names = Object.keys(variants);
const times = Object.fromEntries(names.map((name) => [name, []]));
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? names : [...names].reverse();
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

/**
 * The engine's share, as a floor: the same network, volume and five containers created and started
 * in parallel straight through the API, nothing waited for (the workers only sleep).
 */
async function engineOnly() {
  const started = performance.now();
  const network = await engine.createNetwork({ Name: 'ghfloor_default', Driver: 'bridge' });
  const volume = await engine.createVolume({ Name: 'ghfloor_redis-data' });
  const containers = await Promise.all([
    engine.createContainer({
      name: 'ghfloor-redis-1',
      Image: redisImage,
      Cmd: ['redis-server', '--requirepass', password, '--appendonly', 'yes', '--dir', '/data'],
      ExposedPorts: { '6379/tcp': {} },
      HostConfig: {
        Init: true,
        PortBindings: { '6379/tcp': [{ HostIp: '127.0.0.1', HostPort: '26382' }] },
        Mounts: [{ Type: 'volume', Source: 'ghfloor_redis-data', Target: '/data' }],
      },
      NetworkingConfig: { EndpointsConfig: { ghfloor_default: { Aliases: ['redis'] } } },
    }),
    ...Array.from({ length: WORKERS }, (_, i) =>
      engine.createContainer({
        name: `ghfloor-worker-${i + 1}`,
        Image: image,
        Cmd: ['sleep', '60'],
        User: '1000:1000',
        HostConfig: { Init: true, NetworkMode: 'ghfloor_default' },
      }),
    ),
  ]);
  await Promise.all(containers.map((c) => c.start()));
  const elapsed = performance.now() - started;
  await Promise.all(containers.map((c) => c.remove({ force: true })));
  await network.remove();
  await volume.remove();
  return elapsed;
}

/** One more Guildhall up with each progress line timed: where the time goes. */
async function guildhallTimeline() {
  const started = performance.now();
  const marks = {};
  await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'up'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let buffered = '';
    const onData = (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      const at = performance.now() - started;
      for (const line of lines) {
        if (/ engine connected/.test(line)) marks.connected ??= at;
        if (/network \S+ created/.test(line)) marks.network ??= at;
        if (/redis \S+ started/.test(line)) marks.redisStarted = at;
        if (/worker \S+ started/.test(line)) marks.lastWorkerStarted = at;
        if (/redis \S+ answering/.test(line)) marks.redisAnswering = at;
        if (/worker \S+ registered/.test(line)) marks.lastRegistered = at;
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`up exited ${code}`))));
  });
  marks.exited = performance.now() - started;
  await spawnCli(['down', '--volumes'], env);
  return marks;
}

const floor = [];
for (let round = 0; round < rounds; round++) {
  floor.push(await engineOnly());
  await sleep(500);
}
const timeline = await guildhallTimeline();
await fs.rm(work, { recursive: true, force: true });

const s = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, stats(v)]));
const f = stats(floor);
const ratio = (a, b) => (s[a].median / s[b].median).toFixed(2);
const row = (label, x) => `| ${label} | ${fmt(x.median)} | ${fmt(x.min)} | ${fmt(x.max)} |`;
const mark = (key) => (timeline[key] === undefined ? '–' : fmt(timeline[key]));
const m = await machine();
const markdown = `## Cluster up: Redis + ${WORKERS} workers until ready

Ready = Redis answers an authenticated PING on its published port and ${WORKERS} workers registered (heartbeat in Redis); images present; ${rounds} rounds, order alternated.
The headline ratio compares until usable: compose and the script wait as Guildhall does (PING + heartbeats). A compose file on its own can only wait for the engine's healthcheck, whose first probe runs one interval (1 s) after Redis starts; those rows are shown too.
Machine: ${m.cores} cores, ${m.memoryGiB} GiB, ${m.cpu}; Docker ${m.docker}; Node ${m.node}; ${m.date}.

| variant | median | min | max |
| --- | --- | --- | --- |
${row('Guildhall `guildhall up` (then checked: PING + heartbeats)', s.guildhall)}
${row('`docker-compose up -d` + wait for healthy + heartbeats', s.compose)}
${row('`docker-compose up -d` + wait for PING + heartbeats', s.composePing)}
${row('shell script of `docker run` + wait for healthy + heartbeats', s.script)}
${row('shell script of `docker run` + wait for PING + heartbeats', s.scriptPing)}
${row('engine alone: network, volume, 5 containers created and started in parallel', f)}

Ratio Guildhall / compose until usable (both waiting for PING + heartbeats, the fair comparison): **${ratio('guildhall', 'composePing')}×** (goal ≤ 0.6×); with compose waiting for the engine's healthcheck, as a compose file must: ${ratio('guildhall', 'compose')}×; Guildhall / script until usable: ${ratio('guildhall', 'scriptPing')}× (healthcheck: ${ratio('guildhall', 'script')}×).

Where Guildhall's time goes (one more run, from its progress lines): engine connected ${mark('connected')}, network created ${mark('network')}, Redis started ${mark('redisStarted')}, Redis answering ${mark('redisAnswering')}, last worker started ${mark('lastWorkerStarted')}, last worker registered ${mark('lastRegistered')}, process exited ${mark('exited')}.

Rerun: \`npm run build && node tests/bench/cluster-up.mjs --rounds ${rounds}\`.
`;
await writeReportSection('cluster-up', markdown);
process.stdout.write(markdown);
