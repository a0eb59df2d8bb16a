// The built `regctl reuse-ip` spawned against the test API server: the registry comes back with
// its address. Everything else about reuse-ip runs in-process (test/reuse-ip/*.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer } from '../apiserver/index.js';
import { regctl } from '../support/run.js';

test('spawned: deploy, then reuse-ip --yes re-creates the registry with the same cluster IP', async () => {
  const api = await startApiServer({ profile: 'openshift3' });
  try {
    const env = { HOME: mkdtempSync(join(tmpdir(), 'regctl-home-')) };
    assert.equal((await regctl(['--kubeconfig', api.kubeconfigPath, 'deploy'], { env })).code, 0);
    const ip = (api.getObject('v1', 'Service', 'docker-registry', 'default') as any).spec.clusterIP;
    const r = await regctl(['--kubeconfig', api.kubeconfigPath, 'reuse-ip', '--yes'], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^service\/docker-registry created$/m);
    assert.equal((api.getObject('v1', 'Service', 'docker-registry', 'default') as any).spec.clusterIP, ip);
  } finally {
    await api.close();
  }
});
