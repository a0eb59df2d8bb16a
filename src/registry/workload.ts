// Where the integrated registry runs, per platform: its namespace, its workload, its Service
// and the routes that expose it. Reads only; shared by the commands that act on the registry.
import type { Cluster, Platform } from '../cluster/types.js';
import type { KubeObject } from '../objects.js';
import { OPERATOR_NAMESPACE as REGISTRY4_NAMESPACE } from '../templates/operator.js';
import { REGISTRY_NAME as REGISTRY3_NAME } from '../templates/registry.js';
import { readRegistryWorkloads, WORKLOAD_API, type RegistryWorkloadKind } from './find.js';

export const REGISTRY4_NAME = 'image-registry';
export const REGISTRY4_DEFAULT_ROUTE = 'default-route';

/** Where the registry's workload may live, in the order it is looked for. */
const WORKLOAD_KINDS = Object.keys(WORKLOAD_API) as RegistryWorkloadKind[];

export const isWorkload = (o: KubeObject): boolean => WORKLOAD_API[o.kind as RegistryWorkloadKind] === o.apiVersion;

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
  const kinds = WORKLOAD_KINDS.filter((k) => platform === 'openshift3' || k !== 'DeploymentConfig');
  const found = await Promise.all(kinds.map((kind) => cluster.get({ apiVersion: WORKLOAD_API[kind], kind, name, namespace })));
  return found.find((o) => o !== undefined);
}

/** 3.x and Kubernetes: the registry's Service in `namespace`, or undefined. */
export function registryService(cluster: Cluster, namespace: string): Promise<KubeObject | undefined> {
  return cluster.get({ apiVersion: 'v1', kind: 'Service', name: REGISTRY3_NAME, namespace });
}

/**
 * 3.x and Kubernetes: every workload named docker-registry in `namespace` (normally one, of any
 * kind: deploy and reuse-ip must see a DaemonSet left beside a DeploymentConfig), in the order
 * DeploymentConfig, Deployment, DaemonSet.
 */
export async function registryWorkloads(cluster: Cluster, namespace: string): Promise<KubeObject[]> {
  // readRegistryWorkloads keeps that order.
  return Object.values(await readRegistryWorkloads(cluster, namespace));
}

export interface RouteObject extends KubeObject {
  spec?: { host?: string; to?: { kind?: string; name?: string }; tls?: { termination?: string } };
  status?: { ingress?: { host?: string; conditions?: { type: string; status: string }[] }[] };
}

/** The host a route is admitted with (status), else the one it asks for. */
export function routeHost(r: RouteObject): string | undefined {
  return r.status?.ingress?.find((i) => i.host)?.host ?? r.spec?.host ?? undefined;
}

/** The registry's address inside the cluster, `name.namespace.svc:port`: its service's first port, 5000 when unknown. */
export function serviceAddress(name: string, namespace: string, service: KubeObject | undefined): string {
  const port = ((service?.spec as { ports?: { port?: number }[] } | undefined)?.ports?.[0]?.port as number | undefined) ?? 5000;
  return `${name}.${namespace}.svc:${port}`;
}

/** Routes in the registry's namespace that send to its Service, the operator's default route first. */
export function registryRoutes(routes: RouteObject[], platform: Platform): RouteObject[] {
  const svc = registryName(platform);
  return routes
    .filter((r) => r.spec?.to?.name === svc && routeHost(r))
    .sort((a, b) => Number(b.metadata.name === REGISTRY4_DEFAULT_ROUTE) - Number(a.metadata.name === REGISTRY4_DEFAULT_ROUTE) || a.metadata.name.localeCompare(b.metadata.name));
}
