// Runs a plan's steps in order, and undoes them when one fails.
// - Every update, patch and delete is conditional on the resourceVersion the plan was computed
//   from: a change made meanwhile by someone else is a conflict, never overwritten.
// - Before a step overwrites or deletes, what was there is saved under the run's backup
//   directory (YAML, as it can be created again; files byte for byte).
// - Undo touches only what this run changed, and only while this run's write is the latest;
//   whatever cannot be undone is printed as commands that work when run as printed.
import type { Cluster } from '../cluster/types.js';
import type { Host } from '../context.js';
import { OperationError } from '../errors.js';
import type { BackupDir } from '../host/backup.js';
import type { IO } from '../output/io.js';
import { commands, info, warn } from '../output/messages.js';
import { resourceName, toYaml } from '../output/printers.js';
import { refOf, type KubeObject, type Plan, type Step } from './types.js';

export type Verb = 'created' | 'configured' | 'unchanged' | 'deleted' | 'written' | 'ran';

export interface Outcome {
  step: Step;
  verb: Verb;
  /** The object as the server returned it. */
  result?: KubeObject;
  backupFile?: string;
  /** writeFile: the content before (undefined: the file did not exist). */
  previous?: Buffer;
}

export interface ExecuteWorld {
  cluster?: Cluster;
  host: Host;
  io: IO;
  backups: BackupDir;
  /** `dryRun=All` on every write; local files and commands are left alone. */
  serverDryRun: boolean;
}

/** A step failed: what happened before it, and what undoing did. The message is the step's error. */
export class ExecutionFailed extends OperationError {
  constructor(
    readonly failure: unknown,
    readonly done: Outcome[],
    readonly undone: string[],
    readonly left: string[],
  ) {
    const e = failure as { message?: string; hint?: string };
    // Keeps the failed step's exit code and hint: the account of undoing is printed separately.

    super(e?.message ?? String(failure), e?.hint);
    this.name = 'ExecutionFailed';
  }
}

/** Server-owned fields, left out when an object is saved, compared or created again. */
const SERVER_META = ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields', 'selfLink'];

/** The object as it can be created again: no server-owned fields, no status. */
export function recreatable(obj: KubeObject): KubeObject {
  const metadata = { ...obj.metadata };
  for (const k of SERVER_META) delete metadata[k];
  const { status: _status, ...rest } = obj;
  return { ...rest, metadata } as KubeObject;
}

function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));
}

/** Whether two objects ask for the same, ignoring what servers and controllers set (status, annotations). */
function sameIntent(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const r = recreatable(o);
    const { annotations: _a, ...metadata } = r.metadata;
    return canonical({ ...r, metadata });
  };
  return strip(a) === strip(b);
}

/** Whether two objects say the same, ignoring what the server sets. */
function sameContent(a: KubeObject, b: KubeObject): boolean {
  return canonical(recreatable(a)) === canonical(recreatable(b));
}

function isConflict(e: unknown): boolean {
  return (e as { status?: number })?.status === 409;
}

/** A write conditional on the live object's version; the server refusing that condition is a conflict. */
async function conditional<T>(s: Extract<Step, { live: KubeObject }>, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    // A failed JSON-patch `test` is how the server reports a changed resourceVersion to a JSON patch.
    const testFailed = s.kind === 'patch' && s.patchType === 'json' && (e as { status?: number })?.status === 422 && /test/i.test((e as Error).message);
    throw isConflict(e) || testFailed ? conflict(resourceName(s.live), e) : e;
  }
}

function conflict(name: string, err: unknown): OperationError {
  return new OperationError(
    `${name} was changed by someone else after regctl read it; regctl did not overwrite that change (${(err as Error).message})`,
    'run the command again: it plans against the current state',
  );
}

function withVersion(obj: KubeObject, rv: string | undefined): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: rv } };
}

/** The patch, made conditional on the live object's resourceVersion. */
function conditionalPatch(s: Extract<Step, { kind: 'patch' }>): unknown {
  const rv = s.live.metadata.resourceVersion;
  if (!rv) return s.patch;
  if (s.patchType === 'json') return [{ op: 'test', path: '/metadata/resourceVersion', value: rv }, ...(s.patch as unknown[])];
  const p = s.patch as { metadata?: Record<string, unknown> };
  return { ...p, metadata: { ...(p.metadata ?? {}), resourceVersion: rv } };
}

export async function executePlan(plan: Plan, w: ExecuteWorld): Promise<Outcome[]> {
  const done: Outcome[] = [];
  const cluster = (): Cluster => {
    if (!w.cluster) throw new OperationError('internal: a cluster step without a cluster');
    return w.cluster;
  };
  const dryRun = w.serverDryRun;
  const backup = (live: KubeObject): string | undefined => (dryRun ? undefined : w.backups.save(`${live.kind.toLowerCase()}-${live.metadata.name}.yaml`, toYaml(recreatable(live))));

  for (const step of plan.steps) {
    try {
      done.push(await runStep(step));
    } catch (err) {
      if (dryRun) throw err;
      const { undone, left } = await rollBack(done, plan, w);
      throw new ExecutionFailed(err, done, undone, left);
    }
  }
  return done;

  async function runStep(s: Step): Promise<Outcome> {
    switch (s.kind) {
      case 'create':
        return { step: s, verb: 'created', result: await cluster().create(s.object, { dryRun }) };
      case 'update': {
        const backupFile = backup(s.live);
        const result = await conditional(s, () => cluster().replace(withVersion(s.object, s.live.metadata.resourceVersion), { dryRun }));
        return { step: s, verb: sameContent(result, s.live) ? 'unchanged' : 'configured', result, backupFile };
      }
      case 'patch': {
        const backupFile = backup(s.live);
        const result = await conditional(s, () => cluster().patch(refOf(s.live), conditionalPatch(s), s.patchType, { dryRun }));
        return { step: s, verb: sameContent(result, s.live) ? 'unchanged' : 'configured', result, backupFile };
      }
      case 'delete': {
        const backupFile = backup(s.live);
        await conditional(s, () => cluster().delete(refOf(s.live), { dryRun, resourceVersion: s.live.metadata.resourceVersion }));
        return { step: s, verb: 'deleted', backupFile };
      }
      case 'writeFile': {
        if (dryRun) return { step: s, verb: 'written' };
        const previous = w.host.readFile(s.path);
        const next = Buffer.from(s.content);
        if (previous !== undefined && previous.equals(next)) return { step: s, verb: 'unchanged', previous };
        const backupFile = previous !== undefined ? w.backups.save(s.path.replace(/^\/+/, ''), previous) : undefined;
        w.host.writeFile(s.path, s.content, s.mode);
        return { step: s, verb: 'written', previous, backupFile };
      }
      case 'exec':
        if (!dryRun) await w.host.exec(s.command, s.args, s.stdin);
        return { step: s, verb: 'ran' };
    }
  }
}

/** Undoes finished steps, newest first. Returns what was undone and the commands for what was not. */
async function rollBack(done: Outcome[], plan: Plan, w: ExecuteWorld): Promise<{ undone: string[]; left: string[] }> {
  const undone: string[] = [];
  const left: string[] = [];
  for (const o of [...done].reverse()) {
    const s = o.step;
    try {
      const line = await undo(o, w);
      if (line) undone.push(line);
    } catch (e) {
      const why = isConflict(e) ? 'it was changed by someone else after this run wrote it' : (e as Error).message;
      left.push(`# ${s.describe}: not undone (${why})`);
      const cmd = recoveryCommand(o, plan.cli, w.backups);
      if (cmd) left.push(cmd);
    }
  }
  return { undone, left };
}

async function undo(o: Outcome, w: ExecuteWorld): Promise<string | undefined> {
  const s = o.step;
  const c = w.cluster!;
  switch (s.kind) {
    case 'create':
      // The object exists only because this run made it (what controllers added to it, too).
      await c.delete(refOf(s.object));
      return `${resourceName(s.object)} deleted (created by this run)`;
    case 'update':
    case 'patch': {
      if (o.verb === 'unchanged') return undefined;
      // Put back what was there, but only while what this run wrote is still what the object
      // says: a controller may have moved status or annotations on, nobody may have changed the rest.
      let rv = o.result?.metadata.resourceVersion;
      const now = await c.get(refOf(s.live));
      if (!now) throw new Error('it no longer exists');
      if (now.metadata.resourceVersion !== rv) {
        if (!o.result || !sameIntent(now, o.result)) throw Object.assign(new Error('changed by someone else'), { status: 409 });
        rv = now.metadata.resourceVersion;
      }
      await c.replace(withVersion(recreatable(s.live), rv));
      return `${resourceName(s.live)} restored`;
    }
    case 'delete':
      await c.create(recreatable(s.live));
      return `${resourceName(s.live)} created again`;
    case 'writeFile': {
      if (o.verb === 'unchanged') return undefined;
      const now = w.host.readFile(s.path);
      if (now === undefined || !now.equals(Buffer.from(s.content))) throw new Error('the file was changed after this run wrote it');
      if (o.previous === undefined) {
        w.host.removeFile(s.path);
        return `${s.path} removed (written by this run)`;
      }
      w.host.writeFile(s.path, o.previous);
      return `${s.path} restored`;
    }
    case 'exec':
      throw new Error(`"${[s.command, ...s.args].join(' ')}" ran and cannot be undone by regctl`);
  }
}

/** The JSON merge patch that turns `from` into `to` (RFC 7386): lists replaced whole, removed keys null. */
export function mergePatchBetween(from: unknown, to: unknown): unknown {
  const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isObj(from) || !isObj(to)) return to;
  const patch: Record<string, unknown> = {};
  for (const k of new Set([...Object.keys(from), ...Object.keys(to)])) {
    if (!(k in to)) patch[k] = null;
    else if (!(k in from)) patch[k] = to[k];
    else if (canonical(from[k]) !== canonical(to[k])) patch[k] = mergePatchBetween(from[k], to[k]);
  }
  return patch;
}

/** A command that undoes one outcome when run as printed (a file it needs is saved in the backup directory). */
function recoveryCommand(o: Outcome, cli: 'oc' | 'kubectl', backups: BackupDir): string | undefined {
  const s = o.step;
  const ns = (obj: KubeObject) => (obj.metadata.namespace ? ` -n ${obj.metadata.namespace}` : '');
  switch (s.kind) {
    case 'create':
      return `${cli} delete ${resourceName(s.object)}${ns(o.result ?? s.object)}`;
    case 'update':
    case 'patch': {
      // A merge patch from what this run wrote back to what was there, conditional on this
      // run's write still being the latest: it works for core kinds and custom resources alike.
      const after = o.result ? recreatable(o.result) : undefined;
      if (!after) return undefined;
      const patch = mergePatchBetween(after, recreatable(s.live)) as Record<string, unknown>;
      patch.metadata = { ...((patch.metadata as object) ?? {}), resourceVersion: o.result!.metadata.resourceVersion };
      const file = backups.save(`undo-${s.live.kind.toLowerCase()}-${s.live.metadata.name}.json`, JSON.stringify(patch) + '\n');
      return `${cli} patch ${resourceName(s.live)}${ns(s.live)} --type=merge -p "$(cat ${file})"`;
    }
    case 'delete':
      return o.backupFile ? `${cli} create -f ${o.backupFile}` : undefined;
    case 'writeFile':
      return o.backupFile ? `cp -p ${o.backupFile} ${s.path}` : `rm -f ${s.path}`;
    case 'exec':
      return undefined;
  }
}

/** Prints a failure's account: what was undone, and what is left to do by hand. */
export function reportFailure(io: IO, f: ExecutionFailed): void {
  if (f.done.length === 0) return;
  if (f.undone.length) {
    warn(io, `a step failed; undid the ${f.undone.length} change(s) this run had made:`);
    for (const u of f.undone) info(io, `  undone: ${u}`);
  }
  if (f.left.length) {
    warn(io, 'some changes could not be undone; to undo them, run:');
    commands(io, f.left);
  } else if (f.undone.length) {
    info(io, 'the cluster and the files are as they were before this run');
  }
}
