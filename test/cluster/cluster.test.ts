// src/cluster against the test API server, in process: how regctl finds the cluster and
// credentials, discovers what it is, and what it does with the server's answers.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load, dump } from 'js-yaml';
import { connect } from '../../src/cluster/index.js';
import type { GlobalOptions } from '../../src/context.js';
import { startApiServer, type TestApiServer } from '../apiserver/index.js';

const globals = (g: Partial<GlobalOptions> = {}): GlobalOptions => ({ dryRun: 'none', yes: false, verbose: false, ...g });
const dir = mkdtempSync(join(tmpdir(), 'regctl-cluster-'));
let os3: TestApiServer;
let os4: TestApiServer;
let k8s: TestApiServer;
before(async () => {
  [os3, os4, k8s] = await Promise.all([startApiServer({ profile: 'openshift3' }), startApiServer({ profile: 'openshift4' }), startApiServer({ profile: 'kubernetes' })]);
});
after(async () => Promise.all([os3.close(), os4.close(), k8s.close()]));

test('discovery tells the three kinds of cluster apart, and reads the 3.x OpenShift version', async () => {
  const [a, b, c] = await Promise.all([os3, os4, k8s].map(async (api) => (await connect(globals({ kubeconfig: api.kubeconfigPath }), {})).info()));
  assert.equal(a!.platform, 'openshift3');
  assert.match(a!.openshiftVersion ?? '', /^v3\.11/);
  assert.ok(a!.groups.has('apps.openshift.io'));
  assert.equal(b!.platform, 'openshift4');
  assert.ok(b!.groups.has('imageregistry.operator.openshift.io'));
  assert.equal(c!.platform, 'kubernetes');
  assert.equal(c!.openshiftVersion, undefined);
});

test('discovery is fetched once however many calls need it', async () => {
  const cluster = await connect(globals({ kubeconfig: os3.kubeconfigPath }), {});
  os3.clearRequests();
  await Promise.all([cluster.info(), cluster.get({ apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig', name: 'x' }), cluster.get({ apiVersion: 'route.openshift.io/v1', kind: 'Route', name: 'x' })]);
  assert.equal(os3.requests.filter((r) => r.path === '/apis').length, 1);
});

test('a kind from an API group the cluster lacks is one clear 404 line, whatever the read sent beside discovery got; no write is sent', async () => {
  const cluster = await connect(globals({ kubeconfig: k8s.kubeconfigPath }), {});
  k8s.clearRequests();
  await assert.rejects(cluster.get({ apiVersion: 'route.openshift.io/v1', kind: 'Route', name: 'docker-registry' }), /has no API group "route\.openshift\.io" \(for Route\): this is not an OpenShift cluster/);
  await assert.rejects(cluster.list('route.openshift.io/v1', 'Route'), /has no API group "route\.openshift\.io"/);
  await assert.rejects(cluster.create({ apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: { name: 'r', namespace: 'default' } }), /has no API group "route\.openshift\.io"/);
  assert.ok(!k8s.requests.some((r) => r.path.includes('routes') && r.method !== 'GET'));
});

test('a namespace comes from -n, else the context, else default', async () => {
  const kc = os3.writeKubeconfig({ namespace: 'infra' });
  assert.equal((await connect(globals({ kubeconfig: kc }), {})).namespace, 'infra');
  assert.equal((await connect(globals({ kubeconfig: kc, namespace: 'other' }), {})).namespace, 'other');
  const cfg = load(readFileSync(os3.kubeconfigPath, 'utf8')) as any;
  delete cfg.contexts[0].context.namespace;
  const bare = join(dir, 'no-namespace');
  writeFileSync(bare, dump(cfg));
  assert.equal((await connect(globals({ kubeconfig: bare }), {})).namespace, 'default');
});

test('KUBECONFIG is a colon list, merged; --context picks among them', async () => {
  const a = os3.writeKubeconfig({ contextName: 'three' });
  const b = k8s.writeKubeconfig({ contextName: 'kube' });
  // Same cluster/user names in both files: the first file wins for those, as kubectl merges.
  const cfgB = load(readFileSync(b, 'utf8')) as any;
  cfgB.clusters[0].name = 'kube-cluster';
  cfgB.users[0].name = 'kube-user';
  cfgB.contexts[0].context = { cluster: 'kube-cluster', user: 'kube-user' };
  writeFileSync(b, dump(cfgB));
  const env = { KUBECONFIG: `${a}:${b}` };
  assert.equal((await (await connect(globals(), env)).info()).platform, 'openshift3');
  assert.equal((await (await connect(globals({ context: 'kube' }), env)).info()).platform, 'kubernetes');
});

test('insecure-skip-tls-verify reaches a server whose CA is not given; without it and without a CA, a TLS error names the server', async () => {
  const insecure = os3.writeKubeconfig({ insecureSkipTLSVerify: true });
  assert.equal((await (await connect(globals({ kubeconfig: insecure }), {})).info()).platform, 'openshift3');
  const cfg = load(readFileSync(insecure, 'utf8')) as any;
  delete cfg.clusters[0].cluster['insecure-skip-tls-verify'];
  const untrusted = join(dir, 'untrusted');
  writeFileSync(untrusted, dump(cfg));
  await assert.rejects((await connect(globals({ kubeconfig: untrusted }), {})).info(), new RegExp(`TLS verification of ${os3.url.replace(/\./g, '\\.')} \\(context "test" in .*untrusted\\) failed: .*certificate`));
});

test('an exec credential plugin supplies the token, as client-node runs it', async () => {
  const plugin = join(dir, 'token-plugin.sh');
  writeFileSync(plugin, `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"${os3.token}"}}'\n`);
  chmodSync(plugin, 0o755);
  const cfg = load(readFileSync(os3.kubeconfigPath, 'utf8')) as any;
  cfg.users[0].user = { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: plugin, interactiveMode: 'Never' } };
  const kc = join(dir, 'exec');
  writeFileSync(kc, dump(cfg));
  const cluster = await connect(globals({ kubeconfig: kc }), {});
  assert.notEqual(await cluster.get({ apiVersion: 'v1', kind: 'Service', name: 'kubernetes', namespace: 'default' }), undefined);
});

test('reads are retried on 503 and 500; a create that fails with 500 is not sent twice', async () => {
  const cluster = await connect(globals({ kubeconfig: os3.kubeconfigPath }), {});
  await cluster.info();
  os3.clearRequests();
  os3.inject({ method: 'GET', path: /services\/kubernetes$/, status: 503, reason: 'ServiceUnavailable', message: 'try later' });
  os3.inject({ method: 'GET', path: /services\/kubernetes$/, status: 500, reason: 'InternalError', message: 'boom' });
  assert.notEqual(await cluster.get({ apiVersion: 'v1', kind: 'Service', name: 'kubernetes', namespace: 'default' }), undefined);
  assert.equal(os3.requests.length, 3);
  os3.clearRequests();
  os3.inject({ method: 'POST', path: /configmaps$/, status: 500, reason: 'InternalError', message: 'boom' });
  await assert.rejects(cluster.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'once', namespace: 'default' }, data: {} }), /InternalError: boom/);
  assert.equal(os3.requests.filter((r) => r.method === 'POST').length, 1);
});

test('a conflict on replace says the object changed and to run again', async () => {
  const cluster = await connect(globals({ kubeconfig: os3.kubeconfigPath }), {});
  const cm = await cluster.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'raced', namespace: 'default' }, data: { a: '1' } });
  await cluster.replace({ ...cm, data: { a: '2' } });
  await assert.rejects(cluster.replace({ ...cm, data: { a: '3' } }), (e: any) => e.status === 409 && /the object has been modified/.test(e.message) && /run the command again/.test(e.hint));
});

test('patch types: merge and JSON patches on a custom resource; strategic merge refused there (415)', async () => {
  const cluster = await connect(globals({ kubeconfig: os4.kubeconfigPath }), {});
  const ref = { apiVersion: 'config.openshift.io/v1', kind: 'Image', name: 'cluster' };
  const merged = await cluster.patch(ref, { spec: { registrySources: { insecureRegistries: ['reg.example.com'] } } }, 'merge');
  assert.deepEqual((merged as any).spec.registrySources.insecureRegistries, ['reg.example.com']);
  const jsoned = await cluster.patch(ref, [{ op: 'add', path: '/spec/registrySources/insecureRegistries/-', value: 'two.example.com' }], 'json');
  assert.deepEqual((jsoned as any).spec.registrySources.insecureRegistries, ['reg.example.com', 'two.example.com']);
  await assert.rejects(cluster.patch(ref, { spec: {} }, 'strategic'), (e: any) => e.status === 415);
});

test('dryRun=All validates without storing', async () => {
  const cluster = await connect(globals({ kubeconfig: os3.kubeconfigPath }), {});
  const out = await cluster.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'dry', namespace: 'default' }, stringData: { a: 'b' } }, { dryRun: true });
  assert.equal(out.metadata.name, 'dry');
  assert.equal(os3.getObject('v1', 'Secret', 'dry', 'default'), undefined);
});

test('pod logs come back as text', async () => {
  const cluster = await connect(globals({ kubeconfig: os3.kubeconfigPath }), {});
  os3.putObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'docker-registry-1-x', namespace: 'default' }, spec: { containers: [{ name: 'registry', image: 'x' }] } });
  os3.setPodLog('default', 'docker-registry-1-x', 'time="..." level=info msg="listening on :5000, tls"\n');
  assert.match(await cluster.logs('default', 'docker-registry-1-x'), /listening on :5000, tls/);
});
