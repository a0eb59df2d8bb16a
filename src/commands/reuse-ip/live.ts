// What reuse-ip reads before planning, at once: discovery, the Service and its workload, the
// other registry objects (kept when they exist), and the privileged SCC when --mount-host needs it.
import type { Cluster, ClusterInfo } from '../../cluster/types.js';
import type { KubeObject } from '../../plan/types.js';
import type { DeployOptions } from '../../registry/options.js';
import { PRIVILEGED_SCC } from '../../registry/scc.js';
import { getIfServed } from '../../registry/find.js';
import { registryService, registryWorkloads } from '../../registry/workload.js';
import { REGISTRY_ROLE_BINDING, TLS_SECRET } from '../../templates/registry.js';

export interface ReuseIpLive {
  server: string;
  namespace: string;
  info: ClusterInfo;
  service?: KubeObject;
  workloads: KubeObject[];
  serviceAccount?: KubeObject;
  roleBinding?: KubeObject;
  tlsSecret?: KubeObject;
  scc?: KubeObject;
}

export async function readLive(cluster: Cluster, o: DeployOptions): Promise<ReuseIpLive> {
  const ns = cluster.namespace;
  const [info, service, workloads, serviceAccount, roleBinding, tlsSecret, scc] = await Promise.all([
    cluster.info(),
    registryService(cluster, ns),
    registryWorkloads(cluster, ns),
    cluster.get({ apiVersion: 'v1', kind: 'ServiceAccount', name: o.serviceAccount, namespace: ns }),
    cluster.get({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: REGISTRY_ROLE_BINDING }),
    o.tlsCertificatePath ? cluster.get({ apiVersion: 'v1', kind: 'Secret', name: TLS_SECRET, namespace: ns }) : undefined,
    o.storage.type === 'hostPath' ? getIfServed(cluster, PRIVILEGED_SCC) : undefined,
  ]);
  return { server: cluster.server, namespace: ns, info, service, workloads, serviceAccount, roleBinding, tlsSecret, scc };
}
