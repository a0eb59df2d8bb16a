// A plan is what a command intends to do, built by a pure function of its options and the live
// state it read. One runner (src/plan/run.ts) renders it (-o yaml|json), describes it
// (--dry-run), sends it with dryRun=All (--dry-run=server) or executes it: they cannot drift.

import type { Cluster } from '../cluster/types.js';
import type { IO } from '../output/io.js';
import type { KubeObject, ObjectRef, PatchType } from '../objects.js';

export type { KubeObject, ObjectMeta, ObjectRef, PatchType } from '../objects.js';

/**
 * One change. Updates, patches and deletes carry the live object the plan was computed from:
 * the write is conditional on its resourceVersion, so a change made by someone else since the
 * read is reported as a conflict, never overwritten (no lost updates).
 */
export type Step =
  | { kind: 'create'; describe: string; object: KubeObject }
  /** Replace `live` with `object` (PUT, conditional on live's resourceVersion). */
  | { kind: 'update'; describe: string; object: KubeObject; live: KubeObject }
  /** Patch `live` (conditional on its resourceVersion); `after` is the object as it will be, for -o and diffs (computed for merge patches when absent). */
  | { kind: 'patch'; describe: string; live: KubeObject; patchType: PatchType; patch: unknown; after?: KubeObject }
  | { kind: 'delete'; describe: string; live: KubeObject }
  /** Write a local file atomically; the previous content (if any) is backed up first and restored on rollback, a new file removed. */
  | { kind: 'writeFile'; describe: string; path: string; content: string | Uint8Array; mode?: number }
  /** A command on this machine (systemctl restart docker): cannot be undone, so it runs last in a plan. */
  | { kind: 'exec'; describe: string; command: string; args: string[]; /** Fed to the command's standard input: secrets never go on a command line (nor into messages). */ stdin?: string };

export interface Plan {
  /** The subcommand: names the backup directory. */
  command: string;
  /** How recovery commands and hints are spelt: `oc` on OpenShift, `kubectl` elsewhere. */
  cli: 'oc' | 'kubectl';
  steps: Step[];
  /** What `-o yaml|json` prints when it is not just the objects of the steps (e.g. a rendered file's object). */
  objects?: KubeObject[];
  /** Printed to stderr before anything happens (render, dry run and apply alike). */
  warnings: string[];
  /** Printed to stderr after a successful apply: follow-up steps, commands to run on nodes. */
  notes: string[];
  /** Asked before applying (destructive or disruptive plans); `--yes` answers it; without a TTY, `--yes` is required. */
  confirm?: string;
  /** The closing line of a successful apply (stderr). */
  done?: string;
  /** When the plan has no steps: the line that says why nothing changes (stdout, as `oc` says "service exists"). */
  nothing?: string;
  /** `--dry-run` of a plan whose target is missing fails (`oc adm registry --dry-run`): the message, exit 1. */
  dryRunFails?: string;
  /** Runs after a successful apply (waits, log checks): observation only, never a change. */
  after?: (world: AfterWorld) => Promise<void>;
}

/** What a plan's `after` may use: the cluster it was applied to and the streams. */
export interface AfterWorld {
  cluster?: Cluster;
  io: IO;
  env: NodeJS.ProcessEnv;
  sleep(ms: number): Promise<void>;
}

export function emptyPlan(command: string, cli: 'oc' | 'kubectl' = 'oc'): Plan {
  return { command, cli, steps: [], warnings: [], notes: [] };
}

export function refOf(obj: KubeObject): ObjectRef {
  return { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace };
}

/** The object a step leaves behind (undefined for deletes, files and commands). */
export function stepResult(s: Step): KubeObject | undefined {
  switch (s.kind) {
    case 'create':
    case 'update':
      return s.object;
    case 'patch':
      return s.after ?? (s.patchType === 'merge' ? (mergePatch(s.live, s.patch) as KubeObject) : undefined);
    default:
      return undefined;
  }
}

/** The objects a plan creates or changes, each as it will be: what `-o yaml|json|name` prints. */
export function planObjects(plan: Plan): KubeObject[] {
  if (plan.objects) return plan.objects;
  return plan.steps.map(stepResult).filter((o): o is KubeObject => o !== undefined);
}

/** RFC 7386 JSON merge patch applied to a copy of `target`. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return structuredClone(patch);
  // A deep copy: the result never shares objects with the live object it was made from.
  const out: Record<string, unknown> = target !== null && typeof target === 'object' && !Array.isArray(target) ? structuredClone(target as Record<string, unknown>) : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}
