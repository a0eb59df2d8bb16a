// deploy through the one runner (issue 11): -o prints what the real run creates or changes, on
// the cluster the kubeconfig names; previews write nothing anywhere; --dry-run=server says
// "configured" exactly when the real run changes something; a fault at any write is undone and
// reported as such; a change made by someone else between read and write is a conflict, never
// overwritten; leftovers of `oc delete all -l docker-registry=default` are adopted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type TestApiServer } from '../apiserver/index.js';
import { FakeCluster } from '../support/fake-cluster.js';
import { snapshot } from '../support/pki.js';
import { withoutServerFields } from '../support/snapshot.js';
import { run, tempHome } from '../support/world.js';
import type { KubeObject } from '../../src/plan/types.js';

type Profile = 'openshift3' | 'openshift4' | 'kubernetes';

const SCC: KubeObject = { apiVersion: 'security.openshift.io/v1', kind: 'SecurityContextConstraints', metadata: { name: 'privileged' }, users: ['system:admin'] } as KubeObject;
const OS4_CONFIG: KubeObject = {
  apiVersion: 'imageregistry.operator.openshift.io/v1',
  kind: 'Config',
  metadata: { name: 'cluster', generation: 1 },
  spec: { managementState: 'Removed', replicas: 1, httpSecret: 'abc', storage: {} },
  status: { observedGeneration: 1 },
};

/** Every field of `want` is in `got` with the same value (the server may add defaults). */
function assertSubset(want: unknown, got: unknown, path = ''): void {
  if (want !== null && typeof want === 'object') {
    assert.ok(got !== null && typeof got === 'object', `${path}: expected an object, the server has ${JSON.stringify(got)}`);
    if (Array.isArray(want)) {
      assert.ok(Array.isArray(got) && got.length === want.length, `${path}: expected ${want.length} items, the server has ${JSON.stringify(got)}`);
      want.forEach((w, i) => assertSubset(w, (got as unknown[])[i], `${path}[${i}]`));
      return;
    }
    for (const [k, v] of Object.entries(want)) assertSubset(v, (got as Record<string, unknown>)[k], `${path}.${k}`);
    return;
  }
  assert.deepEqual(got, want, path);
}

const writesOf = (api: TestApiServer) => api.requests.filter((r) => !['GET', 'HEAD'].includes(r.method) && r.query.dryRun !== 'All');
const kubectl = (api: TestApiServer, args: string[], home: string) => run(['--kubeconfig', api.kubeconfigPath, 'deploy', ...args], { env: { HOME: home } });

async function renderedEqualsApplied(profile: Profile, args: string[], seed: (api: TestApiServer) => void = () => {}): Promise<void> {
  const [a, b] = [await startApiServer({ profile }), await startApiServer({ profile })];
  try {
    seed(a);
    seed(b);
    a.clearRequests();
    const rendered = await kubectl(a, [...args, '-o', 'json'], tempHome());
    assert.equal(rendered.code, 0, rendered.stderr);
    assert.deepEqual(writesOf(a), [], '-o json writes nothing');
    const items = JSON.parse(rendered.stdout).items as KubeObject[];
    assert.ok(items.length > 0);

    b.clearRequests();
    const applied = await kubectl(b, [...args, '--yes'], tempHome());
    assert.equal(applied.code, 0, applied.stderr);
    // The same objects, in the same order, as the run created or changed them.
    const written = writesOf(b).map((r) => r.path.split('?')[0]!);
    assert.equal(written.length, items.length, `${items.map((i) => i.kind).join(', ')} printed; the run wrote ${written.join(', ')}`);
    for (const item of items) {
      const onServer = b.getObject(item.apiVersion, item.kind, item.metadata.name, item.metadata.namespace) as KubeObject;
      assert.ok(onServer, `${item.kind}/${item.metadata.name} printed but not on the server`);
      assertSubset(withoutServerFields(item), onServer, `${item.kind}/${item.metadata.name}`);
    }
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

test('-o json against a fresh OpenShift 3 server prints exactly what deploy then creates on an identical one', async () => {
  await renderedEqualsApplied('openshift3', ['--replicas=2', '--pvc=registry-storage', '--selector=region=infra']);
});

test('-o json on OpenShift 3 with --mount-host includes the privileged SCC as it will be', async () => {
  await renderedEqualsApplied('openshift3', ['--mount-host=/data']);
});

test('-o json after `oc delete all` (service account and binding left) prints only the missing objects, which is what deploy creates', async () => {
  await renderedEqualsApplied('openshift3', [], (api) => {
    api.putObject({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'registry', namespace: 'default' } });
    api.putObject({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'registry-registry-role' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:registry' },
      subjects: [{ kind: 'ServiceAccount', name: 'registry', namespace: 'default' }],
    });
  });
});

test('-o json against Kubernetes prints the upstream registry Deployment deploy creates there', async () => {
  await renderedEqualsApplied('kubernetes', ['--pvc=registry']);
});

test('-o json against OpenShift 4 prints the claim and the Config as deploy leaves them', async () => {
  await renderedEqualsApplied('openshift4', ['--pvc=registry-storage', '--replicas=2', '--log-level=Debug']);
});

test('-o yaml renders for the cluster the kubeconfig names: Kubernetes gets a Deployment, not a DeploymentConfig', async () => {
  const api = await startApiServer({ profile: 'kubernetes' });
  try {
    const r = await kubectl(api, ['-o', 'yaml'], tempHome());
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ {2}kind: Deployment$/m);
    assert.doesNotMatch(r.stdout, /DeploymentConfig|ClusterRoleBinding/);
  } finally {
    await api.close();
  }
});

test('--platform renders offline: nothing is contacted even with a reachable kubeconfig', async () => {
  const api = await startApiServer({ profile: 'openshift4' });
  try {
    api.clearRequests();
    const r = await kubectl(api, ['--platform=kubernetes', '-o', 'yaml'], tempHome());
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /kind: Deployment/);
    assert.deepEqual(api.requests, []);
  } finally {
    await api.close();
  }
});

test('a kubeconfig whose server is gone is an error with the --platform hint, never a silent offline render', async () => {
  const api = await startApiServer({ profile: 'openshift3' });
  const home = tempHome();
  const kc = join(home, 'kubeconfig');
  writeFileSync(kc, readFileSync(api.kubeconfigPath));
  await api.close();
  const r = await run(['--kubeconfig', kc, 'deploy', '-o', 'yaml'], { env: { HOME: home } });
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^error: cannot connect to https:\/\/127\.0\.0\.1:\d+ .*connection refused$/m);
  assert.match(r.stderr, /^hint: .*to render without a cluster, name the platform: --platform openshift3, openshift4 or kubernetes$/m);
});

// --- previews write nothing, anywhere ----------------------------------------------------------


for (const [name, platform, objects, args] of [
  ['OpenShift 3, fresh, --mount-host', 'openshift3', [SCC], ['--mount-host=/data']],
  ['OpenShift 3, after oc delete all', 'openshift3', [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'registry' } }], []],
  ['Kubernetes', 'kubernetes', [], ['--pvc=registry']],
  ['OpenShift 4', 'openshift4', [OS4_CONFIG], ['--pvc=registry-storage']],
] as [string, Profile, KubeObject[], string[]][]) {
  test(`-o yaml, -o json, --dry-run and --dry-run=server send no write and leave HOME and the working directory as they were (${name})`, async () => {
    const home = tempHome();
    const cwd = snapshot(process.cwd());
    const before = snapshot(home);
    for (const preview of [['-o', 'yaml'], ['-o', 'json'], ['--dry-run'], ['--dry-run=server']]) {
      const fc = new FakeCluster({ platform, objects, readOnly: true });
      const r = await run(['deploy', ...args, ...preview], { cluster: fc, env: { HOME: home } });
      assert.ok(r.code === 0 || (preview[0] === '--dry-run' && r.code === 1), `${preview.join(' ')}: ${r.stderr}`);
      const real = fc.requests.filter((q) => !['get', 'list', 'info', 'logs'].includes(q.verb) && !q.dryRun);
      assert.deepEqual(real, [], `${preview.join(' ')} wrote`);
    }
    assert.deepEqual(snapshot(home), before);
    assert.deepEqual(snapshot(process.cwd()), cwd);
  });
}

// --- --dry-run=server judges by content --------------------------------------------------------

test('--dry-run=server says configured exactly when the real run changes the object (4.x Config; 3.x binding)', async () => {
  const fc = new FakeCluster({ platform: 'openshift4', objects: [OS4_CONFIG] });
  let r = await run(['deploy', '--empty-dir', '--dry-run=server'], { cluster: fc });
  assert.equal(r.stdout, 'config.imageregistry.operator.openshift.io/cluster configured (server dry run)\n');
  assert.equal((fc.object('imageregistry.operator.openshift.io/v1', 'Config', 'cluster')!.spec as any).managementState, 'Removed');
  r = await run(['deploy', '--empty-dir'], { cluster: fc });
  assert.equal(r.stdout, 'config.imageregistry.operator.openshift.io/cluster configured\n');
  r = await run(['deploy', '--empty-dir', '--dry-run=server'], { cluster: fc });
  assert.equal(r.stdout, 'config.imageregistry.operator.openshift.io/cluster unchanged\n');
  assert.deepEqual(fc.writes().filter((w) => !w.endsWith('(dry run)')), ['patch config/cluster'], 'one real write, by the real run');

  // A binding left with another subject: deploy owns its subjects, so it is updated (and says so).
  const crb = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'registry-registry-role' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:registry' }, subjects: [{ kind: 'ServiceAccount', name: 'registry', namespace: 'old' }] } as KubeObject;
  const os3 = new FakeCluster({ platform: 'openshift3', objects: [crb] });
  r = await run(['deploy', '--dry-run=server'], { cluster: os3 });
  assert.match(r.stdout, /^clusterrolebinding\.rbac\.authorization\.k8s\.io\/registry-registry-role configured \(server dry run\)$/m);
  r = await run(['deploy'], { cluster: os3 });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^clusterrolebinding\.rbac\.authorization\.k8s\.io\/registry-registry-role configured$/m);
  assert.deepEqual((os3.object('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'registry-registry-role') as any).subjects, [
    { kind: 'ServiceAccount', name: 'registry', namespace: 'old' },
    { kind: 'ServiceAccount', name: 'registry', namespace: 'default' },
  ]);
});

// --- faults and concurrent writers --------------------------------------------------------------

const clusterState = (fc: FakeCluster) => fc.objects().map((o) => JSON.stringify(withoutServerFields(o))).sort();

for (const [name, platform, objects, args, writes] of [
  ['OpenShift 3 with --mount-host', 'openshift3', [SCC], ['--mount-host=/data', '--yes'], 5],
  ['OpenShift 4 with a new claim', 'openshift4', [OS4_CONFIG], ['--pvc=registry-storage', '--claim-size=10Gi'], 2],
  ['OpenShift 4 with S3 credentials', 'openshift4', [OS4_CONFIG], ['--s3=bucket', '--credentials', 'accesskey=a', '--credentials', 'secretkey=b'], 2],
] as [string, Profile, KubeObject[], string[], number][]) {
  test(`a failure at each write leaves the cluster as it was, and the report says so (${name})`, async () => {
    const probe = new FakeCluster({ platform, objects });
    assert.equal((await run(['deploy', ...args], { cluster: probe })).code, 0);
    assert.equal(probe.writes().length, writes);
    for (let n = 1; n <= writes; n++) {
      const fc = new FakeCluster({ platform, objects });
      const before = clusterState(fc);
      fc.failWrite(n);
      const r = await run(['deploy', ...args], { cluster: fc });
      assert.equal(r.code, 1, `write ${n}: ${r.stderr}`);
      assert.match(r.stderr, /^error: Internal error occurred: injected/m);
      assert.deepEqual(clusterState(fc), before, `write ${n} failed: the cluster is not as it was`);
      if (n === 1) assert.doesNotMatch(r.stderr, /undone|undo/, 'nothing was done, nothing is said to be undone');
      else {
        assert.match(r.stderr, new RegExp(`undid the ${n - 1} change\\(s\\) this run had made`));
        assert.match(r.stderr, /the cluster and the files are as they were before this run/);
      }
    }
  });
}

test('a change to the Config between read and write is reported as a conflict and kept (4.x)', async () => {
  const fc = new FakeCluster({ platform: 'openshift4', objects: [OS4_CONFIG] });
  fc.beforeWrite = (req) => {
    if (req.verb !== 'patch') return;
    const c = fc.object('imageregistry.operator.openshift.io/v1', 'Config', 'cluster')!;
    fc.put({ ...c, spec: { ...(c.spec as object), logLevel: 'TraceAll' } });
  };
  const r = await run(['deploy', '--empty-dir'], { cluster: fc });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error: config\.imageregistry\.operator\.openshift\.io\/cluster was changed by someone else after regctl read it; regctl did not overwrite that change/m);
  assert.match(r.stderr, /^hint: run the command again: it plans against the current state$/m);
  const spec = fc.object('imageregistry.operator.openshift.io/v1', 'Config', 'cluster')!.spec as any;
  assert.equal(spec.logLevel, 'TraceAll', 'the other change stays');
  assert.equal(spec.managementState, 'Removed', 'and regctl changed nothing');
});

test('a user added to the privileged SCC between read and write is not lost: the grant is a conflict, the run is undone (3.x)', async () => {
  const fc = new FakeCluster({ platform: 'openshift3', objects: [SCC] });
  fc.beforeWrite = (req) => {
    if (req.verb !== 'patch') return;
    const scc = fc.object('security.openshift.io/v1', 'SecurityContextConstraints', 'privileged') as any;
    fc.put({ ...scc, users: [...scc.users, 'alice'] });
  };
  const r = await run(['deploy', '--mount-host=/data', '--yes'], { cluster: fc });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /securitycontextconstraints\.security\.openshift\.io\/privileged was changed by someone else after regctl read it/);
  assert.deepEqual((fc.object('security.openshift.io/v1', 'SecurityContextConstraints', 'privileged') as any).users, ['system:admin', 'alice']);
  assert.equal(fc.object('v1', 'ServiceAccount', 'registry', 'default'), undefined, 'the service account created before is undone');
});

// --- adopting leftovers -------------------------------------------------------------------------

test('after `oc delete all -l docker-registry=default` deploy creates only the workload and service; the matching leftovers stay untouched', async () => {
  const api = await startApiServer({ profile: 'openshift3' });
  try {
    const home = mkdtempSync(join(tmpdir(), 'regctl-home-'));
    assert.equal((await kubectl(api, [], home)).code, 0);
    const sa = api.getObject('v1', 'ServiceAccount', 'registry', 'default') as KubeObject;
    const crb = api.getObject('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'registry-registry-role') as KubeObject;
    // What `oc delete all` removes (service, DeploymentConfig; pods and RCs go with it).
    api.deleteObject('apps.openshift.io/v1', 'DeploymentConfig', 'docker-registry', 'default');
    api.deleteObject('v1', 'Service', 'docker-registry', 'default');
    api.clearRequests();
    const r = await kubectl(api, [], home);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'deploymentconfig.apps.openshift.io/docker-registry created\nservice/docker-registry created\n');
    assert.match(r.stderr, /serviceaccount\/registry already exists as deploy would create it: kept/);
    assert.match(r.stderr, /clusterrolebinding\.rbac\.authorization\.k8s\.io\/registry-registry-role already exists as deploy would create it: kept/);
    assert.deepEqual(writesOf(api).map((q) => `${q.method} ${q.path}`), [
      'POST /apis/apps.openshift.io/v1/namespaces/default/deploymentconfigs',
      'POST /api/v1/namespaces/default/services',
    ]);
    assert.equal((api.getObject('v1', 'ServiceAccount', 'registry', 'default') as KubeObject).metadata.resourceVersion, sa.metadata.resourceVersion);
    assert.equal((api.getObject('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'registry-registry-role') as KubeObject).metadata.resourceVersion, crb.metadata.resourceVersion);
  } finally {
    await api.close();
  }
});

test('a binding of the same name to another role is refused with the command that fixes it, before any write', async () => {
  const crb = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'registry-registry-role' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [] } as KubeObject;
  const fc = new FakeCluster({ platform: 'openshift3', objects: [crb], readOnly: true });
  const r = await run(['deploy'], { cluster: fc });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error: clusterrolebinding\.rbac\.authorization\.k8s\.io\/registry-registry-role exists and binds view, not system:registry/m);
  assert.match(r.stderr, /^hint: delete it and run deploy again: oc delete clusterrolebinding\.rbac\.authorization\.k8s\.io\/registry-registry-role$/m);
});
