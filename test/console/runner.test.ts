// `regctl console` through the plan runner, in-process: one wave of reads; previews write
// nothing; -o json is what the run creates; the server dry run agrees with the run; a failure
// at each write is undone; a concurrent change is a conflict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { startApiServer } from '../apiserver/index.js';
import { FakeCluster } from '../support/fake-cluster.js';
import { listing, withoutServerFields } from '../support/snapshot.js';
import { tempDir } from '../support/pki.js';
import { countingWaves } from '../support/waves.js';
import { run } from '../support/world.js';
import type { KubeObject } from '../../src/objects.js';

const REGISTRY_ROUTE = { apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: { name: 'docker-registry', namespace: 'default' }, spec: { host: 'docker-registry-default.apps.example.com', to: { kind: 'Service', name: 'docker-registry', weight: 100 }, tls: { termination: 'passthrough' } } } as KubeObject;
const fake = (extra: ConstructorParameters<typeof FakeCluster>[0] = {}) => new FakeCluster({ platform: 'openshift3', objects: [REGISTRY_ROUTE], ...extra });

test('console sends its reads in one wave', async (t) => {
  const { cluster, waves } = countingWaves(fake());
  const r = await run(['console', '--dry-run'], { cluster, env: { HOME: tempDir(t, 'regctl-home-') } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(waves().length, 1, JSON.stringify(waves()));
  assert.ok(waves()[0]!.includes('get OAuthClient/cockpit-oauth-client'));
});

for (const preview of [['-o', 'yaml'], ['--dry-run'], ['--dry-run=server']]) {
  test(`console ${preview.join(' ')} writes nothing, HOME and cwd unchanged`, async (t) => {
    const home = tempDir(t, 'regctl-home-');
    const cluster = fake({ readOnly: true });
    const cwd = readdirSync(process.cwd()).sort();
    const r = await run(['console', '--debug', ...preview], { cluster, env: { HOME: home } });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(cluster.writes().filter((w) => !w.endsWith('(dry run)')), []);
    assert.deepEqual(listing(home), []);
    assert.deepEqual(readdirSync(process.cwd()).sort(), cwd);
  });
}

test('-o json against a server equals what the run creates; --dry-run=server says created where the run creates', async (t) => {
  const strip = withoutServerFields;
  const refs: [string, string, string, string?][] = [
    ['route.openshift.io/v1', 'Route', 'registry-console', 'default'],
    ['apps.openshift.io/v1', 'DeploymentConfig', 'registry-console', 'default'],
    ['v1', 'Service', 'registry-console', 'default'],
    ['oauth.openshift.io/v1', 'OAuthClient', 'cockpit-oauth-client'],
  ];
  const out: unknown[] = [];
  let dryRunReport = '';
  for (const mode of ['render', 'apply']) {
    const api = await startApiServer({ profile: 'openshift3', objects: [REGISTRY_ROUTE], routeSubdomain: 'apps.example.com' });
    t.after(() => api.close());
    // The same OAuth provider for both servers (each listens on its own port).
    const go = (args: string[]) => run(['--kubeconfig', api.kubeconfigPath, 'console', '--oauth-provider-url=https://master.example.com:8443', ...args], { env: { HOME: tempDir(t, 'regctl-home-') } });
    if (mode === 'render') {
      const r = await go(['-o', 'json']);
      assert.equal(r.code, 0, r.stderr);
      out.push(JSON.parse(r.stdout).items.map(strip));
      dryRunReport = (await go(['--dry-run=server'])).stdout;
    } else {
      const r = await go([]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(dryRunReport, r.stdout.replace(/\n/g, ' (server dry run)\n'));
      // The server fills in defaults (wildcardPolicy, service session affinity ...): compare what regctl sets.
      const pick = (have: any, want: any): any => (want && typeof want === 'object' && !Array.isArray(want) ? Object.fromEntries(Object.keys(want).map((k) => [k, pick(have?.[k], want[k])])) : Array.isArray(want) ? want.map((w, i) => pick(have?.[i], w)) : have);
      out.push(refs.map((x, i) => pick(strip(api.getObject(...x)), (out[0] as any[])[i])));
    }
  }
  assert.equal(JSON.stringify(out[1], null, 1), JSON.stringify(out[0], null, 1));
});

test('a failure at each write leaves the cluster as it was, and the report says what was undone', async (t) => {
  const probe = fake();
  assert.equal((await run(['console'], { cluster: probe, env: { HOME: tempDir(t, 'regctl-home-') } })).code, 0);
  const writes = probe.writes().length;
  assert.equal(writes, 4);
  for (let n = 1; n <= writes; n++) {
    const cluster = fake();
    const before = cluster.objects();
    cluster.failWrite(n);
    const r = await run(['console'], { cluster, env: { HOME: tempDir(t, 'regctl-home-') } });
    assert.equal(r.code, 1, `write ${n}`);
    assert.deepEqual(cluster.objects(), before, `write ${n}: as it was`);
    assert.equal(r.stdout, '', 'no "created" for what was undone');
    if (n > 1) assert.match(r.stderr, /undone: route\.route\.openshift\.io\/registry-console deleted/);
  }
});

test('--debug while someone else changes the DeploymentConfig: a conflict, their change kept', async (t) => {
  const cluster = fake();
  const home = tempDir(t, 'regctl-home-');
  assert.equal((await run(['console'], { cluster, env: { HOME: home } })).code, 0);
  cluster.beforeWrite = (req) => {
    if (req.ref !== 'deploymentconfig/registry-console') return;
    const dc = cluster.object('apps.openshift.io/v1', 'DeploymentConfig', 'registry-console', 'default') as any;
    dc.spec.replicas = 3;
    cluster.put(dc);
  };
  const r = await run(['console', '--debug'], { cluster, env: { HOME: home } });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /deploymentconfig\.apps\.openshift\.io\/registry-console was changed by someone else after regctl read it/);
  assert.equal((cluster.object('apps.openshift.io/v1', 'DeploymentConfig', 'registry-console', 'default') as any).spec.replicas, 3);
});
