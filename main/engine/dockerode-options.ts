/**
 * Maps an endpoint to dockerode constructor options. Every connection field is set explicitly
 * (possibly to undefined) because docker-modem otherwise merges in defaults from the process's
 * own DOCKER_HOST / DOCKER_CERT_PATH, which would override the endpoint we chose.
 */
import { readFileSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import type Dockerode from 'dockerode';
import { GuildhallError } from '../util/errors';
import { describeEndpoint } from './endpoint-address';
import type { EngineEndpoint, EngineTls } from './types';

export type DockerodeOptions = Dockerode.DockerOptions & {
  /** Passed through to the HTTPS request; used to skip certificate verification when asked. */
  agent?: HttpsAgent;
};

export type ReadFile = (path: string) => Buffer;

function readOptional(path: string | undefined, readFile: ReadFile): Buffer | undefined {
  if (path === undefined) return undefined;
  try {
    return readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function tlsMaterial(endpoint: EngineEndpoint, tls: EngineTls, readFile: ReadFile) {
  const where = describeEndpoint(endpoint);
  const certHint =
    'Point DOCKER_CERT_PATH at the folder holding ca.pem, cert.pem and key.pem for this engine ' +
    '(or run `docker context ls` to check the context), then try again.';
  let ca: Buffer | undefined;
  let cert: Buffer | undefined;
  let key: Buffer | undefined;
  try {
    ca = readOptional(tls.caFile, readFile);
    cert = readOptional(tls.certFile, readFile);
    key = readOptional(tls.keyFile, readFile);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new GuildhallError(
      'engine-unreachable',
      `Could not read the TLS files for ${where} (${code}).`,
      certHint,
    );
  }
  if (tls.verify && tls.caFile !== undefined && ca === undefined) {
    throw new GuildhallError(
      'engine-unreachable',
      `TLS verification is on for ${where}, but its CA certificate (${tls.caFile}) is missing.`,
      certHint,
    );
  }
  if ((cert === undefined) !== (key === undefined)) {
    throw new GuildhallError(
      'engine-unreachable',
      `The TLS client certificate for ${where} is incomplete (need both cert.pem and key.pem).`,
      certHint,
    );
  }
  return { ca, cert, key };
}

/** dockerode options for an endpoint. Throws a GuildhallError for unusable endpoints. */
export function dockerodeOptions(
  endpoint: EngineEndpoint,
  readFile: ReadFile = readFileSync,
): DockerodeOptions {
  const neutral: DockerodeOptions = {
    socketPath: undefined,
    host: undefined,
    port: undefined,
    protocol: undefined,
    ca: undefined,
    cert: undefined,
    key: undefined,
    timeout: undefined,
    version: undefined,
  };
  switch (endpoint.transport) {
    case 'socket':
      return { ...neutral, socketPath: endpoint.socketPath, protocol: 'http' };
    case 'tcp': {
      const options: DockerodeOptions = {
        ...neutral,
        host: endpoint.host,
        port: endpoint.port,
        protocol: endpoint.protocol,
      };
      if (endpoint.protocol === 'https') {
        const material = tlsMaterial(endpoint, endpoint.tls ?? { verify: true }, readFile);
        options.ca = material.ca;
        options.cert = material.cert;
        options.key = material.key;
        if (endpoint.tls?.verify === false) {
          options.agent = new HttpsAgent({
            rejectUnauthorized: false,
            ca: material.ca,
            cert: material.cert,
            key: material.key,
          });
        }
      }
      return options;
    }
    case 'unsupported':
      throw new GuildhallError('engine-unreachable', endpoint.problem, endpoint.hint, {
        endpoint: endpoint.id,
      });
  }
}
