/**
 * Engine addresses as users write them (DOCKER_HOST, a pinned setting, a Docker context's Host):
 * parsing into endpoints, printing back, and describing for display. Credentials embedded in a
 * URL (tcp://user:secret@host) are dropped on parsing and never printed.
 */
import { join } from 'node:path';
import type {
  EngineEndpoint,
  EngineFlavor,
  EngineSource,
  EngineTls,
  SocketEndpoint,
  UnsupportedEndpoint,
} from './types';

export interface ParseEngineHostOptions {
  source: EngineSource;
  /** Label to show; defaults to the address itself. */
  label?: string;
  flavor?: EngineFlavor;
  /** TLS for tcp addresses; `undefined` means plain http unless the port is 2376 or scheme https. */
  tls?: EngineTls;
}

const PIPE_PREFIX = /^(?:\\\\|\/\/)\.[\\/]pipe[\\/]/i;

/** True for Windows named-pipe paths (`//./pipe/x` or `\\.\pipe\x`). */
export function isPipePath(path: string): boolean {
  return PIPE_PREFIX.test(path);
}

function normalizePipePath(path: string): string {
  const rest = path.replace(/\\/g, '/').replace(/^\/+/, '');
  return `//${rest}`;
}

export function socketEndpoint(
  socketPath: string,
  source: EngineSource,
  label: string,
  flavor: EngineFlavor,
): SocketEndpoint {
  const normalized = isPipePath(socketPath) ? normalizePipePath(socketPath) : socketPath;
  const endpoint: SocketEndpoint = {
    id: '',
    label,
    source,
    flavor,
    transport: 'socket',
    socketPath: normalized,
  };
  endpoint.id = endpointAddress(endpoint);
  return endpoint;
}

function unsupported(
  address: string,
  problem: string,
  hint: string,
  opts: ParseEngineHostOptions,
): UnsupportedEndpoint {
  return {
    id: `unsupported:${opts.source}:${address}`,
    label: opts.label ?? address,
    source: opts.source,
    flavor: opts.flavor ?? 'unknown',
    transport: 'unsupported',
    address,
    problem,
    hint,
  };
}

/** Removes user:password@ from a URL-like string so it can be shown. */
export function redactAddress(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}

const SSH_HINT =
  'Forward the remote socket and point Guildhall at it, e.g. ' +
  '`ssh -NL /tmp/remote-docker.sock:/var/run/docker.sock <user>@<host>` ' +
  'then set DOCKER_HOST=unix:///tmp/remote-docker.sock.';

/**
 * Parses an engine address: `unix:///path`, `npipe:////./pipe/name`, `tcp://host:port`,
 * `http(s)://host:port`, `host:port`, or a bare socket/pipe path. Anything else (ssh://, fd://,
 * garbage) becomes an `unsupported` endpoint that explains itself.
 */
export function parseEngineHost(raw: string, opts: ParseEngineHostOptions): EngineEndpoint {
  const value = raw.trim();
  const shown = redactAddress(value);
  const label = opts.label ?? shown;
  const flavor = opts.flavor ?? 'unknown';
  if (value === '') {
    return unsupported(
      '(empty)',
      'The engine address is empty.',
      'Set it to e.g. unix:///var/run/docker.sock.',
      opts,
    );
  }
  if (value.startsWith('/') || isPipePath(value)) {
    return socketEndpoint(value, opts.source, label, flavor);
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
  if (scheme === 'unix' || scheme === 'npipe') {
    const path = value.slice(scheme.length + 3);
    if (path === '') {
      return unsupported(
        shown,
        `The address ${shown} names no socket path.`,
        'Write it as unix:///var/run/docker.sock.',
        opts,
      );
    }
    return socketEndpoint(
      scheme === 'npipe' ? normalizePipePath(path) : path,
      opts.source,
      label,
      flavor,
    );
  }
  if (scheme === 'ssh') {
    return unsupported(
      shown,
      `SSH engine addresses (${shown}) are not supported yet.`,
      SSH_HINT,
      opts,
    );
  }
  if (scheme === undefined || scheme === 'tcp' || scheme === 'http' || scheme === 'https') {
    return parseTcp(scheme === undefined ? `tcp://${value}` : value, scheme, shown, opts);
  }
  return unsupported(
    shown,
    `The engine address ${shown} uses the unsupported scheme "${scheme}://".`,
    'Use unix://, npipe:// or tcp:// (for example unix:///var/run/docker.sock).',
    opts,
  );
}

function parseTcp(
  value: string,
  scheme: string | undefined,
  shown: string,
  opts: ParseEngineHostOptions,
): EngineEndpoint {
  let url: URL;
  try {
    url = new URL(value.replace(/^tcp:/i, 'http:'));
  } catch {
    return unsupported(
      shown,
      `The engine address ${shown} is not a valid address.`,
      'Write it as tcp://host:2376 or unix:///path/to/docker.sock.',
      opts,
    );
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') {
    return unsupported(
      shown,
      `The engine address ${shown} names no host.`,
      'Write it as tcp://host:2376.',
      opts,
    );
  }
  const tlsWanted = opts.tls !== undefined || scheme === 'https';
  const port = url.port === '' ? (tlsWanted ? 2376 : 2375) : Number(url.port);
  const protocol = tlsWanted || port === 2376 ? 'https' : 'http';
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const endpoint: EngineEndpoint = {
    id: `tcp://${hostPart}:${port}`,
    label: opts.label ?? `tcp://${hostPart}:${port}`,
    source: opts.source,
    flavor: opts.flavor ?? 'unknown',
    transport: 'tcp',
    host,
    port,
    protocol,
  };
  if (protocol === 'https') endpoint.tls = opts.tls ?? { verify: true };
  return endpoint;
}

/** TLS files in a Docker cert directory (ca.pem, cert.pem, key.pem). */
export function tlsFromCertDir(certDir: string, verify: boolean): EngineTls {
  return {
    verify,
    caFile: join(certDir, 'ca.pem'),
    certFile: join(certDir, 'cert.pem'),
    keyFile: join(certDir, 'key.pem'),
  };
}

/** The endpoint as an address string: `unix:///…`, `npipe:////./pipe/…`, `tcp://host:port`. */
export function endpointAddress(endpoint: EngineEndpoint): string {
  switch (endpoint.transport) {
    case 'socket':
      return isPipePath(endpoint.socketPath)
        ? `npipe://${endpoint.socketPath}`
        : `unix://${endpoint.socketPath}`;
    case 'tcp': {
      const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
      return `tcp://${host}:${endpoint.port}`;
    }
    case 'unsupported':
      return endpoint.address;
  }
}

/** One line for display: `Docker Desktop (unix:///Users/me/.docker/run/docker.sock)`. */
export function describeEndpoint(endpoint: EngineEndpoint): string {
  const address = endpointAddress(endpoint);
  const tls = endpoint.transport === 'tcp' && endpoint.protocol === 'https' ? ', TLS' : '';
  if (endpoint.label === address && tls === '') return address;
  return `${endpoint.label} (${address}${tls})`;
}
