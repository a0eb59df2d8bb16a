// One spawned run of the built CLI: login --print against the test API server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startApiServer, type TestApiServer } from '../apiserver/index.js';
import { regctl } from '../support/run.js';
import { tempHome } from '../support/world.js';

let api: TestApiServer;
before(async () => {
  api = await startApiServer({
    profile: 'openshift4',
    objects: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'image-registry', namespace: 'openshift-image-registry' }, spec: { selector: { app: 'r' }, ports: [{ port: 5000, protocol: 'TCP', targetPort: 5000 }] } }],
  });
});
after(() => api.close());

test('regctl login --print (spawned) names the service address and hides the token', async () => {
  const r = await regctl(['--kubeconfig', api.kubeconfigPath, 'login', '--print'], { env: { HOME: tempHome() } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `oc --kubeconfig ${api.kubeconfigPath} whoami -t | podman login -u admin --password-stdin image-registry.openshift-image-registry.svc:5000\n`);
  assert.ok(!r.stdout.includes(api.token) && !r.stderr.includes(api.token));
});
