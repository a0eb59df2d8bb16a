// Turns commander's parsed flags into a Context and runs a command's handler with it.
// The cluster client is imported only when a command first asks for the cluster.
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import type { Context, DryRun, GlobalOptions, OutputFormat, Prompter } from './context.js';
import { UsageError } from './errors.js';
import { parseRequestTimeout } from './validate.js';
import { systemIO } from './output/io.js';
import { OUTPUT_FORMATS } from './output/printers.js';
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
    if (!OUTPUT_FORMATS.includes(raw.output as OutputFormat)) {
      throw new UsageError(`--output: unable to match a printer suitable for the output format "${raw.output}", allowed formats are: ${OUTPUT_FORMATS.join(',')}`);
    }
    output = raw.output as OutputFormat;
  }
  let dryRun: DryRun = 'none';
  if (raw.dryRun === true || raw.dryRun === '' ) dryRun = 'client';
  else if (typeof raw.dryRun === 'string') {
    if (!['none', 'client', 'server'].includes(raw.dryRun)) {
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

function prompter(): Prompter {
  return {
    async confirm(message, defaultAnswer = false) {
      const { confirm } = await import('@inquirer/prompts');
      return confirm({ message, default: defaultAnswer }, { output: process.stderr });
    },
  };
}

export async function createContext(raw: RawGlobals, env: NodeJS.ProcessEnv = process.env): Promise<Context> {
  const globals = toGlobals(raw);
  const io = await systemIO(env, raw.color === false);
  let cluster: Promise<Cluster> | undefined;
  return {
    globals,
    io,
    env,
    prompter: prompter(),
    now: () => new Date(),
    randomBytes: (n) => randomBytes(n),
    cluster() {
      cluster ??= import('./cluster/index.js').then((m) => m.connect(globals, env));
      return cluster;
    },
  };
}

export type Handler<F> = (flags: F, ctx: Context, args: string[]) => Promise<void>;

/** Wraps a command's handler as a commander action: flags, context, positional arguments. */
export function action<F>(handler: Handler<F>): (...args: unknown[]) => Promise<void> {
  return async (...args) => {
    const cmd = args[args.length - 1] as Command;
    const ctx = await createContext(cmd.optsWithGlobals() as RawGlobals);
    await handler(cmd.opts() as F, ctx, cmd.args);
  };
}
