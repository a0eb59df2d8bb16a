// Finding the registry: its Service and its workload (DeploymentConfig, Deployment or DaemonSet
// named docker-registry), whichever of those kinds the cluster serves, read at once.
import type { Cluster, ClusterInfo } from '../cluster/types.js';
import type { KubeObject } from '../plan/types.js';
import { REGISTRY_NAME } from '../templates/registry.js';

/** Where the registry's workload may live, in the order it is looked for. */
export const WORKLOAD_KINDS = [
  { apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig', group: 'apps.openshift.io' },
  { apiVersion: 'apps/v1', kind: 'Deployment', group: 'apps' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet', group: 'apps' },
] as const;

export const isWorkload = (o: KubeObject): boolean => WORKLOAD_KINDS.some((w) => w.kind === o.kind && w.apiVersion === o.apiVersion);

/** The registry's Service in `namespace`, or undefined. */
export function registryService(cluster: Cluster, namespace: string): Promise<KubeObject | undefined> {
  return cluster.get({ apiVersion: 'v1', kind: 'Service', name: REGISTRY_NAME, namespace });
}

/**
 * The registry's workloads in `namespace` (normally one). Each kind is asked for as soon as
 * discovery says the cluster serves it, so this runs in the same wave as the other reads.
 */
export async function registryWorkloads(cluster: Cluster, namespace: string, info: Promise<ClusterInfo>): Promise<KubeObject[]> {
  const { groups } = await info;
  const found = await Promise.all(
    WORKLOAD_KINDS.filter((k) => groups.has(k.group)).map((k) => cluster.get({ apiVersion: k.apiVersion, kind: k.kind, name: REGISTRY_NAME, namespace })),
  );
  return found.filter((w): w is KubeObject => w !== undefined);
}
