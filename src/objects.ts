// Kubernetes objects as plain data: the vocabulary of plans, templates and the cluster client.

/** Any Kubernetes or OpenShift object, as plain data. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  resourceVersion?: string;
  [field: string]: unknown;
}

/** Enough to address one object on the server. `namespace` absent means cluster-scoped (or the command's namespace for namespaced kinds). */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export type PatchType = 'merge' | 'strategic' | 'json';

/**
 * Whether two objects (Secrets, ConfigMaps) hold the same `data`, whatever order its keys come in:
 * the API server returns them sorted, a plan in the order it wrote them. No data and `{}` are the same.
 */
export function sameData(a: KubeObject, b: KubeObject): boolean {
  const entries = (o: KubeObject) => JSON.stringify(Object.entries((o.data ?? {}) as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
  return entries(a) === entries(b);
}
