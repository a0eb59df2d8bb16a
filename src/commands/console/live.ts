// What `regctl console` reads, in one wave: discovery, the two routes, and every object of the
// registry-console template (the ImageStream too: whether the release has one is known only
// once discovery says the version).
import type { Cluster, ClusterInfo } from '../../cluster/types.js';
import { OperationError } from '../../errors.js';
import type { KubeObject, ObjectRef } from '../../objects.js';
import { getIfServed } from '../../registry/find.js';
import { CERT_SECRET, CONSOLE_NAME, CONSOLE_ROUTE, OAUTH_CLIENT_ID, REGISTRY_ROUTE } from '../../templates/console.js';

export type Obj = KubeObject & { spec?: any; data?: Record<string, string>; redirectURIs?: string[] };

export interface ConsoleLive {
  info: ClusterInfo;
  server: string;
  namespace: string;
  registryRoute?: Obj;
  consoleRoute?: Obj;
  /** The template's objects that exist, by kind. */
  objects: Map<string, Obj | undefined>;
}

export const consoleRefs = (ns: string): Record<string, ObjectRef> => ({
  Secret: { apiVersion: 'v1', kind: 'Secret', name: CERT_SECRET, namespace: ns },
  DeploymentConfig: { apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig', name: CONSOLE_NAME, namespace: ns },
  Service: { apiVersion: 'v1', kind: 'Service', name: CONSOLE_NAME, namespace: ns },
  ImageStream: { apiVersion: 'image.openshift.io/v1', kind: 'ImageStream', name: CONSOLE_NAME, namespace: ns },
  OAuthClient: { apiVersion: 'oauth.openshift.io/v1', kind: 'OAuthClient', name: OAUTH_CLIENT_ID },
});

const route = (name: string, namespace: string): ObjectRef => ({ apiVersion: 'route.openshift.io/v1', kind: 'Route', name, namespace });

/** OpenShift 4 and Kubernetes have no registry console: say where to look instead. */
function refuseOtherPlatforms(info: ClusterInfo, server: string): void {
  if (info.platform === 'openshift4') {
    throw new OperationError(
      `the cluster at ${server} is OpenShift 4: there is no separate registry console; browsing images and image streams is part of the web console`,
      'open the web console (its URL: oc whoami --show-console), Builds → Image Streams',
    );
  }
  if (info.platform === 'kubernetes') {
    throw new OperationError(`the cluster at ${server} is plain Kubernetes: the registry console needs OpenShift (its OAuth server, routes and image streams) and is not available there`);
  }
}

export async function readLive(cluster: Cluster): Promise<ConsoleLive> {
  const ns = cluster.namespace;
  const refs = Object.entries(consoleRefs(ns));
  const [info, registryRoute, consoleRoute, ...objs] = await Promise.all([
    cluster.info(),
    getIfServed<Obj>(cluster, route(REGISTRY_ROUTE, ns)),
    getIfServed<Obj>(cluster, route(CONSOLE_ROUTE, ns)),
    ...refs.map(([, ref]) => getIfServed<Obj>(cluster, ref)),
  ]);
  refuseOtherPlatforms(info, cluster.server);
  return { info, server: cluster.server, namespace: ns, registryRoute, consoleRoute, objects: new Map(refs.map(([kind], i) => [kind, objs[i]])) };
}
