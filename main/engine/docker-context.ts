/**
 * The Docker CLI's current context, read the way the CLI reads it: the config dir is
 * $DOCKER_CONFIG or ~/.docker; the context name is $DOCKER_CONTEXT or `currentContext` in
 * config.json; its endpoint lives in contexts/meta/<sha256(name)>/meta.json under
 * Endpoints.docker.Host, with TLS files in contexts/tls/<sha256(name)>/docker/.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { parseEngineHost, tlsFromCertDir } from './endpoint-address';
import type { HostEnvironment } from './host-environment';
import type { EngineEndpoint, EngineFlavor, UnsupportedEndpoint } from './types';

const configFileSchema = z.looseObject({ currentContext: z.string().optional() });

const contextMetaSchema = z.looseObject({
  Name: z.string().optional(),
  Endpoints: z.looseObject({
    docker: z.looseObject({
      Host: z.string().min(1),
      SkipTLSVerify: z.boolean().optional(),
    }),
  }),
});

export type ContextSelectedBy = 'DOCKER_CONTEXT' | 'config.json';

export interface CurrentContextName {
  name: string;
  selectedBy: ContextSelectedBy;
}

export function dockerConfigDir(host: Pick<HostEnvironment, 'env' | 'home'>): string {
  const fromEnv = host.env.DOCKER_CONFIG?.trim();
  return fromEnv ? fromEnv : join(host.home, '.docker');
}

/** Directory name the Docker CLI uses for a context: hex sha256 of its name. */
export function contextDirName(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

export function contextMetaPath(configDir: string, name: string): string {
  return join(configDir, 'contexts', 'meta', contextDirName(name), 'meta.json');
}

export function contextTlsDir(configDir: string, name: string): string {
  return join(configDir, 'contexts', 'tls', contextDirName(name), 'docker');
}

/** The selected context's name, or undefined when none is selected (or config.json is unreadable). */
export function currentContextName(host: HostEnvironment): CurrentContextName | undefined {
  const fromEnv = host.env.DOCKER_CONTEXT?.trim();
  if (fromEnv) return { name: fromEnv, selectedBy: 'DOCKER_CONTEXT' };
  const text = host.fs.readText(join(dockerConfigDir(host), 'config.json'));
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = configFileSchema.safeParse(json);
  const name = parsed.success ? parsed.data.currentContext?.trim() : undefined;
  return name ? { name, selectedBy: 'config.json' } : undefined;
}

function flavorFromContext(name: string, hostAddress: string): EngineFlavor {
  const text = `${name} ${hostAddress}`.toLowerCase();
  if (text.includes('colima')) return 'colima';
  if (text.includes('rancher') || text.includes('/.rd/')) return 'rancher-desktop';
  if (text.includes('orbstack')) return 'orbstack';
  if (text.includes('podman')) return 'podman';
  if (text.includes('desktop')) return 'docker-desktop';
  return 'docker';
}

/**
 * The current context's engine endpoint. Undefined when no context or the `default` context is
 * selected (the default context means DOCKER_HOST or the default socket, which discovery lists
 * anyway). A selected context that cannot be read becomes an `unsupported` endpoint saying why.
 */
export function readCurrentDockerContext(host: HostEnvironment): EngineEndpoint | undefined {
  const current = currentContextName(host);
  if (current === undefined || current.name === 'default') return undefined;
  const { name, selectedBy } = current;
  const label = `Docker context '${name}'`;
  const configDir = dockerConfigDir(host);
  const broken = (problem: string, hint: string): UnsupportedEndpoint => ({
    id: `unsupported:docker-context:${name}`,
    label,
    source: 'docker-context',
    flavor: 'unknown',
    transport: 'unsupported',
    address: `context ${name}`,
    problem,
    hint,
  });
  const switchHint =
    selectedBy === 'DOCKER_CONTEXT'
      ? 'Unset DOCKER_CONTEXT, or set it to a context listed by `docker context ls`.'
      : 'Run `docker context ls` to see the contexts, then `docker context use <name>` (or `docker context use default`).';

  const text = host.fs.readText(contextMetaPath(configDir, name));
  if (text === undefined) {
    return broken(
      `The Docker context '${name}' (selected by ${selectedBy}) does not exist.`,
      switchHint,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return broken(
      `The Docker context '${name}' has an unreadable meta.json (not valid JSON).`,
      switchHint,
    );
  }
  const meta = contextMetaSchema.safeParse(json);
  if (!meta.success) {
    return broken(
      `The Docker context '${name}' has no Docker endpoint (Endpoints.docker.Host).`,
      switchHint,
    );
  }
  const docker = meta.data.Endpoints.docker;
  const tlsDir = contextTlsDir(configDir, name);
  const hasTlsFiles =
    host.fs.exists(join(tlsDir, 'ca.pem')) || host.fs.exists(join(tlsDir, 'cert.pem'));
  return parseEngineHost(docker.Host, {
    source: 'docker-context',
    label,
    flavor: flavorFromContext(name, docker.Host),
    ...(hasTlsFiles ? { tls: tlsFromCertDir(tlsDir, docker.SkipTLSVerify !== true) } : {}),
  });
}
