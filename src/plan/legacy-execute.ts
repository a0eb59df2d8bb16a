// LEGACY: the executor of commands not yet moved to src/plan/run.ts (issue 11); removed once
// every command ends in finish(). Runs a plan's steps in order. Before a step overwrites or deletes anything it saves what was
// there (YAML under the run's backup directory); when a step fails it undoes the finished
// steps in reverse and prints, as commands, whatever it could not undo.
import type { Cluster } from '../cluster/types.js';
import { OperationError } from '../errors.js';
import { BackupDir } from '../host/backup.js';
import { readIfExists, writeFileAtomic } from '../host/files.js';
import { runHostCommand } from '../host/command.js';
import type { IO } from '../output/io.js';
import { commands, info, warn } from '../output/messages.js';
import { resourceName, toYaml } from '../output/printers.js';
import type { KubeObject, ObjectRef, PatchType } from '../objects.js';

export type Step =
  | { kind: 'create'; describe: string; object: KubeObject }
  | { kind: 'replace'; describe: string; object: KubeObject }
  | { kind: 'apply'; describe: string; object: KubeObject }
  | { kind: 'patch'; describe: string; target: ObjectRef; patchType: PatchType; patch: unknown }
  | { kind: 'delete'; describe: string; target: ObjectRef }
  | { kind: 'writeFile'; describe: string; path: string; content: string | Uint8Array; mode?: number }
  | { kind: 'exec'; describe: string; command: string; args: string[] };

export interface Plan {
  command: string;
  steps: Step[];
}

export function planObjects(plan: Plan): KubeObject[] {
  const out: KubeObject[] = [];
  for (const s of plan.steps) if (s.kind === 'create' || s.kind === 'replace' || s.kind === 'apply') out.push(s.object);
  return out;
}

export interface Host {
  writeFile(path: string, content: string | Uint8Array, mode?: number): void;
  readFile(path: string): Buffer | undefined;
  exec(command: string, args: string[]): Promise<string>;
}

export const systemHost: Host = { writeFile: writeFileAtomic, readFile: readIfExists, exec: runHostCommand };

export interface ExecuteOptions {
  cluster?: Cluster;
  io: IO;
  /** `dryRun=All` on every write: the server judges the plan, nothing persists. */
  serverDryRun?: boolean;
  backups: BackupDir;
  host?: Host;
  /** `oc` on OpenShift, `kubectl` elsewhere: how recovery commands are spelt. */
  cli?: 'oc' | 'kubectl';
  /** Print `<kind>/<name> created` lines (kubectl) on stdout; `-o name` prints names only. */
  report?: 'verbose' | 'name' | 'quiet';
}

export interface StepResult {
  step: Step;
  /** The object as the server returned it (create/replace/apply/patch). */
  object?: KubeObject;
  /** What was there before (replace/apply/patch/delete), and where it was saved. */
  before?: KubeObject;
  backupFile?: string;
  /** writeFile: the previous content (undefined when the file did not exist). */
  previousContent?: Buffer;
  created?: boolean;
}

export interface ExecuteResult {
  results: StepResult[];
  backupDir?: string;
}

function refOf(obj: KubeObject): ObjectRef {
  return { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace };
}

function refName(ref: ObjectRef): string {
  return resourceName({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name } });
}

/** The object as it can be created again: no server-owned fields. */
export function recreatable(obj: KubeObject): KubeObject {
  const { uid: _u, resourceVersion: _r, creationTimestamp: _c, generation: _g, managedFields: _m, selfLink: _s, ...metadata } = obj.metadata;
  const { status: _status, ...rest } = obj;
  return { ...rest, metadata } as KubeObject;
}

export async function executePlan(plan: Plan, opts: ExecuteOptions): Promise<ExecuteResult> {
  const host = opts.host ?? systemHost;
  const dryRun = opts.serverDryRun === true;
  const suffix = dryRun ? ' (server dry run)' : '';
  const report = opts.report ?? 'verbose';
  const results: StepResult[] = [];
  const need = (): Cluster => {
    if (!opts.cluster) throw new OperationError('internal: a cluster step without a cluster');
    return opts.cluster;
  };
  const say = (name: string, verb: string) => {
    if (report === 'verbose') opts.io.out.write(`${name} ${verb}${suffix}\n`);
    else if (report === 'name') opts.io.out.write(`${name}\n`);
  };
  const backup = async (ref: ObjectRef): Promise<{ before?: KubeObject; backupFile?: string }> => {
    const before = await need().get(ref);
    if (!before || dryRun) return { before };
    return { before, backupFile: opts.backups.save(`${ref.kind.toLowerCase()}-${ref.name}.yaml`, toYaml(before)) };
  };

  for (const step of plan.steps) {
    try {
      const r: StepResult = { step };
      switch (step.kind) {
        case 'create':
          r.object = await need().create(step.object, { dryRun });
          r.created = true;
          say(resourceName(step.object), 'created');
          break;
        case 'replace':
        case 'apply': {
          Object.assign(r, await backup(refOf(step.object)));
          if (!r.before) {
            if (step.kind === 'replace') throw new OperationError(`${refName(refOf(step.object))} does not exist, so it cannot be replaced`);
            r.object = await need().create(step.object, { dryRun });
            r.created = true;
            say(resourceName(step.object), 'created');
          } else {
            const next = { ...step.object, metadata: { ...step.object.metadata, resourceVersion: r.before.metadata.resourceVersion } };
            r.object = await need().replace(next, { dryRun });
            say(resourceName(step.object), r.object.metadata.resourceVersion === r.before.metadata.resourceVersion ? 'unchanged' : 'configured');
          }
          break;
        }
        case 'patch':
          Object.assign(r, await backup(step.target));
          if (!r.before) throw new OperationError(`${refName(step.target)} does not exist, so it cannot be patched`);
          r.object = await need().patch(step.target, step.patch, step.patchType, { dryRun });
          say(refName(step.target), 'patched');
          break;
        case 'delete':
          Object.assign(r, await backup(step.target));
          if (r.before) {
            await need().delete(step.target, { dryRun });
            say(refName(step.target), 'deleted');
          }
          break;
        case 'writeFile': {
          if (dryRun) break;
          const prev = host.readFile(step.path);
          if (prev !== undefined && Buffer.compare(prev, Buffer.from(step.content)) === 0) break;
          if (prev !== undefined) {
            r.previousContent = prev;
            r.backupFile = opts.backups.save(step.path.replace(/^\/+/, ''), prev);
          }
          host.writeFile(step.path, step.content, step.mode);
          info(opts.io, `wrote ${step.path}${r.backupFile ? ` (backup: ${r.backupFile})` : ''}`);
          break;
        }
        case 'exec':
          if (dryRun) break;
          await host.exec(step.command, step.args);
          info(opts.io, `ran ${[step.command, ...step.args].join(' ')}`);
          break;
      }
      results.push(r);
    } catch (err) {
      if (!dryRun) await rollBack(results, opts, host);
      throw err;
    }
  }
  return { results, backupDir: opts.backups.path };
}

/** Undoes finished steps, newest first; prints what it could not undo as exact commands. */
async function rollBack(done: StepResult[], opts: ExecuteOptions, host: Host): Promise<void> {
  if (done.length === 0) return;
  const cli = opts.cli ?? 'oc';
  const left: string[] = [];
  warn(opts.io, `a step failed; undoing the ${done.length} step(s) done so far`);
  for (const r of [...done].reverse()) {
    const s = r.step;
    try {
      if ((s.kind === 'create' || s.kind === 'apply') && r.created) {
        await opts.cluster!.delete(refOf(s.object));
        info(opts.io, `  undone: ${resourceName(s.object)} deleted`);
      } else if ((s.kind === 'replace' || s.kind === 'apply' || s.kind === 'patch') && r.before) {
        const live = await opts.cluster!.get(refOf(r.before));
        const old = recreatable(r.before);
        const restore = { ...old, metadata: { ...old.metadata, resourceVersion: live?.metadata.resourceVersion } };
        await opts.cluster!.replace(restore);
        info(opts.io, `  undone: ${resourceName(r.before)} restored`);
      } else if (s.kind === 'delete' && r.before) {
        await opts.cluster!.create(recreatable(r.before));
        info(opts.io, `  undone: ${resourceName(r.before)} created again`);
      } else if (s.kind === 'writeFile' && (r.previousContent !== undefined || r.backupFile === undefined)) {
        if (r.previousContent !== undefined) host.writeFile(s.path, r.previousContent);
        info(opts.io, `  undone: ${s.path} restored`);
      } else if (s.kind === 'exec') {
        left.push(`# regctl ran "${[s.command, ...s.args].join(' ')}"; check whether it needs undoing`);
      }
    } catch {
      left.push(recoveryCommand(r, cli));
    }
  }
  if (left.length) {
    warn(opts.io, 'some steps could not be undone; to recover, run:');
    commands(opts.io, left);
  }
}

function recoveryCommand(r: StepResult, cli: string): string {
  const s = r.step;
  const ns = (o: { namespace?: string }) => (o.namespace ? ` -n ${o.namespace}` : '');
  switch (s.kind) {
    case 'create':
    case 'apply':
      if (r.created) return `${cli} delete ${resourceName(s.object)}${ns(s.object.metadata)}`;
      return `${cli} replace -f ${r.backupFile}`;
    case 'replace':
    case 'patch':
      return `${cli} replace -f ${r.backupFile}`;
    case 'delete':
      return `${cli} create -f ${r.backupFile}`;
    case 'writeFile':
      return r.backupFile ? `cp ${r.backupFile} ${s.path}` : `rm ${s.path}`;
    case 'exec':
      return `# check: ${s.command} ${s.args.join(' ')}`;
  }
}

/** `--dry-run`: the steps, numbered, one line each. */
export function describePlan(plan: Plan): string[] {
  return plan.steps.map((s, i) => `${i + 1}. ${s.describe}`);
}
