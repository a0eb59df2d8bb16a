// Environment overrides of the registry's config.yml: the `--set` keys the documents allow
// (seed 000, "Overriding Middleware Configuration Options" and "OpenShift"), and the effective
// configuration the registry ends up with once its environment is applied. Pure.
import { dump } from 'js-yaml';
import { MIDDLEWARE_ENV_OPTIONS, MIDDLEWARE_ENV_PREFIX } from './settings.js';
import { distributionSchema, openshiftSchema, PARAMETERS, type GoType, type RegistryRelease } from './go-schema.js';
import { parseYamlSource, resolvePlain, toValue } from './yaml-source.js';

/** `NAME=VALUE` lines, as `oc set env dc/docker-registry --list` prints them (# lines skipped). */
export function parseEnvList(text: string): { env: Record<string, string>; errors: { line: number; message: string }[] } {
  const env: Record<string, string> = {};
  const errors: { line: number; message: string }[] = [];
  text.split('\n').forEach((l, i) => {
    const line = l.replace(/\r$/, '');
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) errors.push({ line: i + 1, message: `"${line}" is not NAME=VALUE` });
    else env[m[1]!] = m[2]!.replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1');
  });
  return { env, errors };
}

export interface Override {
  /** The config path the variable set, e.g. `middleware.repository[0].options.pullthrough`. */
  path: string;
  env: string;
  value: unknown;
}

export interface EffectiveConfig {
  config: Record<string, unknown>;
  overrides: Override[];
  /** Variables the registry does not apply (middleware, versions). */
  ignored: string[];
}

// What each legacy middleware variable also overrides in the openshift section (REFERENCE §2.3).
const NEW_KEYS: Record<string, string[]> = {
  enforcequota: ['quota', 'enabled'],
  projectcachettl: ['quota', 'cachettl'],
  blobrepositorycachettl: ['cache', 'blobrepositoryttl'],
  pullthrough: ['pullthrough', 'enabled'],
  mirrorpullthrough: ['pullthrough', 'mirror'],
  acceptschema2: ['compatibility', 'acceptschema2'],
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A variable's value as the registry reads it: a YAML document (a scalar, a list or a mapping). */
function payload(raw: string): unknown {
  try {
    return toValue(parseYamlSource(raw));
  } catch {
    return raw; // the registry refuses it; --check says how
  }
}

/** A driver or auth type given as a string is a section with no parameters (Storage.UnmarshalYAML). */
const asSection = (v: unknown): unknown => (typeof v === 'string' ? { [v]: {} } : v);

/**
 * One REGISTRY_* variable applied as distribution's parser does it: the path walks the Go
 * types (struct fields by their upper-cased Go names, written under their YAML keys; map keys
 * matched case-insensitively, new ones lower-cased); the value replaces the whole field. Where
 * the registry does nothing (an unknown field, a list, a scalar), nothing is applied.
 */
function applyVariable(config: Record<string, unknown>, name: string, raw: string, release: RegistryRelease): { path: string; value: unknown } | undefined {
  const segments = name.split('_').slice(1);
  let t: GoType = segments[0] === 'OPENSHIFT' ? openshiftSchema() : distributionSchema(release);
  let node: Record<string, unknown> = config;
  const path: string[] = [];
  for (const [i, seg] of segments.entries()) {
    while (t.k === 'ptr') t = t.elem;
    let key: string;
    if (t.k === 'struct') {
      const field = t.fields.find((f) => f.go.toUpperCase() === seg);
      if (!field) return undefined;
      key = field.yaml;
      t = field.type;
    } else if (t.k === 'map' || t.k === 'storage' || t.k === 'auth' || t.k === 'iface') {
      key = Object.keys(node).find((k) => k.toUpperCase() === seg) ?? seg.toLowerCase();
      t = t.k === 'map' ? t.elem : t.k === 'iface' ? t : PARAMETERS;
    } else {
      return undefined;
    }
    path.push(key);
    const last = i === segments.length - 1;
    if (last) {
      const value = t.k === 'storage' || t.k === 'auth' ? asSection(payload(raw)) : payload(raw);
      node[key] = value;
      return { path: path.join('.'), value };
    }
    if (t.k === 'storage' || t.k === 'auth') node[key] = asSection(node[key]);
    // A list or a scalar already there: the registry does not descend into it.
    if (node[key] !== undefined && node[key] !== null && !isObject(node[key])) return undefined;
    if (!isObject(node[key])) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  return undefined;
}

/**
 * The configuration the registry runs with: the file, then each REGISTRY_* variable in name
 * order as distribution applies them (applyVariable). The middleware section takes only the
 * six documented variables, which also win over the openshift section's matching keys.
 */
export function effectiveConfig(file: unknown, env: Record<string, string>, release: RegistryRelease = '4.x'): EffectiveConfig {
  const config: Record<string, unknown> = structuredClone(isObject(file) ? file : {});
  const overrides: Override[] = [];
  const ignored: string[] = [];
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith('REGISTRY_') || name === 'REGISTRY_CONFIGURATION_PATH') continue;
    const raw = env[name]!;
    if (name.startsWith('REGISTRY_MIDDLEWARE_')) {
      const opt = name.startsWith(MIDDLEWARE_ENV_PREFIX) ? name.slice(MIDDLEWARE_ENV_PREFIX.length).toLowerCase() : '';
      if (!(opt in MIDDLEWARE_ENV_OPTIONS)) {
        ignored.push(name);
        continue;
      }
      const value = MIDDLEWARE_ENV_OPTIONS[opt as keyof typeof MIDDLEWARE_ENV_OPTIONS] === 'bool' ? raw.toLowerCase() === 'true' : raw;
      const mw = (isObject(config.middleware) ? config.middleware : (config.middleware = {})) as Record<string, unknown>;
      const repo = (Array.isArray(mw.repository) ? mw.repository : (mw.repository = [])) as unknown[];
      let idx = repo.findIndex((e) => isObject(e) && e.name === 'openshift');
      if (idx < 0) idx = repo.push({ name: 'openshift' }) - 1;
      const item = repo[idx] as Record<string, unknown>;
      const options = (isObject(item.options) ? item.options : (item.options = {})) as Record<string, unknown>;
      options[opt] = value;
      overrides.push({ path: `middleware.repository[${idx}].options.${opt}`, env: name, value });
      const [section, key] = NEW_KEYS[opt]!;
      const os = config.openshift;
      if (isObject(os) && isObject(os[section!])) {
        (os[section!] as Record<string, unknown>)[key!] = value;
        overrides.push({ path: `openshift.${section}.${key}`, env: name, value });
      }
      continue;
    }
    if (name === 'REGISTRY_VERSION' || name === 'REGISTRY_OPENSHIFT_VERSION') {
      ignored.push(name);
      continue;
    }
    const at = applyVariable(config, name, raw, release);
    if (at) overrides.push({ path: at.path, env: name, value: at.value });
    else ignored.push(name);
  }
  return { config, overrides, ignored };
}

function scalarText(v: unknown): string {
  if (typeof v === 'string' && /^[A-Za-z0-9/_.:-]+$/.test(v) && typeof resolvePlain(v) === 'string') return v;
  // Numbers kept as written (versions: 1.0, 0.1) print as written.
  if (typeof v === 'string' && /^[-+]?\d+(\.\d+)?$/.test(v)) return v;
  return dump(v, { lineWidth: -1, flowLevel: 0 }).trimEnd();
}

/** Keys whose values are credentials: the human view hides them (-o yaml|json shows them). */
const SECRET_KEY = /secret|password|accountkey|privatekey/i;

/** YAML of the effective configuration, each overridden value marked with its variable. */
export function renderEffectiveConfig(e: EffectiveConfig, opts: { hideSecrets?: boolean } = {}): string {
  const marks = new Map(e.overrides.map((o) => [o.path, o.env]));
  const scalar = (v: unknown, key: string) => (opts.hideSecrets && SECRET_KEY.test(key) && typeof v === 'string' && v !== '' && !/^<.*>$/.test(v) ? '<hidden>' : scalarText(v));
  const lines: string[] = [];
  const mark = (path: string) => (marks.has(path) ? `    # ← ${marks.get(path)}` : '');

  function emit(value: unknown, path: string, indent: string): void {
    if (isObject(value)) {
      for (const [k, v] of Object.entries(value)) {
        const p = path ? `${path}.${k}` : k;
        if (isObject(v) && Object.keys(v).length > 0) {
          lines.push(`${indent}${k}:${mark(p)}`);
          emit(v, p, indent + '  ');
        } else if (Array.isArray(v) && v.length > 0) {
          lines.push(`${indent}${k}:${mark(p)}`);
          emitList(v, p, indent + '  ');
        } else lines.push(`${indent}${k}: ${scalar(v, k)}${mark(p)}`);
      }
    }
  }
  function emitList(list: unknown[], path: string, indent: string): void {
    list.forEach((item, i) => {
      const p = `${path}[${i}]`;
      if (isObject(item) && Object.keys(item).length > 0) {
        const start = lines.length;
        emit(item, p, indent + '  ');
        lines[start] = `${indent}- ${lines[start]!.slice(indent.length + 2)}`;
      } else lines.push(`${indent}- ${scalar(item, '')}${mark(p)}`);
    });
  }
  emit(e.config, '', '');
  return lines.join('\n') + '\n';
}
