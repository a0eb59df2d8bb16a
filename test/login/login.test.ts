// regctl login in-process against the test API server: the registry's address per release,
// the kubeconfig user's token on the login command's standard input (never on its command
// line or in any message), --print, and the users that cannot have tokens.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startApiServer, type TestApiServer } from '../apiserver/index.js';
import { run } from '../support/world.js';
import type { KubeObject } from '../../src/objects.js';

const route = (name: string, ns: string, to: string, host: string): KubeObject => ({
  apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: { name, namespace: ns }, spec: { host, to: { kind: 'Service', name: to }, tls: { termination: 'passthrough' } },
});
const service = (name: string, ns: string, port: number): KubeObject => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector: { app: name }, ports: [{ name: `${port}-tcp`, port, protocol: 'TCP', targetPort: port }] },
});

/** Runs login with a recording exec; returns what ran and what it was fed. */
async function login(kubeconfig: string, args: string[], fail?: string) {
  const fed: string[] = [];
  const r = await run(['--kubeconfig', kubeconfig, 'login', ...args], {
    exec: async (_c, _a, stdin) => {
      fed.push(stdin ?? '');
      if (fail) throw new Error(fail);
      return 'Login Succeeded!';
    },
  });
  return { ...r, fed };
}

describe('login on OpenShift 4', () => {
  let api: TestApiServer;
  before(async () => {
    api = await startApiServer({ profile: 'openshift4', objects: [service('image-registry', 'openshift-image-registry', 5000)] });
  });
  after(() => api.close());

  test('without a route: podman, the service address, the token on standard input and nowhere else', async () => {
    const r = await login(api.kubeconfigPath, []);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.ran, [['podman', 'login', '-u', 'admin', '--password-stdin', 'image-registry.openshift-image-registry.svc:5000']]);
    assert.deepEqual(r.fed, [api.token]);
    assert.ok(!r.stdout.includes(api.token) && !r.stderr.includes(api.token), 'the token is never printed');
    assert.match(r.stderr, /warning: image-registry\.openshift-image-registry\.svc:5000 is the registry's service address: it answers only inside the cluster/);
    assert.match(r.stderr, /ran podman login -u admin --password-stdin image-registry\.openshift-image-registry\.svc:5000\n/);
  });

  test('exposed: the default route host; --internal keeps the service address', async () => {
    api.putObject(route('default-route', 'openshift-image-registry', 'image-registry', 'default-route-openshift-image-registry.apps.example.com'));
    const r = await login(api.kubeconfigPath, []);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.ran[0]!.at(-1), 'default-route-openshift-image-registry.apps.example.com');
    assert.match(r.stderr, /if podman refuses the certificate of route default-route .* --tls-verify=false/);
    const internal = await login(api.kubeconfigPath, ['--internal']);
    assert.deepEqual(internal.ran[0]!.at(-1), 'image-registry.openshift-image-registry.svc:5000');
  });

  test('--tls-verify=false only when asked, with the documents\' note about the routes\' default certificate', async () => {
    const r = await login(api.kubeconfigPath, ['--tls-verify=false']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.ran[0]!.slice(0, 6), ['podman', 'login', '-u', 'admin', '--password-stdin', '--tls-verify=false']);
    assert.match(r.stderr, /--tls-verify=false is needed only if the cluster's default certificate for routes is untrusted; you can set a custom, trusted certificate as the default certificate with the Ingress Operator/);
    const docker = await login(api.kubeconfigPath, ['--docker', '--tls-verify=false']);
    assert.equal(docker.code, 2);
    assert.match(docker.stderr, /--tls-verify=false: docker login has no such flag/);
    assert.deepEqual(docker.ran, []);
  });

  test('--print prints the line that reads the token with oc; --show-token puts the token in', async () => {
    const p = await login(api.kubeconfigPath, ['--print']);
    assert.equal(p.code, 0, p.stderr);
    assert.deepEqual(p.ran, []);
    assert.equal(p.stdout, `oc --kubeconfig ${api.kubeconfigPath} whoami -t | podman login -u admin --password-stdin default-route-openshift-image-registry.apps.example.com\n`);
    assert.ok(!p.stdout.includes(api.token) && !p.stderr.includes(api.token));
    const shown = await login(api.kubeconfigPath, ['--print', '--show-token']);
    assert.equal(shown.stdout, `podman login -u admin -p ${api.token} default-route-openshift-image-registry.apps.example.com\n`);
    const refused = await login(api.kubeconfigPath, ['--show-token']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--show-token puts the token in the --print line/);
  });

  test('a user name with a colon is refused; the kubeconfig entry is cut before its slash', async () => {
    const r = await login(api.kubeconfigPath, ['--username', 'a:b']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--username: "a:b" cannot be used: the registry refuses a user name that is empty or holds a colon/);
  });

  test('system:admin with a client certificate is refused with the documents\' reason, nothing run', async () => {
    const cert = await api.issueClientCertificate('system:admin', ['system:masters']);
    const kc = api.writeKubeconfig({ clientCertificate: cert });
    const r = await login(kc, []);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error: the kubeconfig's user "system:admin" authenticates with a client certificate, and the registry takes only access tokens: system users, such as system:admin, cannot obtain access tokens and, therefore, cannot access the registry directly\n/);
    assert.match(r.stderr, /hint: log in to the cluster as a regular user first \(oc login -u <user>\)/);
    assert.deepEqual(r.ran, []);
  });

  test('a failing login command is reported without the token', async () => {
    const r = await login(api.kubeconfigPath, [], 'podman login failed: unauthorized');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /unauthorized/);
    assert.ok(!r.stderr.includes(api.token));
  });
});

describe('login on OpenShift 3.x', () => {
  let api: TestApiServer;
  before(async () => {
    api = await startApiServer({ profile: 'openshift3', objects: [service('docker-registry', 'default', 5000)] });
  });
  after(() => api.close());

  test('docker, the service address; then the passthrough route host once exposed', async () => {
    api.addToken('alice-token', 'alice');
    const kc = api.writeKubeconfig({ token: 'alice-token' });
    const r = await login(kc, []);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.ran, [['docker', 'login', '-u', 'admin', '--password-stdin', 'docker-registry.default.svc:5000']]);
    assert.deepEqual(r.fed, ['alice-token']);
    api.putObject(route('docker-registry', 'default', 'docker-registry', 'registry.apps.example.com'));
    const exposed = await login(kc, ['--podman']);
    assert.deepEqual(exposed.ran, [['podman', 'login', '-u', 'admin', '--password-stdin', 'registry.apps.example.com']]);
  });

  test('no registry service: refused with the command that deploys one', async () => {
    const r = await login(api.kubeconfigPath, ['-n', 'elsewhere']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error: no registry in elsewhere: service docker-registry not found\nhint: deploy it with `regctl deploy`/);
  });
});

test('login needs OpenShift: a Kubernetes registry has its own credentials', async () => {
  const api = await startApiServer({ profile: 'kubernetes' });
  try {
    const r = await run(['--kubeconfig', api.kubeconfigPath, 'login']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: login needs OpenShift/m);
    assert.deepEqual(r.ran, []);
  } finally {
    await api.close();
  }
});
