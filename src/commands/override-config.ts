// `regctl override-config`: the registry's own config.yml, managed safely (seed 000
// "Overriding the Registry Configuration", seed 003 "Known Issues"). Write the documented
// default, check a file against the documented rules, show the configuration the registry
// really runs with, and deploy a file as ConfigMap `registry-config`. This module holds the
// flags and their validation; the work is in override-config-run.ts, loaded on use.
import { type Command, Option } from 'commander';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { action } from '../runtime.js';
import { CONFIG_STORAGES, type ConfigStorage } from '../templates/registry-config.js';
import { parseSetting, type Setting } from '../templates/registry-config-settings.js';
import { collect, parseInteger } from '../validate.js';
import { summary } from './catalog.js';

export interface OverrideConfigFlags {
  init?: boolean;
  storage?: string;
  check?: boolean;
  show?: boolean;
  rollback?: boolean;
  set?: string[];
  metrics?: boolean;
  envFrom?: string;
  force?: boolean;
  wait?: boolean;
  timeout: string;
}

export type Mode = 'init' | 'check' | 'show' | 'apply' | 'rollback';

export interface OverrideConfigOptions {
  mode: Mode;
  /** The config file: written by init, read by the others; `-` is stdout for init. */
  file?: string;
  storage: ConfigStorage;
  settings: Setting[];
  metrics: boolean;
  envFromPath?: string;
  force: boolean;
  wait: boolean;
  timeoutSeconds: number;
}


export function register(program: Command): void {
  program
    .command('override-config')
    .description(summary('override-config'))
    .argument('[file]', 'the config.yml to write (--init; default config.yml, - for stdout), check, show or deploy')
    .option('--init', 'write the initial config.yml of the documents, to edit')
    .addOption(new Option('--storage <driver>', 'with --init: the storage section to write, ready to fill').choices([...CONFIG_STORAGES]).default('filesystem'))
    .option('--check', 'check the file against the documented rules; exit 1 on any error (-o json: the findings as data)')
    .option('--show', 'print the effective configuration: the file (or, without FILE, the live mounted config) with the environment overrides applied and marked')
    .option('--rollback', 'restore the config that the last override-config replaced, and roll out')
    .option('--set <key=value>', 'an override the documents allow as an environment variable, e.g. pullthrough=false, projectcachettl=2m, server.addr=HOST:PORT, metrics.enabled=true, requests.read.maxrunning=10 (repeatable)', collect)
    .option('--metrics', 'enable metrics at /extensions/v2/metrics with a generated secret')
    .option('--env-from <file>', "with --show/--check offline: the container's environment, NAME=VALUE lines (as `oc set env dc/docker-registry --list` prints)")
    .option('--force', '--init: overwrite an existing file (keeping a .bak copy); deploy: even when the check finds errors')
    .option('--wait', 'wait until the new registry pods are rolled out')
    .option('--timeout <seconds>', 'how long --wait waits', '300')
    .addHelpText(
      'after',
      `
The configuration is delivered as ConfigMap registry-config (key config.yml), mounted at
/etc/docker/registry/ and selected with REGISTRY_CONFIGURATION_PATH=/etc/docker/registry/config.yml.
The live ConfigMap (or the older registry-config secret) is backed up first; --rollback
restores it. Deploying the same file again changes nothing.

--show with FILE works offline: the overrides are those of --set and --env-from. Without FILE
it reads the cluster: the mounted config and the registry container's environment (plus --set).

Examples:
  # Start from the documented default, or from an S3 variant
  regctl override-config --init config.yml
  regctl override-config --init --storage s3 config-s3.yml

  # Check it (exit 1 on errors); as data
  regctl override-config --check config.yml
  regctl override-config --check config.yml -o json

  # What the registry will run with, given its environment
  oc set env dc/docker-registry --list > registry.env
  regctl override-config --show config.yml --env-from registry.env

  # Deploy it, wait for the rollout; undo
  regctl override-config config.yml --wait
  regctl override-config --rollback

  # Override documented options through the environment
  regctl override-config --set pullthrough=false --set projectcachettl=2m
  regctl override-config --metrics`,
    )
    .action(action<OverrideConfigFlags>(runOverrideConfig));
}

/** Complete + Validate: flags to options, nothing read or written yet. */
export function toOptions(f: OverrideConfigFlags, args: string[], output?: string): OverrideConfigOptions {
  const modes = (['init', 'check', 'show', 'rollback'] as const).filter((m) => f[m]);
  if (modes.length > 1) throw new UsageError(`${modes.map((m) => '--' + m).join(' and ')} cannot be used together`);
  const mode = (modes[0] ?? 'apply') as Mode;
  if (args.length > 1) throw new UsageError(`expected at most one FILE, got ${args.length}: ${args.join(' ')}`);
  let file = args[0];
  if (mode === 'init') file ??= 'config.yml';
  if (mode === 'check' && !file) throw new UsageError('--check needs the FILE to check');
  if (mode === 'rollback' && file) throw new UsageError('--rollback takes no FILE: it restores the backup kept by the last override-config');
  if (file === '-' && mode !== 'init') throw new UsageError('FILE "-" (stdout) is only for --init');
  if (f.storage !== 'filesystem' && mode !== 'init') throw new UsageError('--storage is only for --init (the storage section of the file to write)');
  if (f.envFrom !== undefined && !(mode === 'check' || (mode === 'show' && file))) {
    throw new UsageError('--env-from is for --check and --show FILE (offline); connected, regctl reads the live environment');
  }
  if (mode === 'init' && f.set?.length) throw new UsageError('--set changes the registry\'s environment, not the file; edit the file written by --init instead');
  if (output === 'name' && (mode === 'check' || mode === 'show' || mode === 'init')) throw new UsageError(`-o name does not apply to --${mode}; use -o json or -o yaml`);
  if (output && mode === 'init') throw new UsageError('-o does not apply to --init: the file is the output (FILE "-" prints it)');
  const settings: Setting[] = [];
  for (const s of f.set ?? []) {
    const r = parseSetting(s);
    if ('error' in r) throw new UsageError(`--set: ${r.error}`);
    if (settings.some((x) => x.env === r.env && x.value !== r.value)) throw new UsageError(`--set: ${r.key} is given twice with different values`);
    settings.push(r);
  }
  if (f.metrics && settings.some((s) => s.key.startsWith('metrics.'))) throw new UsageError('--metrics and --set metrics.* cannot be used together: --metrics sets both');
  if (f.metrics && (mode === 'check' || mode === 'show' || mode === 'rollback')) throw new UsageError(`--metrics cannot be used with --${mode}`);
  if (mode === 'apply' && !file && settings.length === 0 && !f.metrics) {
    throw new UsageError('nothing to do: give a FILE to deploy, --set/--metrics to override options, or one of --init, --check, --show, --rollback');
  }
  return {
    mode,
    file,
    storage: (f.storage ?? 'filesystem') as ConfigStorage,
    settings,
    metrics: f.metrics === true,
    envFromPath: f.envFrom,
    force: f.force === true,
    wait: f.wait === true,
    timeoutSeconds: parseInteger('--timeout', f.timeout, 1, 86400),
  };
}

/** Seed 002 5.5: the user name is arbitrary, the secret is the password. */
export function metricsQuery(host: string, secretExpr: string): string {
  return `curl --insecure -s -u metrics:${secretExpr} https://${host}:5000/extensions/v2/metrics | grep imageregistry | head -n 20`;
}

export async function runOverrideConfig(flags: OverrideConfigFlags, ctx: Context, args: string[]): Promise<void> {
  const o = toOptions(flags, args, ctx.globals.output);
  // The checker, the YAML walk and the cluster code load only when a run needs them.
  const { runOverrideConfigMode } = await import('./override-config-run.js');
  await runOverrideConfigMode(o, ctx);
}
