// The transport (src/cluster/http.ts) over HTTP/2 when the server offers h2, as kube-apiserver
// does: one TLS connection for the whole run, every request a stream; the kubeconfig's TLS
// settings, the request timeout and followed logs over it; HTTP/1.1 keep-alive when it does not.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import { connect } from '../../src/cluster/index.js';
import { loadKubeconfig } from '../../src/cluster/kubeconfig.js';
import { transport } from '../../src/cluster/http.js';
import type { GlobalOptions } from '../../src/context.js';
import { startApiServer, type TestApiServer } from '../apiserver/index.js';
import { regctl } from '../support/run.js';

const globals = (g: Partial<GlobalOptions> = {}): GlobalOptions => ({ dryRun: 'none', yes: false, verbose: false, ...g });
const dir = mkdtempSync(join(tmpdir(), 'regctl-http2-'));
let h2: TestApiServer;
let h1: TestApiServer;
before(async () => {
  [h2, h1] = await Promise.all([startApiServer({ profile: 'openshift3' }), startApiServer({ profile: 'openshift3', http1Only: true })]);
});
after(async () => Promise.all([h2.close(), h1.close()]));

const service = { apiVersion: 'v1', kind: 'Service', name: 'kubernetes', namespace: 'default' };

test('h2 offered: a whole regctl run is one TLS connection, every request HTTP/2, and the process exits when done', async () => {
  h2.clearRequests();
  const t = Date.now();
  const r = await regctl(['--kubeconfig', h2.kubeconfigPath, 'deploy', '--dry-run'], { env: { HOME: mkdtempSync(join(tmpdir(), 'regctl-http2-home-')) } });
  assert.match(r.stderr, /Docker registry "docker-registry" service does not exist/);
  assert.ok(h2.requests.length >= 5, `${h2.requests.length} requests`);
  assert.deepEqual([...new Set(h2.requests.map((q) => q.httpVersion))], ['2.0']);
  assert.equal(h2.connections, 1);
  // The idle session holds nothing open: no wait for a keep-alive or idle timeout.
  assert.ok(Date.now() - t < 5000, `took ${Date.now() - t} ms`);
});

test('h2 not offered: HTTP/1.1 keep-alive, the connection that asked for h2 serving the first request', async () => {
  const cluster = await connect(globals({ kubeconfig: h1.kubeconfigPath }), {});
  h1.clearRequests();
  // Discovery's three reads at once: three HTTP/1.1 connections, the probing one among them.
  await cluster.info();
  assert.equal(h1.requests.length, 3);
  assert.equal(h1.connections, 3);
  assert.deepEqual([...new Set(h1.requests.map((q) => q.httpVersion))], ['1.1']);
  // One after the other: a kept-alive connection is reused.
  assert.equal((await cluster.get(service))?.metadata.name, 'kubernetes');
  assert.equal((await cluster.get({ ...service, name: 'nope' })), undefined);
  assert.equal(h1.connections, 3);
  const r = await regctl(['--kubeconfig', h1.kubeconfigPath, 'deploy', '--dry-run'], { env: { HOME: mkdtempSync(join(tmpdir(), 'regctl-http2-home-')) } });
  assert.match(r.stderr, /Docker registry "docker-registry" service does not exist/);
});

test('over h2 the kubeconfig CA is checked: another CA is one TLS line', async () => {
  const other = await h2.issueClientCertificate('not-a-ca');
  const cfg = load(readFileSync(h2.kubeconfigPath, 'utf8')) as any;
  cfg.clusters[0].cluster['certificate-authority-data'] = Buffer.from(other.certPem).toString('base64');
  const wrongCa = join(dir, 'wrong-ca');
  writeFileSync(wrongCa, dump(cfg));
  h2.clearRequests();
  const cluster = await connect(globals({ kubeconfig: wrongCa }), {});
  await assert.rejects(cluster.info(), /^OperationError: TLS verification of https:\/\/127\.0\.0\.1:\d+ \(context "test" in .*wrong-ca\) failed: [^\n]*certificate[^\n]*$/);
  assert.equal(h2.requests.length, 0);
  // insecure-skip-tls-verify takes any certificate, still over h2.
  const insecure = h2.writeKubeconfig({ insecureSkipTLSVerify: true });
  h2.clearRequests();
  assert.equal((await (await connect(globals({ kubeconfig: insecure }), {})).info()).platform, 'openshift3');
  assert.ok(h2.requests.every((q) => q.httpVersion === '2.0'));
});

test('over h2 a client certificate authenticates (its CN is the user), with no token', async () => {
  const cert = await h2.issueClientCertificate('system:admin', ['system:masters']);
  const kc = h2.writeKubeconfig({ clientCertificate: cert });
  h2.clearRequests();
  const cluster = await connect(globals({ kubeconfig: kc }), {});
  assert.equal((await cluster.get(service))?.metadata.name, 'kubernetes');
  assert.deepEqual(h2.requests.map((q) => [q.user, q.httpVersion, q.status]), [['system:admin', '2.0', 200]]);
});

test('over h2 --request-timeout ends a request the server is slow to answer; the session serves the next one', async () => {
  const http = await transport(loadKubeconfig(globals({ kubeconfig: h2.kubeconfigPath }), {}), { requestTimeoutMs: 300 });
  await http.send('GET', '/version');
  h2.clearRequests();
  h2.delayMs = 2000;
  const t = Date.now();
  try {
    await assert.rejects(http.send('GET', '/apis'), /^OperationError: https:\/\/127\.0\.0\.1:\d+ \(context "test" in .*\) gave no answer within 0\.3s \(--request-timeout\)$/);
  } finally {
    h2.delayMs = 0;
  }
  assert.ok(Date.now() - t < 1500, `took ${Date.now() - t} ms`);
  assert.equal((await http.send('GET', '/version')).status, 200);
  assert.equal(h2.connections, 0, 'the cancelled stream left the connection usable');
});

test('over h2 a followed log streams each chunk as the container writes it, until it stops', async () => {
  h2.putObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'streamer', namespace: 'default' }, spec: { containers: [{ name: 'registry', image: 'registry:2' }] } });
  h2.setPodLog('default', 'streamer', 'first\n');
  const cluster = await connect(globals({ kubeconfig: h2.kubeconfigPath }), {});
  h2.clearRequests();
  const chunks: string[] = [];
  let wake = () => {};
  const followed = cluster.followLogs!('default', 'streamer', {}, (c) => {
    chunks.push(c);
    wake();
  });
  const seen = (text: string) => new Promise<void>((resolve) => {
    wake = () => chunks.join('').includes(text) && resolve();
    wake();
  });
  await seen('first\n');
  h2.appendPodLog('default', 'streamer', 'second\n');
  await seen('second\n');
  h2.endPodLog('default', 'streamer');
  await followed;
  assert.equal(chunks.join(''), 'first\nsecond\n');
  assert.deepEqual(h2.requests.map((q) => [q.query.follow, q.httpVersion]), [['true', '2.0']]);
});

test('over h2 a request body goes with every method: a DELETE carries its precondition (a stale one is a Conflict)', async () => {
  const cm = h2.putObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'h2-delete', namespace: 'default' }, data: { a: 'b' } });
  const cluster = await connect(globals({ kubeconfig: h2.kubeconfigPath }), {});
  const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'h2-delete', namespace: 'default' };
  await assert.rejects(cluster.delete(ref, { resourceVersion: '1' }), /Conflict/);
  assert.ok(h2.getObject('v1', 'ConfigMap', 'h2-delete', 'default'));
  h2.clearRequests();
  await cluster.delete(ref, { resourceVersion: cm.metadata.resourceVersion });
  assert.equal(h2.getObject('v1', 'ConfigMap', 'h2-delete', 'default'), undefined);
  assert.deepEqual(h2.requests.map((q) => [q.method, q.httpVersion, (q.body as any)?.preconditions]), [['DELETE', '2.0', { resourceVersion: cm.metadata.resourceVersion }]]);
});
