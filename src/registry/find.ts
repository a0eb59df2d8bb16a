// Finding the registry on a cluster: its workload (whichever kind it was deployed as), its
// service, the routes and ingresses in front of it. Reads go through the Cluster interface and
// are meant to be sent in one wave by a command's live.ts.
import type { Cluster } from '../cluster/types.js';
import { OperationError } from '../errors.js';
import type { KubeObject, ObjectRef } from '../objects.js';
import { REGISTRY_NAME } from '../templates/registry.js';

export type RegistryWorkloadKind = 'DeploymentConfig' | 'Deployment' | 'DaemonSet';

export const WORKLOAD_API: Record<RegistryWorkloadKind, string> = { DeploymentConfig: 'apps.openshift.io/v1', Deployment: 'apps/v1', DaemonSet: 'apps/v1' };
const WORKLOAD_KINDS = Object.keys(WORKLOAD_API) as RegistryWorkloadKind[];

const notServed = (e: unknown) => (e as { status?: number })?.status === 404;

/** The object, or undefined when it does not exist or its API is not served here (a DeploymentConfig on Kubernetes). */
export async function getIfServed<T extends KubeObject = KubeObject>(cluster: Cluster, ref: ObjectRef): Promise<T | undefined> {
  try {
    return await cluster.get<T>(ref);
  } catch (e) {
    if (notServed(e)) return undefined;
    throw e;
  }
}

/** The list, or undefined when the API is not served or the user may not list it (nodes, for most users). */
export async function listIfReadable<T extends KubeObject = KubeObject>(cluster: Cluster, apiVersion: string, kind: string, namespace?: string): Promise<T[] | undefined> {
  try {
    return await cluster.list<T>(apiVersion, kind, { namespace });
  } catch (e) {
    const status = (e as { status?: number })?.status;
    if (status === 404 || status === 403 || status === 401) return undefined;
    throw e;
  }
}

export type RegistryWorkloads = Partial<Record<RegistryWorkloadKind, KubeObject>>;

/** Every kind the registry may run as, read at once (no wait for discovery). */
export async function readRegistryWorkloads(cluster: Cluster, namespace: string): Promise<RegistryWorkloads> {
  const found = await Promise.all(WORKLOAD_KINDS.map((kind) => getIfServed(cluster, { apiVersion: WORKLOAD_API[kind], kind, name: REGISTRY_NAME, namespace })));
  return Object.fromEntries(WORKLOAD_KINDS.map((k, i) => [k, found[i]]).filter(([, w]) => w !== undefined));
}

/** `no DeploymentConfig, Deployment or DaemonSet "docker-registry" in namespace x`: what finding the registry failed on. */
export function noWorkload(kinds: readonly string[], name: string, namespace: string): string {
  return `no ${kinds.join(', ').replace(/, (?=[^,]*$)/, ' or ')} "${name}" in namespace ${namespace}`;
}

/** The registry's workload: the kind asked for, else the first that exists (DeploymentConfig, Deployment, DaemonSet). */
export function chooseWorkload(found: RegistryWorkloads, namespace: string, kind?: RegistryWorkloadKind): KubeObject {
  const kinds = kind ? [kind] : WORKLOAD_KINDS;
  for (const k of kinds) if (found[k]) return found[k]!;
  throw new OperationError(
    noWorkload(kinds, REGISTRY_NAME, namespace),
    kind ? 'leave out --daemonset/--deployment to find the registry by itself, or run regctl deploy' : 'run regctl deploy',
  );
}

/** The first workload that exists, for checks that take any kind (expose's TLS check). */
export function anyWorkload(found: RegistryWorkloads): KubeObject | undefined {
  return WORKLOAD_KINDS.map((k) => found[k]).find((w) => w !== undefined);
}

type Container = { name?: string; env?: { name: string; value?: string }[]; livenessProbe?: Probe; readinessProbe?: Probe };
type Probe = { httpGet?: { scheme?: string } };

function containersOf(workload: KubeObject): Container[] {
  return ((workload.spec as { template?: { spec?: { containers?: Container[] } } } | undefined)?.template?.spec?.containers ?? []) as Container[];
}

/** Why the workload serves TLS (its certificate env or HTTPS probes), or undefined when it does not. */
export function tlsEvidence(workload: KubeObject): string | undefined {
  const containers = containersOf(workload);
  for (const c of containers) {
    const env = (c.env ?? []).find((e) => e.name === 'REGISTRY_HTTP_TLS_CERTIFICATE' && e.value);
    if (env) return `REGISTRY_HTTP_TLS_CERTIFICATE=${env.value}`;
  }
  for (const c of containers) {
    if (c.livenessProbe?.httpGet?.scheme === 'HTTPS' || c.readinessProbe?.httpGet?.scheme === 'HTTPS') return 'HTTPS probes';
  }
  return undefined;
}

/** The host the registry answers on inside the cluster when set (REGISTRY_OPENSHIFT_SERVER_ADDR, seed 000). */
export function registryServerAddr(workload: KubeObject): string | undefined {
  for (const c of containersOf(workload)) {
    const v = (c.env ?? []).find((e) => e.name === 'REGISTRY_OPENSHIFT_SERVER_ADDR')?.value;
    if (v) return v;
  }
  return undefined;
}

/**
 * The host names clients reach the registry's own certificate by: passthrough routes to its
 * service (the router hands TLS through), and passthrough Ingresses to it.
 */
export function passthroughHosts(routes: KubeObject[] | undefined, ingresses: KubeObject[] | undefined): string[] {
  const hosts: string[] = [];
  for (const r of routes ?? []) {
    const spec = r.spec as { host?: string; to?: { name?: string }; tls?: { termination?: string } } | undefined;
    if (spec?.to?.name === REGISTRY_NAME && spec.tls?.termination === 'passthrough' && spec.host) hosts.push(spec.host);
  }
  for (const i of ingresses ?? []) {
    if (i.metadata.annotations?.['nginx.ingress.kubernetes.io/ssl-passthrough'] !== 'true') continue;
    const rules = (i.spec as { rules?: { host?: string; http?: { paths?: { backend?: { service?: { name?: string } } }[] } }[] } | undefined)?.rules ?? [];
    for (const rule of rules) if (rule.host && rule.http?.paths?.some((p) => p.backend?.service?.name === REGISTRY_NAME)) hosts.push(rule.host);
  }
  return [...new Set(hosts)];
}
