// `regctl status` against the test API server: a healthy registry on 3.x, 4.x and Kubernetes
// with no warning, then one test per documented problem, each with the registry broken that
// way. TLS is probed at a local HTTPS server (--registry-url) serving openssl-made certificates.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { load } from 'js-yaml';
import { startApiServer, type Profile } from '../apiserver/index.js';
import { run, type RunResult } from '../support/world.js';
import { regctl } from '../support/run.js';
import { opensslCA } from '../support/pki.js';
import { issueServerCert, startLocalServer, type LocalServer, type Pem } from '../support/tls-server.js';
import { boundClaim, deployedRegistry, operatorRegistry, runningPod, type RegistryFixture } from '../support/operate-registry.js';
import type { KubeObject } from '../../src/objects.js';

const V3_NAMES = ['172.30.1.1', 'docker-registry.default.svc', 'docker-registry.default.svc.cluster.local', 'registry.apps.example.com'];
const V4_NAMES = ['image-registry.openshift-image-registry.svc', 'image-registry.openshift-image-registry.svc.cluster.local'];
let dir: string;
let ca: { cert: string; key: string };
let otherCA: { cert: string; key: string };
let v3Pem: Pem;
const servers: LocalServer[] = [];

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'regctl-status-'));
  ca = opensslCA(dir, 'ca');
  otherCA = opensslCA(dir, 'other-ca');
  v3Pem = issueServerCert(dir, ca, 'v3', V3_NAMES);
});
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function serveTls(pem: Pem | undefined): Promise<string> {
  const s = await startLocalServer(pem);
  servers.push(s);
  return `https://127.0.0.1:${s.port}`;
}

const route = (host = 'registry.apps.example.com', termination = 'passthrough'): KubeObject => ({
  apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: { name: 'docker-registry', namespace: 'default' },
  spec: { host, to: { kind: 'Service', name: 'docker-registry' }, tls: { termination } },
  status: { ingress: [{ host, conditions: [{ type: 'Admitted', status: 'True' }] }] },
});

/** A healthy, secured, exposed 3.x registry. */
function v3(over: Parameters<typeof deployedRegistry>[1] = {}): RegistryFixture {
  const reg = deployedRegistry('openshift3', { tls: { certPem: v3Pem.cert, keyPem: v3Pem.key }, replicas: 2, ...over });
  reg.objects.push(route());
  return reg;
}

interface Status extends RunResult {
  checks: { check: string; state: string; message: string; fix?: string }[];
}

async function status(t: { after(fn: () => unknown): void }, profile: Profile, objects: KubeObject[], args: string[] = [], pem: Pem | 'plain' | 'none' = v3Pem): Promise<Status> {
  const api = await startApiServer({ profile, objects });
  t.after(() => api.close());
  const url = pem === 'none' ? [] : ['--registry-url', await serveTls(pem === 'plain' ? undefined : pem)];
  const r = await run(['--kubeconfig', api.kubeconfigPath, 'status', '-o', 'json', '--ca', ca.cert, ...url, ...args]);
  const checks = r.stdout ? (JSON.parse(r.stdout) as { checks: Status['checks'] }).checks : [];
  return { ...r, checks };
}

const notPassed = (s: Status) => s.checks.filter((c) => c.state === 'warning' || c.state === 'failed');
function only(s: Status, state: 'warning' | 'failed', check: string, message: RegExp, fix?: RegExp): void {
  const bad = notPassed(s);
  assert.equal(bad.length, 1, `expected one problem, got: ${JSON.stringify(bad, null, 1)}`);
  assert.equal(bad[0]!.check, check);
  assert.equal(bad[0]!.state, state);
  assert.match(bad[0]!.message, message);
  if (fix) assert.match(bad[0]!.fix ?? '', fix);
  assert.equal(s.code, state === 'failed' ? 1 : 0, s.stderr);
}

// --- healthy ---------------------------------------------------------------------------------

test('status: a healthy 3.x registry (secured, exposed, two pods, claim) has no warning', async (t) => {
  const s = await status(t, 'openshift3', v3().objects);
  assert.equal(s.code, 0, s.stderr);
  assert.deepEqual(notPassed(s), []);
  const byCheck = new Set(s.checks.filter((c) => c.state === 'passed').map((c) => c.check));
  assert.deepEqual([...byCheck].sort(), ['configuration', 'deployed', 'resources', 'route', 'storage', 'tls']);
  assert.ok(s.checks.some((c) => /the chain verifies against/.test(c.message)));
  assert.ok(s.checks.some((c) => c.check === 'console' && c.state === 'skipped'));
});

test('status: a healthy Kubernetes registry has no warning', async (t) => {
  const pem = issueServerCert(dir, ca, 'k8s', ['172.30.1.1', 'docker-registry.default.svc', 'docker-registry.default.svc.cluster.local']);
  const reg = deployedRegistry('kubernetes', { tls: { certPem: pem.cert, keyPem: pem.key } });
  const s = await status(t, 'kubernetes', reg.objects, [], pem);
  assert.equal(s.code, 0, s.stderr);
  assert.deepEqual(notPassed(s), []);
  assert.ok(s.checks.some((c) => c.check === 'tls' && /names 172\.30\.1\.1/.test(c.message)));
});

test('status: a healthy 4.x registry (operator Managed, S3, two replicas) has no warning', async (t) => {
  const pem = issueServerCert(dir, ca, 'v4', V4_NAMES);
  const s = await status(t, 'openshift4', operatorRegistry().objects, [], pem);
  assert.equal(s.code, 0, s.stderr);
  assert.deepEqual(notPassed(s), []);
  assert.ok(s.checks.some((c) => c.check === 'whitelist' && c.state === 'passed'));
});

test('status: human output, one line per check, the fix under a problem, exit 1 on a failure', async (t) => {
  const reg = v3();
  reg.objects = reg.objects.filter((o) => o.kind !== 'Service');
  const api = await startApiServer({ profile: 'openshift3', objects: reg.objects });
  t.after(() => api.close());
  const r = await run(['--kubeconfig', api.kubeconfigPath, 'status', '--ca', ca.cert, '--registry-url', await serveTls(v3Pem)]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^FAIL  deployed {6}service docker-registry not found in namespace default\n {20}fix: regctl deploy/m);
  assert.match(r.stdout, /^ok {4}storage/m);
  assert.match(r.stderr, /\d+ passed, 0 warnings, 1 failed, 1 skipped/);
  assert.match(r.stderr, /error: 1 of \d+ checks failed/);
  // Read-only: nothing but GETs.
  assert.deepEqual(api.requests.filter((q) => q.method !== 'GET'), []);
});

// --- deployed ----------------------------------------------------------------------------------

test('status deployed: a pod in ImagePullBackOff is named with its reason', async (t) => {
  const reg = v3({ replicas: 1 });
  const pod = reg.objects.find((o) => o.kind === 'Pod')!;
  pod.status = { phase: 'Pending', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [{ name: 'registry', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "openshift/origin-docker-registry:v3.11"' } } }], qosClass: 'Burstable' };
  const s = await status(t, 'openshift3', reg.objects);
  only(s, 'failed', 'deployed', /0\/1 pods ready — docker-registry-1-ax0: ImagePullBackOff: Back-off pulling image/, /regctl logs/);
});

test('status deployed: one of two pods in CrashLoopBackOff is a warning with its last exit', async (t) => {
  const reg = v3();
  const pod = reg.objects.filter((o) => o.kind === 'Pod')[1]!;
  pod.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [{ name: 'registry', ready: false, restartCount: 7, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container' } }, lastState: { terminated: { exitCode: 2, reason: 'Error' } } }], qosClass: 'Burstable' };
  const s = await status(t, 'openshift3', reg.objects);
  only(s, 'warning', 'deployed', /1\/2 pods ready — docker-registry-1-bx1: CrashLoopBackOff: .* \(last exit 2, Error\)/);
});

test('status deployed: a Pending pod says why it is not scheduled', async (t) => {
  const reg = v3({ replicas: 1 });
  const pod = reg.objects.find((o) => o.kind === 'Pod')!;
  pod.status = { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 node(s) didn\'t match node selector.' }] };
  const s = await status(t, 'openshift3', reg.objects);
  only(s, 'failed', 'deployed', /Pending: Unschedulable: 0\/3 nodes are available/);
});

test('status deployed (4.x): managementState Removed, and a Degraded operator', async (t) => {
  const reg = operatorRegistry();
  const cfg = reg.objects.find((o) => o.kind === 'Config')!;
  (cfg.spec as any).managementState = 'Removed';
  const pem = issueServerCert(dir, ca, 'v4b', V4_NAMES);
  const removed = await status(t, 'openshift4', reg.objects.filter((o) => o.kind !== 'Deployment' && o.kind !== 'Pod'), [], pem);
  only(removed, 'failed', 'deployed', /managementState is Removed/, /regctl deploy/);

  const degraded = operatorRegistry();
  const co = degraded.objects.find((o) => o.kind === 'ClusterOperator')!;
  (co.status as any).conditions[2] = { type: 'Degraded', status: 'True', reason: 'StorageNotConfigured', message: 'Degraded: storage backend not configured' };
  const s = await status(t, 'openshift4', degraded.objects, [], pem);
  only(s, 'failed', 'deployed', /clusteroperator\/image-registry is Degraded: Degraded: storage backend not configured/);
});

// --- storage -----------------------------------------------------------------------------------

test('status storage: emptyDir loses images on restart', async (t) => {
  const s = await status(t, 'openshift3', v3({ storage: { type: 'emptyDir' } }).objects);
  only(s, 'warning', 'storage', /emptyDir volume registry-storage: images are lost when the pod restarts/, /oc set volume deploymentconfig\/docker-registry -n default --add --name=registry-storage -t pvc/);
});

test('status storage: a host path with two replicas', async (t) => {
  const s = await status(t, 'openshift3', v3({ storage: { type: 'hostPath', path: '/data/registry' } }).objects);
  only(s, 'failed', 'storage', /host path \/data\/registry with 2 pods/, /oc scale deploymentconfig\/docker-registry -n default --replicas=1/);
});

test('status storage: shared NFS without sessionAffinity ClientIP (Known Issues)', async (t) => {
  const reg = v3({ storage: { type: 'nfs', server: 'nfs.example.com', path: '/exports/registry' } });
  (reg.objects.find((o) => o.kind === 'Service')!.spec as any).sessionAffinity = 'None';
  const s = await status(t, 'openshift3', reg.objects);
  only(s, 'warning', 'storage', /NFS nfs\.example\.com:\/exports\/registry shared by 2 pods.*sessionAffinity None/, /"sessionAffinity":"ClientIP"/);
});

test('status storage (4.x): a ReadWriteOnce claim with two replicas', async (t) => {
  const reg = operatorRegistry({ storage: { pvc: { claim: 'image-registry-storage' } } });
  reg.objects.push(boundClaim('image-registry-storage', 'openshift-image-registry', ['ReadWriteOnce']));
  const pem = issueServerCert(dir, ca, 'v4c', V4_NAMES);
  const s = await status(t, 'openshift4', reg.objects, [], pem);
  only(s, 'failed', 'storage', /claim image-registry-storage is ReadWriteOnce and 2 replicas use it/, /"rolloutStrategy":"Recreate","replicas":1/);
});

test('status storage: the claim does not exist', async (t) => {
  const reg = v3();
  reg.objects = reg.objects.filter((o) => o.kind !== 'PersistentVolumeClaim');
  const s = await status(t, 'openshift3', reg.objects);
  only(s, 'failed', 'storage', /persistent volume claim registry-claim does not exist in default/);
});

// --- resources ---------------------------------------------------------------------------------

test('status resources: no requests or limits (BestEffort)', async (t) => {
  const reg = v3({ requests: {} });
  for (const p of reg.objects.filter((o) => o.kind === 'Pod')) (p.status as any).qosClass = 'BestEffort';
  const s = await status(t, 'openshift3', reg.objects);
  only(s, 'warning', 'resources', /2 pods BestEffort/, /oc set resources deploymentconfig\/docker-registry -n default --requests=cpu=100m,memory=256Mi/);
});

// --- tls ---------------------------------------------------------------------------------------

test('status tls: configured for TLS but the registry answers plain HTTP', async (t) => {
  const s = await status(t, 'openshift3', v3().objects, [], 'plain');
  only(s, 'failed', 'tls', /did not complete a TLS handshake.*configured for TLS but does not serve it/, /regctl logs --tls-check/);
});

test('status tls: the certificate lacks the route host', async (t) => {
  const pem = issueServerCert(dir, ca, 'noroute', V3_NAMES.slice(0, 3));
  const s = await status(t, 'openshift3', v3({ tls: { certPem: pem.cert, keyPem: pem.key } }).objects, [], pem);
  only(s, 'failed', 'tls', /does not name registry\.apps\.example\.com/, /regctl secure --renew --hostnames=registry\.apps\.example\.com/);
});

test('status tls: the master\'s registry hostname is not in the certificate', async (t) => {
  const master = join(dir, 'master-config.yaml');
  writeFileSync(master, 'imagePolicyConfig:\n  internalRegistryHostname: docker-registry.default.svc:5000\n  externalRegistryHostname: registry.corp.example.com\n');
  const s = await status(t, 'openshift3', v3().objects, ['--master-config', master]);
  only(s, 'failed', 'tls', /does not name registry\.corp\.example\.com/);
});

test('status tls: expiring in 11 days is a warning, expired a failure', async (t) => {
  const soon = issueServerCert(dir, ca, 'soon', V3_NAMES, { end: '20261210120000Z' });
  const s = await status(t, 'openshift3', v3().objects, [], soon);
  only(s, 'warning', 'tls', /expires in 11 days \(2026-12-10\)/, /regctl secure --renew/);
  const old = issueServerCert(dir, ca, 'old', V3_NAMES, { end: '20261101000000Z' });
  const e = await status(t, 'openshift3', v3().objects, [], old);
  only(e, 'failed', 'tls', /expired 28 days ago/);
});

test('status tls: a chain that does not lead to the CA', async (t) => {
  const pem = issueServerCert(dir, otherCA, 'other', V3_NAMES);
  const s = await status(t, 'openshift3', v3().objects, [], pem);
  only(s, 'failed', 'tls', /does not chain to the CA in .*ca\.crt \(issuer "CN=other-ca"\)/);
});

test('status tls: probes still on HTTP after TLS was turned on', async (t) => {
  const reg = v3();
  const c = (reg.workload.spec as any).template.spec.containers[0];
  delete c.livenessProbe.httpGet.scheme;
  const s = await status(t, 'openshift3', reg.objects);
  only(s, 'failed', 'tls', /livenessProbe and readinessProbe use HTTP but the registry serves HTTPS/, /regctl secure/);
});

test('status tls: the node\'s docker sysconfig still skips verification for the registry', async (t) => {
  const sysconfig = join(dir, 'docker');
  writeFileSync(sysconfig, "OPTIONS='--selinux-enabled --insecure-registry=172.30.0.0/16'\n");
  const s = await status(t, 'openshift3', v3().objects, ['--node-config', sysconfig]);
  only(s, 'warning', 'tls', /still has --insecure-registry 172\.30\.0\.0\/16/, /regctl secure --trust-local --node-config/);
});

test('status tls: a registry serving plain HTTP is a warning (regctl secure)', async (t) => {
  const reg = deployedRegistry('openshift3');
  const s = await status(t, 'openshift3', reg.objects, [], 'none');
  only(s, 'warning', 'tls', /serves plain HTTP/, /^regctl secure$/);
});

// --- route ---------------------------------------------------------------------------------------

test('status route: an edge route cannot carry the registry\'s TLS', async (t) => {
  const reg = v3();
  reg.objects = reg.objects.filter((o) => o.kind !== 'Route');
  reg.objects.push(route('registry.apps.example.com', 'edge'));
  const s = await status(t, 'openshift3', reg.objects);
  only(s, 'failed', 'route', /edge termination/, /regctl expose/);
});

// --- configuration -----------------------------------------------------------------------------

function withMountedConfig(reg: RegistryFixture, text: string): KubeObject[] {
  const spec = (reg.workload.spec as any).template.spec;
  spec.volumes.push({ name: 'registry-config', configMap: { name: 'registry-config' } });
  spec.containers[0].volumeMounts.push({ name: 'registry-config', mountPath: '/etc/docker/registry/' });
  return [...reg.objects, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'registry-config', namespace: 'default' }, data: { 'config.yml': text } }];
}

test('status configuration: a mounted config.yml without the openshift middleware (Known Issues)', async (t) => {
  const text = 'version: 0.1\nlog:\n  level: debug\nhttp:\n  addr: :5000\nstorage:\n  cache:\n    blobdescriptor: inmemory\n  filesystem:\n    rootdirectory: /registry\n  delete:\n    enabled: true\nauth:\n  openshift:\n    realm: openshift\n';
  const s = await status(t, 'openshift3', withMountedConfig(v3(), text));
  // A warning: the documents make the entries mandatory, but the 3.11 registry adds them itself.
  only(s, 'warning', 'configuration', /configmap\/registry-config config\.yml: .*middleware/i, /regctl override-config --check config\.yml/);
});

test('status configuration: storage.delete not enabled (the documented pruning failure)', async (t) => {
  const text = 'version: 0.1\nlog:\n  level: debug\nhttp:\n  addr: :5000\nstorage:\n  cache:\n    blobdescriptor: inmemory\n  filesystem:\n    rootdirectory: /registry\nauth:\n  openshift:\n    realm: openshift\nmiddleware:\n  registry:\n    - name: openshift\n  repository:\n    - name: openshift\n      options:\n        acceptschema2: true\n        pullthrough: true\n        enforcequota: false\n        projectcachettl: 1m\n        blobrepositorycachettl: 10m\n  storage:\n    - name: openshift\nopenshift:\n  version: 1.0\n  metrics:\n    enabled: false\n    secret: <secret>\n';
  const s = await status(t, 'openshift3', withMountedConfig(v3(), text.replace('    secret: <secret>\n', '')));
  const bad = notPassed(s);
  assert.equal(bad.length, 1, JSON.stringify(bad));
  assert.equal(bad[0]!.check, 'configuration');
  assert.match(bad[0]!.message, /storage\.delete/);
});

test('status configuration: an environment override with an invalid value', async (t) => {
  const reg = v3();
  (reg.workload.spec as any).template.spec.containers[0].env.push({ name: 'REGISTRY_MIDDLEWARE_REPOSITORY_OPENSHIFT_PULLTHROUGH', value: 'maybe' });
  const s = await status(t, 'openshift3', reg.objects);
  only(s, 'failed', 'configuration', /REGISTRY_MIDDLEWARE_REPOSITORY_OPENSHIFT_PULLTHROUGH/);
});

// --- whitelist and mirrors (4.x) -----------------------------------------------------------------

async function v4With(t: { after(fn: () => unknown): void }, sources: Record<string, string[]>, policies: KubeObject[] = []): Promise<Status> {
  const reg = operatorRegistry();
  reg.objects.push({ apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: { registrySources: sources }, status: { internalRegistryHostname: 'image-registry.openshift-image-registry.svc:5000' } }, ...policies);
  const pem = issueServerCert(dir, ca, `v4w${Math.random().toString(36).slice(2, 7)}`, V4_NAMES);
  return status(t, 'openshift4', reg.objects, [], pem);
}

test('status whitelist (4.x): allowed and blocked both set', async (t) => {
  only(await v4With(t, { allowedRegistries: ['quay.io'], blockedRegistries: ['docker.io'] }), 'failed', 'whitelist', /sets both allowedRegistries and blockedRegistries/);
});

test('status whitelist (4.x): an allow list without the registries the cluster needs', async (t) => {
  only(await v4With(t, { allowedRegistries: ['quay.io', 'registry.example.com'] }), 'failed', 'whitelist', /lacks registry\.redhat\.io, image-registry\.openshift-image-registry\.svc:5000/, /regctl whitelist --add --include-defaults/);
});

test('status mirrors (4.x): a mirror host the allow list blocks', async (t) => {
  const policy: KubeObject = { apiVersion: 'operator.openshift.io/v1alpha1', kind: 'ImageContentSourcePolicy', metadata: { name: 'mirror-ocp' }, spec: { repositoryDigestMirrors: [{ source: 'quay.io/openshift-release-dev/ocp-release', mirrors: ['mirror.example.com/ocp/release'] }] } };
  const s = await v4With(t, { allowedRegistries: ['quay.io', 'registry.redhat.io', 'image-registry.openshift-image-registry.svc:5000'] }, [policy]);
  only(s, 'failed', 'mirrors', /mirror mirror\.example\.com\/ocp\/release \(mirror-ocp\) is blocked/, /regctl whitelist --add --allow mirror\.example\.com/);
});

// --- console (3.x) -------------------------------------------------------------------------------

test('status console (3.x): the OAuth redirect URI does not match the console route', async (t) => {
  const reg = v3();
  reg.objects.push(
    { apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: { name: 'registry-console', namespace: 'default' }, spec: { host: 'registry-console-default.apps.example.com', to: { kind: 'Service', name: 'registry-console' }, tls: { termination: 'passthrough' } } },
    { apiVersion: 'oauth.openshift.io/v1', kind: 'OAuthClient', metadata: { name: 'cockpit-oauth-client' }, respondWithChallenges: false, secret: 'userabc', redirectURIs: ['https://registry-console-default.apps.old.example.com'] },
  );
  const s = await status(t, 'openshift3', reg.objects);
  only(s, 'failed', 'console', /redirects to https:\/\/registry-console-default\.apps\.old\.example\.com, not https:\/\/registry-console-default\.apps\.example\.com/, /oc patch oauthclient cockpit-oauth-client/);
});

test('status console (3.x): the .cert file in console-secret does not name the console host', async (t) => {
  const host = 'registry-console-default.apps.example.com';
  const cert = issueServerCert(dir, ca, 'console', ['console.other.example.com']);
  const reg = v3();
  reg.objects.push(
    { apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: { name: 'registry-console', namespace: 'default' }, spec: { host, to: { kind: 'Service', name: 'registry-console' }, tls: { termination: 'passthrough' } } },
    { apiVersion: 'oauth.openshift.io/v1', kind: 'OAuthClient', metadata: { name: 'cockpit-oauth-client' }, secret: 'userabc', redirectURIs: [`https://${host}`] },
    {
      apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig', metadata: { name: 'registry-console', namespace: 'default' },
      spec: { replicas: 1, selector: { name: 'registry-console' }, template: { metadata: { labels: { name: 'registry-console' } }, spec: { containers: [{ name: 'registry-console', image: 'registry-console:v3.11', volumeMounts: [{ name: 'console-secret', mountPath: '/etc/cockpit/ws-certs.d' }] }], volumes: [{ name: 'console-secret', secret: { secretName: 'console-secret' } }] } } },
    },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'console-secret', namespace: 'default' }, data: { 'console.cert': Buffer.from(cert.cert + cert.key).toString('base64') } },
  );
  const s = await status(t, 'openshift3', reg.objects);
  only(s, 'warning', 'console', /console\.cert does not name registry-console-default\.apps\.example\.com/, /regctl console --cert=/);
  assert.ok(s.checks.some((c) => c.check === 'console' && c.state === 'passed' && /OAuth redirect URI matches/.test(c.message)));
});

test('status tls: a registry not reachable from here is skipped, not a warning', async (t) => {
  const closed = await startLocalServer(v3Pem);
  const port = closed.port;
  await closed.close();
  const api = await startApiServer({ profile: 'openshift3', objects: v3().objects });
  t.after(() => api.close());
  const r = await run(['--kubeconfig', api.kubeconfigPath, 'status', '-o', 'yaml', '--registry-url', `https://127.0.0.1:${port}`]);
  assert.equal(r.code, 0, r.stderr);
  const doc = load(r.stdout) as { kind: string; checks: { check: string; state: string; message: string }[] };
  assert.equal(doc.kind, 'RegistryStatus');
  assert.ok(doc.checks.some((c) => c.check === 'tls' && c.state === 'skipped' && /^could not reach 127\.0\.0\.1:\d+ from here \(127\.0\.0\.1:\d+: ECONNREFUSED\)/.test(c.message)), r.stdout);
  assert.doesNotMatch(r.stdout, /state: (warning|failed)/);
});

// --- spawned -------------------------------------------------------------------------------------

test('status (spawned): the built CLI checks a Kubernetes registry', async (t) => {
  const reg = deployedRegistry('kubernetes', { storage: { type: 'emptyDir' } });
  const api = await startApiServer({ profile: 'kubernetes', objects: reg.objects });
  t.after(() => api.close());
  const r = await regctl(['--kubeconfig', api.kubeconfigPath, 'status']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^ok {4}deployed {6}service docker-registry \(172\.30\.1\.1\), deployment\/docker-registry, 1\/1 pods ready$/m);
  assert.match(r.stdout, /^WARN  storage/m);
  assert.match(r.stdout, /^WARN  tls {11}the registry serves plain HTTP/m);
});
