// What `metrics enable` and `metrics query` read.
import type { Cluster, ClusterInfo } from '../../cluster/types.js';
import { OperationError } from '../../errors.js';
import type { KubeObject } from '../../objects.js';
import { registryLocation, type RegistryLocation } from '../../registry/pods.js';
import { findRegistryWorkload } from '../../registry/workload.js';
import { METRICS_PATH, SCRAPER_ROLE } from '../../templates/metrics.js';
import { noWorkload } from '../../registry/find.js';

const RBAC = 'rbac.authorization.k8s.io/v1';

export interface EnableLive {
  info: ClusterInfo;
  loc: RegistryLocation;
  workload?: KubeObject;
  role?: KubeObject;
  binding?: KubeObject;
}

function refuseKubernetes(info: ClusterInfo, server: string): void {
  if (info.platform === 'kubernetes') {
    throw new OperationError(`the cluster at ${server} is plain Kubernetes: the upstream registry has no ${METRICS_PATH} (that is OpenShift's registry)`);
  }
}

export async function readEnableLive(cluster: Cluster): Promise<EnableLive> {
  const info = await cluster.info();
  refuseKubernetes(info, cluster.server);
  const loc = registryLocation(info, cluster.namespace);
  const [workload, role, binding] = await Promise.all([
    info.platform === 'openshift3' ? findRegistryWorkload(cluster, info.platform, loc.namespace) : undefined,
    cluster.get({ apiVersion: RBAC, kind: 'ClusterRole', name: SCRAPER_ROLE }),
    cluster.get({ apiVersion: RBAC, kind: 'ClusterRoleBinding', name: SCRAPER_ROLE }),
  ]);
  if (info.platform === 'openshift3' && !workload) throw new OperationError(noWorkload(loc.kinds, loc.name, loc.namespace), 'give the registry\'s namespace with -n, or run regctl deploy');
  return { info, loc, workload, role, binding };
}

export interface QueryLive {
  info: ClusterInfo;
  loc: RegistryLocation;
  workload?: KubeObject;
  service?: KubeObject;
  routes: KubeObject[];
}

export async function readQueryLive(cluster: Cluster): Promise<QueryLive> {
  const info = await cluster.info();
  refuseKubernetes(info, cluster.server);
  const loc = registryLocation(info, cluster.namespace);
  const [workload, service, routes] = await Promise.all([
    findRegistryWorkload(cluster, info.platform, loc.namespace),
    cluster.get({ apiVersion: 'v1', kind: 'Service', name: loc.name, namespace: loc.namespace }),
    cluster.list('route.openshift.io/v1', 'Route', { namespace: loc.namespace }),
  ]);
  return { info, loc, workload, service, routes };
}
