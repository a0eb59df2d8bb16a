// What login must know: the platform, and where the registry answers: the routes that expose
// it and its Service, read at once.
import type { Cluster, Platform } from '../../cluster/types.js';
import type { KubeObject } from '../../objects.js';
import { registryName, registryNamespace, type RouteObject } from '../../registry/workload.js';
import type { LoginOptions } from './options.js';

export interface ServiceObject extends KubeObject {
  spec?: { ports?: { port: number; name?: string }[]; clusterIP?: string };
}

export interface LoginLive {
  platform: Platform;
  namespace: string;
  routes: RouteObject[];
  service?: ServiceObject;
}

export async function readLive(o: LoginOptions, cluster: Cluster): Promise<LoginLive> {
  const { platform } = await cluster.info();
  const namespace = registryNamespace(platform, o.namespace);
  if (platform === 'kubernetes') return { platform, namespace, routes: [] };
  const [routes, service] = await Promise.all([
    cluster.list<RouteObject>('route.openshift.io/v1', 'Route', { namespace }),
    cluster.get<ServiceObject>({ apiVersion: 'v1', kind: 'Service', name: registryName(platform), namespace }),
  ]);
  return { platform, namespace, routes, service };
}
