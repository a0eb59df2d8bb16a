// The one ending (src/plan/run.ts) and its executor, with plans built by hand against the fake
// cluster: what each mode prints, that previews write nothing anywhere, that updates are
// conditional, and that a failure at any write is undone truthfully.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../src/objects.js';
import { finish } from '../../src/plan/run.js';
import { emptyPlan, type Plan } from '../../src/plan/types.js';
import { createContext, type RawGlobals } from '../../src/runtime.js';
import { FakeCluster } from '../support/fake-cluster.js';
import { testWorld, type TestWorldOptions } from '../support/world.js';

const sa = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: 'default' }, ...extra });
const cm = (name: string, data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data });

async function finishWith(plan: Plan, globals: RawGlobals, opts: TestWorldOptions & { cluster: FakeCluster }) {
  const t = testWorld(opts);
  const ctx = createContext(t.world, { backupDir: join(t.world.env.HOME!, 'backups'), ...globals });
  let error: unknown;
  try {
    await finish(plan, ctx);
  } catch (e) {
    error = e;
  }
  return { ...t, stdout: t.io.stdout(), stderr: t.io.stderr(), error, home: t.world.env.HOME! };
}

/** A plan that creates one object, updates a ConfigMap and writes a file. */
function mixedPlan(cluster: FakeCluster, file: string): Plan {
  const live = cluster.object('v1', 'ConfigMap', 'settings', 'default')!;
  return {
    ...emptyPlan('test'),
    steps: [
      { kind: 'create', describe: 'create serviceaccount registry', object: sa('registry') },
      { kind: 'update', describe: 'update configmap settings', live, object: { ...cm('settings', { mode: 'new' }) } },
      { kind: 'writeFile', describe: `write ${file}`, path: file, content: 'new\n' },
    ],
    warnings: ['a warning the documents give'],
    notes: ['run this on every node'],
    done: 'all done',
  };
}

const seeded = (readOnly = false) => new FakeCluster({ objects: [cm('settings', { mode: 'old' })], readOnly });

test('-o yaml prints every object the run would create or change, as it will be, and writes nothing anywhere', async () => {
  const cluster = seeded(true);
  const dir = mkdtempSync(join(tmpdir(), 'regctl-files-'));
  const r = await finishWith(mixedPlan(cluster, join(dir, 'node.conf')), { output: 'yaml' }, { cluster });
  assert.equal(r.error, undefined);
  assert.match(r.stdout, /^apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: ServiceAccount/);
  assert.match(r.stdout, /mode: new/);
  assert.deepEqual(cluster.writes(), []);
  assert.deepEqual(readdirSync(dir), [], 'no file written');
  assert.equal(existsSync(join(r.home, 'backups')), false, 'no backup directory');
  assert.match(r.stderr, /^warning: a warning the documents give$/m);
});

test('--dry-run prints the numbered steps and a diff of each update on stdout, and writes nothing', async () => {
  const cluster = seeded(true);
  const dir = mkdtempSync(join(tmpdir(), 'regctl-files-'));
  const r = await finishWith(mixedPlan(cluster, join(dir, 'node.conf')), { dryRun: true }, { cluster });
  assert.equal(r.error, undefined);
  assert.match(r.stdout, /^1\. create serviceaccount registry\n2\. update configmap settings\n/);
  assert.match(r.stdout, /^ {3}-  mode: old$/m);
  assert.match(r.stdout, /^ {3}\+  mode: new$/m);
  assert.match(r.stdout, /^3\. write .*node\.conf$/m);
  assert.deepEqual(cluster.writes(), []);
  assert.deepEqual(readdirSync(dir), []);
});

test('--dry-run=server sends every write with dryRun=All and says configured only when the object would change', async () => {
  const cluster = seeded();
  const live = cluster.object('v1', 'ConfigMap', 'settings', 'default')!;
  const plan: Plan = {
    ...emptyPlan('test'),
    steps: [
      { kind: 'update', describe: 'same', live, object: cm('settings', { mode: 'old' }) },
      { kind: 'patch', describe: 'patch', live, patchType: 'merge', patch: { data: { mode: 'other' } } },
    ],
  };
  const r = await finishWith(plan, { dryRun: 'server' }, { cluster });
  assert.equal(r.error, undefined, String(r.error));
  assert.equal(r.stdout, 'configmap/settings unchanged (server dry run)\nconfigmap/settings configured (server dry run)\n');
  assert.deepEqual(cluster.writes(), ['replace configmap/settings (dry run)', 'patch configmap/settings (dry run)']);
  assert.deepEqual((cluster.object('v1', 'ConfigMap', 'settings') as any).data, { mode: 'old' });
});

test('applying reports each object, the files and the notes; -o name prints only the names', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'regctl-files-'));
  const cluster = seeded();
  const r = await finishWith(mixedPlan(cluster, join(dir, 'node.conf')), {}, { cluster });
  assert.equal(r.error, undefined, String(r.error));
  assert.equal(r.stdout, 'serviceaccount/registry created\nconfigmap/settings configured\n');
  assert.match(r.stderr, new RegExp(`^wrote ${join(dir, 'node.conf')}$`, 'm'));
  assert.match(r.stderr, /^ {4}run this on every node$/m);
  assert.match(r.stderr, /all done\n$/);
  assert.equal(readFileSync(join(dir, 'node.conf'), 'utf8'), 'new\n');

  const again = seeded();
  const n = await finishWith(mixedPlan(again, join(dir, 'other.conf')), { output: 'name' }, { cluster: again });
  assert.equal(n.stdout, 'serviceaccount/registry\nconfigmap/settings\n');
});

test('an update is conditional on the version it was planned from: a change made meanwhile is a conflict, not lost', async () => {
  const cluster = seeded();
  const plan = mixedPlan(cluster, join(mkdtempSync(join(tmpdir(), 'regctl-files-')), 'x'));
  // Someone else edits the ConfigMap after regctl read it, before regctl writes it.
  cluster.beforeWrite = (req) => {
    if (req.verb === 'replace') cluster.put(cm('settings', { mode: 'theirs' }));
  };
  const r = await finishWith(plan, {}, { cluster });
  assert.match(String((r.error as Error).message), /configmap\/settings was changed by someone else after regctl read it; regctl did not overwrite that change/);
  assert.deepEqual((cluster.object('v1', 'ConfigMap', 'settings') as any).data, { mode: 'theirs' }, 'their change is kept');
  assert.equal(cluster.object('v1', 'ServiceAccount', 'registry'), undefined, 'the service account this run created was deleted again');
  assert.match(r.stderr, /undone: serviceaccount\/registry deleted \(created by this run\)/);
});

test('a failure at each write leaves the cluster and the files as they were, and the report says exactly that', async () => {
  for (const n of [1, 2]) {
    const dir = mkdtempSync(join(tmpdir(), 'regctl-files-'));
    const file = join(dir, 'node.conf');
    writeFileSync(file, 'old\n');
    const cluster = seeded();
    const before = JSON.stringify(cluster.objects());
    cluster.failWrite(n);
    const plan = mixedPlan(cluster, file);
    // Put the file first, so every failure has something local to undo too.
    plan.steps.unshift(plan.steps.pop()!);
    const r = await finishWith(plan, {}, { cluster });
    assert.ok(r.error, `write ${n} failed`);
    assert.equal(readFileSync(file, 'utf8'), 'old\n', `write ${n}: the file is restored`);
    const after = cluster.objects().map((o) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } }));
    assert.deepEqual(after, JSON.parse(before).map((o: KubeObject) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } })), `write ${n}: the cluster is as it was`);
    assert.match(r.stderr, /the cluster and the files are as they were before this run/);
    assert.equal(r.stdout, '', 'nothing is reported created when it was undone');
  }
});

test('a file the failed run created is removed again, and the report says removed, not restored', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'regctl-files-'));
  const cluster = seeded();
  cluster.failWrite(2);
  const plan = mixedPlan(cluster, join(dir, 'new.conf'));
  plan.steps.unshift(plan.steps.pop()!);
  const r = await finishWith(plan, {}, { cluster });
  assert.ok(r.error);
  assert.deepEqual(readdirSync(dir), []);
  assert.match(r.stderr, /undone: .*new\.conf removed \(written by this run\)/);
  assert.doesNotMatch(r.stderr, /new\.conf restored/);
});

test('a confirmation: "no" cancels with exit 1 and changes nothing; without a terminal --yes is required, asked before any warning', async () => {
  const plan = (c: FakeCluster): Plan => ({ ...mixedPlan(c, join(mkdtempSync(join(tmpdir(), 'regctl-files-')), 'x')), confirm: 'Delete and re-create the registry?' });
  const no = seeded(true);
  const r = await finishWith(plan(no), {}, { cluster: no, tty: true, answers: [false] });
  assert.equal((r.error as { exitCode?: number }).exitCode, 1);
  assert.equal((r.error as Error).message, 'cancelled: nothing was changed');
  assert.deepEqual(r.asked, ['Delete and re-create the registry?']);

  const batch = seeded(true);
  const b = await finishWith(plan(batch), {}, { cluster: batch });
  assert.equal((b.error as { exitCode?: number }).exitCode, 2);
  assert.match((b.error as Error).message, /--yes is required when not running interactively/);
  assert.equal(b.stderr, '', 'refused before the warnings are printed');

  const ctrlC = seeded(true);
  const c = await finishWith(plan(ctrlC), {}, { cluster: ctrlC, tty: true, answers: ['interrupt'] });
  assert.equal((c.error as { exitCode?: number }).exitCode, 130);
});

test('a --backup-dir that is a regular file is refused before the first change', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'regctl-')), 'not-a-dir');
  writeFileSync(file, '');
  const cluster = seeded();
  const r = await finishWith(mixedPlan(cluster, join(tmpdir(), 'unused')), { backupDir: file }, { cluster });
  assert.match((r.error as Error).message, /^--backup-dir: ".*not-a-dir" is not a directory$/);
  assert.deepEqual(cluster.writes(), []);
});
