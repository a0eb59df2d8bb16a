// `regctl whitelist` through the one runner (issue 11), in-process against the fake cluster:
// what -o prints is what the run changes; previews write nothing anywhere; --dry-run=server
// judges by content; a failed or contested write leaves the Image as it was; --show is one
// round trip; -o name applies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeCluster } from '../support/fake-cluster.js';
import { assertPreviewsWriteNothing } from '../support/previews.js';
import { countingWaves } from '../support/waves.js';
import { run } from '../support/world.js';
import { recreatable } from '../../src/plan/execute.js';
import type { KubeObject } from '../../src/plan/types.js';

const IMAGE = { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: { registrySources: { insecureRegistries: ['insecure.com'] } }, status: { internalRegistryHostname: 'image-registry.openshift-image-registry.svc:5000' } } as KubeObject;
const fresh = (opts: { readOnly?: boolean } = {}) => new FakeCluster({ platform: 'openshift4', objects: [IMAGE], ...opts });
const image = (c: FakeCluster) => c.object('config.openshift.io/v1', 'Image', 'cluster')!;
const comparable = (o: KubeObject) => {
  const r = recreatable(o);
  delete r.metadata.namespace;
  return r;
};

test('-o json prints exactly the Image the real run leaves (same fresh cluster twice)', async () => {
  const args = ['whitelist', '--add', '--insecure', 'other.io', '--block', 'untrusted.com'];
  const rendered = await run([...args, '-o', 'json'], { cluster: fresh({ readOnly: true }) });
  assert.equal(rendered.code, 0, rendered.stderr);
  const list = JSON.parse(rendered.stdout);
  assert.equal(list.kind, 'List');
  const applied = fresh();
  const r = await run(args, { cluster: applied });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(list.items.map(comparable), [comparable(image(applied))]);
});

test('-o yaml, --dry-run and --dry-run=server send no write and leave HOME and the working directory as they were', async () => {
  await assertPreviewsWriteNothing((flags) => ['whitelist', '--block', 'untrusted.com', ...flags], () => fresh());
});

test('--dry-run=server says configured exactly when the real run changes the Image', async () => {
  for (const [args, changes] of [[['--block', 'untrusted.com'], true], [['--add', '--insecure', 'insecure.com', '--allow-import', 'quay.io'], true], [['--insecure', 'insecure.com', '--allow-import', ''], false]] as const) {
    const dry = await run(['whitelist', ...args, '--dry-run=server'], { cluster: fresh() });
    assert.equal(dry.code, 0, dry.stderr);
    const applied = fresh();
    const before = image(applied).metadata.resourceVersion;
    const real = await run(['whitelist', ...args], { cluster: applied });
    assert.equal(real.code, 0, real.stderr);
    const changed = image(applied).metadata.resourceVersion !== before;
    assert.equal(changed, changes, args.join(' '));
    if (changed) assert.equal(dry.stdout, 'image.config.openshift.io/cluster configured (server dry run)\n');
    else assert.doesNotMatch(dry.stdout, /configured/);
  }
});

test('a failure injected at the write leaves the Image as it was, and the report says nothing was changed', async () => {
  const cluster = fresh();
  cluster.failWrite(1);
  const r = await run(['whitelist', '--block', 'untrusted.com'], { cluster });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error: Internal error occurred: injected$/m);
  assert.doesNotMatch(r.stderr, /undone|could not be undone/);
  assert.deepEqual(image(cluster).spec, IMAGE.spec);
});

test('a change made by someone else between the read and the write is reported as a conflict, not overwritten', async () => {
  const cluster = fresh();
  cluster.beforeWrite = () => cluster.put({ ...image(cluster), spec: { registrySources: { insecureRegistries: ['theirs.io'] } } });
  const r = await run(['whitelist', '--add', '--insecure', 'mine.io'], { cluster });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /image\.config\.openshift\.io\/cluster was changed by someone else after regctl read it; regctl did not overwrite that change/);
  assert.deepEqual(image(cluster).spec, { registrySources: { insecureRegistries: ['theirs.io'] } });
});

test('-o name applies the change and prints the name', async () => {
  const cluster = fresh();
  const r = await run(['whitelist', '--block', 'untrusted.com', '-o', 'name'], { cluster });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'image.config.openshift.io/cluster\n');
  assert.deepEqual((image(cluster).spec as any).registrySources, { insecureRegistries: ['insecure.com'], blockedRegistries: ['untrusted.com'] });
});

test('--show reads discovery and the Image in one round trip', async () => {
  const { cluster, waves } = countingWaves(fresh({ readOnly: true }));
  const r = await run(['whitelist', '--show', '-o', 'json'], { cluster });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { registrySources: { insecureRegistries: ['insecure.com'] } });
  assert.deepEqual(waves(), [['info', 'get Image/cluster']]);
});

test('a change reads everything it needs in one round trip too (discovery, Image, ClusterVersion, the mirror rules, pools for --wait)', async () => {
  const { cluster, waves } = countingWaves(fresh({ readOnly: true }));
  const r = await run(['whitelist', '--block', 'untrusted.com', '--wait', '--dry-run'], { cluster });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(waves().length, 1, JSON.stringify(waves()));
  assert.deepEqual(waves()[0]!.sort(), ['get ClusterVersion/version', 'get Image/cluster', 'info', 'list ImageContentSourcePolicy', 'list ImageDigestMirrorSet', 'list ImageTagMirrorSet', 'list MachineConfigPool']);
});
