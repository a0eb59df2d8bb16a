// `regctl secure` through the plan runner, in-process: its reads go in one wave; previews write
// nothing anywhere; a failure at any write leaves the cluster and the files as they were and
// says so; a concurrent change is a conflict; --dry-run=server agrees with the real run; the
// node-trust commands run as printed; renewing keeps the names in use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApiServer } from '../apiserver/index.js';
import { FakeCluster } from '../support/fake-cluster.js';
import { listing, withoutServerFields } from '../support/snapshot.js';
import { tempDir, x509Text } from '../support/pki.js';
import { regctl as spawnRegctl } from '../support/run.js';
import { countingWaves } from '../support/waves.js';
import { run } from '../support/world.js';
import { deployedObjects } from '../support/registry-fixtures.js';

const secretPem = (c: FakeCluster, key: string) => Buffer.from((c.object('v1', 'Secret', 'registry-certificates', 'default') as any).data[key], 'base64').toString();

function fake(extra: ConstructorParameters<typeof FakeCluster>[0] = {}) {
  return new FakeCluster({ platform: 'openshift3', objects: deployedObjects(), ...extra });
}

test('secure sends all its reads in one wave: discovery, service, workloads, secret, service accounts, routes, nodes', async (t) => {
  const home = tempDir(t, 'regctl-home-');
  const { cluster, waves } = countingWaves(fake());
  const r = await run(['secure', '--dry-run'], { cluster, env: { HOME: home } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(waves().length, 1, JSON.stringify(waves()));
  assert.ok(waves()[0]!.includes('info'));
  assert.ok(waves()[0]!.includes('get Secret/registry-certificates'));
  assert.ok(waves()[0]!.includes('get DeploymentConfig/docker-registry'));
  assert.ok(waves()[0]!.includes('get ServiceAccount/registry'));
});

for (const preview of [['-o', 'yaml'], ['-o', 'json'], ['--dry-run'], ['--dry-run=server']]) {
  test(`secure ${preview.join(' ')} writes nothing: no cluster write, no CA, no serial, no backup, HOME and cwd unchanged`, async (t) => {
    const home = tempDir(t, 'regctl-home-');
    const cluster = fake({ readOnly: true });
    const homeBefore = listing(home);
    const cwdBefore = readdirSync(process.cwd()).sort();
    const r = await run(['secure', ...preview], { cluster, env: { HOME: home } });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(cluster.writes().filter((w) => !w.endsWith('(dry run)')), []);
    assert.deepEqual(listing(home), homeBefore);
    assert.deepEqual(readdirSync(process.cwd()).sort(), cwdBefore);
    assert.doesNotMatch(r.stdout + r.stderr, /BEGIN (RSA )?PRIVATE KEY/, 'no key generated for a preview');
  });
}

test('-o json against a server equals what the real run creates and changes (certificate data aside)', async (t) => {
  const strip = (o: any) => ({ ...withoutServerFields(o), ...(o.kind === 'Secret' ? { data: Object.keys(o.data).sort() } : {}) });
  const results: any[] = [];
  for (const mode of ['render', 'apply'] as const) {
    const api = await startApiServer({ profile: 'openshift3' });
    t.after(() => api.close());
    const home = tempDir(t, 'regctl-home-');
    const go = (args: string[]) => run(['--kubeconfig', api.kubeconfigPath, ...args], { env: { HOME: home } });
    assert.equal((await go(['deploy'])).code, 0);
    const r = await go(mode === 'render' ? ['secure', '-o', 'json'] : ['secure']);
    assert.equal(r.code, 0, r.stderr);
    if (mode === 'render') results.push(JSON.parse(r.stdout).items.map(strip));
    else {
      const names = [['v1', 'Secret', 'registry-certificates'], ['v1', 'ServiceAccount', 'registry'], ['v1', 'ServiceAccount', 'default'], ['apps.openshift.io/v1', 'DeploymentConfig', 'docker-registry']];
      results.push(names.map(([v, k, n]) => strip(api.getObject(v!, k!, n!, 'default'))));
    }
  }
  // The service accounts' token secrets are made by the server, with random names: compare the links only.
  const links = (l: any[]) => l.map((o) => (o.kind === 'ServiceAccount' ? { ...o, secrets: o.secrets.filter((s: any) => s.name === 'registry-certificates'), imagePullSecrets: undefined } : o));
  assert.equal(JSON.stringify(links(results[0]), null, 1), JSON.stringify(links(results[1]), null, 1));
});

test('--dry-run=server says configured exactly where the real run changes an object', async (t) => {
  const api = await startApiServer({ profile: 'openshift3' });
  t.after(() => api.close());
  const home = tempDir(t, 'regctl-home-');
  const certDir = join(home, 'pki');
  const go = (args: string[]) => run(['--kubeconfig', api.kubeconfigPath, ...args, '--cert-dir', certDir], { env: { HOME: home } });
  assert.equal((await run(['--kubeconfig', api.kubeconfigPath, 'deploy'], { env: { HOME: home } })).code, 0);
  const dry = await go(['secure', '--dry-run=server']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /secret\/registry-certificates created \(server dry run\)/);
  assert.match(dry.stdout, /deploymentconfig\.apps\.openshift\.io\/docker-registry configured \(server dry run\)/);
  const real = await go(['secure']);
  assert.equal(real.stdout, dry.stdout.replace(/ \(server dry run\)/g, ''));
  // Renewing changes the Secret only: the dry run says so, and so does the run.
  const dryRenew = await go(['secure', '--renew', '--dry-run=server']);
  assert.equal(dryRenew.stdout, 'secret/registry-certificates configured (server dry run)\n');
  const renew = await go(['secure', '--renew']);
  assert.equal(renew.stdout, 'secret/registry-certificates configured\n');
});

test('a failure at each write leaves the cluster and the CA files as they were, and the report says what was undone', async (t) => {
  const probe = fake();
  const home0 = tempDir(t, 'regctl-home-');
  assert.equal((await run(['secure'], { cluster: probe, env: { HOME: home0 } })).code, 0);
  const writes = probe.writes().length;
  assert.equal(writes, 4, probe.writes().join('\n'));
  for (let n = 1; n <= writes; n++) {
    const cluster = fake();
    const before = JSON.stringify(cluster.objects());
    const home = tempDir(t, 'regctl-home-');
    cluster.failWrite(n);
    const r = await run(['secure'], { cluster, env: { HOME: home } });
    assert.equal(r.code, 1, `write ${n}: ${r.stderr}`);
    const after = cluster.objects().map((o) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } }));
    assert.deepEqual(after, JSON.parse(before).map((o: any) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } })), `write ${n}: the cluster as it was`);
    const files = listing(home).filter((f) => !f.includes('backups'));
    assert.ok(!files.some((f) => /ca\.(crt|key|serial\.txt)$/.test(f)), `write ${n}: the new CA files are removed (${files.join(', ')})`);
    assert.match(r.stderr, /undone: .*ca\.key removed \(written by this run\)/);
    if (n > 1) assert.match(r.stderr, /the cluster and the files are as they were before this run/);
    assert.doesNotMatch(r.stdout, /created|configured/, 'stdout does not report what was undone');
  }
});

test('a change made by someone else between the read and the write is a conflict, not overwritten', async (t) => {
  const cluster = fake();
  cluster.beforeWrite = (req) => {
    if (req.ref !== 'deploymentconfig/docker-registry') return;
    const dc = cluster.object('apps.openshift.io/v1', 'DeploymentConfig', 'docker-registry', 'default') as any;
    dc.spec.template.spec.containers[0].env.push({ name: 'SOMEONE_ELSE', value: '1' });
    cluster.put(dc);
  };
  const r = await run(['secure'], { cluster, env: { HOME: tempDir(t, 'regctl-home-') } });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /deploymentconfig\.apps\.openshift\.io\/docker-registry was changed by someone else after regctl read it; regctl did not overwrite that change/);
  const dc = cluster.object('apps.openshift.io/v1', 'DeploymentConfig', 'docker-registry', 'default') as any;
  assert.ok(dc.spec.template.spec.containers[0].env.some((e: any) => e.name === 'SOMEONE_ELSE'), 'the other change is kept');
});

/** The indented command block printed after a run, as an administrator would copy it. */
function printedScript(stderr: string): string {
  const lines = stderr.split('\n');
  const start = lines.findIndex((l) => l.startsWith('    # On every node'));
  assert.ok(start >= 0, stderr);
  const block: string[] = [];
  for (const l of lines.slice(start)) {
    if (!l.startsWith('    ')) break;
    block.push(l);
  }
  return block.join('\n') + '\n';
}

/** Runs a pasted script in bash with /etc under `root`, sudo and systemctl stubbed; returns what systemctl was asked. */
function paste(script: string, root: string): string {
  const prelude = `sudo() { "$@"; }\nsystemctl() { echo "systemctl $*" >> ${root}/systemctl.log; }\ncd ${root}\n`;
  execFileSync('bash', ['-e', '-c', prelude + script.replaceAll(' /etc/', ` ${root}/etc/`)], { stdio: 'pipe' });
  return existsSync(join(root, 'systemctl.log')) ? readFileSync(join(root, 'systemctl.log'), 'utf8') : '';
}

test('the printed node-trust commands, pasted into bash, write the CA where docker looks and restart it', async (t) => {
  const cluster = fake();
  const r = await run(['secure'], { cluster, env: { HOME: tempDir(t, 'regctl-home-') } });
  assert.equal(r.code, 0, r.stderr);
  const root = tempDir(t, 'regctl-node-');
  const ran = paste(printedScript(r.stderr), root);
  const ca = readFileSync(join(root, 'etc/docker/certs.d/172.30.85.201:5000/ca.crt'), 'utf8');
  const chain = secretPem(cluster, 'registry.crt');
  assert.ok(chain.endsWith(ca), 'the CA file is the CA that signed the Secret\'s certificate');
  assert.match(ca, /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/);
  assert.equal(readFileSync(join(root, 'etc/docker/certs.d/docker-registry.default.svc.cluster.local:5000/ca.crt'), 'utf8'), ca);
  assert.equal(ran, 'systemctl daemon-reload\nsystemctl restart docker\n');
  assert.equal(existsSync(join(root, 'registry-ca.crt')), false, 'the scratch file is removed');
  assert.match(x509Text(join(root, 'etc/docker/certs.d/172.30.85.201:5000/ca.crt')), /CA:TRUE/);
});

test('on Kubernetes with containerd and CRI-O nodes: hosts.toml with the CA for containerd, containers/certs.d for CRI-O, no docker steps', async (t) => {
  const node = (name: string, runtime: string) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { nodeInfo: { containerRuntimeVersion: runtime } } });
  const cluster = new FakeCluster({ platform: 'kubernetes', objects: [...deployedObjects({ platform: 'kubernetes' }), node('a', 'containerd://1.7.2'), node('b', 'cri-o://1.28.1')] as any });
  const r = await run(['secure'], { cluster, env: { HOME: tempDir(t, 'regctl-home-') } });
  assert.equal(r.code, 0, r.stderr);
  const script = printedScript(r.stderr);
  assert.doesNotMatch(script, /docker\/certs\.d|systemctl/);
  const root = tempDir(t, 'regctl-node-');
  paste(script, root);
  const ca = readFileSync(join(root, 'etc/containers/certs.d/172.30.85.201:5000/ca.crt'), 'utf8');
  assert.ok(secretPem(cluster, 'registry.crt').endsWith(ca));
  const toml = readFileSync(join(root, 'etc/containerd/certs.d/172.30.85.201:5000/hosts.toml'), 'utf8');
  assert.equal(toml, `server = "https://172.30.85.201:5000"\n\n[host."https://172.30.85.201:5000"]\n  capabilities = ["pull", "resolve", "push"]\n  ca = "/etc/containerd/certs.d/172.30.85.201:5000/ca.crt"\n`);
  assert.equal(readFileSync(join(root, 'etc/containerd/certs.d/172.30.85.201:5000/ca.crt'), 'utf8'), ca);
  assert.ok(existsSync(join(root, 'etc/containerd/certs.d/docker-registry.default.svc.cluster.local:5000/hosts.toml')));
});

test('--trust-script FILE writes the commands to a script that runs with sh; a second run leaves it alone', async (t) => {
  const home = tempDir(t, 'regctl-home-');
  const file = join(home, 'trust.sh');
  const cluster = fake();
  const r = await run(['secure', '--trust-script', file], { cluster, env: { HOME: home } });
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /# On every node/, 'not printed as well');
  assert.match(r.stderr, new RegExp(`sh ${file.replace(/[.]/g, '\\.')}`));
  const root = tempDir(t, 'regctl-node-');
  paste(readFileSync(file, 'utf8'), root);
  assert.ok(secretPem(cluster, 'registry.crt').endsWith(readFileSync(join(root, 'etc/docker/certs.d/172.30.85.201:5000/ca.crt'), 'utf8')));
  const again = await run(['secure', '--trust-script', file], { cluster, env: { HOME: home } });
  assert.equal(again.stdout, 'the registry in default already serves TLS from secret registry-certificates: nothing to change\n');
});

test('--renew keeps the current names and the passthrough route host, adds --hostnames; --replace-hostnames warns about a name in use', async (t) => {
  const home = tempDir(t, 'regctl-home-');
  const cluster = fake();
  const go = (args: string[]) => run(args, { cluster, env: { HOME: home } });
  assert.equal((await go(['secure', '--hostnames=a.example.com,b.example.com'])).code, 0);
  cluster.put({ apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: { name: 'docker-registry', namespace: 'default' }, spec: { host: 'route.example.com', to: { kind: 'Service', name: 'docker-registry' }, tls: { termination: 'passthrough' } } } as any);
  const renewed = await go(['secure', '--renew', '--hostnames=c.example.com']);
  assert.equal(renewed.code, 0, renewed.stderr);
  const dir = tempDir(t);
  writeFileSync(join(dir, 'r.crt'), secretPem(cluster, 'registry.crt'));
  const text = x509Text(join(dir, 'r.crt'));
  for (const n of ['a.example.com', 'b.example.com', 'c.example.com', 'route.example.com', 'docker-registry.default.svc']) assert.match(text, new RegExp(`DNS:${n.replace(/\./g, '\\.')}`));
  const replaced = await go(['secure', '--renew', '--replace-hostnames', '--hostnames=c.example.com']);
  assert.equal(replaced.code, 0, replaced.stderr);
  assert.match(replaced.stderr, /warning: --replace-hostnames: the new certificate drops a\.example\.com, b\.example\.com, route\.example\.com; route\.example\.com is in use/);
});

test('spawned smoke test: bin/regctl.js secure --dry-run against the test API server', async (t) => {
  const api = await startApiServer({ profile: 'openshift3' });
  t.after(() => api.close());
  const home = tempDir(t, 'regctl-home-');
  assert.equal((await run(['--kubeconfig', api.kubeconfigPath, 'deploy'], { env: { HOME: home } })).code, 0);
  // Preloaded into the CLI: notes every module it loads. A preview issues nothing, so it needs no node-forge.
  const work = tempDir(t, 'regctl-trace-');
  const loads = join(work, 'loads');
  const tracer = join(work, 'trace.cjs');
  writeFileSync(tracer, `const fs = require('fs'); const M = require('module'); const load = M._load; M._load = function (r, ...rest) { fs.appendFileSync(${JSON.stringify(loads)}, r + '\\n'); return load.call(this, r, ...rest); };\n`);
  const r = await spawnRegctl(['--kubeconfig', api.kubeconfigPath, 'secure', '--dry-run'], { env: { HOME: home, NODE_OPTIONS: `--require ${tracer}` } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /create secret registry-certificates in default/);
  assert.deepEqual(listing(home), []);
  assert.doesNotMatch(readFileSync(loads, 'utf8'), /node-forge/);
  assert.match(readFileSync(loads, 'utf8'), /dist\/regctl\.cjs|regctl/, 'the tracer saw the CLI load');
});
