// Where the registry runs, on each platform: `docker-registry` as a DeploymentConfig, DaemonSet
// or Deployment in the namespace (3.x, `oc adm registry`; Kubernetes), or the 4.x operator's
// Deployment `image-registry` in openshift-image-registry (seed 002 5.4 "oc logs
// deployments/image-registry"). Read-only: logs, status and the registry clients start here.
import type { Cluster, ClusterInfo } from '../cluster/types.js';
import type { KubeObject } from '../objects.js';
import { OPERATOR_NAMESPACE, REGISTRY_DEPLOYMENT_REF } from '../templates/operator.js';
import { REGISTRY_CONTAINER, REGISTRY_NAME } from '../templates/registry.js';

export const REGISTRY_WORKLOADS = [
  { apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig', group: 'apps.openshift.io' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet', group: 'apps' },
  { apiVersion: 'apps/v1', kind: 'Deployment', group: 'apps' },
] as const;

/** The 4.x registry's Service (seed 002: image-registry.openshift-image-registry.svc:5000). */
export const OPERATOR_SERVICE = 'image-registry';

export interface RegistryLocation {
  namespace: string;
  /** The workload's name and Service's name: docker-registry, or image-registry on 4.x. */
  name: string;
  /** The kinds looked for, in order, for messages. */
  kinds: string[];
}

export function registryLocation(info: ClusterInfo, namespace: string): RegistryLocation {
  if (info.platform === 'openshift4') return { namespace: OPERATOR_NAMESPACE, name: REGISTRY_DEPLOYMENT_REF.name, kinds: ['Deployment'] };
  return { namespace, name: REGISTRY_NAME, kinds: REGISTRY_WORKLOADS.filter((w) => info.groups.has(w.group)).map((w) => w.kind) };
}

/** The registry's workload (the first kind that exists, in REGISTRY_WORKLOADS order), or undefined. */
export async function findRegistryWorkload(cluster: Cluster, info: ClusterInfo, loc: RegistryLocation): Promise<KubeObject | undefined> {
  const found = await Promise.all(
    REGISTRY_WORKLOADS.filter((w) => loc.kinds.includes(w.kind)).map((w) => cluster.get({ apiVersion: w.apiVersion, kind: w.kind, name: loc.name, namespace: loc.namespace })),
  );
  return found.find((w) => w !== undefined);
}

/** The label selector of the workload's pods: a DeploymentConfig's map, else matchLabels. */
export function podSelector(workload: KubeObject): string {
  const spec = (workload.spec ?? {}) as { selector?: Record<string, unknown> & { matchLabels?: Record<string, string> } };
  const labels = workload.kind === 'DeploymentConfig' ? (spec.selector as Record<string, string> | undefined) : spec.selector?.matchLabels;
  return Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** The registry's pods, by name. */
export async function registryPods(cluster: Cluster, workload: KubeObject): Promise<KubeObject[]> {
  const labelSelector = podSelector(workload);
  if (!labelSelector) return [];
  const pods = await cluster.list('v1', 'Pod', { namespace: workload.metadata.namespace, labelSelector });
  return pods.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}

/** The registry container of a pod (`registry`), else its first. */
export function registryContainerName(pod: KubeObject): string | undefined {
  const containers = (((pod.spec ?? {}) as { containers?: { name: string }[] }).containers ?? []);
  return (containers.find((c) => c.name === REGISTRY_CONTAINER) ?? containers[0])?.name;
}

/** `deploymentconfig/docker-registry`, as oc spells a workload. */
export function workloadName(w: { kind: string; metadata: { name: string } }): string {
  return `${w.kind.toLowerCase()}/${w.metadata.name}`;
}
