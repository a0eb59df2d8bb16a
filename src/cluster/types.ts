// The contract between commands and the one module that talks to an API server.
// This file holds types only, so commands can depend on it without loading the client.
import type { KubeObject, ObjectRef, PatchType } from '../objects.js';

export type Platform = 'kubernetes' | 'openshift3' | 'openshift4';

export interface ClusterInfo {
  platform: Platform;
  /** API groups the server offers (from discovery, fetched once per run). */
  groups: ReadonlySet<string>;
  /** The OpenShift version from /version/openshift (3.x), e.g. `v3.11.0`, when the server says. */
  openshiftVersion?: string;
  /** The Kubernetes version from /version, e.g. `v1.11.0+d4cacc0`. */
  kubernetesVersion?: string;
}

export interface WriteOptions {
  /** `dryRun=All`: the server validates and admits, and persists nothing. */
  dryRun?: boolean;
}

export interface DeleteOptions extends WriteOptions {
  /** Delete only while the object is at this version (a precondition: 409 Conflict otherwise). */
  resourceVersion?: string;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface Cluster {
  /** The server URL and the kubeconfig it came from, for messages. */
  readonly server: string;
  readonly kubeconfigPath: string;
  /** `--namespace`, else the context's namespace, else `default`. */
  readonly namespace: string;
  /** The user name of the current context, for 401/403 messages. */
  readonly user: string;

  info(): Promise<ClusterInfo>;
  /** The object, or undefined when the server answers 404. */
  get<T extends KubeObject = KubeObject>(ref: ObjectRef): Promise<T | undefined>;
  list<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, opts?: ListOptions): Promise<T[]>;
  create<T extends KubeObject = KubeObject>(obj: KubeObject, opts?: WriteOptions): Promise<T>;
  replace<T extends KubeObject = KubeObject>(obj: KubeObject, opts?: WriteOptions): Promise<T>;
  patch<T extends KubeObject = KubeObject>(ref: ObjectRef, patch: unknown, type: PatchType, opts?: WriteOptions): Promise<T>;
  delete(ref: ObjectRef, opts?: DeleteOptions): Promise<void>;
  /** POST to a subresource, e.g. `deploymentconfigs/instantiate` (what `oc rollout latest` does). */
  createSubresource<T = unknown>(ref: ObjectRef, subresource: string, body: unknown): Promise<T>;
  /** The last lines of a pod's log. */
  logs(namespace: string, pod: string, opts?: LogOptions): Promise<string>;
  /**
   * A pod's log as it is written (`follow=true`): `onData` gets each chunk; resolves when the
   * server ends the stream (the container stopped). Optional so wrappers of a Cluster that never
   * follow need not forward it.
   */
  followLogs?(namespace: string, pod: string, opts: LogOptions, onData: (chunk: string) => void): Promise<void>;
}

export interface LogOptions {
  container?: string;
  tailLines?: number;
  /** Only lines written in the last this many seconds (kubectl --since). */
  sinceSeconds?: number;
}
