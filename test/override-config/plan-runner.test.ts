// `regctl override-config` through the one runner (issue 11), in-process against the fake
// cluster: -o prints what the run creates or changes; previews write nothing anywhere;
// --dry-run=server says configured exactly when the real run changes an object; a failure at
// any write, or a change by someone else, leaves the cluster as it was and says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeCluster } from '../support/fake-cluster.js';
import { assertPreviewsWriteNothing } from '../support/previews.js';
import { run } from '../support/world.js';
import { recreatable } from '../../src/plan/execute.js';
import type { KubeObject } from '../../src/plan/types.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/registry-config/', import.meta.url));
const FILE = join(FIXTURES, 'default.yml');

const DC = {
  apiVersion: 'apps.openshift.io/v1',
  kind: 'DeploymentConfig',
  metadata: { name: 'docker-registry', namespace: 'default', labels: { 'docker-registry': 'default' } },
  spec: {
    replicas: 1,
    triggers: [{ type: 'ConfigChange' }],
    selector: { 'docker-registry': 'default' },
    template: {
      metadata: { labels: { 'docker-registry': 'default' } },
      spec: { containers: [{ name: 'registry', image: 'openshift/origin-docker-registry:v3.11', env: [{ name: 'REGISTRY_HTTP_ADDR', value: ':5000' }] }] },
    },
  },
} as KubeObject;

const fresh = (opts: { readOnly?: boolean } = {}) => new FakeCluster({ platform: 'openshift3', objects: [DC], ...opts });
/** The cluster's objects by content (no server-set fields), for before/after comparisons. */
const contents = (c: FakeCluster) => c.objects().map((o) => JSON.stringify(recreatable(o))).sort();
const byName = (o: KubeObject) => `${o.kind}/${o.metadata.name}`;

test('-o json prints exactly the objects the real run creates or changes (same fresh cluster twice)', async () => {
  const rendered = await run(['override-config', FILE, '-o', 'json'], { cluster: fresh({ readOnly: true }) });
  assert.equal(rendered.code, 0, rendered.stderr);
  const items = (JSON.parse(rendered.stdout).items as KubeObject[]).map((o) => recreatable(o));
  assert.deepEqual(items.map(byName), ['ConfigMap/registry-config-previous', 'ConfigMap/registry-config', 'DeploymentConfig/docker-registry']);
  const applied = fresh();
  const r = await run(['override-config', FILE], { cluster: applied });
  assert.equal(r.code, 0, r.stderr);
  for (const item of items) assert.deepEqual(recreatable(applied.object(item.apiVersion, item.kind, item.metadata.name, 'default')!), { ...item, metadata: { ...item.metadata, namespace: 'default' } }, byName(item));
});

test('-o yaml, --dry-run and --dry-run=server send no write and leave HOME and the working directory as they were', async () => {
  await assertPreviewsWriteNothing((flags) => ['override-config', FILE, ...flags], () => fresh());
});

test('--dry-run=server says configured exactly when the real run changes the object', async () => {
  const setUp = async () => {
    const c = fresh();
    assert.equal((await run(['override-config', FILE], { cluster: c })).code, 0);
    return c;
  };
  for (const args of [[FILE], ['--set', 'pullthrough=true'], ['--set', 'projectcachettl=2m']]) {
    const dry = await run(['override-config', ...args, '--dry-run=server'], { cluster: await setUp() });
    assert.equal(dry.code, 0, dry.stderr);
    const applied = await setUp();
    const before = new Map(applied.objects().map((o) => [byName(o), o.metadata.resourceVersion]));
    const real = await run(['override-config', ...args], { cluster: applied });
    assert.equal(real.code, 0, real.stderr);
    const changed = applied.objects().filter((o) => before.get(byName(o)) !== o.metadata.resourceVersion).map((o) => `${o.kind.toLowerCase()}${o.apiVersion.includes('/') ? '.' + o.apiVersion.split('/')[0] : ''}/${o.metadata.name}`).sort();
    const configured = dry.stdout.split('\n').filter((l) => / (configured|created) \(server dry run\)$/.test(l)).map((l) => l.split(' ')[0]!).sort();
    assert.deepEqual(configured, changed, args.join(' '));
  }
});

for (const n of [1, 2, 3]) {
  test(`a failure injected at write ${n} of 3 leaves the cluster as it was, and the report says so`, async () => {
    const cluster = fresh();
    const before = contents(cluster);
    cluster.failWrite(n);
    const r = await run(['override-config', FILE], { cluster });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: Internal error occurred: injected$/m);
    assert.deepEqual(contents(cluster), before);
    if (n > 1) {
      assert.match(r.stderr, new RegExp(`undid the ${n - 1} change\\(s\\) this run had made`));
      assert.match(r.stderr, /the cluster and the files are as they were before this run/);
    } else assert.doesNotMatch(r.stderr, /undone/);
  });
}

test('a change to the DeploymentConfig by someone else between the read and the write is a conflict, not overwritten', async () => {
  const cluster = fresh();
  cluster.beforeWrite = (req) => {
    if (req.verb !== 'replace') return;
    const dc = cluster.object('apps.openshift.io/v1', 'DeploymentConfig', 'docker-registry', 'default') as any;
    dc.spec.template.spec.containers[0].env.push({ name: 'THEIRS', value: '1' });
    cluster.put(dc);
  };
  const r = await run(['override-config', FILE], { cluster });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /deploymentconfig\.apps\.openshift\.io\/docker-registry was changed by someone else after regctl read it; regctl did not overwrite that change/);
  const dc = cluster.object('apps.openshift.io/v1', 'DeploymentConfig', 'docker-registry', 'default') as any;
  assert.deepEqual(dc.spec.template.spec.containers[0].env.map((e: any) => e.name), ['REGISTRY_HTTP_ADDR', 'THEIRS']);
  assert.equal(cluster.object('v1', 'ConfigMap', 'registry-config', 'default'), undefined, 'the ConfigMaps made before are removed again');
});

test('-o name applies and prints the names of what it created or changed', async () => {
  const cluster = fresh();
  const r = await run(['override-config', FILE, '-o', 'name'], { cluster });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'configmap/registry-config-previous\nconfigmap/registry-config\ndeploymentconfig.apps.openshift.io/docker-registry\n');
  assert.notEqual(cluster.object('v1', 'ConfigMap', 'registry-config', 'default'), undefined);
});
