// One spawned run of the built CLI: access grant and check against the test API server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startApiServer, type TestApiServer } from '../apiserver/index.js';
import { regctl } from '../support/run.js';
import { tempHome } from '../support/world.js';

let api: TestApiServer;
before(async () => {
  api = await startApiServer({ profile: 'openshift4', namespaces: ['default', 'myproject', 'openshift-config'] });
});
after(() => api.close());

test('regctl access grant then check (spawned)', async () => {
  const env = { HOME: tempHome() };
  const g = await regctl(['--kubeconfig', api.kubeconfigPath, 'access', 'grant', 'alice', '--pull', '-n', 'myproject'], { env });
  assert.equal(g.code, 0, g.stderr);
  assert.equal(g.stdout, 'rolebinding.rbac.authorization.k8s.io/registry-viewer created\n');
  const c = await regctl(['--kubeconfig', api.kubeconfigPath, 'access', 'check', 'alice', '-n', 'myproject'], { env });
  assert.equal(c.code, 0, c.stderr);
  assert.match(c.stdout, /^pull {3}yes  RBAC: allowed by RoleBinding "registry-viewer\/myproject"/m);
  assert.match(c.stdout, /^push {3}no /m);
});
