/** Public surface of container-engine discovery, probing and connection. */
export * from './types';
export {
  listEngineCandidates,
  wellKnownCandidates,
  dockerHostCandidate,
  pinnedCandidate,
  tlsFromEnv,
} from './candidates';
export type { CandidateOptions } from './candidates';
export {
  readCurrentDockerContext,
  currentContextName,
  dockerConfigDir,
  contextMetaPath,
  contextTlsDir,
} from './docker-context';
export {
  parseEngineHost,
  describeEndpoint,
  endpointAddress,
  redactAddress,
  isPipePath,
  socketEndpoint,
} from './endpoint-address';
export { dockerodeOptions } from './dockerode-options';
export type { DockerodeOptions } from './dockerode-options';
export { hostEnvironment, realFileSystem } from './host-environment';
export type { HostEnvironment, HostFileSystem, EnvVars } from './host-environment';
export { detectEngineInstallation } from './installation';
export type { EngineInstallation, InstalledEngine } from './installation';
export {
  classifyEngineError,
  classifyApiVersion,
  compareApiVersions,
  mostInformativeFailure,
  failureToError,
} from './classify';
export type { ClassifyContext } from './classify';
export { probeEngine, probeEngineWithClient, engineNameFromVersion } from './probe';
export type { ProbeOptions } from './probe';
export { connectEngine, discoverEngines, isEnginePresent } from './connect';
export type { ConnectOptions, EngineConnection } from './connect';
