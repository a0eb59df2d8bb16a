// Turns commander's parsed flags into a Context and runs a command's handler with it. The world
// (streams, cluster factory, prompter, clock, randomness) is the one buildProgram() was given.
import type { Command } from 'commander';
import type { Context, DryRun, GlobalOptions, World } from './context.js';
import { UsageError } from './errors.js';
import { parseRequestTimeout } from './validate.js';
import { OUTPUT_FORMATS, DRY_RUN_STRATEGIES } from './output/formats.js';
import type { OutputFormat } from './context.js';
import type { Cluster } from './cluster/types.js';

export interface RawGlobals {
  kubeconfig?: string;
  config?: string;
  context?: string;
  namespace?: string;
  output?: string;
  dryRun?: string | boolean;
  yes?: boolean;
  verbose?: boolean;
  color?: boolean;
  backupDir?: string;
  requestTimeout?: string;
}

export function toGlobals(raw: RawGlobals): GlobalOptions {
  if (raw.kubeconfig && raw.config && raw.kubeconfig !== raw.config) {
    throw new UsageError('--kubeconfig and --config name different files; give one');
  }
  let output: OutputFormat | undefined;
  if (raw.output !== undefined) {
    // `-o=yaml` reaches commander as "=yaml" (kubectl accepts both spellings).
    const o = raw.output.replace(/^=/, '');
    if (!OUTPUT_FORMATS.includes(o as OutputFormat)) {
      throw new UsageError(`--output: unable to match a printer suitable for the output format "${o}", allowed formats are: ${OUTPUT_FORMATS.join(',')}`);
    }
    output = o as OutputFormat;
  }
  let dryRun: DryRun = 'none';
  if (raw.dryRun === true || raw.dryRun === '') dryRun = 'client';
  else if (typeof raw.dryRun === 'string') {
    if (!DRY_RUN_STRATEGIES.includes(raw.dryRun)) {
      throw new UsageError(`--dry-run: invalid value "${raw.dryRun}", must be "none", "server" or "client"`);
    }
    dryRun = raw.dryRun as DryRun;
  }
  if (raw.namespace !== undefined && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(raw.namespace)) {
    throw new UsageError(`--namespace: "${raw.namespace}" is not a valid namespace name (lower-case alphanumerics and '-', at most 63 characters)`);
  }
  return {
    kubeconfig: raw.kubeconfig ?? raw.config,
    context: raw.context,
    namespace: raw.namespace,
    output,
    dryRun,
    yes: raw.yes === true,
    verbose: raw.verbose === true,
    backupDir: raw.backupDir,
    requestTimeoutMs: raw.requestTimeout === undefined ? undefined : parseRequestTimeout(raw.requestTimeout),
  };
}

export function createContext(world: World, raw: RawGlobals): Context {
  const globals = toGlobals(raw);
  const { connect, ...rest } = world;
  let cluster: Promise<Cluster> | undefined;
  return {
    ...rest,
    globals,
    cluster() {
      cluster ??= connect(globals, world.env);
      return cluster;
    },
  };
}

/** The world each program was built with, found from any of its commands. */
const worlds = new WeakMap<Command, World>();

export function attachWorld(program: Command, world: World): void {
  worlds.set(program, world);
}

export function worldOf(cmd: Command): World {
  let c: Command | null = cmd;
  while (c && !worlds.has(c)) c = c.parent;
  const w = c && worlds.get(c);
  if (!w) throw new Error('internal: a command outside a program built by buildProgram()');
  return w;
}

export type Handler<F> = (flags: F, ctx: Context, args: string[]) => Promise<void>;

/** Wraps a command's handler as a commander action: flags, context, positional arguments. */
export function action<F>(handler: Handler<F>): (...args: unknown[]) => Promise<void> {
  return async (...args) => {
    const cmd = args[args.length - 1] as Command;
    const ctx = createContext(worldOf(cmd), cmd.optsWithGlobals() as RawGlobals);
    await handler(cmd.opts() as F, ctx, cmd.args);
  };
}
