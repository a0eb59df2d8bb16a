// Registry metrics (seed 002 5.5 "Accessing Registry Metrics"; seed 000 "OpenShift": the
// `openshift.metrics` section and its REGISTRY_OPENSHIFT_METRICS_* overrides): the cluster role
// that grants `registry/metrics`, its binding, and the registry container's environment. Pure.
import type { KubeObject } from '../objects.js';

export const METRICS_PATH = '/extensions/v2/metrics';
export const METRICS_ENABLED_ENV = 'REGISTRY_OPENSHIFT_METRICS_ENABLED';
export const METRICS_SECRET_ENV = 'REGISTRY_OPENSHIFT_METRICS_SECRET';
export const SCRAPER_ROLE = 'prometheus-scraper';
const RBAC = 'rbac.authorization.k8s.io';

export const SCRAPER_RULES = [{ apiGroups: ['image.openshift.io'], resources: ['registry/metrics'], verbs: ['get'] }];

export function scraperClusterRole(): KubeObject {
  return { apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name: SCRAPER_ROLE }, rules: structuredClone(SCRAPER_RULES) };
}

export const userSubject = (name: string) => ({ kind: 'User', apiGroup: RBAC, name });

/** What `oc adm policy add-cluster-role-to-user prometheus-scraper USER…` leaves: one binding named after the role. */
export function scraperBinding(users: string[], live?: KubeObject): KubeObject {
  const have = ((live?.subjects ?? []) as { kind: string; name: string }[]).map((s) => structuredClone(s));
  const add = users.filter((u) => !have.some((s) => s.kind === 'User' && s.name === u)).map(userSubject);
  if (live) return { ...structuredClone(live), subjects: [...have, ...add] };
  return { apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: { name: SCRAPER_ROLE }, roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: SCRAPER_ROLE }, subjects: add };
}

type Obj = Record<string, any>;

/** The workload with the registry container's variables set (added at the end, or replaced in place). */
export function withRegistryEnv(w: KubeObject, values: Record<string, string>): KubeObject {
  const next = structuredClone(w) as KubeObject & Obj;
  const containers = (next.spec?.template?.spec?.containers ?? []) as Obj[];
  const c = containers.find((x) => x.name === 'registry') ?? containers[0];
  if (!c) return next;
  const env = ((c.env ?? []) as Obj[]).map((e) => ({ ...e }));
  for (const [name, value] of Object.entries(values)) {
    const i = env.findIndex((e) => e.name === name);
    if (i >= 0) env[i] = { name, value };
    else env.push({ name, value });
  }
  c.env = env;
  return next;
}
