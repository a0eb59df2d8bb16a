// `regctl override-config` flags → options: pure, every error names its flag.
import { UsageError } from '../../errors.js';
import { type ConfigStorage } from '../../templates/registry-config.js';
import type { RegistryRelease } from '../../registry-config/go-schema.js';
import { parseSetting, type Setting } from '../../registry-config/settings.js';
import { parseInteger } from '../../validate.js';

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
  registryVersion?: string;
  configmap?: boolean;
  cloudfrontKey?: string;
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
  /** Whose parser judges the config; undefined: the cluster's when connected, else the newest. */
  registryVersion?: RegistryRelease;
  /** --configmap: keep config.yml in a ConfigMap (refused when it holds credentials). */
  configMap: boolean;
  /** --cloudfront-key: the CloudFront private key file to store in a Secret and mount. */
  cloudfrontKeyPath?: string;
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
  if (f.configmap && mode !== 'apply') throw new UsageError(`--configmap is for deploying a FILE, not --${mode}`);
  if (f.cloudfrontKey !== undefined && (mode !== 'apply' || !file)) throw new UsageError('--cloudfront-key goes with the FILE to deploy (its cloudfront privatekey names where the key is mounted)');
  if (f.registryVersion !== undefined && mode !== 'check' && mode !== 'apply') throw new UsageError(`--registry-version is for --check and deploying, not --${mode}`);
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
    registryVersion: f.registryVersion as RegistryRelease | undefined,
    configMap: f.configmap === true,
    cloudfrontKeyPath: f.cloudfrontKey,
  };
}

/** Seed 002 5.5: the user name is arbitrary, the secret is the password. */
export function metricsQuery(host: string, secretExpr: string): string {
  return `curl --insecure -s -u metrics:${secretExpr} https://${host}:5000/extensions/v2/metrics | grep imageregistry | head -n 20`;
}

