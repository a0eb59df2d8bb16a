// What `regctl override-config` reads from the cluster, in one wave where it can: discovery,
// the registry workload (DeploymentConfig, Deployment or DaemonSet), registry-config and
// registry-config-previous (each a ConfigMap or a Secret), Secret registry-cloudfront-key; then
// the config the workload mounts, if it is another object.
import type { Cluster } from '../../cluster/types.js';
import { OperationError } from '../../errors.js';
import type { KubeObject } from '../../plan/types.js';
import { REGISTRY_NAME } from '../../templates/registry.js';
import { CONFIG_MAP_NAME } from '../../templates/registry-config.js';
import { CLOUDFRONT_KEY_SECRET, configText, mountedConfigSource, PREVIOUS_CONFIG_MAP, type LiveConfigState } from '../../templates/registry-config-plan.js';
import { getIfServed } from '../../registry/find.js';

export interface OverrideLive extends LiveConfigState {
  /** Every object read, for the steps to find the live version of what they change. */
  objects: KubeObject[];
  /** Said before planning: a mounted object without config.yml. */
  warnings: string[];
}

const CANDIDATES = [
  { apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet' },
];

/** Not served (no apps.openshift.io on Kubernetes) reads as absent. */

export async function readLive(cluster: Cluster): Promise<OverrideLive> {
  const ns = cluster.namespace;
  const cmRef = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', name, namespace: ns });
  const secretRef = (name: string) => ({ apiVersion: 'v1', kind: 'Secret', name, namespace: ns });
  const [info, configMap, previousCM, secret, previousSecret, cloudfrontKey, ...workloads] = await Promise.all([
    cluster.info(),
    cluster.get(cmRef(CONFIG_MAP_NAME)),
    cluster.get(cmRef(PREVIOUS_CONFIG_MAP)),
    cluster.get(secretRef(CONFIG_MAP_NAME)),
    cluster.get(secretRef(PREVIOUS_CONFIG_MAP)),
    cluster.get(secretRef(CLOUDFRONT_KEY_SECRET)),
    ...CANDIDATES.map((c) => getIfServed(cluster, { ...c, name: REGISTRY_NAME, namespace: ns })),
  ]);
  if (info.platform === 'openshift4') {
    throw new OperationError(`the cluster at ${cluster.server} is OpenShift 4: the Image Registry Operator owns the registry's configuration (configs.imageregistry.operator.openshift.io/cluster); a mounted config.yml would be overwritten`);
  }
  if (info.platform === 'kubernetes') {
    throw new OperationError(`the cluster at ${cluster.server} is plain Kubernetes: its registry is the upstream one, which has no OpenShift middleware, so these rules and overrides do not apply`);
  }
  const workload = workloads.find((w) => w !== undefined);
  if (!workload) throw new OperationError(`no registry in namespace ${ns}: no DeploymentConfig, Deployment or DaemonSet "${REGISTRY_NAME}"`, 'deploy it first: regctl deploy (or give the namespace with -n)');
  const warnings: string[] = [];
  // The backup is a Secret when what it saved holds credentials (only one of the two is kept).
  const previous = previousSecret ?? previousCM;
  const objects = [workload, configMap, secret, previousCM, previousSecret, cloudfrontKey].filter((o): o is KubeObject => o !== undefined);
  const source = mountedConfigSource(workload);
  let current: LiveConfigState['current'];
  if (source) {
    const known = source.name === CONFIG_MAP_NAME ? (source.kind === 'ConfigMap' ? configMap : secret) : undefined;
    const obj = known ?? (await cluster.get({ apiVersion: 'v1', kind: source.kind, name: source.name, namespace: ns }));
    const text = configText(obj);
    if (text !== undefined) current = { text, source: `${source.kind.toLowerCase()}/${source.name}` };
    else warnings.push(`${workload.kind.toLowerCase()}/${REGISTRY_NAME} mounts ${source.kind.toLowerCase()}/${source.name} at /etc/docker/registry/, but it has no config.yml`);
  }
  return { namespace: ns, workload, configMap, secret, previous, current, cloudfrontKey, objects, warnings };
}
