// Checks a registry config.yml two ways: as the registry itself reads it (registry-parse.ts:
// its errors and warnings word for word, for the release the user names, with the environment
// applied), and against what the documents require (seed 000 "Registry Configuration
// Reference", seed 003 "Known Issues", shared/REFERENCE.md §2.3, §3). Pure.
import { parseGoDuration } from './go-duration.js';
import { distributionSchema, openshiftSchema, STORAGE_PARAMETERS, type GoType, type RegistryRelease } from './go-schema.js';
import { IMAGE_DEFAULT_CONFIG } from '../templates/registry-config.js';
import { keyFiles } from './credentials.js';
import { effectiveStorageType, readAsRegistry, type RegistryVerdict } from './registry-parse.js';
import { MIDDLEWARE_ENV_OPTIONS, MIDDLEWARE_ENV_PREFIX } from './settings.js';
import { child, entry, parseYamlSource, resolvePlain, YamlSyntaxError, type MapNode, type YNode } from './yaml-source.js';

export type Severity = 'error' | 'warning';

export interface Finding {
  severity: Severity;
  /** Where: a YAML path (`storage.delete.enabled`, `middleware.storage[1]`) or `env.NAME`. */
  path: string;
  /** 1-based line in the file; absent for environment variables and missing sections. */
  line?: number;
  message: string;
  fix: string;
  /** The registry's own log line, word for word, when the registry itself refuses or warns. */
  registry?: string;
}

export interface CheckResult {
  findings: Finding[];
  errors: number;
  warnings: number;
}

const LOG_FORMATTERS = ['text', 'json', 'logstash'];
/** Drivers OpenShift supports in config.yml (seed 000 "Storage"); `oss` is Aliyun OSS. */
const SUPPORTED_DRIVERS = ['filesystem', 's3', 'swift', 'gcs', 'azure', 'oss'];
const UPSTREAM_DRIVERS = [...SUPPORTED_DRIVERS, 'inmemory', 's3aws'];

// Known keys, for "unknown key" warnings (the registry's YAML decoder ignores unknown keys).
// `true` is a leaf; `'any'` is free-form (driver parameters, headers, hook options...).
type Schema = { [key: string]: Schema | true | 'any' };
/** The storage keys that are not a driver; a driver's own parameters are free-form. */
const STORAGE_PARAM_SCHEMA: Schema = {
  delete: { enabled: true },
  redirect: { disable: true },
  cache: { blobdescriptor: true, layerinfo: true, blobdescriptorsize: true },
  maintenance: { uploadpurging: { enabled: true, age: true, interval: true, dryrun: true }, readonly: { enabled: true } },
};
/** The keys each struct of the release's Go types takes (maps, slices and interfaces are free-form). */
function schemaOf(t: GoType): Schema | true | 'any' {
  if (t.k === 'ptr') return schemaOf(t.elem);
  if (t.k === 'struct') return Object.fromEntries(t.fields.map((f) => [f.yaml, schemaOf(f.type)]));
  if (['map', 'slice', 'iface', 'storage', 'auth'].includes(t.k)) return 'any';
  return true;
}

/** Every key the release's registry reads: distribution's configuration and image-registry's openshift section. */
export function configSchema(release: RegistryRelease): Schema {
  return { ...(schemaOf(distributionSchema(release)) as Schema), ...(schemaOf(openshiftSchema()) as Schema) };
}

/** `openshift.*` leaves and their types, as the registry's Go structs declare them. */
const OPENSHIFT_TYPES: Record<string, 'bool' | 'duration' | 'count' | 'string'> = {
  'server.addr': 'string',
  'auth.realm': 'string',
  'auth.tokenrealm': 'string',
  'audit.enabled': 'bool',
  'metrics.enabled': 'bool',
  'metrics.secret': 'string',
  'requests.read.maxrunning': 'count',
  'requests.read.maxinqueue': 'count',
  'requests.read.maxwaitinqueue': 'duration',
  'requests.write.maxrunning': 'count',
  'requests.write.maxinqueue': 'count',
  'requests.write.maxwaitinqueue': 'duration',
  'quota.enabled': 'bool',
  'quota.cachettl': 'duration',
  'cache.disabled': 'bool',
  'cache.blobrepositoryttl': 'duration',
  'pullthrough.enabled': 'bool',
  'pullthrough.mirror': 'bool',
  'compatibility.acceptschema2': 'bool',
};

const PLACEHOLDER = /^<[^<>]+>$/;

class Checker {
  readonly findings: Finding[] = [];

  error(path: string, line: number | undefined, message: string, fix: string): void {
    this.findings.push({ severity: 'error', path, ...(line !== undefined ? { line } : {}), message, fix });
  }

  warn(path: string, line: number | undefined, message: string, fix: string): void {
    this.findings.push({ severity: 'warning', path, ...(line !== undefined ? { line } : {}), message, fix });
  }
}

const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : String(v));
const goType = (v: unknown) => (typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float64') : typeof v === 'boolean' ? 'bool' : v === null ? 'nil' : Array.isArray(v) ? '[]interface {}' : typeof v === 'object' ? 'map[interface {}]interface {}' : 'string');

function unknownKeys(c: Checker, node: YNode | undefined, schema: Schema, path: string): void {
  if (node?.kind !== 'map') return;
  for (const e of node.entries) {
    const p = path ? `${path}.${e.key}` : e.key;
    const s = schema[e.key];
    if (s === undefined) {
      const lower = schema[e.key.toLowerCase()] !== undefined ? ` (keys are lower-case: "${e.key.toLowerCase()}")` : '';
      c.warn(p, e.keyLine, `unknown key "${e.key}": the registry ignores it${lower}`, lower ? `rename it to "${e.key.toLowerCase()}"` : 'remove it, or check its spelling against the Registry Configuration Reference');
    } else if (typeof s === 'object') unknownKeys(c, e.value, s, p);
    else if (p === 'storage' && e.value.kind === 'map') {
      for (const param of e.value.entries) {
        const ps = STORAGE_PARAM_SCHEMA[param.key];
        if (typeof ps === 'object') unknownKeys(c, param.value, ps, `storage.${param.key}`);
      }
    }
  }
}

function scalarText(n: YNode | undefined): string | undefined {
  return n?.kind === 'scalar' ? n.text : undefined;
}

function checkLog(c: Checker, root: MapNode, v: RegistryVerdict, env: Record<string, string>): void {
  const log = child(root, 'log');
  const legacy = entry(root, 'loglevel');
  if (legacy) c.warn('loglevel', legacy.keyLine, 'top-level "loglevel" is deprecated', 'move it to log.level');
  // The formatter the registry ends up with (the file's, or REGISTRY_LOG_FORMATTER's).
  const fmt = entry(log, 'formatter');
  const formatter = (v.docker?.Log?.Formatter as string | undefined) ?? scalarText(fmt?.value) ?? '';
  if (formatter !== '' && !LOG_FORMATTERS.includes(formatter)) {
    const message = `unsupported logging formatter: ${JSON.stringify(formatter)}`;
    const fromEnv = env.REGISTRY_LOG_FORMATTER !== undefined;
    c.findings.push({ severity: 'error', path: fromEnv ? 'env.REGISTRY_LOG_FORMATTER' : 'log.formatter', ...(!fromEnv && fmt ? { line: fmt.keyLine } : {}), message, fix: 'use text, json or logstash', registry: `error configuring logger: ${message}` });
  }
  const hooks = child(log, 'hooks');
  if (hooks?.kind === 'seq') {
    hooks.items.forEach((h, i) => {
      const t = scalarText(child(h, 'type'));
      if (t === 'mail') c.error(`log.hooks[${i}]`, h.line, 'mail hooks are not supported by the OpenShift registry', 'remove the mail hook; collect the registry logs instead');
    });
  }
}

/** A startup panic of distribution's app (registry/handlers/app.go): the registry does not start. */
function panicFinding(c: Checker, path: string, line: number | undefined, message: string, fix: string): void {
  c.findings.push({ severity: 'error', path, ...(line !== undefined ? { line } : {}), message, fix, registry: `panic: ${message}` });
}

/** Go's %#v of a decoded parameters map, as the redirect panic prints it. */
function goParameters(n: YNode | undefined): string {
  if (n?.kind !== 'map') return 'configuration.Parameters(nil)';
  const goValue = (v: YNode): string => (v.kind === 'scalar' ? (typeof v.value === 'string' || !v.plain ? JSON.stringify(v.text) : String(v.value)) : v.kind === 'map' ? 'map[interface {}]interface {}{...}' : '[]interface {}{...}');
  return `configuration.Parameters{${[...n.entries].sort((a, b) => (a.key < b.key ? -1 : 1)).map((e) => `${JSON.stringify(e.key)}:${goValue(e.value)}`).join(', ')}}`;
}

function durationError(node: YNode | undefined): string | undefined {
  if (node?.kind !== 'scalar') return `expected string, not ${node ? node.kind : 'nil'}`;
  if (typeof node.value !== 'string') return `expected string, not ${goType(node.value)}`;
  const r = parseGoDuration(node.value);
  return 'error' in r ? r.error : undefined;
}

/** What the registry ends up with after its environment, where a rule depends on it. */
interface Effective {
  driver?: string;
  /** storage.delete.enabled as the registry holds it; undefined when unset. */
  deleteEnabled?: unknown;
  /** The auth section's keys (`auth: openshift` is one key). */
  authTypes: string[];
}

function effectiveOf(v: RegistryVerdict, root: MapNode): Effective {
  const docker = v.docker;
  if (docker) {
    const storage = docker.Storage as Map<string, Map<string, unknown> | null> | null;
    const del = storage?.get('delete');
    return {
      driver: effectiveStorageType(docker) || undefined,
      deleteEnabled: del instanceof Map ? del.get('enabled') : undefined,
      authTypes: [...((docker.Auth as Map<string, unknown> | null)?.keys() ?? [])],
    };
  }
  // The registry stopped before: judge the file as written.
  const auth = child(root, 'auth');
  const del = child(child(root, 'storage'), 'delete');
  const en = child(del, 'enabled');
  return {
    driver: storageDriver(root),
    deleteEnabled: en?.kind === 'scalar' ? en.value : undefined,
    authTypes: auth?.kind === 'map' ? auth.entries.map((e) => e.key) : auth?.kind === 'scalar' && auth.value !== null ? [auth.text] : [],
  };
}

function checkStorage(c: Checker, root: MapNode, eff: Effective, release: RegistryRelease): string | undefined {
  const se = entry(root, 'storage');
  const storage = se?.value;
  const driver = eff.driver;
  if (driver !== undefined) {
    const line = entry(storage, driver)?.keyLine ?? se?.keyLine;
    if (!UPSTREAM_DRIVERS.includes(driver)) {
      panicFinding(c, `storage.${driver}`, line, `StorageDriver not registered: ${driver}`, `use one of ${SUPPORTED_DRIVERS.join(', ')} (GlusterFS and Ceph RBD volumes go through filesystem)`);
    } else if (!SUPPORTED_DRIVERS.includes(driver)) {
      c.warn(`storage.${driver}`, line, `the ${driver} driver is not supported by OpenShift`, `use one of ${SUPPORTED_DRIVERS.join(', ')}`);
    }
  }
  if (driver === undefined) return undefined;

  // Pruning deletes blobs: without delete.enabled the registry answers "operation unsupported".
  const del = entry(storage, 'delete');
  const enabled = entry(del?.value, 'enabled');
  if (eff.deleteEnabled !== true) {
    const was = enabled?.value.kind === 'scalar' ? enabled.value : undefined;
    const why =
      was && typeof was.value === 'string' && !was.plain
        ? `the string ${JSON.stringify(was.text)}, which the registry reads as false`
        : enabled
          ? `${was?.text ?? enabled.value.kind}, not true`
          : eff.deleteEnabled !== undefined
            ? `${JSON.stringify(eff.deleteEnabled)} (from the environment), not true`
            : 'missing';
    c.error('storage.delete.enabled', enabled?.keyLine ?? del?.keyLine ?? se?.keyLine, `${why}; image pruning fails with "error deleting blob ... operation unsupported"`, 'set storage.delete.enabled: true (mandatory for pruning)');
  }
  if (storage?.kind !== 'map') return driver;

  // A redirect section needs a boolean disable, or the registry panics.
  const redirectSection = entry(storage, 'redirect');
  if (redirectSection) {
    const disable = entry(redirectSection.value, 'disable');
    const ok = disable?.value.kind === 'scalar' && disable.value.plain && typeof disable.value.value === 'boolean';
    if (!ok) panicFinding(c, 'storage.redirect.disable', disable?.keyLine ?? redirectSection.keyLine, `invalid type for redirect config: ${goParameters(redirectSection.value)}`, 'write disable: true or false, unquoted');
  }

  const cache = child(storage, 'cache');
  for (const key of ['blobdescriptor', 'layerinfo']) {
    const e = entry(cache, key);
    if (!e) continue;
    const v = scalarText(e.value);
    if (v === 'redis') c.error(`storage.cache.${key}`, e.keyLine, 'the redis blob descriptor cache is not supported (Redis is not supported)', `use ${key}: inmemory`);
    else if (v !== 'inmemory') c.warn(`storage.cache.${key}`, e.keyLine, `unknown blob descriptor cache ${show(v ?? '')}`, `use ${key}: inmemory`);
    if (key === 'layerinfo') c.warn('storage.cache.layerinfo', e.keyLine, '"layerinfo" is the old name of "blobdescriptor"', 'rename it to blobdescriptor');
  }

  const maintenance = child(storage, 'maintenance');
  // startUploadPurger: each of these panics at startup (the first one met stops it).
  const purging = entry(maintenance, 'uploadpurging');
  const purge = (path: string, line: number, reason: string, fix: string) => panicFinding(c, path, line, `Unable to parse upload purge configuration: ${reason}`, fix);
  if (purging && purging.value.kind !== 'map') panicFinding(c, 'storage.maintenance.uploadpurging', purging.keyLine, 'uploadpurging config key must contain additional keys', 'write uploadpurging: {enabled: false} or its age, interval and dryrun');
  if (purging && purging.value.kind === 'map') {
    const p = purging.value;
    const en = entry(p, 'enabled');
    // Only a YAML boolean false turns it off; "false" quoted is not false.
    const off = en?.value.kind === 'scalar' && en.value.plain && en.value.value === false;
    if (!off) {
      for (const key of ['age', 'interval'] as const) {
        const path = `storage.maintenance.uploadpurging.${key}`;
        const example = key === 'age' ? '168h' : '24h';
        const e = entry(p, key);
        if (!e) {
          purge(path, purging.keyLine, `${key} missing`, `add ${key}: ${example}`);
          continue;
        }
        const v = e.value.kind === 'scalar' ? (e.value.plain ? e.value.value : e.value.text) : undefined;
        if (typeof v !== 'string') {
          purge(path, e.keyLine, `${key} is not a string`, `write a Go duration, e.g. ${key}: ${example}`);
          continue;
        }
        const r = parseGoDuration(v, { unquoted: release === '3.11' });
        if ('error' in r) purge(path, e.keyLine, `Cannot parse ${key === 'age' ? 'duration' : 'interval'}: ${r.error}`, `write a Go duration (units ns, us, ms, s, m, h), e.g. ${example}`);
      }
      const dry = entry(p, 'dryrun');
      if (!dry) purge('storage.maintenance.uploadpurging.dryrun', purging.keyLine, 'dryrun missing', 'add dryrun: false');
      else if (!(dry.value.kind === 'scalar' && dry.value.plain && typeof dry.value.value === 'boolean')) purge('storage.maintenance.uploadpurging.dryrun', dry.keyLine, 'cannot parse dryrun', 'write dryrun: true or false, unquoted');
    }
  }
  const readonly = entry(maintenance, 'readonly');
  if (readonly && readonly.value.kind !== 'map') panicFinding(c, 'storage.maintenance.readonly', readonly.keyLine, 'readonly config key must contain additional keys', 'write readonly: {enabled: true} or false');
  const ro = entry(readonly?.value, 'enabled');
  if (ro && !(ro.value.kind === 'scalar' && ro.value.plain && typeof ro.value.value === 'boolean')) {
    panicFinding(c, 'storage.maintenance.readonly.enabled', ro.keyLine, "readonly's enabled config key must have a boolean value", 'write true or false, unquoted');
  }
  return driver;
}

function checkAuth(c: Checker, root: MapNode, eff: Effective): void {
  const ae = entry(root, 'auth');
  const auth = ae?.value;
  const fix = 'use exactly "auth: {openshift: {realm: openshift}}"; auth options should not be altered';
  if (eff.authTypes.length === 0) {
    c.error('auth', ae?.keyLine, 'no auth section: the openshift auth is the only supported option', fix);
    return;
  }
  for (const type of eff.authTypes) {
    if (type !== 'openshift') c.error(`auth.${type}`, entry(auth, type)?.keyLine ?? ae?.keyLine, `auth "${type}" is not supported: openshift is the only supported option`, fix);
  }
}

/**
 * Go's url.Parse, as far as its errors and the parts TokenRealm looks at go: it takes almost
 * anything (a bare host name is a path). Go before 1.14 printed the text unquoted.
 */
export function goParseURL(raw: string, release: RegistryRelease): { error: string } | { path: string; query: string; fragment: string } {
  const fail = (reason: string) => ({ error: `parse ${release === '3.11' ? raw : JSON.stringify(raw)}: ${reason}` });
  if (/[\x00-\x1f\x7f]/.test(raw)) return fail('net/url: invalid control character in URL');
  const hashAt = raw.indexOf('#');
  const fragment = hashAt >= 0 ? raw.slice(hashAt + 1) : '';
  let rest = hashAt >= 0 ? raw.slice(0, hashAt) : raw;
  const qAt = rest.indexOf('?');
  const query = qAt >= 0 ? rest.slice(qAt + 1) : '';
  if (qAt >= 0) rest = rest.slice(0, qAt);
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(rest);
  if (rest.startsWith(':')) return fail('missing protocol scheme');
  if (scheme) {
    rest = rest.slice(scheme[0].length);
    if (!rest.startsWith('/')) return { path: '', query, fragment }; // opaque: "https:host"
  } else if (!rest.startsWith('/') && rest.split('/')[0]!.includes(':')) {
    return fail('first path segment in URL cannot contain colon');
  }
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const authority = slash >= 0 ? rest.slice(2, slash) : rest.slice(2);
    const port = /:([^\]:]*)$/.exec(authority.replace(/^.*@/, ''));
    if (port && !/^[0-9]*$/.test(port[1]!)) return fail(`invalid port ${JSON.stringify(':' + port[1])} after host`);
    rest = slash >= 0 ? rest.slice(slash) : '';
  }
  return { path: rest, query, fragment };
}

/** image-registry's TokenRealm(), checked when the registry serves the openshift auth (app.go). */
function checkTokenRealm(c: Checker, root: MapNode, v: RegistryVerdict, eff: Effective, env: Record<string, string>, release: RegistryRelease): void {
  const value = v.openshift?.Auth?.TokenRealm as string | undefined;
  if (!value || eff.authTypes[0] !== 'openshift') return;
  const u = goParseURL(value, release);
  const message =
    'error' in u
      ? `error parsing URL in tokenrealm config option: ${u.error}`
      : u.query || u.fragment
        ? 'tokenrealm config option may not contain query parameters or a fragment'
        : u.path
          ? `tokenrealm config option may not contain a path (${JSON.stringify(u.path)} was specified)`
          : undefined;
  if (!message) return;
  // Where the value came from: the variable, the openshift section, or the auth section it migrates from.
  const path = env.REGISTRY_OPENSHIFT_AUTH_TOKENREALM ? 'env.REGISTRY_OPENSHIFT_AUTH_TOKENREALM' : child(child(root, 'openshift'), 'auth') ? 'openshift.auth.tokenrealm' : 'auth.openshift.tokenrealm';
  const line = path.startsWith('env.') ? undefined : lineOfPath(root, path);
  c.findings.push({ severity: 'error', path, ...(line !== undefined ? { line } : {}), message, fix: 'give only scheme, host and port (e.g. https://registry.example.com:5000); the path is always /openshift/token', registry: `error setting up token auth: ${message}` });
}

/** Each of middleware.registry/repository/storage needs a live `openshift` entry. */
function checkMiddleware(c: Checker, root: MapNode, driver: string | undefined): void {
  const me = entry(root, 'middleware');
  const mw = me?.value;
  for (const kind of ['registry', 'repository', 'storage'] as const) {
    const le = entry(mw, kind);
    const list = le?.value;
    const path = `middleware.${kind}`;
    // Missing: mandatory per the documents, but the 3.11 and 4.x registries append the entry
    // themselves (image-registry's setDefaultMiddleware), so only older ones fail pushes: a
    // warning. Disabled: the registry does not start (REFERENCE §2.3).
    const missing = 'the documents make it mandatory; the 3.11 and 4.x registries add it themselves, older ones fail pushes and builds ("Failed to push image: EOF"; log: "OpenShift registry middleware not activated")';
    const disabledEffect =
      kind === 'repository'
        ? 'pushes and builds fail ("Failed to push image: EOF"; log: "OpenShift registry middleware not activated")'
        : `the registry stops with 'configuration error: the ${kind === 'storage' ? 'storage driver' : 'registry'} middleware "openshift" is not activated'`;
    if (!le || list?.kind !== 'seq') {
      c.warn(path, le?.keyLine ?? me?.keyLine, `no openshift entry: ${missing}`, `add "- name: openshift" under ${path} (mandatory; do not change it)`);
      continue;
    }
    let openshiftAt = -1;
    let cloudfrontAt = -1;
    list.items.forEach((item, i) => {
      const name = scalarText(child(item, 'name'));
      const ip = `${path}[${i}]`;
      if (!name) {
        c.error(ip, item.line, 'middleware entry without a name', 'give each entry a name');
        return;
      }
      const dis = entry(item, 'disabled');
      const disabled = dis?.value.kind === 'scalar' && dis.value.value === true;
      if (name === 'openshift') {
        if (openshiftAt < 0) openshiftAt = i;
        if (disabled) {
          c.error(`${ip}.disabled`, dis!.keyLine, `the openshift ${kind} middleware is disabled: ${disabledEffect}`, 'remove "disabled: true"; the openshift middleware entries are mandatory');
        }
        if (kind === 'repository') checkRepositoryOptions(c, item, ip);
      } else if (kind === 'storage' && name === 'cloudfront') {
        cloudfrontAt = i;
        if (driver !== undefined && driver !== 's3') c.error(ip, item.line, `CloudFront middleware works only with S3 storage, not ${driver}`, 'remove the cloudfront entry, or store on s3');
        const opts = child(item, 'options');
        for (const k of ['baseurl', 'privatekey', 'keypairid']) {
          if (!scalarText(child(opts, k))) c.error(`${ip}.options.${k}`, item.line, `no ${k} provided`, `set options.${k} (the OKD 3 Extended Registry Configuration document, "CloudFront Middleware")`);
        }
        const dur = child(opts, 'duration');
        if (dur) {
          const err = durationError(dur);
          if (err) c.error(`${ip}.options.duration`, dur.line, `invalid duration: ${err}`, 'write a Go duration, e.g. 20m');
        }
      } else if (!disabled) {
        c.warn(ip, item.line, `unknown ${kind} middleware "${name}": the OpenShift registry does not ship it`, 'remove it');
      }
    });
    if (openshiftAt < 0) {
      c.warn(path, le.keyLine, `no openshift entry: ${missing}`, `add "- name: openshift" to ${path} (mandatory; do not change it)`);
    }
    if (cloudfrontAt >= 0 && openshiftAt >= 0 && cloudfrontAt > openshiftAt) {
      c.error(`${path}[${cloudfrontAt}]`, list.items[cloudfrontAt]!.line, 'the cloudfront storage middleware is listed after openshift; it must come before it', 'move "- name: cloudfront" above "- name: openshift"');
    }
  }
  if (mw?.kind === 'map') {
    for (const e of mw.entries) {
      if (!['registry', 'repository', 'storage'].includes(e.key)) c.warn(`middleware.${e.key}`, e.keyLine, `unknown middleware type "${e.key}"`, 'use registry, repository or storage');
    }
  }
}

function checkRepositoryOptions(c: Checker, item: YNode, path: string): void {
  const opts = child(item, 'options');
  if (opts?.kind !== 'map') return;
  for (const e of opts.entries) {
    const p = `${path}.options.${e.key}`;
    const type = (MIDDLEWARE_ENV_OPTIONS as Record<string, string>)[e.key] ?? (e.key === 'dockerregistryurl' ? 'string' : undefined);
    if (!type) {
      c.warn(p, e.keyLine, `unknown option "${e.key}" of the openshift repository middleware`, `use ${Object.keys(MIDDLEWARE_ENV_OPTIONS).join(', ')}`);
      continue;
    }
  }
}

function locate(n: YNode | undefined, parts: string[], line: number): { node: YNode; line: number } | undefined {
  for (const part of parts) {
    const e = entry(n, part);
    if (!e) return undefined;
    n = e.value;
    line = e.keyLine;
  }
  return n ? { node: n, line } : undefined;
}

/**
 * A typed value the registry accepts but that surprises: a bare integer duration is read as
 * nanoseconds, a negative count. Type errors come from the registry's own reading.
 */
function checkStructLeaf(c: Checker, path: string, n: YNode, line: number, type: 'bool' | 'duration' | 'count' | 'string'): void {
  const v = n.kind === 'scalar' && n.plain ? n.value : undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) return;
  if (type === 'duration' && v !== 0) c.warn(path, line, `${v} has no unit, so the registry reads ${v} nanoseconds`, `write a unit, e.g. ${v}s or ${v}m`);
  if (type === 'count' && v < 0) c.warn(path, line, `${v} is negative`, 'write a whole number >= 0 (0 means no limit)');
}

/** Typed upstream struct fields (distribution's configuration.go), outside storage and middleware. */
const UPSTREAM_TYPES: Record<string, 'bool' | 'duration' | 'count'> = {
  'log.accesslog.disabled': 'bool',
  'log.reportcaller': 'bool',
  'http.relativeurls': 'bool',
  'http.draintimeout': 'duration',
  'http.http2.disabled': 'bool',
  'http.debug.prometheus.enabled': 'bool',
  'health.storagedriver.enabled': 'bool',
  'health.storagedriver.interval': 'duration',
  'health.storagedriver.threshold': 'count',
  'compatibility.schema1.enabled': 'bool',
  'validation.enabled': 'bool',
  'validation.disabled': 'bool',
};

function checkUpstreamTypes(c: Checker, root: MapNode): void {
  for (const [path, type] of Object.entries(UPSTREAM_TYPES)) {
    const at = locate(root, path.split('.'), root.line);
    if (at) checkStructLeaf(c, path, at.node, at.line, type);
  }
}

function checkOpenshift(c: Checker, root: MapNode): void {
  const oe = entry(root, 'openshift');
  if (!oe) return;
  const os = oe.value;
  if (!entry(os, 'version')) c.warn('openshift.version', oe.keyLine, 'openshift section without a version: the documents make "version: 1.0" mandatory (the registry starts without it)', 'add "version: 1.0" under openshift');
  for (const [sub, type] of Object.entries(OPENSHIFT_TYPES)) {
    const at = locate(os, sub.split('.'), oe.keyLine);
    if (at) checkStructLeaf(c, `openshift.${sub}`, at.node, at.line, type);
  }
  const metrics = child(os, 'metrics');
  const en = child(metrics, 'enabled');
  const sec = entry(metrics, 'secret');
  if (en?.kind === 'scalar' && en.value === true && sec && PLACEHOLDER.test(scalarText(sec.value) ?? '')) {
    c.error('openshift.metrics.secret', sec.keyLine, `metrics are enabled with the placeholder secret ${scalarText(sec.value)}`, 'set a long random secret (regctl override-config --metrics makes one)');
  }
}

function checkUnsupported(c: Checker, root: MapNode): void {
  const rules: [string, string, string][] = [
    ['redis', 'Redis is not supported by the OpenShift registry', 'remove the redis section'],
    ['proxy', 'proxy configuration should not be enabled: the openshift middleware provides it (pullthrough: true)', 'remove the proxy section; keep pullthrough: true'],
    ['reporting', 'reporting is unsupported', 'remove the reporting section'],
  ];
  for (const [key, message, fix] of rules) {
    const e = entry(root, key);
    if (e) c.error(key, e.keyLine, message, fix);
  }
}

function checkHttp(c: Checker, root: MapNode): void {
  const http = child(root, 'http');
  const addr = entry(http, 'addr');
  const a = scalarText(addr?.value);
  if (addr && a !== undefined && !/:5000$/.test(a)) {
    c.warn('http.addr', addr.keyLine, `the registry listens on ${a}, but its service and probes use port 5000`, 'keep addr: :5000 (only the tls section should be altered)');
  }
  const tls = child(http, 'tls');
  const cert = entry(tls, 'certificate');
  const key = entry(tls, 'key');
  if ((cert && !key) || (key && !cert)) {
    c.error(`http.tls.${cert ? 'key' : 'certificate'}`, (cert ?? key)!.keyLine, 'http.tls needs both certificate and key', 'set both (regctl secure mounts them at /etc/secrets)');
  }
}

function checkNotifications(c: Checker, root: MapNode): void {
  const eps = child(child(root, 'notifications'), 'endpoints');
  if (eps?.kind !== 'seq') return;
  eps.items.forEach((ep, i) => {
    const p = `notifications.endpoints[${i}]`;
    if (!scalarText(child(ep, 'url'))) c.error(`${p}.url`, ep.line, 'notification endpoint without a url', 'set url');
    const types = { disabled: 'bool', timeout: 'duration', threshold: 'count', backoff: 'duration' } as const;
    for (const [key, type] of Object.entries(types)) {
      const e = entry(ep, key);
      if (e) checkStructLeaf(c, `${p}.${key}`, e.value, e.keyLine, type);
    }
  });
}

/** A key written twice: the registry keeps the last value (and refuses if an earlier one is bad). */
function checkRepeatedKeys(c: Checker, n: YNode, path: string): void {
  if (n.kind === 'seq') n.items.forEach((it, i) => checkRepeatedKeys(c, it, `${path}[${i}]`));
  if (n.kind !== 'map') return;
  const seen = new Map<string, number>();
  for (const e of n.entries) {
    const p = path ? `${path}.${e.key}` : e.key;
    const first = seen.get(e.key);
    if (first !== undefined) c.warn(p, e.keyLine, `"${e.key}" is given again (first on line ${first}): the registry keeps this last value`, 'keep one of them');
    else seen.set(e.key, e.keyLine);
    checkRepeatedKeys(c, e.value, p);
  }
}

function checkPlaceholders(c: Checker, n: YNode, path: string, line: number): void {
  if (n.kind === 'scalar') {
    if (n.plain === false || typeof n.value !== 'string' || !PLACEHOLDER.test(n.value)) return;
    if (path === 'openshift.metrics.secret') return; // judged with metrics.enabled
    c.warn(path, line, `still the placeholder ${n.text}`, 'fill in the real value');
  } else if (n.kind === 'map') {
    for (const e of n.entries) checkPlaceholders(c, e.value, path ? `${path}.${e.key}` : e.key, e.value.kind === 'scalar' ? e.value.line : e.keyLine);
  } else {
    n.items.forEach((it, i) => checkPlaceholders(c, it, `${path}[${i}]`, it.line));
  }
}

/**
 * Variables the registry takes without complaint but that do nothing: the middleware section's
 * options other than the documented six, and REGISTRY_OPENSHIFT_VERSION (image-registry drops it).
 */
function checkEnvironment(env: Record<string, string>): Finding[] {
  const c = new Checker();
  for (const name of Object.keys(env).sort()) {
    const path = `env.${name}`;
    if (name.startsWith(MIDDLEWARE_ENV_PREFIX) && name.slice(MIDDLEWARE_ENV_PREFIX.length).toLowerCase() in MIDDLEWARE_ENV_OPTIONS) continue;
    if (name.startsWith('REGISTRY_MIDDLEWARE_') && name !== `${MIDDLEWARE_ENV_PREFIX}DOCKERREGISTRYURL`) {
      c.warn(path, undefined, `${name} is ignored: the middleware section cannot be overridden by environment variables (except ${MIDDLEWARE_ENV_PREFIX}{${Object.keys(MIDDLEWARE_ENV_OPTIONS).map((k) => k.toUpperCase()).join(',')}})`, 'put the setting in config.yml');
    } else if (name === 'REGISTRY_OPENSHIFT_VERSION') {
      c.warn(path, undefined, `${name} is ignored: the openshift configuration version cannot come from the environment`, 'remove the variable; set the version in config.yml');
    }
  }
  return c.findings;
}

/** The storage driver the file configures (the single non-parameter key under storage, or `storage: NAME`). */
export function storageDriver(root: YNode | null): string | undefined {
  const storage = child(root ?? undefined, 'storage');
  if (storage?.kind === 'scalar' && storage.value !== null) return storage.text;
  if (storage?.kind !== 'map') return undefined;
  const drivers = storage.entries.filter((e) => !STORAGE_PARAMETERS.includes(e.key));
  return drivers.length === 1 ? drivers[0]!.key : undefined;
}

/** A key file the config names must be in the container: mounted from a Secret. */
function checkKeyFiles(c: Checker, root: MapNode, mounts: string[] | undefined): void {
  const covered = (file: string) => (mounts ?? []).some((m) => file === m || file.startsWith(m.endsWith('/') ? m : `${m}/`));
  for (const k of keyFiles(root)) {
    if (covered(k.file)) continue;
    const how = k.kind === 'cloudfront' ? 'deploy with --cloudfront-key FILE, which stores the key in a Secret and mounts it there' : 'mount the key file from a Secret at that path (oc set volume --add --type=secret)';
    const what = mounts ? 'no volume of the registry container mounts it' : 'nothing regctl knows of mounts it';
    c.warn(k.path, k.line, `the registry reads ${k.file}, but ${what}: ${k.kind === 'cloudfront' ? 'CloudFront redirects' : 'the GCS driver'} will fail`, how);
  }
}

/** The line of a path such as `middleware.repository[0].options.pullthrough` in the file. */
function lineOfPath(root: YNode, path: string): number | undefined {
  let n: YNode | undefined = root;
  let line: number | undefined;
  for (const part of path.split('.')) {
    const m = /^([^[]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) return line;
    const e = entry(n, m[1]!);
    if (!e) return line;
    n = e.value;
    line = e.keyLine;
    for (const idx of m[2]!.match(/\d+/g) ?? []) {
      const item: YNode | undefined = n?.kind === 'seq' ? n.items[Number(idx)] : undefined;
      if (!item) return line;
      n = item;
      line = item.line;
    }
  }
  return line;
}

/** The deepest path that has a key or a value on a line. */
function pathAtLine(n: YNode, line: number, path = ''): string | undefined {
  let found: string | undefined;
  if (n.kind === 'map') {
    for (const e of n.entries) {
      const p = path ? `${path}.${e.key}` : e.key;
      if (e.keyLine === line) found = p;
      found = pathAtLine(e.value, line, p) ?? found;
    }
  } else if (n.kind === 'seq') {
    n.items.forEach((it, i) => {
      if (it.line === line && it.kind === 'scalar') found = `${path}[${i}]`;
      found = pathAtLine(it, line, `${path}[${i}]`) ?? found;
    });
  }
  return found;
}

function unmarshalFix(goType: string): string {
  if (goType === 'bool') return 'write true or false, unquoted';
  if (goType === 'int') return 'write a whole number, unquoted';
  if (goType === 'time.Duration') return 'write a Go duration such as 10s, 1m or 2m30s (units ns, us, ms, s, m, h)';
  if (goType === 'string' || goType.startsWith('configuration.Loglevel') || goType.startsWith('configuration.Version')) return 'write a single value';
  if (goType.startsWith('[]')) return 'write a list ("- item" lines)';
  return 'write a mapping ("key: value" lines)';
}

/** The index of the openshift entry in middleware.repository, or -1. */
function openshiftRepositoryIndex(root: MapNode): number {
  const list = child(child(root, 'middleware'), 'repository');
  return list?.kind === 'seq' ? list.items.findIndex((it) => scalarText(child(it, 'name')) === 'openshift') : -1;
}

/** Where a registry error points, and how to fix it. */
function explain(message: string, root: MapNode, where: 'distribution' | 'openshift' = 'distribution'): { path: string; fix: string } {
  const repoIndex = openshiftRepositoryIndex(root);
  const opt = /^configuration error in (openshift\.[a-z0-9.]+): config option "(\w+)"/.exec(message);
  if (opt) {
    const [, section, name] = opt;
    const auth = child(root, 'auth');
    const authType = auth?.kind === 'map' ? auth.entries[0]?.key : undefined;
    const path = ['realm', 'tokenrealm'].includes(name!) && authType ? `auth.${authType}.${name}` : section === 'openshift.audit.enabled' && authType ? `auth.${authType}.audit.enabled` : repoIndex >= 0 ? `middleware.repository[${repoIndex}].options.${name}` : section!;
    return { path, fix: /not a boolean/.test(message) ? 'write true or false' : /duration/.test(message) ? 'write a Go duration such as 1m or 10m (0m disables the cache)' : 'write a single string value' };
  }
  const env = /invalid value of environment variable (\w+)/.exec(message);
  if (env) return { path: `env.${env[1]}`, fix: /not a boolean/.test(message) ? 'set true or false' : 'set a Go duration such as 1m (empty: the default; 0m: no cache)' };
  if (/^configuration error in openshift\.server\.addr: REGISTRY_OPENSHIFT_SERVER_ADDR/.test(message)) return { path: 'openshift.server.addr', fix: 'set openshift.server.addr or REGISTRY_OPENSHIFT_SERVER_ADDR (the registry service host:port)' };
  const section = /^configuration error in (openshift\.[a-z0-9.]+)/.exec(message);
  if (section) return { path: section[1]!, fix: 'fix the value the registry names' };
  if (/^[Ii]nvalid loglevel/.test(message)) return { path: entry(child(root, 'log'), 'level') ? 'log.level' : 'loglevel', fix: 'use one of error, warn, info, debug' };
  if (/^Unsupported openshift configuration version/.test(message)) return { path: 'openshift.version', fix: 'set openshift.version: 1.0, the only supported value' };
  if (/ParseUint|index out of range/.test(message) && where === 'openshift' && entry(child(root, 'openshift'), 'version')) return { path: 'openshift.version', fix: 'set openshift.version: 1.0, the only supported value' };
  if (/^[Uu]nsupported version|ParseUint|index out of range/.test(message)) return { path: 'version', fix: 'set "version: 0.1", the only configuration version the registry reads (openshift.version: 1.0)' };
  if (/^[Nn]o storage configuration provided/.test(message)) return { path: 'storage', fix: 'add a storage section with one driver, e.g. filesystem: {rootdirectory: /registry} (or set REGISTRY_STORAGE)' };
  if (/storage/.test(message)) return { path: 'storage', fix: 'keep one driver: a REGISTRY_STORAGE_<DRIVER>_* variable adds its driver, REGISTRY_STORAGE=<driver> replaces the section' };
  if (/^must provide exactly one type|interface conversion/.test(message)) return { path: 'auth', fix: 'use exactly "auth: {openshift: {realm: openshift}}"' };
  return { path: '', fix: 'fix what the registry names' };
}

/** The registry's own verdict as findings: its error (each type error on its line) and its warnings. */
function registryFindings(c: Checker, v: RegistryVerdict, root: MapNode, env: Record<string, string>): void {
  const e = v.error;
  if (e) {
    const registry = e.stage === 'panic' ? `panic: ${e.message}` : `error parsing configuration file: ${e.message}`;
    const typeErrors = e.message.startsWith('yaml: unmarshal errors:\n') ? e.message.split('\n').slice(1).map((l) => l.trim()) : [];
    if (typeErrors.length && !e.env) {
      for (const te of typeErrors) {
        const m = /^line (\d+): (cannot unmarshal .* into (.*))$/.exec(te);
        const line = m ? Number(m[1]) : undefined;
        c.findings.push({ severity: 'error', path: (line ? pathAtLine(root, line) : undefined) ?? '', ...(line ? { line } : {}), message: m ? m[2]! : te, fix: unmarshalFix(m?.[3] ?? ''), registry });
      }
    } else if (e.env) {
      c.findings.push({ severity: 'error', path: `env.${e.env}`, message: `${e.env}=${env[e.env] ?? ''}: ${e.message.replace(/\n\s*/g, ' ')}`, fix: typeErrors.length ? `give a value of the type the registry expects there (${unmarshalFix(/into (.*)$/.exec(typeErrors[0]!)?.[1] ?? '')})` : explain(e.message, root).fix, registry });
    } else {
      let { path, fix } = explain(e.message, root, e.section);
      // A second driver came from a driver's variable: name the variable.
      const drivers = /^multiple storage drivers specified in configuration or environment: (.*)$/.exec(e.message)?.[1]?.split(', ') ?? [];
      const fileDriver = storageDriver(root);
      const adder = Object.keys(env).sort().find((n) => n.startsWith('REGISTRY_STORAGE_') && drivers.includes(n.split('_')[2]!.toLowerCase()) && n.split('_')[2]!.toLowerCase() !== fileDriver);
      if (adder) path = `env.${adder}`;
      const line = path.startsWith('env.') ? undefined : lineOfPath(root, path);
      c.findings.push({ severity: 'error', path, ...(line !== undefined ? { line } : {}), message: e.message, fix, registry });
    }
  }
  for (const w of v.warnings) {
    if (w.message.startsWith('wrong configuration detected')) continue; // the middleware rules report it as an error
    if (w.env === 'REGISTRY_CONFIGURATION_PATH') continue; // logged too, but it is how the registry finds config.yml
    if (w.env) {
      c.warn(`env.${w.env}`, undefined, w.message, w.message.includes('non-string keys') ? 'set the whole section with one variable instead' : 'check its name: REGISTRY_ followed by the upper-cased Go field names joined with _');
    } else if (w.message.startsWith("pullthrough can't be disabled")) {
      const envName = `${MIDDLEWARE_ENV_PREFIX}PULLTHROUGH`;
      const idx = openshiftRepositoryIndex(root);
      const candidates = [`openshift.pullthrough.enabled`, ...(idx >= 0 ? [`middleware.repository[${idx}].options.pullthrough`] : [])];
      const path = env[envName]?.toLowerCase() === 'false' ? `env.${envName}` : (candidates.find((p) => lineOfPath(root, p) !== undefined && pathAtLine(root, lineOfPath(root, p)!) === p) ?? candidates[0]!);
      const line = path.startsWith('env.') ? undefined : lineOfPath(root, path);
      c.findings.push({ severity: 'warning', path, ...(line !== undefined ? { line } : {}), message: `${w.message}: registries from 3.11 on force it to true`, fix: 'remove it: pullthrough is always on', registry: w.message });
    }
  }
}

function tally(findings: Finding[]): CheckResult {
  const order = (f: Finding) => f.line ?? Number.MAX_SAFE_INTEGER;
  const sorted = [...findings].sort((a, b) => order(a) - order(b));
  return { findings: sorted, errors: sorted.filter((f) => f.severity === 'error').length, warnings: sorted.filter((f) => f.severity === 'warning').length };
}

export interface CheckOptions {
  /** The registry container's environment (REGISTRY_* and the rest), when known. */
  env?: Record<string, string>;
  /** Whose parser judges: OpenShift 3.11's registry or 4.x's (default: the newest). */
  release?: RegistryRelease;
  /** The container's mount paths (with what a deploy adds), when known: key files outside them are reported. */
  mounts?: string[];
}

/**
 * The service variables Kubernetes gives the registry's pods (its Service is docker-registry):
 * image-registry falls back on them for openshift.server.addr.
 */
export const SERVICE_ENV = { DOCKER_REGISTRY_SERVICE_HOST: 'docker-registry', DOCKER_REGISTRY_SERVICE_PORT: '5000' };

/** Every finding for a config.yml text, with the container's environment applied when given. */
export function checkRegistryConfig(text: string, o: CheckOptions = {}): CheckResult {
  const c = new Checker();
  const env = o.env ?? {};
  let root: YNode | null;
  try {
    root = parseYamlSource(text);
  } catch (e) {
    if (!(e instanceof YamlSyntaxError)) throw e;
    c.error('', e.line, `not valid YAML: ${e.reason}`, 'fix the YAML syntax (indent with spaces, "key: value")');
    return tally(c.findings);
  }
  if (root?.kind !== 'map') {
    c.error('', root?.line, 'the configuration is not a YAML mapping', 'start from regctl override-config --init');
    return tally(c.findings);
  }
  const release = o.release ?? '4.x';
  const verdict = readAsRegistry(text, { release, env: { ...SERVICE_ENV, ...env } });
  registryFindings(c, verdict, root, env);
  const eff = effectiveOf(verdict, root);
  checkLog(c, root, verdict, env);
  const driver = checkStorage(c, root, eff, release);
  checkAuth(c, root, eff);
  checkTokenRealm(c, root, verdict, eff, env, release);
  checkMiddleware(c, root, driver);
  checkOpenshift(c, root);
  checkUnsupported(c, root);
  checkHttp(c, root);
  checkNotifications(c, root);
  checkUpstreamTypes(c, root);
  unknownKeys(c, root, configSchema(release), '');
  checkPlaceholders(c, root, '', root.line);
  checkRepeatedKeys(c, root, '');
  c.findings.push(...checkEnvironment(env));
  checkKeyFiles(c, root, o.mounts);
  return tally(c.findings);
}

export { resolvePlain };

/**
 * The registry container's environment judged on the config it runs with when nothing is
 * mounted (the image's built-in config.yml): what the registry says of it, and of its variables.
 */
export function checkRegistryEnvironment(env: Record<string, string>, o: { text?: string; release?: RegistryRelease } = {}): Finding[] {
  return checkRegistryConfig(o.text ?? IMAGE_DEFAULT_CONFIG, { env, release: o.release }).findings.filter((f) => f.registry !== undefined || f.path.startsWith('env.'));
}
