/**
 * The audit target for a cluster action, `cluster:<name>`, the same from every face, so the
 * Activity page's target filter finds the CLI's, the tray's and the console's actions alike.
 * Takes the core's cluster service by shape (the audit sits below the cluster layer).
 */
export interface ClusterNameSource {
  cluster: { spec(): Promise<{ spec: { name: string } }> };
}

export async function clusterTarget(core: ClusterNameSource): Promise<string> {
  try {
    return `cluster:${(await core.cluster.spec()).spec.name}`;
  } catch {
    // Settings unreadable: the action will say why; the entry still names its kind of target.
    return 'cluster';
  }
}
