// One spawned run of the built CLI: trust-ca against the test API server, as a user types it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type TestApiServer } from '../apiserver/index.js';
import { opensslCA } from '../support/pki.js';
import { regctl } from '../support/run.js';

let api: TestApiServer;
let dir: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'regctl-trust-smoke-'));
  api = await startApiServer({ profile: 'openshift4', objects: [{ apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: {} }] });
});
after(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

test('regctl trust-ca (spawned) trusts a registry on a port and lists it', async () => {
  const ca = opensslCA(dir, 'smoke-ca').cert;
  const r = await regctl(['--kubeconfig', api.kubeconfigPath, 'trust-ca', '--registry', 'registry.example.com:5000', '--ca', ca], { env: { HOME: dir } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'configmap/registry-cas created\nimage.config.openshift.io/cluster configured\n');
  const list = await regctl(['--kubeconfig', api.kubeconfigPath, 'trust-ca', '--list'], { env: { HOME: dir } });
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /registry\.example\.com:5000\s+2099-12-31\s+CN=smoke-ca/);
});
