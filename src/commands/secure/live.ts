// What `regctl secure` reads from the cluster, in one wave: discovery, the service, every kind
// the registry may run as, the certificates Secret, the service accounts to link, the routes
// and ingresses in front of the registry (names to keep) and the nodes (their runtime).
import type { Cluster, ClusterInfo } from '../../cluster/types.js';
import { OperationError } from '../../errors.js';
import type { KubeObject } from '../../objects.js';
import { chooseWorkload, listIfReadable, passthroughHosts, readRegistryWorkloads, registryServerAddr } from '../../registry/find.js';
import { CERTS_SECRET } from '../../registry/certificates.js';
import { nodeRuntimes, type NodeRuntime } from '../../registry/trust.js';
import { REGISTRY_NAME } from '../../templates/registry.js';
import { workloadServiceAccount } from '../../templates/secure.js';
import type { SecureOptions } from './options.js';
import { registryService } from '../../registry/workload.js';

/** The service account `regctl deploy` (and `oc adm registry`) runs the registry as. */
const DEPLOYED_SERVICE_ACCOUNT = 'registry';

export interface SecureLive {
  info: ClusterInfo;
  server: string;
  namespace: string;
  service: KubeObject;
  workload: KubeObject;
  secret?: KubeObject;
  /** The service accounts to link that exist (the pods' own and `default`). */
  serviceAccounts: KubeObject[];
  /** Those of them that do not exist (nothing to link). */
  missingServiceAccounts: string[];
  /** Hosts clients reach the registry's own certificate by: passthrough routes and ingresses. */
  routeHosts: string[];
  /** REGISTRY_OPENSHIFT_SERVER_ADDR of the workload, when set. */
  serverAddr?: string;
  /** The container runtimes the nodes report; undefined when the nodes cannot be read. */
  runtimes?: NodeRuntime[];
}

export async function readLive(o: SecureOptions, cluster: Cluster): Promise<SecureLive> {
  const namespace = cluster.namespace;
  const sa = (name: string) => cluster.get({ apiVersion: 'v1', kind: 'ServiceAccount', name, namespace });
  const [info, service, workloads, secret, deployedSA, defaultSA, routes, ingresses, nodes] = await Promise.all([
    cluster.info(),
    registryService(cluster, namespace),
    readRegistryWorkloads(cluster, namespace),
    cluster.get({ apiVersion: 'v1', kind: 'Secret', name: CERTS_SECRET, namespace }),
    sa(DEPLOYED_SERVICE_ACCOUNT),
    sa('default'),
    listIfReadable(cluster, 'route.openshift.io/v1', 'Route', namespace),
    listIfReadable(cluster, 'networking.k8s.io/v1', 'Ingress', namespace),
    listIfReadable(cluster, 'v1', 'Node'),
  ]);
  if (info.platform === 'openshift4') {
    throw new OperationError(`the cluster at ${cluster.server} is OpenShift 4: the Image Registry Operator serves the registry over TLS already (service CA); regctl secure is for 3.x and Kubernetes`);
  }
  if (!service) throw new OperationError(`service "${REGISTRY_NAME}" not found in namespace ${namespace}: there is no registry to secure`, 'run regctl deploy');
  const workload = chooseWorkload(workloads, namespace, o.workloadKind);
  const accounts = new Map<string, KubeObject | undefined>([
    [DEPLOYED_SERVICE_ACCOUNT, deployedSA],
    ['default', defaultSA],
  ]);
  const own = workloadServiceAccount(workload);
  // Deployed under another service account (rare): one more read, after the workload is known.
  if (!accounts.has(own)) accounts.set(own, await sa(own));
  const names = [...new Set([own, 'default'])];
  return {
    info,
    server: cluster.server,
    namespace,
    service,
    workload,
    secret,
    serviceAccounts: names.map((n) => accounts.get(n)).filter((s): s is KubeObject => s !== undefined),
    missingServiceAccounts: names.filter((n) => accounts.get(n) === undefined),
    routeHosts: passthroughHosts(routes, ingresses),
    serverAddr: registryServerAddr(workload),
    runtimes: nodeRuntimes(nodes),
  };
}
