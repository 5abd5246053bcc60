/**
 * Where the `http` queue may connect. An http job returns the whole response, so a job could read
 * the cloud metadata service (169.254.169.254) or services on the private network around the
 * machine. Link-local addresses are refused always; private and loopback addresses unless the
 * worker's pool allows them (its allowPrivateNetworks setting: workers.allowPrivateNetworks for
 * the default pool, pools.NAME.allowPrivateNetworks for the others; passed as
 * GUILDHALL_ALLOW_PRIVATE_NETWORKS=1). The subnets the worker itself sits on (the cluster's own
 * network: Redis, the other workers, containers the user attached) stay reachable, except their
 * gateways: a bridge's gateway is the host itself, so it is a private address like any other.
 *
 * The check runs on the addresses a name resolves to, inside the connection's own lookup, so the
 * socket connects to exactly the address that was checked (no second resolution to race).
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { WORKER_ENV } from '../../../../main/shared/worker-contract';

export interface NetworkPolicy {
  allowPrivate: boolean;
  /** The setting that allows private addresses, as the refusal names it. */
  setting?: string;
  /** Subnets reachable whatever the setting (the worker's own networks). */
  own: BlockList;
  /** Addresses in `own` that are the host (the networks' gateways): private all the same. */
  gateways?: BlockList;
}

const LINK_LOCAL = new BlockList();
LINK_LOCAL.addSubnet('169.254.0.0', 16, 'ipv4');
LINK_LOCAL.addSubnet('fe80::', 10, 'ipv6');

const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv4');
}
PRIVATE.addSubnet('fc00::', 7, 'ipv6');
PRIVATE.addAddress('::1', 'ipv6');
PRIVATE.addAddress('::', 'ipv6');

/** The worker's own subnets: its non-loopback interfaces' networks. */
function ownSubnets(): BlockList {
  const own = new BlockList();
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) {
      if (entry.internal || !entry.cidr) continue;
      if (entry.family === 'IPv4' && LINK_LOCAL.check(entry.address, 'ipv4')) continue;
      if (entry.family === 'IPv6' && LINK_LOCAL.check(entry.address, 'ipv6')) continue;
      const [net, prefix] = entry.cidr.split('/');
      own.addSubnet(net!, Number(prefix), entry.family === 'IPv4' ? 'ipv4' : 'ipv6');
    }
  }
  return own;
}

/** An IPv4 address as a number, and back. */
const ipv4Number = (address: string) =>
  address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
const ipv4Text = (n: number) => [24, 16, 8, 0].map((shift) => (n >>> shift) & 255).join('.');

/**
 * The host's addresses on the worker's networks: the default route's gateway (from the kernel's
 * route table, `routeTable`), and the first address of each IPv4 subnet the worker sits on, which
 * is where Docker and Podman put a bridge's gateway unless told otherwise.
 */
export function gatewayAddresses(routeTable = readRouteTable()): BlockList {
  const gateways = new BlockList();
  for (const line of routeTable.split('\n').slice(1)) {
    const [, destination, gateway] = line.trim().split(/\s+/);
    if (destination !== '00000000' || !gateway || /^0+$/.test(gateway)) continue;
    // The kernel writes the address as a little-endian hex number.
    const n = Number.parseInt(gateway, 16);
    gateways.addAddress([0, 8, 16, 24].map((shift) => (n >>> shift) & 255).join('.'), 'ipv4');
  }
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) {
      if (entry.internal || entry.family !== 'IPv4' || !entry.cidr) continue;
      const prefix = Number(entry.cidr.split('/')[1]);
      if (prefix >= 31) continue;
      const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
      gateways.addAddress(ipv4Text(((ipv4Number(entry.address) & mask) >>> 0) + 1), 'ipv4');
    }
  }
  return gateways;
}

function readRouteTable(): string {
  try {
    return readFileSync('/proc/net/route', 'utf8');
  } catch {
    return '';
  }
}

export function networkPolicy(env: NodeJS.ProcessEnv = process.env): NetworkPolicy {
  const pool = env[WORKER_ENV.pool];
  return {
    allowPrivate: env[WORKER_ENV.allowPrivateNetworks] === '1',
    setting: pool ? `pools.${pool}.allowPrivateNetworks` : 'workers.allowPrivateNetworks',
    own: ownSubnets(),
    gateways: gatewayAddresses(),
  };
}

export class BlockedAddressError extends Error {
  override readonly name = 'BlockedAddressError';
}

/** Why connecting to `address` is refused ("a link-local address, …"), or null when allowed. */
export function blockedReason(address: string, policy: NetworkPolicy): string | null {
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  if (LINK_LOCAL.check(address, family)) {
    return `a link-local address (such as a cloud metadata service), which http jobs may never reach`;
  }
  if (
    !policy.allowPrivate &&
    PRIVATE.check(address, family) &&
    (!policy.own.check(address, family) || policy.gateways?.check(address, family))
  ) {
    return `a private or loopback address, which http jobs reach only when the cluster setting ${policy.setting ?? 'workers.allowPrivateNetworks'} is on`;
  }
  return null;
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http.request / net.connect: resolves like dns.lookup, then refuses the name when
 * any address it resolves to is blocked.
 */
export function guardedLookup(policy: NetworkPolicy, resolve = dnsLookup) {
  return (
    hostname: string,
    options: { all?: boolean; family?: number },
    callback: LookupCallback,
  ) => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses as LookupAddress[];
      for (const { address } of list) {
        const reason = blockedReason(address, policy);
        if (reason)
          return callback(
            new BlockedAddressError(`${hostname} resolves to ${address}, ${reason}`),
            [],
          );
      }
      if (options.all) return callback(null, list);
      const first = list[0];
      if (!first)
        return callback(
          Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }),
          [],
        );
      callback(null, first.address, first.family);
    });
  };
}
