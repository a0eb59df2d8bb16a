// `regctl deploy` against the in-repo test API server (and a real cluster when
// REGCTL_TEST_KUBECONFIG is set): what it creates, what it refuses, how it fails and recovers.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type TestApiServer } from '../apiserver/index.js';
import { run as runInProcess } from '../support/world.js';

/** regctl in-process, as a user would type it (the spawned smoke test is test/deploy/smoke.test.ts). */
const regctl = (args: string[], opts: { env?: NodeJS.ProcessEnv } = {}) => runInProcess(args, { env: opts.env });

const SVC = ['v1', 'Service', 'docker-registry', 'default'] as const;
const writes = (api: TestApiServer) => api.requests.filter((r) => r.method !== 'GET');

async function server(profile: 'openshift3' | 'kubernetes' | 'openshift4' = 'openshift3', objects: any[] = []) {
  const api = await startApiServer({ profile, objects });
  const home = mkdtempSync(join(tmpdir(), 'regctl-home-'));
  const run = (args: string[], env: Record<string, string> = {}) => regctl(['--kubeconfig', api.kubeconfigPath, ...args], { env: { HOME: home, REGCTL_POLL_INTERVAL_MS: '20', ...env } });
  return { api, run, home };
}

let s: Awaited<ReturnType<typeof server>>;
before(async () => (s = await server()));
after(async () => s.api.close());

test('deploy creates the service account, binding, DeploymentConfig and service in order, and says so', async () => {
  s.api.clearRequests();
  const r = await s.run(['deploy']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    [
      'serviceaccount/registry created',
      'clusterrolebinding.rbac.authorization.k8s.io/registry-registry-role created',
      'deploymentconfig.apps.openshift.io/docker-registry created',
      'service/docker-registry created',
      '',
    ].join('\n'),
  );
  assert.deepEqual(writes(s.api).map((q) => `${q.method} ${q.path}`), [
    'POST /api/v1/namespaces/default/serviceaccounts',
    'POST /apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
    'POST /apis/apps.openshift.io/v1/namespaces/default/deploymentconfigs',
    'POST /api/v1/namespaces/default/services',
  ]);
  // The image follows the cluster's OpenShift version (/version/openshift).
  const dc = s.api.getObject('apps.openshift.io/v1', 'DeploymentConfig', 'docker-registry', 'default') as any;
  assert.match(dc.spec.template.spec.containers[0].image, /^openshift\/origin-docker-registry:v3\.11/);
  // Discovery once: one GET /apis for the whole run.
  assert.equal(s.api.requests.filter((q) => q.path === '/apis').length, 1);
});

test('a second deploy finds the service, changes nothing and exits 0, as oc adm registry', async () => {
  s.api.clearRequests();
  const r = await s.run(['deploy']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'Docker registry "docker-registry" service exists\n');
  assert.deepEqual(writes(s.api), []);
});

test('--dry-run reports an existing registry with exit 0', async () => {
  const r = await s.run(['deploy', '--dry-run']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, 'Docker registry "docker-registry" service exists\n');
});

test('--dry-run without a registry lists the steps on stdout, exits 1 as oc does ("service does not exist") and creates nothing', async () => {
  const t = await server();
  try {
    const r = await t.run(['deploy', '--dry-run']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^1\. create serviceaccount\/registry in default$/m);
    assert.match(r.stdout, /^4\. create service\/docker-registry in default$/m);
    assert.match(r.stderr, /error: Docker registry "docker-registry" service does not exist/);
    assert.deepEqual(writes(t.api), []);
  } finally {
    await t.api.close();
  }
});

test('--dry-run=server sends every object with dryRun=All and stores none', async () => {
  const t = await server();
  try {
    const r = await t.run(['deploy', '--dry-run=server']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /deploymentconfig\.apps\.openshift\.io\/docker-registry created \(server dry run\)/);
    assert.equal(writes(t.api).length, 4);
    assert.ok(writes(t.api).every((q) => q.query.dryRun === 'All'));
    assert.equal(t.api.getObject(...SVC), undefined);
  } finally {
    await t.api.close();
  }
});

test('on plain Kubernetes: the upstream registry as a Deployment, no system:registry binding, and a note why', async () => {
  const t = await server('kubernetes');
  try {
    const r = await t.run(['deploy', '--pvc=registry']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /plain Kubernetes: deploying the upstream registry \(docker\.io\/library\/registry:2\) as a Deployment/);
    assert.equal(r.stdout, 'serviceaccount/registry created\ndeployment.apps/docker-registry created\nservice/docker-registry created\n');
    const d = t.api.getObject('apps/v1', 'Deployment', 'docker-registry', 'default') as any;
    assert.equal(d.spec.template.spec.containers[0].image, 'docker.io/library/registry:2');
  } finally {
    await t.api.close();
  }
});

test('--platform that contradicts the cluster is refused before anything is created', async () => {
  const t = await server('kubernetes');
  try {
    const r = await t.run(['deploy', '--platform=openshift3']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--platform openshift3: the cluster at https:\/\/127\.0\.0\.1:\d+ is kubernetes/);
    assert.deepEqual(writes(t.api), []);
  } finally {
    await t.api.close();
  }
});

test('--mount-host without a terminal or --yes refuses to grant the privileged SCC, and creates nothing', async () => {
  const t = await server();
  try {
    const r = await t.run(['deploy', '--mount-host=/data']);
    assert.equal(r.code, 2);
    // Refused first, in one line, before any warning.
    assert.equal(r.stderr, 'error: --mount-host runs the registry privileged. Add system:serviceaccount:default:registry to the privileged SCC: --yes is required when not running interactively\n');
    assert.deepEqual(writes(t.api), []);
  } finally {
    await t.api.close();
  }
});

test('--mount-host --yes adds the service account to the privileged SCC and backs the SCC up first', async () => {
  const t = await server();
  try {
    const r = await t.run(['deploy', '--mount-host=/data', '--yes']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^securitycontextconstraints\.security\.openshift\.io\/privileged configured$/m);
    assert.match(r.stderr, /privileged SCC \(regctl adds it\)/);
    assert.match(r.stderr, /sudo chown 1001:root \/data {3}# on every node that can run the registry/);
    const scc = t.api.getObject('security.openshift.io/v1', 'SecurityContextConstraints', 'privileged') as any;
    assert.ok(scc.users.includes('system:serviceaccount:default:registry'));
    const patch = writes(t.api).find((q) => q.method === 'PATCH')!;
    assert.equal(patch.contentType, 'application/json-patch+json');
    const runs = readdirSync(join(t.home, '.regctl', 'backups'));
    assert.equal(runs.length, 1);
    const files = readdirSync(join(t.home, '.regctl', 'backups', runs[0]!));
    assert.match(readFileSync(join(t.home, '.regctl', 'backups', runs[0]!, files[0]!), 'utf8'), /name: privileged/);
  } finally {
    await t.api.close();
  }
});

test('a failure halfway undoes what was created and exits 1 with the server\'s reason', async () => {
  const t = await server();
  try {
    t.api.inject({ method: 'POST', path: /deploymentconfigs$/, status: 500, reason: 'InternalError', message: 'etcdserver: request timed out' });
    const r = await t.run(['deploy']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error: InternalError: etcdserver: request timed out/);
    assert.match(r.stderr, /undone: clusterrolebinding\.rbac\.authorization\.k8s\.io\/registry-registry-role deleted/);
    assert.match(r.stderr, /undone: serviceaccount\/registry deleted/);
    assert.equal(t.api.getObject('v1', 'ServiceAccount', 'registry', 'default'), undefined);
    assert.equal(t.api.getObject('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'registry-registry-role'), undefined);
  } finally {
    await t.api.close();
  }
});

test('when the undo fails too, the exact commands to recover are printed', async () => {
  const t = await server();
  try {
    t.api.inject({ method: 'POST', path: /\/services$/, status: 500, reason: 'InternalError', message: 'boom' });
    t.api.inject({ method: 'DELETE', path: /deploymentconfigs\/docker-registry$/, status: 500, reason: 'InternalError', message: 'still broken', times: 3 });
    const r = await t.run(['deploy']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /some changes could not be undone; to undo them, run:\n.*not undone \(InternalError: still broken.*\n\s+oc delete deploymentconfig\.apps\.openshift\.io\/docker-registry -n default\n/);
    assert.notEqual(t.api.getObject('apps.openshift.io/v1', 'DeploymentConfig', 'docker-registry', 'default'), undefined);
    assert.equal(t.api.getObject('v1', 'ServiceAccount', 'registry', 'default'), undefined);
  } finally {
    await t.api.close();
  }
});

test('a cluster IP already taken is the server\'s 422 in one line, and nothing is left behind', async () => {
  const t = await server();
  try {
    const taken = (t.api.getObject('v1', 'Service', 'kubernetes', 'default') as any).spec.clusterIP;
    const r = await t.run(['deploy', `--cluster-ip=${taken}`]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`error: Invalid: Service "docker-registry" is invalid: spec.clusterIP: .*${taken.replace(/\./g, '\\.')}.*already allocated`));
    assert.equal(t.api.getObject('apps.openshift.io/v1', 'DeploymentConfig', 'docker-registry', 'default'), undefined);
  } finally {
    await t.api.close();
  }
});

test('403: who you are and what you lack, and that it takes a cluster administrator', async () => {
  const t = await server();
  try {
    t.api.addToken('bob-token', 'bob', (verb) => verb === 'get' || verb === 'list');
    const kc = t.api.writeKubeconfig({ token: 'bob-token' });
    const r = await regctl(['--kubeconfig', kc, 'deploy'], { env: { HOME: t.home } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error: Forbidden: serviceaccounts is forbidden: User "bob" cannot create resource "serviceaccounts" in API group "" in the namespace "default"/);
    assert.match(r.stderr, /hint: this needs a cluster administrator/);
  } finally {
    await t.api.close();
  }
});

test('401: the server, the context and the kubeconfig, and to log in again', async () => {
  const kc = s.api.writeKubeconfig({ token: 'expired' });
  const r = await regctl(['--kubeconfig', kc, 'deploy']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`error: Unauthorized: ${s.api.url.replace(/\./g, '\\.')} \\(context "test" in .*\\) does not accept the credentials of user "admin"`));
  assert.match(r.stderr, /hint: log in again \(OpenShift: oc login https:/);
});

test('connection refused names the server and kubeconfig; a missing --context is a usage error', async () => {
  const t = await server();
  // A kubeconfig for a server that is gone (close() removes the server's own files).
  const kc = join(t.home, 'kubeconfig');
  writeFileSync(kc, readFileSync(t.api.kubeconfigPath));
  await t.api.close();
  const r = await regctl(['--kubeconfig', kc, 'deploy']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /error: cannot connect to https:\/\/127\.0\.0\.1:\d+ \(context "test" in .*\): connection refused/);
  const c = await regctl(['--kubeconfig', s.api.kubeconfigPath, '--context', 'prod', 'deploy']);
  assert.equal(c.code, 2);
  assert.match(c.stderr, /error: --context: no context "prod" in .* \(it has: test\)/);
});

test('-n and the context namespace choose where the registry goes', async () => {
  const t = await server();
  try {
    const kc = t.api.writeKubeconfig({ namespace: 'infra' });
    t.api.putObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'infra' } });
    const r = await regctl(['--kubeconfig', kc, 'deploy', '-o', 'name'], { env: { HOME: t.home } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.split('\n')[0], 'serviceaccount/registry');
    const crb = t.api.getObject('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'registry-registry-role') as any;
    assert.equal(crb.subjects[0].namespace, 'infra');
    assert.notEqual(t.api.getObject('v1', 'Service', 'docker-registry', 'infra'), undefined);
  } finally {
    await t.api.close();
  }
});

test('--wait follows the rollout until the pods are available', async () => {
  const t = await server();
  try {
    const timer = setInterval(() => {
      const dc = t.api.getObject('apps.openshift.io/v1', 'DeploymentConfig', 'docker-registry', 'default') as any;
      if (dc && !dc.status?.availableReplicas) {
        t.api.putObject({ ...dc, status: { latestVersion: 1, observedGeneration: dc.metadata.generation, replicas: 1, updatedReplicas: 1, availableReplicas: 1, unavailableReplicas: 0 } });
      }
    }, 30);
    const r = await t.run(['deploy', '--wait', '--timeout=20']);
    clearInterval(timer);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /deploymentconfig "docker-registry" rolled out: 1 of 1 pods available/);
  } finally {
    await t.api.close();
  }
});

test('--wait that times out names the pod and why it is stuck', async () => {
  const t = await server();
  try {
    t.api.putObject({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'docker-registry-1-abcde', namespace: 'default', labels: { 'docker-registry': 'default' } },
      spec: { containers: [{ name: 'registry', image: 'x' }] },
      status: { phase: 'Pending', containerStatuses: [{ name: 'registry', ready: false, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "openshift/origin-docker-registry:v3.11.0"' } } }] },
    });
    const r = await t.run(['deploy', '--wait', '--timeout=1']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error: deploymentconfig "docker-registry" did not roll out within 1s .*: pod docker-registry-1-abcde: ImagePullBackOff: Back-off pulling image/);
  } finally {
    await t.api.close();
  }
});

test('against a real cluster (REGCTL_TEST_KUBECONFIG): a server dry run of the whole registry', { skip: !process.env.REGCTL_TEST_KUBECONFIG && 'set REGCTL_TEST_KUBECONFIG to a cluster-admin kubeconfig to run' }, async () => {
  const r = await regctl(['--kubeconfig', process.env.REGCTL_TEST_KUBECONFIG!, 'deploy', '--dry-run=server', '-n', 'default'], { env: { HOME: mkdtempSync(join(tmpdir(), 'regctl-home-')) } });
  assert.ok(r.code === 0, r.stderr);
  assert.match(r.stdout, /(created \(server dry run\)|service exists)/);
});
