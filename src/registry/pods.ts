// The registry's pods, as logs and status read them: where it runs (src/registry/workload.ts:
// `docker-registry` as a DeploymentConfig, Deployment or DaemonSet; 4.x the operator's
// `image-registry` in openshift-image-registry, seed 002 5.4), its pods by the workload's
// selector, and their registry container.
import type { Cluster, ClusterInfo } from '../cluster/types.js';
import type { KubeObject } from '../objects.js';
import { REGISTRY_CONTAINER } from '../templates/registry.js';
import { registryName, registryNamespace } from './workload.js';

export interface RegistryLocation {
  namespace: string;
  /** The workload's name and Service's name: docker-registry, or image-registry on 4.x. */
  name: string;
  /** The kinds looked for, in order, for messages. */
  kinds: string[];
}

export function registryLocation(info: ClusterInfo, namespace: string): RegistryLocation {
  const kinds = [...(info.platform === 'openshift3' ? ['DeploymentConfig'] : []), 'Deployment', 'DaemonSet'];
  return { namespace: registryNamespace(info.platform, namespace), name: registryName(info.platform), kinds };
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
