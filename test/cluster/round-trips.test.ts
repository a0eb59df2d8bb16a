// Round trips, not timings: with a delay before every answer, how many times a command waits on
// the server. `deploy --dry-run` sends discovery and its existence checks at once: one trip.
// 400 ms (bench/ uses 50): requests sent together must still arrive before the first answer
// on a machine busy enough to hold a process back for tens of milliseconds.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../../src/cluster/index.js';
import { roundTrips, startApiServer, type TestApiServer } from '../apiserver/index.js';
import { regctl } from '../support/run.js';

let api: TestApiServer;
before(async () => {
  api = await startApiServer({ profile: 'openshift3', delayMs: 400 });
});
after(() => api.close());

test('the counter sees waiting: reads one after the other are two round trips on one HTTP/2 connection, reads sent together one', async () => {
  const cluster = await connect({ dryRun: 'none', yes: false, verbose: false, kubeconfig: api.kubeconfigPath }, {});
  api.clearRequests();
  await cluster.info();
  await cluster.get({ apiVersion: 'v1', kind: 'Service', name: 'kubernetes', namespace: 'default' });
  assert.equal(roundTrips(api.requests), 2);
  // Every read is a stream of the run's one HTTP/2 session.
  assert.equal(api.requests.length, 4);
  assert.equal(api.connections, 1);
  assert.ok(api.requests.every((q) => q.httpVersion === '2.0'));
  api.clearRequests();
  const again = await connect({ dryRun: 'none', yes: false, verbose: false, kubeconfig: api.kubeconfigPath }, {});
  await Promise.all([again.info(), again.get({ apiVersion: 'v1', kind: 'Service', name: 'kubernetes', namespace: 'default' })]);
  assert.equal(api.requests.length, 4);
  assert.equal(roundTrips(api.requests), 1);
});

test('a read of an OpenShift kind goes out beside discovery: one round trip; a write waits for discovery', async () => {
  const reader = await connect({ dryRun: 'none', yes: false, verbose: false, kubeconfig: api.kubeconfigPath }, {});
  api.clearRequests();
  const [dc, routes] = await Promise.all([reader.get({ apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig', name: 'nope', namespace: 'default' }), reader.list('route.openshift.io/v1', 'Route', { namespace: 'default' })]);
  assert.deepEqual([dc, routes], [undefined, []]);
  assert.equal(api.requests.length, 5);
  assert.equal(roundTrips(api.requests), 1, api.requests.map((q) => `${q.method} ${q.path}`).join('\n'));
  const writer = await connect({ dryRun: 'none', yes: false, verbose: false, kubeconfig: api.kubeconfigPath }, {});
  api.clearRequests();
  await writer.create({ apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: { name: 'trips', namespace: 'default' }, spec: { to: { kind: 'Service', name: 'x' } } }, { dryRun: true });
  // Never a write on a guess: the Route goes once discovery has listed its group.
  assert.equal(roundTrips(api.requests), 2);
  assert.equal(api.requests.at(-1)!.method, 'POST');
});

// deploy sends its reads beside discovery (src/commands/deploy/index.ts): issue 17's floor.
test('deploy --dry-run reads everything in one round trip', async () => {
  api.clearRequests();
  const r = await regctl(['--kubeconfig', api.kubeconfigPath, 'deploy', '--dry-run'], { env: { HOME: mkdtempSync(join(tmpdir(), 'regctl-trips-')) } });
  // As `oc adm registry --dry-run`: exit 1 when the registry is not there yet.
  assert.match(r.stderr, /Docker registry "docker-registry" service does not exist/);
  assert.ok(api.requests.length >= 2, `${api.requests.length} requests`);
  assert.ok(api.requests.every((q) => q.method === 'GET'));
  assert.equal(roundTrips(api.requests), 1, api.requests.map((q) => `${q.method} ${q.path}`).join('\n'));
  assert.equal(api.connections, 1);
});

test('secure --dry-run reads everything, discovery included, in one round trip', async () => {
  const home = mkdtempSync(join(tmpdir(), 'regctl-trips-'));
  api.delayMs = 0;
  const deployed = await regctl(['--kubeconfig', api.kubeconfigPath, 'deploy'], { env: { HOME: home } });
  assert.equal(deployed.code, 0, deployed.stderr);
  api.delayMs = 400;
  api.clearRequests();
  const r = await regctl(['--kubeconfig', api.kubeconfigPath, 'secure', '--dry-run'], { env: { HOME: home } });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(api.requests.length >= 5 && api.requests.every((q) => q.method === 'GET'), api.requests.map((q) => `${q.method} ${q.path}`).join('\n'));
  assert.equal(roundTrips(api.requests), 1, api.requests.map((q) => `${q.method} ${q.path}`).join('\n'));
});

test('whitelist --show reads the Image beside discovery: one round trip', async (t) => {
  const os4 = await startApiServer({ profile: 'openshift4', delayMs: 400 });
  t.after(() => os4.close());
  const r = await regctl(['--kubeconfig', os4.kubeconfigPath, 'whitelist', '--show'], { env: { HOME: mkdtempSync(join(tmpdir(), 'regctl-trips-')) } });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(os4.requests.some((q) => q.path === '/apis/config.openshift.io/v1/images/cluster'));
  assert.equal(roundTrips(os4.requests), 1, os4.requests.map((q) => `${q.method} ${q.path}`).join('\n'));
});
