// An in-process HTTPS server (HTTP/2 by ALPN, HTTP/1.1 otherwise, as kube-apiserver) that answers the calls regctl makes as kube-apiserver (and
// openshift-apiserver) do, for tests: `const api = await startApiServer({ profile: 'openshift3' })`,
// then point a client at `api.kubeconfigPath`.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { createSecureServer } from 'node:http2';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import type { KubeObject } from '../../src/plan/types.js';
import { resourcesFor, type Profile, type ResourceDef } from './discovery.js';
import { clusterRoles, defaultNamespaces, kubernetesService, openshift4Seeds, openshiftSeeds, serviceCIDR } from './seeds.js';
import { afterCreate, afterDelete } from './controllers.js';
import { createHandler, endPodLog, podLogOf, type Failure, type Identity, type RecordedRequest, type ServerState } from './server.js';
import { canonicalJson, ClusterIPAllocator, clone, Store } from './store.js';
import { issueClientCertificate, servingCerts, type ClientCertificate } from './tls.js';
import { defaultOnWrite, defaultSecret } from './defaults.js';

export type { Profile } from './discovery.js';
export type { Failure, RecordedRequest } from './server.js';
export type { ClientCertificate } from './tls.js';

export interface StartOptions {
  /** Default 'openshift3'. */
  profile?: Profile;
  /** Seeded before start. */
  objects?: KubeObject[];
  /** Fixed delay before every response. */
  delayMs?: number;
  /** Namespaces that exist (default: default, kube-system, and for 4.x openshift-image-registry, openshift-config). */
  namespaces?: string[];
  /** Port on 127.0.0.1; default 0 (any free port). */
  port?: number;
  /** Routes created without spec.host get `<name>-<namespace>.<routeSubdomain>` (OpenShift profiles); unset: the host stays empty. */
  routeSubdomain?: string;
  /** openshift4: the version ClusterVersion reports (default 4.18.5); before 4.13 no ImageDigestMirrorSet/ImageTagMirrorSet is served. */
  openshiftVersion?: string;
  /** Offer no h2 in ALPN (an API server behind an HTTP/1.1-only proxy): clients fall back to HTTP/1.1. */
  http1Only?: boolean;
}

export interface KubeconfigOptions {
  namespace?: string;
  token?: string;
  /** Authenticate with this client certificate (from issueClientCertificate) instead of a token. */
  clientCertificate?: ClientCertificate;
  insecureSkipTLSVerify?: boolean;
  contextName?: string;
}

export interface TestApiServer {
  url: string;
  kubeconfigPath: string;
  writeKubeconfig(opts?: KubeconfigOptions): string;
  caPem: string;
  /** The bearer token of user `admin` (may do everything). */
  token: string;
  requests: RecordedRequest[];
  /** Requests and TLS connections since the start or the last clearRequests(). */
  clearRequests(): void;
  readonly connections: number;
  delayMs: number;
  inject(f: Failure): void;
  /** Takes back every injected failure still pending (the server "comes back"). */
  clearFailures(): void;
  getObject(apiVersion: string, kind: string, name: string, namespace?: string): KubeObject | undefined;
  /** Every stored object (apiVersion and kind set), for before/after comparisons. */
  allObjects(): KubeObject[];
  putObject(obj: KubeObject): KubeObject;
  deleteObject(apiVersion: string, kind: string, name: string, namespace?: string): void;
  /** The pod's log is this text, written at `at` (default now). */
  setPodLog(namespace: string, pod: string, text: string, at?: Date): void;
  /** The container writes more: followers (`follow=true`) get it at once. */
  appendPodLog(namespace: string, pod: string, text: string, at?: Date): void;
  /** The container stops: follow streams of the pod end. Deleting the pod does this too. */
  endPodLog(namespace: string, pod: string): void;
  addToken(token: string, user: string, allow?: (verb: string, resource: string, namespace?: string) => boolean): void;
  /** A client certificate for `user` (CN) and `groups` (O), signed by the server's CA; the user gets the `allow` given to addToken for that name. */
  issueClientCertificate(user: string, groups?: string[]): Promise<ClientCertificate>;
  close(): Promise<void>;
}

export async function startApiServer(opts: StartOptions = {}): Promise<TestApiServer> {
  const profile = opts.profile ?? 'openshift3';
  const defs = resourcesFor(profile, opts.openshiftVersion);
  const store = new Store(defs);
  const ips = new ClusterIPAllocator(serviceCIDR(profile));
  const token = randomBytes(24).toString('base64url');
  const state: ServerState = {
    profile,
    store,
    ips,
    tokens: new Map<string, Identity>([[token, { user: 'admin' }]]),
    failures: [],
    requests: [],
    delayMs: opts.delayMs ?? 0,
    podLogs: new Map(),
    routeSubdomain: profile === 'kubernetes' ? undefined : opts.routeSubdomain,
  };

  const putObject = (input: KubeObject): KubeObject => seed(state, input);
  for (const ns of opts.namespaces ?? defaultNamespaces(profile)) putObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  if (store.get(defOf(store, 'v1', 'Namespace'), undefined, 'default')) putObject(kubernetesService(ips.allocate()));
  clusterRoles(profile).forEach(putObject);
  if (profile !== 'kubernetes') openshiftSeeds().forEach(putObject);
  if (profile === 'openshift4') openshift4Seeds(opts.openshiftVersion).forEach(putObject);
  for (const o of opts.objects ?? []) putObject(o);

  const certs = await servingCerts();
  // Client certificates are asked for, not required: without one a request must carry a token.
  const tls = { cert: certs.certPem, key: certs.keyPem, ca: certs.caPem, requestCert: true, rejectUnauthorized: false };
  const handler = createHandler(state);
  // The compatibility API gives the handler what node:http would (streamed writes, req.socket's peer certificate).
  const server = opts.http1Only ? createServer(tls, handler) : createSecureServer({ ...tls, allowHTTP1: true }, handler as unknown as (req: unknown, res: unknown) => void);
  let connections = 0;
  server.on('secureConnection', () => (connections += 1));
  // Every socket, so close() ends them at once: idle keep-alive sockets and HTTP/2 sessions (and ones still in
  // their TLS handshake) would otherwise hold the server open for seconds after a test.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `https://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'apiserver-kubeconfig-'));
  let counter = 0;

  const writeKubeconfig = (k: KubeconfigOptions = {}): string => {
    const contextName = k.contextName ?? 'test';
    const cluster: Record<string, unknown> = { server: url };
    if (k.insecureSkipTLSVerify) cluster['insecure-skip-tls-verify'] = true;
    else cluster['certificate-authority-data'] = Buffer.from(certs.caPem).toString('base64');
    const config = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'test', cluster }],
      users: [{
        name: 'admin',
        user: k.clientCertificate
          ? { 'client-certificate-data': Buffer.from(k.clientCertificate.certPem).toString('base64'), 'client-key-data': Buffer.from(k.clientCertificate.keyPem).toString('base64') }
          : { token: k.token ?? token },
      }],
      contexts: [{ name: contextName, context: { cluster: 'test', user: 'admin', namespace: k.namespace ?? 'default' } }],
      'current-context': contextName,
      preferences: {},
    };
    const path = join(dir, counter === 0 ? 'kubeconfig' : `kubeconfig-${counter}`);
    counter += 1;
    writeFileSync(path, dump(config), { mode: 0o600 });
    return path;
  };
  const kubeconfigPath = writeKubeconfig();

  const api: TestApiServer = {
    url,
    kubeconfigPath,
    writeKubeconfig,
    caPem: certs.caPem,
    token,
    requests: state.requests,
    clearRequests() {
      state.requests.length = 0;
      connections = 0;
    },
    get connections() {
      return connections;
    },
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(ms: number) {
      state.delayMs = ms;
    },
    inject(f) {
      state.failures.push({ ...f, times: f.times ?? 1 });
    },
    clearFailures() {
      state.failures.length = 0;
    },
    getObject(apiVersion, kind, name, namespace) {
      const def = defOf(store, apiVersion, kind);
      return store.get(def, def.namespaced ? namespace ?? 'default' : undefined, name);
    },
    allObjects() {
      return store.defs.flatMap((d) => store.list(d).map((o) => ({ ...o, apiVersion: d.group ? `${d.group}/${d.version}` : d.version, kind: d.kind })));
    },
    putObject,
    deleteObject(apiVersion, kind, name, namespace) {
      const def = defOf(store, apiVersion, kind);
      const ns = def.namespaced ? namespace ?? 'default' : undefined;
      const old = store.get(def, ns, name);
      store.remove(def, ns, name);
      if (old) afterDelete(state, old);
      if (kind === 'Pod' && apiVersion === 'v1' && ns) endPodLog(state, ns, name);
      const ip = kind === 'Service' && apiVersion === 'v1' ? (old?.spec as Record<string, unknown> | undefined)?.clusterIP : undefined;
      if (typeof ip === 'string' && ip !== 'None') ips.release(ip);
    },
    setPodLog(namespace, pod, text, at) {
      const log = podLogOf(state, namespace, pod);
      log.entries = [{ at: (at ?? new Date()).getTime(), text }];
      log.ended = false;
    },
    appendPodLog(namespace, pod, text, at) {
      const log = podLogOf(state, namespace, pod);
      log.entries.push({ at: (at ?? new Date()).getTime(), text });
      for (const f of log.followers) f.write(text);
    },
    endPodLog(namespace, pod) {
      endPodLog(state, namespace, pod);
    },
    addToken(t, user, allow) {
      state.tokens.set(t, { user, allow });
    },
    issueClientCertificate(user, groups) {
      return issueClientCertificate(certs, user, groups);
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Streams (watches, followed logs) and HTTP/2 sessions too: an http2 server has no closeAllConnections().
        for (const socket of sockets) socket.destroy();
        rmSync(dir, { recursive: true, force: true });
      });
    },
  };
  return api;
}

function defOf(store: Store, apiVersion: string, kind: string): ResourceDef {
  const def = store.defFor(apiVersion, kind);
  if (!def) throw new Error(`test apiserver: this profile serves no ${kind} in ${apiVersion}`);
  return def;
}

/**
 * Writes an object straight into the store, as a controller or an earlier client would have:
 * fills uid, creationTimestamp and generation when absent, bumps resourceVersion, takes the
 * Service's cluster IP, and creates a missing namespace.
 */
function seed(state: ServerState, input: KubeObject): KubeObject {
  const { store, ips } = state;
  const def = defOf(store, input.apiVersion, input.kind);
  const obj = clone(input);
  obj.metadata ??= { name: '' };
  if (!obj.metadata.name) throw new Error(`test apiserver: ${input.kind} without metadata.name`);
  if (def.namespaced) {
    obj.metadata.namespace ??= 'default';
    const nsDef = defOf(store, 'v1', 'Namespace');
    if (!store.get(nsDef, undefined, obj.metadata.namespace)) seed(state, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: obj.metadata.namespace } });
  } else delete obj.metadata.namespace;
  const old = store.get(def, obj.metadata.namespace, obj.metadata.name);
  const m = obj.metadata;
  m.uid ??= old?.metadata.uid ?? randomUUID();
  m.creationTimestamp ??= old?.metadata.creationTimestamp ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  if (def.generation && m.generation === undefined) {
    const changed = old && canonicalJson({ ...old, metadata: undefined, status: undefined }) !== canonicalJson({ ...obj, metadata: undefined, status: undefined });
    m.generation = old ? Number(old.metadata.generation ?? 1) + (changed ? 1 : 0) : 1;
  }
  m.resourceVersion = store.nextResourceVersion();
  if (def.group === '' && def.kind === 'Namespace') {
    obj.status ??= { phase: 'Active' };
    defaultOnWrite(def, obj, state.profile);
  }
  if (def.group === '' && def.kind === 'Secret') defaultSecret(obj);
  if (def.group === '' && def.kind === 'Service') {
    const spec = ((obj.spec ??= {}) as Record<string, unknown>);
    const oldIP = (old?.spec as Record<string, unknown> | undefined)?.clusterIP;
    if (typeof oldIP === 'string' && oldIP !== spec.clusterIP && oldIP !== 'None') ips.release(oldIP);
    if (spec.type !== 'ExternalName') {
      if (typeof spec.clusterIP !== 'string' || spec.clusterIP === '') spec.clusterIP = ips.allocate();
      else if (spec.clusterIP !== 'None') ips.reserve(spec.clusterIP);
      spec.clusterIPs ??= [spec.clusterIP];
    }
    spec.type ??= 'ClusterIP';
  }
  store.put(def, obj);
  if (!old && def.group === '' && def.kind === 'Namespace') afterCreate(state, obj);
  return clone(obj);
}

/**
 * Round trips a client waited for: a request that arrived after the first answer of the
 * current wave went out waited for something, so it starts the next wave. Meaningful with a
 * delay (delayMs) well above the client's own think time between requests.
 */
export function roundTrips(requests: readonly RecordedRequest[]): number {
  return waves(requests).length;
}

/** The requests of each round trip (see roundTrips), in the order they came. */
export function waves(requests: readonly RecordedRequest[]): RecordedRequest[][] {
  const out: RecordedRequest[][] = [];
  let firstAnswer = -Infinity;
  for (const r of [...requests].sort((a, b) => a.receivedAt - b.receivedAt)) {
    const answered = r.answeredAt ?? Infinity;
    if (r.receivedAt >= firstAnswer) {
      out.push([r]);
      firstAnswer = answered;
    } else {
      out[out.length - 1]!.push(r);
      firstAnswer = Math.min(firstAnswer, answered);
    }
  }
  return out;
}
