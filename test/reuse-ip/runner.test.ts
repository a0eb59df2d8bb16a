// reuse-ip through the one runner (issue 11): -o prints what the real run creates; previews write
// nothing anywhere; a fault at any write brings the old registry back and says so; a change to
// the Service or workload between read and delete is a conflict, never lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeCluster } from '../support/fake-cluster.js';
import { snapshot } from '../support/pki.js';
import { withoutServerFields } from '../support/snapshot.js';
import { run, tempHome } from '../support/world.js';
import type { KubeObject } from '../../src/plan/types.js';

const SVC: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'docker-registry', namespace: 'default', labels: { 'docker-registry': 'default' } },
  spec: { clusterIP: '172.30.0.9', ports: [{ name: '5000-tcp', port: 5000, targetPort: 5000 }], selector: { 'docker-registry': 'default' } },
};
const DC: KubeObject = {
  apiVersion: 'apps.openshift.io/v1',
  kind: 'DeploymentConfig',
  metadata: { name: 'docker-registry', namespace: 'default', labels: { 'docker-registry': 'default' } },
  spec: { replicas: 1, selector: { 'docker-registry': 'default' }, template: { spec: { containers: [{ name: 'registry', image: 'openshift/origin-docker-registry:v3.11.0' }] } } },
};
const SA: KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'registry', namespace: 'default' } };
const CRB: KubeObject = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: { name: 'registry-registry-role' },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:registry' },
  subjects: [{ kind: 'ServiceAccount', name: 'registry', namespace: 'default' }],
} as KubeObject;
const registry = () => [SVC, DC, SA, CRB];

const strip = (o: KubeObject) => JSON.stringify(withoutServerFields(o));
const clusterState = (fc: FakeCluster) => fc.objects().map(strip).sort();

test('-o json prints the workload and Service the real run creates, the Service with the kept address', async () => {
  const preview = new FakeCluster({ objects: registry(), readOnly: true });
  const r = await run(['reuse-ip', '--pvc=registry-storage', '-o', 'json'], { cluster: preview });
  assert.equal(r.code, 0, r.stderr);
  const items = JSON.parse(r.stdout).items as KubeObject[];
  const fc = new FakeCluster({ objects: registry() });
  const applied = await run(['reuse-ip', '--pvc=registry-storage', '--yes'], { cluster: fc });
  assert.equal(applied.code, 0, applied.stderr);
  const created = fc.requests.filter((q) => q.verb === 'create').map((q) => q.body as KubeObject);
  assert.deepEqual(items, created);
  assert.equal((fc.object('v1', 'Service', 'docker-registry', 'default')!.spec as any).clusterIP, '172.30.0.9');
});

test('-o yaml, -o json and --dry-run write nothing and leave HOME and the working directory as they were; --dry-run=server is refused', async () => {
  const home = tempHome();
  const cwd = snapshot(process.cwd());
  const before = snapshot(home);
  for (const preview of [['-o', 'yaml'], ['-o', 'json'], ['--dry-run']]) {
    const fc = new FakeCluster({ objects: registry(), readOnly: true });
    const r = await run(['reuse-ip', ...preview], { cluster: fc, env: { HOME: home } });
    assert.equal(r.code, 0, `${preview.join(' ')}: ${r.stderr}`);
  }
  const fc = new FakeCluster({ objects: registry(), readOnly: true });
  const server = await run(['reuse-ip', '--dry-run=server'], { cluster: fc, env: { HOME: home } });
  assert.equal(server.code, 2);
  assert.match(server.stderr, /^error: --dry-run=server: reuse-ip deletes objects and creates them again, which a server dry run cannot judge/m);
  assert.deepEqual(fc.requests, [], 'refused before the first request');
  assert.deepEqual(snapshot(home), before);
  assert.deepEqual(snapshot(process.cwd()), cwd);
});

test('a failure at each write (delete, delete, create, create) brings the registry back as it was, and the report says so', async () => {
  for (let n = 1; n <= 4; n++) {
    const fc = new FakeCluster({ objects: registry() });
    const before = clusterState(fc);
    fc.failWrite(n);
    const r = await run(['reuse-ip', '--yes'], { cluster: fc, env: { HOME: tempHome() } });
    assert.equal(r.code, 1, `write ${n}: ${r.stderr}`);
    assert.deepEqual(clusterState(fc), before, `write ${n} failed: the registry is not as it was`);
    if (n === 1) assert.doesNotMatch(r.stderr, /undone/);
    else {
      assert.match(r.stderr, new RegExp(`undid the ${n - 1} change\\(s\\) this run had made`));
      assert.match(r.stderr, /the cluster and the files are as they were before this run/);
    }
  }
});

test('a change to the Service between read and delete is a conflict: the change stays, the deleted workload comes back', async () => {
  const fc = new FakeCluster({ objects: registry() });
  fc.beforeWrite = (req) => {
    if (req.verb !== 'delete' || req.ref !== 'service/docker-registry') return;
    const svc = fc.object('v1', 'Service', 'docker-registry', 'default')!;
    fc.put({ ...svc, metadata: { ...svc.metadata, annotations: { 'someone/else': 'was here' } } });
  };
  const r = await run(['reuse-ip', '--yes'], { cluster: fc, env: { HOME: tempHome() } });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error: service\/docker-registry was changed by someone else after regctl read it; regctl did not overwrite that change/m);
  assert.match(r.stderr, /undone: deploymentconfig\.apps\.openshift\.io\/docker-registry created again/);
  assert.equal(fc.object('v1', 'Service', 'docker-registry', 'default')!.metadata.annotations?.['someone/else'], 'was here');
  assert.notEqual(fc.object('apps.openshift.io/v1', 'DeploymentConfig', 'docker-registry', 'default'), undefined);
});

test('-o name re-creates the registry and prints only kind/name lines', async () => {
  const fc = new FakeCluster({ objects: registry() });
  const r = await run(['reuse-ip', '--yes', '-o', 'name'], { cluster: fc, env: { HOME: tempHome() } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'deploymentconfig.apps.openshift.io/docker-registry\nservice/docker-registry\ndeploymentconfig.apps.openshift.io/docker-registry\nservice/docker-registry\n');
});
