// `regctl logs` against the test API server: every workload kind the registry runs as, lines
// prefixed per pod, --since by the time each line was written, -f following a stream until the
// containers stop, --tls-check on the documents' "listening on :5000, tls" line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startApiServer, type Profile, type TestApiServer } from '../apiserver/index.js';
import { run } from '../support/world.js';
import { regctl } from '../support/run.js';
import { deployedRegistry, operatorRegistry, type RegistryFixture } from '../support/operate-registry.js';

const PLAIN = 'time="2015-05-01T19:48:36Z" level=info msg="listening on :5000" instance.id=9ed6c43d\n';
const TLS = 'time="2015-05-27T05:05:53Z" level=info msg="listening on :5000, tls" instance.id=deeba528\n';

async function serve(t: { after(fn: () => unknown): void }, profile: Profile, reg: RegistryFixture): Promise<TestApiServer> {
  const api = await startApiServer({ profile, objects: reg.objects });
  t.after(() => api.close());
  return api;
}

const cases: [string, Profile, () => RegistryFixture][] = [
  ['3.x DeploymentConfig', 'openshift3', () => deployedRegistry('openshift3', { replicas: 2 })],
  ['3.x DaemonSet', 'openshift3', () => deployedRegistry('openshift3', { workload: 'DaemonSet' })],
  ['Kubernetes Deployment', 'kubernetes', () => deployedRegistry('kubernetes', { replicas: 2 })],
  ['4.x operator Deployment', 'openshift4', () => operatorRegistry({ replicas: 2 })],
];

for (const [name, profile, make] of cases) {
  test(`logs: ${name}: every pod's lines, prefixed with the pod and container`, async (t) => {
    const reg = make();
    const api = await serve(t, profile, reg);
    for (const p of reg.pods) api.setPodLog(reg.namespace, p.metadata.name, `started ${p.metadata.name}\n${PLAIN}`);
    const r = await run(['--kubeconfig', api.kubeconfigPath, 'logs']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(reg.pods.length, 2);
    const want = reg.pods.flatMap((p) => [`[pod/${p.metadata.name}/registry] started ${p.metadata.name}`, `[pod/${p.metadata.name}/registry] ${PLAIN.trimEnd()}`]);
    assert.deepEqual(r.stdout.trimEnd().split('\n'), want);
    // The workload was found in its own namespace (4.x: openshift-image-registry), not the context's.
    const logReads = api.requests.filter((q) => q.path.endsWith('/log'));
    assert.deepEqual(logReads.map((q) => q.path.split('/')[4]).sort(), reg.pods.map(() => reg.namespace));
  });
}

test('logs --since: only lines written in that window (sinceSeconds, filtered by the server)', async (t) => {
  const reg = deployedRegistry('openshift3');
  const api = await serve(t, 'openshift3', reg);
  const pod = reg.pods[0]!.metadata.name;
  api.setPodLog('default', pod, 'old line\n', new Date(Date.now() - 2 * 3600_000));
  api.appendPodLog('default', pod, 'new line\n');
  const r = await run(['--kubeconfig', api.kubeconfigPath, 'logs', '--since', '1h']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `[pod/${pod}/registry] new line\n`);
  assert.equal(api.requests.find((q) => q.path.endsWith('/log'))?.query.sinceSeconds, '3600');
  const all = await run(['--kubeconfig', api.kubeconfigPath, 'logs']);
  assert.equal(all.stdout, `[pod/${pod}/registry] old line\n[pod/${pod}/registry] new line\n`);
});

test('logs -f: follows each pod as it writes, until the containers stop', async (t) => {
  const reg = deployedRegistry('openshift3', { replicas: 2 });
  const api = await serve(t, 'openshift3', reg);
  const [a, b] = reg.pods.map((p) => p.metadata.name) as [string, string];
  api.setPodLog('default', a, 'a1\n');
  api.setPodLog('default', b, 'b1\n');
  const running = run(['--kubeconfig', api.kubeconfigPath, 'logs', '-f']);
  // Both streams open before the containers write more.
  for (let i = 0; api.requests.filter((q) => q.query.follow === 'true').length < 2; i++) {
    assert.ok(i < 500, 'the follow requests never came');
    await new Promise((r) => setTimeout(r, 10));
  }
  await new Promise((r) => setTimeout(r, 50));
  // A line arriving in two pieces is printed once, whole.
  api.appendPodLog('default', a, 'a2 first half ');
  api.appendPodLog('default', a, 'second half\n');
  api.appendPodLog('default', b, 'b2\n');
  await new Promise((r) => setTimeout(r, 50));
  api.endPodLog('default', a);
  api.deleteObject('v1', 'Pod', b, 'default');
  const r = await running;
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.deepEqual(lines.filter((l) => l.startsWith(`[pod/${a}/`)), [`[pod/${a}/registry] a1`, `[pod/${a}/registry] a2 first half second half`]);
  assert.deepEqual(lines.filter((l) => l.startsWith(`[pod/${b}/`)), [`[pod/${b}/registry] b1`, `[pod/${b}/registry] b2`]);
});

test('logs --tls-check: the "listening on :5000, tls" line per pod; exit 1 when a pod serves plain HTTP', async (t) => {
  const reg = deployedRegistry('openshift3', { replicas: 2 });
  const api = await serve(t, 'openshift3', reg);
  const [a, b] = reg.pods.map((p) => p.metadata.name) as [string, string];
  api.setPodLog('default', a, `redis not configured\n${TLS}`);
  api.setPodLog('default', b, `redis not configured\n${TLS}`);
  const ok = await run(['--kubeconfig', api.kubeconfigPath, 'logs', '--tls-check']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, `pod/${a}: TLS (listening on :5000, tls)\npod/${b}: TLS (listening on :5000, tls)\n`);

  // A restart without the certificate: the last "listening" line decides.
  api.appendPodLog('default', b, PLAIN);
  const bad = await run(['--kubeconfig', api.kubeconfigPath, 'logs', '--tls-check']);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, new RegExp(`pod/${b}: no TLS \\(listening on :5000\\)`));
  assert.match(bad.stderr, /1 of 2 pods of deploymentconfig\/docker-registry do not show that they serve TLS/);
  assert.match(bad.stderr, /regctl secure/);
});

test('logs: no registry, bad flags', async (t) => {
  const api = await startApiServer({ profile: 'openshift3' });
  t.after(() => api.close());
  const none = await run(['--kubeconfig', api.kubeconfigPath, 'logs']);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /no DeploymentConfig, Deployment or DaemonSet "docker-registry" in namespace default/);
  for (const [args, msg] of [
    [['--since', '5x'], /--since: time: unknown unit "x"/],
    [['--since', '0'], /--since: "0" must be greater than 0/],
    [['--tail', '-3'], /--tail/],
    [['-f', '--tls-check'], /--tls-check reads the logs once/],
  ] as const) {
    const r = await run(['--kubeconfig', api.kubeconfigPath, 'logs', ...args]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, msg);
  }
  // Usage errors come before any request.
  assert.equal(api.requests.filter((q) => q.path.endsWith('/log')).length, 0);
});

test('logs (spawned): the built CLI prints the registry log', async (t) => {
  const reg = deployedRegistry('kubernetes');
  const api = await serve(t, 'kubernetes', reg);
  api.setPodLog('default', reg.pods[0]!.metadata.name, PLAIN);
  const r = await regctl(['--kubeconfig', api.kubeconfigPath, 'logs']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `[pod/${reg.pods[0]!.metadata.name}/registry] ${PLAIN}`);
});
