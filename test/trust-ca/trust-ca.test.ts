// regctl trust-ca in-process: against the test API server (4.x and 3.x profiles) through
// --kubeconfig, and the fake cluster for previews, rollback and conflicts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type TestApiServer } from '../apiserver/index.js';
import { FakeCluster } from '../support/fake-cluster.js';
import { opensslCA } from '../support/pki.js';
import { assertPreviewsWriteNothing } from '../support/previews.js';
import { run, tempHome } from '../support/world.js';
import type { KubeObject } from '../../src/objects.js';

const IMAGE = { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: {} };
const writes = (api: TestApiServer) => api.requests.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method)).map((r) => `${r.method} ${r.path}${r.query.dryRun ? ' (dry run)' : ''}`);
const cm = (api: TestApiServer, name = 'registry-cas', ns = 'openshift-config') => api.getObject('v1', 'ConfigMap', name, ns) as (KubeObject & { data?: Record<string, string> }) | undefined;
const image = (api: TestApiServer) => api.getObject('config.openshift.io/v1', 'Image', 'cluster') as KubeObject & { spec?: { additionalTrustedCA?: { name: string } } };

let dir: string;
let ca: string;
let ca2: string;
let leaf: string;
let expired: string;
let sysBundle: string;

after(() => rmSync(dir, { recursive: true, force: true }));
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'regctl-trust-ca-'));
  ca = opensslCA(dir, 'private-ca').cert;
  ca2 = opensslCA(dir, 'other-ca').cert;
  leaf = opensslCA(dir, 'registry-leaf', { ca: false }).cert;
  expired = opensslCA(dir, 'old-ca', { start: '20190101000000Z', end: '20210101000000Z' }).cert;
  sysBundle = join(dir, 'system-bundle.crt');
  writeFileSync(sysBundle, readFileSync(ca2, 'utf8'));
});

const pem = (f: string) => readFileSync(f, 'utf8');

describe('trust-ca on OpenShift 4 (test API server)', () => {
  let api: TestApiServer;
  before(async () => {
    api = await startApiServer({ profile: 'openshift4', objects: [IMAGE] });
  });
  after(() => api.close());
  const regctl = (args: string[]) => run(['--kubeconfig', api.kubeconfigPath, 'trust-ca', ...args]);

  test('a registry with a port becomes the key HOST..PORT, and image.config names the ConfigMap; again changes nothing', async () => {
    const r = await regctl(['--registry', 'registry.example.com:5000', '--ca', ca]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'configmap/registry-cas created\nimage.config.openshift.io/cluster configured\n');
    assert.deepEqual(Object.keys(cm(api)!.data!), ['registry.example.com..5000']);
    assert.equal(cm(api)!.data!['registry.example.com..5000'], pem(ca));
    assert.deepEqual(image(api).spec?.additionalTrustedCA, { name: 'registry-cas' });

    api.clearRequests();
    const again = await regctl(['--registry', 'registry.example.com:5000', '--ca', ca]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(writes(api), []);
    assert.equal(again.stdout, 'configmap/registry-cas in openshift-config already trusts the CA for registry.example.com:5000\n');
  });

  test('keys already there stay; --remove takes one out; --list shows registry, expiry and subject', async () => {
    const add = await regctl(['--registry', 'other.example.com', '--ca', ca2]);
    assert.equal(add.code, 0, add.stderr);
    assert.deepEqual(Object.keys(cm(api)!.data!).sort(), ['other.example.com', 'registry.example.com..5000']);

    const list = await regctl(['--list']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^REGISTRY\s+EXPIRES\s+SUBJECT\n/);
    assert.match(list.stdout, /other\.example\.com\s+2099-12-31\s+CN=other-ca\n/);
    assert.match(list.stdout, /registry\.example\.com:5000\s+2099-12-31\s+CN=private-ca\n/);

    const rm = await regctl(['--remove', 'other.example.com']);
    assert.equal(rm.code, 0, rm.stderr);
    assert.deepEqual(Object.keys(cm(api)!.data!), ['registry.example.com..5000']);
    const rmAgain = await regctl(['--remove', 'other.example.com']);
    assert.equal(rmAgain.code, 0);
    assert.match(rmAgain.stderr, /--remove other\.example\.com: no CA is trusted for it/);
  });

  test('an additionalTrustedCA that names another ConfigMap is merged into, and an explicit other --name is refused', async () => {
    const own = await startApiServer({ profile: 'openshift4', objects: [
      { ...IMAGE, spec: { additionalTrustedCA: { name: 'corp-cas' } } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'corp-cas', namespace: 'openshift-config' }, data: { 'quay.corp.example': pem(ca2) } },
    ] });
    try {
      const refused = await run(['--kubeconfig', own.kubeconfigPath, 'trust-ca', '--name', 'mine', '--registry', 'r.example.com', '--ca', ca]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /error: --name mine: image\.config\.openshift\.io\/cluster already trusts the CAs in ConfigMap corp-cas/);
      assert.deepEqual(writes(own), []);

      const r = await run(['--kubeconfig', own.kubeconfigPath, 'trust-ca', '--registry', 'r.example.com', '--ca', ca]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /warning: adding to ConfigMap corp-cas in openshift-config, which image\.config\.openshift\.io\/cluster already names/);
      assert.equal(r.stdout, 'configmap/corp-cas configured\n');
      assert.deepEqual(Object.keys(cm(own, 'corp-cas')!.data!).sort(), ['quay.corp.example', 'r.example.com']);
      assert.equal(cm(own), undefined, 'no second ConfigMap');
    } finally {
      await own.close();
    }
  });

  test('--from-dir takes HOST..PORT.crt files', async () => {
    const d = join(dir, 'from-dir');
    mkdirSync(d, { recursive: true });
    copyFileSync(ca, join(d, 'mirror.example.com..8443.crt'));
    writeFileSync(join(d, 'README'), 'not a CA');
    const r = await regctl(['--from-dir', d]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(cm(api)!.data!['mirror.example.com..8443'], pem(ca));
  });

  test('a leaf, an expired CA, garbage and a key are refused in one line naming the file, before the cluster is asked', async () => {
    const garbage = join(dir, 'garbage.crt');
    writeFileSync(garbage, 'hello\n');
    const withKey = join(dir, 'with-key.pem');
    writeFileSync(withKey, pem(ca) + pem(join(dir, 'private-ca.key')));
    api.clearRequests();
    const cases: [string, RegExp][] = [
      [leaf, /^error: --ca: ".*registry-leaf\.crt" is not a CA certificate \(CN=registry-leaf has no basic constraints CA:TRUE\)/],
      [expired, /^error: --ca: ".*old-ca\.crt": the CA CN=old-ca expired on 2021-01-01T00:00:00Z\n/],
      [garbage, /^error: --ca: ".*garbage\.crt" is not a PEM certificate/],
      [withKey, /^error: --ca: ".*with-key\.pem" holds a private key/],
    ];
    for (const [file, msg] of cases) {
      const r = await regctl(['--registry', 'x.example.com', '--ca', file]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, msg);
      assert.equal(r.stderr.split('\n').filter((l) => l.startsWith('error:')).length, 1);
    }
    assert.deepEqual(api.requests, [], 'nothing asked of the server');
  });

  test('usage errors name the flag', async () => {
    const cases: [string[], RegExp][] = [
      [['--registry', 'a.example.com'], /--registry and --ca come in pairs/],
      [['--registry', 'https://a.example.com', '--ca', ca], /--registry: "https:\/\/a\.example\.com" is not HOST or HOST:PORT/],
      [['--registry', 'a.example.com:99999', '--ca', ca], /--registry: "a\.example\.com:99999" is not HOST or HOST:PORT/],
      [['--list', '--remove', 'a.example.com'], /--list shows what is trusted/],
      [[], /nothing to do/],
    ];
    for (const [args, msg] of cases) {
      const r = await regctl(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, msg);
    }
  });
});

test('-o json renders exactly what a real run creates (two fresh servers)', async () => {
  const [a, b] = await Promise.all([startApiServer({ profile: 'openshift4', objects: [IMAGE] }), startApiServer({ profile: 'openshift4', objects: [IMAGE] })]);
  try {
    const rendered = await run(['--kubeconfig', a.kubeconfigPath, '-o', 'json', 'trust-ca', '--registry', 'r.example.com:5000', '--ca', ca]);
    assert.equal(rendered.code, 0, rendered.stderr);
    assert.deepEqual(writes(a), []);
    const items = (JSON.parse(rendered.stdout) as { items: KubeObject[] }).items;
    const applied = await run(['--kubeconfig', b.kubeconfigPath, 'trust-ca', '--registry', 'r.example.com:5000', '--ca', ca]);
    assert.equal(applied.code, 0, applied.stderr);
    const liveCm = cm(b)!;
    assert.deepEqual(items[0]!.data, liveCm.data);
    assert.deepEqual((items[1] as { spec?: unknown }).spec, image(b).spec);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

describe('trust-ca previews, rollback and conflicts (fake cluster)', () => {
  const seeded = () => new FakeCluster({ platform: 'openshift4', objects: [IMAGE, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'registry-cas', namespace: 'openshift-config' }, data: { 'old.example.com': 'x' } }] });

  test('-o yaml, --dry-run and --dry-run=server write nothing, and leave HOME and cwd as they were', async () => {
    await assertPreviewsWriteNothing((flags) => ['trust-ca', ...flags, '--registry', 'r.example.com', '--ca', ca], seeded);
  });

  test('--dry-run=server says configured exactly when the real run changes the object', async () => {
    const cluster = seeded();
    const dry = await run(['--dry-run=server', 'trust-ca', '--registry', 'r.example.com', '--ca', ca], { cluster });
    assert.equal(dry.stdout, 'configmap/registry-cas configured (server dry run)\nimage.config.openshift.io/cluster configured (server dry run)\n');
    const real = await run(['trust-ca', '--registry', 'r.example.com', '--ca', ca], { cluster });
    assert.equal(real.stdout, 'configmap/registry-cas configured\nimage.config.openshift.io/cluster configured\n');
    const again = await run(['--dry-run=server', 'trust-ca', '--registry', 'r.example.com', '--ca', ca], { cluster });
    assert.equal(again.stdout, 'configmap/registry-cas in openshift-config already trusts the CA for r.example.com\n');
  });

  for (const n of [1, 2]) {
    test(`a failure at write ${n} leaves the cluster as it was, and says so`, async () => {
      const cluster = seeded();
      const before = cluster.objects();
      cluster.failWrite(n);
      const r = await run(['trust-ca', '--registry', 'r.example.com', '--ca', ca], { cluster, env: { HOME: tempHome() } });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /injected/);
      const strip = (os: KubeObject[]) => os.map((o) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } }));
      assert.deepEqual(strip(cluster.objects()), strip(before));
      if (n === 2) assert.match(r.stderr, /undone|restored|rolled back/i);
    });
  }

  test('a change made between read and write is reported as a conflict, not overwritten', async () => {
    const cluster = seeded();
    cluster.beforeWrite = (_req, n) => {
      if (n === 1) cluster.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'registry-cas', namespace: 'openshift-config' }, data: { 'old.example.com': 'x', 'someone.example.com': 'y' } });
    };
    const r = await run(['trust-ca', '--registry', 'r.example.com', '--ca', ca], { cluster, env: { HOME: tempHome() } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /conflict|modified/i);
    assert.deepEqual(Object.keys(cluster.object<KubeObject & { data: Record<string, string> }>('v1', 'ConfigMap', 'registry-cas', 'openshift-config')!.data).sort(), ['old.example.com', 'someone.example.com']);
  });
});

const DC: KubeObject = {
  apiVersion: 'apps.openshift.io/v1',
  kind: 'DeploymentConfig',
  metadata: { name: 'docker-registry', namespace: 'default', labels: { 'docker-registry': 'default' } },
  spec: {
    replicas: 1,
    selector: { 'docker-registry': 'default' },
    triggers: [{ type: 'ConfigChange' }],
    template: {
      metadata: { labels: { 'docker-registry': 'default' } },
      spec: {
        containers: [{ name: 'registry', image: 'openshift/origin-docker-registry:v3.11', ports: [{ containerPort: 5000 }], volumeMounts: [{ name: 'registry-storage', mountPath: '/registry' }] }],
        volumes: [{ name: 'registry-storage', emptyDir: {} }],
      },
    },
  },
};

describe('trust-ca --pullthrough on OpenShift 3.x (test API server)', () => {
  let api: TestApiServer;
  before(async () => {
    api = await startApiServer({ profile: 'openshift3', objects: [DC] });
  });
  after(() => api.close());
  const regctl = (args: string[]) => run(['--kubeconfig', api.kubeconfigPath, 'trust-ca', ...args]);

  test('without --pullthrough 3.x is refused with the node-side way', async () => {
    const r = await regctl(['--registry', 'r.example.com', '--ca', ca]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /OpenShift 3\.x has no cluster-wide trust setting/);
    assert.match(r.stderr, /hint: .*\/etc\/docker\/certs\.d\/HOST:PORT\/ca\.crt/);
  });

  test('the system bundle plus the CA go into one ConfigMap mounted over /etc/pki/tls/certs; the source is said; again changes nothing', async () => {
    const r = await regctl(['--pullthrough', '--system-bundle', sysBundle, '--registry', 'r.example.com:5000', '--ca', ca]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'configmap/registry-cas created\ndeploymentconfig.apps.openshift.io/docker-registry configured\n');
    assert.match(r.stderr, /system CAs from .*system-bundle\.crt \(--system-bundle\), 1 certificates/);
    const m = cm(api, 'registry-cas', 'default')!;
    assert.equal(m.data!['r.example.com..5000'], pem(ca));
    assert.ok(m.data!['ca-bundle.crt']!.startsWith(pem(ca2)), 'the system CAs come first');
    assert.ok(m.data!['ca-bundle.crt']!.endsWith(pem(ca)), 'then the added CA');
    assert.match(m.metadata.annotations!['regctl.io/system-ca-bundle']!, /system-bundle\.crt/);
    const dc = api.getObject('apps.openshift.io/v1', 'DeploymentConfig', 'docker-registry', 'default') as any;
    assert.deepEqual([dc.spec.template.spec.volumes.at(-1).name, dc.spec.template.spec.volumes.at(-1).configMap.name], ['registry-trusted-cas', 'registry-cas']);
    assert.deepEqual(dc.spec.template.spec.containers[0].volumeMounts.at(-1), { name: 'registry-trusted-cas', mountPath: '/etc/pki/tls/certs', readOnly: true });

    api.clearRequests();
    const again = await regctl(['--pullthrough', '--system-bundle', sysBundle, '--registry', 'r.example.com:5000', '--ca', ca]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(writes(api), []);

    const list = await regctl(['--list']);
    assert.match(list.stdout, /r\.example\.com:5000\s+2099-12-31\s+CN=private-ca/);
    assert.match(list.stdout, /ca-bundle\.crt also holds the system CAs: .*system-bundle\.crt/);
  });

  test('another volume over /etc/pki/tls/certs is never replaced', async () => {
    const own = await startApiServer({ profile: 'openshift3', objects: [{ ...DC, spec: { ...(DC.spec as object), template: { ...(DC.spec as any).template, spec: { ...(DC.spec as any).template.spec, containers: [{ ...(DC.spec as any).template.spec.containers[0], volumeMounts: [{ name: 'mine', mountPath: '/etc/pki/tls/certs' }] }], volumes: [{ name: 'mine', secret: { secretName: 'mine' } }] } } } }] });
    try {
      const r = await run(['--kubeconfig', own.kubeconfigPath, 'trust-ca', '--pullthrough', '--system-bundle', sysBundle, '--registry', 'r.example.com', '--ca', ca]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /already mounts volume mine over \/etc\/pki\/tls\/certs; regctl will not replace it/);
      assert.deepEqual(writes(own), []);
    } finally {
      await own.close();
    }
  });
});

test('trust-ca needs OpenShift', async () => {
  const r = await run(['trust-ca', '--registry', 'r.example.com', '--ca', ca], { cluster: new FakeCluster({ platform: 'kubernetes' }) });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error: trust-ca needs OpenShift/m);
  assert.match(r.stderr, /hint: on Kubernetes, put the CA in each node's runtime trust/);
});
