// The three patch formats kube-apiserver accepts on PATCH.
import { badRequest, patchNotApplicable } from './status.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (isObject(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])]));
  return v;
}

// ---------------------------------------------------------------- RFC 7386 merge patch

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const out: JsonObject = isObject(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v) as Json;
  }
  return out;
}

// ---------------------------------------------------------------- RFC 6902 JSON patch

interface JsonPatchOp {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

function parsePointer(p: string): string[] {
  if (p === '') return [];
  if (!p.startsWith('/')) throw patchNotApplicable(`invalid JSON pointer "${p}"`);
  return p.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Parent container and last token for a pointer; throws when the parent is missing (as evanphx/json-patch). */
function locate(doc: Json, tokens: string[], op: string, path: string): { parent: JsonObject | Json[]; key: string } {
  let cur: Json = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) {
      const i = Number(t);
      if (!/^\d+$/.test(t) || i >= cur.length) throw patchNotApplicable(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
      cur = cur[i];
    } else if (isObject(cur) && t in cur) {
      cur = cur[t];
    } else {
      throw patchNotApplicable(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
    }
  }
  if (!Array.isArray(cur) && !isObject(cur)) throw patchNotApplicable(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
  return { parent: cur, key: tokens[tokens.length - 1] };
}

function getAt(doc: Json, path: string, op: string): Json | undefined {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return doc;
  const { parent, key } = locate(doc, tokens, op, path);
  if (Array.isArray(parent)) {
    const i = Number(key);
    return /^\d+$/.test(key) && i < parent.length ? parent[i] : undefined;
  }
  return key in parent ? parent[key] : undefined;
}

function addAt(doc: Json, path: string, value: Json, op = 'add'): Json {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return value;
  const { parent, key } = locate(doc, tokens, op, path);
  if (Array.isArray(parent)) {
    if (key === '-') parent.push(value);
    else {
      const i = Number(key);
      if (!/^\d+$/.test(key) || i > parent.length) throw patchNotApplicable(`Unable to access invalid index: ${key}: invalid index referenced`);
      parent.splice(i, 0, value);
    }
  } else parent[key] = value;
  return doc;
}

function removeAt(doc: Json, path: string, op = 'remove'): Json {
  const tokens = parsePointer(path);
  const { parent, key } = locate(doc, tokens, op, path);
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!/^\d+$/.test(key) || i >= parent.length) throw patchNotApplicable(`Unable to remove invalid index: ${key}: invalid index referenced`);
    parent.splice(i, 1);
  } else {
    if (!(key in parent)) throw patchNotApplicable(`Unable to remove nonexistent key: ${key}: missing value`);
    delete parent[key];
  }
  return doc;
}

export function jsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let doc = clone(target) as Json;
  for (const raw of patch as JsonPatchOp[]) {
    if (!isObject(raw) || typeof raw.op !== 'string') throw badRequest('Unexpected kind: <nil>');
    const { op, path } = raw;
    switch (op) {
      case 'add':
        doc = addAt(doc, path, clone(raw.value) as Json);
        break;
      case 'remove':
        doc = removeAt(doc, path);
        break;
      case 'replace': {
        if (getAt(doc, path, 'replace') === undefined) throw patchNotApplicable(`replace operation does not apply: doc is missing key: ${path}: missing value`);
        doc = removeAt(doc, path, 'replace');
        doc = addAt(doc, path, clone(raw.value) as Json, 'replace');
        break;
      }
      case 'test': {
        const actual = getAt(doc, path, 'test');
        if (!deepEqual(actual ?? null, raw.value ?? null)) throw patchNotApplicable(`testing value ${path} failed: test failed`);
        break;
      }
      case 'move':
      case 'copy': {
        const from = raw.from ?? '';
        const v = getAt(doc, from, op);
        if (v === undefined) throw patchNotApplicable(`${op} operation does not apply: doc is missing from path: "${from}": missing value`);
        if (op === 'move') doc = removeAt(doc, from, 'move');
        doc = addAt(doc, path, clone(v), op);
        break;
      }
      default:
        throw patchNotApplicable(`Unexpected kind: ${op}`);
    }
  }
  return doc;
}

// ---------------------------------------------------------------- strategic merge patch

/**
 * The merge key of a list, by the field name and (where it matters) the kind of object it
 * is in, as the Go types' `patchMergeKey` tags say. Lists not named here are replaced whole.
 */
function mergeKeyFor(path: string[], kind: string): string | undefined {
  const field = path[path.length - 1];
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
    case 'secrets':
      return 'name';
    case 'volumeMounts':
      return 'mountPath';
    case 'volumeDevices':
      return 'devicePath';
    case 'conditions':
      return 'type';
    case 'hostAliases':
      return 'ip';
    case 'ownerReferences':
      return 'uid';
    case 'ports':
      // Service.spec.ports merge on `port`; container ports on `containerPort`.
      return kind === 'Service' && path.length === 2 && path[0] === 'spec' ? 'port' : 'containerPort';
    default:
      return undefined;
  }
}

/** Primitive lists whose patch strategy is `merge` (union) rather than replace. */
function isMergedPrimitiveList(path: string[]): boolean {
  const field = path[path.length - 1];
  return field === 'finalizers' && path.length === 2 && path[0] === 'metadata';
}

export function strategicMergePatch(target: unknown, patch: unknown, kind: string): unknown {
  if (!isObject(patch)) throw badRequest('the request body must be a JSON object for a strategic merge patch');
  const out = mergeMap(isObject(target) ? clone(target) : {}, patch, [], kind);
  return out ?? {};
}

function mergeMap(target: JsonObject, patch: JsonObject, path: string[], kind: string): JsonObject | undefined {
  const directive = patch['$patch'];
  if (directive === 'delete') return undefined;
  if (directive === 'replace') {
    const copy = clone(patch);
    delete copy['$patch'];
    return stripDirectives(copy) as JsonObject;
  }
  const out = target;
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k.startsWith('$setElementOrder/') || k === '$retainKeys') continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      const cur = out[field];
      if (Array.isArray(cur) && Array.isArray(v)) out[field] = cur.filter((x) => !v.some((d) => deepEqual(d, x)));
      continue;
    }
    const childPath = [...path, k];
    if (v === null) {
      delete out[k];
    } else if (isObject(v)) {
      const merged = mergeMap(isObject(out[k]) ? (out[k] as JsonObject) : {}, v, childPath, kind);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    } else if (Array.isArray(v)) {
      out[k] = mergeList(Array.isArray(out[k]) ? (out[k] as Json[]) : [], v, childPath, kind);
    } else {
      out[k] = v;
    }
  }
  return out;
}

function mergeList(target: Json[], patch: Json[], path: string[], kind: string): Json[] {
  if (patch.some((e) => isObject(e) && e['$patch'] === 'replace')) {
    return stripDirectives(patch.filter((e) => !(isObject(e) && e['$patch'] === 'replace'))) as Json[];
  }
  const key = mergeKeyFor(path, kind);
  if (!key) {
    if (isMergedPrimitiveList(path)) {
      const out = [...target];
      for (const e of patch) if (!out.some((x) => deepEqual(x, e))) out.push(e);
      return out;
    }
    return stripDirectives(patch) as Json[];
  }
  const out = [...target];
  for (const e of patch) {
    if (!isObject(e)) {
      out.push(e);
      continue;
    }
    const idx = out.findIndex((x) => isObject(x) && x[key] !== undefined && deepEqual(x[key], e[key]));
    if (e['$patch'] === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) {
      const merged = mergeMap(out[idx] as JsonObject, e, path, kind);
      if (merged === undefined) out.splice(idx, 1);
      else out[idx] = merged;
    } else {
      out.push(stripDirectives(clone(e)) as Json);
    }
  }
  return out;
}

function stripDirectives(v: Json): Json {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) if (!k.startsWith('$')) out[k] = stripDirectives(x);
    return out;
  }
  return v;
}
