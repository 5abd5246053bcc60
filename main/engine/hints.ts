/**
 * Fix hints for engine failures, specific to the product behind the endpoint and to the user's
 * operating system. Pure text; no I/O.
 */
import { endpointAddress } from './endpoint-address';
import type { EngineInstallation } from './installation';
import { MIN_API_VERSION, type EngineEndpoint, type EngineFlavor } from './types';

type Platform = NodeJS.Platform;

const DESKTOP_START =
  'Start Docker Desktop and wait until it reports that the engine is running, then try again.';

export function startHint(flavor: EngineFlavor, platform: Platform): string {
  switch (flavor) {
    case 'docker-desktop':
      return DESKTOP_START;
    case 'podman':
      return platform === 'linux'
        ? 'Start the Podman API socket: `systemctl --user enable --now podman.socket` (for rootful Podman: `sudo systemctl enable --now podman.socket`), then try again.'
        : 'Start the Podman machine: `podman machine start`, then try again.';
    case 'colima':
      return 'Start Colima: `colima start`, then try again.';
    case 'rancher-desktop':
      return 'Start Rancher Desktop (with the "dockerd (moby)" container engine), then try again.';
    case 'orbstack':
      return 'Start OrbStack (`orb start`), then try again.';
    case 'docker':
    case 'unknown':
      return platform === 'linux'
        ? 'Start the Docker service: `sudo systemctl start docker` (and `sudo systemctl enable docker` to start it at boot), then try again.'
        : DESKTOP_START;
  }
}

/** Start hint for an endpoint whose socket is missing, preferring an engine that is installed. */
export function startHintFor(
  endpoint: EngineEndpoint,
  platform: Platform,
  installation: EngineInstallation | undefined,
): string {
  if (endpoint.transport === 'tcp') {
    return `Make sure the engine at ${endpoint.host} is running and listening on port ${endpoint.port}, then try again.`;
  }
  const found = installation?.found ?? [];
  if (found.length === 0 || found.some((f) => f.flavor === endpoint.flavor)) {
    return startHint(endpoint.flavor, platform);
  }
  const flavors = [...new Set(found.map((f) => f.flavor))];
  return flavors.map((flavor) => startHint(flavor, platform)).join(' Or: ');
}

export function permissionHint(endpoint: EngineEndpoint, platform: Platform): string {
  const address = endpointAddress(endpoint);
  if (platform === 'win32') {
    return "Add your Windows user to the local 'docker-users' group (Computer Management > Local Users and Groups), then sign out and back in.";
  }
  if (
    endpoint.flavor === 'podman' &&
    endpoint.source === 'podman' &&
    address.includes('/run/podman/')
  ) {
    return 'The rootful Podman socket belongs to root. Use rootless Podman instead: `systemctl --user enable --now podman.socket`, then try again.';
  }
  if (platform === 'darwin') {
    return `Your user may not open ${address}. Restart ${endpoint.flavor === 'docker' ? 'Docker Desktop' : endpoint.label} (it recreates the socket with your permissions), or check it with \`ls -l\`.`;
  }
  return 'Add your user to the `docker` group: `sudo usermod -aG docker $USER`, then log out and back in (or run `newgrp docker` in this terminal), and try again.';
}

export function notInstalledHint(platform: Platform): string {
  if (platform === 'darwin') {
    return 'Install Docker Desktop (https://www.docker.com/products/docker-desktop/), or OrbStack, Colima or Rancher Desktop, start it, then try again.';
  }
  if (platform === 'win32') {
    return 'Install Docker Desktop (https://www.docker.com/products/docker-desktop/) with the WSL 2 backend, or Podman Desktop, start it, then try again.';
  }
  return 'Install Docker Engine (https://docs.docker.com/engine/install/) or Podman, start it (`sudo systemctl start docker`), then try again.';
}

export function tooOldHint(flavor: EngineFlavor, platform: Platform): string {
  if (flavor === 'podman') {
    return `Update Podman to version 3 or newer (it speaks Docker API ${MIN_API_VERSION}+), then try again.`;
  }
  if (platform === 'linux' && flavor !== 'docker-desktop') {
    return `Update Docker Engine to 19.03 or newer (API ${MIN_API_VERSION}+), e.g. from https://docs.docker.com/engine/install/, then try again.`;
  }
  return `Update ${flavor === 'docker' || flavor === 'docker-desktop' || flavor === 'unknown' ? 'Docker Desktop' : 'your container engine'} to a current version (API ${MIN_API_VERSION}+), then try again.`;
}

function restartAdvice(endpoint: EngineEndpoint, platform: Platform): string {
  if (endpoint.transport === 'tcp')
    return 'check the engine on that host and the network in between';
  if (endpoint.flavor === 'docker' && platform === 'linux')
    return 'restart it with `sudo systemctl restart docker`';
  const product =
    endpoint.flavor === 'docker' || endpoint.flavor === 'unknown'
      ? 'Docker Desktop'
      : endpoint.label;
  return `restart ${product}`;
}

export function timeoutHint(endpoint: EngineEndpoint, platform: Platform): string {
  return `The engine may still be starting or may be stuck. Wait a moment and try again; if it keeps happening, ${restartAdvice(endpoint, platform)}.`;
}

export function hostUnreachableHint(endpoint: EngineEndpoint): string {
  const where = endpoint.transport === 'tcp' ? endpoint.host : endpointAddress(endpoint);
  return `Check that ${where} is reachable from this computer (network, VPN, firewall) and that the engine address (DOCKER_HOST, Docker context or pinned setting) is right.`;
}

export const TLS_HINT =
  'Check the TLS setup: DOCKER_TLS_VERIFY and DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem) must match the certificates of the engine; an engine without TLS listens on tcp://…:2375 instead.';

export function notAnEngineHint(endpoint: EngineEndpoint): string {
  return `Something answers at ${endpointAddress(endpoint)}, but not like a Docker-compatible engine. Check the engine address (DOCKER_HOST, Docker context or pinned setting).`;
}

export function engineErrorHint(endpoint: EngineEndpoint, platform: Platform): string {
  return `The engine reported an internal error; it may still be starting. Wait a moment and try again; if it persists, ${restartAdvice(endpoint, platform)}.`;
}
