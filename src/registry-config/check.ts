// Checks a registry config.yml against what the documents require (seed 000 "Registry
// Configuration Reference", seed 003 "Known Issues") and what the registry's own code rejects
// (shared/REFERENCE.md §2.3, §3), using the registry's messages where it has them. Pure.
import { parseGoDuration } from './go-duration.js';
import { envValueError, MIDDLEWARE_ENV_OPTIONS, MIDDLEWARE_ENV_PREFIX } from './settings.js';
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
}

export interface CheckResult {
  findings: Finding[];
  errors: number;
  warnings: number;
}

const LOG_LEVELS = ['error', 'warn', 'info', 'debug'];
const LOG_FORMATTERS = ['text', 'json', 'logstash'];
/** storage keys that configure the storage, not a driver (distribution's Storage.UnmarshalYAML). */
const STORAGE_PARAMS = ['maintenance', 'cache', 'delete', 'redirect'];
/** Drivers OpenShift supports in config.yml (seed 000 "Storage"); `oss` is Aliyun OSS. */
const SUPPORTED_DRIVERS = ['filesystem', 's3', 'swift', 'gcs', 'azure', 'oss'];
const UPSTREAM_DRIVERS = [...SUPPORTED_DRIVERS, 'inmemory', 's3aws'];

// Known keys, for "unknown key" warnings (the registry's YAML decoder ignores unknown keys).
// `true` is a leaf; `'any'` is free-form (driver parameters, headers, hook options...).
type Schema = { [key: string]: Schema | true | 'any' };
const OPENSHIFT_REQUESTS: Schema = { maxrunning: true, maxinqueue: true, maxwaitinqueue: true };
const OPENSHIFT_SCHEMA: Schema = {
  version: true,
  server: { addr: true },
  auth: { realm: true, tokenrealm: true },
  audit: { enabled: true },
  metrics: { enabled: true, secret: true },
  requests: { read: OPENSHIFT_REQUESTS, write: OPENSHIFT_REQUESTS },
  quota: { enabled: true, cachettl: true },
  cache: { disabled: true, blobrepositoryttl: true },
  pullthrough: { enabled: true, mirror: true },
  compatibility: { acceptschema2: true },
};
/** The storage keys that are not a driver; a driver's own parameters are free-form. */
const STORAGE_PARAM_SCHEMA: Schema = {
  delete: { enabled: true },
  redirect: { disable: true },
  cache: { blobdescriptor: true, layerinfo: true, blobdescriptorsize: true },
  maintenance: { uploadpurging: { enabled: true, age: true, interval: true, dryrun: true }, readonly: { enabled: true } },
};
export const CONFIG_SCHEMA: Schema = {
  version: true,
  log: { accesslog: { disabled: true }, level: true, formatter: true, fields: 'any', hooks: 'any', reportcaller: true },
  loglevel: true,
  storage: 'any',
  auth: 'any',
  middleware: { registry: 'any', repository: 'any', storage: 'any' },
  reporting: 'any',
  http: {
    addr: true,
    net: true,
    host: true,
    prefix: true,
    secret: true,
    relativeurls: true,
    draintimeout: true,
    tls: { certificate: true, key: true, clientcas: 'any', letsencrypt: 'any', minimumtls: true, ciphersuites: 'any' },
    debug: { addr: true, prometheus: { enabled: true, path: true } },
    headers: 'any',
    http2: { disabled: true },
  },
  notifications: { events: { includereferences: true }, endpoints: 'any' },
  redis: 'any',
  health: { storagedriver: { enabled: true, interval: true, threshold: true }, file: 'any', http: 'any', tcp: 'any' },
  proxy: 'any',
  compatibility: { schema1: { signingkeyfile: true, enabled: true } },
  validation: { enabled: true, disabled: true, manifests: 'any' },
  policy: 'any',
  openshift: OPENSHIFT_SCHEMA,
};

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

function checkVersion(c: Checker, root: MapNode): void {
  const e = entry(root, 'version');
  const v = e ? (scalarText(e.value) ?? '') : '';
  if (v !== '0.1') {
    c.error('version', e?.keyLine, `Unsupported version: ${JSON.stringify(v)}`, 'set "version: 0.1", the only configuration version the registry reads');
  }
}

function checkLog(c: Checker, root: MapNode): void {
  const log = child(root, 'log');
  const legacy = entry(root, 'loglevel');
  if (legacy) c.warn('loglevel', legacy.keyLine, 'top-level "loglevel" is deprecated', 'move it to log.level');
  const lvl = entry(log, 'level') ?? legacy;
  if (lvl) {
    const v = scalarText(lvl.value) ?? '';
    if (!LOG_LEVELS.includes(v)) c.error(lvl === legacy ? 'loglevel' : 'log.level', lvl.keyLine, `Invalid loglevel ${v} Must be one of [error, warn, info, debug]`, 'use one of error, warn, info, debug');
  }
  const fmt = entry(log, 'formatter');
  if (fmt) {
    const v = scalarText(fmt.value) ?? '';
    if (v !== '' && !LOG_FORMATTERS.includes(v)) c.error('log.formatter', fmt.keyLine, `unsupported logging formatter: ${JSON.stringify(v)}`, 'use text, json or logstash');
  }
  const hooks = child(log, 'hooks');
  if (hooks?.kind === 'seq') {
    hooks.items.forEach((h, i) => {
      const t = scalarText(child(h, 'type'));
      if (t === 'mail') c.error(`log.hooks[${i}]`, h.line, 'mail hooks are not supported by the OpenShift registry', 'remove the mail hook; collect the registry logs instead');
    });
  }
}

function checkBoolLeaf(c: Checker, path: string, node: YNode | undefined, line: number, whatIfWrong: string): void {
  if (node === undefined) return;
  const v = node.kind === 'scalar' ? node.value : undefined;
  if (typeof v === 'boolean') return;
  c.error(path, line, `${show(node.kind === 'scalar' ? node.text : node.kind)} is not a boolean: ${whatIfWrong}`, 'write true or false, unquoted');
}

function durationError(node: YNode | undefined): string | undefined {
  if (node?.kind !== 'scalar') return `expected string, not ${node ? node.kind : 'nil'}`;
  if (typeof node.value !== 'string') return `expected string, not ${goType(node.value)}`;
  const r = parseGoDuration(node.value);
  return 'error' in r ? r.error : undefined;
}

function checkStorage(c: Checker, root: MapNode): string | undefined {
  const se = entry(root, 'storage');
  const storage = se?.value;
  if (!se || storage?.kind !== 'map') {
    c.error('storage', se?.keyLine, 'No storage configuration provided', 'add a storage section with one driver, e.g. filesystem: {rootdirectory: /registry}');
    return undefined;
  }
  const drivers = storage.entries.filter((e) => !STORAGE_PARAMS.includes(e.key));
  let driver: string | undefined;
  if (drivers.length === 0) {
    c.error('storage', se.keyLine, 'No storage configuration provided', 'add exactly one driver under storage: filesystem, s3, swift, gcs, azure or oss');
  } else if (drivers.length > 1) {
    const names = drivers.map((d) => d.key).sort();
    c.error(`storage.${drivers[1]!.key}`, drivers[1]!.keyLine, `Must provide exactly one storage type. Provided: [${names.join(' ')}]`, `keep one of ${names.join(', ')}`);
  } else {
    driver = drivers[0]!.key;
    const d = drivers[0]!;
    if (!UPSTREAM_DRIVERS.includes(driver)) {
      c.error(`storage.${driver}`, d.keyLine, `StorageDriver not registered: ${driver}`, `use one of ${SUPPORTED_DRIVERS.join(', ')} (GlusterFS and Ceph RBD volumes go through filesystem)`);
    } else if (!SUPPORTED_DRIVERS.includes(driver)) {
      c.warn(`storage.${driver}`, d.keyLine, `the ${driver} driver is not supported by OpenShift`, `use one of ${SUPPORTED_DRIVERS.join(', ')}`);
    }
  }

  // Pruning deletes blobs: without delete.enabled the registry answers "operation unsupported".
  const del = entry(storage, 'delete');
  const enabled = entry(del?.value, 'enabled');
  if (!enabled || enabled.value.kind !== 'scalar' || enabled.value.value !== true) {
    const was = enabled?.value.kind === 'scalar' ? enabled.value : undefined;
    const why =
      was && typeof was.value === 'string' && !was.plain
        ? `the string ${JSON.stringify(was.text)}, which the registry reads as false`
        : enabled
          ? `${was?.text ?? enabled.value.kind}, not true`
          : 'missing';
    c.error('storage.delete.enabled', enabled?.keyLine ?? del?.keyLine ?? se.keyLine, `${why}; image pruning fails with "error deleting blob ... operation unsupported"`, 'set storage.delete.enabled: true (mandatory for pruning)');
  }

  const redirect = entry(child(storage, 'redirect'), 'disable');
  if (redirect) checkBoolLeaf(c, 'storage.redirect.disable', redirect.value, redirect.keyLine, 'the registry ignores it');

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
  const purging = entry(maintenance, 'uploadpurging');
  if (purging && purging.value.kind === 'map') {
    const p = purging.value;
    const en = entry(p, 'enabled');
    const off = en?.value.kind === 'scalar' && en.value.value === false;
    if (!off) {
      for (const key of ['age', 'interval']) {
        const e = entry(p, key);
        if (!e) {
          c.error(`storage.maintenance.uploadpurging.${key}`, purging.keyLine, `Unable to parse upload purge configuration: ${key} missing`, `add ${key}: ${key === 'age' ? '168h' : '24h'}`);
          continue;
        }
        const v = e.value.kind === 'scalar' ? e.value.value : undefined;
        if (typeof v !== 'string') {
          c.error(`storage.maintenance.uploadpurging.${key}`, e.keyLine, `Unable to parse upload purge configuration: ${key} is not a string`, `write a Go duration, e.g. ${key}: ${key === 'age' ? '168h' : '24h'}`);
          continue;
        }
        const r = parseGoDuration(v);
        if ('error' in r) c.error(`storage.maintenance.uploadpurging.${key}`, e.keyLine, `Unable to parse upload purge configuration: Cannot parse duration: ${r.error}`, `write a Go duration (units ns, us, ms, s, m, h), e.g. ${key === 'age' ? '168h' : '24h'}`);
      }
      const dry = entry(p, 'dryrun');
      if (dry && !(dry.value.kind === 'scalar' && typeof dry.value.value === 'boolean')) {
        c.error('storage.maintenance.uploadpurging.dryrun', dry.keyLine, 'Unable to parse upload purge configuration: cannot parse dryrun', 'write dryrun: true or false, unquoted');
      }
    }
  }
  const ro = entry(child(maintenance, 'readonly'), 'enabled');
  if (ro) checkBoolLeaf(c, 'storage.maintenance.readonly.enabled', ro.value, ro.keyLine, 'the registry ignores it and stays writable');
  return driver;
}

function checkAuth(c: Checker, root: MapNode): void {
  const ae = entry(root, 'auth');
  const auth = ae?.value;
  const fix = 'use exactly "auth: {openshift: {realm: openshift}}"; auth options should not be altered';
  if (!ae || auth?.kind !== 'map' || auth.entries.length === 0) {
    c.error('auth', ae?.keyLine, 'no auth section: the openshift auth is the only supported option', fix);
    return;
  }
  if (auth.entries.length > 1) {
    const names = auth.entries.map((e) => e.key).sort();
    c.error(`auth.${auth.entries[1]!.key}`, auth.entries[1]!.keyLine, `must provide exactly one type. Provided: [${names.join(' ')}]`, fix);
  }
  for (const e of auth.entries) {
    if (e.key !== 'openshift') c.error(`auth.${e.key}`, e.keyLine, `auth "${e.key}" is not supported: openshift is the only supported option`, fix);
  }
  const tr = entry(child(auth, 'openshift'), 'tokenrealm');
  if (tr) checkTokenRealm(c, 'auth.openshift.tokenrealm', tr.value, tr.keyLine);
}

function checkTokenRealm(c: Checker, path: string, node: YNode, line: number): void {
  const v = scalarText(node) ?? '';
  if (v === '') return;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    c.error(path, line, `error parsing URL in tokenrealm config option: ${JSON.stringify(v)}`, 'give a URL such as https://registry.example.com');
    return;
  }
  if (u.search || u.hash) c.error(path, line, 'tokenrealm config option may not contain query parameters or a fragment', 'remove the query and fragment');
  else if (u.pathname !== '/' && u.pathname !== '') c.error(path, line, `tokenrealm config option may not contain a path (${JSON.stringify(u.pathname)} was specified)`, 'give only scheme, host and port; the path is always /openshift/token');
}

/** Each of middleware.registry/repository/storage needs a live `openshift` entry. */
function checkMiddleware(c: Checker, root: MapNode, driver: string | undefined): void {
  const me = entry(root, 'middleware');
  const mw = me?.value;
  for (const kind of ['registry', 'repository', 'storage'] as const) {
    const le = entry(mw, kind);
    const list = le?.value;
    const path = `middleware.${kind}`;
    // Missing: mandatory per the documents; registries before origin 1.3 fail pushes, later
    // ones append the entry themselves. Disabled: the registry does not start (REFERENCE §2.3).
    const missing = 'the documents make it mandatory: without it pushes and builds fail ("Failed to push image: EOF"; log: "OpenShift registry middleware not activated"), and only newer registries add it themselves';
    const disabledEffect =
      kind === 'repository'
        ? 'pushes and builds fail ("Failed to push image: EOF"; log: "OpenShift registry middleware not activated")'
        : `the registry stops with 'configuration error: the ${kind === 'storage' ? 'storage driver' : 'registry'} middleware "openshift" is not activated'`;
    if (!le || list?.kind !== 'seq') {
      c.error(path, le?.keyLine ?? me?.keyLine, `no openshift entry: ${missing}`, `add "- name: openshift" under ${path} (mandatory; do not change it)`);
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
          if (!scalarText(child(opts, k))) c.error(`${ip}.options.${k}`, item.line, `no ${k} provided`, `set options.${k} (seed 000, "CloudFront Middleware")`);
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
      c.error(path, le.keyLine, `no openshift entry: ${missing}`, `add "- name: openshift" to ${path} (mandatory; do not change it)`);
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
    const n = e.value;
    const v = n.kind === 'scalar' ? n.value : undefined;
    if (type === 'bool') {
      const ok = typeof v === 'boolean' || (typeof v === 'string' && ['true', 'false'].includes(v.toLowerCase()));
      if (!ok) c.error(p, e.keyLine, `config option ${JSON.stringify(e.key)}: invalid value: ${show(n.kind === 'scalar' ? n.text : n.kind)} is not a boolean`, `write ${e.key}: true or false`);
      else if (e.key === 'pullthrough' && (v === false || v === 'false')) {
        c.warn(p, e.keyLine, "pullthrough can't be disabled anymore: registries from 3.11 on force it to true", 'remove it, or keep it knowing it has no effect there');
      }
    } else if (type === 'duration') {
      const err = durationError(n);
      if (err) c.error(p, e.keyLine, `config option ${JSON.stringify(e.key)}: parse duration error: ${err}`, 'write a Go duration such as 1m or 10m (0m disables the cache)');
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

/** The YAML tag yaml.v2 names in its "cannot unmarshal" errors. */
function yamlTag(n: YNode): string {
  if (n.kind === 'map') return '!!map';
  if (n.kind === 'seq') return '!!seq';
  const v = n.value;
  if (v === null) return '!!null';
  if (typeof v === 'boolean') return '!!bool';
  if (typeof v === 'number') return Number.isInteger(v) ? '!!int' : '!!float';
  return '!!str';
}

const unmarshal = (n: YNode, goType: string) => `cannot unmarshal ${yamlTag(n)} \`${n.kind === 'scalar' ? n.text : n.kind}\` into ${goType}`;

/**
 * A value decoded into a typed Go struct field (yaml.v2): a bool takes only YAML booleans, an
 * int only integers, a time.Duration a Go duration string (or a bare integer: nanoseconds).
 */
function checkStructLeaf(c: Checker, path: string, n: YNode, line: number, type: 'bool' | 'duration' | 'count' | 'string'): void {
  const v = n.kind === 'scalar' ? n.value : undefined;
  if (v === null) return;
  if (type === 'bool' && typeof v !== 'boolean') {
    c.error(path, line, unmarshal(n, 'bool'), 'write true or false, unquoted');
  } else if (type === 'duration') {
    if (typeof v === 'number' && Number.isInteger(v)) {
      if (v !== 0) c.warn(path, line, `${v} has no unit, so the registry reads ${v} nanoseconds`, `write a unit, e.g. ${v}s or ${v}m`);
    } else if (typeof v !== 'string' || 'error' in parseGoDuration(v)) {
      c.error(path, line, unmarshal(n, 'time.Duration'), 'write a Go duration such as 10s, 1m or 2m30s (units ns, us, ms, s, m, h)');
    }
  } else if (type === 'count') {
    if (!(typeof v === 'number' && Number.isInteger(v))) c.error(path, line, unmarshal(n, 'int'), 'write a whole number');
    else if (v < 0) c.error(path, line, `${v} is negative`, 'write a whole number >= 0 (0 means no limit)');
  } else if (type === 'string' && n.kind !== 'scalar') {
    c.error(path, line, unmarshal(n, 'string'), 'write a single value');
  }
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
  const ve = entry(os, 'version');
  if (!ve) {
    c.error('openshift.version', oe.keyLine, 'openshift section without a version (mandatory)', 'add "version: 1.0" under openshift');
  } else if (scalarText(ve.value) !== '1.0') {
    c.error('openshift.version', ve.keyLine, `Unsupported openshift configuration version ${show(scalarText(ve.value) ?? ve.value.kind)}`, 'set openshift.version: 1.0, the only supported value');
  }
  for (const [sub, type] of Object.entries(OPENSHIFT_TYPES)) {
    const at = locate(os, sub.split('.'), oe.keyLine);
    if (at) checkStructLeaf(c, `openshift.${sub}`, at.node, at.line, type);
  }
  const tr = entry(child(os, 'auth'), 'tokenrealm');
  if (tr) checkTokenRealm(c, 'openshift.auth.tokenrealm', tr.value, tr.keyLine);
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

/** The upper-case path segments of each known key, to tell a recognised variable from one the registry ignores. */
function envPathKnown(segments: string[], schema: Schema | 'any' | true): boolean {
  if (schema === 'any') return true;
  if (segments.length === 0) return true;
  if (schema === true) return false;
  const next = Object.keys(schema).find((k) => k.toUpperCase() === segments[0]);
  return next !== undefined && envPathKnown(segments.slice(1), schema[next]!);
}

/**
 * Environment variables on the registry container, judged against the file: the ones the
 * registry ignores (middleware, versions, unknown keys), bad values, and a second storage driver.
 */
export function checkEnvironment(env: Record<string, string>, driver: string | undefined): Finding[] {
  const c = new Checker();
  for (const name of Object.keys(env).sort()) {
    const value = env[name]!;
    const path = `env.${name}`;
    if (!name.startsWith('REGISTRY_') || name === 'REGISTRY_CONFIGURATION_PATH') continue;
    if (name.startsWith(MIDDLEWARE_ENV_PREFIX) && name.slice(MIDDLEWARE_ENV_PREFIX.length).toLowerCase() in MIDDLEWARE_ENV_OPTIONS) {
      const opt = name.slice(MIDDLEWARE_ENV_PREFIX.length).toLowerCase() as keyof typeof MIDDLEWARE_ENV_OPTIONS;
      const err = envValueError(MIDDLEWARE_ENV_OPTIONS[opt], value);
      if (err) c.error(path, undefined, `invalid value of environment variable ${name}: ${err}`, MIDDLEWARE_ENV_OPTIONS[opt] === 'bool' ? 'set true or false' : 'set a Go duration such as 1m (empty: the default; 0m: no cache)');
      else if (opt === 'pullthrough' && value.toLowerCase() === 'false') c.warn(path, undefined, "pullthrough can't be disabled anymore: registries from 3.11 on force it to true", 'remove the variable');
      continue;
    }
    if (name.startsWith('REGISTRY_MIDDLEWARE_')) {
      c.warn(path, undefined, `${name} is ignored: the middleware section cannot be overridden by environment variables (except ${MIDDLEWARE_ENV_PREFIX}{${Object.keys(MIDDLEWARE_ENV_OPTIONS).map((k) => k.toUpperCase()).join(',')}})`, 'put the setting in config.yml');
      continue;
    }
    if (name === 'REGISTRY_VERSION' || name === 'REGISTRY_OPENSHIFT_VERSION') {
      c.warn(path, undefined, `${name} is ignored: the ${name === 'REGISTRY_VERSION' ? '' : 'openshift '}configuration version cannot come from the environment`, 'remove the variable; set the version in config.yml');
      continue;
    }
    const segments = name.slice('REGISTRY_'.length).split('_');
    if (segments[0] === 'OPENSHIFT') {
      const sub = segments.slice(1).join('.').toLowerCase();
      const type = OPENSHIFT_TYPES[sub];
      if (!type) {
        c.warn(path, undefined, `Ignoring unrecognized environment variable ${name}`, 'check its name against the openshift section of the reference');
        continue;
      }
      const err = type === 'string' ? undefined : envValueError(type, value);
      if (err) c.error(path, undefined, `configuration error in openshift.${sub}: ${err}`, type === 'bool' ? 'set true or false' : type === 'count' ? 'set a whole number >= 0 (0: no limit)' : 'set a Go duration such as 2m');
      continue;
    }
    if (segments[0] === 'STORAGE' && segments.length >= 2) {
      const seg = segments[1]!.toLowerCase();
      if (!STORAGE_PARAMS.includes(seg) && driver !== undefined && seg !== driver) {
        c.error(path, undefined, `${name} adds a second storage driver (${seg}) to the file's ${driver}: the registry panics "multiple storage drivers specified in configuration or environment"`, `remove the variable, or use REGISTRY_STORAGE_${driver.toUpperCase()}_* instead`);
        continue;
      }
      if (!STORAGE_PARAMS.includes(seg)) continue; // driver parameters are free-form
    }
    if (segments[0] === 'LOG' && segments[1] === 'LEVEL' && segments.length === 2 && !LOG_LEVELS.includes(value)) {
      c.error(path, undefined, `Invalid loglevel ${value} Must be one of [error, warn, info, debug]`, 'use one of error, warn, info, debug');
      continue;
    }
    if (!envPathKnown(segments, CONFIG_SCHEMA)) c.warn(path, undefined, `Ignoring unrecognized environment variable ${name}`, 'check its name: REGISTRY_ followed by the upper-cased YAML path joined with _');
  }
  return c.findings;
}

/** The storage driver the file configures (the single non-parameter key under storage). */
export function storageDriver(root: YNode | null): string | undefined {
  const storage = child(root ?? undefined, 'storage');
  if (storage?.kind !== 'map') return undefined;
  const drivers = storage.entries.filter((e) => !STORAGE_PARAMS.includes(e.key));
  return drivers.length === 1 ? drivers[0]!.key : undefined;
}

function tally(findings: Finding[]): CheckResult {
  const order = (f: Finding) => f.line ?? Number.MAX_SAFE_INTEGER;
  const sorted = [...findings].sort((a, b) => order(a) - order(b));
  return { findings: sorted, errors: sorted.filter((f) => f.severity === 'error').length, warnings: sorted.filter((f) => f.severity === 'warning').length };
}

/** Every finding for a config.yml text, and for the container's environment when given. */
export function checkRegistryConfig(text: string, env?: Record<string, string>): CheckResult {
  const c = new Checker();
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
  checkVersion(c, root);
  checkLog(c, root);
  const driver = checkStorage(c, root);
  checkAuth(c, root);
  checkMiddleware(c, root, driver);
  checkOpenshift(c, root);
  checkUnsupported(c, root);
  checkHttp(c, root);
  checkNotifications(c, root);
  checkUpstreamTypes(c, root);
  unknownKeys(c, root, CONFIG_SCHEMA, '');
  checkPlaceholders(c, root, '', root.line);
  if (env) c.findings.push(...checkEnvironment(env, driver));
  return tally(c.findings);
}

export { resolvePlain };
