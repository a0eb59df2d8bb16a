// A 401 or 403 says what to do the way of the platform in use: `oc login` on OpenShift, the
// kubeconfig's credentials and kubectl on Kubernetes; `oc login -u system:admin` only on 3.x.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startApiServer, type Profile } from '../apiserver/index.js';
import { run } from '../support/world.js';

const FORBIDDEN_HINT: Record<Profile, RegExp> = {
  openshift3: /^hint: .*oc login -u system:admin/m,
  openshift4: /^hint: .*oc login -u kubeadmin/m,
  kubernetes: /^hint: .*kubectl create clusterrolebinding <name> --clusterrole=cluster-admin/m,
};

for (const profile of ['openshift3', 'openshift4', 'kubernetes'] as const) {
  test(`${profile}: a refused write and refused credentials are answered with that platform's way`, async () => {
    const api = await startApiServer({ profile });
    try {
      // bob may read, not write.
      api.addToken('bob-token', 'bob', (verb) => ['get', 'list', 'watch'].includes(verb));
      const bob = api.writeKubeconfig({ token: 'bob-token' });
      const args = profile === 'openshift4' ? ['whitelist', '--insecure', 'reg.example.com', '--yes'] : ['deploy', '--yes'];
      const r = await run(['--kubeconfig', bob, ...args]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /^error: Forbidden: /m);
      assert.match(r.stderr, FORBIDDEN_HINT[profile]);
      if (profile !== 'openshift3') assert.doesNotMatch(r.stderr, /system:admin/);

      // Refused credentials are refused at discovery, before the platform is known: both ways.
      const unknown = api.writeKubeconfig({ token: 'nobody-knows-this' });
      const u = await run(['--kubeconfig', unknown, ...args]);
      assert.equal(u.code, 1);
      assert.match(u.stderr, /^error: Unauthorized: /m);
      assert.match(u.stderr, /^hint: log in again \(OpenShift: oc login https:\/\/127\.0\.0\.1:\d+; Kubernetes: refresh the credentials in .*\), or choose another context with --context$/m);
    } finally {
      await api.close();
    }
  });
}
