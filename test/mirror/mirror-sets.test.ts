// `regctl mirror` on a 4.13+ cluster (the test API server at 4.18.5, which serves
// ImageDigestMirrorSet and ImageTagMirrorSet): new rules become ImageDigestMirrorSets, --tags an
// ImageTagMirrorSet, --never-contact-source the policy, --convert folds the ICSPs into one IDMS
// with backups; the allow list is checked and --update-allowlist fixes it in the same plan; the
// preview merges ICSP, IDMS and ITMS as the 4.18 operator (4.16 rules) does; whitelist warns
// when a new allow list would refuse a configured mirror.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as toml from 'smol-toml';
import { startApiServer, type TestApiServer } from '../apiserver/index.js';
import { regctl, type RunResult } from '../support/run.js';
import type { KubeObject } from '../../src/plan/types.js';

const ICSP = 'operator.openshift.io/v1alpha1';
const CONFIG = 'config.openshift.io/v1';

let api: TestApiServer;
let work: string;

before(async () => {
  api = await startApiServer({ profile: 'openshift4' });
  work = mkdtempSync(join(tmpdir(), 'regctl-mirror-sets-'));
});
after(async () => {
  await api.close();
  rmSync(work, { recursive: true, force: true });
});

const KINDS: [string, string][] = [
  [ICSP, 'ImageContentSourcePolicy'],
  [CONFIG, 'ImageDigestMirrorSet'],
  [CONFIG, 'ImageTagMirrorSet'],
];
beforeEach(() => {
  for (const [v, k] of KINDS) for (const n of ['quay.io-ocp', 'one', 'two', 'converted-from-icsp', 'tags']) api.deleteObject(v, k, n);
  api.putObject({ apiVersion: CONFIG, kind: 'Image', metadata: { name: 'cluster' }, spec: {}, status: { internalRegistryHostname: 'image-registry.openshift-image-registry.svc:5000' } } as KubeObject);
  api.clearRequests();
});

const mirror = (args: string[]): Promise<RunResult> => regctl(['mirror', ...args, '--backup-dir', join(work, 'backups')], { env: { KUBECONFIG: api.kubeconfigPath } });
const get = (apiVersion: string, kind: string, name: string) => api.getObject(apiVersion, kind, name) as (KubeObject & { spec: Record<string, unknown> }) | undefined;
const put = (apiVersion: string, kind: string, name: string, spec: Record<string, unknown>) => api.putObject({ apiVersion, kind, metadata: { name }, spec } as KubeObject);
const setImage = (registrySources: Record<string, string[]>) => api.putObject({ ...api.getObject(CONFIG, 'Image', 'cluster')!, spec: { registrySources } } as KubeObject);
const writes = () => api.requests.filter((r) => r.method !== 'GET');
const registries = (stdout: string) => JSON.parse(JSON.stringify(toml.parse(/==> \/etc\/containers\/registries\.conf <==\n([\s\S]*?)\n==> /.exec(stdout)![1]!))).registry;

describe('mirror on OpenShift 4.13+', () => {
  test('a new rule is an ImageDigestMirrorSet (found by discovery), with no deprecation warning', async () => {
    const r = await mirror(['--mirror', 'quay.io/ocp=m.example.com/ocp']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'imagedigestmirrorset.config.openshift.io/quay.io-ocp created\n');
    assert.deepEqual(get(CONFIG, 'ImageDigestMirrorSet', 'quay.io-ocp')?.spec, { imageDigestMirrors: [{ mirrors: ['m.example.com/ocp'], source: 'quay.io/ocp' }] });
    assert.equal(writes()[0]?.path, '/apis/config.openshift.io/v1/imagedigestmirrorsets');
    assert.doesNotMatch(r.stderr, /deprecated/);
  });

  test('an existing ImageContentSourcePolicy named by --name is edited in place, with the deprecation warning', async () => {
    put(ICSP, 'ImageContentSourcePolicy', 'one', { repositoryDigestMirrors: [{ source: 'quay.io/ocp', mirrors: ['m1.example.com/ocp'] }] });
    const r = await mirror(['--name', 'one', '--mirror', 'quay.io/ocp=m2.example.com/ocp']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(get(ICSP, 'ImageContentSourcePolicy', 'one')?.spec, { repositoryDigestMirrors: [{ mirrors: ['m1.example.com/ocp', 'm2.example.com/ocp'], source: 'quay.io/ocp' }] });
    assert.match(r.stderr, /^warning: ImageContentSourcePolicy is deprecated on OpenShift 4\.16 \(4\.13 and later\): it still works, and regctl mirror --convert/m);
  });

  test('adding to an existing ImageDigestMirrorSet merge-patches it, holding the resourceVersion read', async () => {
    put(CONFIG, 'ImageDigestMirrorSet', 'one', { imageDigestMirrors: [{ source: 'quay.io/ocp', mirrors: ['m1.example.com/ocp'] }] });
    const rv = get(CONFIG, 'ImageDigestMirrorSet', 'one')!.metadata.resourceVersion;
    api.clearRequests();
    const r = await mirror(['--name', 'one', '--mirror', 'quay.io/ocp=m2.example.com/ocp']);
    assert.equal(r.code, 0, r.stderr);
    const [patch] = writes();
    assert.equal(patch?.method, 'PATCH');
    assert.deepEqual(patch?.body, { metadata: { resourceVersion: rv }, spec: { imageDigestMirrors: [{ mirrors: ['m1.example.com/ocp', 'm2.example.com/ocp'], source: 'quay.io/ocp' }] } });
    assert.deepEqual(get(CONFIG, 'ImageDigestMirrorSet', 'one')?.spec, { imageDigestMirrors: [{ mirrors: ['m1.example.com/ocp', 'm2.example.com/ocp'], source: 'quay.io/ocp' }] });
  });

  test('--tags makes an ImageTagMirrorSet and prints the documented warning', async () => {
    const r = await mirror(['--tags', '--name', 'tags', '--mirror', 'registry.example.com/team=mirror.example.net/team']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(get(CONFIG, 'ImageTagMirrorSet', 'tags')?.spec, { imageTagMirrors: [{ mirrors: ['mirror.example.net/team'], source: 'registry.example.com/team' }] });
    assert.match(r.stderr, /^warning: ImageTagMirrorSet: pulls by tag will use the mirrors; a tag may name different content on a mirror than on the source/m);
  });

  test('--never-contact-source sets mirrorSourcePolicy, and the preview blocks the source', async () => {
    let r = await mirror(['--never-contact-source', '--mirror', 'quay.io/ocp=m.example.com/ocp', '--preview']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(registries(r.stdout), [{ prefix: '', location: 'quay.io/ocp', blocked: true, mirror: [{ location: 'm.example.com/ocp', 'pull-from-mirror': 'digest-only' }] }]);
    r = await mirror(['--never-contact-source', '--mirror', 'quay.io/ocp=m.example.com/ocp']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(get(CONFIG, 'ImageDigestMirrorSet', 'quay.io-ocp')?.spec, { imageDigestMirrors: [{ mirrors: ['m.example.com/ocp'], source: 'quay.io/ocp', mirrorSourcePolicy: 'NeverContactSource' }] });
  });

  test('--preview merges ICSP, IDMS and ITMS with the Image as the 4.16 rules do (pull-from-mirror per mirror, nested scopes get mirrors)', async () => {
    put(ICSP, 'ImageContentSourcePolicy', 'one', { repositoryDigestMirrors: [{ source: 'registry.example.com', mirrors: ['mirror.example.net/reg'] }] });
    put(CONFIG, 'ImageTagMirrorSet', 'tags', { imageTagMirrors: [{ source: 'registry.example.com', mirrors: ['tagmirror.example.net/reg'] }] });
    setImage({ insecureRegistries: ['registry.example.com/team'] });
    api.clearRequests();
    const r = await mirror(['--mirror', 'quay.io/ocp=m.example.com/ocp', '--preview']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /node files as the machine-config operator of OpenShift 4\.18\.5 writes them|newer than regctl knows: rendering with the rules of 4\.16/);
    assert.deepEqual(registries(r.stdout), [
      { prefix: '', location: 'quay.io/ocp', mirror: [{ location: 'm.example.com/ocp', 'pull-from-mirror': 'digest-only' }] },
      { prefix: '', location: 'registry.example.com', mirror: [{ location: 'mirror.example.net/reg', 'pull-from-mirror': 'digest-only' }, { location: 'tagmirror.example.net/reg', 'pull-from-mirror': 'tag-only' }] },
      { prefix: '', location: 'registry.example.com/team', insecure: true, mirror: [{ location: 'mirror.example.net/reg/team', 'pull-from-mirror': 'digest-only' }, { location: 'tagmirror.example.net/reg/team', 'pull-from-mirror': 'tag-only' }] },
    ]);
    assert.deepEqual(writes(), []);
  });

  test('--convert folds every ICSP into one IDMS, deletes them with backups, and says the nodes keep their files', async () => {
    put(ICSP, 'ImageContentSourcePolicy', 'one', { repositoryDigestMirrors: [{ source: 'quay.io/a', mirrors: ['m.example.com/a'] }] });
    put(ICSP, 'ImageContentSourcePolicy', 'two', { repositoryDigestMirrors: [{ source: 'quay.io/b', mirrors: ['m.example.com/b'] }] });
    const r = await mirror(['--convert']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(get(CONFIG, 'ImageDigestMirrorSet', 'converted-from-icsp')?.spec, {
      imageDigestMirrors: [
        { mirrors: ['m.example.com/a'], source: 'quay.io/a' },
        { mirrors: ['m.example.com/b'], source: 'quay.io/b' },
      ],
    });
    assert.equal(get(ICSP, 'ImageContentSourcePolicy', 'one'), undefined);
    assert.equal(get(ICSP, 'ImageContentSourcePolicy', 'two'), undefined);
    assert.match(r.stderr, /the nodes' registries\.conf and policy\.json stay the same/);
    const dir = /backups of what changed: (\S+)/.exec(r.stderr)?.[1];
    assert.ok(dir && existsSync(dir), r.stderr);
    const saved = readdirSync(dir).filter((f) => readFileSync(join(dir, f), 'utf8').includes('repositoryDigestMirrors'));
    assert.equal(saved.length, 2, readdirSync(dir).join(', '));
  });

  test('a mirror outside allowedRegistries is a warning naming the whitelist command; --update-allowlist adds it in the same plan', async () => {
    setImage({ allowedRegistries: ['quay.io', 'registry.redhat.io', 'image-registry.openshift-image-registry.svc:5000'] });
    let r = await mirror(['--mirror', 'quay.io/ocp=m.example.com/ocp', '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^warning: mirror m\.example\.com\/ocp \(of quay\.io\/ocp\) is not in allowedRegistries/m);
    assert.match(r.stderr, /regctl whitelist --add --allow m\.example\.com\/ocp/);
    r = await mirror(['--mirror', 'quay.io/ocp=m.example.com/ocp', '--update-allowlist']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(get(CONFIG, 'ImageDigestMirrorSet', 'quay.io-ocp'));
    assert.deepEqual((api.getObject(CONFIG, 'Image', 'cluster') as KubeObject & { spec: { registrySources: { allowedRegistries: string[] } } }).spec.registrySources.allowedRegistries, [
      'quay.io',
      'registry.redhat.io',
      'image-registry.openshift-image-registry.svc:5000',
      'm.example.com/ocp',
    ]);
    assert.doesNotMatch(r.stderr, /is not in allowedRegistries/);
  });

  test('whitelist --allow warns when the new list would refuse a configured mirror', async () => {
    put(CONFIG, 'ImageDigestMirrorSet', 'one', { imageDigestMirrors: [{ source: 'quay.io/ocp', mirrors: ['m.example.com/ocp'] }] });
    const r = await regctl(['whitelist', '--allow', 'quay.io', '--include-defaults', '--preview'], { env: { KUBECONFIG: api.kubeconfigPath } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^warning: mirror m\.example\.com\/ocp \(of quay\.io\/ocp\) is not in allowedRegistries.*configured as a mirror rule on this cluster$/m);
    assert.match(r.stderr, /regctl whitelist --add --allow m\.example\.com\/ocp/);
  });

  test('whitelist --block over the release payload (forced): 4.11+ keeps it blocked when the payload has an unblocked mirror, and policy.json accepts the payload repository', async () => {
    put(CONFIG, 'ImageDigestMirrorSet', 'one', { imageDigestMirrors: [{ source: 'quay.io/openshift-release-dev/ocp-release', mirrors: ['mirror.example.com/ocp-release'] }] });
    const r = await regctl(['whitelist', '--block', 'quay.io/openshift-release-dev', '--force', '--preview'], { env: { KUBECONFIG: api.kubeconfigPath } });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(registries(r.stdout), [
      { prefix: '', location: 'quay.io/openshift-release-dev/ocp-release', blocked: true, mirror: [{ location: 'mirror.example.com/ocp-release', 'pull-from-mirror': 'digest-only' }] },
      { prefix: '', location: 'quay.io/openshift-release-dev', blocked: true },
    ]);
    const policy = JSON.parse(/==> \/etc\/containers\/policy\.json <==\n([\s\S]*?)\n(==> |$)/.exec(r.stdout)![1]!);
    assert.deepEqual(policy.default, [{ type: 'insecureAcceptAnything' }]);
    assert.deepEqual(policy.transports.docker, { 'quay.io/openshift-release-dev': [{ type: 'reject' }], 'quay.io/openshift-release-dev/ocp-release': [{ type: 'insecureAcceptAnything' }] });
    // Without the mirror the operator leaves the entry out, and says so.
    api.deleteObject(CONFIG, 'ImageDigestMirrorSet', 'one');
    const bare = await regctl(['whitelist', '--block', 'quay.io/openshift-release-dev', '--force', '--preview'], { env: { KUBECONFIG: api.kubeconfigPath } });
    assert.equal(bare.code, 0, bare.stderr);
    assert.match(bare.stderr, /the machine-config operator leaves quay\.io\/openshift-release-dev out of the node files/);
    assert.doesNotMatch(bare.stdout, /blocked = true/);
  });
});
