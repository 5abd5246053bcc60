/**
 * The http guard's view of the worker's own networks (issue 19, item 3): containers on the
 * cluster's network stay reachable, but a network's gateway is the host, a private address that
 * http jobs reach only when the pool allows private networks.
 */
import { BlockList } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  blockedReason,
  gatewayAddresses,
  type NetworkPolicy,
} from '../../resources/worker/src/processors/network-guard';

const own = new BlockList();
own.addSubnet('172.30.0.0', 16, 'ipv4');

// /proc/net/route of a container on 172.30.0.0/16 whose default route goes through 172.30.0.1.
const ROUTES = [
  'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT',
  'eth0\t00000000\t01001EAC\t0003\t0\t0\t0\t00000000\t0\t0\t0',
  'eth0\t00001EAC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0',
].join('\n');

describe('the http guard and the worker’s own networks', () => {
  it('reads the default route’s gateway from the kernel’s route table', () => {
    const gateways = gatewayAddresses(ROUTES);
    expect(gateways.check('172.30.0.1', 'ipv4')).toBe(true);
    expect(gateways.check('172.30.0.2', 'ipv4')).toBe(false);
    expect(gatewayAddresses('').check('172.30.0.1', 'ipv4')).toBe(false);
  });

  it('lets containers on its own network through, but not the gateway (the host)', () => {
    const gateways = new BlockList();
    gateways.addAddress('172.30.0.1', 'ipv4');
    const policy: NetworkPolicy = { allowPrivate: false, own, gateways };
    expect(blockedReason('172.30.0.5', policy)).toBeNull();
    expect(blockedReason('172.30.0.1', policy)).toMatch(/a private or loopback address/);
    expect(blockedReason('172.30.0.1', { ...policy, allowPrivate: true })).toBeNull();
  });
});
