// Where the integrated registry runs, per platform: its namespace, its workload, its Service
// and the routes that expose it. Reads only; shared by the commands that act on the registry.
import type { Cluster, Platform } from '../cluster/types.js';
import type { KubeObject } from '../objects.js';

export const REGISTRY3_NAME = 'docker-registry';
export const REGISTRY4_NAMESPACE = 'openshift-image-registry';
export const REGISTRY4_NAME = 'image-registry';
export const REGISTRY4_DEFAULT_ROUTE = 'default-route';

/** 4.x: the operator's namespace; else -n, else `default` (as `oc adm registry`). */
export function registryNamespace(platform: Platform, namespace: string | undefined): string {
  return platform === 'openshift4' ? REGISTRY4_NAMESPACE : namespace ?? 'default';
}

export function registryName(platform: Platform): string {
  return platform === 'openshift4' ? REGISTRY4_NAME : REGISTRY3_NAME;
}

/** The registry's workload: a DeploymentConfig (3.x), else a Deployment or DaemonSet of that name; read at once. */
export async function findRegistryWorkload(cluster: Cluster, platform: Platform, namespace: string): Promise<KubeObject | undefined> {
  const name = registryName(platform);
  const kinds: [string, string][] = [
    ...(platform === 'openshift3' ? [['apps.openshift.io/v1', 'DeploymentConfig'] as [string, string]] : []),
    ['apps/v1', 'Deployment'],
    ['apps/v1', 'DaemonSet'],
  ];
  const found = await Promise.all(kinds.map(([apiVersion, kind]) => cluster.get({ apiVersion, kind, name, namespace })));
  return found.find((o) => o !== undefined);
}

export interface RouteObject extends KubeObject {
  spec?: { host?: string; to?: { kind?: string; name?: string }; tls?: { termination?: string } };
  status?: { ingress?: { host?: string; conditions?: { type: string; status: string }[] }[] };
}

/** The host a route is admitted with (status), else the one it asks for. */
export function routeHost(r: RouteObject): string | undefined {
  return r.status?.ingress?.find((i) => i.host)?.host ?? r.spec?.host ?? undefined;
}

/** Routes in the registry's namespace that send to its Service, the operator's default route first. */
export function registryRoutes(routes: RouteObject[], platform: Platform): RouteObject[] {
  const svc = registryName(platform);
  return routes
    .filter((r) => r.spec?.to?.name === svc && routeHost(r))
    .sort((a, b) => Number(b.metadata.name === REGISTRY4_DEFAULT_ROUTE) - Number(a.metadata.name === REGISTRY4_DEFAULT_ROUTE) || a.metadata.name.localeCompare(b.metadata.name));
}
