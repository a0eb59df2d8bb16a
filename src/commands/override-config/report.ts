// What `regctl override-config` prints when it answers a question rather than changing
// anything: --check's findings, --show's effective configuration; and the file inputs they read.
import type { Context } from '../../context.js';
import { SilentExit, UsageError } from '../../errors.js';
import { readInputFile } from '../../host/files.js';
import { info, success, warn } from '../../output/messages.js';
import { toYaml } from '../../output/printers.js';
import { checkRegistryConfig, SERVICE_ENV, type CheckResult, type Finding } from '../../registry-config/check.js';
import { effectiveConfig, parseEnvList, renderEffectiveConfig } from '../../registry-config/env.js';
import type { RegistryRelease } from '../../registry-config/go-schema.js';
import { readAsRegistry } from '../../registry-config/registry-parse.js';
import { parseYamlSource, toValue, YamlSyntaxError } from '../../registry-config/yaml-source.js';
import type { OverrideConfigOptions } from './options.js';

export function metricsSecret(ctx: Context): string {
  return Buffer.from(ctx.randomBytes(32)).toString('hex');
}

export function readEnv(o: OverrideConfigOptions): Record<string, string> {
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

export function runCheck(o: OverrideConfigOptions, ctx: Context): void {
  const text = readInputFile('FILE', o.file!);
  const env = o.envFromPath || o.settings.length ? readEnv(o) : undefined;
  const r = checkRegistryConfig(text, { env, release: o.registryVersion ?? '4.x' });
  printCheck(ctx, o.file!, r);
  if (r.errors) throw new SilentExit(1);
}

