// The HTTP side: routing as kube-apiserver's request-info resolver does, authentication,
// authorization, then discovery or the REST verbs on the store.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { load } from 'js-yaml';
import type { KubeObject } from '../../src/plan/types.js';
import {
  apiGroup, apiGroupList, apiResourceList, apiVersions, groupVersion, kubernetesVersion, openApiV3Document, openApiV3Root, openshiftVersion,
  type Profile, type ResourceDef,
} from './discovery.js';
import { jsonPatch, mergePatch, strategicMergePatch } from './patch.js';
import { decodeProtobuf, PROTOBUF } from './protobuf.js';
import {
  alreadyExists, ApiError, badRequest, conflict, forbidden, generic, invalid, methodNotAllowed, notFound, pathNotFound, success, unauthorized, unsupportedMediaType,
  type FieldError,
} from './status.js';
import { canonicalJson, clone, nowTimestamp, randomSuffix, type ClusterIPAllocator, type Store, type StoreEvent } from './store.js';
import { afterCreate, afterDelete } from './controllers.js';
import { rbacAuthorize } from './rbac.js';
import { defaultOnCreate, defaultOnWrite } from './defaults.js';
import { assignClusterIP, checkDecodable, keepClusterIP, validateData, validateName, validateObject, validateService } from './validation.js';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType?: string;
  accept?: string;
  body?: unknown;
  status: number;
  user?: string;
  /** '2.0' over HTTP/2, '1.1' over HTTP/1.1. */
  httpVersion: string;
  /** performance.now() when the request was read, and when its answer went out: round trips are counted from these. */
  receivedAt: number;
  answeredAt?: number;
}

export interface Failure {
  method?: string;
  path?: string | RegExp;
  status: number;
  reason?: string;
  message?: string;
  times?: number;
}

export interface Identity {
  user: string;
  allow?: (verb: string, resource: string, namespace?: string) => boolean;
}

export interface ServerState {
  profile: Profile;
  store: Store;
  ips: ClusterIPAllocator;
  tokens: Map<string, Identity>;
  failures: Failure[];
  requests: RecordedRequest[];
  delayMs: number;
  /** Per `namespace/pod`: what the container wrote, each chunk with the time it was written (the kubelet keeps a time per line). */
  podLogs: Map<string, PodLog>;
  /** OpenShift's route host allocator (routingConfig.subdomain): a route created without a host gets `<name>-<namespace>.<subdomain>`. */
  routeSubdomain?: string;
}

/** The pod's container stopped: its log followers' streams end (the kubelet closes them). */
export function endPodLog(state: Pick<ServerState, 'podLogs'>, namespace: string, pod: string): void {
  const log = podLogOf(state, namespace, pod);
  log.ended = true;
  for (const f of log.followers) f.end();
  log.followers.clear();
}

export function podLogOf(state: Pick<ServerState, 'podLogs'>, namespace: string, pod: string): PodLog {
  const key = `${namespace}/${pod}`;
  let log = state.podLogs.get(key);
  if (!log) state.podLogs.set(key, (log = { entries: [], followers: new Set(), ended: false }));
  return log;
}

export interface PodLog {
  entries: { at: number; text: string }[];
  /** Followers (`follow=true`) get each chunk written after they came; `end` closes them (the container stopped). */
  followers: Set<{ write(text: string): void; end(): void }>;
  ended: boolean;
}

/** What the URL addresses, as k8s.io/apiserver's RequestInfo. */
interface ResourceRequest {
  def: ResourceDef;
  verb: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

const JSON_TYPE = 'application/json';

export function createHandler(state: ServerState): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void handle(state, req, res).catch((e: unknown) => {
      // A bug in the test server itself: answer as the real server answers a panic.
      const err = generic(500, 'InternalError', `Internal error occurred: ${e instanceof Error ? e.message : String(e)}`);
      if (!res.headersSent) send(res, 500, err.status);
    });
  };
}

async function handle(state: ServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://127.0.0.1');
  const method = (req.method ?? 'GET').toUpperCase();
  const raw = await readBody(req);
  const contentType = req.headers['content-type']?.split(';')[0].trim();
  const record: RecordedRequest = {
    method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams.entries()),
    ...(contentType ? { contentType } : {}),
    ...(req.headers.accept ? { accept: req.headers.accept } : {}),
    status: 0,
    httpVersion: req.httpVersion,
    receivedAt: performance.now(),
  };
  if (raw.length) record.body = parseMaybeJson(raw);
  state.requests.push(record);

  let status: number;
  let body: unknown;
  let stream: Reply['stream'];
  let headers: Record<string, string> = {};
  try {
    const identity = authenticate(state, req);
    record.user = identity.user;
    injectedFailure(state, method, url.pathname);
    ({ status, body, stream } = route(state, identity, method, url, raw, contentType));
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    status = e.status.code ?? 500;
    body = e.status;
    headers = e.headers;
  }
  record.status = status;
  if (state.delayMs > 0) await new Promise((r) => setTimeout(r, state.delayMs));
  record.answeredAt = performance.now();
  if (stream) stream(res);
  else send(res, status, body, headers);
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (typeof body === 'string') {
    res.writeHead(status, { 'content-type': 'text/plain', 'cache-control': 'no-cache, private', ...headers });
    res.end(body);
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': JSON_TYPE, 'cache-control': 'no-cache, private', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseMaybeJson(raw: Buffer): unknown {
  const text = raw.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * A bearer token, else a client certificate signed by the server's CA (its CN is the user,
 * who gets the `allow` registered for that user name with addToken, if any).
 */
function authenticate(state: ServerState, req: IncomingMessage): Identity {
  const h = req.headers.authorization;
  if (h !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(h);
    const id = m ? state.tokens.get(m[1]) : undefined;
    if (!id) throw unauthorized();
    return id;
  }
  const socket = req.socket as TLSSocket;
  const cert = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
  const cn = cert?.subject?.CN;
  if (!cn || !socket.authorized) throw unauthorized();
  const user = Array.isArray(cn) ? cn[0] : cn;
  return [...state.tokens.values()].find((i) => i.user === user) ?? { user };
}

function injectedFailure(state: ServerState, method: string, path: string): void {
  const i = state.failures.findIndex(
    (f) => (!f.method || f.method.toUpperCase() === method) && (f.path === undefined || (typeof f.path === 'string' ? f.path === path : f.path.test(path))),
  );
  if (i < 0) return;
  const f = state.failures[i];
  f.times = (f.times ?? 1) - 1;
  if (f.times <= 0) state.failures.splice(i, 1);
  throw generic(f.status, f.reason, f.message);
}

interface Reply {
  status: number;
  body: unknown;
  /** A watch: writes events to the response until it ends. */
  stream?: (res: ServerResponse) => void;
}

function route(state: ServerState, id: Identity, method: string, url: URL, raw: Buffer, contentType: string | undefined): Reply {
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const defs = state.store.defs;
  const ok = (body: unknown): Reply => ({ status: 200, body });

  // Non-resource paths: any authenticated user may read them (system:discovery, system:public-info-viewer).
  if (parts[0] === 'version' && parts.length === 1) return ok(kubernetesVersion(state.profile));
  if (parts[0] === 'version' && parts[1] === 'openshift' && parts.length === 2) {
    if (state.profile !== 'openshift3') throw pathNotFound();
    return ok(openshiftVersion());
  }
  if (['healthz', 'livez', 'readyz'].includes(parts[0]) && parts.length === 1) return ok('ok');
  if (parts[0] === 'openapi' && parts[1] === 'v3') {
    if (parts.length === 2) return ok(openApiV3Root(defs));
    const doc = openApiV3Document(defs, parts.slice(2).join('/'), state.profile);
    if (!doc) throw pathNotFound();
    return ok(doc);
  }
  if (parts[0] === 'api') {
    if (parts.length === 1) return ok(apiVersions());
    if (parts[1] !== 'v1') throw pathNotFound();
    if (parts.length === 2) return ok(apiResourceList(defs, '', 'v1'));
    return resourceRequest(state, id, method, url, raw, contentType, '', 'v1', parts.slice(2));
  }
  if (parts[0] === 'apis') {
    if (parts.length === 1) return ok(apiGroupList(defs));
    if (parts.length === 2) {
      const g = apiGroup(defs, parts[1]);
      if (!g) throw pathNotFound();
      return ok(g);
    }
    if (parts.length === 3) {
      const list = apiResourceList(defs, parts[1], parts[2]);
      if (!list) throw pathNotFound();
      return ok(list);
    }
    return resourceRequest(state, id, method, url, raw, contentType, parts[1], parts[2], parts.slice(3));
  }
  throw pathNotFound();
}

function resolve(state: ServerState, method: string, group: string, version: string, rest: string[]): ResourceRequest {
  const store = state.store;
  let namespace: string | undefined;
  let parts = rest;
  // /namespaces/<ns>/<resource>/... addresses namespaced resources; /namespaces/<ns>[/status] the namespace itself.
  if (parts[0] === 'namespaces' && parts.length >= 3 && group === '' && !['status', 'finalize'].includes(parts[2])) {
    namespace = parts[1];
    parts = parts.slice(2);
  } else if (parts[0] === 'namespaces' && parts.length >= 3 && group !== '') {
    namespace = parts[1];
    parts = parts.slice(2);
  }
  const def = store.defForResource(group, version, parts[0]);
  if (!def || parts.length > 3) throw pathNotFound();
  if (namespace !== undefined && !def.namespaced) throw pathNotFound();
  const name = parts[1];
  const subresource = parts[2];
  if (subresource && subresource !== 'status' && !(def.subresources ?? []).some((s) => s.name === subresource)) throw pathNotFound();
  if (subresource === 'status' && !def.statusSubresource) throw pathNotFound();
  let verb: string;
  switch (method) {
    case 'GET':
      verb = name ? 'get' : 'list';
      break;
    case 'POST':
      verb = 'create';
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = name ? 'delete' : 'deletecollection';
      break;
    default:
      throw methodNotAllowed();
  }
  return { def, verb, namespace, name, subresource };
}

function resourceRequest(
  state: ServerState, id: Identity, method: string, url: URL, raw: Buffer, contentType: string | undefined, group: string, version: string, rest: string[],
): Reply {
  const r = resolve(state, method, group, version, rest);
  const q = url.searchParams;
  const verb = r.verb === 'list' && ['true', '1'].includes(q.get('watch') ?? '') ? 'watch' : r.verb;
  const authzResource = r.subresource ? `${r.def.resource}/${r.subresource}` : r.def.resource;
  // Every authenticated user may ask what it may do (system:basic-user); asking about others needs the right.
  const selfReview = r.def.createOnly === true && r.def.kind.startsWith('SelfSubject');
  if (id.allow && !selfReview && !id.allow(verb, authzResource, r.namespace)) {
    throw forbidden({ user: id.user, verb, group: r.def.group, resource: r.def.resource, subresource: r.subresource, name: r.name, namespace: r.namespace });
  }
  if (verb === 'watch') return { status: 200, body: undefined, stream: new Handlers(state, r.def, id).watch(r.namespace, q) };
  const dryRun = parseDryRun(q);
  const h = new Handlers(state, r.def, id);

  if (r.def.createOnly) {
    if (verb !== 'create' || r.name) throw methodNotAllowed();
    return { status: 201, body: h.review(decodeBody(raw, contentType)) };
  }
  if (r.def.namespaced && r.namespace === undefined && verb !== 'list') throw methodNotAllowed();

  if (r.subresource === 'log') {
    if (verb !== 'get') throw methodNotAllowed();
    const text = h.podLog(r.namespace!, r.name!, q);
    if (['true', '1'].includes(q.get('follow') ?? '')) return { status: 200, body: undefined, stream: h.followPodLog(r.namespace!, r.name!, text) };
    return { status: 200, body: text };
  }
  if (r.subresource === 'instantiate') {
    if (verb !== 'create') throw methodNotAllowed();
    return { status: 201, body: h.instantiate(r.namespace!, r.name!, decodeBody(raw, contentType), dryRun) };
  }

  switch (verb) {
    case 'get':
      return { status: 200, body: h.get(r.namespace, r.name!) };
    case 'list':
      return { status: 200, body: h.list(r.namespace, q) };
    case 'create':
      if (r.name) throw methodNotAllowed();
      return { status: 201, body: h.create(r.namespace, decodeBody(raw, contentType), dryRun) };
    case 'update':
      return { status: 200, body: h.update(r.namespace, r.name!, decodeBody(raw, contentType), dryRun, r.subresource === 'status') };
    case 'patch':
      if (contentType === 'application/apply-patch+yaml' && !r.subresource) return h.apply(r.namespace, r.name!, raw, q, dryRun);
      return { status: 200, body: h.patch(r.namespace, r.name!, raw, contentType, dryRun, r.subresource === 'status') };
    case 'delete':
      if (r.subresource) throw methodNotAllowed();
      return { status: 200, body: h.delete(r.namespace, r.name!, deleteOptions(raw, contentType, dryRun)) };
    case 'deletecollection':
      return { status: 200, body: h.deleteCollection(r.namespace, q, deleteOptions(raw, contentType, dryRun)) };
    default:
      throw methodNotAllowed();
  }
}

interface DeleteOptions {
  dryRun: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** DeleteOptions may come in the body (kubectl sends one) as well as in the query. */
function deleteOptions(raw: Buffer, contentType: string | undefined, queryDryRun: boolean): DeleteOptions {
  if (raw.length === 0) return { dryRun: queryDryRun };
  const body = decodeBody(raw, contentType);
  if (!isObject(body)) throw badRequest('the body of a delete must be DeleteOptions');
  const dry = Array.isArray(body.dryRun) ? (body.dryRun as unknown[]) : [];
  for (const v of dry) if (v !== 'All') throw badRequest(`dryRun: Unsupported value: "${String(v)}": supported values: "All"`);
  const pre = isObject(body.preconditions) ? (body.preconditions as DeleteOptions['preconditions']) : undefined;
  return { dryRun: queryDryRun || dry.length > 0, preconditions: pre };
}

function parseDryRun(q: URLSearchParams): boolean {
  const values = q.getAll('dryRun');
  for (const v of values) {
    if (v !== 'All') throw badRequest(`dryRun: Unsupported value: "${v}": supported values: "All"`);
  }
  return values.length > 0;
}

/**
 * A POST or PUT body: JSON, YAML, or protobuf (what typed Go clients such as `kubectl create
 * configmap` send) for the kinds protobuf.ts knows; other protobuf bodies are refused with 415.
 */
function decodeBody(raw: Buffer, contentType: string | undefined): unknown {
  switch (contentType) {
    case undefined:
    case 'application/json':
      return parseJsonBody(raw);
    case 'application/yaml':
      try {
        return load(raw.toString('utf8'));
      } catch (e) {
        throw badRequest(`error decoding body: ${e instanceof Error ? e.message : String(e)}`);
      }
    case PROTOBUF: {
      let obj: Record<string, unknown> | undefined;
      try {
        obj = decodeProtobuf(raw);
      } catch (e) {
        throw badRequest(`error decoding body: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (!obj) throw unsupportedMediaType(['application/json', 'application/yaml']);
      return obj;
    }
    default:
      throw unsupportedMediaType(['application/json', 'application/yaml']);
  }
}

function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) throw badRequest('the server rejected our request for an unknown reason');
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (e) {
    throw badRequest(`error decoding body: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** As openshift-apiserver's SimpleAllocationPlugin: only a route that asks for no host gets one. */
function allocateRouteHost(route: KubeObject, subdomain: string): void {
  const spec = (isObject(route.spec) ? route.spec : (route.spec = {})) as Record<string, unknown>;
  if (typeof spec.host === 'string' && spec.host !== '') return;
  spec.host = `${route.metadata.name}-${route.metadata.namespace}.${subdomain}`;
  route.metadata.annotations = { ...(route.metadata.annotations ?? {}), 'openshift.io/host.generated': 'true' };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Everything but metadata and status: what a generation bump watches. */
function specPart(o: KubeObject): string {
  const { metadata: _m, status: _s, ...rest } = o;
  return canonicalJson(rest);
}

class Handlers {
  private readonly gr: { group: string; resource: string };

  constructor(private readonly state: ServerState, private readonly def: ResourceDef, private readonly id: Identity) {
    this.gr = { group: def.group, resource: def.resource };
  }

  private get store(): Store {
    return this.state.store;
  }

  private existing(namespace: string | undefined, name: string): KubeObject {
    const o = this.store.get(this.def, namespace, name);
    if (!o) throw notFound(this.gr, name);
    return o;
  }

  private requireNamespace(namespace: string | undefined): void {
    if (!this.def.namespaced || namespace === undefined) return;
    const nsDef = this.store.defForResource('', 'v1', 'namespaces')!;
    if (!this.store.get(nsDef, undefined, namespace)) throw notFound({ group: '', resource: 'namespaces' }, namespace);
  }

  /** Checks a request body is an object of this resource and its namespace matches the URL. */
  private decode(body: unknown, namespace: string | undefined): KubeObject {
    if (!isObject(body)) throw badRequest('the object provided is unrecognized (must be of type ' + this.def.kind + ')');
    const gv = groupVersion(this.def);
    const obj = clone(body) as KubeObject;
    obj.apiVersion ??= gv;
    obj.kind ??= this.def.kind;
    if (obj.apiVersion !== gv || obj.kind !== this.def.kind) {
      throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${gv})`);
    }
    if (!isObject(obj.metadata)) obj.metadata = { name: '' };
    checkDecodable(this.def, obj);
    const m = obj.metadata;
    if (this.def.namespaced) {
      if (m.namespace && m.namespace !== namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      m.namespace = namespace;
    } else {
      delete m.namespace;
    }
    return obj;
  }

  get(namespace: string | undefined, name: string): KubeObject {
    return this.existing(namespace, name);
  }

  list(namespace: string | undefined, q: URLSearchParams): unknown {
    const labelMatch = parseLabelSelector(q.get('labelSelector') ?? '');
    const fieldMatch = parseFieldSelector(q.get('fieldSelector') ?? '', this.def);
    const items = this.store
      .list(this.def, namespace)
      .filter((o) => labelMatch(o.metadata.labels ?? {}) && fieldMatch(o))
      .map((o) => {
        // Typed lists from kube-apiserver carry no apiVersion/kind per item; custom resource lists do.
        if (!this.def.custom) {
          const { apiVersion: _a, kind: _k, ...rest } = o;
          return rest;
        }
        return o;
      });
    return { kind: `${this.def.kind}List`, apiVersion: groupVersion(this.def), metadata: { resourceVersion: this.store.resourceVersion }, items };
  }

  create(namespace: string | undefined, body: unknown, dryRun: boolean): KubeObject {
    const obj = this.decode(body, namespace);
    const m = obj.metadata;
    this.requireNamespace(namespace);
    if (!m.name && typeof m.generateName === 'string' && m.generateName) {
      m.name = m.generateName + randomSuffix();
    }
    validateName(this.def, m.name);
    delete m.resourceVersion;
    defaultOnCreate(this.def, obj, this.state.profile);
    if (this.def.group === 'route.openshift.io' && this.state.routeSubdomain) allocateRouteHost(obj, this.state.routeSubdomain);
    validateObject(this.def, obj);
    validateData(this.def, obj);
    if (this.isService()) validateService(obj);
    if (this.store.get(this.def, namespace, m.name)) throw alreadyExists(this.gr, m.name);
    this.store.stampNew(this.def, obj);
    if (this.isService()) assignClusterIP(obj, this.state.ips, dryRun);
    if (dryRun) {
      // Nothing was written, so there is no revision to report.
      delete m.resourceVersion;
      return obj;
    }
    if (this.isService()) {
      const ip = (obj.spec as Record<string, unknown>).clusterIP;
      if (typeof ip === 'string' && ip !== 'None') this.state.ips.reserve(ip);
    }
    this.store.put(this.def, obj);
    afterCreate(this.state, obj);
    return obj;
  }

  update(namespace: string | undefined, name: string, body: unknown, dryRun: boolean, statusOnly: boolean): KubeObject {
    const obj = this.decode(body, namespace);
    const m = obj.metadata;
    if (m.name !== name) {
      if (!m.name) throw badRequest(`the name of the object () does not match the name on the URL (${name})`);
      throw badRequest(`the name of the object (${m.name}) does not match the name on the URL (${name})`);
    }
    const old = this.existing(namespace, name);
    if (m.resourceVersion && m.resourceVersion !== old.metadata.resourceVersion) {
      throw conflict(this.gr, name);
    }
    if (m.uid && m.uid !== old.metadata.uid) {
      throw conflict(this.gr, name, `Precondition failed: UID in precondition: ${String(m.uid)}, UID in object meta: ${String(old.metadata.uid)}`);
    }
    let next: KubeObject;
    if (statusOnly) {
      next = clone(old);
      next.status = obj.status;
    } else {
      next = obj;
      if (this.def.statusSubresource) {
        if (old.status === undefined) delete next.status;
        else next.status = old.status;
      }
      defaultOnWrite(this.def, next, this.state.profile);
      validateObject(this.def, next);
      validateData(this.def, next);
      if (this.isService()) {
        validateService(next);
        keepClusterIP(next, old, this.state.profile);
      }
    }
    // Fields the server owns are kept from the stored object.
    next.metadata.uid = old.metadata.uid;
    next.metadata.creationTimestamp = old.metadata.creationTimestamp;
    if (this.def.generation) {
      const gen = Number(old.metadata.generation ?? 1);
      next.metadata.generation = !statusOnly && specPart(next) !== specPart(old) ? gen + 1 : gen;
    } else delete next.metadata.generation;
    if (this.def.namespaced) next.metadata.namespace = namespace;
    if (dryRun) {
      next.metadata.resourceVersion = old.metadata.resourceVersion;
      return next;
    }
    // An update that changes nothing does not write, and keeps the resourceVersion (as etcd3 storage).
    const withoutRV = (o: KubeObject) => canonicalJson({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } });
    const unchanged = withoutRV(next) === withoutRV(old);
    next.metadata.resourceVersion = unchanged ? old.metadata.resourceVersion : this.store.nextResourceVersion();
    if (!unchanged) this.store.put(this.def, next);
    return next;
  }

  patch(namespace: string | undefined, name: string, raw: Buffer, contentType: string | undefined, dryRun: boolean, statusOnly: boolean): KubeObject {
    const accepted = ['application/json-patch+json', 'application/merge-patch+json', ...(this.def.custom ? [] : ['application/strategic-merge-patch+json']), 'application/apply-patch+yaml'];
    if (!contentType || !accepted.includes(contentType) || contentType === 'application/apply-patch+yaml') throw unsupportedMediaType(accepted);
    const patch = parseJsonBody(raw);
    const old = this.existing(namespace, name);
    let result: unknown;
    switch (contentType) {
      case 'application/merge-patch+json':
        result = mergePatch(old, patch);
        break;
      case 'application/json-patch+json':
        result = jsonPatch(old, patch);
        break;
      default:
        result = strategicMergePatch(old, patch, this.def.kind);
    }
    if (!isObject(result) || !isObject(result.metadata)) throw badRequest('the patched object is not a valid object');
    const obj = result as KubeObject;
    // A patch that names a resourceVersion is a precondition on it; otherwise it applies to the current one.
    obj.metadata.resourceVersion ??= old.metadata.resourceVersion;
    return this.update(namespace, name, obj, dryRun, statusOnly);
  }

  /**
   * Server-side apply, simplified: creates the object when missing, else merges the applied
   * configuration into it as a strategic merge patch (a JSON merge patch on custom resources).
   * Field ownership is not tracked, so fields a manager stops applying are not removed.
   */
  apply(namespace: string | undefined, name: string, raw: Buffer, q: URLSearchParams, dryRun: boolean): Reply {
    if (!q.get('fieldManager')) {
      throw invalid({ group: 'meta.k8s.io', kind: 'PatchOptions' }, '', [{ type: 'FieldValueRequired', field: 'fieldManager', detail: 'is required for apply patch' }]);
    }
    let applied: unknown;
    try {
      applied = load(raw.toString('utf8'));
    } catch (e) {
      throw badRequest(`error decoding YAML: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!isObject(applied)) throw badRequest('the applied configuration must be an object');
    const obj = this.decode(applied, namespace);
    if (obj.metadata.name !== name) throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
    if (!this.store.get(this.def, namespace, name)) return { status: 201, body: this.create(namespace, obj, dryRun) };
    const old = this.existing(namespace, name);
    const merged = (this.def.custom ? mergePatch(old, obj) : strategicMergePatch(old, obj, this.def.kind)) as KubeObject;
    merged.metadata.resourceVersion = obj.metadata.resourceVersion ?? old.metadata.resourceVersion;
    return { status: 200, body: this.update(namespace, name, merged, dryRun, false) };
  }

  delete(namespace: string | undefined, name: string, opts: DeleteOptions): unknown {
    const old = this.existing(namespace, name);
    const dryRun = opts.dryRun;
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== old.metadata.uid) {
      throw conflict(this.gr, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${String(old.metadata.uid)}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) {
      throw conflict(
        this.gr, name,
        `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${String(old.metadata.resourceVersion)}). The object might have been modified`,
      );
    }
    if (!dryRun) {
      this.store.remove(this.def, namespace, name);
      afterDelete(this.state, old);
      if (this.def.group === '' && this.def.kind === 'Pod') endPodLog(this.state, namespace!, name);
      if (this.isService()) {
        const ip = (old.spec as Record<string, unknown> | undefined)?.clusterIP;
        if (typeof ip === 'string' && ip !== 'None') this.state.ips.release(ip);
      }
      if (this.def.group === '' && this.def.kind === 'Namespace') {
        for (const o of this.store.removeNamespaceContents(name)) {
          const ip = o.kind === 'Service' ? (o.spec as Record<string, unknown> | undefined)?.clusterIP : undefined;
          if (typeof ip === 'string' && ip !== 'None') this.state.ips.release(ip);
        }
      }
    }
    if (this.def.kind === 'Namespace' && this.def.group === '') {
      old.metadata.deletionTimestamp = nowTimestamp();
      old.status = { phase: 'Terminating' };
      return old;
    }
    if (this.def.kind === 'Pod' && this.def.group === '') {
      old.metadata.deletionTimestamp = nowTimestamp();
      old.metadata.deletionGracePeriodSeconds = 30;
      return old;
    }
    if (this.def.returnsDeletedObject) return old;
    return success({ name, group: this.def.group, kind: this.def.resource, uid: String(old.metadata.uid ?? '') });
  }

  /**
   * A watch (`?watch=true` on a list): without a resourceVersion (or with "0") the current
   * objects first as ADDED, else the changes after that version; then changes as they happen,
   * until `timeoutSeconds` or the client goes. With selectors, an object that starts or stops
   * matching is reported ADDED or DELETED, as the watch cache does.
   */
  watch(namespace: string | undefined, q: URLSearchParams): (res: ServerResponse) => void {
    const labelMatch = parseLabelSelector(q.get('labelSelector') ?? '');
    const fieldMatch = parseFieldSelector(q.get('fieldSelector') ?? '', this.def);
    const matches = (o: KubeObject | undefined): boolean =>
      o !== undefined && (namespace === undefined || o.metadata.namespace === namespace) && labelMatch(o.metadata.labels ?? {}) && fieldMatch(o);
    const since = q.get('resourceVersion') ?? '';
    if (since !== '' && !/^\d+$/.test(since)) throw badRequest(`resourceVersion: Invalid value: "${since}": must be a valid resourceVersion`);
    const initial = since === '' || since === '0' || q.get('sendInitialEvents') === 'true';
    const replay = initial ? [] : this.store.eventsSince(this.def, Number(since));
    const timeoutSeconds = Number(q.get('timeoutSeconds') ?? 0);
    const bookmarks = q.get('allowWatchBookmarks') === 'true';
    return (res) => {
      res.writeHead(200, { 'content-type': JSON_TYPE, 'cache-control': 'no-cache, private' });
      // A watch may have nothing to say for a while; the client must see it is open.
      res.flushHeaders();
      const write = (type: string, object: unknown) => res.write(`${JSON.stringify({ type, object })}\n`);
      const report = (e: StoreEvent) => {
        const was = e.type !== 'ADDED' && matches(e.previous);
        const is = e.type !== 'DELETED' && matches(e.object);
        if (was && is) write('MODIFIED', e.object);
        else if (is) write('ADDED', e.object);
        else if (was) write('DELETED', e.object);
      };
      if (replay === undefined) {
        write('ERROR', generic(410, 'Expired', `too old resource version: ${since} (${this.store.resourceVersion})`).status);
        res.end();
        return;
      }
      if (initial) {
        for (const o of this.store.list(this.def, namespace)) if (matches(o)) write('ADDED', o);
      } else {
        for (const e of replay) report(e);
      }
      if (initial && bookmarks && q.get('sendInitialEvents') === 'true') {
        write('BOOKMARK', {
          kind: this.def.kind, apiVersion: groupVersion(this.def),
          metadata: { resourceVersion: this.store.resourceVersion, annotations: { 'k8s.io/initial-events-end': 'true' } },
        });
      }
      const unsubscribe = this.store.subscribe(this.def, report);
      const timer = timeoutSeconds > 0 ? setTimeout(() => res.end(), timeoutSeconds * 1000) : undefined;
      res.on('close', () => {
        unsubscribe();
        if (timer) clearTimeout(timer);
      });
    };
  }

  /** DELETE on a collection (with selectors): deletes each match and answers with the list of them. */
  deleteCollection(namespace: string | undefined, q: URLSearchParams, opts: DeleteOptions): unknown {
    const list = this.list(namespace, q) as { items: KubeObject[] };
    for (const item of list.items) this.delete(item.metadata.namespace, item.metadata.name, { dryRun: opts.dryRun });
    return list;
  }

  podLog(namespace: string, name: string, q: URLSearchParams): string {
    const pod = this.existing(namespace, name);
    const containers = (((pod.spec ?? {}) as Record<string, unknown>).containers ?? []) as { name?: string }[];
    const container = q.get('container');
    if (!container && containers.length > 1) {
      throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.map((c) => c.name).join(' ')}]`);
    }
    if (container && containers.length && !containers.some((c) => c.name === container)) {
      throw badRequest(`container ${container} is not valid for pod ${name}`);
    }
    // The kubelet's filters: sinceSeconds by each line's time, then tailLines; timestamps=true prefixes each line with its RFC 3339 time.
    const since = q.get('sinceSeconds');
    if (since !== null && !/^[1-9]\d*$/.test(since)) throw badRequest(`sinceSeconds: Invalid value: ${since}: must be greater than 0`);
    const cutoff = since !== null ? Date.now() - Number(since) * 1000 : -Infinity;
    const stamp = q.get('timestamps') === 'true';
    const entries = (this.state.podLogs.get(`${namespace}/${name}`)?.entries ?? []).filter((e) => e.at >= cutoff);
    let text = entries.map((e) => (stamp ? e.text.replace(/^(?=.)/gm, `${new Date(e.at).toISOString()} `) : e.text)).join('');
    const tail = q.get('tailLines');
    if (tail !== null) {
      const lines = text.split('\n');
      const trailing = text.endsWith('\n');
      if (trailing) lines.pop();
      const n = Math.max(0, Number(tail));
      text = lines.slice(Math.max(0, lines.length - n)).join('\n') + (trailing && n > 0 && lines.length ? '\n' : '');
    }
    return text;
  }

  /**
   * `follow=true`: what is there (after the filters), then each chunk as the container writes
   * it, until the container stops (`endPodLog`, the pod deleted or finished) or the client goes.
   */
  followPodLog(namespace: string, name: string, initial: string): (res: ServerResponse) => void {
    const log = podLogOf(this.state, namespace, name);
    const phase = ((this.existing(namespace, name).status ?? {}) as { phase?: string }).phase;
    const finished = log.ended || phase === 'Succeeded' || phase === 'Failed';
    const followers = log.followers;
    return (res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-cache, private' });
      res.flushHeaders();
      if (initial) res.write(initial);
      if (finished) {
        res.end();
        return;
      }
      const follower = { write: (t: string) => res.write(t), end: () => res.end() };
      followers.add(follower);
      res.on('close', () => followers.delete(follower));
    };
  }

  /** POST deploymentconfigs/<name>/instantiate (what `oc rollout latest` calls): a new rollout. */
  instantiate(namespace: string, name: string, body: unknown, dryRun: boolean): KubeObject {
    const request = isObject(body) ? body : {};
    if (request.name !== undefined && request.name !== name) {
      throw badRequest(`the name of the object (${String(request.name)}) does not match the name on the URL (${name})`);
    }
    const dc = this.existing(namespace, name);
    const status = (dc.status ?? {}) as Record<string, unknown>;
    status.latestVersion = Number(status.latestVersion ?? 0) + 1;
    status.details = { message: 'manual change', causes: [{ type: 'Manual' }] };
    dc.status = status;
    if (!dryRun) {
      dc.metadata.resourceVersion = this.store.nextResourceVersion();
      this.store.put(this.def, dc);
    }
    return dc;
  }

  /**
   * SelfSubjectAccessReview: answers with what this identity's `allow` says. SubjectAccessReview
   * (about spec.user / spec.groups): an identity the server knows answers as its `allow` (none:
   * everything), any user also as RBAC evaluates the stored bindings (test/apiserver/rbac.ts).
   */
  review(body: unknown): unknown {
    const review = isObject(body) ? clone(body) : {};
    const spec = (isObject(review.spec) ? review.spec : {}) as Record<string, unknown>;
    const attrs = (isObject(spec.resourceAttributes) ? spec.resourceAttributes : {}) as Record<string, string>;
    if (this.def.kind === 'SubjectAccessReview') return this.subjectReview(spec, attrs);
    const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource ?? '';
    const allowed = !this.id.allow || this.id.allow(attrs.verb ?? '', resource, attrs.namespace || undefined);
    return {
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec,
      status: allowed ? { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "cluster-admins" of ClusterRole "cluster-admin" to User "' + this.id.user + '"' } : { allowed: false },
    };
  }

  private subjectReview(spec: Record<string, unknown>, attrs: Record<string, string>): unknown {
    const user = typeof spec.user === 'string' ? spec.user : '';
    const groups = Array.isArray(spec.groups) ? (spec.groups as string[]) : [];
    // pkg/apis/authorization/validation: ValidateSubjectAccessReviewSpec.
    const errs: FieldError[] = [];
    if (spec.resourceAttributes !== undefined && spec.nonResourceAttributes !== undefined) errs.push({ type: 'FieldValueInvalid', field: 'spec.nonResourceAttributes', goValue: '&authorization.NonResourceAttributes{...}', detail: 'cannot be specified in combination with resourceAttributes' });
    if (spec.resourceAttributes === undefined && spec.nonResourceAttributes === undefined) errs.push({ type: 'FieldValueInvalid', field: 'spec.resourceAttributes', goValue: '(*authorization.NonResourceAttributes)(nil)', detail: 'exactly one of nonResourceAttributes or resourceAttributes must be specified' });
    if (!user && groups.length === 0) errs.push({ type: 'FieldValueInvalid', field: 'spec.user', value: '', detail: 'at least one of user or group must be specified' });
    if (errs.length) throw invalid({ group: 'authorization.k8s.io', kind: 'SubjectAccessReview' }, '', errs);
    const known = [...this.state.tokens.values()].find((i) => i.user === user);
    const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource ?? '';
    let status: { allowed: boolean; reason?: string };
    if (known && (!known.allow || known.allow(attrs.verb ?? '', resource, attrs.namespace || undefined))) {
      status = { allowed: true, reason: `RBAC: allowed by ClusterRoleBinding "cluster-admins" of ClusterRole "cluster-admin" to User "${user}"` };
    } else {
      status = rbacAuthorize(this.store, { user, groups, verb: attrs.verb ?? '', group: attrs.group ?? '', resource: attrs.resource ?? '', subresource: attrs.subresource || undefined, namespace: attrs.namespace || undefined, name: attrs.name || undefined });
    }
    return { kind: 'SubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec, status };
  }

  private isService(): boolean {
    return this.def.group === '' && this.def.kind === 'Service';
  }
}

/** `a=b,c!=d,e,!f,g in (x,y),h notin (z)`, as labels.Parse. */
export function parseLabelSelector(sel: string): (labels: Record<string, string>) => boolean {
  const terms = splitTerms(sel);
  const tests = terms.map((t) => {
    let m: RegExpExecArray | null;
    if ((m = /^([^\s!=,()]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(t))) {
      const [, key, op, list] = m;
      const values = list.split(',').map((v) => v.trim()).filter(Boolean);
      return op === 'in' ? (l: Record<string, string>) => key in l && values.includes(l[key]) : (l: Record<string, string>) => !(key in l) || !values.includes(l[key]);
    }
    if ((m = /^([^\s!=,()]+)\s*(==|=|!=)\s*([^\s!=,()]*)$/.exec(t))) {
      const [, key, op, value] = m;
      return op === '!=' ? (l: Record<string, string>) => l[key] !== value : (l: Record<string, string>) => l[key] === value;
    }
    if ((m = /^!\s*([^\s!=,()]+)$/.exec(t))) {
      const key = m[1];
      return (l: Record<string, string>) => !(key in l);
    }
    if ((m = /^([^\s!=,()]+)$/.exec(t))) {
      const key = m[1];
      return (l: Record<string, string>) => key in l;
    }
    throw badRequest(`unable to parse requirement: found '${t}', expected: identifier`);
  });
  return (labels) => tests.every((f) => f(labels));
}

function splitTerms(sel: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of sel) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out.filter(Boolean);
}

/** `metadata.name=x,metadata.namespace!=y` (plus the few per-kind fields the real server supports). */
export function parseFieldSelector(sel: string, def: ResourceDef): (o: KubeObject) => boolean {
  const extra: Record<string, string[]> = {
    Pod: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
    Secret: ['type'],
    Event: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
  };
  const allowed = ['metadata.name', 'metadata.namespace', ...(def.group === '' ? extra[def.kind] ?? [] : [])];
  const tests = splitTerms(sel).map((t) => {
    const m = /^([^\s!=]+)\s*(==|=|!=)\s*(.*)$/.exec(t);
    if (!m) throw badRequest(`invalid selector: '${sel}'; can't understand '${t}'`);
    const [, field, op, value] = m;
    if (!allowed.includes(field)) throw badRequest(`field label not supported: ${field}`);
    return (o: KubeObject) => {
      let v: unknown = o;
      for (const p of field.split('.')) v = isObject(v) ? v[p] : undefined;
      const s = v === undefined || v === null ? '' : String(v);
      return op === '!=' ? s !== value : s === value;
    };
  });
  return (o) => tests.every((f) => f(o));
}
