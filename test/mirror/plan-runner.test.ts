// `regctl mirror` through the one runner (issue 11), in-process against the fake cluster: -o
// prints what the run creates or changes; previews write nothing anywhere; --dry-run=server
// judges by content; a failure at each write, or a change by someone else, leaves the policies
// as they were; the reads go out in one round trip; -o name applies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { FakeCluster } from '../support/fake-cluster.js';
import { assertPreviewsWriteNothing } from '../support/previews.js';
import { countingWaves } from '../support/waves.js';
import { run, tempHome } from '../support/world.js';
import { recreatable } from '../../src/plan/execute.js';
import type { KubeObject } from '../../src/plan/types.js';

const ICSP = 'operator.openshift.io/v1alpha1';
const policy = (name: string, sets: { source: string; mirrors: string[] }[]) => ({ apiVersion: ICSP, kind: 'ImageContentSourcePolicy', metadata: { name }, spec: { repositoryDigestMirrors: sets } }) as KubeObject;
const SEED = [policy('one', [{ source: 'quay.io/ocp', mirrors: ['m1.example.com/ocp'] }]), policy('two', [{ source: 'quay.io/ocp', mirrors: ['m1.example.com/ocp', 'm2.example.com/ocp'] }])];
const IMAGE = { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: {} } as KubeObject;
const fresh = (opts: { readOnly?: boolean } = {}) => new FakeCluster({ platform: 'openshift4', objects: [...SEED, IMAGE], ...opts });
const contents = (c: FakeCluster) => c.objects().map((o) => JSON.stringify(recreatable(o))).sort();
const ADD = ['mirror', '--name', 'two', '--mirror', 'quay.io/ocp=m3.example.com/ocp', '--mirror', 'registry.redhat.io=mirror.example.com'];
const REMOVE = ['mirror', '--remove', '--mirror', 'quay.io/ocp=m1.example.com/ocp'];

test('-o json prints exactly the policies the real run creates or changes (same fresh cluster twice)', async () => {
  for (const args of [ADD, ['mirror', '--mirror', 'docker.io/library=mirror.example.com/library']]) {
    const rendered = await run([...args, '-o', 'json'], { cluster: fresh({ readOnly: true }) });
    assert.equal(rendered.code, 0, rendered.stderr);
    const items = (JSON.parse(rendered.stdout).items as KubeObject[]).map(recreatable);
    assert.equal(items.length, 1);
    const applied = fresh();
    const r = await run(args, { cluster: applied });
    assert.equal(r.code, 0, r.stderr);
    // The fake cluster serves every kind: on it (as on 4.13+) new rules are ImageDigestMirrorSets.
    assert.deepEqual(recreatable(applied.object(items[0]!.apiVersion, items[0]!.kind, items[0]!.metadata.name)!), items[0]);
  }
});

test('-o yaml, --dry-run and --dry-run=server send no write and leave HOME and the working directory as they were', async () => {
  await assertPreviewsWriteNothing((flags) => [...REMOVE, ...flags], () => fresh());
});

test('--preview sends no write and leaves HOME and the working directory as they were', async () => {
  const home = tempHome();
  const cwd = readdirSync(process.cwd());
  const cluster = fresh({ readOnly: true });
  const before = contents(cluster);
  const r = await run([...REMOVE, '--preview'], { cluster, env: { HOME: home } });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(cluster.writes(), []);
  assert.deepEqual(readdirSync(home), []);
  assert.deepEqual(readdirSync(process.cwd()), cwd);
  assert.deepEqual(contents(cluster), before);
});

test('--dry-run=server says configured (or deleted) exactly for what the real run changes', async () => {
  for (const args of [ADD, REMOVE, ['mirror', '--name', 'one', '--mirror', 'quay.io/ocp=m1.example.com/ocp']]) {
    const dry = await run([...args, '--dry-run=server'], { cluster: fresh() });
    assert.equal(dry.code, 0, dry.stderr);
    const applied = fresh();
    const before = new Map(applied.objects().map((o) => [o.metadata.name, o.metadata.resourceVersion]));
    const real = await run(args, { cluster: applied });
    assert.equal(real.code, 0, real.stderr);
    const after = new Map(applied.objects().map((o) => [o.metadata.name, o.metadata.resourceVersion]));
    const changed = [...before.keys()].filter((n) => after.get(n) !== before.get(n)).sort();
    const reported = dry.stdout.split('\n').filter((l) => / (configured|deleted|created) \(server dry run\)$/.test(l)).map((l) => l.split(' ')[0]!.split('/')[1]!).sort();
    assert.deepEqual(reported, changed, args.join(' '));
  }
});

for (const n of [1, 2]) {
  test(`a failure injected at write ${n} of 2 (delete one, patch two) leaves the policies as they were, and says so`, async () => {
    const cluster = fresh();
    const before = contents(cluster);
    cluster.failWrite(n);
    const r = await run(REMOVE, { cluster });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: Internal error occurred: injected$/m);
    assert.deepEqual(contents(cluster), before);
    if (n === 2) assert.match(r.stderr, /undone: imagecontentsourcepolicy\.operator\.openshift\.io\/one created again/);
  });
}

test('a change by someone else between the read and the patch is a conflict, not overwritten', async () => {
  const cluster = fresh();
  cluster.beforeWrite = () => cluster.put(policy('two', [{ source: 'quay.io/ocp', mirrors: ['theirs.example.com/ocp'] }]));
  const r = await run(ADD, { cluster });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /imagecontentsourcepolicy\.operator\.openshift\.io\/two was changed by someone else after regctl read it; regctl did not overwrite that change/);
  assert.deepEqual((cluster.object(ICSP, 'ImageContentSourcePolicy', 'two') as any).spec.repositoryDigestMirrors, [{ source: 'quay.io/ocp', mirrors: ['theirs.example.com/ocp'] }]);
});

test('-o name applies and prints the names', async () => {
  const cluster = fresh();
  const r = await run([...REMOVE, '-o', 'name'], { cluster });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'imagecontentsourcepolicy.operator.openshift.io/one\nimagecontentsourcepolicy.operator.openshift.io/two\n');
  assert.equal(cluster.object(ICSP, 'ImageContentSourcePolicy', 'one'), undefined);
});

test('a change and a preview read everything in one round trip', async () => {
  for (const flags of [['--dry-run'], ['--preview'], ['--wait', '--dry-run']]) {
    const { cluster, waves } = countingWaves(fresh({ readOnly: true }));
    const r = await run([...ADD, ...flags], { cluster });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(waves().length, 1, `${flags.join(' ')}: ${JSON.stringify(waves())}`);
  }
});
