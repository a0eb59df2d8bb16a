// The built `regctl deploy` against an OpenShift 4 API server (test/apiserver, profile
// openshift4: the Config starts Removed, as on bare metal and vSphere). What a user sees, what
// the server holds afterwards, and which requests were sent.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { startApiServer, type TestApiServer } from '../apiserver/index.js';
import { openshift4Seeds } from '../apiserver/seeds.js';
import { run as runInProcess } from '../support/world.js';

/** regctl in-process, as a user would type it (the spawned smoke test is test/deploy/smoke.test.ts). */
const regctl = (args: string[], opts: { env?: NodeJS.ProcessEnv } = {}) => runInProcess(args, { env: opts.env });
import type { KubeObject } from '../../src/plan/types.js';

let api: TestApiServer;
let home: string;

before(async () => {
  api = await startApiServer({ profile: 'openshift4' });
});
after(async () => {
  await api.close();
});
/** Back to a fresh bare-metal cluster: Removed, no storage, one replica, nothing regctl made. */
function reset(): void {
  for (const [apiVersion, kind, name, ns] of [
    ['v1', 'Secret', 'image-registry-private-configuration-user', 'openshift-image-registry'],
    ['v1', 'PersistentVolumeClaim', 'registry-storage', 'openshift-image-registry'],
    ['v1', 'PersistentVolumeClaim', 'rwo-claim', 'openshift-image-registry'],
    ['v1', 'PersistentVolumeClaim', 'old-claim', 'openshift-image-registry'],
    ['v1', 'PersistentVolumeClaim', 'block', 'openshift-image-registry'],
    ['apps/v1', 'Deployment', 'image-registry', 'openshift-image-registry'],
  ] as const) {
    if (api.getObject(apiVersion, kind, name, ns)) api.deleteObject(apiVersion, kind, name, ns);
  }
  for (const o of openshift4Seeds()) if (o.kind === 'Config' || o.kind === 'ClusterOperator') api.putObject(o);
}

beforeEach(() => {
  reset();
  api.clearRequests();
  home = mkdtempSync(join(tmpdir(), 'regctl-os4-home-'));
});

const env = () => ({ KUBECONFIG: api.kubeconfigPath, HOME: home, REGCTL_POLL_INTERVAL_MS: '20' });
const run = (args: string[], more: { tty?: boolean; answers?: boolean[] } = {}) => runInProcess(['deploy', ...args], { env: env(), ...more });
const config = () => api.getObject('imageregistry.operator.openshift.io/v1', 'Config', 'cluster') as KubeObject & { spec: any };
const secret = () => api.getObject('v1', 'Secret', 'image-registry-private-configuration-user', 'openshift-image-registry') as any;
const decoded = (s: any) => Object.fromEntries(Object.entries(s.data as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
const writes = () => api.requests.filter((r) => !['GET', 'HEAD'].includes(r.method));
const storageTypes = () => Object.keys(config().spec.storage ?? {}).filter((k) => k !== 'managementState');

test('Removed -> Managed with --pvc: one JSON merge patch, the previous Config backed up first', async () => {
  const r = await run(['--pvc']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'config.imageregistry.operator.openshift.io/cluster configured\n');
  assert.equal(config().spec.managementState, 'Managed');
  assert.deepEqual(config().spec.storage, { pvc: { claim: '' } });
  assert.equal(config().spec.httpSecret, '0123456789abcdef', 'fields regctl does not set stay');
  const w = writes();
  assert.equal(w.length, 1);
  assert.equal(w[0]!.method, 'PATCH');
  assert.equal(w[0]!.contentType, 'application/merge-patch+json', 'custom resources take no strategic merge patch');
  // The backup holds the Config as it was.
  const dir = /backups of what changed: (\S+)/.exec(r.stderr)![1]!;
  const [file] = readdirSync(dir);
  const saved = load(readFileSync(join(dir, file!), 'utf8')) as any;
  assert.equal(saved.spec.managementState, 'Removed');
});

test('--s3 with credentials: the secret first, then the Config with only s3 storage', async () => {
  const r = await run(['--s3=registry-bucket', '--region=us-east-1', '--encrypt', '--key-id=kms-key', '--credentials', 'accesskey=AKIAEXAMPLE', '--credentials', 'secretkey=wJalrXUtnFEMI']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stdout.split('\n').filter(Boolean), ['secret/image-registry-private-configuration-user created', 'config.imageregistry.operator.openshift.io/cluster configured']);
  assert.deepEqual(config().spec.storage, { s3: { bucket: 'registry-bucket', region: 'us-east-1', encrypt: true, keyID: 'kms-key' } });
  assert.deepEqual(decoded(secret()), { REGISTRY_STORAGE_S3_ACCESSKEY: 'AKIAEXAMPLE', REGISTRY_STORAGE_S3_SECRETKEY: 'wJalrXUtnFEMI' });
  assert.doesNotMatch(r.stdout + r.stderr, /AKIAEXAMPLE|wJalrXUtnFEMI/, 'credential values are never printed');
});

test('--gcs with the service-account key file as REGISTRY_STORAGE_GCS_KEYFILE', async () => {
  const key = join(home, 'key.json');
  const json = JSON.stringify({ type: 'service_account', project_id: 'my-project', private_key_id: 'abc' }, null, 2);
  writeFileSync(key, json);
  const r = await run(['--gcs=registry-bucket', '--project-id=my-project', '--region=us-central1', `--credentials-file=${key}`]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(config().spec.storage, { gcs: { bucket: 'registry-bucket', projectID: 'my-project', region: 'us-central1' } });
  assert.deepEqual(decoded(secret()), { REGISTRY_STORAGE_GCS_KEYFILE: json });
});

test('--azure with the account key', async () => {
  const r = await run(['--azure=image-registry', '--account-name=regacct', '--credentials', 'REGISTRY_STORAGE_AZURE_ACCOUNTKEY=a2V5']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(config().spec.storage, { azure: { container: 'image-registry', accountName: 'regacct' } });
  assert.deepEqual(decoded(secret()), { REGISTRY_STORAGE_AZURE_ACCOUNTKEY: 'a2V5' });
});

test('--swift with Keystone parameters and a KEY=VALUE credentials file', async () => {
  const file = join(home, 'swift.env');
  writeFileSync(file, '# OpenStack\nusername=registry\npassword=p4ss\n');
  const r = await run(['--swift=registry', '--auth-url=https://keystone.example.com:5000/v3', '--tenant=ops', '--domain=Default', '--region=RegionOne', `--credentials-file=${file}`]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(config().spec.storage, { swift: { container: 'registry', authURL: 'https://keystone.example.com:5000/v3', tenant: 'ops', domain: 'Default', regionName: 'RegionOne' } });
  assert.deepEqual(decoded(secret()), { REGISTRY_STORAGE_SWIFT_USERNAME: 'registry', REGISTRY_STORAGE_SWIFT_PASSWORD: 'p4ss' });
});

test('--empty-dir sets emptyDir and warns that images are lost on restart', async () => {
  const r = await run(['--empty-dir']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(config().spec.storage, { emptyDir: {} });
  assert.match(r.stderr, /warning: emptyDir storage: every image is lost when the registry pod restarts/);
});

test('switching storage leaves exactly one type on the server', async () => {
  assert.equal((await run(['--pvc=old-claim'])).code, 0);
  assert.deepEqual(storageTypes(), ['pvc']);
  const r = await run(['--s3=new-bucket']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(storageTypes(), ['s3']);
});

test('--pvc NAME creates the missing claim first: 100Gi, ReadWriteMany for two replicas', async () => {
  const r = await run(['--pvc=registry-storage', '--replicas=2']);
  assert.equal(r.code, 0, r.stderr);
  const pvc = api.getObject('v1', 'PersistentVolumeClaim', 'registry-storage', 'openshift-image-registry') as any;
  assert.deepEqual(pvc.spec.accessModes, ['ReadWriteMany']);
  assert.equal(pvc.spec.resources.requests.storage, '100Gi');
  assert.deepEqual(config().spec.storage, { pvc: { claim: 'registry-storage' } });
  assert.equal(config().spec.replicas, 2);
  assert.deepEqual(writes().map((w) => w.method), ['POST', 'PATCH']);
});

test('--block-storage: Recreate, one replica, a ReadWriteOnce claim of --claim-size', async () => {
  const r = await run(['--block-storage', '--pvc=block', '--claim-size=50Gi']);
  assert.equal(r.code, 0, r.stderr);
  const pvc = api.getObject('v1', 'PersistentVolumeClaim', 'block', 'openshift-image-registry') as any;
  assert.deepEqual(pvc.spec, { ...pvc.spec, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } } });
  assert.equal(config().spec.rolloutStrategy, 'Recreate');
  assert.equal(config().spec.replicas, 1);
});

test('--replicas, --selector, --requests, --limits and --log-level land in the Config', async () => {
  const r = await run(['--pvc', '--replicas=3', '--selector=node-role.kubernetes.io/infra=', '--requests=cpu=100m,memory=256Mi', '--limits=memory=2Gi', '--log-level=Debug']);
  assert.equal(r.code, 0, r.stderr);
  const s = config().spec;
  assert.equal(s.replicas, 3);
  assert.deepEqual(s.nodeSelector, { 'node-role.kubernetes.io/infra': '' });
  assert.deepEqual(s.resources, { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '2Gi' } });
  assert.equal(s.logLevel, 'Debug');
});

test('credentials update the existing secret and keep its other keys', async () => {
  api.putObject({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'image-registry-private-configuration-user', namespace: 'openshift-image-registry' },
    type: 'Opaque',
    data: { REGISTRY_STORAGE_S3_ACCESSKEY: Buffer.from('old-ak').toString('base64'), REGISTRY_STORAGE_S3_SECRETKEY: Buffer.from('old-sk').toString('base64'), CUSTOM: Buffer.from('x').toString('base64') },
  });
  const r = await run(['--s3=bucket', '--credentials', 'secretkey=new-sk']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^secret\/image-registry-private-configuration-user configured$/m);
  assert.deepEqual(decoded(secret()), { REGISTRY_STORAGE_S3_ACCESSKEY: 'old-ak', REGISTRY_STORAGE_S3_SECRETKEY: 'new-sk', CUSTOM: 'x' });
  // The same credentials again: nothing to write.
  api.clearRequests();
  const again = await run(['--s3=bucket', '--credentials', 'secretkey=new-sk']);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(writes(), []);
});

test('when the Config cannot be patched, the secret created just before is removed again', async () => {
  api.inject({ method: 'PATCH', path: /\/configs\/cluster$/, status: 500, message: 'etcdserver: request timed out' });
  const r = await run(['--s3=bucket', '--credentials', 'accesskey=a', '--credentials', 'secretkey=b']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /etcdserver: request timed out/);
  assert.match(r.stderr, /undone: secret\/image-registry-private-configuration-user deleted/);
  assert.equal(secret(), undefined);
  assert.equal(config().spec.managementState, 'Removed');
});

test('refusals: two storage types are refused before any request', async () => {
  const r = await run(['--pvc', '--s3=bucket']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error: --pvc and --s3 cannot be used together: the operator takes exactly one storage type$/m);
  assert.equal(api.requests.length, 0, 'nothing was read or written');
});

test('refusals: emptyDir on a Config that runs two replicas, and two replicas on emptyDir', async () => {
  api.putObject({ ...config(), spec: { ...config().spec, managementState: 'Managed', replicas: 2, storage: { pvc: { claim: '' } } } });
  let r = await run(['--empty-dir']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error: --empty-dir: the registry runs 2 replicas; emptyDir storage allows one \(add --replicas=1\)$/m);
  api.putObject({ ...config(), spec: { ...config().spec, replicas: 1, storage: { emptyDir: {} } } });
  r = await run(['--replicas=2']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error: --replicas=2: the registry stores images in an emptyDir, which allows one replica/m);
  assert.deepEqual(writes(), []);
});

test('refusals: a ReadWriteOnce claim with two replicas', async () => {
  api.putObject({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'rwo-claim', namespace: 'openshift-image-registry' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '100Gi' } } },
  });
  const r = await run(['--pvc=rwo-claim', '--replicas=2']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error: --replicas=2: claim "rwo-claim" is ReadWriteOnce, which serves one replica; two or more replicas need a ReadWriteMany claim$/m);
  assert.deepEqual(writes(), []);
  assert.equal(config().spec.managementState, 'Removed');
});

test('--dry-run shows the change as a diff against the live Config and changes nothing', async () => {
  const r = await run(['--empty-dir', '--dry-run']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^1\. patch configs\.imageregistry\.operator\.openshift\.io\/cluster \(merge\): managementState Managed, storage emptyDir/m);
  assert.match(r.stdout, /^\s+-\s+managementState: Removed$/m);
  assert.match(r.stdout, /^\s+\+\s+managementState: Managed$/m);
  assert.match(r.stdout, /^\s+-\s+storage: \{\}$/m);
  assert.match(r.stdout, /^\s+\+\s+emptyDir: \{\}$/m);
  assert.deepEqual(writes(), []);
  assert.equal(config().spec.managementState, 'Removed');
});

test('--dry-run=server sends the patch with dryRun=All; the server keeps the Config', async () => {
  const r = await run(['--pvc', '--dry-run=server']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'config.imageregistry.operator.openshift.io/cluster configured (server dry run)\n');
  const [patch] = writes();
  assert.equal(patch!.method, 'PATCH');
  assert.equal(patch!.query.dryRun, 'All');
  assert.equal(config().spec.managementState, 'Removed');
});

test('--remove asks first: refused without a terminal unless --yes', async () => {
  api.putObject({ ...config(), spec: { ...config().spec, managementState: 'Managed', storage: { emptyDir: {} } } });
  let r = await run(['--remove']);
  assert.equal(r.code, 2);
  // Refused first, in one line, before any warning.
  assert.equal(r.stderr, 'error: Set the Image Registry Operator to Removed (the operator deletes the registry): --yes is required when not running interactively\n');
  assert.equal(config().spec.managementState, 'Managed');
  r = await run(['--remove', '--yes']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(config().spec.managementState, 'Removed');
  assert.deepEqual(config().spec.storage, { emptyDir: {} }, 'only the management state changes');
});

test('--unmanaged sets Unmanaged', async () => {
  const r = await run(['--unmanaged']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(config().spec.managementState, 'Unmanaged');
});

test('running the same deploy twice changes nothing the second time', async () => {
  assert.equal((await run(['--empty-dir'])).code, 0);
  api.clearRequests();
  const r = await run(['--empty-dir']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'config.imageregistry.operator.openshift.io/cluster unchanged\n');
  assert.deepEqual(writes(), []);
});

test('OpenShift 3.x flags are refused on a 4.x cluster', async () => {
  const r = await run(['--mount-host=/data']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error: --mount-host is an OpenShift 3\.x \/ Kubernetes flag; on OpenShift 4 the Image Registry Operator deploys the registry/m);
  assert.deepEqual(writes(), []);
});

// --- --wait ----------------------------------------------------------------------------------

const CO = (conditions: [string, string, string, string][]): KubeObject => ({
  apiVersion: 'config.openshift.io/v1',
  kind: 'ClusterOperator',
  metadata: { name: 'image-registry' },
  spec: {},
  status: { conditions: conditions.map(([type, status, reason, message]) => ({ type, status, reason, message, lastTransitionTime: '2026-01-01T00:00:00Z' })) },
});

function registryDeployment(ready: number, replicas = 1): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'image-registry', namespace: 'openshift-image-registry' },
    spec: { replicas, selector: { matchLabels: { 'docker-registry': 'default' } }, template: { metadata: { labels: { 'docker-registry': 'default' } }, spec: { containers: [{ name: 'registry', image: 'image-registry:4.18' }] } } },
    status: { replicas, readyReplicas: ready, updatedReplicas: replicas, availableReplicas: ready },
  };
}

/** Resolves once regctl has read clusteroperator/image-registry `n` more times: the test plays the operator in step with it. */
async function afterPolls(n: number): Promise<void> {
  const count = () => api.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/clusteroperators/image-registry')).length;
  const target = count() + n;
  for (let i = 0; i < 3000 && count() < target; i++) await new Promise((r) => setTimeout(r, 5));
}

test('--wait follows the cluster operator until Available, showing Progressing and Degraded as they change, then the pods', async () => {
  const running = run(['--pvc', '--wait', '--timeout=60']);
  await afterPolls(1);
  api.putObject(CO([
    ['Available', 'False', 'NoReplicasAvailable', 'Available: The deployment does not have available replicas'],
    ['Progressing', 'True', 'DeploymentNotCompleted', 'Progressing: The deployment has not completed'],
    ['Degraded', 'False', 'AsExpected', ''],
  ]));
  await afterPolls(2);
  api.putObject(CO([
    ['Available', 'False', 'NoReplicasAvailable', 'Available: The deployment does not have available replicas'],
    ['Progressing', 'True', 'DeploymentNotCompleted', 'Progressing: The deployment has not completed'],
    ['Degraded', 'True', 'ImagePrunerJobFailed', 'Degraded: storage is not ready yet'],
  ]));
  await afterPolls(2);
  api.putObject(registryDeployment(0));
  api.putObject(CO([
    ['Available', 'True', 'Ready', 'Available: The registry is ready'],
    ['Progressing', 'True', 'DeploymentNotCompleted', 'Progressing: The deployment has not completed'],
    ['Degraded', 'False', 'AsExpected', ''],
  ]));
  await afterPolls(2);
  api.putObject(registryDeployment(1));
  const r = await running;
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stderr.split('\n');
  const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
  const order = [
    /Available=True \(Removed\): Available: The registry is removed/,
    /Progressing=True \(DeploymentNotCompleted\): Progressing: The deployment has not completed/,
    /Degraded=True \(ImagePrunerJobFailed\): Degraded: storage is not ready yet/,
    /Available=True \(Ready\): Available: The registry is ready/,
    /deployment\/image-registry: 0\/1 pods ready/,
    /deployment\/image-registry: 1\/1 pods ready/,
    /the image registry is available/,
  ].map(at);
  assert.ok(order.every((i) => i >= 0), r.stderr);
  assert.deepEqual([...order].sort((a, b) => a - b), order, 'in the order they happened');
  assert.equal(lines.filter((l) => /Progressing=True \(DeploymentNotCompleted\)/.test(l)).length, 1, 'an unchanged condition is printed once');
});

test('--wait times out with the conditions and the operator\'s last message, exit 1', async () => {
  api.putObject(CO([
    ['Available', 'False', 'StorageNotConfigured', 'Available: storage backend not configured'],
    ['Progressing', 'True', 'Error', 'Progressing: Unable to apply resources: storage backend not configured'],
    ['Degraded', 'True', 'StorageNotConfigured', 'Degraded: storage backend not configured'],
  ]));
  const r = await run(['--pvc', '--wait', '--timeout=1']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^ {2}Available=False \(StorageNotConfigured\): Available: storage backend not configured$/m);
  assert.match(r.stderr, /^ {2}Degraded=True \(StorageNotConfigured\): Degraded: storage backend not configured$/m);
  assert.match(r.stderr, /^error: timed out after 1s waiting for the image registry to become available; the operator says: Degraded: storage backend not configured$/m);
  assert.equal(config().spec.managementState, 'Managed', 'the change stays: only the wait failed');
});

test('--wait names a stuck registry pod when the deployment does not become ready', async () => {
  api.putObject(CO([['Available', 'True', 'Ready', 'Available: The registry is ready'], ['Progressing', 'True', 'DeploymentNotCompleted', 'Progressing: The deployment has not completed'], ['Degraded', 'False', 'AsExpected', '']]));
  api.putObject(registryDeployment(0));
  api.putObject({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'image-registry-5d8f7c9b4-x2x7q', namespace: 'openshift-image-registry', labels: { 'docker-registry': 'default' } },
    spec: { containers: [{ name: 'registry', image: 'image-registry:4.18' }] },
    status: { phase: 'Pending', containerStatuses: [{ name: 'registry', ready: false, restartCount: 0, image: 'image-registry:4.18', imageID: '', state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "image-registry:4.18"' } } }] },
  });
  try {
    const r = await run(['--pvc', '--wait', '--timeout=1']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /deployment\/image-registry: 0\/1 pods ready; pod image-registry-5d8f7c9b4-x2x7q: ImagePullBackOff/);
    assert.match(r.stderr, /^error: timed out after 1s .*; pod image-registry-5d8f7c9b4-x2x7q: ImagePullBackOff: Back-off pulling image/m);
  } finally {
    api.deleteObject('v1', 'Pod', 'image-registry-5d8f7c9b4-x2x7q', 'openshift-image-registry');
  }
});

test('--remove --wait waits until the operator has deleted the registry deployment', async () => {
  api.putObject({ ...config(), spec: { ...config().spec, managementState: 'Managed', storage: { pvc: { claim: '' } } } });
  api.putObject(registryDeployment(1));
  api.putObject(CO([['Available', 'True', 'Ready', 'Available: The registry is ready'], ['Progressing', 'False', 'Ready', ''], ['Degraded', 'False', 'AsExpected', '']]));
  const running = run(['--remove', '--yes', '--wait', '--timeout=60']);
  await afterPolls(2);
  api.deleteObject('apps/v1', 'Deployment', 'image-registry', 'openshift-image-registry');
  api.putObject(CO([['Available', 'True', 'Removed', 'Available: The registry is removed'], ['Progressing', 'False', 'Removed', ''], ['Degraded', 'False', 'Removed', '']]));
  const r = await running;
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /deployment\/image-registry: still present/);
  assert.match(r.stderr, /the image registry is removed/);
});

// --- rendering connected, other platforms, the prompt ----------------------------------------

test('-o yaml on a 4.x cluster prints the live Config as it will be, and changes nothing', async () => {
  const r = await run(['--pvc', '--replicas=2', '-o', 'yaml']);
  assert.equal(r.code, 0, r.stderr);
  const [cfg] = (load(r.stdout) as any).items;
  assert.equal(cfg.kind, 'Config');
  assert.equal(cfg.spec.managementState, 'Managed');
  assert.equal(cfg.spec.replicas, 2);
  assert.deepEqual(cfg.spec.storage, { pvc: { claim: '' } });
  assert.equal(cfg.spec.httpSecret, '0123456789abcdef', 'the live fields are there too');
  assert.equal(cfg.status, undefined, 'status belongs to the operator');
  assert.deepEqual(writes(), []);
});

test('an OpenShift 4 flag against an OpenShift 3 cluster is refused, naming the flag and the platform', async () => {
  const os3 = await startApiServer({ profile: 'openshift3' });
  try {
    const e = { KUBECONFIG: os3.kubeconfigPath, HOME: home };
    let r = await regctl(['deploy', '--s3=bucket'], { env: e });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: --s3 configures the OpenShift 4 Image Registry Operator; the cluster at https:\/\/127\.0\.0\.1:\d+ is openshift3$/m);
    r = await regctl(['deploy', '--empty-dir', '-o', 'yaml'], { env: e });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: --empty-dir configures the OpenShift 4 Image Registry Operator; the cluster at https:\/\/127\.0\.0\.1:\d+ is openshift3$/m);
    assert.deepEqual(os3.requests.filter((q) => q.method !== 'GET'), []);
  } finally {
    await os3.close();
  }
});

test('--remove on a terminal asks, naming the emptyDir loss; no keeps the registry, yes removes it', async () => {
  api.putObject({ ...config(), spec: { ...config().spec, managementState: 'Managed', storage: { emptyDir: {} } } });
  const no = await run(['--remove'], { tty: true, answers: [false] });
  assert.deepEqual(no.asked, ['Set the Image Registry Operator to Removed (the operator deletes the registry)?']);
  assert.match(no.stderr, /warning: the registry stores images in an emptyDir: removing it deletes every image/);
  assert.equal(no.code, 1);
  assert.match(no.stderr, /^error: cancelled: nothing was changed$/m);
  assert.equal(config().spec.managementState, 'Managed');
  const yes = await run(['--remove'], { tty: true, answers: [true] });
  assert.equal(yes.code, 0, yes.stderr);
  assert.equal(config().spec.managementState, 'Removed');
});
