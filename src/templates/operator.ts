// OpenShift 4: the Image Registry Operator's Config (`configs.imageregistry.operator.openshift.io/cluster`,
// shared/REFERENCE.md §4.1, seed 002 chapters 2-3) and the objects that go with it: the claim
// regctl may create and the storage credentials secret. Pure: options in, plain objects out.
import type { KubeObject, ObjectRef } from '../plan/types.js';

export const OPERATOR_NAMESPACE = 'openshift-image-registry';
export const CONFIG_API_VERSION = 'imageregistry.operator.openshift.io/v1';
/** The operator's singleton (cluster-image-registry-operator `ImageRegistryResourceName`). */
export const CONFIG_NAME = 'cluster';
export const CONFIG_REF: ObjectRef = { apiVersion: CONFIG_API_VERSION, kind: 'Config', name: CONFIG_NAME };
/** Storage credentials the operator reads before its own defaults (seed 002 §2.6). */
export const CREDENTIALS_SECRET = 'image-registry-private-configuration-user';
/** The claim the operator creates itself when `storage.pvc.claim` is empty (seed 002 §3.4.4). */
export const OPERATOR_CLAIM = 'image-registry-storage';
export const DEFAULT_CLAIM_SIZE = '100Gi';
/** Marks the claim the operator created (and may delete when Removed). */
export const PVC_OWNER_ANNOTATION = 'imageregistry.openshift.io';
export const CLUSTER_OPERATOR_REF: ObjectRef = { apiVersion: 'config.openshift.io/v1', kind: 'ClusterOperator', name: 'image-registry' };
export const REGISTRY_DEPLOYMENT_REF: ObjectRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'image-registry', namespace: OPERATOR_NAMESPACE };

/** Every storage key of ImageRegistryConfigStorage except its own `managementState`. */
export const STORAGE_KEYS = ['emptyDir', 'pvc', 's3', 'gcs', 'azure', 'swift', 'ibmcos', 'oss'] as const;

export type ManagementState = 'Managed' | 'Unmanaged' | 'Removed';
export const LOG_LEVELS = ['Normal', 'Debug', 'Trace', 'TraceAll'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type AccessMode = 'ReadWriteOnce' | 'ReadWriteMany';

export type OperatorStorage =
  /** `claim: ''` lets the operator create `image-registry-storage`. */
  | { type: 'pvc'; claim: string }
  | { type: 'emptyDir' }
  | { type: 's3'; bucket: string; region?: string; regionEndpoint?: string; encrypt?: boolean; keyID?: string; cloudFront?: CloudFront }
  | { type: 'gcs'; bucket: string; region?: string; projectID?: string; keyID?: string }
  | { type: 'azure'; container: string; accountName?: string }
  | { type: 'swift'; container: string; authURL?: string; tenant?: string; domain?: string; regionName?: string };

/** S3 through CloudFront: the private key is a key of a secret in openshift-config (REFERENCE §4.1). */
export interface CloudFront {
  baseURL: string;
  privateKey: { name: string; key: string };
  keypairID: string;
  duration?: string;
}

export type CredentialBackend = 's3' | 'gcs' | 'azure' | 'swift';

/** The keys the operator reads from the credentials secret, per backend (seed 002 §3.1.1, §3.2.1, §3.3.1; the operator's swift driver). */
export const CREDENTIAL_KEYS: Record<CredentialBackend, readonly string[]> = {
  s3: ['REGISTRY_STORAGE_S3_ACCESSKEY', 'REGISTRY_STORAGE_S3_SECRETKEY'],
  gcs: ['REGISTRY_STORAGE_GCS_KEYFILE'],
  azure: ['REGISTRY_STORAGE_AZURE_ACCOUNTKEY'],
  swift: ['REGISTRY_STORAGE_SWIFT_USERNAME', 'REGISTRY_STORAGE_SWIFT_PASSWORD'],
};

/** What regctl sets in the Config's spec; anything undefined is left as the cluster has it. */
export interface OperatorOptions {
  managementState: ManagementState;
  storage?: OperatorStorage;
  replicas?: number;
  rolloutStrategy?: 'Recreate' | 'RollingUpdate';
  nodeSelector?: Record<string, string>;
  requests?: Record<string, string>;
  limits?: Record<string, string>;
  logLevel?: LogLevel;
  /** Other spec fields, merged as given (null clears a field in a patch; left out offline). */
  settings?: Record<string, unknown>;
}

export interface ClaimOptions {
  name: string;
  /** Default: the operator's namespace. */
  namespace?: string;
  size: string;
  accessMode: AccessMode;
}

/** ReadWriteOnce serves one replica; two or more need ReadWriteMany (seed 002 §3.4.4). */
export function claimAccessMode(replicas: number): AccessMode {
  return replicas > 1 ? 'ReadWriteMany' : 'ReadWriteOnce';
}

/** The `storage` value for one backend, without unset optional fields. */
export function storageSpec(s: OperatorStorage): Record<string, unknown> {
  const { type, ...fields } = s;
  const body = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return { [type]: body };
}

/** The spec fields regctl sets: what `-o yaml` shows offline. */
export function configSpec(o: OperatorOptions): Record<string, unknown> {
  const spec: Record<string, unknown> = { managementState: o.managementState };
  if (o.storage) spec.storage = storageSpec(o.storage);
  if (o.replicas !== undefined) spec.replicas = o.replicas;
  if (o.rolloutStrategy) spec.rolloutStrategy = o.rolloutStrategy;
  if (o.nodeSelector) spec.nodeSelector = { ...o.nodeSelector };
  if (o.requests || o.limits) {
    const resources: Record<string, unknown> = {};
    if (o.requests) resources.requests = { ...o.requests };
    if (o.limits) resources.limits = { ...o.limits };
    spec.resources = resources;
  }
  if (o.logLevel) spec.logLevel = o.logLevel;
  if (o.settings) Object.assign(spec, structuredClone(o.settings));
  return spec;
}

/** A value without its null fields: what a merge patch of it leaves on an empty object. */
function withoutNulls(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = withoutNulls(x);
  return out;
}

/** The Config with only the fields regctl sets. */
export function configObject(o: OperatorOptions): KubeObject {
  return { apiVersion: CONFIG_API_VERSION, kind: 'Config', metadata: { name: CONFIG_NAME }, spec: withoutNulls(configSpec(o)) as Record<string, unknown> };
}

/**
 * The JSON merge patch (RFC 7386) for the Config. A new storage type nulls every other storage
 * key in the same patch, so the operator never sees two ("exactly one storage type should be
 * configured"): the known keys, and any other key the live storage has.
 */
export function configMergePatch(o: OperatorOptions, liveStorage?: Record<string, unknown>): { spec: Record<string, unknown> } {
  const spec = configSpec(o);
  if (o.storage) {
    const storage = spec.storage as Record<string, unknown>;
    const others = new Set<string>([...STORAGE_KEYS, ...Object.keys(liveStorage ?? {})]);
    others.delete(o.storage.type);
    others.delete('managementState');
    for (const k of [...others].sort()) storage[k] = null;
  }
  return { spec };
}


/** The storage types a Config's `spec.storage` names (more than one is a broken Config). */
export function storageTypesOf(storage: unknown): string[] {
  if (storage === null || typeof storage !== 'object') return [];
  return Object.entries(storage as Record<string, unknown>)
    .filter(([k, v]) => k !== 'managementState' && v !== null && v !== undefined)
    .map(([k]) => k);
}

/** A claim for the registry in the operator's namespace (seed 002 §3.5.5's pvc.yaml). */
export function registryClaim(c: ClaimOptions): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: c.name, namespace: c.namespace ?? OPERATOR_NAMESPACE },
    spec: { accessModes: [c.accessMode], resources: { requests: { storage: c.size } } },
  };
}

/** The credentials secret; `values` are plain text, stored base64 in `data`. */
export function credentialsSecret(values: Record<string, string>): KubeObject {
  const data: Record<string, string> = {};
  for (const k of Object.keys(values).sort()) data[k] = Buffer.from(values[k]!, 'utf8').toString('base64');
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: CREDENTIALS_SECRET, namespace: OPERATOR_NAMESPACE }, type: 'Opaque', data };
}

/** Placeholder for a secret value in printed output: not base64, so the API server refuses it if piped back. */
export const REDACTED = '<redacted>';

/** A copy of a Secret with every value replaced by REDACTED. */
export function redactSecret(secret: KubeObject): KubeObject {
  const out = structuredClone(secret);
  for (const field of ['data', 'stringData'] as const) {
    const m = out[field] as Record<string, string> | undefined;
    if (m) for (const k of Object.keys(m)) m[k] = REDACTED;
  }
  return out;
}
