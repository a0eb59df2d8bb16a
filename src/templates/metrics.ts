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
