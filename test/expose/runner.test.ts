// `regctl expose` through the plan runner, in-process: one wave of reads; previews write
// nothing; failures at each write are undone; concurrent changes are conflicts; the server dry
// run agrees with the run; every hint it prints works as printed; the CA path regctl keeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApiServer } from '../apiserver/index.js';
import { FakeCluster } from '../support/fake-cluster.js';
import { listing, withoutServerFields } from '../support/snapshot.js';
import { tempDir, x509Text } from '../support/pki.js';
import { regctl as spawnRegctl } from '../support/run.js';
import { countingWaves } from '../support/waves.js';
import { run } from '../support/world.js';
import { deployedObjects } from '../support/registry-fixtures.js';
import type { KubeObject } from '../../src/objects.js';

const CONFIG = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' }, spec: { managementState: 'Managed', replicas: 1 }, status: { readyReplicas: 1 } } as KubeObject;
const IMAGE = { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: {} } as KubeObject;
const ocp4 = (extra: ConstructorParameters<typeof FakeCluster>[0] = {}) => new FakeCluster({ platform: 'openshift4', objects: [CONFIG, IMAGE], ...extra });

test('expose sends its reads in one wave', async (t) => {
  const { cluster, waves } = countingWaves(new FakeCluster({ platform: 'openshift3', objects: deployedObjects() }));
  const r = await run(['expose', '--force', '--hostname=r.example.com', '--dry-run'], { cluster, env: { HOME: tempDir(t, 'regctl-home-') } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(waves().length, 1, JSON.stringify(waves()));
  assert.ok(waves()[0]!.includes('get Route/docker-registry'));
});

for (const [platform, args] of [
  ['openshift3', ['--force', '--hostname=r.example.com']],
  ['openshift4', ['--default-route', '--external-hostname=r.example.com']],
] as const) {
  for (const preview of [['-o', 'yaml'], ['--dry-run'], ['--dry-run=server']]) {
    test(`${platform}: expose ${args.join(' ')} ${preview.join(' ')} writes nothing, HOME and cwd unchanged`, async (t) => {
      const home = tempDir(t, 'regctl-home-');
      const cluster = platform === 'openshift4' ? ocp4({ readOnly: true }) : new FakeCluster({ platform, objects: deployedObjects(), readOnly: true });
      const cwd = readdirSync(process.cwd()).sort();
      const r = await run(['expose', ...args, ...preview], { cluster, env: { HOME: home } });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(cluster.writes().filter((w) => !w.endsWith('(dry run)')), []);
      assert.deepEqual(listing(home), []);
      assert.deepEqual(readdirSync(process.cwd()).sort(), cwd);
    });
  }
}

test('-o json against a server equals what the run creates or changes (3.x route, 4.x Config and Image)', async (t) => {
  const strip = (o: any) => ({ ...withoutServerFields(o), spec: { ...o.spec, wildcardPolicy: undefined } });
  for (const [profile, args, refs] of [
    ['openshift3', ['--force', '--hostname=r.example.com'], [['route.openshift.io/v1', 'Route', 'docker-registry', 'default']]],
    ['openshift4', ['--default-route', '--external-hostname=r.example.com'], [['imageregistry.operator.openshift.io/v1', 'Config', 'cluster'], ['config.openshift.io/v1', 'Image', 'cluster']]],
  ] as const) {
    const out: unknown[] = [];
    for (const mode of ['render', 'apply']) {
      const api = await startApiServer({ profile });
      t.after(() => api.close());
      const home = tempDir(t, 'regctl-home-');
      if (profile === 'openshift3') assert.equal((await run(['--kubeconfig', api.kubeconfigPath, 'deploy'], { env: { HOME: home } })).code, 0);
      const r = await run(['--kubeconfig', api.kubeconfigPath, 'expose', ...args, ...(mode === 'render' ? ['-o', 'json'] : [])], { env: { HOME: home } });
      assert.equal(r.code, 0, r.stderr);
      out.push(mode === 'render' ? JSON.parse(r.stdout).items.map(strip) : refs.map((x) => strip(api.getObject(...(x as unknown as [string, string, string, string?])))));
    }
    assert.deepEqual(out[0], out[1], profile);
  }
});

test('4.x: --dry-run=server says configured exactly when the run changes the Config; --external-hostname alone prints no unfinished line', async (t) => {
  const api = await startApiServer({ profile: 'openshift4' });
  t.after(() => api.close());
  const go = (args: string[]) => run(['--kubeconfig', api.kubeconfigPath, 'expose', ...args], { env: { HOME: tempDir(t, 'regctl-home-') } });
  const dry = await go(['--default-route', '--dry-run=server']);
  assert.equal(dry.stdout, 'config.imageregistry.operator.openshift.io/cluster configured (server dry run)\n');
  assert.equal((await go(['--default-route'])).stdout, 'config.imageregistry.operator.openshift.io/cluster configured\n');
  const again = await go(['--default-route', '--dry-run=server']);
  assert.equal(again.stdout, 'nothing to change: defaultRoute: true\n');
  const ext = await go(['--external-hostname=r.example.com']);
  assert.equal(ext.code, 0, ext.stderr);
  assert.doesNotMatch(ext.stderr, /already has\s*$/m, 'no unfinished line');
  assert.match(ext.stderr, /image streams show r\.example\.com/);
  const ext2 = await go(['--external-hostname=r.example.com']);
  assert.match(ext2.stderr, /^image\.config\.openshift\.io\/cluster already lists r\.example\.com in externalRegistryHostnames$/m);
  assert.doesNotMatch(ext2.stderr, /already has\s*$/m);
});

test('4.x: a failure at each write leaves the Config and the Image as they were', async (t) => {
  for (const n of [1, 2]) {
    const cluster = ocp4();
    const before = cluster.objects().map((o) => o.spec);
    cluster.failWrite(n);
    const r = await run(['expose', '--default-route', '--external-hostname=r.example.com'], { cluster, env: { HOME: tempDir(t, 'regctl-home-') } });
    assert.equal(r.code, 1);
    assert.deepEqual(cluster.objects().map((o) => o.spec), before, `write ${n}`);
    if (n === 2) assert.match(r.stderr, /undone: config\.imageregistry\.operator\.openshift\.io\/cluster restored/);
    assert.equal(r.stdout, '');
  }
});

test('4.x: a change to the Config made between the read and the write is a conflict, not overwritten', async (t) => {
  const cluster = ocp4();
  cluster.beforeWrite = (req) => {
    if (req.ref === 'config/cluster') cluster.put({ ...cluster.object('imageregistry.operator.openshift.io/v1', 'Config', 'cluster')!, spec: { managementState: 'Removed' } } as KubeObject);
  };
  const r = await run(['expose', '--default-route'], { cluster, env: { HOME: tempDir(t, 'regctl-home-') } });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /was changed by someone else after regctl read it/);
  assert.deepEqual(cluster.object('imageregistry.operator.openshift.io/v1', 'Config', 'cluster')!.spec, { managementState: 'Removed' });
});

test('3.x: after regctl secure, the trust steps name the CA file regctl keeps; the secure hint, run as printed, adds the route host to the certificate', async (t) => {
  const api = await startApiServer({ profile: 'openshift3' });
  t.after(() => api.close());
  const home = tempDir(t, 'regctl-home-');
  const go = (args: string[]) => run(['--kubeconfig', api.kubeconfigPath, ...args], { env: { HOME: home } });
  assert.equal((await go(['deploy'])).code, 0);
  assert.equal((await go(['secure', '--hostnames=a.example.com'])).code, 0);
  const r = await go(['expose', '--hostname=registry.apps.example.com']);
  assert.equal(r.code, 0, r.stderr);
  const ca = /sudo install -D -m 0644 (\S+) \/etc\/docker\/certs\.d\/registry\.apps\.example\.com\/ca\.crt/.exec(r.stderr)?.[1];
  assert.ok(ca && ca.startsWith(join(home, '.regctl', 'pki')) && existsSync(ca), r.stderr);
  assert.doesNotMatch(r.stderr, /<ca certificate file>/);
  const hint = /regctl (secure --renew --hostnames=\S+)/.exec(r.stderr)?.[1];
  assert.ok(hint, r.stderr);
  const renewed = await go(hint.split(' '));
  assert.equal(renewed.code, 0, renewed.stderr);
  const crt = join(tempDir(t), 'r.crt');
  writeFileSync(crt, Buffer.from((api.getObject('v1', 'Secret', 'registry-certificates', 'default') as any).data['registry.crt'], 'base64'));
  const text = x509Text(crt);
  assert.match(text, /DNS:registry\.apps\.example\.com/);
  assert.match(text, /DNS:a\.example\.com/, 'the earlier name is kept');
  const again = await go(['expose', '--hostname=registry.apps.example.com']);
  assert.doesNotMatch(again.stderr, /does not name/);
  // The image-stream hint works as printed too (on a master: its master-config.yaml).
  const master = join(tempDir(t), 'master-config.yaml');
  writeFileSync(master, 'kind: MasterConfig\nimagePolicyConfig:\n  maxImagesBulkImportedPerRepository: 5\n');
  const streams = /regctl (expose --external-hostname=\S+)/.exec(r.stderr)?.[1];
  assert.ok(streams, r.stderr);
  const edited = await go([...streams.split(' '), `--master-config=${master}`]);
  assert.equal(edited.code, 0, edited.stderr);
  assert.match(edited.stderr, /master-config\.yaml changed/);
});

test('spawned smoke test: bin/regctl.js expose --dry-run on OpenShift 4', async (t) => {
  const api = await startApiServer({ profile: 'openshift4' });
  t.after(() => api.close());
  const r = await spawnRegctl(['--kubeconfig', api.kubeconfigPath, 'expose', '--default-route', '--dry-run'], { env: { HOME: tempDir(t, 'regctl-home-') } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /1\. merge-patch config\.imageregistry\.operator\.openshift\.io\/cluster: spec\.defaultRoute: true/);
});
