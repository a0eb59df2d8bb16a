// `regctl deploy` on OpenShift 4 without a cluster: the Image Registry Operator's Config that
// regctl sets (seed 002 chapters 2-3, shared/REFERENCE.md §4.1), flag by flag, each refusal,
// and the plan against a live Config handed in as data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseCredentialsFile,
  planOpenShift4,
  printable,
  toOpenShift4Options,
  type LiveOpenShift4,
  type OpenShift4Flags,
} from '../../src/commands/deploy/openshift4.js';
import { rejectOpenShift4Flags } from '../../src/commands/deploy/openshift4-flags.js';
import { deployOptions } from '../../src/commands/deploy/options.js';
import type { DeployFlags } from '../../src/registry/options.js';
import { describePlan } from '../../src/plan/run.js';
import {
  REDACTED,
  STORAGE_KEYS,
  configMergePatch,
  configObject,
  credentialsSecret,
  redactSecret,
  registryClaim,
} from '../../src/templates/operator.js';
import { UsageError } from '../../src/errors.js';
import type { KubeObject } from '../../src/plan/types.js';
import { lineDiff } from '../../src/output/diff.js';
import { validateObject } from '../support/schema.js';
import { mergePatch } from '../../src/plan/types.js';

// The Config's documented fields (REFERENCE §4.1, openshift/api imageregistry/v1/types.go).
const SPEC_FIELDS = [
  'managementState', 'logLevel', 'operatorLogLevel', 'unsupportedConfigOverrides', 'observedConfig', 'httpSecret', 'proxy',
  'storage', 'readOnly', 'disableRedirect', 'requests', 'defaultRoute', 'routes', 'replicas', 'logging', 'resources',
  'nodeSelector', 'tolerations', 'rolloutStrategy', 'affinity', 'topologySpreadConstraints',
];
const STORAGE_FIELDS: Record<string, string[]> = {
  emptyDir: [],
  pvc: ['claim'],
  s3: ['bucket', 'region', 'regionEndpoint', 'chunkSizeMiB', 'encrypt', 'keyID', 'cloudFront', 'virtualHostedStyle', 'trustedCA'],
  gcs: ['bucket', 'region', 'projectID', 'keyID'],
  swift: ['authURL', 'authVersion', 'container', 'domain', 'domainID', 'tenant', 'tenantID', 'regionName'],
  azure: ['accountName', 'container', 'cloudName', 'networkAccess'],
};

/** Checks a Config against the CRD's documented fields and patterns, and the operator's one-storage rule. */
function assertValidConfig(c: KubeObject): void {
  assert.equal(c.apiVersion, 'imageregistry.operator.openshift.io/v1');
  assert.equal(c.kind, 'Config');
  assert.equal(c.metadata.name, 'cluster');
  assert.equal(c.metadata.namespace, undefined, 'the Config is cluster-scoped');
  const spec = c.spec as Record<string, any>;
  for (const k of Object.keys(spec)) assert.ok(SPEC_FIELDS.includes(k), `spec.${k} is not a Config field`);
  assert.match(spec.managementState, /^(Managed|Unmanaged|Force|Removed)$/);
  if (spec.logLevel !== undefined) assert.match(spec.logLevel, /^(Normal|Debug|Trace|TraceAll)$/);
  if (spec.rolloutStrategy !== undefined) assert.match(spec.rolloutStrategy, /^(RollingUpdate|Recreate)$/);
  if (spec.replicas !== undefined) assert.ok(Number.isInteger(spec.replicas));
  if (spec.storage) {
    const types = Object.keys(spec.storage).filter((k) => k !== 'managementState');
    assert.equal(types.length, 1, `exactly one storage type, got ${types.join(', ')}`);
    const [type] = types;
    for (const k of Object.keys(spec.storage[type!])) assert.ok(STORAGE_FIELDS[type!]!.includes(k), `storage.${type}.${k} is not a field`);
    if (type === 'azure') assert.match(spec.storage.azure.container, /^[0-9a-z]+(-[0-9a-z]+)*$/);
  }
}

function opts(flags: OpenShift4Flags) {
  return toOpenShift4Options(flags);
}

/** Offline: the objects `-o yaml` prints for these flags. */
function render(flags: OpenShift4Flags): KubeObject[] {
  return planOpenShift4(opts(flags)).objects;
}

function configOf(objs: KubeObject[]): any {
  const c = objs.find((o) => o.kind === 'Config')!;
  assertValidConfig(c);
  return c.spec;
}

function refusal(flags: OpenShift4Flags, message: RegExp) {
  assert.throws(() => opts(flags), (e: unknown) => e instanceof UsageError && message.test(e.message));
}

function liveConfig(spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster', resourceVersion: '7', generation: 3 }, spec: { httpSecret: 'abc', logLevel: 'Normal', ...spec } };
}

const REMOVED_BARE_METAL = liveConfig({ managementState: 'Removed', replicas: 1, storage: {}, rolloutStrategy: 'RollingUpdate' });

// --- templates -------------------------------------------------------------------------------

test('deploy --pvc sets Managed and an empty claim, so the operator creates image-registry-storage', () => {
  const spec = configOf(render({ pvc: true }));
  assert.deepEqual(spec, { managementState: 'Managed', storage: { pvc: { claim: '' } } });
});

test('the merge patch for a storage type sets every other storage type to null in the same patch', () => {
  const patch = configMergePatch({ managementState: 'Managed', storage: { type: 's3', bucket: 'b' } }, { pvc: { claim: 'x' }, managementState: 'Managed', futureType: {} });
  const storage = patch.spec.storage as Record<string, unknown>;
  assert.deepEqual(storage.s3, { bucket: 'b' });
  for (const k of STORAGE_KEYS.filter((k) => k !== 's3')) assert.equal(storage[k], null, `${k} nulled`);
  assert.equal(storage.futureType, null, 'a storage key regctl does not know is removed too');
  assert.ok(!('managementState' in storage), "the storage's own managementState is left alone");
});

test('a merge patch applied as the server does: null deletes, maps merge, lists and scalars replace', () => {
  const live = { spec: { a: 1, storage: { pvc: { claim: 'x' }, managementState: 'Managed' }, list: [1, 2], keep: { k: 'v' } } };
  const out = mergePatch(live, { spec: { a: 2, storage: { pvc: null, emptyDir: {} }, list: [3] } });
  assert.deepEqual(out, { spec: { a: 2, storage: { managementState: 'Managed', emptyDir: {} }, list: [3], keep: { k: 'v' } } });
  assert.deepEqual(live.spec.storage.pvc, { claim: 'x' }, 'the live object is not modified');
});

test('the claim template: ReadWriteOnce or ReadWriteMany, its size, in openshift-image-registry, valid PersistentVolumeClaim', async () => {
  const pvc = registryClaim({ name: 'registry-storage', size: '200Gi', accessMode: 'ReadWriteMany' }) as any;
  assert.equal(pvc.metadata.namespace, 'openshift-image-registry');
  assert.deepEqual(pvc.spec.accessModes, ['ReadWriteMany']);
  assert.equal(pvc.spec.resources.requests.storage, '200Gi');
  await validateObject(pvc);
});

test('the credentials secret holds base64 values under the documented keys; redacting leaves the original intact', async () => {
  const s = credentialsSecret({ REGISTRY_STORAGE_S3_SECRETKEY: 'sk', REGISTRY_STORAGE_S3_ACCESSKEY: 'ak' }) as any;
  assert.equal(s.metadata.name, 'image-registry-private-configuration-user');
  assert.equal(s.metadata.namespace, 'openshift-image-registry');
  assert.deepEqual(s.data, { REGISTRY_STORAGE_S3_ACCESSKEY: 'YWs=', REGISTRY_STORAGE_S3_SECRETKEY: 'c2s=' });
  await validateObject(s);
  const r = redactSecret(s) as any;
  assert.deepEqual(r.data, { REGISTRY_STORAGE_S3_ACCESSKEY: REDACTED, REGISTRY_STORAGE_S3_SECRETKEY: REDACTED });
  assert.equal(s.data.REGISTRY_STORAGE_S3_ACCESSKEY, 'YWs=');
});

// --- flags -----------------------------------------------------------------------------------

test('--pvc NAME names an existing claim', () => {
  assert.deepEqual(configOf(render({ pvc: 'registry-storage' })).storage, { pvc: { claim: 'registry-storage' } });
  refusal({ pvc: 'Bad_Name' }, /^--pvc: "Bad_Name" is not a valid name/);
});

test('--pvc NAME --claim-size creates the claim first: ReadWriteOnce for one replica, ReadWriteMany for more', () => {
  const one = render({ pvc: 'reg', claimSize: '50Gi' });
  assert.deepEqual(one.map((o) => o.kind), ['PersistentVolumeClaim', 'Config']);
  assert.deepEqual((one[0] as any).spec, { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } } });
  const two = render({ pvc: 'reg', claimSize: '50Gi', replicas: '2' });
  assert.deepEqual((two[0] as any).spec.accessModes, ['ReadWriteMany']);
  assert.equal(configOf(two).replicas, 2);
});

test('--pvc --claim-size without a name creates image-registry-storage and names it in the Config', () => {
  const objs = render({ pvc: true, claimSize: '300Gi' });
  assert.equal(objs[0]!.metadata.name, 'image-registry-storage');
  assert.deepEqual(configOf(objs).storage, { pvc: { claim: 'image-registry-storage' } });
});

test('--claim-size needs --pvc and a valid size', () => {
  refusal({ emptyDir: true, claimSize: '10Gi' }, /^--claim-size needs --pvc/);
  refusal({ pvc: true, claimSize: 'lots' }, /^--claim-size: "lots" is not a valid size/);
  refusal({ pvc: true, claimSize: '0' }, /^--claim-size: "0"/);
});

test('--empty-dir sets emptyDir storage and warns that images are lost on restart', () => {
  const p = planOpenShift4(opts({ emptyDir: true }));
  assert.deepEqual(configOf(p.objects).storage, { emptyDir: {} });
  assert.match(p.warnings.join('\n'), /lost when the registry pod restarts.*non-production/);
});

test('--empty-dir with two replicas is refused', () => {
  refusal({ emptyDir: true, replicas: '2' }, /^--empty-dir cannot be used with --replicas=2/);
});

test('--s3 BUCKET with --region, --region-endpoint, --encrypt and --key-id', () => {
  const spec = configOf(render({ s3: 'my-bucket', region: 'us-east-1', regionEndpoint: 'https://s3.example.com', encrypt: true, keyId: 'kms-1' }));
  assert.deepEqual(spec.storage, { s3: { bucket: 'my-bucket', region: 'us-east-1', regionEndpoint: 'https://s3.example.com', encrypt: true, keyID: 'kms-1' } });
});

test('--s3 refuses a bad bucket name, a non-URL endpoint, and --key-id without --encrypt', () => {
  refusal({ s3: 'My_Bucket' }, /^--s3: "My_Bucket" is not a valid bucket name/);
  refusal({ s3: 'b1b', regionEndpoint: 'ftp://x' }, /^--region-endpoint: "ftp:\/\/x" must be an http/);
  refusal({ s3: 'b1b', regionEndpoint: 'not a url' }, /^--region-endpoint: "not a url" is not a URL/);
  refusal({ s3: 'b1b', keyId: 'k' }, /^--key-id needs --encrypt with --s3/);
});

test('--gcs BUCKET with --region, --project-id and --key-id', () => {
  const spec = configOf(render({ gcs: 'reg_bucket', region: 'europe-west1', projectId: 'proj-1', keyId: 'projects/p/keys/k' }));
  assert.deepEqual(spec.storage, { gcs: { bucket: 'reg_bucket', region: 'europe-west1', projectID: 'proj-1', keyID: 'projects/p/keys/k' } });
});

test('--azure CONTAINER with --account-name; the container follows the CRD rule (3-63, lower-case, single hyphens)', () => {
  assert.deepEqual(configOf(render({ azure: 'image-registry', accountName: 'acct' })).storage, { azure: { container: 'image-registry', accountName: 'acct' } });
  refusal({ azure: 'Images' }, /^--azure: "Images" is not a valid container name/);
  refusal({ azure: 'a--b' }, /^--azure: "a--b"/);
  refusal({ azure: 'ab' }, /^--azure: "ab"/);
});

test('--swift CONTAINER with --auth-url, --tenant, --domain and --region (regionName)', () => {
  const spec = configOf(render({ swift: 'registry', authUrl: 'https://keystone.example.com:5000/v3', tenant: 'ops', domain: 'Default', region: 'RegionOne' }));
  assert.deepEqual(spec.storage, { swift: { container: 'registry', authURL: 'https://keystone.example.com:5000/v3', tenant: 'ops', domain: 'Default', regionName: 'RegionOne' } });
});

test("a backend's parameter with another backend, or with none, is refused naming both flags", () => {
  refusal({ s3: 'bucket', accountName: 'a' }, /^--account-name applies only with --azure/);
  refusal({ region: 'us-east-1' }, /^--region applies only with --s3, --gcs, --swift/);
  refusal({ gcs: 'bucket', encrypt: true }, /^--encrypt applies only with --s3/);
});

test('two storage types are refused: the operator takes exactly one', () => {
  refusal({ pvc: true, s3: 'bucket' }, /^--pvc and --s3 cannot be used together: the operator takes exactly one storage type/);
  refusal({ emptyDir: true, gcs: 'bucket' }, /^--empty-dir and --gcs cannot be used together/);
});

test('--replicas sets replicas; without it the Config keeps its own count (the 3.x default of 1 does not count)', () => {
  assert.equal(configOf(render({ pvc: true, replicas: '3' })).replicas, 3);
  assert.equal(configOf(render({ pvc: true, replicas: '1', givenFlags: ['pvc'] })).replicas, undefined);
  refusal({ replicas: '0' }, /^--replicas: 0 is out of range/);
});

test('--block-storage sets rolloutStrategy Recreate and one replica, a ReadWriteOnce claim, and warns', () => {
  const p = planOpenShift4(opts({ blockStorage: true, pvc: 'block', claimSize: '100Gi' }));
  const spec = configOf(p.objects);
  assert.equal(spec.rolloutStrategy, 'Recreate');
  assert.equal(spec.replicas, 1);
  assert.deepEqual((p.objects[0] as any).spec.accessModes, ['ReadWriteOnce']);
  assert.match(p.warnings.join('\n'), /not highly available/);
});

test('--block-storage with more than one replica, or with object storage, is refused', () => {
  refusal({ blockStorage: true, replicas: '2' }, /^--block-storage cannot be used with --replicas=2/);
  refusal({ blockStorage: true, s3: 'bucket' }, /^--block-storage is for a claim \(--pvc\), not --s3/);
});

test('--selector sets the node selector, --requests and --limits the resources, --log-level the log level', () => {
  const spec = configOf(render({ selector: 'node-role.kubernetes.io/infra=', requests: 'cpu=100m,memory=256Mi', limits: 'memory=1Gi', logLevel: 'Debug' }));
  assert.deepEqual(spec.nodeSelector, { 'node-role.kubernetes.io/infra': '' });
  assert.deepEqual(spec.resources, { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '1Gi' } });
  assert.equal(spec.logLevel, 'Debug');
  refusal({ requests: 'cpu=2', limits: 'cpu=1' }, /^--limits: cpu limit 1 is lower than its request 2/);
  refusal({ selector: 'bad key=x' }, /^--selector:/);
});

test('--remove sets Removed and --unmanaged sets Unmanaged, alone', () => {
  assert.deepEqual(configOf(render({ remove: true })), { managementState: 'Removed' });
  assert.deepEqual(configOf(render({ unmanaged: true })), { managementState: 'Unmanaged' });
  refusal({ remove: true, unmanaged: true }, /^--remove and --unmanaged cannot be used together/);
  refusal({ remove: true, s3: 'bucket' }, /^--s3 cannot be used with --remove/);
  refusal({ unmanaged: true, wait: true }, /^--wait cannot be used with --unmanaged/);
});

test('OpenShift 3.x flags are refused on 4.x, naming the flag', () => {
  refusal({ mountHost: '/data' } as OpenShift4Flags, /^--mount-host is an OpenShift 3.x \/ Kubernetes flag/);
  refusal({ daemonset: true } as OpenShift4Flags, /^--daemonset is an OpenShift 3.x/);
  refusal({ ports: '5001' } as OpenShift4Flags, /^--ports is an OpenShift 3.x/);
  // Defaults commander fills in are not choices.
  assert.doesNotThrow(() => opts({ ports: '5000', serviceAccount: 'registry', givenFlags: [] } as OpenShift4Flags));
});

test('4.x flags are refused on 3.x and Kubernetes, and accepted on 4.x', () => {
  const base: DeployFlags = { serviceAccount: 'registry', type: 'docker-registry', replicas: '1', ports: '5000', labels: 'docker-registry=default', volume: '/registry', timeout: '300' };
  assert.throws(() => deployOptions({ ...base, s3: 'bucket' } as DeployFlags, 'openshift3'), (e: any) => e instanceof UsageError && e.message === '--s3 configures the OpenShift 4 Image Registry Operator; it does not apply to openshift3' && /--platform openshift4/.test(e.hint!));
  assert.throws(() => rejectOpenShift4Flags({ emptyDir: true, platform: 'kubernetes' }, 'kubernetes'), /--empty-dir configures the OpenShift 4 .* kubernetes$/);
  assert.doesNotThrow(() => rejectOpenShift4Flags({ emptyDir: true }, 'openshift4'));
  assert.throws(() => deployOptions({ ...base, pvc: true }, 'openshift3'), /--pvc needs the name of an existing claim here/);
});

// --- credentials -----------------------------------------------------------------------------

test('--credentials takes the documented keys, in full or by their last part, into the secret', () => {
  const p = planOpenShift4(opts({ s3: 'bucket', credentials: ['accesskey=AK', 'REGISTRY_STORAGE_S3_SECRETKEY=S/K=='] }), { config: REMOVED_BARE_METAL });
  const secret = p.objects.find((o) => o.kind === 'Secret') as any;
  assert.deepEqual(Object.keys(secret.data), ['REGISTRY_STORAGE_S3_ACCESSKEY', 'REGISTRY_STORAGE_S3_SECRETKEY']);
  assert.equal(Buffer.from(secret.data.REGISTRY_STORAGE_S3_SECRETKEY, 'base64').toString(), 'S/K==');
  assert.deepEqual(p.plan.steps.map((s) => s.kind), ['create', 'patch'], 'the secret is created before the Config changes');
  assert.doesNotMatch(p.plan.steps.map((s) => s.describe).join('\n'), /AK|S\/K/, 'step descriptions name keys, never values');
});

test('each backend has its own credential keys; a foreign or incomplete set is refused', () => {
  const keys = (flags: OpenShift4Flags) => Object.keys((planOpenShift4(opts(flags)).objects[0] as any).data);
  assert.deepEqual(keys({ gcs: 'bucket', credentials: ['keyfile={"type":"service_account"}'] }), ['REGISTRY_STORAGE_GCS_KEYFILE']);
  assert.deepEqual(keys({ azure: 'registry', credentials: ['accountkey=k'] }), ['REGISTRY_STORAGE_AZURE_ACCOUNTKEY']);
  assert.deepEqual(keys({ swift: 'registry', credentials: ['username=u', 'password=p'] }), ['REGISTRY_STORAGE_SWIFT_PASSWORD', 'REGISTRY_STORAGE_SWIFT_USERNAME']);
  refusal({ azure: 'registry', credentials: ['accesskey=x'] }, /^--credentials: "accesskey" is not a credential of --azure storage \(expected accountkey or REGISTRY_STORAGE_AZURE_ACCOUNTKEY\)/);
  assert.throws(() => planOpenShift4(opts({ s3: 'bucket', credentials: ['accesskey=AK'] })), /^UsageError: --credentials: --s3 storage needs REGISTRY_STORAGE_S3_SECRETKEY too/);
  refusal({ s3: 'bucket', credentials: ['accesskey'] }, /^--credentials: "accesskey\.\.\." is not KEY=VALUE/);
  refusal({ s3: 'bucket', credentials: ['accesskey='] }, /^--credentials: accesskey has an empty value/);
});

test('credentials with a claim or emptyDir, or without any storage offline, are refused', () => {
  refusal({ pvc: true, credentials: ['a=b'] }, /^--credentials: pvc storage takes no credentials/);
  refusal({ emptyDir: true, credentialsFile: 'creds.env' }, /^--credentials-file: emptyDir storage takes no credentials/);
  assert.throws(() => planOpenShift4(opts({ credentials: ['accesskey=a'] })), /^UsageError: --credentials: name the storage they are for/);
});

test('--credentials-file reads KEY=VALUE lines, or a GCP key file (JSON) as REGISTRY_STORAGE_GCS_KEYFILE', () => {
  const env = parseCredentialsFile('s3.env', '# AWS\nREGISTRY_STORAGE_S3_ACCESSKEY=AK\n\nsecretkey = SK\n');
  assert.deepEqual(env.map((e) => [e.key, e.value]), [['REGISTRY_STORAGE_S3_ACCESSKEY', 'AK'], ['secretkey', 'SK']]);
  const json = '{"type": "service_account", "project_id": "p"}\n';
  assert.deepEqual(parseCredentialsFile('key.json', json).map((e) => [e.key, e.value]), [['REGISTRY_STORAGE_GCS_KEYFILE', json]]);
  assert.throws(() => parseCredentialsFile('key.json', '{"type": '), /^UsageError: --credentials-file: "key.json" looks like JSON but does not parse/);
  assert.throws(() => parseCredentialsFile('x.env', 'just words\n'), /^UsageError: --credentials-file: "x.env" line 1 is not KEY=VALUE/);
});

test('printed secrets are redacted unless --show-credentials', () => {
  const o = opts({ azure: 'registry', credentials: ['accountkey=s3cr3t'] });
  const p = planOpenShift4(o);
  assert.doesNotMatch(JSON.stringify(printable(p.objects, false)), /czNjcjN0|s3cr3t/);
  assert.match(JSON.stringify(printable(p.objects, true)), /czNjcjN0/);
  refusal({ showCredentials: true }, /^--show-credentials needs --credentials or --credentials-file/);
});

// --- against a live Config -------------------------------------------------------------------

test('Removed -> Managed on bare metal: one merge patch with the storage, the Config as it will be has exactly one storage type', () => {
  const p = planOpenShift4(opts({ pvc: true }), { config: REMOVED_BARE_METAL });
  assert.equal(p.plan.steps.length, 1);
  const step = p.plan.steps[0]!;
  assert.equal(step.kind, 'patch');
  assert.ok(step.kind === 'patch' && step.patchType === 'merge' && step.live === REMOVED_BARE_METAL, 'conditional on the Config it was computed from');
  assertValidConfig(p.config);
  assert.equal((p.config.spec as any).managementState, 'Managed');
  assert.equal((p.config.spec as any).httpSecret, 'abc', 'fields regctl does not set stay');
});

test('switching storage removes the old type in the same patch, and --dry-run shows it as a diff', async () => {
  const live = liveConfig({ managementState: 'Managed', replicas: 2, storage: { pvc: { claim: 'old' }, managementState: 'Unmanaged' } });
  const p = planOpenShift4(opts({ s3: 'bucket', region: 'us-east-1' }), { config: live, claim: undefined });
  assert.deepEqual((p.config.spec as any).storage, { managementState: 'Unmanaged', s3: { bucket: 'bucket', region: 'us-east-1' } });
  const out = await describePlan(p.plan);
  assert.match(out, /^1\. patch configs\.imageregistry\.operator\.openshift\.io\/cluster \(merge\): managementState Managed, storage s3, no other storage type$/m);
  assert.match(out, /^\s+-\s+pvc:$/m);
  assert.match(out, /^\s+-\s+claim: old$/m);
  assert.match(out, /^\s+\+\s+s3:$/m);
  assert.match(out, /^\s+\+\s+bucket: bucket$/m);
  assert.doesNotMatch(out, /httpSecret/, 'unchanged lines far from a change are left out');
});

test('a live Config already as asked gets no patch', () => {
  const live = liveConfig({ managementState: 'Managed', replicas: 1, storage: { emptyDir: {} } });
  const p = planOpenShift4(opts({ emptyDir: true }), { config: live });
  assert.equal(p.patch, undefined);
  assert.deepEqual(p.plan.steps, []);
});

test('emptyDir and two replicas are refused also when one of them is already on the cluster', () => {
  const twoReplicas = liveConfig({ managementState: 'Managed', replicas: 2, storage: { pvc: { claim: '' } } });
  assert.throws(() => planOpenShift4(opts({ emptyDir: true }), { config: twoReplicas }), /^UsageError: --empty-dir: the registry runs 2 replicas; emptyDir storage allows one \(add --replicas=1\)/);
  const emptyDir = liveConfig({ managementState: 'Managed', replicas: 1, storage: { emptyDir: {} } });
  assert.throws(() => planOpenShift4(opts({ replicas: '2' }), { config: emptyDir }), /^UsageError: --replicas=2: the registry stores images in an emptyDir/);
});

test('a ReadWriteOnce claim with two replicas is refused', () => {
  const live: LiveOpenShift4 = {
    config: liveConfig({ managementState: 'Managed', replicas: 1, storage: { pvc: { claim: 'rwo' } } }),
    claim: registryClaim({ name: 'rwo', size: '100Gi', accessMode: 'ReadWriteOnce' }),
  };
  assert.throws(() => planOpenShift4(opts({ replicas: '2' }), live), /^UsageError: --replicas=2: claim "rwo" is ReadWriteOnce, which serves one replica/);
  assert.throws(() => planOpenShift4(opts({ pvc: 'rwo', replicas: '2' }), live), /claim "rwo" is ReadWriteOnce/);
  assert.doesNotThrow(() => planOpenShift4(opts({ replicas: '1' }), live));
});

test('connected, --pvc NAME creates a missing claim (100Gi), ReadWriteMany when the Config runs two replicas', () => {
  const live = { config: liveConfig({ managementState: 'Managed', replicas: 2, storage: { emptyDir: {} } }) };
  const p = planOpenShift4(opts({ pvc: 'shared' }), live);
  assert.deepEqual(p.plan.steps.map((s) => s.describe), [
    'create persistentvolumeclaim "shared" in openshift-image-registry (100Gi, ReadWriteMany)',
    'patch configs.imageregistry.operator.openshift.io/cluster (merge): managementState Managed, storage pvc (claim "shared"), no other storage type',
  ]);
});

test('--pvc without a name, when image-registry-storage exists but is not the operator\'s, names it (the operator would refuse it)', () => {
  const claim = registryClaim({ name: 'image-registry-storage', size: '100Gi', accessMode: 'ReadWriteMany' });
  const p = planOpenShift4(opts({ pvc: true }), { config: REMOVED_BARE_METAL, claim });
  assert.deepEqual((p.config.spec as any).storage, { pvc: { claim: 'image-registry-storage' } });
  assert.match(p.warnings.join('\n'), /not created by the operator/);
  const owned = structuredClone(claim);
  owned.metadata.annotations = { 'imageregistry.openshift.io': 'true' };
  const q = planOpenShift4(opts({ pvc: true }), { config: REMOVED_BARE_METAL, claim: owned });
  assert.deepEqual((q.config.spec as any).storage, { pvc: { claim: '' } });
});

test('credentials merge into the live secret: other keys stay, the secret is replaced (backed up), values never described', () => {
  const liveSecret = credentialsSecret({ REGISTRY_STORAGE_S3_ACCESSKEY: 'old-ak', REGISTRY_STORAGE_S3_SECRETKEY: 'old-sk', OTHER: 'x' });
  const live = { config: liveConfig({ managementState: 'Managed', replicas: 2, storage: { s3: { bucket: 'bucket' } } }), secret: liveSecret };
  // Rotating one key: the other comes from the live secret.
  const p = planOpenShift4(opts({ credentials: ['secretkey=new-sk'] }), live);
  const step = p.plan.steps[0]!;
  assert.equal(step.kind, 'update');
  assert.equal((step as any).live, liveSecret, 'conditional on the secret it was computed from');
  const data = (step as any).object.data;
  const text = (k: string) => Buffer.from(data[k], 'base64').toString();
  assert.equal(text('REGISTRY_STORAGE_S3_SECRETKEY'), 'new-sk');
  assert.equal(text('REGISTRY_STORAGE_S3_ACCESSKEY'), 'old-ak');
  assert.equal(text('OTHER'), 'x');
  assert.equal(step.describe, 'update secret "image-registry-private-configuration-user" in openshift-image-registry: REGISTRY_STORAGE_S3_SECRETKEY');
});

test('--selector replaces the live node selector as a whole', () => {
  const live = { config: liveConfig({ managementState: 'Managed', replicas: 1, storage: { emptyDir: {} }, nodeSelector: { old: 'x', keep: 'y' } }) };
  const p = planOpenShift4(opts({ selector: 'keep=y,new=z' }), live);
  assert.deepEqual((p.config.spec as any).nodeSelector, { keep: 'y', new: 'z' });
});

test('--remove warns that images on emptyDir are lost', () => {
  const live = { config: liveConfig({ managementState: 'Managed', replicas: 1, storage: { emptyDir: {} } }) };
  const p = planOpenShift4(opts({ remove: true }), live);
  assert.match(p.warnings.join('\n'), /emptyDir: removing it deletes every image/);
  assert.deepEqual((p.config.spec as any).storage, { emptyDir: {} }, '--remove changes only the management state');
  assert.equal((p.config.spec as any).managementState, 'Removed');
});

// --- the diff --------------------------------------------------------------------------------

test('the line diff is a unified diff with context, and is empty for equal texts', () => {
  assert.equal(lineDiff('a\nb\n', 'a\nb\n'), '');
  const d = lineDiff('1\n2\n3\n4\n5\n6\n7\n8\n9\n', '1\n2\n3\n4\nfive\n6\n7\n8\n9\n', { context: 1 });
  assert.equal(d, '--- live\n+++ after\n@@ -4,3 +4,3 @@\n 4\n-5\n+five\n 6\n');
});
