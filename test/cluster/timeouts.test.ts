// A server that accepts connections but never answers ends the run in seconds with one line;
// --request-timeout (kubectl's spelling, default 0 = no limit) bounds each request.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { loadKubeconfig } from '../../src/cluster/kubeconfig.js';
import { transport } from '../../src/cluster/http.js';
import { parseRequestTimeout } from '../../src/validate.js';
import { startApiServer, type TestApiServer } from '../apiserver/index.js';
import { regctl } from '../support/run.js';

const dir = mkdtempSync(join(tmpdir(), 'regctl-timeouts-'));
let silent: Server;
const sockets: Socket[] = [];
let silentKubeconfig: string;
let api: TestApiServer;

before(async () => {
  // Accepts TCP connections and says nothing, ever (a wrong port, a hung proxy).
  silent = createServer((s) => sockets.push(s));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const { port } = silent.address() as AddressInfo;
  silentKubeconfig = join(dir, 'silent');
  writeFileSync(silentKubeconfig, dump({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'c', cluster: { server: `https://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true } }], users: [{ name: 'u', user: { token: 't' } }], contexts: [{ name: 'silent', context: { cluster: 'c', user: 'u' } }], 'current-context': 'silent' }));
  api = await startApiServer({ profile: 'openshift3' });
});
after(async () => {
  for (const s of sockets) s.destroy();
  silent.close();
  await api.close();
});

const globals = { dryRun: 'none' as const, yes: false, verbose: false };

test('--request-timeout takes whole seconds or a Go duration; 0 means no limit; anything else is a usage error', () => {
  assert.equal(parseRequestTimeout('0'), 0);
  assert.equal(parseRequestTimeout('5'), 5000);
  assert.equal(parseRequestTimeout('1.5s'), 1500);
  assert.equal(parseRequestTimeout('2m'), 120_000);
  assert.equal(parseRequestTimeout('300ms'), 300);
  for (const bad of ['soon', '-1s', '5x', '']) assert.throws(() => parseRequestTimeout(bad), /--request-timeout: invalid value/);
});

test('a server that never completes the TLS handshake fails the request after the connect timeout, not retried', async () => {
  const http = await transport(loadKubeconfig({ ...globals, kubeconfig: silentKubeconfig }, {}), { connectTimeoutMs: 300 });
  const before = sockets.length;
  const t = Date.now();
  await assert.rejects(http.send('GET', '/apis'), (e: Error) => /^cannot connect to https:\/\/127\.0\.0\.1:\d+ \(context "silent" in .*silent\): no TLS handshake within 0\.3s$/.test(e.message));
  assert.ok(Date.now() - t < 2000);
  assert.equal(sockets.length - before, 1);
});

test('regctl against a silent server: one error line within seconds, with the default and with --request-timeout', async () => {
  let t = Date.now();
  const r = await regctl(['--kubeconfig', silentKubeconfig, 'deploy', '--dry-run']);
  const defaultSeconds = (Date.now() - t) / 1000;
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /^error: cannot connect to https:\/\/127\.0\.0\.1:\d+ \(context "silent" in .*\): no TLS handshake within 10s\nhint: /);
  assert.ok(defaultSeconds < 15, `took ${defaultSeconds}s`);
  t = Date.now();
  const q = await regctl(['--kubeconfig', silentKubeconfig, '--request-timeout', '1s', 'deploy', '--dry-run']);
  assert.equal(q.code, 1, q.stderr);
  assert.match(q.stderr, /^error: https:\/\/127\.0\.0\.1:\d+ \(context "silent" in .*\) gave no answer within 1s \(--request-timeout\)\n/);
  assert.ok(Date.now() - t < 5000);
});

test('--request-timeout bounds a request the server is slow to answer; a bad value is exit 2', async () => {
  api.delayMs = 3000;
  try {
    const r = await regctl(['--kubeconfig', api.kubeconfigPath, '--request-timeout=500ms', 'deploy', '--dry-run']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /gave no answer within 0\.5s \(--request-timeout\)\nhint: raise --request-timeout/);
  } finally {
    api.delayMs = 0;
  }
  const bad = await regctl(['--kubeconfig', api.kubeconfigPath, '--request-timeout', 'soon', 'deploy', '--dry-run']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--request-timeout: invalid value "soon"/);
});
