// `regctl whitelist` (in-process) against the test API server (4.x profile): the merge patch it
// sends to image.config.openshift.io/cluster, --add/--remove, every refusal (with no request that
// writes), the renderings, and --wait following the machine config pools as their status is
// played back. One spawned smoke test runs the built CLI.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { startApiServer, type TestApiServer } from '../apiserver/index.js';
import { regctl } from '../support/run.js';
import { run, type RunResult } from '../support/world.js';
import type { KubeObject } from '../../src/plan/types.js';
import { POOLS, machineConfigPools } from '../support/pools.js';

const IMAGE_PATH = '/apis/config.openshift.io/v1/images/cluster';
const DEFAULTS = ['registry.redhat.io', 'quay.io', 'image-registry.openshift-image-registry.svc:5000'];

let api: TestApiServer;
let work: string;

before(async () => {
  api = await startApiServer({ profile: 'openshift4' });
  work = mkdtempSync(join(tmpdir(), 'regctl-whitelist-cluster-'));
});
after(async () => {
  await api.close();
  rmSync(work, { recursive: true, force: true });
});

/** Each test starts from the Image a fresh 4.x cluster has. */
beforeEach(() => {
  api.putObject({ apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: {}, status: { internalRegistryHostname: DEFAULTS[2] } } as KubeObject);
  api.clearRequests();
});

const whitelist = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> =>
  run(['whitelist', ...args, '--backup-dir', join(work, 'backups'), '--kubeconfig', api.kubeconfigPath], { env });

const liveImage = () => api.getObject('config.openshift.io/v1', 'Image', 'cluster') as KubeObject & { spec: Record<string, any> };
const setSpec = (spec: Record<string, unknown>) => {
  api.putObject({ ...liveImage(), spec });
  api.clearRequests();
};
const writes = () => api.requests.filter((r) => r.method !== 'GET');
const imagePatches = () => api.requests.filter((r) => r.method === 'PATCH' && r.path === IMAGE_PATH);

describe('whitelist on OpenShift 4: the merge patch', () => {
  test('--allow with --include-defaults merge-patches registrySources.allowedRegistries and warns that nodes roll (spawned)', async () => {
    const r = await regctl(['whitelist', '--allow', 'example.com', '--include-defaults', '--backup-dir', join(work, 'backups')], { env: { KUBECONFIG: api.kubeconfigPath } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'image.config.openshift.io/cluster configured\n');
    const [patch] = imagePatches();
    assert.equal(patch?.contentType, 'application/merge-patch+json');
    assert.deepEqual(patch?.body, { spec: { registrySources: { allowedRegistries: ['example.com', ...DEFAULTS] } }, metadata: { resourceVersion: (patch?.body as any).metadata.resourceVersion } });
    assert.ok((patch?.body as any).metadata.resourceVersion, 'conditional on the version read');
    assert.deepEqual(liveImage().spec.registrySources, { allowedRegistries: ['example.com', ...DEFAULTS] });
    assert.match(r.stderr, /--include-defaults: adding registry\.redhat\.io, quay\.io, image-registry\.openshift-image-registry\.svc:5000/);
    assert.match(r.stderr, /each node is cordoned, drained, CRI-O is restarted/);
  });

  test('the Image as it was is backed up before the patch', async () => {
    setSpec({ registrySources: { blockedRegistries: ['old.io'] } });
    const r = await whitelist(['--block', 'untrusted.com']);
    assert.equal(r.code, 0, r.stderr);
    const dir = /backups of what changed: (\S+)/.exec(r.stderr)?.[1];
    assert.ok(dir, r.stderr);
    const [file] = readdirSync(dir);
    assert.deepEqual((load(readFileSync(join(dir, file!), 'utf8')) as any).spec.registrySources, { blockedRegistries: ['old.io'] });
  });

  test('--add appends to the live lists and sends the resourceVersion it read as a precondition', async () => {
    setSpec({ registrySources: { insecureRegistries: ['insecure.com'] } });
    const rv = liveImage().metadata.resourceVersion;
    const r = await whitelist(['--add', '--insecure', 'reg4.io/myrepo/myapp', '--insecure', 'insecure.com']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(imagePatches()[0]?.body, { metadata: { resourceVersion: rv }, spec: { registrySources: { insecureRegistries: ['insecure.com', 'reg4.io/myrepo/myapp'] } } });
    assert.deepEqual(liveImage().spec.registrySources.insecureRegistries, ['insecure.com', 'reg4.io/myrepo/myapp']);
  });

  test('--remove takes an entry out and an emptied list leaves the Image', async () => {
    setSpec({ registrySources: { blockedRegistries: ['untrusted.com', 'reg1.io/myrepo/myapp'], containerRuntimeSearchRegistries: ['reg1.io'] } });
    let r = await whitelist(['--remove', '--block', 'untrusted.com']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(liveImage().spec.registrySources, { blockedRegistries: ['reg1.io/myrepo/myapp'], containerRuntimeSearchRegistries: ['reg1.io'] });
    r = await whitelist(['--remove', '--block', 'reg1.io/myrepo/myapp']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(liveImage().spec.registrySources, { containerRuntimeSearchRegistries: ['reg1.io'] });
  });

  test("an empty value clears a list (--block '') so that an allow list can follow", async () => {
    setSpec({ registrySources: { blockedRegistries: ['untrusted.com'] } });
    const r = await whitelist(['--block', '', '--allow', 'example.com', '--include-defaults']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(liveImage().spec.registrySources, { allowedRegistries: ['example.com', ...DEFAULTS] });
  });

  test('--allow-import sets allowedRegistriesForImport, which needs no node rollout', async () => {
    const r = await whitelist(['--allow-import', 'quay.io', '--allow-import', 'reg.example.com:5000,insecure']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(liveImage().spec.allowedRegistriesForImport, [{ domainName: 'quay.io' }, { domainName: 'reg.example.com:5000', insecure: true }]);
    assert.match(r.stderr, /no node changes/);
    assert.doesNotMatch(r.stderr, /cordoned/);
  });

  test('the same lists again send no patch', async () => {
    setSpec({ registrySources: { blockedRegistries: ['untrusted.com'] } });
    const r = await whitelist(['--block', 'untrusted.com']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /nothing to change/);
    assert.deepEqual(writes(), []);
  });
});

describe('whitelist on OpenShift 4: rendering and dry runs change nothing', () => {
  test('-o yaml prints the Image as it will be, in a List', async () => {
    setSpec({ registrySources: { insecureRegistries: ['insecure.com'] } });
    const r = await whitelist(['--add', '--insecure', 'other.io', '-o', 'yaml']);
    assert.equal(r.code, 0, r.stderr);
    const list = load(r.stdout) as any;
    assert.equal(list.kind, 'List');
    const printed = list.items[0];
    assert.equal(printed.kind, 'Image');
    assert.deepEqual(printed.spec.registrySources.insecureRegistries, ['insecure.com', 'other.io']);
    assert.deepEqual(writes(), []);
  });

  test('--dry-run describes the patch; --dry-run=server sends it with dryRun=All and nothing persists', async () => {
    let r = await whitelist(['--block', 'untrusted.com', '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^1\. merge-patch image\.config\.openshift\.io\/cluster: spec\.registrySources\.blockedRegistries: \[\] -> \[untrusted\.com\]/);
    assert.match(r.stdout, /^ +\+ +blockedRegistries:/m);
    assert.deepEqual(writes(), []);
    r = await whitelist(['--block', 'untrusted.com', '--dry-run=server']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(imagePatches()[0]?.query.dryRun, 'All');
    assert.equal(liveImage().spec.registrySources, undefined);
  });

  test('--preview renders the node files from the live Image with the edit applied', async () => {
    setSpec({ registrySources: { blockedRegistries: ['untrusted.com'] } });
    const r = await whitelist(['--add', '--block', 'reg1.io/myrepo/myapp', '--preview']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^==> \/etc\/containers\/registries\.conf <==$/m);
    assert.match(r.stdout, /location = "untrusted\.com"\nblocked = true/);
    assert.match(r.stdout, /location = "reg1\.io\/myrepo\/myapp"\nblocked = true/);
    assert.deepEqual(writes(), []);
  });

  test('with no lists given it shows the current ones', async () => {
    setSpec({ registrySources: { insecureRegistries: ['insecure.com'] } });
    const r = await whitelist([]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(load(r.stdout), { registrySources: { insecureRegistries: ['insecure.com'] } });
    assert.deepEqual(writes(), []);
  });

  test('--show prints the current lists', async () => {
    setSpec({ registrySources: { blockedRegistries: ['untrusted.com'] }, allowedRegistriesForImport: [{ domainName: 'quay.io' }] });
    const r = await whitelist(['--show', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { registrySources: { blockedRegistries: ['untrusted.com'] }, allowedRegistriesForImport: [{ domainName: 'quay.io' }] });
  });
});

describe('whitelist on OpenShift 4: refusals send no write', () => {
  const cases: [string, string[], Record<string, unknown> | undefined, RegExp][] = [
    ['an allow list without the registries the cluster needs', ['--allow', 'example.com'], undefined, /^error: --allow: the allowed registries leave out registry\.redhat\.io, quay\.io, image-registry\.openshift-image-registry\.svc:5000/m],
    ['allowed and blocked together', ['--allow', 'a.io', '--block', 'b.io'], undefined, /^error: invalid images config: only one of AllowedRegistries or BlockedRegistries may be specified$/m],
    ['an allow list while the cluster has a block list', ['--allow', 'a.io', '--include-defaults'], { registrySources: { blockedRegistries: ['b.io'] } }, /^hint: the cluster already has blockedRegistries \(b\.io\); clear it first with --block ''$/m],
    ['blocking quay.io', ['--block', 'quay.io'], undefined, /^error: --block: the blocked registries cover quay\.io/m],
    ['blocking the release payload repository (from the ClusterVersion)', ['--block', 'quay.io/openshift-release-dev'], undefined, /^error: --block: error adding \["quay\.io\/openshift-release-dev"\] to blocked registries, cannot block the repository being used by the payload/m],
    ['a tagged scope', ['--allow', 'reg1.io/myrepo/myapp:latest'], undefined, /^error: --allow: invalid entry for allowed registries "reg1\.io\/myrepo\/myapp:latest"$/m],
    ['a wildcard in the middle', ['--block', 'reg.*.com'], undefined, /^error: --block: invalid entry for blocked registries "reg\.\*\.com"$/m],
    ['a search registry with a port', ['--search', 'reg1.io:5000'], undefined, /^error: --search: invalid entry for search registries "reg1\.io:5000"$/m],
    ['--add with --remove', ['--add', '--remove', '--block', 'x.io'], undefined, /^error: --add and --remove cannot be used together$/m],
    ['--add with nothing to add', ['--add'], undefined, /^error: --add needs entries/m],
    ['--restart (a 3.x flag)', ['--block', 'x.io', '--restart'], undefined, /^error: --restart is for --node-config/m],
  ];
  for (const [what, args, spec, message] of cases) {
    test(`refuses ${what} with exit 2`, async () => {
      if (spec) setSpec(spec);
      const r = await whitelist(args);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.deepEqual(writes(), []);
    });
  }

  test('--force accepts an allow list without the defaults, with a warning', async () => {
    const r = await whitelist(['--allow', 'mirror.example.com', '--force']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^warning: the allowed registries leave out registry\.redhat\.io/m);
    assert.deepEqual(liveImage().spec.registrySources.allowedRegistries, ['mirror.example.com']);
  });
});

describe('whitelist on other clusters', () => {
  for (const [profile, message] of [
    ['openshift3', /is an OpenShift 3\.x cluster: its nodes take the whitelist from \/etc\/sysconfig\/docker[\s\S]*hint: run on each node: regctl whitelist --node-config/],
    ['kubernetes', /is not an OpenShift 4\.x cluster/],
  ] as const) {
    test(`on ${profile} it says that --node-config is the way and changes nothing`, async () => {
      const other = await startApiServer({ profile });
      try {
        const r = await run(['whitelist', '--block', 'untrusted.com', '--kubeconfig', other.kubeconfigPath]);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, message);
        assert.deepEqual(other.requests.filter((q) => q.method !== 'GET'), []);
      } finally {
        await other.close();
      }
    });
  }
});

describe('whitelist --wait: following the machine config pools', () => {
  const { playBack, poolLists } = machineConfigPools(() => api);
  /** Waits (bounded) until regctl has sent one more pool list than `seen`, i.e. has read the latest status. */
  async function nextPoll(seen: number): Promise<number> {
    for (let i = 0; i < 2000 && poolLists() <= seen; i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(poolLists() > seen, 'regctl polled the pools');
    return poolLists();
  }
  async function patched(): Promise<void> {
    for (let i = 0; i < 2000 && imagePatches().length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(imagePatches().length, 1);
  }

  test('reports progress per pool and returns once every node runs the new rendered config', async () => {
    const running = whitelist(['--block', 'untrusted.com', '--wait'], { REGCTL_POLL_INTERVAL_MS: '20' });
    await patched();
    let seen = await nextPoll(poolLists());
    for (const n of POOLS) playBack(n, { target: `rendered-${n}-new`, current: `rendered-${n}-0a1b2c3d4e5f`, updated: 0, updating: true });
    seen = await nextPoll(seen);
    playBack('worker', { target: 'rendered-worker-new', current: 'rendered-worker-0a1b2c3d4e5f', updated: 2, updating: true });
    playBack('master', { target: 'rendered-master-new', current: 'rendered-master-new', updated: 3, updating: false });
    seen = await nextPoll(seen);
    playBack('worker', { target: 'rendered-worker-new', current: 'rendered-worker-new', updated: 3, updating: false });
    const r = await running;
    assert.equal(r.code, 0, r.stderr);
    const progress = r.stderr.split('\n').filter((l) => l.startsWith('machineconfigpool/worker'));
    assert.deepEqual(progress, [
      'machineconfigpool/worker: 3 of 3 nodes updated (rendered-worker-0a1b2c3d4e5f)',
      'machineconfigpool/worker: 0 of 3 nodes updated, updating (rendered-worker-new)',
      'machineconfigpool/worker: 2 of 3 nodes updated, updating (rendered-worker-new)',
      'machineconfigpool/worker: 3 of 3 nodes updated (rendered-worker-new)',
    ]);
    assert.match(r.stderr, /every node has the new registry configuration\n$/);
  });

  test('a pool that stays on its old rendered config is not mistaken for done', async () => {
    const running = whitelist(['--block', 'untrusted.com', '--wait', '--timeout', '1'], { REGCTL_POLL_INTERVAL_MS: '20' });
    const r = await running;
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: timed out after 1s waiting for the machine config pools to update$/m);
    assert.match(r.stderr, /^hint: the rollout goes on without regctl; follow it with oc get machineconfigpools -w$/m);
  });

  test('a degraded pool stops the wait with its message', async () => {
    const running = whitelist(['--block', 'untrusted.com', '--wait'], { REGCTL_POLL_INTERVAL_MS: '20' });
    await patched();
    await nextPoll(poolLists());
    playBack('worker', { target: 'rendered-worker-new', current: 'rendered-worker-0a1b2c3d4e5f', updated: 1, updating: true, degraded: 'Node ip-10-0-1-2 is reporting: "failed to drain node"' });
    const r = await running;
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: machineconfigpool\/worker is Degraded: Node ip-10-0-1-2 is reporting: "failed to drain node"$/m);
  });
});

test('backups land in --backup-dir', () => {
  assert.ok(readdirSync(join(work, 'backups')).some((d) => d.endsWith('-whitelist')));
});
