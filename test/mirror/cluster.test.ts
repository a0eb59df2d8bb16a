// `regctl mirror` (in-process) against the test API server (4.x profile at 4.12, where
// ImageContentSourcePolicy is the only kind; 4.13+ kinds are in mirror-sets.test.ts): the
// ImageContentSourcePolicy it creates, the merge patch that updates one, --remove (down to
// deleting an emptied policy, undone when a later step fails), renderings and dry runs that
// write nothing, the preview merged with the live Image, refusals on 3.x and Kubernetes, and
// --wait with the pools played back. The first test runs the built CLI (the spawned smoke test).
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import * as toml from 'smol-toml';
import { startApiServer, type TestApiServer } from '../apiserver/index.js';
import { regctl } from '../support/run.js';
import { run, type RunResult } from '../support/world.js';
import type { KubeObject } from '../../src/plan/types.js';
import { POOLS, machineConfigPools } from '../support/pools.js';

const ICSP = 'operator.openshift.io/v1alpha1';
const ICSP_PATH = '/apis/operator.openshift.io/v1alpha1/imagecontentsourcepolicies';
const NAMES = ['ubi8repo', 'quay.io-ocp', 'one', 'two'];

let api: TestApiServer;
let work: string;

before(async () => {
  api = await startApiServer({ profile: 'openshift4', openshiftVersion: '4.12.30' });
  work = mkdtempSync(join(tmpdir(), 'regctl-mirror-cluster-'));
});
after(async () => {
  await api.close();
  rmSync(work, { recursive: true, force: true });
});

beforeEach(() => {
  for (const n of NAMES) api.deleteObject(ICSP, 'ImageContentSourcePolicy', n);
  api.putObject({ apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: {}, status: { internalRegistryHostname: 'image-registry.openshift-image-registry.svc:5000' } } as KubeObject);
  api.clearRequests();
});

const mirror = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> =>
  run(['mirror', ...args, '--backup-dir', join(work, 'backups'), '--kubeconfig', api.kubeconfigPath], { env });

type Policy = KubeObject & { spec: { repositoryDigestMirrors: { source: string; mirrors: string[] }[] } };
const policy = (name: string) => api.getObject(ICSP, 'ImageContentSourcePolicy', name) as Policy | undefined;
const putPolicy = (name: string, sets: { source: string; mirrors: string[] }[]) => {
  api.putObject({ apiVersion: ICSP, kind: 'ImageContentSourcePolicy', metadata: { name }, spec: { repositoryDigestMirrors: sets } } as KubeObject);
  api.clearRequests();
};
const writes = () => api.requests.filter((r) => r.method !== 'GET');

describe('mirror on OpenShift 4: the ImageContentSourcePolicy objects', () => {
  test('--source with two --mirror creates the policy of seed 004 and warns that nodes roll (spawned)', async () => {
    const r = await regctl(['mirror', '--backup-dir', join(work, 'backups'), '--source', 'registry.access.redhat.com/ubi8/ubi-minimal', '--mirror', 'example.io/example/ubi-minimal', '--mirror', 'example.com/example/ubi-minimal', '--name', 'ubi8repo'], { env: { KUBECONFIG: api.kubeconfigPath } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'imagecontentsourcepolicy.operator.openshift.io/ubi8repo created\n');
    const [post] = writes();
    assert.equal(post?.method, 'POST');
    assert.equal(post?.path, ICSP_PATH);
    assert.deepEqual(policy('ubi8repo')?.spec, {
      repositoryDigestMirrors: [{ mirrors: ['example.io/example/ubi-minimal', 'example.com/example/ubi-minimal'], source: 'registry.access.redhat.com/ubi8/ubi-minimal' }],
    });
    assert.match(r.stderr, /each node is cordoned, drained, CRI-O is restarted/);
    assert.match(r.stderr, /oc get machineconfigpools -w/);
    // 4.12 has no ImageDigestMirrorSet (discovery says so): the policy is the current kind there.
    assert.doesNotMatch(r.stderr, /deprecated/);
  });

  test('without --name the policy is named after the first source, and a second run adds to it with a merge patch holding the resourceVersion read', async () => {
    let r = await mirror(['--mirror', 'quay.io/ocp=mirror1.example.com/ocp']);
    assert.equal(r.code, 0, r.stderr);
    const rv = policy('quay.io-ocp')!.metadata.resourceVersion;
    api.clearRequests();
    r = await mirror(['--mirror', 'quay.io/ocp=mirror2.example.com/ocp', '--mirror', 'registry.redhat.io=mirror.example.com']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'imagecontentsourcepolicy.operator.openshift.io/quay.io-ocp configured\n');
    const [patch] = writes();
    assert.equal(patch?.method, 'PATCH');
    assert.equal(patch?.contentType, 'application/merge-patch+json');
    assert.deepEqual(patch?.body, {
      metadata: { resourceVersion: rv },
      spec: { repositoryDigestMirrors: [{ mirrors: ['mirror1.example.com/ocp', 'mirror2.example.com/ocp'], source: 'quay.io/ocp' }, { mirrors: ['mirror.example.com'], source: 'registry.redhat.io' }] },
    });
    const dir = /backups of what changed: (\S+)/.exec(r.stderr)?.[1];
    assert.ok(dir, r.stderr);
    const [file] = readdirSync(dir);
    assert.deepEqual((load(readFileSync(join(dir, file!), 'utf8')) as Policy).spec.repositoryDigestMirrors, [{ mirrors: ['mirror1.example.com/ocp'], source: 'quay.io/ocp' }]);
  });

  test('the same groups again send nothing', async () => {
    putPolicy('quay.io-ocp', [{ source: 'quay.io/ocp', mirrors: ['m.example.com/ocp'] }]);
    const r = await mirror(['--mirror', 'quay.io/ocp=m.example.com/ocp']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /nothing to change/);
    assert.deepEqual(writes(), []);
  });

  test('--remove takes one mirror out of every policy holding it and deletes the policy left empty', async () => {
    putPolicy('one', [{ source: 'quay.io/ocp', mirrors: ['m1.example.com/ocp'] }]);
    putPolicy('two', [{ source: 'quay.io/ocp', mirrors: ['m1.example.com/ocp', 'm2.example.com/ocp'] }]);
    const r = await mirror(['--remove', '--mirror', 'quay.io/ocp=m1.example.com/ocp']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'imagecontentsourcepolicy.operator.openshift.io/one deleted\nimagecontentsourcepolicy.operator.openshift.io/two configured\n');
    assert.equal(policy('one'), undefined);
    assert.deepEqual(policy('two')?.spec.repositoryDigestMirrors, [{ mirrors: ['m2.example.com/ocp'], source: 'quay.io/ocp' }]);
  });

  test('when a later step fails, the policy deleted before it is created again', async () => {
    putPolicy('one', [{ source: 'quay.io/ocp', mirrors: ['m1.example.com/ocp'] }]);
    putPolicy('two', [{ source: 'quay.io/ocp', mirrors: ['m1.example.com/ocp', 'm2.example.com/ocp'] }]);
    api.inject({ method: 'PATCH', path: `${ICSP_PATH}/two`, status: 500, message: 'etcdserver: request timed out' });
    const r = await mirror(['--remove', '--source', 'quay.io/ocp', '--mirror', 'm1.example.com/ocp']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /request timed out/);
    assert.deepEqual(policy('one')?.spec.repositoryDigestMirrors, [{ mirrors: ['m1.example.com/ocp'], source: 'quay.io/ocp' }]);
    assert.deepEqual(policy('two')?.spec.repositoryDigestMirrors, [{ mirrors: ['m1.example.com/ocp', 'm2.example.com/ocp'], source: 'quay.io/ocp' }]);
  });

  test('--remove --name deletes the whole policy', async () => {
    putPolicy('ubi8repo', [{ source: 'quay.io/ocp', mirrors: ['m1.example.com/ocp'] }]);
    const r = await mirror(['--remove', '--name', 'ubi8repo']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(policy('ubi8repo'), undefined);
  });

  test('--replace sets the list to exactly the groups given', async () => {
    putPolicy('ubi8repo', [{ source: 'quay.io/ocp', mirrors: ['m1.example.com/ocp'] }]);
    const r = await mirror(['--replace', '--name', 'ubi8repo', '--mirror', 'quay.io/other=m.example.com/other']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(policy('ubi8repo')?.spec.repositoryDigestMirrors, [{ mirrors: ['m.example.com/other'], source: 'quay.io/other' }]);
  });

  test('with no groups it shows the current policies; -o yaml prints them as objects; --preview renders them', async () => {
    putPolicy('one', [{ source: 'quay.io/ocp', mirrors: ['m1.example.com/ocp'] }]);
    let r = await mirror([]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(load(r.stdout), { one: [{ source: 'quay.io/ocp', mirrors: ['m1.example.com/ocp'] }] });
    r = await mirror(['-o', 'yaml']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((load(r.stdout) as { items: Policy[] }).items.map((p) => [p.kind, p.metadata.name]), [['ImageContentSourcePolicy', 'one']]);
    r = await mirror(['--preview']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /location = "quay\.io\/ocp"\nmirror-by-digest-only = true\n\n\[\[registry\.mirror\]\]\nlocation = "m1\.example\.com\/ocp"\n/);
    assert.deepEqual(writes(), []);
  });
});

describe('mirror on OpenShift 4: rendering, previews and dry runs write nothing', () => {
  test('-o yaml prints the policy as it will be', async () => {
    putPolicy('ubi8repo', [{ source: 'quay.io/ocp', mirrors: ['m1.example.com/ocp'] }]);
    const r = await mirror(['--name', 'ubi8repo', '--mirror', 'quay.io/ocp=m2.example.com/ocp', '-o', 'yaml']);
    assert.equal(r.code, 0, r.stderr);
    const list = load(r.stdout) as { kind: string; items: Policy[] };
    assert.equal(list.kind, 'List');
    assert.deepEqual(list.items[0]?.spec.repositoryDigestMirrors, [{ mirrors: ['m1.example.com/ocp', 'm2.example.com/ocp'], source: 'quay.io/ocp' }]);
    assert.deepEqual(writes(), []);
  });

  test('--dry-run describes the steps; --dry-run=server sends them with dryRun=All and nothing persists', async () => {
    let r = await mirror(['--mirror', 'quay.io/ocp=m.example.com/ocp', '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^1\. create imagecontentsourcepolicy\.operator\.openshift\.io\/quay\.io-ocp: quay\.io\/ocp -> \[m\.example\.com\/ocp\]$/m);
    assert.deepEqual(writes(), []);
    r = await mirror(['--mirror', 'quay.io/ocp=m.example.com/ocp', '--dry-run=server']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'imagecontentsourcepolicy.operator.openshift.io/quay.io-ocp created (server dry run)\n');
    assert.equal(writes()[0]?.query.dryRun, 'All');
    assert.equal(policy('quay.io-ocp'), undefined);
    assert.match(r.stderr, /once applied, the machine-config operator rolls this out/);
  });
});

describe('whitelist --preview on a cluster with mirrors', () => {
  test("shows the policies' mirror entries beside the new blocked entry, since nodes get one registries.conf", async () => {
    putPolicy('one', [{ source: 'quay.io/ocp', mirrors: ['m1.example.com/ocp'] }]);
    const r = await run(['whitelist', '--block', 'untrusted.com', '--preview', '--kubeconfig', api.kubeconfigPath]);
    assert.equal(r.code, 0, r.stderr);
    const conf = /==> \/etc\/containers\/registries\.conf <==\n([\s\S]*?)\n==> /.exec(r.stdout)?.[1];
    assert.ok(conf, r.stdout);
    assert.deepEqual(JSON.parse(JSON.stringify(toml.parse(conf)))['registry'], [
      { prefix: '', location: 'quay.io/ocp', 'mirror-by-digest-only': true, mirror: [{ location: 'm1.example.com/ocp' }] },
      { prefix: '', location: 'untrusted.com', blocked: true },
    ]);
    assert.deepEqual(writes(), []);
  });
});

describe('mirror refusals send no write', () => {
  const cases: [string, string[], RegExp][] = [
    ['a wildcard source', ['--mirror', '*.quay.io=m.example.com'], /^error: --mirror: wildcard entries are not supported with mirror configuration "\*\.quay\.io"$/m],
    ['a wildcard mirror', ['--source', 'quay.io/ocp', '--mirror', '*.example.com'], /^error: --mirror: wildcard entries are not supported with mirror configuration "\*\.example\.com"$/m],
    ['--remove with --replace', ['--remove', '--replace', '--source', 'quay.io/ocp'], /^error: --remove and --replace cannot be used together$/m],
    ['--remove with nothing named', ['--remove'], /^error: --remove needs --source/m],
    ['a bad --name', ['--name', 'Not_A_Name', '--mirror', 'quay.io/a=m.io/a'], /^error: --name: "Not_A_Name" is not a valid name/m],
    ['--remove of an unknown policy', ['--remove', '--name', 'nope'], /^error: imagecontentsourcepolicy\.operator\.openshift\.io\/nope not found: nothing to remove$/m],
  ];
  for (const [what, args, message] of cases) {
    test(`refuses ${what} with exit 2`, async () => {
      const r = await mirror(args);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.deepEqual(writes(), []);
    });
  }
});

describe('mirror on other clusters', () => {
  for (const [profile, message] of [
    ['openshift3', /is an OpenShift 3\.x cluster: repository mirroring \(ImageContentSourcePolicy\) is an OpenShift 4\.x feature/],
    ['kubernetes', /is not an OpenShift 4\.x cluster: repository mirroring \(ImageContentSourcePolicy\) is an OpenShift 4\.x feature/],
  ] as const) {
    test(`on ${profile} it says that mirroring is a 4.x feature and changes nothing`, async () => {
      const other = await startApiServer({ profile });
      try {
        const r = await run(['mirror', '--mirror', 'quay.io/a=m.example.com/a', '--kubeconfig', other.kubeconfigPath]);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, message);
        assert.deepEqual(other.requests.filter((q) => q.method !== 'GET'), []);
      } finally {
        await other.close();
      }
    });
  }
});

describe('mirror --wait: following the machine config pools', () => {
  const { playBack, poolLists } = machineConfigPools(() => api);
  async function nextPoll(seen: number): Promise<number> {
    for (let i = 0; i < 2000 && poolLists() <= seen; i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(poolLists() > seen, 'regctl polled the pools');
    return poolLists();
  }
  async function created(): Promise<void> {
    for (let i = 0; i < 2000 && !policy('quay.io-ocp'); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(policy('quay.io-ocp'));
  }

  test('returns once every pool runs a new rendered config with all nodes updated', async () => {
    const running = mirror(['--mirror', 'quay.io/ocp=m.example.com/ocp', '--wait'], { REGCTL_POLL_INTERVAL_MS: '20' });
    await created();
    let seen = await nextPoll(poolLists());
    for (const n of POOLS) playBack(n, { target: `rendered-${n}-new`, current: `rendered-${n}-0a1b2c3d4e5f`, updated: 1, updating: true });
    seen = await nextPoll(seen);
    for (const n of POOLS) playBack(n, { target: `rendered-${n}-new`, current: `rendered-${n}-new`, updated: 3, updating: false });
    const r = await running;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^machineconfigpool\/worker: 1 of 3 nodes updated, updating \(rendered-worker-new\)$/m);
    assert.match(r.stderr, /every node has the new registry configuration\n$/);
  });

  test('a degraded pool stops the wait with its message', async () => {
    const running = mirror(['--mirror', 'quay.io/ocp=m.example.com/ocp', '--wait'], { REGCTL_POLL_INTERVAL_MS: '20' });
    await created();
    await nextPoll(poolLists());
    playBack('worker', { target: 'rendered-worker-new', current: 'rendered-worker-0a1b2c3d4e5f', updated: 1, updating: true, degraded: 'Node ip-10-0-1-2 is reporting: "failed to drain node"' });
    const r = await running;
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: machineconfigpool\/worker is Degraded: Node ip-10-0-1-2 is reporting: "failed to drain node"$/m);
  });
});
