// The built `regctl` as a user runs it: `regctl deploy -o yaml|json|name` offline, and how it
// fails. stdout must hold nothing but the objects, so `> registry.yaml` and `| oc create -f -` work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { run as runInProcess } from '../support/world.js';

/** regctl in-process, as a user would type it (the spawned smoke test is test/deploy/smoke.test.ts). */
const regctl = (args: string[], opts: { env?: NodeJS.ProcessEnv } = {}) => runInProcess(args, { env: opts.env });

test('deploy --mount-host=/data -o yaml prints one v1 List and nothing else on stdout', async () => {
  const r = await regctl(['deploy', '--mount-host=/data', '-o', 'yaml']);
  assert.equal(r.code, 0, r.stderr);
  const list = load(r.stdout) as any;
  assert.equal(list.apiVersion, 'v1');
  assert.equal(list.kind, 'List');
  assert.deepEqual(list.items.map((i: any) => i.kind), ['ServiceAccount', 'ClusterRoleBinding', 'DeploymentConfig', 'Service']);
  assert.deepEqual(list.items[2].spec.template.spec.volumes, [{ name: 'registry-storage', hostPath: { path: '/data' } }]);
  // The warnings and the two commands go to stderr.
  assert.match(r.stderr, /oc adm policy add-scc-to-user privileged system:serviceaccount:default:registry/);
  assert.match(r.stderr, /sudo chown 1001:root \/data/);
  assert.doesNotMatch(r.stdout, /warning|oc adm policy/);
});

test('-o json prints the same List as JSON; -n sets the namespace of objects and binding subject', async () => {
  const r = await regctl(['deploy', '-o', 'json', '-n', 'infra']);
  assert.equal(r.code, 0, r.stderr);
  const list = JSON.parse(r.stdout);
  assert.equal(list.kind, 'List');
  assert.equal(list.items[0].metadata.namespace, 'infra');
  assert.equal(list.items[1].subjects[0].namespace, 'infra');
});

test('-o name creates (as oc adm registry -o name) and so needs a cluster: without one, a clear error', async () => {
  const r = await regctl(['deploy', '-o', 'name']);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^error: no kubeconfig: none of the files in KUBECONFIG=\/nonexistent\/kubeconfig exists\nhint: log in with `oc login <server>`/);
});

test('REGISTRY_HTTP_SECRET is 32 bytes of the world\'s randomness, base64 (a spawned run makes a new one each time: smoke.test.ts)', async () => {
  const list = load((await regctl(['deploy', '-o', 'yaml'])).stdout) as any;
  const secret = list.items[2].spec.template.spec.containers[0].env.find((e: any) => e.name === 'REGISTRY_HTTP_SECRET').value as string;
  // The test world's randomness: byte i of the first call is (i * 7 + 1) & 0xff.
  assert.equal(secret, Buffer.from(Uint8Array.from({ length: 32 }, (_, i) => (i * 7 + 1) & 0xff)).toString('base64'));
});

test('a bad flag value is one error line naming the flag, exit 2, no stack trace', async () => {
  const r = await regctl(['deploy', '--ports=5000:abc', '-o', 'yaml']);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'error: --ports: "abc" is not a port number\n');
});

test('--verbose keeps the stack trace for a bug report', async () => {
  const r = await regctl(['deploy', '--replicas=x', '-o', 'yaml', '--verbose']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error: --replicas: "x" is not a whole number\n/);
  assert.match(r.stderr, /UsageError: --replicas/);
  assert.match(r.stderr, /\n\s+at .*src\/validate\.ts/);
});

test('an unknown output format lists the allowed ones', async () => {
  const r = await regctl(['deploy', '-o', 'wide']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unable to match a printer suitable for the output format "wide", allowed formats are: yaml,json,name/);
});

test('an unknown flag is a usage error pointing at help', async () => {
  const r = await regctl(['deploy', '--mount-hots', '/data']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown option '--mount-hots'/);
  assert.match(r.stderr, /Did you mean --mount-host\?/);
  assert.match(r.stderr, /See 'regctl deploy --help'/);
});

test('--tls-certificate and --tls-key: a matching pair renders the Secret; a mismatched key is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'regctl-tls-'));
  const mk = (name: string) => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=registry', '-days', '1', '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.crt`)], { stdio: 'ignore' });
  };
  mk('a');
  mk('b');
  const ok = await regctl(['deploy', '-o', 'yaml', `--tls-certificate=${join(dir, 'a.crt')}`, `--tls-key=${join(dir, 'a.key')}`]);
  assert.equal(ok.code, 0, ok.stderr);
  const list = load(ok.stdout) as any;
  assert.equal(list.items[0].metadata.name, 'registry-certs');
  assert.match(Buffer.from(list.items[0].data['tls.crt'], 'base64').toString(), /BEGIN CERTIFICATE/);

  const bad = await regctl(['deploy', '-o', 'yaml', `--tls-certificate=${join(dir, 'a.crt')}`, `--tls-key=${join(dir, 'b.key')}`]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--tls-key: the private key in ".*b\.key" does not match the certificate in ".*a\.crt"/);

  // A certificate file that also holds its key needs no --tls-key (as oc).
  writeFileSync(join(dir, 'both.pem'), execFileSync('cat', [join(dir, 'a.crt'), join(dir, 'a.key')]));
  const both = await regctl(['deploy', '-o', 'yaml', `--tls-certificate=${join(dir, 'both.pem')}`]);
  assert.equal(both.code, 0, both.stderr);

  const missing = await regctl(['deploy', '-o', 'yaml', '--tls-certificate=/nonexistent/cert.pem']);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, 'error: --tls-certificate: cannot read "/nonexistent/cert.pem": no such file\n');
});
