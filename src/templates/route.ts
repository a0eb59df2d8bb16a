// Exposing the registry: the 3.x passthrough Route (seed 003, as `oc create route passthrough
// --service=docker-registry` builds it) and the 4.x edits of the operator's Config and of
// image.config.openshift.io/cluster (seed 002 chapter 6, seed 004). Pure functions.
import type { KubeObject } from '../plan/types.js';

export const ROUTE_NAME = 'docker-registry';
/** The name seed 002 gives the first entry of the operator's spec.routes[]. */
export const DEFAULT_OPERATOR_ROUTE = 'public-routes';

export interface PassthroughRouteOptions {
  namespace: string;
  service: string;
  /** Empty: the router assigns `<name>-<namespace>.<router subdomain>`. */
  hostname?: string;
  /** The service port's name (oc uses it when the service names its port). */
  targetPort?: string;
  /** oc copies the service's labels onto the route. */
  labels?: Record<string, string>;
}

/** Passthrough: the router forwards the TLS connection untouched, so the registry's own certificate is what clients see. */
export function passthroughRoute(o: PassthroughRouteOptions): KubeObject {
  return {
    apiVersion: 'route.openshift.io/v1',
    kind: 'Route',
    metadata: { name: ROUTE_NAME, namespace: o.namespace, ...(o.labels && Object.keys(o.labels).length ? { labels: { ...o.labels } } : {}) },
    spec: {
      ...(o.hostname ? { host: o.hostname } : {}),
      ...(o.targetPort ? { port: { targetPort: o.targetPort } } : {}),
      tls: { termination: 'passthrough' },
      to: { kind: 'Service', name: o.service, weight: 100 },
    },
  };
}

export interface PassthroughIngressOptions {
  namespace: string;
  service: string;
  hostname: string;
  port: number;
  ingressClass?: string;
  labels?: Record<string, string>;
}

/**
 * Kubernetes has no routes; ingress-nginx passes TLS through by SNI when the Ingress asks
 * (and the controller runs with --enable-ssl-passthrough). Layer 4: no paths or TLS section
 * matter beyond the host rule.
 */
export function passthroughIngress(o: PassthroughIngressOptions): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: ROUTE_NAME,
      namespace: o.namespace,
      ...(o.labels && Object.keys(o.labels).length ? { labels: { ...o.labels } } : {}),
      annotations: { 'nginx.ingress.kubernetes.io/ssl-passthrough': 'true' },
    },
    spec: {
      ...(o.ingressClass ? { ingressClassName: o.ingressClass } : {}),
      rules: [{ host: o.hostname, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: o.service, port: { number: o.port } } } }] } }],
    },
  };
}

export interface OperatorRoute {
  name: string;
  hostname?: string;
  secretName?: string;
}

export type RouteAddition =
  | { kind: 'added'; routes: OperatorRoute[] }
  | { kind: 'present' }
  | { kind: 'nameTaken'; existing: OperatorRoute };

/** Adds `{name, hostname, secretName}` to spec.routes[] unless that hostname is there already. */
export function addOperatorRoute(current: OperatorRoute[] | undefined, entry: OperatorRoute): RouteAddition {
  const routes = current ?? [];
  const same = routes.find((r) => r.hostname === entry.hostname);
  if (same && (entry.secretName === undefined || same.secretName === entry.secretName)) return { kind: 'present' };
  const named = routes.find((r) => r.name === entry.name);
  if (named && named !== same) return { kind: 'nameTaken', existing: named };
  const clean: OperatorRoute = { name: entry.name, ...(entry.hostname ? { hostname: entry.hostname } : {}), ...(entry.secretName ? { secretName: entry.secretName } : {}) };
  return { kind: 'added', routes: same ? routes.map((r) => (r === same ? clean : r)) : [...routes, clean] };
}

/** The merge patch for configs.imageregistry.operator.openshift.io/cluster, or undefined when nothing changes. */
export function registryConfigPatch(spec: { defaultRoute?: boolean; routes?: OperatorRoute[] }, want: { defaultRoute?: boolean; route?: OperatorRoute }): { patch?: { spec: Record<string, unknown> }; conflict?: OperatorRoute } {
  const out: Record<string, unknown> = {};
  if (want.defaultRoute && spec.defaultRoute !== true) out.defaultRoute = true;
  if (want.route) {
    const r = addOperatorRoute(spec.routes, want.route);
    if (r.kind === 'nameTaken') return { conflict: r.existing };
    // A merge patch replaces a list whole: send every entry.
    if (r.kind === 'added') out.routes = r.routes;
  }
  return Object.keys(out).length ? { patch: { spec: out } } : {};
}

/** externalRegistryHostnames with `add` appended, no duplicates; undefined when all are there. */
export function addExternalHostnames(current: string[] | undefined, add: string[]): string[] | undefined {
  const list = [...(current ?? [])];
  for (const h of add) if (!list.includes(h)) list.push(h);
  return list.length === (current ?? []).length ? undefined : list;
}
