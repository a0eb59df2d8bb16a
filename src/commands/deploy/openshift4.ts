// `regctl deploy` on OpenShift 4: the registry belongs to the Image Registry Operator, so deploy
// patches `configs.imageregistry.operator.openshift.io/cluster` (seed 002 chapters 2-3,
// shared/REFERENCE.md §4.1) instead of creating a DeploymentConfig.
// flags → options (validated, no I/O) and the plan (pure, from the live Config).
import { UsageError } from '../../errors.js';
import { emptyPlan, mergePatch, type KubeObject, type Plan, type Step } from '../../plan/types.js';
import {
  CONFIG_REF,
  CREDENTIAL_KEYS,
  CREDENTIALS_SECRET,
  DEFAULT_CLAIM_SIZE,
  LOG_LEVELS,
  OPERATOR_CLAIM,
  OPERATOR_NAMESPACE,
  PVC_OWNER_ANNOTATION,
  claimAccessMode,
  configMergePatch,
  configObject,
  credentialsSecret,
  redactSecret,
  registryClaim,
  storageTypesOf,
  type CloudFront,
  type CredentialBackend,
  type LogLevel,
  type ManagementState,
  type OperatorOptions,
  type OperatorStorage,
} from '../../templates/operator.js';
import { compareQuantities } from '../../templates/quantity.js';
import { isQuantity, parseInteger, parseLabels, parseObjectName, parseResourceList } from '../../validate.js';
import { mergePatchBetween } from '../../plan/execute.js';
import { parseGoDuration } from '../../registry-config/go-duration.js';
import { FIELD_FLAGS, LOGGING_OF, operatorFields, readsLogging } from './openshift4-fields.js';
import { STORAGE_FLAGS, flagName, isGiven, rejectOpenShift3Flags, type OpenShift4Flags } from './openshift4-flags.js';

export type { OpenShift4Flags } from './openshift4-flags.js';

export interface CredentialEntry {
  key: string;
  value: string;
  /** The flag or file it came from, for messages. */
  source: string;
}

export interface OpenShift4Options {
  action: 'deploy' | 'remove' | 'unmanage';
  operator: OperatorOptions;
  /** --replicas was given (else the live Config's count stands). */
  replicasGiven: boolean;
  /** --claim-size as given. */
  claimSize?: string;
  blockStorage: boolean;
  credentials: CredentialEntry[];
  credentialsFile?: string;
  showCredentials: boolean;
  wait: boolean;
  timeoutSeconds: number;
  /** Spec fields beyond storage and placement (./openshift4-fields.ts): null clears one. */
  settings: Record<string, unknown>;
  rotateHttpSecret: boolean;
  affinityFile?: string;
}

function parseUrl(flag: string, s: string): string {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw new UsageError(`${flag}: "${s}" is not a URL (e.g. https://s3.example.com)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`${flag}: "${s}" must be an http:// or https:// URL`);
  return s;
}

function parseBucket(flag: string, s: string): string {
  // S3's and GCS's shared rule: 3-63 lower-case letters, digits, '.', '-' (GCS also '_'), alphanumeric at both ends.
  const re = flag === '--gcs' ? /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/ : /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
  if (!re.test(s)) {
    throw new UsageError(`${flag}: "${s}" is not a valid bucket name (3-63 lower-case letters, digits, '.' or '-'${flag === '--gcs' ? " or '_'" : ''}, beginning and ending with a letter or digit)`);
  }
  return s;
}

function parseAzureContainer(s: string): string {
  // The CRD's rule (REFERENCE §4.1): 3-63 characters, ^[0-9a-z]+(-[0-9a-z]+)*$.
  if (s.length < 3 || s.length > 63 || !/^[0-9a-z]+(-[0-9a-z]+)*$/.test(s)) {
    throw new UsageError(`--azure: "${s}" is not a valid container name (3-63 lower-case letters, digits and single '-' between them)`);
  }
  return s;
}

function parseSwiftContainer(s: string): string {
  if (s === '' || s.length > 256 || s.includes('/')) throw new UsageError(`--swift: "${s}" is not a valid container name (1-256 characters, no '/')`);
  return s;
}

function nonEmpty(flag: string, s: string): string {
  if (s.trim() === '') throw new UsageError(`${flag}: must not be empty`);
  return s;
}

/** Parameters that belong to one backend: refuse them with another. */
const BACKEND_PARAMS: Record<string, readonly string[]> = {
  region: ['s3', 'gcs', 'swift'],
  regionEndpoint: ['s3'],
  encrypt: ['s3'],
  keyId: ['s3', 'gcs'],
  projectId: ['gcs'],
  accountName: ['azure'],
  authUrl: ['swift'],
  tenant: ['swift'],
  domain: ['swift'],
  cloudfrontBaseUrl: ['s3'],
  cloudfrontKeypairId: ['s3'],
  cloudfrontPrivateKey: ['s3'],
  cloudfrontDuration: ['s3'],
};

/** --cloudfront-*: S3 served through CloudFront; the base URL, key pair and private key go together. */
function parseCloudFront(f: OpenShift4Flags): CloudFront | undefined {
  const given = ['cloudfrontBaseUrl', 'cloudfrontKeypairId', 'cloudfrontPrivateKey', 'cloudfrontDuration'].filter((a) => isGiven(f, a));
  if (!given.length) return undefined;
  const missing = ['cloudfrontBaseUrl', 'cloudfrontKeypairId', 'cloudfrontPrivateKey'].filter((a) => !given.includes(a));
  if (missing.length) throw new UsageError(`${flagName(given[0]!)} needs ${missing.map(flagName).join(' and ')} too: CloudFront takes a base URL, a key pair ID and its private key`);
  const m = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?):(.+)$/.exec(f.cloudfrontPrivateKey!);
  if (!m) throw new UsageError(`--cloudfront-private-key: "${f.cloudfrontPrivateKey}" is not SECRET:KEY (a key of a secret in openshift-config, e.g. cloudfront-key:private.pem)`);
  let duration: string | undefined;
  if (f.cloudfrontDuration !== undefined) {
    const d = parseGoDuration(f.cloudfrontDuration);
    if ('error' in d || d.ns <= 0) throw new UsageError(`--cloudfront-duration: ${'error' in d ? d.error : `"${f.cloudfrontDuration}" is not positive`} (e.g. 20m)`);
    duration = f.cloudfrontDuration;
  }
  return {
    baseURL: parseUrl('--cloudfront-base-url', f.cloudfrontBaseUrl!),
    privateKey: { name: m[1]!, key: m[3]! },
    keypairID: nonEmpty('--cloudfront-keypair-id', f.cloudfrontKeypairId!),
    ...(duration ? { duration } : {}),
  };
}

function parseStorage(f: OpenShift4Flags): OperatorStorage | undefined {
  const given = STORAGE_FLAGS.filter((a) => isGiven(f, a));
  if (given.length > 1) {
    throw new UsageError(`${given.map(flagName).join(' and ')} cannot be used together: the operator takes exactly one storage type`);
  }
  const type = given[0];
  for (const [param, backends] of Object.entries(BACKEND_PARAMS)) {
    if (isGiven(f, param) && !(type && backends.includes(type))) {
      throw new UsageError(`${flagName(param)} applies only with ${backends.map(flagName).join(', ')}`);
    }
  }
  switch (type) {
    case undefined:
      return undefined;
    case 'pvc':
      return { type: 'pvc', claim: f.pvc === true || f.pvc === '' || f.pvc === undefined ? '' : parseObjectName('--pvc', f.pvc) };
    case 'emptyDir':
      return { type: 'emptyDir' };
    case 's3':
      if (f.keyId !== undefined && !f.encrypt) throw new UsageError('--key-id needs --encrypt with --s3 (the operator ignores a key without encryption)');
      return {
        type: 's3',
        bucket: parseBucket('--s3', f.s3!),
        region: f.region !== undefined ? nonEmpty('--region', f.region) : undefined,
        regionEndpoint: f.regionEndpoint !== undefined ? parseUrl('--region-endpoint', f.regionEndpoint) : undefined,
        encrypt: f.encrypt ? true : undefined,
        keyID: f.keyId !== undefined ? nonEmpty('--key-id', f.keyId) : undefined,
        cloudFront: parseCloudFront(f),
      };
    case 'gcs':
      return {
        type: 'gcs',
        bucket: parseBucket('--gcs', f.gcs!),
        region: f.region !== undefined ? nonEmpty('--region', f.region) : undefined,
        projectID: f.projectId !== undefined ? nonEmpty('--project-id', f.projectId) : undefined,
        keyID: f.keyId !== undefined ? nonEmpty('--key-id', f.keyId) : undefined,
      };
    case 'azure':
      return { type: 'azure', container: parseAzureContainer(f.azure!), accountName: f.accountName !== undefined ? nonEmpty('--account-name', f.accountName) : undefined };
    case 'swift':
      return {
        type: 'swift',
        container: parseSwiftContainer(f.swift!),
        authURL: f.authUrl !== undefined ? parseUrl('--auth-url', f.authUrl) : undefined,
        tenant: f.tenant !== undefined ? nonEmpty('--tenant', f.tenant) : undefined,
        domain: f.domain !== undefined ? nonEmpty('--domain', f.domain) : undefined,
        regionName: f.region !== undefined ? nonEmpty('--region', f.region) : undefined,
      };
  }
}

function parseCredentialPairs(values: string[]): CredentialEntry[] {
  return values.map((item) => {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--credentials: "${item.split('=')[0]}..." is not KEY=VALUE (e.g. --credentials accesskey=AKIA...)`);
    const value = item.slice(eq + 1);
    if (value === '') throw new UsageError(`--credentials: ${item.slice(0, eq)} has an empty value`);
    return { key: item.slice(0, eq).trim(), value, source: '--credentials' };
  });
}

/** Complete + Validate for 4.x: every flag checked, nothing read or written yet. */
export function toOpenShift4Options(f: OpenShift4Flags): OpenShift4Options {
  rejectOpenShift3Flags(f);
  if (f.remove && f.unmanaged) throw new UsageError('--remove and --unmanaged cannot be used together');
  const action = f.remove ? 'remove' : f.unmanaged ? 'unmanage' : 'deploy';
  const timeoutSeconds = parseInteger('--timeout', f.timeout ?? '300', 1, 86400);
  if (action !== 'deploy') {
    const settings = ['replicas', 'selector', 'requests', 'limits', 'claimSize', 'blockStorage', 'logLevel', 'credentials', 'credentialsFile', ...STORAGE_FLAGS, ...Object.keys(BACKEND_PARAMS), ...FIELD_FLAGS]
      .filter((a) => isGiven(f, a));
    if (settings.length) {
      throw new UsageError(`${flagName(settings[0]!)} cannot be used with ${action === 'remove' ? '--remove' : '--unmanaged'}: it sets only the management state`);
    }
    if (action === 'unmanage' && f.wait) throw new UsageError('--wait cannot be used with --unmanaged: an unmanaged operator does not roll anything out');
    const managementState: ManagementState = action === 'remove' ? 'Removed' : 'Unmanaged';
    return { action, operator: { managementState }, replicasGiven: false, blockStorage: false, credentials: [], showCredentials: false, wait: f.wait === true, timeoutSeconds, settings: {}, rotateHttpSecret: false };
  }

  const storage = parseStorage(f);
  const replicasGiven = isGiven(f, 'replicas');
  let replicas = replicasGiven ? parseInteger('--replicas', f.replicas!, 1, 1000) : undefined;
  if (storage?.type === 'emptyDir' && replicas !== undefined && replicas > 1) {
    throw new UsageError(`--empty-dir cannot be used with --replicas=${replicas}: with emptyDir storage the registry runs one replica`);
  }
  const blockStorage = f.blockStorage === true;
  if (blockStorage) {
    if (replicas !== undefined && replicas > 1) throw new UsageError(`--block-storage cannot be used with --replicas=${replicas}: a block volume (ReadWriteOnce) serves one replica`);
    if (storage && storage.type !== 'pvc') throw new UsageError(`--block-storage is for a claim (--pvc), not ${flagName(storage.type)}`);
    replicas = 1;
  }
  let claimSize: string | undefined;
  if (f.claimSize !== undefined) {
    if (storage?.type !== 'pvc') throw new UsageError('--claim-size needs --pvc: it sizes the claim regctl creates');
    if (!isQuantity(f.claimSize) || f.claimSize.startsWith('-') || compareQuantities(f.claimSize, '0') <= 0) {
      throw new UsageError(`--claim-size: "${f.claimSize}" is not a valid size (e.g. 100Gi)`);
    }
    claimSize = f.claimSize;
  }
  const nodeSelector = f.selector !== undefined ? parseLabels('--selector', f.selector) : undefined;
  const requests = f.requests !== undefined ? parseResourceList('--requests', f.requests) : undefined;
  const limits = f.limits !== undefined ? parseResourceList('--limits', f.limits) : undefined;
  if (requests && limits) {
    for (const [name, req] of Object.entries(requests)) {
      const lim = limits[name];
      if (lim !== undefined && compareQuantities(req, lim) > 0) throw new UsageError(`--limits: ${name} limit ${lim} is lower than its request ${req}`);
    }
  }
  const credentials = parseCredentialPairs(f.credentials ?? []);
  if ((credentials.length || f.credentialsFile !== undefined) && (storage?.type === 'pvc' || storage?.type === 'emptyDir')) {
    throw new UsageError(`${credentials.length ? '--credentials' : '--credentials-file'}: ${storage.type} storage takes no credentials (they are for --s3, --gcs, --azure or --swift)`);
  }
  if (f.showCredentials && !credentials.length && f.credentialsFile === undefined) {
    throw new UsageError('--show-credentials needs --credentials or --credentials-file');
  }
  if (storage && storage.type !== 'pvc' && storage.type !== 'emptyDir') resolveCredentials(storage.type, credentials, false);
  return {
    action,
    operator: {
      managementState: 'Managed',
      storage,
      replicas,
      rolloutStrategy: blockStorage ? 'Recreate' : undefined,
      nodeSelector,
      requests,
      limits,
      logLevel: f.logLevel as LogLevel | undefined,
    },
    replicasGiven,
    claimSize,
    blockStorage,
    credentials,
    credentialsFile: f.credentialsFile,
    showCredentials: f.showCredentials === true,
    wait: f.wait === true,
    timeoutSeconds,
    ...operatorFields(f),
  };
}

/**
 * Maps each entry to the documented key of `backend`: the full name
 * (REGISTRY_STORAGE_S3_ACCESSKEY) or its last part (accesskey), any case. With `complete`,
 * every key the backend needs must be there.
 */
export function resolveCredentials(backend: CredentialBackend, entries: CredentialEntry[], complete: boolean, existing: Record<string, string> = {}): Record<string, string> {
  const keys = CREDENTIAL_KEYS[backend];
  const prefix = `REGISTRY_STORAGE_${backend.toUpperCase()}_`;
  const out: Record<string, string> = {};
  for (const e of entries) {
    const want = e.key.toUpperCase();
    const key = keys.find((k) => k === want || k === prefix + want);
    if (!key) {
      throw new UsageError(`${e.source}: "${e.key}" is not a credential of ${flagName(backend)} storage (expected ${keys.map((k) => `${k.slice(prefix.length).toLowerCase()} or ${k}`).join('; ')})`);
    }
    if (key in out && out[key] !== e.value) throw new UsageError(`${e.source}: ${key} is given twice with different values`);
    out[key] = e.value;
  }
  if (complete && entries.length) {
    const missing = keys.filter((k) => !(k in out) && !(k in existing));
    if (missing.length) throw new UsageError(`--credentials: ${flagName(backend)} storage needs ${missing.join(' and ')} too`);
  }
  return out;
}

/**
 * `--credentials-file`: `KEY=VALUE` lines (`#` comments), as `oc create secret --from-env-file`;
 * for GCS the service-account key file itself (JSON), stored under REGISTRY_STORAGE_GCS_KEYFILE.
 */
export function parseCredentialsFile(path: string, content: string): CredentialEntry[] {
  const source = `--credentials-file ${path}`;
  if (content.trimStart().startsWith('{')) {
    try {
      JSON.parse(content);
    } catch (e) {
      throw new UsageError(`--credentials-file: "${path}" looks like JSON but does not parse: ${(e as Error).message}`);
    }
    return [{ key: 'REGISTRY_STORAGE_GCS_KEYFILE', value: content, source }];
  }
  const out: CredentialEntry[] = [];
  content.split(/\r?\n/).forEach((raw, n) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new UsageError(`--credentials-file: "${path}" line ${n + 1} is not KEY=VALUE`);
    out.push({ key: line.slice(0, eq).trim(), value: line.slice(eq + 1).trim(), source });
  });
  if (!out.length) throw new UsageError(`--credentials-file: "${path}" holds no KEY=VALUE line`);
  return out;
}

/** What regctl reads from the cluster before planning. */
export interface LiveOpenShift4 {
  config: KubeObject;
  /** The claim the storage names (or the operator's), when it exists. */
  claim?: KubeObject;
  /** The credentials secret, when it exists. */
  secret?: KubeObject;
  /** The cluster's release (ClusterVersion), read when --log-level needs to know which field it reads. */
  clusterVersion?: string;
}

/** What the caller made or read for the plan: a new httpSecret (--rotate-http-secret), the parsed --affinity-file. */
export interface OpenShift4Inputs {
  httpSecret?: string;
  affinity?: Record<string, unknown> | null;
}

export interface OpenShift4Plan {
  plan: Plan;
  /** The Config as it will be: the live object patched, or offline only the fields regctl sets. */
  config: KubeObject;
  /** What `-o yaml|json|name` prints: the claim and secret regctl creates, then the Config. */
  objects: KubeObject[];
  /** The Config's patch; undefined when the Config already is as asked. */
  patch?: { spec: Record<string, unknown> };
  warnings: string[];
}

function spec(obj: KubeObject | undefined): Record<string, unknown> {
  return (obj?.spec as Record<string, unknown> | undefined) ?? {};
}

function decodeSecret(secret: KubeObject | undefined): Record<string, string> {
  const data = (secret?.data as Record<string, string> | undefined) ?? {};
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}

function describePatch(patch: { spec: Record<string, unknown> }): string {
  const s = patch.spec;
  const parts: string[] = [`managementState ${s.managementState}`];
  const storage = s.storage as Record<string, unknown> | undefined;
  if (storage) {
    const [type] = Object.entries(storage).filter(([, v]) => v !== null).map(([k]) => k);
    const removed = Object.entries(storage).filter(([, v]) => v === null).length;
    parts.push(`storage ${type}${type === 'pvc' ? ` (claim "${(storage.pvc as { claim: string }).claim}")` : ''}${removed ? ', no other storage type' : ''}`);
  }
  if (s.replicas !== undefined) parts.push(`replicas ${s.replicas}`);
  if (s.rolloutStrategy) parts.push(`rolloutStrategy ${s.rolloutStrategy}`);
  if (s.nodeSelector) parts.push('nodeSelector');
  if (s.resources) parts.push('resources');
  if (s.logLevel) parts.push(`logLevel ${s.logLevel}`);
  if (s.logging !== undefined) parts.push(`logging ${s.logging}`);
  for (const k of ['proxy', 'readOnly', 'disableRedirect', 'requests', 'tolerations', 'affinity']) {
    if (s[k] === undefined) continue;
    parts.push(s[k] === null ? `no ${k}` : typeof s[k] === 'boolean' ? `${k} ${s[k]}` : k);
  }
  if (s.httpSecret !== undefined) parts.push('a new httpSecret');
  return `patch configs.imageregistry.operator.openshift.io/cluster (merge): ${parts.join(', ')}`;
}

/**
 * The plan, pure. Offline (`live` undefined) it holds what the flags alone say; connected it is
 * checked against the live Config (replicas and storage that the flags leave as they are), the
 * live claim and the live secret. Throws UsageError for a combination the operator cannot run.
 */
export function planOpenShift4(o: OpenShift4Options, live?: LiveOpenShift4, extraCredentials: CredentialEntry[] = [], inputs: OpenShift4Inputs = {}): OpenShift4Plan {
  const warnings: string[] = [];
  const steps: Step[] = [];
  const objects: KubeObject[] = [];
  const liveSpec = spec(live?.config);
  const op: OperatorOptions = { ...o.operator, settings: { ...o.settings } };
  if (inputs.httpSecret !== undefined) op.settings!.httpSecret = inputs.httpSecret;
  if (inputs.affinity !== undefined) {
    // The affinity is replaced as a whole: what the live one has and the file does not is removed.
    const liveAffinity = liveSpec.affinity;
    op.settings!.affinity = inputs.affinity && liveAffinity ? mergePatchBetween(liveAffinity, inputs.affinity) : inputs.affinity;
  }
  if (op.logLevel && readsLogging(live?.clusterVersion)) {
    // Releases before 4.5 read the integer spec.logging and ignore logLevel.
    op.settings!.logging = LOGGING_OF[op.logLevel];
    warnings.push(`OpenShift ${live!.clusterVersion} reads spec.logging, not spec.logLevel: --log-level ${op.logLevel} is written as logging: ${LOGGING_OF[op.logLevel]}`);
    op.logLevel = undefined;
  }
  if (o.rotateHttpSecret) warnings.push('a new httpSecret: uploads in progress fail, and the registry pods restart');

  const replicas = op.replicas ?? (typeof liveSpec.replicas === 'number' ? liveSpec.replicas : 1);
  const liveTypes = storageTypesOf(liveSpec.storage);
  const storageType = op.storage?.type ?? (liveTypes.length === 1 ? liveTypes[0] : undefined);

  if (o.action === 'deploy') {
    if (storageType === 'emptyDir' && replicas > 1) {
      throw new UsageError(
        op.storage
          ? `--empty-dir: the registry runs ${replicas} replicas; emptyDir storage allows one (add --replicas=1)`
          : `--replicas=${replicas}: the registry stores images in an emptyDir, which allows one replica; choose shared storage (--pvc, --s3, --gcs, --azure, --swift)`,
      );
    }
    if (op.storage?.type === 'emptyDir') warnings.push('emptyDir storage: every image is lost when the registry pod restarts; use it on non-production clusters only');
    if (o.blockStorage) warnings.push('block storage: the registry runs one replica with the Recreate rollout strategy, so it is not highly available (not recommended for production)');
    if (live && !op.storage && liveTypes.length > 1) warnings.push(`the Config names ${liveTypes.length} storage types (${liveTypes.join(', ')}); the operator needs exactly one: give one of --pvc, --empty-dir, --s3, --gcs, --azure, --swift`);
    if (live && !op.storage && liveTypes.length === 0) warnings.push('the Config names no storage: the operator falls back to the platform default (none on bare metal and vSphere); give --pvc, --s3, --gcs, --azure, --swift or --empty-dir');

    // The claim: the one --pvc (or the live Config) names, else the operator's image-registry-storage.
    if (storageType === 'pvc') {
      const givenPvc = op.storage?.type === 'pvc' ? op.storage : undefined;
      const named = givenPvc ? givenPvc.claim : ((liveSpec.storage as { pvc?: { claim?: string } } | undefined)?.pvc?.claim ?? '');
      const claimName = named || OPERATOR_CLAIM;
      // The operator refuses an empty claim when image-registry-storage exists and is not its own: name it.
      const nameIt = () => {
        if (givenPvc && !givenPvc.claim) op.storage = { type: 'pvc', claim: claimName };
      };
      if (live?.claim) {
        const modes = (live.claim.spec as { accessModes?: string[] } | undefined)?.accessModes ?? [];
        if (replicas > 1 && !modes.includes('ReadWriteMany')) {
          throw new UsageError(
            `${o.replicasGiven ? `--replicas=${replicas}:` : `--pvc: the registry runs ${replicas} replicas, but`} claim "${claimName}" is ${modes.join(', ') || 'ReadWriteOnce'}, which serves one replica; two or more replicas need a ReadWriteMany claim`,
          );
        }
        if (o.claimSize !== undefined) warnings.push(`claim "${claimName}" exists: --claim-size is not applied to it`);
        if (givenPvc && !named) {
          const owned = live.claim.metadata.annotations?.[PVC_OWNER_ANNOTATION] === 'true';
          if (!owned) warnings.push(`claim "${claimName}" exists and was not created by the operator: the Config names it, so the operator uses it`);
          if (!owned || o.claimSize !== undefined) nameIt();
        }
      } else if (givenPvc && (o.claimSize !== undefined || (live && named))) {
        // regctl creates the claim (offline: only when --claim-size asks for it, as it cannot see the cluster).
        const size = o.claimSize ?? DEFAULT_CLAIM_SIZE;
        const accessMode = o.blockStorage ? 'ReadWriteOnce' : claimAccessMode(replicas);
        const claim = registryClaim({ name: claimName, size, accessMode });
        steps.push({ kind: 'create', describe: `create persistentvolumeclaim "${claimName}" in ${OPERATOR_NAMESPACE} (${size}, ${accessMode})`, object: claim });
        objects.push(claim);
        nameIt();
      } else if (live && named && !givenPvc) {
        warnings.push(`the Config names claim "${named}", which does not exist in ${OPERATOR_NAMESPACE}`);
      }
    }

    // The credentials secret: merged into the live one, so other keys stay.
    const entries = [...o.credentials, ...extraCredentials];
    if (entries.length) {
      if (!storageType || storageType === 'pvc' || storageType === 'emptyDir') {
        const flag = entries[0]!.source.split(' ')[0];
        throw new UsageError(
          storageType
            ? `${flag}: the registry stores images on ${storageType}, which takes no credentials`
            : `${flag}: name the storage they are for (--s3, --gcs, --azure or --swift)`,
        );
      }
      if (!(storageType in CREDENTIAL_KEYS)) throw new UsageError(`--credentials: regctl does not know the credential keys of ${storageType} storage`);
      const existing = decodeSecret(live?.secret);
      const given = resolveCredentials(storageType as CredentialBackend, entries, true, existing);
      const secret = credentialsSecret({ ...existing, ...given });
      if (live?.secret) {
        const meta = live.secret.metadata;
        secret.metadata = { ...secret.metadata, ...(meta.labels ? { labels: meta.labels } : {}), ...(meta.annotations ? { annotations: meta.annotations } : {}) };
      }
      const keys = Object.keys(given).sort().join(', ');
      const same = live?.secret && Object.entries(given).every(([k, v]) => existing[k] === v);
      if (!live?.secret) steps.push({ kind: 'create', describe: `create secret "${CREDENTIALS_SECRET}" in ${OPERATOR_NAMESPACE}: ${keys}`, object: secret });
      else if (!same) steps.push({ kind: 'update', describe: `update secret "${CREDENTIALS_SECRET}" in ${OPERATOR_NAMESPACE}: ${keys}`, object: { ...live.secret, data: secret.data }, live: live.secret });
      objects.push(secret);
    }
  } else if (o.action === 'remove') {
    if (storageType === 'emptyDir') warnings.push('the registry stores images in an emptyDir: removing it deletes every image');
    else warnings.push('the operator removes the registry and tears down any storage it provisioned itself');
  }

  // The Config: nodeSelector is a whole (keys the flag leaves out go); other maps merge.
  const patch = configMergePatch(op, liveSpec.storage as Record<string, unknown> | undefined);
  if (op.nodeSelector && live) {
    const liveSel = (liveSpec.nodeSelector as Record<string, string> | undefined) ?? {};
    const sel = patch.spec.nodeSelector as Record<string, unknown>;
    for (const k of Object.keys(liveSel)) if (!(k in op.nodeSelector)) sel[k] = null;
  }
  let config: KubeObject;
  let changed = true;
  if (live) {
    config = mergePatch(live.config, patch) as KubeObject;
    changed = JSON.stringify(config) !== JSON.stringify(live.config);
  } else {
    config = configObject(op);
  }
  // Offline there is no live Config to patch: the render shows the fields regctl sets.
  if (changed && live) steps.push({ kind: 'patch', describe: describePatch(patch), live: live.config, patchType: 'merge', patch, after: asItWillBe(config) });
  objects.push(config);
  const plan = emptyPlan('deploy');
  plan.steps = steps;
  return { plan, config, objects, patch: changed ? patch : undefined, warnings };
}

/**
 * The plan the runner finishes: -o prints what the run creates or changes (offline: every
 * object the flags set), credentials redacted unless --show-credentials; --remove asks first.
 */
export function runnablePlan(o: OpenShift4Options, p: OpenShift4Plan, live: LiveOpenShift4 | undefined): Plan {
  const plan = p.plan;
  const shown = live ? plan.steps.map((s) => (s.kind === 'patch' ? asItWillBe(p.config) : s.kind === 'create' || s.kind === 'update' ? s.object : undefined)).filter((x): x is KubeObject => !!x) : p.objects;
  plan.objects = printable(shown, o.showCredentials);
  plan.warnings.push(...p.warnings);
  if (o.action === 'remove' && p.patch) plan.confirm = 'Set the Image Registry Operator to Removed (the operator deletes the registry)?';
  plan.nothing = 'config.imageregistry.operator.openshift.io/cluster unchanged';
  if (o.action === 'deploy' && !o.wait) plan.notes.push('the operator rolls the registry out now; follow it with: oc get clusteroperator image-registry (or run again with --wait)');
  return plan;
}

/** Secrets in printed output: values redacted unless --show-credentials. */
export function printable(objects: KubeObject[], showCredentials: boolean): KubeObject[] {
  return objects.map((obj) => (obj.kind === 'Secret' && !showCredentials ? redactSecret(obj) : obj));
}

/** The Config as it will be, without what the server owns (status, managed fields). */
function asItWillBe(obj: KubeObject): KubeObject {
  const { status: _status, ...rest } = obj;
  const { managedFields: _m, ...metadata } = obj.metadata;
  return { ...rest, metadata } as KubeObject;
}
