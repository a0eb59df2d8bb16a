// The registry's own reading of config.yml, step by step as its Go code does it, so a check
// can say what the registry will say: yaml.v2 decoding into typed structs (string-or-mapping
// storage and auth, loglevel and version validation, "cannot unmarshal" type errors with
// lines), distribution's environment overrides (REGISTRY_* in byte order, Go field names
// matched upper-cased, a whole section replaced by its variable, map keys lower-cased, values
// read as YAML into the field's type), then image-registry's openshift section and its
// middleware migration (pkg/dockerregistry/server/configuration). Pure.
import { parseGoDuration } from './go-duration.js';
import { MIDDLEWARE_ENV_PREFIX } from './settings.js';
import { distributionSchema, goTypeName, openshiftSchema, PARAMETERS, storageDrivers, type GoType, type RegistryRelease } from './go-schema.js';
import { parseYamlSource, YamlSyntaxError, type YNode } from './yaml-source.js';

/** A map decoded from YAML into an interface{}: Go's map[interface{}]interface{}. */
export class IfaceMap extends Map<unknown, unknown> {}

export interface RegistryWarning {
  message: string;
  /** The variable it is about, when it is about one. */
  env?: string;
}

export interface RegistryVerdict {
  /** The error the registry stops with, word for word (after "error parsing configuration file: " where it logs that). */
  error?: { message: string; stage: 'parse' | 'environment' | 'openshift' | 'panic'; env?: string; section: 'distribution' | 'openshift' };
  warnings: RegistryWarning[];
  /** The decoded configuration (Go field names), when parsing got that far. */
  docker?: Record<string, any>;
  openshift?: Record<string, any>;
}

class GoFail extends Error {}
class GoPanic extends Error {}

interface Dec {
  terrors: string[];
  release: RegistryRelease;
}

const BAD = Symbol('bad');

function isNull(n: YNode | null): boolean {
  return n === null || (n.kind === 'scalar' && n.plain && n.value === null);
}

function scalarTag(n: YNode): string {
  if (n.kind === 'map') return '!!map';
  if (n.kind === 'seq') return '!!seq';
  if (!n.plain) return '!!str';
  const v = n.value;
  if (v === null) return '!!null';
  if (typeof v === 'boolean') return '!!bool';
  if (typeof v === 'number') return Number.isInteger(v) && !/[.eE]/.test(n.text) ? '!!int' : '!!float';
  return '!!str';
}

function terror(d: Dec, n: YNode, t: GoType): typeof BAD {
  const tag = scalarTag(n);
  let value = '';
  if (n.kind === 'scalar') value = n.text.length > 10 ? ` \`${n.text.slice(0, 7)}...\`` : ` \`${n.text}\``;
  d.terrors.push(`line ${n.line}: cannot unmarshal ${tag}${value} into ${goTypeName(t)}`);
  return BAD;
}

/** Go's zero value of a type. */
export function zero(t: GoType): any {
  switch (t.k) {
    case 'struct':
      return Object.fromEntries(t.fields.map((f) => [f.go, zero(f.type)]));
    case 'string':
    case 'loglevel':
    case 'version':
      return '';
    case 'bool':
      return false;
    case 'int':
    case 'duration':
      return 0;
    default:
      return null;
  }
}

/** Runs an UnmarshalYAML's inner unmarshal: its type errors come back to it instead of piling up. */
function inner<T>(d: Dec, fn: () => T): { value: T; errors: string[] } {
  const before = d.terrors.length;
  const value = fn();
  const errors = d.terrors.splice(before);
  return { value, errors };
}

function parseUint(s: string): string | undefined {
  return /^[0-9]+$/.test(s) ? undefined : `strconv.ParseUint: parsing ${JSON.stringify(s)}: invalid syntax`;
}

function indexPanic(d: Dec): GoPanic {
  return new GoPanic(d.release === '3.11' ? 'runtime error: index out of range' : 'runtime error: index out of range [1] with length 1');
}

function exactlyOne(d: Dec, kind: 'storage' | 'auth', keys: string[]): string {
  const types = kind === 'storage' ? storageDrivers(keys) : keys;
  // Go prints the map's keys in its random iteration order; sorted here so the text is stable.
  const list = `[${[...types].sort().join(' ')}]`;
  if (kind === 'auth') return `must provide exactly one type. Provided: ${list}`;
  return `${d.release === '2.8' ? 'm' : 'M'}ust provide exactly one storage type. Provided: ${list}`;
}

function decode(n: YNode | null, t: GoType, d: Dec): any {
  if (n === null || isNull(n)) return zero(t);
  switch (t.k) {
    case 'iface':
      return decodeIface(n);
    case 'string':
      return n.kind === 'scalar' ? n.text : terror(d, n, t);
    case 'bool':
      return n.kind === 'scalar' && typeof n.value === 'boolean' && n.plain ? n.value : terror(d, n, t);
    case 'int':
    case 'duration': {
      if (n.kind === 'scalar' && n.plain && typeof n.value === 'number' && Number.isFinite(n.value)) return Math.trunc(n.value);
      if (t.k === 'duration' && n.kind === 'scalar' && typeof n.value === 'string') {
        const r = parseGoDuration(n.value);
        if ('ns' in r) return r.ns;
      }
      return terror(d, n, t);
    }
    case 'loglevel': {
      const r = inner(d, () => decode(n, { k: 'string' }, d));
      if (r.errors.length) return d.terrors.push(...r.errors), BAD;
      const level = String(r.value).toLowerCase();
      if (!['error', 'warn', 'info', 'debug'].includes(level)) throw new GoFail(`${d.release === '2.8' ? 'i' : 'I'}nvalid loglevel ${level} Must be one of [error, warn, info, debug]`);
      return level;
    }
    case 'version': {
      const r = inner(d, () => decode(n, { k: 'string' }, d));
      if (r.errors.length) return d.terrors.push(...r.errors), BAD;
      const parts = String(r.value).split('.');
      const major = parseUint(parts[0]!);
      if (major) throw new GoFail(major);
      if (parts.length < 2) throw indexPanic(d);
      const minor = parseUint(parts[1]!);
      if (minor) throw new GoFail(minor);
      return r.value;
    }
    case 'storage':
    case 'auth': {
      const asMap = inner(d, () => decode(n, { k: 'map', name: 'map[string]configuration.Parameters', elem: PARAMETERS }, d));
      if (asMap.errors.length === 0 && asMap.value !== BAD) {
        const m = asMap.value as Map<string, unknown> | null;
        const keys = m ? [...m.keys()] : [];
        const types = t.k === 'storage' ? storageDrivers(keys) : keys;
        if (keys.length > 1 && types.length > 1) throw new GoFail(exactlyOne(d, t.k, keys));
        return m;
      }
      const asString = inner(d, () => decode(n, { k: 'string' }, d));
      if (asString.errors.length) return d.terrors.push(...asString.errors), BAD;
      return new Map([[asString.value as string, new Map()]]);
    }
    case 'ptr':
      return decode(n, t.elem, d);
    case 'slice': {
      if (n.kind !== 'seq') return terror(d, n, t);
      return n.items.map((it) => decode(it, t.elem, d)).filter((v) => v !== BAD);
    }
    case 'map': {
      if (n.kind !== 'map') return terror(d, n, t);
      const m = new Map<string, unknown>();
      for (const e of n.entries) {
        const v = decode(e.value, t.elem, d);
        if (v !== BAD) m.set(e.key, v);
      }
      return m;
    }
    case 'struct': {
      if (n.kind !== 'map') return terror(d, n, t);
      const o = zero(t);
      for (const e of n.entries) {
        const field = t.fields.find((x) => x.yaml === e.key);
        if (!field) continue; // yaml.v2 ignores keys no field takes
        const v = decode(e.value, field.type, d);
        if (v !== BAD) o[field.go] = v;
      }
      return o;
    }
  }
}

function decodeIface(n: YNode): unknown {
  if (n.kind === 'scalar') return n.plain ? n.value : n.text;
  if (n.kind === 'seq') return n.items.map(decodeIface);
  const m = new IfaceMap();
  for (const e of n.entries) m.set(e.key, decodeIface(e.value));
  return m;
}

/** yaml.Unmarshal(text, &v): the value, or the error it returns. */
function unmarshal(text: string, t: GoType, d: Dec, o: { emptyMap?: boolean } = {}): any {
  let root: YNode | null;
  try {
    root = parseYamlSource(text);
  } catch (e) {
    if (e instanceof YamlSyntaxError) throw new GoFail(`yaml: line ${e.line}: ${e.reason}`);
    throw e;
  }
  // A map passed by value (not a pointer) is emptied by a null document, not set to nil.
  if (o.emptyMap && isNull(root)) return new Map();
  const before = d.terrors.length;
  const v = decode(root, t, d);
  const errors = d.terrors.splice(before);
  if (errors.length) throw new GoFail(`yaml: unmarshal errors:\n  ${errors.join('\n  ')}`);
  return v === BAD ? zero(t) : v;
}

// ---- distribution's environment overrides (configuration/parser.go) ----

interface Env {
  name: string;
  value: string;
}

class Overwriter {
  constructor(
    readonly d: Dec,
    readonly warnings: RegistryWarning[],
  ) {}

  fields(v: any, t: GoType, full: string, path: string[], payload: string): any {
    if (t.k === 'ptr') {
      if (v === null) throw new GoPanic(`encountered nil pointer while handling environment variable ${full}`);
      return this.fields(v, t.elem, full, path, payload);
    }
    if (t.k === 'struct') return this.struct(v, t, full, path, payload);
    if (t.k === 'map' || t.k === 'storage' || t.k === 'auth') return this.map(v, t.k === 'map' ? t.elem : PARAMETERS, full, path, payload);
    if (t.k === 'iface') {
      if (v === null) {
        // Interface was empty: an implicit map[string]interface{}.
        const m = new Map<string, unknown>();
        this.map(m, { k: 'iface' }, full, path, payload);
        return m;
      }
      if (v instanceof Map) return this.map(v, { k: 'iface' }, full, path, payload);
    }
    return v; // a scalar or a slice: the variable changes nothing
  }

  struct(o: any, t: Extract<GoType, { k: 'struct' }>, full: string, path: string[], payload: string): any {
    const field = t.fields.find((f) => f.go.toUpperCase() === path[0]);
    if (!field) {
      this.warnings.push({ message: `Ignoring unrecognized environment variable ${full}`, env: full });
      return o;
    }
    if (path.length === 1) {
      o[field.go] = unmarshal(payload, field.type, this.d);
      return o;
    }
    const k = field.type.k;
    if ((k === 'map' || k === 'storage' || k === 'auth') && o[field.go] === null) o[field.go] = new Map();
    if (k === 'ptr' && o[field.go] === null) o[field.go] = zero(field.type.elem);
    o[field.go] = this.fields(o[field.go], field.type, full, path.slice(1), payload);
    return o;
  }

  map(m: Map<any, unknown>, elem: GoType, full: string, path: string[], payload: string): Map<any, unknown> {
    if (m instanceof IfaceMap) {
      this.warnings.push({ message: `Ignoring environment variable ${full} involving map with non-string keys`, env: full });
      return m;
    }
    if (path.length > 1) {
      for (const [k, value] of m) {
        if (String(k).toUpperCase() !== path[0]) continue;
        // A nil value is recreated rather than descended into.
        if (['ptr', 'iface', 'map'].includes(elem.k) && value === null) break;
        this.fields(value, elem, full, path.slice(1), payload);
        return m;
      }
    }
    let value: any = elem.k === 'map' ? new Map() : zero(elem);
    if (path.length > 1) value = this.fields(value, elem, full, path.slice(1), payload);
    else value = unmarshal(payload, elem, this.d, { emptyMap: elem.k === 'map' });
    m.set(path[0]!.toLowerCase(), value);
    return m;
  }
}

function applyEnv(root: any, schema: GoType, env: Env[], d: Dec, warnings: RegistryWarning[]): void {
  const w = new Overwriter(d, warnings);
  for (const e of env) {
    if (!e.name.startsWith('REGISTRY_')) continue;
    try {
      w.fields(root, schema, e.name, e.name.split('_').slice(1), e.value);
    } catch (err) {
      if (err instanceof GoFail || err instanceof GoPanic) Object.assign(err, { env: e.name });
      throw err;
    }
  }
}

const byteOrder = (a: Env, b: Env) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

// ---- the versioned parser (configuration.Parse) ----

function storageType(storage: Map<string, unknown> | null): string {
  const types = storageDrivers(storage?.keys() ?? []);
  if (types.length > 1) throw new GoPanic(`multiple storage drivers specified in configuration or environment: ${types.sort().join(', ')}`);
  return types[0] ?? '';
}

function versionOf(root: YNode | null, d: Dec): string {
  const v = decode(root, { k: 'struct', fields: [{ go: 'Version', yaml: 'version', type: { k: 'version' } }] }, d);
  const errors = d.terrors.splice(0);
  if (errors.length) throw new GoFail(`yaml: unmarshal errors:\n  ${errors.join('\n  ')}`);
  return v === BAD ? '' : v.Version;
}

function parseDistribution(root: YNode | null, env: Env[], d: Dec, warnings: RegistryWarning[]): Record<string, any> {
  const version = versionOf(root, d);
  if (version !== '0.1') throw new GoFail(`${d.release === '2.8' ? 'u' : 'U'}nsupported version: ${JSON.stringify(version)}`);
  const schema = distributionSchema(d.release);
  const config = decode(root, schema, d);
  const errors = d.terrors.splice(0);
  if (errors.length) throw new GoFail(`yaml: unmarshal errors:\n  ${errors.join('\n  ')}`);
  applyEnv(config, schema, env, d, warnings);
  if (d.release === '3.11') {
    if (config.Loglevel === '') config.Loglevel = 'info';
  } else {
    if (config.Log.Level === '') config.Log.Level = config.Loglevel !== '' ? config.Loglevel : 'info';
    config.Loglevel = '';
    if ('Catalog' in config && config.Catalog.MaxEntries <= 0) config.Catalog.MaxEntries = 1000;
  }
  if (storageType(config.Storage) === '') throw new GoFail(`${d.release === '2.8' ? 'n' : 'N'}o storage configuration provided`);
  return config;
}

// ---- image-registry's openshift section and middleware migration ----

/** Go's %#+v of a decoded YAML value, as convertBool prints it. */
function goSharpV(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Map) return `map[interface {}]interface {}{${[...v].map(([k, x]) => `${goSharpV(k)}:${goSharpV(x)}`).join(', ')}}`;
  if (Array.isArray(v)) return `[]interface {}{${v.map(goSharpV).join(', ')}}`;
  return String(v);
}

/** Go's %T of a decoded YAML value. */
function goTypeOf(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  if (v instanceof IfaceMap) return 'map[interface {}]interface {}';
  if (v instanceof Map) return 'map[string]interface {}';
  return '[]interface {}';
}

type Convert = (v: unknown) => { value: unknown } | { error: string };

const convertBool: Convert = (v) => {
  if (typeof v === 'boolean') return { value: v };
  if (typeof v === 'string' && ['true', 'false'].includes(v.toLowerCase())) return { value: v.toLowerCase() === 'true' };
  return { error: `${goSharpV(v)} is not a boolean` };
};
const convertString: Convert = (v) => (typeof v === 'string' ? { value: v } : { error: `expected string, not ${goTypeOf(v)}` });

function convertDuration(release: RegistryRelease): Convert {
  return (v) => {
    if (typeof v !== 'string') return { error: `expected string, not ${goTypeOf(v)}` };
    const r = parseGoDuration(v, { unquoted: release === '3.11' });
    return 'ns' in r ? { value: r.ns } : { error: `parse duration error: ${r.error}` };
  };
}

class Migration {
  constructor(
    readonly env: Map<string, string>,
    readonly release: RegistryRelease,
    readonly warnings: RegistryWarning[],
  ) {}

  option(envVar: string, name: string, def: unknown, options: Map<string, unknown> | null, convert: Convert, section: string): unknown {
    let value = def;
    let err: string | undefined;
    if (options?.has(name)) {
      const r = convert(options.get(name));
      if ('error' in r) err = `config option ${JSON.stringify(name)}: invalid value: ${r.error}`;
      else value = r.value;
    }
    const fromEnv = envVar ? (this.env.get(envVar) ?? '') : '';
    if (fromEnv !== '') {
      const r = convert(fromEnv);
      if ('error' in r) err = `invalid value of environment variable ${envVar}: ${r.error}`;
      else value = r.value;
    }
    if (err) throw new GoFail(`configuration error in ${section}: ${err}`);
    return value;
  }
}

const MW = MIDDLEWARE_ENV_PREFIX;

function migrate(docker: Record<string, any>, os: Record<string, any>, m: Migration): void {
  // setDefaultMiddleware: an openshift entry for each type (a disabled one stays disabled: Go edits a copy).
  if (docker.Middleware === null) docker.Middleware = new Map();
  const mw = docker.Middleware as Map<string, any[] | null>;
  for (const type of ['registry', 'repository', 'storage']) {
    const list = mw.get(type) ?? [];
    const found = list.find((x) => x.Name === 'openshift');
    if (found?.Disabled) m.warnings.push({ message: `wrong configuration detected, openshift ${type} middleware should not be disabled in the config file` });
    if (!found) mw.set(type, [...list, { Name: 'openshift', Disabled: false, Options: null }]);
  }
  const repo = (mw.get('repository') ?? []).find((x) => x.Name === 'openshift');
  const options: Map<string, unknown> | null = repo?.Options ?? null;
  const auth = docker.Auth as Map<string, Map<string, unknown> | null> | null;
  const authParams = auth && auth.size ? ([...auth.values()][0] ?? null) : null;
  if (os.Auth === null) {
    os.Auth = {
      Realm: m.option('', 'realm', 'origin', authParams, convertString, 'openshift.auth.realm'),
      TokenRealm: m.option('', 'tokenrealm', '', authParams, convertString, 'openshift.auth.tokenrealm'),
    };
  }
  if (os.Audit === null) {
    os.Audit = { Enabled: false };
    const audit = authParams?.get('audit');
    if (authParams?.has('audit')) {
      if (!(audit instanceof IfaceMap)) throw new GoPanic(`interface conversion: interface {} is ${goTypeOf(audit)}, not map[interface {}]interface {}`);
      const opts = new Map([...audit].filter(([k]) => typeof k === 'string') as [string, unknown][]);
      os.Audit.Enabled = m.option('', 'enabled', false, opts, convertBool, 'openshift.audit.enabled');
    }
  }
  // migrateServerSection
  const cfgAddr = os.Server?.Addr ?? '';
  os.Server ??= { Addr: '' };
  let addr = m.env.get('OPENSHIFT_DEFAULT_REGISTRY') ?? '';
  if (addr === '') addr = m.env.get('DOCKER_REGISTRY_URL') ?? '';
  if (addr === '') addr = m.option(`${MW}DOCKERREGISTRYURL`, 'dockerregistryurl', '', options, convertString, 'openshift.server.addr') as string;
  if (addr === '') addr = cfgAddr;
  const host = m.env.get('DOCKER_REGISTRY_SERVICE_HOST') ?? '';
  const port = m.env.get('DOCKER_REGISTRY_SERVICE_PORT') ?? '';
  if (addr === '' && host !== '' && port !== '') addr = `${host}:${port}`;
  if (addr === '') throw new GoFail('configuration error in openshift.server.addr: REGISTRY_OPENSHIFT_SERVER_ADDR variable must be set when running outside of Kubernetes cluster');
  os.Server.Addr = addr;
  const duration = convertDuration(m.release);
  // Each section: the file's openshift section wins over the middleware options; the variables win over both.
  const section = (key: string, defaults: Record<string, unknown>, read: (opts: Map<string, unknown> | null, cur: Record<string, any>) => Record<string, unknown>) => {
    const present = os[key] !== null;
    const cur = present ? os[key] : defaults;
    os[key] = { ...cur, ...read(present ? new Map() : options, cur) };
  };
  section('Cache', { Disabled: false, BlobRepositoryTTL: 600e9 }, (o, c) => ({ BlobRepositoryTTL: m.option(`${MW}BLOBREPOSITORYCACHETTL`, 'blobrepositorycachettl', c.BlobRepositoryTTL, o, duration, 'openshift.cache.blobrepositoryttl') }));
  section('Quota', { Enabled: false, CacheTTL: 60e9 }, (o, c) => ({
    Enabled: m.option(`${MW}ENFORCEQUOTA`, 'enforcequota', c.Enabled, o, convertBool, 'openshift.quota.enabled'),
    CacheTTL: m.option(`${MW}PROJECTCACHETTL`, 'projectcachettl', c.CacheTTL, o, duration, 'openshift.quota.cachettl'),
  }));
  section('Pullthrough', { Enabled: true, Mirror: true }, (o, c) => ({
    Enabled: m.option(`${MW}PULLTHROUGH`, 'pullthrough', c.Enabled, o, convertBool, 'openshift.pullthrough.enabled'),
    Mirror: m.option(`${MW}MIRRORPULLTHROUGH`, 'mirrorpullthrough', c.Mirror, o, convertBool, 'openshift.pullthrough.mirror'),
  }));
  if (!os.Pullthrough.Enabled) {
    m.warnings.push({ message: "pullthrough can't be disabled anymore" });
    os.Pullthrough.Enabled = true;
  }
  section('Compatibility', { AcceptSchema2: true }, (o, c) => ({ AcceptSchema2: m.option(`${MW}ACCEPTSCHEMA2`, 'acceptschema2', c.AcceptSchema2, o, convertBool, 'openshift.compatibility.acceptschema2') }));
  if (m.release !== '3.11') docker.Compatibility.Schema1.Enabled = true;
}

function parseOpenshift(root: YNode | null, dockerVersion: string, env: Env[], d: Dec, warnings: RegistryWarning[]): Record<string, any> {
  const vInfo = decode(root, { k: 'struct', name: 'configuration.versionInfo', fields: [{ go: 'Openshift', yaml: 'openshift', type: { k: 'struct', fields: [{ go: 'Version', yaml: 'version', type: { k: 'ptr', elem: { k: 'version' } } }] } }] }, d);
  const vErrors = d.terrors.splice(0);
  if (vErrors.length) throw new GoFail(`yaml: unmarshal errors:\n  ${vErrors.join('\n  ')}`);
  const osVersion = vInfo === BAD ? null : vInfo.Openshift.Version;
  if (osVersion !== null && osVersion !== '1.0') throw new GoFail('Unsupported openshift configuration version');
  const version = versionOf(root, d);
  if (version !== dockerVersion) throw new GoFail(`Unsupported version: ${JSON.stringify(version)}`);
  const schema = openshiftSchema();
  const config = decode(root, schema, d);
  const errors = d.terrors.splice(0);
  if (errors.length) throw new GoFail(`yaml: unmarshal errors:\n  ${errors.join('\n  ')}`);
  applyEnv(config, schema, env, d, warnings);
  return config.Openshift;
}

export interface ReadOptions {
  release: RegistryRelease;
  /** The container's environment (only REGISTRY_*, OPENSHIFT_DEFAULT_REGISTRY, DOCKER_REGISTRY_* matter). */
  env?: Record<string, string>;
}

/**
 * What the registry of `release` does with this config.yml and environment: the error it stops
 * with (word for word), the warnings it logs, and the configuration it ends up with. Release
 * 2.8 is upstream distribution alone (Debian's docker-registry): no openshift section.
 */
export function readAsRegistry(text: string, o: ReadOptions): RegistryVerdict {
  const d: Dec = { terrors: [], release: o.release };
  const warnings: RegistryWarning[] = [];
  const all = Object.entries(o.env ?? {})
    .map(([name, value]) => ({ name, value }))
    .sort(byteOrder);
  // image-registry hides REGISTRY_OPENSHIFT_* from distribution's parser, and drops REGISTRY_OPENSHIFT_VERSION.
  const openshiftEnv = o.release === '2.8' ? [] : all.filter((e) => e.name.startsWith('REGISTRY_OPENSHIFT_') && e.name !== 'REGISTRY_OPENSHIFT_VERSION');
  const dockerEnv = o.release === '2.8' ? all : all.filter((e) => !e.name.startsWith('REGISTRY_OPENSHIFT_'));
  let root: YNode | null;
  try {
    root = parseYamlSource(text);
  } catch (e) {
    if (!(e instanceof YamlSyntaxError)) throw e;
    return { error: { message: `yaml: line ${e.line}: ${e.reason}`, stage: 'parse', section: 'distribution' }, warnings };
  }
  let docker: Record<string, any> | undefined;
  let stage: 'parse' | 'openshift' = 'parse';
  try {
    docker = parseDistribution(root, dockerEnv, d, warnings);
    if (o.release === '2.8') return { warnings, docker };
    stage = 'openshift';
    const os = parseOpenshift(root, docker.Version, openshiftEnv, d, warnings);
    migrate(docker, os, new Migration(new Map(Object.entries(o.env ?? {})), o.release, warnings));
    return { warnings, docker, openshift: os };
  } catch (e) {
    if (!(e instanceof GoFail || e instanceof GoPanic)) throw e;
    const env = (e as { env?: string }).env;
    const errorStage = e instanceof GoPanic ? 'panic' : env ? 'environment' : stage;
    return { error: { message: e.message, stage: errorStage, section: stage === 'parse' ? 'distribution' : 'openshift', ...(env ? { env } : {}) }, warnings, docker };
  }
}

/** The storage driver the registry ends up with ('' when none). */
export function effectiveStorageType(docker: Record<string, any> | undefined): string {
  const s = docker?.Storage as Map<string, unknown> | null | undefined;
  return storageDrivers(s?.keys() ?? [])[0] ?? '';
}
