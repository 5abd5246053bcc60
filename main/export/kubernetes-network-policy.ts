/**
 * A pool on the internal network (`network: internal`) in the Kubernetes export: a NetworkPolicy
 * that lets its pods reach Redis's pods on Redis's port and the cluster's DNS, and nothing else,
 * and lets nothing in, as the local internal network does (cluster/internal-network.ts). It
 * takes effect where the cluster's network plugin enforces NetworkPolicies (Calico, Cilium…).
 */
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { REDIS_CONTAINER_PORT } from '@shared/worker-contract';
import type { ClusterPool } from '../settings/cluster-spec';
import { kubeObject, labelsOf, selectorOf, type KubeObject } from './kubernetes-objects';

/** The NetworkPolicy's name for a pool. */
export function internalPolicyName(pool: string): string {
  return `${pool}-internal`;
}

/** The note that goes with every such policy. */
export const NETWORK_POLICY_NOTE =
  'is on the internal network: its NetworkPolicy lets it reach only Redis and DNS, where the cluster enforces NetworkPolicies (Calico, Cilium…; not every plugin does).';

/** The policy of a pool on the internal network; null for a pool on the ordinary one. */
export function internalNetworkPolicy(
  cluster: string,
  namespace: string,
  pool: ClusterPool,
): { object: KubeObject; warnings: string[] } | null {
  if (pool.spec.network !== 'internal') return null;
  const dnsPorts = (['UDP', 'TCP'] as const).map((protocol) => ({ protocol, port: 53 }));
  const policy: INetworkPolicy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: internalPolicyName(pool.name),
      namespace,
      labels: labelsOf(cluster, pool.name),
    },
    spec: {
      podSelector: { matchLabels: selectorOf(cluster, pool.name) },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [],
      egress: [
        {
          to: [{ podSelector: { matchLabels: selectorOf(cluster, 'redis') } }],
          ports: [{ protocol: 'TCP', port: REDIS_CONTAINER_PORT }],
        },
        {
          // The cluster's DNS, in whatever namespace it runs: pods find Redis's Service by name.
          to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: dnsPorts,
        },
      ],
    },
  };
  return { object: kubeObject(policy), warnings: [`pool "${pool.name}" ${NETWORK_POLICY_NOTE}`] };
}
