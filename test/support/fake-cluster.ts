// An in-memory Cluster for in-process command tests (kubectl's fake factory): it records every
// request, refuses writes when told to (`readOnly`: -o, --dry-run), fails the n-th write on
// demand (rollback tests), and keeps resourceVersions as a server does (stale writes are 409
// Conflict; a no-op update keeps its version). The test API server (test/apiserver/) is the
// faithful one; this is the fast one.
import { ApiError } from '../../src/cluster/errors.js';
import { knownResource } from '../../src/cluster/resources.js';
import type { Cluster, ClusterInfo, DeleteOptions, ListOptions, LogOptions, Platform, WriteOptions } from '../../src/cluster/types.js';
import type { KubeObject, ObjectRef, PatchType } from '../../src/objects.js';
import { mergePatch } from '../../src/plan/types.js';

export interface Request {
  verb: 'get' | 'list' | 'create' | 'replace' | 'patch' | 'delete' | 'subresource' | 'logs' | 'info';
  ref: string;
  dryRun?: boolean;
  body?: unknown;
}

const GROUPS: Record<Platform, string[]> = {
  kubernetes: ['', 'apps', 'rbac.authorization.k8s.io', 'networking.k8s.io'],
  openshift3: ['', 'apps', 'rbac.authorization.k8s.io', 'apps.openshift.io', 'route.openshift.io', 'security.openshift.io', 'image.openshift.io', 'oauth.openshift.io', 'template.openshift.io', 'authorization.openshift.io'],
  openshift4: ['', 'apps', 'rbac.authorization.k8s.io', 'apps.openshift.io', 'route.openshift.io', 'security.openshift.io', 'image.openshift.io', 'config.openshift.io', 'imageregistry.operator.openshift.io', 'operator.openshift.io', 'machineconfiguration.openshift.io'],
};

export interface FakeClusterOptions {
  platform?: Platform;
  objects?: KubeObject[];
  namespace?: string;
  openshiftVersion?: string;
  /** Any write that is not a server dry run throws: for -o and --dry-run, which must write nothing. */
  readOnly?: boolean;
}

export class FakeCluster implements Cluster {
  readonly server = 'https://fake.cluster:6443';
  readonly kubeconfigPath = '/fake/kubeconfig';
  readonly namespace: string;
  readonly user = 'admin';
  readonly requests: Request[] = [];
  readOnly: boolean;
  private readonly store = new Map<string, KubeObject>();
  private readonly podLogs = new Map<string, string>();
  private rv = 100;
  private writeCount = 0;
  private failAt = new Map<number, ApiError>();
  /** Called before each (non dry run) write is applied: a test's "someone else" acts here. */
  beforeWrite?: (req: Request, n: number) => void;

  constructor(private readonly opts: FakeClusterOptions = {}) {
    this.namespace = opts.namespace ?? 'default';
    this.readOnly = opts.readOnly ?? false;
    for (const o of opts.objects ?? []) this.put(o);
  }

  /** Seeds or overwrites an object as a controller or another user would (new resourceVersion). */
  put(obj: KubeObject): KubeObject {
    const o = structuredClone(obj);
    if (this.namespaced(o) && !o.metadata.namespace) o.metadata.namespace = this.namespace;
    o.metadata.resourceVersion = String(++this.rv);
    o.metadata.uid ??= `uid-${this.rv}`;
    this.store.set(this.key(o), o);
    return structuredClone(o);
  }

  object<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, name: string, namespace?: string): T | undefined {
    const o = this.store.get(this.key({ apiVersion, kind, metadata: { name, namespace } }));
    return o && (structuredClone(o) as T);
  }

  objects(): KubeObject[] {
    return [...this.store.values()].map((o) => structuredClone(o));
  }

  /** The writes sent, as `verb kind/name` (dry-run ones marked). */
  writes(): string[] {
    return this.requests.filter((r) => !['get', 'list', 'logs', 'info'].includes(r.verb)).map((r) => `${r.verb} ${r.ref}${r.dryRun ? ' (dry run)' : ''}`);
  }

  /** The n-th write (1-based, dry runs not counted) fails with this status. */
  failWrite(n: number, status = 500, message = 'Internal error occurred: injected'): void {
    this.failAt.set(n, new ApiError(message, status, status === 409 ? 'Conflict' : 'InternalError'));
  }

  async info(): Promise<ClusterInfo> {
    this.requests.push({ verb: 'info', ref: '' });
    const platform = this.opts.platform ?? 'openshift3';
    return { platform, groups: new Set(GROUPS[platform]), openshiftVersion: this.opts.openshiftVersion ?? (platform === 'openshift3' ? 'v3.11.0' : undefined), kubernetesVersion: 'v1.11.0' };
  }

  async get<T extends KubeObject = KubeObject>(ref: ObjectRef): Promise<T | undefined> {
    this.requests.push({ verb: 'get', ref: this.refName(ref) });
    return this.object<T>(ref.apiVersion, ref.kind, ref.name, this.ns(ref));
  }

  async list<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, opts: ListOptions = {}): Promise<T[]> {
    this.requests.push({ verb: 'list', ref: `${kind}${opts.labelSelector ? `?${opts.labelSelector}` : ''}` });
    const sel = (opts.labelSelector ?? '').split(',').filter(Boolean).map((s) => s.split('='));
    return this.objects().filter(
      (o) => o.apiVersion === apiVersion && o.kind === kind && (opts.namespace === undefined || o.metadata.namespace === opts.namespace) && sel.every(([k, v]) => o.metadata.labels?.[k!] === v),
    ) as T[];
  }

  async create<T extends KubeObject = KubeObject>(obj: KubeObject, opts: WriteOptions = {}): Promise<T> {
    const o = structuredClone(obj);
    if (this.namespaced(o)) o.metadata.namespace ??= this.namespace;
    this.write({ verb: 'create', ref: this.refName(o), dryRun: opts.dryRun, body: o });
    if (this.store.has(this.key(o))) throw new ApiError(`${o.kind.toLowerCase()}s "${o.metadata.name}" already exists`, 409, 'AlreadyExists');
    if (o.metadata.resourceVersion) throw new ApiError('resourceVersion should not be set on objects to be created', 500, 'InternalError');
    if (opts.dryRun) return { ...o, metadata: { ...o.metadata, uid: 'dry-run' } } as unknown as T;
    return this.put(o) as T;
  }

  async replace<T extends KubeObject = KubeObject>(obj: KubeObject, opts: WriteOptions = {}): Promise<T> {
    const o = structuredClone(obj);
    if (this.namespaced(o)) o.metadata.namespace ??= this.namespace;
    this.write({ verb: 'replace', ref: this.refName(o), dryRun: opts.dryRun, body: o });
    const old = this.live(o);
    this.precondition(old, o.metadata.resourceVersion);
    const next = { ...o, metadata: { ...o.metadata, uid: old.metadata.uid }, ...(old.status !== undefined ? { status: old.status } : {}) } as KubeObject;
    return this.commit(old, next, opts) as T;
  }

  async patch<T extends KubeObject = KubeObject>(ref: ObjectRef, patch: unknown, type: PatchType, opts: WriteOptions = {}): Promise<T> {
    this.write({ verb: 'patch', ref: this.refName(ref), dryRun: opts.dryRun, body: patch });
    const old = this.live({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: this.ns(ref) } });
    let next: KubeObject;
    if (type === 'json') {
      next = structuredClone(old);
      for (const op of patch as { op: string; path: string; value?: unknown }[]) applyJsonOp(next, op);
    } else {
      // Strategic merge is taken as a merge patch here: lists are replaced whole.
      const rv = (patch as { metadata?: { resourceVersion?: string } })?.metadata?.resourceVersion;
      this.precondition(old, rv);
      next = mergePatch(old, patch) as KubeObject;
    }
    next.metadata.resourceVersion = old.metadata.resourceVersion;
    return this.commit(old, next, opts) as T;
  }

  async delete(ref: ObjectRef, opts: DeleteOptions = {}): Promise<void> {
    this.write({ verb: 'delete', ref: this.refName(ref), dryRun: opts.dryRun });
    const o = this.live({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: this.ns(ref) } });
    this.precondition(o, opts.resourceVersion);
    if (!opts.dryRun) this.store.delete(this.key(o));
  }

  async createSubresource<T = unknown>(ref: ObjectRef, subresource: string, body: unknown): Promise<T> {
    this.write({ verb: 'subresource', ref: `${this.refName(ref)}/${subresource}`, body });
    const o = this.live({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: this.ns(ref) } });
    if (subresource === 'instantiate' && o.kind === 'DeploymentConfig') {
      const status = (o.status ?? {}) as { latestVersion?: number };
      return this.put({ ...o, status: { ...status, latestVersion: (status.latestVersion ?? 0) + 1 } }) as T;
    }
    return o as T;
  }

  /** What `logs` answers for a pod (the whole text; the test API server filters by time and tail). */
  setLog(pod: string, text: string, namespace = this.namespace): void {
    this.podLogs.set(`${namespace}/${pod}`, text);
  }

  async logs(namespace: string, pod: string): Promise<string> {
    this.requests.push({ verb: 'logs', ref: `pod/${pod} -n ${namespace}` });
    return this.podLogs.get(`${namespace}/${pod}`) ?? '';
  }

  /** A container that has stopped: the stream is what it wrote, then ends. */
  async followLogs(namespace: string, pod: string, _opts: LogOptions, onData: (chunk: string) => void): Promise<void> {
    const text = await this.logs(namespace, pod);
    if (text) onData(text);
  }

  private write(req: Request): void {
    this.requests.push(req);
    if (req.dryRun) return;
    if (this.readOnly) throw new Error(`test: unexpected write ${req.verb} ${req.ref} (the cluster is read-only in this test)`);
    const n = ++this.writeCount;
    this.beforeWrite?.(req, n);
    const err = this.failAt.get(n);
    if (err) throw err;
  }

  private commit(old: KubeObject, next: KubeObject, opts: WriteOptions): KubeObject {
    const same = JSON.stringify({ ...next, metadata: { ...next.metadata, resourceVersion: '' } }) === JSON.stringify({ ...old, metadata: { ...old.metadata, resourceVersion: '' } });
    if (opts.dryRun || same) return structuredClone({ ...next, metadata: { ...next.metadata, resourceVersion: old.metadata.resourceVersion } });
    return this.put(next);
  }

  private precondition(old: KubeObject, rv: string | undefined): void {
    if (rv && rv !== old.metadata.resourceVersion) {
      throw new ApiError(`Operation cannot be fulfilled on ${old.kind.toLowerCase()}s "${old.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`, 409, 'Conflict');
    }
  }

  private live(o: KubeObject): KubeObject {
    const found = this.store.get(this.key(o));
    if (!found) throw new ApiError(`${o.kind.toLowerCase()}s "${o.metadata.name}" not found`, 404, 'NotFound');
    return structuredClone(found);
  }

  private namespaced(o: { apiVersion: string; kind: string }): boolean {
    // The client finds these by discovery (they are 4.13+), so resources.ts does not know them.
    if (o.apiVersion === 'config.openshift.io/v1' && (o.kind === 'ImageDigestMirrorSet' || o.kind === 'ImageTagMirrorSet')) return false;
    return knownResource(o.apiVersion, o.kind)?.namespaced ?? true;
  }

  private ns(ref: ObjectRef): string | undefined {
    return this.namespaced(ref) ? (ref.namespace ?? this.namespace) : undefined;
  }

  private key(o: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }): string {
    const ns = this.namespaced(o) ? (o.metadata.namespace ?? this.namespace) : '';
    return `${o.apiVersion}|${o.kind}|${ns}|${o.metadata.name}`;
  }

  private refName(r: { kind: string; name?: string; metadata?: { name: string } }): string {
    return `${r.kind.toLowerCase()}/${r.name ?? r.metadata?.name}`;
  }
}

function applyJsonOp(doc: KubeObject, op: { op: string; path: string; value?: unknown }): void {
  const parts = op.path.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = parts.pop()!;
  let parent: any = doc;
  for (const p of parts) parent = parent?.[p];
  if (parent === undefined) throw new ApiError(`the server rejected our request due to an error in our request: path ${op.path} not found`, 422, 'Invalid');
  switch (op.op) {
    case 'test':
      if (JSON.stringify(parent[last]) !== JSON.stringify(op.value)) throw new ApiError(`the server rejected our request due to an error in our request: testing value ${op.path} failed`, 422, 'Invalid');
      return;
    case 'add':
      if (Array.isArray(parent)) parent.splice(last === '-' ? parent.length : Number(last), 0, op.value);
      else parent[last] = op.value;
      return;
    case 'replace':
      parent[last] = op.value;
      return;
    case 'remove':
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
      return;
    default:
      throw new Error(`test: JSON patch op ${op.op} is not supported by the fake cluster`);
  }
}
