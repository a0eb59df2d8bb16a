// What `regctl expose` reads, in one wave whatever the platform turns out to be: discovery, the
// registry's service, workloads and serving secrets, the route or Ingress in front of it, and
// (4.x) the operator's Config, image.config and the route's TLS secret. Kinds a platform does
// not serve come back undefined.
import type { Cluster, ClusterInfo } from '../../cluster/types.js';
import type { KubeObject } from '../../objects.js';
import { SERVING_SECRETS } from '../../registry/certificates.js';
import { getIfServed, readRegistryWorkloads, type RegistryWorkloads } from '../../registry/find.js';
import { IMAGE_REF } from '../../templates/image-config.js';
import { CONFIG_REF, OPERATOR_NAMESPACE } from '../../templates/operator.js';
import { ROUTE_NAME } from '../../templates/route.js';
import type { ExposeOptions } from './options.js';
import { registryService } from '../../registry/workload.js';


export interface ExposeLive {
  info: ClusterInfo;
  server: string;
  namespace: string;
  service?: KubeObject;
  route?: KubeObject;
  ingress?: KubeObject;
  workloads: RegistryWorkloads;
  /** SERVING_SECRETS, in order. */
  servingSecrets: (KubeObject | undefined)[];
  operatorConfig?: KubeObject;
  imageConfig?: KubeObject;
  tlsSecret?: KubeObject;
}

export async function readLive(o: ExposeOptions, cluster: Cluster): Promise<ExposeLive> {
  const ns = cluster.namespace;
  const [info, service, route, ingress, workloads, servingSecrets, operatorConfig, imageConfig, tlsSecret] = await Promise.all([
    cluster.info(),
    registryService(cluster, ns),
    getIfServed(cluster, { apiVersion: 'route.openshift.io/v1', kind: 'Route', name: ROUTE_NAME, namespace: ns }),
    o.ingress ? getIfServed(cluster, { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: ROUTE_NAME, namespace: ns }) : undefined,
    readRegistryWorkloads(cluster, ns),
    Promise.all(SERVING_SECRETS.map((s) => cluster.get({ apiVersion: 'v1', kind: 'Secret', name: s.name, namespace: ns }))),
    getIfServed(cluster, CONFIG_REF),
    o.externalHostname ? getIfServed(cluster, IMAGE_REF) : undefined,
    o.tlsSecret ? cluster.get({ apiVersion: 'v1', kind: 'Secret', name: o.tlsSecret, namespace: OPERATOR_NAMESPACE }) : undefined,
  ]);
  return { info, server: cluster.server, namespace: ns, service, route, ingress, workloads, servingSecrets, operatorConfig, imageConfig, tlsSecret };
}
