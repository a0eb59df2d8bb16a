// The work of `regctl override-config` offline (--init, --check, --show FILE), and the hand-off
// to the cluster path (override-config-apply.ts, loaded on use).
import type { Context } from '../context.js';
import { offlineNamespace } from '../context.js';
import { OperationError, SilentExit, UsageError } from '../errors.js';
import { backupFile } from '../host/file-backup.js';
import { pathExists, readInputFile, writeFileAtomic } from '../host/files.js';
import { commands, info, success, warn } from '../output/messages.js';
import { toYaml } from '../output/printers.js';
import { initialConfig } from '../templates/registry-config.js';
import { checkRegistryConfig, SERVICE_ENV, type CheckResult, type Finding } from '../registry-config/check.js';
import type { RegistryRelease } from '../registry-config/go-schema.js';
import { readAsRegistry } from '../registry-config/registry-parse.js';
import { effectiveConfig, parseEnvList, renderEffectiveConfig } from '../registry-config/env.js';
import { parseYamlSource, toValue, YamlSyntaxError } from '../registry-config/yaml-source.js';
import { metricsQuery, type OverrideConfigOptions } from './override-config.js';

export function metricsSecret(ctx: Context): string {
  return Buffer.from(ctx.randomBytes(32)).toString('hex');
}

function runInit(o: OverrideConfigOptions, ctx: Context): void {
  const secret = o.metrics ? metricsSecret(ctx) : undefined;
  const text = initialConfig({ storage: o.storage, metricsSecret: secret });
  const file = o.file!;
  if (file === '-') {
    ctx.io.out.write(text);
  } else {
    if (pathExists(file) && !o.force) throw new UsageError(`"${file}" already exists; give another FILE, or --force to overwrite it (a .bak copy is kept)`);
    const backup = o.force ? backupFile(file, ctx.now()) : undefined;
    // It may hold storage credentials or the metrics secret once filled in.
    try {
      writeFileAtomic(file, text, 0o600);
    } catch (e) {
      throw new OperationError(`cannot write "${file}": ${(e as Error).message}`);
    }
    if (backup) info(ctx.io, `kept the previous file as ${backup}`);
    success(ctx.io, `wrote ${file}`);
  }
  if (o.storage !== 'filesystem') info(ctx.io, `fill in the <...> values of the ${o.storage} section, then check the file:`);
  else info(ctx.io, 'edit it, then check and deploy it:');
  const name = file === '-' ? 'config.yml' : file;
  commands(ctx.io, [`regctl override-config --check ${name}`, `regctl override-config ${name} --wait`]);
  if (secret) {
    info(ctx.io, 'metrics are enabled with a generated secret; once deployed, query them with:');
    const ns = offlineNamespace(ctx.globals);
    commands(ctx.io, [metricsQuery(`docker-registry.${ns}.svc`, file === '-' ? '<the secret in openshift.metrics.secret>' : `$(sed -n 's/^ *secret: //p' ${name})`)]);
  }
}

function readEnv(o: OverrideConfigOptions): Record<string, string> {
  const env: Record<string, string> = {};
  if (o.envFromPath) {
    const r = parseEnvList(readInputFile('--env-from', o.envFromPath));
    if (r.errors.length) throw new UsageError(`--env-from: ${o.envFromPath}:${r.errors[0]!.line}: ${r.errors[0]!.message}`);
    Object.assign(env, r.env);
  }
  for (const s of o.settings) env[s.env] = s.value;
  return env;
}

export function formatFinding(file: string, f: Finding): string {
  const where = f.line !== undefined ? `${file}:${f.line}` : f.path.startsWith('env.') ? `${file} (environment)` : file;
  const registry = f.registry && f.registry !== f.message ? `    the registry logs: ${f.registry.replace(/\n\s*/g, ' ')}\n` : '';
  return `${where}: ${f.severity}: ${f.path ? f.path + ': ' : ''}${f.message}\n${registry}    fix: ${f.fix}\n`;
}

/** Prints a check's findings (stdout: they are what was asked for) and a summary on stderr. */
export function printCheck(ctx: Context, file: string, r: CheckResult): void {
  const out = ctx.globals.output;
  if (out === 'json' || out === 'yaml') {
    const data = { file, valid: r.errors === 0, errors: r.errors, warnings: r.warnings, findings: r.findings };
    ctx.io.out.write(out === 'json' ? JSON.stringify(data, null, 2) + '\n' : toYaml(data));
    return;
  }
  for (const f of r.findings) ctx.io.out.write(formatFinding(file, f));
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  if (r.errors) info(ctx.io, `${file}: ${plural(r.errors, 'error')}, ${plural(r.warnings, 'warning')}`);
  else if (r.warnings) info(ctx.io, `${file}: valid, ${plural(r.warnings, 'warning')}`);
  else success(ctx.io, `${file}: valid`);
}

function runCheck(o: OverrideConfigOptions, ctx: Context): void {
  const text = readInputFile('FILE', o.file!);
  const env = o.envFromPath || o.settings.length ? readEnv(o) : undefined;
  const r = checkRegistryConfig(text, { env, release: o.registryVersion ?? '4.x' });
  printCheck(ctx, o.file!, r);
  if (r.errors) throw new SilentExit(1);
}

/** Loads a config for --show; a file that is not YAML is bad input. */
export function loadConfigValue(file: string, text: string): unknown {
  try {
    return toValue(parseYamlSource(text));
  } catch (e) {
    if (e instanceof YamlSyntaxError) throw new UsageError(`${file}:${e.line}: not valid YAML: ${e.reason}`);
    throw e;
  }
}

/** `source` describes where the config comes from; `file` names it in a YAML error. */
export function printEffective(ctx: Context, source: string, text: string, env: Record<string, string>, release: RegistryRelease, file = source): void {
  const e = effectiveConfig(loadConfigValue(file, text), env, release);
  const out = ctx.globals.output;
  if (out === 'json' || out === 'yaml') {
    const data = { source, config: e.config, overrides: e.overrides, ignored: e.ignored };
    ctx.io.out.write(out === 'json' ? JSON.stringify(data, null, 2) + '\n' : toYaml(data));
  } else {
    ctx.io.out.write(`# ${source}, with the registry's environment applied\n` + renderEffectiveConfig(e, { hideSecrets: true }));
    if (renderEffectiveConfig(e, { hideSecrets: true }) !== renderEffectiveConfig(e)) info(ctx.io, 'secrets are shown as <hidden>; -o yaml shows them');
  }
  for (const name of e.ignored) warn(ctx.io, `${name} is set but ignored by the registry (${name.startsWith('REGISTRY_MIDDLEWARE_') || name.endsWith('_VERSION') ? 'the middleware section and the versions cannot come from the environment' : 'it names no setting the registry has'})`);
  if (e.overrides.length === 0 && (out === undefined)) info(ctx.io, 'no environment override applies');
  // What is printed only runs if the registry accepts it.
  const verdict = readAsRegistry(text, { release, env: { ...SERVICE_ENV, ...env } });
  if (verdict.error) warn(ctx.io, `the ${release} registry would not start with this: ${verdict.error.message.replace(/\n\s*/g, ' ')} (regctl override-config --check says more)`);
}

export async function runOverrideConfigMode(o: OverrideConfigOptions, ctx: Context): Promise<void> {
  switch (o.mode) {
    case 'init':
      return runInit(o, ctx);
    case 'check':
      return runCheck(o, ctx);
    case 'show':
      if (o.file) {
        const text = readInputFile('FILE', o.file);
        return printEffective(ctx, o.file, text, readEnv(o), o.registryVersion ?? '4.x');
      }
      break;
    default:
      break;
  }
  const { applyOverrideConfig } = await import('./override-config-apply.js');
  await applyOverrideConfig(o, ctx);
}
