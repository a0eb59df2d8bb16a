// The Cluster (src/cluster/types.ts) over the API server's REST interface.
import type { KubeObject, ObjectRef, PatchType } from '../objects.js';
import type { Cluster, ClusterInfo, DeleteOptions, ListOptions, LogOptions, Platform, WriteOptions } from './types.js';
import type { LoadedConfig } from './kubeconfig.js';
import type { RequestOptions, Response, Transport } from './http.js';
import { accessHint, ApiError } from './errors.js';
import { groupOf, groupVersionPath, knownResource, type ResourceInfo } from './resources.js';

const PATCH_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
};

/** Which kind of cluster the API groups describe. */
export function platformOf(groups: ReadonlySet<string>): Platform {
  if (groups.has('imageregistry.operator.openshift.io') || groups.has('config.openshift.io')) return 'openshift4';
  if (groups.has('apps.openshift.io') || groups.has('route.openshift.io') || groups.has('security.openshift.io') || groups.has('image.openshift.io')) return 'openshift3';
  return 'kubernetes';
}

export class RestCluster implements Cluster {
  readonly server: string;
  readonly kubeconfigPath: string;
  readonly namespace: string;
  readonly user: string;
  private infoPromise?: Promise<ClusterInfo>;
  private resourceLists = new Map<string, Promise<(ResourceInfo & { kind: string })[] | undefined>>();

  constructor(
    private readonly cfg: LoadedConfig,
    private readonly http: Transport,
  ) {
    this.server = cfg.server;
    this.kubeconfigPath = cfg.source;
    this.namespace = cfg.namespace;
    this.user = cfg.user;
  }

  /** One request (not discovery's own, which would wait for itself); a 401 or 403 carries the hint of the platform discovery found. */
  private async send(...args: Parameters<Transport['send']>): ReturnType<Transport['send']> {
    try {
      return await this.http.send(...args);
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
        const platform = (await this.infoPromise?.catch(() => undefined))?.platform;
        if (platform) throw new ApiError(e.message, e.status, e.reason, accessHint(e.status, platform, this.cfg));
      }
      throw e;
    }
  }

  /** Discovery, once per run: the API groups, the Kubernetes version and (3.x) the OpenShift version, concurrently. */
  info(): Promise<ClusterInfo> {
    this.infoPromise ??= (async () => {
      const [apis, version, osVersion] = await Promise.all([
        this.http.send('GET', '/apis', { what: 'discover the API groups' }),
        this.http.send('GET', '/version', { allow404: true }).catch(() => undefined),
        // The 3.x masters answer /version/openshift; 4.x and Kubernetes answer 404.
        this.http.send('GET', '/version/openshift', { allow404: true }).catch(() => undefined),
      ]);
      const groups = new Set<string>(((apis.body as { groups?: { name: string }[] })?.groups ?? []).map((g) => g.name));
      groups.add('');
      const gitVersion = (r: typeof version) => (r && r.status === 200 ? (r.body as { gitVersion?: string } | undefined)?.gitVersion : undefined);
      return { platform: platformOf(groups), groups, kubernetesVersion: gitVersion(version), openshiftVersion: gitVersion(osVersion) };
    })();
    return this.infoPromise;
  }

  /** Discovery (once per run) must list the group; the core group is always there. */
  private async requireGroup(apiVersion: string, kind: string): Promise<void> {
    const group = groupOf(apiVersion);
    if (group === '') return;
    const { groups } = await this.info();
    if (!groups.has(group)) {
      throw new ApiError(`the server at ${this.server} has no API group "${group}" (for ${kind}): ${group.endsWith('openshift.io') ? 'this is not an OpenShift cluster, or not the OpenShift version this needs' : 'that API is not installed'}`, 404, 'NotFound');
    }
  }

  private async resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const known = knownResource(apiVersion, kind);
    // The core group is always there: its requests need not wait for discovery.
    if (groupOf(apiVersion) === '' && known) return known;
    await this.requireGroup(apiVersion, kind);
    if (known) return known;
    let list = this.resourceLists.get(apiVersion);
    if (!list) {
      list = this.send('GET', groupVersionPath(apiVersion), { allow404: true }).then((r) =>
        r.status === 404 ? undefined : ((r.body as { resources?: { name: string; kind: string; namespaced: boolean }[] }).resources ?? []).filter((x) => !x.name.includes('/')).map((x) => ({ resource: x.name, namespaced: x.namespaced, kind: x.kind })),
      );
      this.resourceLists.set(apiVersion, list);
    }
    const found = (await list)?.find((r) => r.kind === kind);
    if (!found) throw new ApiError(`the server at ${this.server} does not serve ${kind} in ${apiVersion}`, 404, 'NotFound');
    return found;
  }

  private pathOf(apiVersion: string, info: ResourceInfo, namespace: string | undefined, name?: string): { path: string; info: ResourceInfo; ns?: string } {
    const ns = info.namespaced ? (namespace ?? this.namespace) : undefined;
    const path = `${groupVersionPath(apiVersion)}${ns ? `/namespaces/${encodeURIComponent(ns)}` : ''}/${info.resource}${name !== undefined ? `/${encodeURIComponent(name)}` : ''}`;
    return { path, info, ns };
  }

  private async path(apiVersion: string, kind: string, namespace: string | undefined, name?: string): Promise<{ path: string; info: ResourceInfo; ns?: string }> {
    return this.pathOf(apiVersion, await this.resourceFor(apiVersion, kind), namespace, name);
  }

  /**
   * A read. One of a kind this client knows the resource of goes out at once, beside discovery
   * (one round trip, not two); discovery still decides whether its group exists, and when it
   * does not, the read's answer is dropped and the error is the same as without it.
   */
  private async read(apiVersion: string, kind: string, namespace: string | undefined, name: string | undefined, opts: (at: { info: ResourceInfo; ns?: string }) => RequestOptions): Promise<Response> {
    const known = knownResource(apiVersion, kind);
    if (!known) {
      const at = await this.path(apiVersion, kind, namespace, name);
      return this.send('GET', at.path, opts(at));
    }
    const at = this.pathOf(apiVersion, known, namespace, name);
    const sent = this.send('GET', at.path, opts(at));
    sent.catch(() => {}); // awaited below, unless discovery fails first
    await this.requireGroup(apiVersion, kind);
    return sent;
  }

  private what(verb: string, info: ResourceInfo, name: string, ns?: string): string {
    return `${verb} ${info.resource} "${name}"${ns ? ` in ${ns}` : ''}`;
  }

  async get<T extends KubeObject = KubeObject>(ref: ObjectRef): Promise<T | undefined> {
    const r = await this.read(ref.apiVersion, ref.kind, ref.namespace, ref.name, ({ info, ns }) => ({ allow404: true, what: this.what('get', info, ref.name, ns) }));
    return r.status === 404 ? undefined : (r.body as T);
  }

  async list<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, opts: ListOptions = {}): Promise<T[]> {
    const r = await this.read(apiVersion, kind, opts.namespace, undefined, () => ({ query: { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector } }));
    // Items of a list carry no apiVersion or kind on the wire.
    return ((r.body as { items?: T[] }).items ?? []).map((i) => ({ ...i, apiVersion, kind }));
  }

  async create<T extends KubeObject = KubeObject>(obj: KubeObject, opts: WriteOptions = {}): Promise<T> {
    const { path, info, ns } = await this.path(obj.apiVersion, obj.kind, obj.metadata.namespace);
    const body = ns && !obj.metadata.namespace ? { ...obj, metadata: { ...obj.metadata, namespace: ns } } : obj;
    const r = await this.send('POST', path, { body, query: { dryRun: opts.dryRun ? 'All' : undefined }, what: this.what('create', info, obj.metadata.name, ns) });
    return r.body as T;
  }

  async replace<T extends KubeObject = KubeObject>(obj: KubeObject, opts: WriteOptions = {}): Promise<T> {
    const { path, info, ns } = await this.path(obj.apiVersion, obj.kind, obj.metadata.namespace, obj.metadata.name);
    const body = ns && !obj.metadata.namespace ? { ...obj, metadata: { ...obj.metadata, namespace: ns } } : obj;
    const r = await this.send('PUT', path, { body, query: { dryRun: opts.dryRun ? 'All' : undefined }, what: this.what('replace', info, obj.metadata.name, ns) });
    return r.body as T;
  }

  async patch<T extends KubeObject = KubeObject>(ref: ObjectRef, patch: unknown, type: PatchType, opts: WriteOptions = {}): Promise<T> {
    const { path, info, ns } = await this.path(ref.apiVersion, ref.kind, ref.namespace, ref.name);
    const r = await this.send('PATCH', path, { body: patch, contentType: PATCH_TYPES[type], query: { dryRun: opts.dryRun ? 'All' : undefined }, what: this.what('patch', info, ref.name, ns) });
    return r.body as T;
  }

  async delete(ref: ObjectRef, opts: DeleteOptions = {}): Promise<void> {
    const { path, info, ns } = await this.path(ref.apiVersion, ref.kind, ref.namespace, ref.name);
    const body = opts.resourceVersion ? { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { resourceVersion: opts.resourceVersion } } : undefined;
    await this.send('DELETE', path, { body, query: { dryRun: opts.dryRun ? 'All' : undefined, propagationPolicy: 'Background' }, what: this.what('delete', info, ref.name, ns) });
  }

  async createSubresource<T = unknown>(ref: ObjectRef, subresource: string, body: unknown): Promise<T> {
    const { path, info, ns } = await this.path(ref.apiVersion, ref.kind, ref.namespace, ref.name);
    const r = await this.send('POST', `${path}/${subresource}`, { body, what: this.what(`${subresource}`, info, ref.name, ns) });
    return r.body as T;
  }

  async logs(namespace: string, pod: string, opts: LogOptions = {}): Promise<string> {
    const r = await this.send('GET', this.logPath(namespace, pod), { accept: 'text/plain, */*', query: logQuery(opts), what: `read the log of pod "${pod}"` });
    return r.text;
  }

  async followLogs(namespace: string, pod: string, opts: LogOptions, onData: (chunk: string) => void): Promise<void> {
    await this.send('GET', this.logPath(namespace, pod), { accept: 'text/plain, */*', query: { ...logQuery(opts), follow: 'true' }, what: `follow the log of pod "${pod}"`, onData });
  }

  private logPath(namespace: string, pod: string): string {
    return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`;
  }
}

function logQuery(opts: LogOptions): Record<string, string | undefined> {
  return {
    container: opts.container,
    tailLines: opts.tailLines !== undefined ? String(opts.tailLines) : undefined,
    sinceSeconds: opts.sinceSeconds !== undefined ? String(opts.sinceSeconds) : undefined,
  };
}
