// A plan is what a command intends to do, built by a pure function before anything changes.
// The same plan is rendered (-o yaml|json|name), described (--dry-run) or executed.

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

export type Step =
  | { kind: 'create'; describe: string; object: KubeObject }
  /** Replace the live object (read first: its backup and resourceVersion). */
  | { kind: 'replace'; describe: string; object: KubeObject }
  /** Create if absent, else replace. */
  | { kind: 'apply'; describe: string; object: KubeObject }
  | { kind: 'patch'; describe: string; target: ObjectRef; patchType: PatchType; patch: unknown }
  | { kind: 'delete'; describe: string; target: ObjectRef }
  | { kind: 'writeFile'; describe: string; path: string; content: string | Uint8Array; mode?: number }
  | { kind: 'exec'; describe: string; command: string; args: string[] };

export interface Plan {
  /** The subcommand, used to name the backup directory. */
  command: string;
  steps: Step[];
}

/** The objects a plan creates or writes, in order: what `-o yaml|json|name` prints. */
export function planObjects(plan: Plan): KubeObject[] {
  const out: KubeObject[] = [];
  for (const s of plan.steps) {
    if (s.kind === 'create' || s.kind === 'replace' || s.kind === 'apply') out.push(s.object);
  }
  return out;
}
