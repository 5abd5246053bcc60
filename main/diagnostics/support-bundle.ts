/**
 * The support bundle: one zip a user can attach to a bug report. It holds the app's logs,
 * settings, engine facts, the cluster's status, each container's inspect output and last 200
 * log lines, the diagnostics results, the audit log, the sections layers above add (the alerts'
 * state) and a README listing it all. Secrets are removed twice:
 * secret-looking keys and every env value (names kept) are blanked structurally, then every entry's text goes
 * through `scrub` with the stored Redis password and every other stored secret, the user's too
 * (raw, escaped, URL-encoded and base64 forms).
 * Collection problems are written into the bundle (errors.txt) instead of failing it.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import yazl from 'yazl';
import { auditSinkFor } from '../audit/record';
import type { ClusterContainers } from '../cluster/containers';
import { endpointAddress, redactAddress } from '../engine/endpoint-address';
import { redisPasswordKey } from '../settings/secret-store';
import { GuildhallError } from '../util/errors';
import { coreLog, type Core } from '../core';
import { runDiagnostics } from './diagnostics';
import type { DiagnosticsContextOptions } from './context';
import { scrub, scrubObject } from '../util/secret-text';
import type { DiagnosticsReport } from './types';

export const BUNDLE_LOG_LINES = 200;

/**
 * A JSON file a higher layer adds to the bundle (e.g. the alerts' state, main/alerts): read when
 * the bundle is made, secret-looking keys blanked and scrubbed like every entry.
 */
export interface BundleSection {
  /** Its name in the zip, e.g. `alerts.json`. */
  name: string;
  /** Its line in README.txt. */
  describe: string;
  read: () => Promise<unknown>;
}

export interface SupportBundleOptions extends DiagnosticsContextOptions {
  /** Results to include; the checks are run when not given. */
  report?: DiagnosticsReport;
  sections?: readonly BundleSection[];
}

export interface SupportBundle {
  file: string;
  /** Paths inside the zip. */
  entries: string[];
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

async function containerEntries(
  containers: ClusterContainers,
  add: (name: string, text: string) => void,
  problem: (what: string, err: unknown) => void,
): Promise<void> {
  const list = await containers.list();
  await Promise.all(
    list.map(async (info) => {
      const name = safeName((info.Names[0] ?? info.Id).replace(/^\//, ''));
      try {
        add(
          `containers/${name}/inspect.json`,
          json(scrubObject(await containers.inspect(info.Id))),
        );
      } catch (err) {
        problem(`inspect ${name}`, err);
      }
      try {
        add(`containers/${name}/logs.txt`, await containers.logText(info.Id, BUNDLE_LOG_LINES));
      } catch (err) {
        problem(`logs of ${name}`, err);
      }
    }),
  );
}

/** The audit log's files (already redacted when written; scrubbed again like every entry). */
async function auditEntries(
  core: Core,
  add: (name: string, text: string) => void,
  problem: (what: string, err: unknown) => void,
): Promise<void> {
  const { log } = auditSinkFor(core);
  for (const name of await log.files()) {
    try {
      add(`audit/${name}`, await fs.readFile(path.join(log.dir, name), 'utf8'));
    } catch (err) {
      problem(`audit log ${name}`, err);
    }
  }
}

function readme(
  entries: string[],
  createdAt: Date,
  version: string,
  sections: readonly BundleSection[],
): string {
  const describe: [RegExp, string][] = [
    [/^diagnostics\.json$/, 'results of every diagnostics check (guildhall doctor --json)'],
    [/^settings\.json$/, 'settings, secret-looking values and every env value removed'],
    [/^engine\.json$/, 'container engine version, API version, endpoint (no credentials)'],
    [/^cluster-status\.json$/, 'the cluster as the engine reports it'],
    [/^host\.json$/, 'operating system, CPU, memory, Node.js and app versions'],
    [/^app-logs\//, "Guildhall's own log (JSON lines)"],
    [/^audit\//, 'the audit log: who did what through which face (JSON lines, hash-chained)'],
    [/inspect\.json$/, 'container inspect output, env values removed (names kept)'],
    [/logs\.txt$/, `last ${BUNDLE_LOG_LINES} log lines of the container`],
    [/^errors\.txt$/, 'what could not be collected, and why'],
  ];
  const lines = entries.map((entry) => {
    const what =
      sections.find((section) => section.name === entry)?.describe ??
      describe.find(([pattern]) => pattern.test(entry))?.[1] ??
      '';
    return `  ${entry}${what ? `  — ${what}` : ''}`;
  });
  return [
    'Guildhall support bundle',
    `Created ${createdAt.toISOString()} by Guildhall ${version}.`,
    '',
    'The Redis password and other secrets were removed from every file.',
    'Contents:',
    '  README.txt  — this file',
    ...lines,
    '',
  ].join('\n');
}

/** Writes the support bundle zip to `file` (parent folders created); returns its entries. */
export async function createSupportBundle(
  core: Core,
  file: string,
  options: SupportBundleOptions = {},
): Promise<SupportBundle> {
  const createdAt = new Date();
  const log = await coreLog(core, 'support-bundle');
  const texts = new Map<string, string>();
  const problems: string[] = [];
  const add = (name: string, text: string) => texts.set(name, text);
  const problem = (what: string, err: unknown) =>
    problems.push(`${what}: ${((err as Error)?.message ?? String(err)).split('\n')[0]}`);

  const { settings } = await core.settings.load();
  const { spec } = await core.cluster.spec();
  const secrets = [
    await core.secrets.get(redisPasswordKey(spec.name)),
    await core.secrets.get(redisPasswordKey(settings.cluster.name)),
    // Every other stored secret too: the audit log and the logs must not carry any of them.
    ...((await core.secrets.values?.().catch(() => [])) ?? []),
  ].filter((s): s is string => !!s);
  for (const secret of secrets) log.addSecret(secret);

  const report =
    options.report ??
    (await runDiagnostics(core, options).catch((err) => {
      problem('diagnostics', err);
      return null;
    }));
  if (report) add('diagnostics.json', json(report));
  add('settings.json', json(scrubObject(settings)));
  add(
    'host.json',
    json({
      app: core.version,
      platform: process.platform,
      release: os.release(),
      arch: process.arch,
      cpus: os.cpus().length,
      memoryBytes: os.totalmem(),
      node: process.version,
    }),
  );

  try {
    const containers = await core.cluster.containers();
    const { endpoint, info } = containers.engine ?? (await core.engine());
    const engineInfo = await containers.engineFacts();
    add(
      'engine.json',
      json({
        endpoint: {
          label: endpoint.label,
          source: endpoint.source,
          flavor: endpoint.flavor,
          transport: endpoint.transport,
          address: redactAddress(endpointAddress(endpoint)),
        },
        engine: info.engineName,
        version: info.version,
        apiVersion: info.apiVersion,
        os: info.os,
        arch: info.arch,
        info: engineInfo && {
          operatingSystem: engineInfo.OperatingSystem,
          kernel: engineInfo.KernelVersion,
          storageDriver: engineInfo.Driver,
          cgroupVersion: engineInfo.CgroupVersion,
          cpus: engineInfo.NCPU,
          memoryBytes: engineInfo.MemTotal,
          dataRoot: engineInfo.DockerRootDir,
          containers: engineInfo.Containers,
          images: engineInfo.Images,
        },
      }),
    );
    try {
      add('cluster-status.json', json(await containers.status(spec, null)));
    } catch (err) {
      problem('cluster status', err);
    }
    await containerEntries(containers, add, problem);
  } catch (err) {
    problem('engine', err);
    add(
      'engine.json',
      json({ error: (err as Error).message, hint: (err as { hint?: string }).hint }),
    );
  }

  log.info('support bundle written', { file: path.resolve(file), problems: problems.length });
  for (const logFile of log.files()) {
    try {
      add(`app-logs/${path.basename(logFile)}`, await fs.readFile(logFile, 'utf8'));
    } catch (err) {
      problem(`app log ${path.basename(logFile)}`, err);
    }
  }
  await auditEntries(core, add, problem);
  for (const section of options.sections ?? []) {
    try {
      add(section.name, json(scrubObject(await section.read())));
    } catch (err) {
      problem(section.name, err);
    }
  }
  if (problems.length) add('errors.txt', `${problems.join('\n')}\n`);

  const entries = [...texts.keys()].sort();
  const zip = new yazl.ZipFile();
  zip.addBuffer(
    Buffer.from(scrub(readme(entries, createdAt, core.version, options.sections ?? []), secrets)),
    'README.txt',
    {
      mtime: createdAt,
    },
  );
  for (const name of entries) {
    zip.addBuffer(Buffer.from(scrub(texts.get(name) ?? '', secrets), 'utf8'), name, {
      mtime: createdAt,
    });
  }
  zip.end();

  const target = path.resolve(file);
  await fs.mkdir(path.dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.partial`;
  try {
    const out = createWriteStream(tmp, { mode: 0o600 });
    zip.outputStream.pipe(out);
    await once(out, 'close');
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw new GuildhallError(
      'internal',
      `Could not write the support bundle to ${target}: ${(err as Error).message}`,
      'Choose a folder you can write to.',
    );
  }
  return { file: target, entries: ['README.txt', ...entries] };
}
