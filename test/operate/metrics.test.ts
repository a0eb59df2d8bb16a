// `regctl metrics enable|query`. enable is a plan: checked against the test API server (what it
// creates, a second run changing nothing, -o json equal to the real run) and the fake cluster
// (previews write nothing, a failure at each write rolled back, a concurrent change reported).
// query reads a recorded /extensions/v2/metrics page (seed 002 5.5) from a local HTTPS server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer } from '../apiserver/index.js';
import { FakeCluster } from '../support/fake-cluster.js';
import { run, tempHome } from '../support/world.js';
import { regctl } from '../support/run.js';
import { opensslCA } from '../support/pki.js';
import { issueServerCert, startLocalServer, type Pem } from '../support/tls-server.js';
import { deployedRegistry, operatorRegistry } from '../support/operate-registry.js';
import type { KubeObject } from '../../src/objects.js';

const PAGE = readFileSync(new URL('../fixtures/metrics/registry-3.11.prom', import.meta.url), 'utf8');
let dir: string;
let ca: { cert: string; key: string };
let pem: Pem;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'regctl-metrics-'));
  ca = opensslCA(dir, 'ca');
  pem = issueServerCert(dir, ca, 'registry', ['127.0.0.1', 'docker-registry.default.svc']);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const dcEnv = (o: KubeObject | undefined) => Object.fromEntries(((o?.spec as any)?.template.spec.containers[0].env as { name: string; value: string }[]).map((e) => [e.name, e.value]));
const RBAC = 'rbac.authorization.k8s.io/v1';

test('metrics enable (3.x): the secret and flag on the registry, the cluster role, its binding; a second run changes nothing', async (t) => {
  const reg = deployedRegistry('openshift3');
  const api = await startApiServer({ profile: 'openshift3', objects: reg.objects });
  t.after(() => api.close());
  const r = await run(['--kubeconfig', api.kubeconfigPath, 'metrics', 'enable', '--user', 'prometheus']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'clusterrole.rbac.authorization.k8s.io/prometheus-scraper created\nclusterrolebinding.rbac.authorization.k8s.io/prometheus-scraper created\ndeploymentconfig.apps.openshift.io/docker-registry configured\n');
  const role = api.getObject(RBAC, 'ClusterRole', 'prometheus-scraper')!;
  assert.deepEqual(role.rules, [{ apiGroups: ['image.openshift.io'], resources: ['registry/metrics'], verbs: ['get'] }]);
  const binding = api.getObject(RBAC, 'ClusterRoleBinding', 'prometheus-scraper')!;
  assert.deepEqual(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'prometheus-scraper' });
  assert.deepEqual(binding.subjects, [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'prometheus' }]);
  const env = dcEnv(api.getObject('apps.openshift.io/v1', 'DeploymentConfig', 'docker-registry', 'default'));
  assert.equal(env.REGISTRY_OPENSHIFT_METRICS_ENABLED, 'true');
  assert.match(env.REGISTRY_OPENSHIFT_METRICS_SECRET!, /^[0-9a-f]{64}$/);
  assert.match(r.stderr, /regctl metrics query/);

  api.clearRequests();
  const again = await run(['--kubeconfig', api.kubeconfigPath, 'metrics', 'enable', '--user', 'prometheus']);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout, 'metrics are enabled already and prometheus may read them: nothing to change\n');
  assert.deepEqual(api.requests.filter((q) => q.method !== 'GET'), []);
  // Another user joins the binding; the secret is kept.
  const more = await run(['--kubeconfig', api.kubeconfigPath, 'metrics', 'enable', '--user', 'alice']);
  assert.equal(more.stdout, 'clusterrolebinding.rbac.authorization.k8s.io/prometheus-scraper configured\n');
  assert.deepEqual((api.getObject(RBAC, 'ClusterRoleBinding', 'prometheus-scraper')!.subjects as { name: string }[]).map((s) => s.name), ['prometheus', 'alice']);
  assert.equal(dcEnv(api.getObject('apps.openshift.io/v1', 'DeploymentConfig', 'docker-registry', 'default')).REGISTRY_OPENSHIFT_METRICS_SECRET, env.REGISTRY_OPENSHIFT_METRICS_SECRET);
});

test('metrics enable -o json equals what the real run makes (two fresh servers)', async (t) => {
  const servers = await Promise.all([0, 1].map(() => startApiServer({ profile: 'openshift3', objects: deployedRegistry('openshift3').objects })));
  t.after(() => Promise.all(servers.map((s) => s.close())));
  const [a, b] = servers as [(typeof servers)[0], (typeof servers)[0]];
  const rendered = await run(['--kubeconfig', a.kubeconfigPath, 'metrics', 'enable', '--user', 'prometheus', '-o', 'json']);
  assert.equal(rendered.code, 0, rendered.stderr);
  assert.deepEqual(a.requests.filter((q) => q.method !== 'GET'), []);
  const items = (JSON.parse(rendered.stdout) as { items: KubeObject[] }).items;
  const applied = await run(['--kubeconfig', b.kubeconfigPath, 'metrics', 'enable', '--user', 'prometheus']);
  assert.equal(applied.code, 0, applied.stderr);
  assert.deepEqual(items.map((i) => i.kind), ['ClusterRole', 'ClusterRoleBinding', 'DeploymentConfig']);
  assert.deepEqual(items[0]!.rules, b.getObject(RBAC, 'ClusterRole', 'prometheus-scraper')!.rules);
  assert.deepEqual(items[1]!.subjects, b.getObject(RBAC, 'ClusterRoleBinding', 'prometheus-scraper')!.subjects);
  assert.deepEqual(dcEnv(items[2]), dcEnv(b.getObject('apps.openshift.io/v1', 'DeploymentConfig', 'docker-registry', 'default')));
});

function fake(readOnly = false): FakeCluster {
  return new FakeCluster({ platform: 'openshift3', objects: deployedRegistry('openshift3').objects, readOnly });
}

test('metrics enable: -o, --dry-run and --dry-run=server write nothing, and leave HOME and cwd alone', async () => {
  const home = tempHome();
  const before = readdirSync(home, { recursive: true });
  const cwd = readdirSync(process.cwd());
  for (const args of [['-o', 'yaml'], ['--dry-run'], ['--dry-run=server']]) {
    const c = fake(true);
    const r = await run(['metrics', 'enable', '--user', 'prometheus', ...args], { cluster: c, env: { HOME: home } });
    assert.equal(r.code, 0, `${args}: ${r.stderr}`);
    assert.ok(c.writes().every((w) => w.endsWith('(dry run)')), c.writes().join('\n'));
    if (args[0] === '--dry-run') assert.match(r.stdout, /1\. create clusterrole "prometheus-scraper"[\s\S]*3\. update deploymentconfig\/docker-registry in default: REGISTRY_OPENSHIFT_METRICS_ENABLED=true[\s\S]*\+ *- name: REGISTRY_OPENSHIFT_METRICS_ENABLED/);
    if (args[0] === '--dry-run=server') {
      assert.equal(r.stdout, 'clusterrole.rbac.authorization.k8s.io/prometheus-scraper created (server dry run)\nclusterrolebinding.rbac.authorization.k8s.io/prometheus-scraper created (server dry run)\ndeploymentconfig.apps.openshift.io/docker-registry configured (server dry run)\n');
    }
  }
  assert.deepEqual(readdirSync(home, { recursive: true }), before);
  assert.deepEqual(readdirSync(process.cwd()), cwd);
});

test('metrics enable: a failure at each write leaves the cluster as it was, and says so', async () => {
  for (let n = 1; n <= 3; n++) {
    const c = fake();
    const was = JSON.stringify(c.objects());
    c.failWrite(n);
    const r = await run(['metrics', 'enable', '--user', 'prometheus'], { cluster: c });
    assert.equal(r.code, 1, `write ${n}: ${r.stderr}`);
    assert.match(r.stderr, /error: Internal error occurred: injected/);
    if (n > 1) assert.match(r.stderr, new RegExp(`undid the ${n - 1} change\\(s\\) this run had made[\\s\\S]*the cluster and the files are as they were before this run`));
    const now = c.objects().map((o) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined, uid: undefined } }));
    const then = (JSON.parse(was) as KubeObject[]).map((o) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined, uid: undefined } }));
    assert.deepEqual(now, then, `write ${n} left changes`);
  }
});

test('metrics enable: the registry changed by someone else between read and write is a conflict, not overwritten', async () => {
  const c = fake();
  c.beforeWrite = (req) => {
    if (req.ref === 'deploymentconfig/docker-registry') {
      const dc = c.object('apps.openshift.io/v1', 'DeploymentConfig', 'docker-registry', 'default')!;
      (dc.spec as any).replicas = 3;
      c.put(dc);
    }
  };
  const r = await run(['metrics', 'enable'], { cluster: c });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /modified|conflict/i);
  const dc = c.object('apps.openshift.io/v1', 'DeploymentConfig', 'docker-registry', 'default')!;
  assert.equal((dc.spec as any).replicas, 3);
  assert.equal(dcEnv(dc).REGISTRY_OPENSHIFT_METRICS_ENABLED, undefined);
});

test('metrics enable (4.x): only the cluster role and binding; the operator has metrics on', async () => {
  const c = new FakeCluster({ platform: 'openshift4', objects: operatorRegistry().objects });
  const r = await run(['metrics', 'enable', '--user', 'prometheus'], { cluster: c });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(c.writes(), ['create clusterrole/prometheus-scraper', 'create clusterrolebinding/prometheus-scraper']);
  assert.match(r.stderr, /operator runs the registry with metrics enabled/);
  const k = await run(['metrics', 'enable'], { cluster: new FakeCluster({ platform: 'kubernetes' }) });
  assert.equal(k.code, 1);
  assert.match(k.stderr, /plain Kubernetes: the upstream registry has no \/extensions\/v2\/metrics/);
});

// --- query -----------------------------------------------------------------------------------------

async function metricsServer(t: { after(fn: () => unknown): void }, accept: (auth: string | undefined) => boolean) {
  const s = await startLocalServer(pem, (req, res) => {
    if (req.url !== '/extensions/v2/metrics') return void res.writeHead(404).end();
    if (!accept(req.headers.authorization)) return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED"}]}');
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(PAGE);
  });
  t.after(() => s.close());
  return s;
}

test('metrics query (3.x): the secret from the registry\'s environment, only imageregistry_* series, filtered', async (t) => {
  const reg = deployedRegistry('openshift3');
  (reg.workload.spec as any).template.spec.containers[0].env.push({ name: 'REGISTRY_OPENSHIFT_METRICS_ENABLED', value: 'true' }, { name: 'REGISTRY_OPENSHIFT_METRICS_SECRET', value: 's3cr3t-0123456789abcdef' });
  const c = new FakeCluster({ platform: 'openshift3', objects: reg.objects, readOnly: true });
  const basic = `Basic ${Buffer.from('regctl:s3cr3t-0123456789abcdef').toString('base64')}`;
  const s = await metricsServer(t, (a) => a === basic);
  const r = await run(['metrics', 'query', '--registry-url', `https://127.0.0.1:${s.port}`, '--ca', ca.cert], { cluster: c });
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 11);
  assert.ok(lines.every((l) => l.startsWith('imageregistry_')));
  assert.equal(lines[0], 'imageregistry_build_info{gitCommit="9f72191",gitVersion="v3.11.0+9f72191-135-dirty",major="3",minor="11+"} 1');
  const filtered = await run(['metrics', 'query', 'digest_cache_scoped', 'in_flight', '--registry-url', `https://127.0.0.1:${s.port}`, '--ca', ca.cert, '-o', 'json'], { cluster: c });
  assert.deepEqual(JSON.parse(filtered.stdout), [
    { name: 'imageregistry_digest_cache_scoped_requests_total', labels: { type: 'Hit' }, value: 33 },
    { name: 'imageregistry_digest_cache_scoped_requests_total', labels: { type: 'Miss' }, value: 44 },
    { name: 'imageregistry_http_in_flight_requests', labels: {}, value: 1 },
  ]);
  assert.equal(s.calls.length, 2);
});

test('metrics query: a wrong secret, metrics off, an untrusted certificate', async (t) => {
  const s = await metricsServer(t, () => false);
  const url = `https://127.0.0.1:${s.port}`;
  const bad = await run(['metrics', 'query', '--registry-url', url, '--ca', ca.cert, '--secret', 'wrong']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /refused the metrics secret \(HTTP 401\)/);
  const off = await run(['metrics', 'query', '--registry-url', url, '--ca', ca.cert], { cluster: new FakeCluster({ platform: 'openshift3', objects: deployedRegistry('openshift3').objects }) });
  assert.equal(off.code, 1);
  assert.match(off.stderr, /metrics are not enabled/);
  assert.match(off.stderr, /regctl metrics enable/);
  const untrusted = await run(['metrics', 'query', '--registry-url', url, '--secret', 'x']);
  assert.equal(untrusted.code, 1);
  assert.match(untrusted.stderr, /certificate this machine does not trust/);
  assert.match(untrusted.stderr, /--ca FILE/);
});

test('metrics query (4.x): a bearer token; without one, the kubeconfig user\'s is needed', async (t) => {
  const s = await metricsServer(t, (a) => a === 'Bearer sha256~usertoken');
  const c = new FakeCluster({ platform: 'openshift4', objects: operatorRegistry().objects, readOnly: true });
  const r = await run(['metrics', 'query', 'build_info', '--registry-url', `https://127.0.0.1:${s.port}`, '--insecure-skip-tls-verify', '--token', 'sha256~usertoken'], { cluster: c });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^imageregistry_build_info\{.*\} 1\n$/);
  // No --token: the token comes from the kubeconfig, and there is none here.
  const none = await run(['metrics', 'query', '--registry-url', `https://127.0.0.1:${s.port}`], { cluster: c });
  assert.equal(none.code, 1);
  assert.match(none.stderr, /^error: no kubeconfig/m);
});

test('metrics query (spawned): the built CLI reads the page with --secret, no cluster needed', async (t) => {
  const s = await metricsServer(t, (a) => a === `Basic ${Buffer.from('regctl:topsecret').toString('base64')}`);
  const r = await regctl(['metrics', 'query', 'http_request_duration_seconds_count', '--registry-url', `https://127.0.0.1:${s.port}`, '--ca', ca.cert, '--secret', 'topsecret']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'imageregistry_http_request_duration_seconds_count{method="get"} 935\n');
});
