// deploy on a registry that already runs (issue 16): each flag given explicitly that differs
// changes exactly its field of the live workload; everything else (TLS, a config override, env
// set by other commands) stays byte for byte. Diff, confirmation, backup, conditional write,
// rollback, through the same runner as everything else.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startApiServer, type TestApiServer } from '../apiserver/index.js';
import { FakeCluster } from '../support/fake-cluster.js';
import { assertPreviewsWriteNothing } from '../support/previews.js';
import { withoutServerFields } from '../support/snapshot.js';
import { run, tempHome } from '../support/world.js';
import type { KubeObject } from '../../src/plan/types.js';
import { connect } from '../../src/cluster/index.js';
import { toGlobals } from '../../src/runtime.js';

const DC = ['apps.openshift.io/v1', 'DeploymentConfig', 'docker-registry', 'default'] as const;
let api: TestApiServer;
/** The registry as deploy created it, then secured and given a config override by hand (what secure and override-config leave). */
let decorated: KubeObject;

before(async () => {
  api = await startApiServer({ profile: 'openshift3' });
  const r = await run(['--kubeconfig', api.kubeconfigPath, 'deploy'], { env: { HOME: tempHome() } });
  assert.equal(r.code, 0, r.stderr);
  const dc = structuredClone(api.getObject(...DC)) as any;
  const pod = dc.spec.template.spec;
  pod.volumes.push({ name: 'registry-certificates', secret: { secretName: 'registry-certificates' } }, { name: 'registry-config', configMap: { name: 'registry-config' } });
  pod.containers[0].volumeMounts.push({ name: 'registry-certificates', mountPath: '/etc/secrets' }, { name: 'registry-config', mountPath: '/etc/docker/registry/' });
  pod.containers[0].env.push({ name: 'REGISTRY_HTTP_TLS_CERTIFICATE', value: '/etc/secrets/registry.crt' }, { name: 'REGISTRY_HTTP_TLS_KEY', value: '/etc/secrets/registry.key' }, { name: 'REGISTRY_CONFIGURATION_PATH', value: '/etc/docker/registry/config.yml' });
  pod.containers[0].readinessProbe.httpGet.scheme = 'HTTPS';
  pod.containers[0].livenessProbe.httpGet.scheme = 'HTTPS';
  // Written through the API, as secure and override-config would: the server's defaults are in it.
  const cluster = await connect(toGlobals({ kubeconfig: api.kubeconfigPath }), { HOME: tempHome() });
  decorated = await cluster.replace(dc);
  await cluster.create({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'registry-storage', namespace: 'default' }, spec: { accessModes: ['ReadWriteMany'], resources: { requests: { storage: '10Gi' } } } });
});
after(() => api.close());

const deploy = (args: string[]) => run(['--kubeconfig', api.kubeconfigPath, 'deploy', ...args], { env: { HOME: tempHome() } });
const spec = (o: KubeObject) => structuredClone((o as any).spec);

for (const [flag, expected, set] of [
  ['--pvc=registry-storage', /storage emptyDir → persistentVolumeClaim registry-storage/, (s: any) => (s.template.spec.volumes.find((v: any) => v.name === 'registry-storage')!.emptyDir = undefined, Object.assign(s.template.spec.volumes.find((v: any) => v.name === 'registry-storage'), { persistentVolumeClaim: { claimName: 'registry-storage' } }))],
  ['--nfs=nfs.example.com:/exports/registry', /storage emptyDir → nfs nfs\.example\.com:\/exports\/registry/, (s: any) => Object.assign(s.template.spec.volumes.find((v: any) => v.name === 'registry-storage'), { emptyDir: undefined, nfs: { server: 'nfs.example.com', path: '/exports/registry' } })],
  ['--requests=cpu=200m,memory=512Mi', /requests \{cpu:100m,memory:256Mi\} → \{cpu:200m,memory:512Mi\}/, (s: any) => (s.template.spec.containers[0].resources.requests = { cpu: '200m', memory: '512Mi' })],
  ['--limits=memory=1Gi', /limits \(none\) → \{memory:1Gi\}/, (s: any) => (s.template.spec.containers[0].resources.limits = { memory: '1Gi' })],
  ['--selector=region=infra', /nodeSelector \(none\) → \{region:infra\}/, (s: any) => (s.template.spec.nodeSelector = { region: 'infra' })],
  ['--replicas=2', /replicas 1 → 2/, (s: any) => (s.replicas = 2)],
  ['--images=registry.example.com/ose-${component}:${version}', /image openshift\/origin-docker-registry:v3\.11\.0 → registry\.example\.com\/ose-docker-registry:v3\.11\.0/, (s: any) => (s.template.spec.containers[0].image = 'registry.example.com/ose-docker-registry:v3.11.0')],
] as [string, RegExp, (s: any) => void][]) {
  test(`${flag} on a running registry changes that field alone; TLS, the config override and the rest stay as they were`, async () => {
    api.putObject(decorated);
    const live = api.getObject(...DC) as KubeObject;
    api.clearRequests();
    const r = await deploy([flag, '--yes']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'deploymentconfig.apps.openshift.io/docker-registry configured\n');
    const writes = api.requests.filter((q) => q.method !== 'GET');
    assert.deepEqual(writes.map((q) => q.method), ['PUT'], 'one conditional replace of the workload, nothing else');
    assert.equal((writes[0]!.body as any).metadata.resourceVersion, live.metadata.resourceVersion);
    const want = spec(live);
    set(want);
    assert.deepEqual(spec(api.getObject(...DC) as KubeObject), JSON.parse(JSON.stringify(want)));
    assert.match(r.stderr, /backups of what changed: /);
    // The same flag again: nothing differs, nothing is written.
    api.clearRequests();
    const again = await deploy([flag]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, 'Docker registry "docker-registry" service exists\n');
    assert.deepEqual(api.requests.filter((q) => q.method !== 'GET'), []);
  });
}

test('flags left at their defaults are not choices: a bare deploy on a running registry changes nothing', async () => {
  api.putObject({ ...decorated, spec: { ...(decorated as any).spec, replicas: 3 } });
  api.clearRequests();
  const r = await deploy([]);
  assert.equal(r.stdout, 'Docker registry "docker-registry" service exists\n');
  assert.equal(r.stderr, '', 'no warning about storage the run does not touch');
  assert.deepEqual(api.requests.filter((q) => q.method !== 'GET'), []);
});

test('-o json prints the workload as the change leaves it; --dry-run shows only the changed field in the diff; --dry-run=server says configured', async () => {
  api.putObject(decorated);
  api.clearRequests();
  const o = await deploy(['--replicas=2', '-o', 'json']);
  assert.equal(o.code, 0, o.stderr);
  const items = JSON.parse(o.stdout).items;
  assert.deepEqual(items.map((i: any) => i.kind), ['DeploymentConfig']);
  assert.equal(items[0].spec.replicas, 2);
  assert.deepEqual(items[0].spec.template, (decorated as any).spec.template);
  const d = await deploy(['--replicas=2', '--dry-run']);
  assert.equal(d.code, 0, d.stderr);
  assert.match(d.stdout, /^1\. change deploymentconfig\.apps\.openshift\.io\/docker-registry in default: replicas 1 → 2$/m);
  assert.deepEqual(d.stdout.split('\n').filter((l) => /^\s+[-+] /.test(l)), ['   -  replicas: 1', '   +  replicas: 2']);
  const s = await deploy(['--replicas=2', '--dry-run=server']);
  assert.equal(s.stdout, 'deploymentconfig.apps.openshift.io/docker-registry configured (server dry run)\n');
  assert.deepEqual(api.requests.filter((q) => q.method !== 'GET' && q.query.dryRun !== 'All'), []);
  assert.equal((api.getObject(...DC) as any).spec.replicas, 1);
});

test('a change asks first: without a terminal and --yes it is refused in one line; "no" on a terminal changes nothing', async () => {
  api.putObject(decorated);
  api.clearRequests();
  const r = await deploy(['--replicas=2']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'error: Change the running registry in default (replicas 1 → 2), replacing its pods: --yes is required when not running interactively\n');
  const no = await run(['--kubeconfig', api.kubeconfigPath, 'deploy', '--replicas=2'], { env: { HOME: tempHome() }, tty: true, answers: [false] });
  assert.equal(no.code, 1);
  assert.match(no.stderr, /cancelled: nothing was changed/);
  assert.deepEqual(api.requests.filter((q) => q.method !== 'GET'), []);
});

test('moving off emptyDir warns that the images there are not copied', async () => {
  api.putObject(decorated);
  const r = await deploy(['--pvc=registry-storage', '--dry-run']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /warning: the images stored in the emptyDir volume are not copied to persistentVolumeClaim registry-storage/);
});

test('--pvc naming a claim that does not exist: refused on a running registry, created with --claim-size (ReadWriteMany for two replicas)', async () => {
  api.putObject(decorated);
  api.clearRequests();
  const refused = await deploy(['--pvc=missing', '--yes']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /^error: --pvc=missing: claim "missing" does not exist in default, and the running registry would lose its storage$/m);
  assert.match(refused.stderr, /^hint: create the claim first, or pass --claim-size/m);
  assert.deepEqual(api.requests.filter((q) => q.method !== 'GET'), []);
  const r = await deploy(['--pvc=new-claim', '--claim-size=20Gi', '--replicas=2', '--yes']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'persistentvolumeclaim/new-claim created\ndeploymentconfig.apps.openshift.io/docker-registry configured\n');
  const pvc = api.getObject('v1', 'PersistentVolumeClaim', 'new-claim', 'default') as any;
  assert.deepEqual(pvc.spec.accessModes, ['ReadWriteMany']);
  assert.equal(pvc.spec.resources.requests.storage, '20Gi');
  assert.equal((api.getObject(...DC) as any).spec.replicas, 2);
  // --claim-size without a claim name, or on a claim that exists.
  const bad = await deploy(['--claim-size=20Gi']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^error: --claim-size needs --pvc=NAME/m);
});

// --- on the fake cluster: refusals, the SCC, faults and concurrent writers ---------------------

const SCC = { apiVersion: 'security.openshift.io/v1', kind: 'SecurityContextConstraints', metadata: { name: 'privileged' }, users: ['system:admin'] } as KubeObject;
const strip = (o: KubeObject) => JSON.stringify(withoutServerFields(o));

test('--mount-host on a running registry: the privileged SCC is granted first, the container becomes privileged, one question for both', async () => {
  const fc = new FakeCluster({ platform: 'openshift3', objects: [SCC, decorated, api.getObject('v1', 'Service', 'docker-registry', 'default')!, api.getObject('v1', 'ServiceAccount', 'registry', 'default')!, api.getObject('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'registry-registry-role')!] });
  const ask = await run(['deploy', '--mount-host=/data'], { cluster: fc, tty: true, answers: [true] });
  assert.equal(ask.code, 0, ask.stderr);
  assert.deepEqual(ask.asked, ['Change the running registry in default (storage emptyDir → hostPath /data; add system:serviceaccount:default:registry to the privileged SCC), replacing its pods?']);
  assert.deepEqual(fc.writes(), ['patch securitycontextconstraints/privileged', 'replace deploymentconfig/docker-registry']);
  const dc = fc.object<any>(...DC)!;
  assert.deepEqual(dc.spec.template.spec.containers[0].securityContext, { privileged: true });
  assert.match(ask.stderr, /sudo chown 1001:root \/data/);
});

test('a failure at either write leaves the SCC and the workload as they were; a concurrent change to the workload is a conflict, kept', async () => {
  const objects = [SCC, decorated, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'docker-registry', namespace: 'default' }, spec: { clusterIP: '172.30.0.5' } } as KubeObject];
  for (const n of [1, 2]) {
    const fc = new FakeCluster({ platform: 'openshift3', objects });
    const beforeRun = fc.objects().map(strip).sort();
    fc.failWrite(n);
    const r = await run(['deploy', '--mount-host=/data', '--yes'], { cluster: fc, env: { HOME: tempHome() } });
    assert.equal(r.code, 1);
    assert.deepEqual(fc.objects().map(strip).sort(), beforeRun, `write ${n}`);
  }
  const fc = new FakeCluster({ platform: 'openshift3', objects });
  fc.beforeWrite = (req) => {
    if (req.verb !== 'replace') return;
    const dc = fc.object<any>(...DC)!;
    dc.spec.template.spec.containers[0].env.push({ name: 'SET_BY', value: 'someone else' });
    fc.put(dc);
  };
  const r = await run(['deploy', '--replicas=3', '--yes'], { cluster: fc, env: { HOME: tempHome() } });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /deploymentconfig\.apps\.openshift\.io\/docker-registry was changed by someone else after regctl read it/);
  const dc = fc.object<any>(...DC)!;
  assert.equal(dc.spec.replicas, 1);
  assert.ok(dc.spec.template.spec.containers[0].env.some((e: any) => e.name === 'SET_BY'));
});

test('previews of a change (-o yaml, --dry-run, --dry-run=server) write nothing and leave HOME and the working directory as they were', async () => {
  const objects = [decorated, api.getObject('v1', 'Service', 'docker-registry', 'default')!, api.getObject('v1', 'PersistentVolumeClaim', 'registry-storage', 'default')!];
  await assertPreviewsWriteNothing((flags) => ['deploy', '--replicas=2', '--pvc=registry-storage', ...flags], () => new FakeCluster({ platform: 'openshift3', objects }));
});

test('--replicas on a DaemonSet registry is refused with what to change instead', async () => {
  const ds = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'docker-registry', namespace: 'default' }, spec: { template: { spec: { containers: [{ name: 'registry', image: 'x' }] } } } } as KubeObject;
  const fc = new FakeCluster({ platform: 'openshift3', objects: [ds], readOnly: true });
  const r = await run(['deploy', '--replicas=2'], { cluster: fc });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error: --replicas: the registry is daemonset\.apps\/docker-registry, which runs one pod per selected node \(change --selector instead\)$/m);
});

test('Kubernetes: --pvc on a running Deployment swaps the volume and switches to Recreate (one claim, one pod at a time); a DeploymentConfig without ConfigChange trigger is named', async () => {
  const k8s = new FakeCluster({ platform: 'kubernetes', objects: [] });
  assert.equal((await run(['deploy'], { cluster: k8s })).code, 0);
  k8s.put({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'] } } as KubeObject);
  const before = k8s.object<any>('apps/v1', 'Deployment', 'docker-registry', 'default')!;
  assert.equal(before.spec.strategy, undefined);
  const r = await run(['deploy', '--pvc=data', '--yes'], { cluster: k8s, env: { HOME: tempHome() } });
  assert.equal(r.code, 0, r.stderr);
  const d = k8s.object<any>('apps/v1', 'Deployment', 'docker-registry', 'default')!;
  assert.deepEqual(d.spec.strategy, { type: 'Recreate' });
  assert.deepEqual(d.spec.template.spec.volumes.find((v: any) => v.name === 'registry-storage'), { name: 'registry-storage', persistentVolumeClaim: { claimName: 'data' } });
  assert.deepEqual({ ...d.spec.template, spec: { ...d.spec.template.spec, volumes: [] } }, { ...before.spec.template, spec: { ...before.spec.template.spec, volumes: [] } });

  const manual = { ...structuredClone(decorated), spec: { ...(decorated as any).spec, triggers: [] } } as KubeObject;
  const os3 = new FakeCluster({ platform: 'openshift3', objects: [manual, api.getObject('v1', 'Service', 'docker-registry', 'default')!], readOnly: true });
  const d3 = await run(['deploy', '--replicas=2', '--dry-run'], { cluster: os3 });
  assert.match(d3.stderr, /warning: deploymentconfig\.apps\.openshift\.io\/docker-registry has no ConfigChange trigger, so the change is not rolled out by itself: run oc rollout latest dc\/docker-registry -n default/);
});
