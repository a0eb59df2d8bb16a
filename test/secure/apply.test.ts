// `regctl secure` against the test API server, in-process: the documented procedure applied, a
// second run that changes nothing, --renew, --trust-local, -o yaml, --dry-run, --wait, and each
// refusal leaving the cluster and the disk as they were. Certificates are checked with openssl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { startApiServer, type Profile, type TestApiServer } from '../apiserver/index.js';
import { run as regctl, type RunResult } from '../support/world.js';
import { mode, openssl, opensslCA, tempDir, verify, x509Text } from '../support/pki.js';

interface Env {
  api: TestApiServer;
  home: string;
  certDir: string;
  run(args: string[], env?: NodeJS.ProcessEnv): Promise<RunResult>;
  writes(): string[];
}

async function setup(t: { after(fn: () => unknown): void }, profile: Profile = 'openshift3', deployArgs: string[] = []): Promise<Env> {
  const api = await startApiServer({ profile });
  t.after(() => api.close());
  const home = tempDir(t, 'regctl-secure-home-');
  const certDir = join(home, 'pki');
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) => regctl(['--kubeconfig', api.kubeconfigPath, ...args], { env: { HOME: home, ...env } });
  const deployed = await run(['deploy', ...deployArgs]);
  assert.equal(deployed.code, 0, deployed.stderr);
  api.clearRequests();
  const writes = () => api.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
  return { api, home, certDir, run, writes };
}

const dc = (api: TestApiServer) => api.getObject('apps.openshift.io/v1', 'DeploymentConfig', 'docker-registry', 'default') as any;
const secretPem = (api: TestApiServer, key: string) => Buffer.from((api.getObject('v1', 'Secret', 'registry-certificates', 'default') as any).data[key], 'base64').toString();
const clusterIP = (api: TestApiServer) => (api.getObject('v1', 'Service', 'docker-registry', 'default') as any).spec.clusterIP as string;

/** Every path under a directory, for before/after comparisons. */
function listing(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).sort();
}

function writeTemp(dir: string, name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

test('secure on OpenShift 3: Secret registry-certificates, linked to the registry service account, DeploymentConfig serving TLS from /etc/secrets with HTTPS probes', async (t) => {
  const e = await setup(t);
  const r = await e.run(['secure', '--cert-dir', e.certDir]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /secret\/registry-certificates created/);
  assert.match(r.stdout, /serviceaccount\/registry configured/);
  assert.match(r.stdout, /deploymentconfig\.apps\.openshift\.io\/docker-registry configured/);

  const secret = e.api.getObject('v1', 'Secret', 'registry-certificates', 'default') as any;
  assert.equal(secret.type, 'Opaque');
  const sa = e.api.getObject('v1', 'ServiceAccount', 'registry', 'default') as any;
  assert.ok(sa.secrets.some((s: any) => s.name === 'registry-certificates'));

  const spec = dc(e.api).spec.template.spec;
  const c = spec.containers[0];
  assert.ok(spec.volumes.some((v: any) => v.name === 'registry-certificates' && v.secret.secretName === 'registry-certificates'));
  assert.ok(c.volumeMounts.some((m: any) => m.mountPath === '/etc/secrets' && m.name === 'registry-certificates'));
  const env = Object.fromEntries(c.env.map((x: any) => [x.name, x.value]));
  assert.equal(env.REGISTRY_HTTP_TLS_CERTIFICATE, '/etc/secrets/registry.crt');
  assert.equal(env.REGISTRY_HTTP_TLS_KEY, '/etc/secrets/registry.key');
  assert.equal(c.livenessProbe.httpGet.scheme, 'HTTPS');
  assert.equal(c.readinessProbe.httpGet.scheme, 'HTTPS');

  // The certificate in the Secret: signed by the CA regctl keeps, for the service IP and names.
  const dir = tempDir(t);
  const crt = writeTemp(dir, 'registry.crt', secretPem(e.api, 'registry.crt'));
  const key = writeTemp(dir, 'registry.key', secretPem(e.api, 'registry.key'));
  const ca = join(e.certDir, 'ca.crt');
  assert.equal(verify(ca, crt).code, 0);
  const text = x509Text(crt);
  const ip = clusterIP(e.api);
  assert.match(text, new RegExp(`DNS:docker-registry\\.default\\.svc, DNS:docker-registry\\.default\\.svc\\.cluster\\.local, DNS:${ip.replace(/\./g, '\\.')}, IP Address:${ip.replace(/\./g, '\\.')}`));
  assert.match(text, /TLS Web Server Authentication/);
  assert.equal(openssl(['x509', '-in', crt, '-noout', '-modulus']).stdout, openssl(['rsa', '-in', key, '-noout', '-modulus']).stdout);
  assert.equal(mode(join(e.certDir, 'ca.key')), '0600');
  assert.equal(readFileSync(join(e.certDir, 'ca.serial.txt'), 'utf8'), '02\n');
  // Without --trust-local: the commands for every node.
  assert.match(r.stderr, new RegExp(`sudo install -D -m 0644 registry-ca\\.crt /etc/docker/certs\\.d/${ip.replace(/\./g, '\\.')}:5000/ca\\.crt`));
  assert.match(r.stderr, /sudo install -D -m 0644 registry-ca\.crt \/etc\/docker\/certs\.d\/docker-registry\.default\.svc\.cluster\.local:5000\/ca\.crt/);
});

test('running secure twice changes nothing the second time: no write request, no new serial', async (t) => {
  const e = await setup(t);
  assert.equal((await e.run(['secure', '--cert-dir', e.certDir])).code, 0);
  const secretBefore = secretPem(e.api, 'registry.crt');
  e.api.clearRequests();
  const again = await e.run(['secure', '--cert-dir', e.certDir]);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(e.writes(), []);
  assert.equal(again.stdout, 'the registry in default already serves TLS from secret registry-certificates: nothing to change\n');
  assert.equal(secretPem(e.api, 'registry.crt'), secretBefore);
  assert.equal(readFileSync(join(e.certDir, 'ca.serial.txt'), 'utf8'), '02\n');
});

test('--renew issues a new certificate with the next serial from the same CA and replaces only the Secret', async (t) => {
  const e = await setup(t);
  assert.equal((await e.run(['secure', '--cert-dir', e.certDir])).code, 0);
  const caBefore = readFileSync(join(e.certDir, 'ca.crt'), 'utf8');
  e.api.clearRequests();
  const r = await e.run(['secure', '--cert-dir', e.certDir, '--renew']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(e.writes(), ['PUT /api/v1/namespaces/default/secrets/registry-certificates']);
  assert.equal(readFileSync(join(e.certDir, 'ca.crt'), 'utf8'), caBefore, 'the CA is reused');
  const dir = tempDir(t);
  const crt = writeTemp(dir, 'r.crt', secretPem(e.api, 'registry.crt'));
  assert.match(x509Text(crt), /Serial Number: 3 \(0x3\)/);
  assert.equal(verify(join(e.certDir, 'ca.crt'), crt).code, 0);
});

test('--trust-local writes the CA to <certs.d>/<service IP>:5000/ca.crt and <certs.d>/docker-registry.default.svc.cluster.local:5000/ca.crt', async (t) => {
  const e = await setup(t);
  const certsD = join(e.home, 'certs.d');
  const r = await e.run(['secure', '--cert-dir', e.certDir, '--trust-local', '--certs-d', certsD]);
  assert.equal(r.code, 0, r.stderr);
  const ca = readFileSync(join(e.certDir, 'ca.crt'), 'utf8');
  assert.deepEqual(readdirSync(certsD).sort(), [`${clusterIP(e.api)}:5000`, 'docker-registry.default.svc.cluster.local:5000'].sort());
  for (const d of readdirSync(certsD)) assert.equal(readFileSync(join(certsD, d, 'ca.crt'), 'utf8'), ca);
  assert.doesNotMatch(r.stderr, /registry-ca\.crt/, 'no node script when trusted locally');
  const again = await e.run(['secure', '--cert-dir', e.certDir, '--trust-local', '--certs-d', certsD]);
  assert.match(again.stdout, /nothing to change/);
  assert.doesNotMatch(again.stderr, /wrote /);
});

test('--trust-local also removes the registry\'s --insecure-registry entry from --node-config, keeping a backup; the second run leaves the file alone', async (t) => {
  const e = await setup(t);
  const ip = clusterIP(e.api);
  const nodeConfig = writeTemp(e.home, 'docker', `OPTIONS='--selinux-enabled'\nINSECURE_REGISTRY='--insecure-registry ${ip}:5000 --insecure-registry mirror.example.com:5000'\n`);
  const args = ['secure', '--cert-dir', e.certDir, '--trust-local', '--certs-d', join(e.home, 'certs.d'), '--node-config', nodeConfig, '--backup-dir', join(e.home, 'backups')];
  const r = await e.run(args);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(nodeConfig, 'utf8'), `OPTIONS='--selinux-enabled'\nINSECURE_REGISTRY='--insecure-registry mirror.example.com:5000'\n`);
  assert.match(r.stderr, /sudo systemctl daemon-reload && sudo systemctl restart docker/);
  const backup = (readdirSync(join(e.home, 'backups'), { recursive: true }) as string[]).find((f) => f.endsWith('docker') && statSync(join(e.home, 'backups', f)).isFile())!;
  assert.match(readFileSync(join(e.home, 'backups', backup), 'utf8'), new RegExp(`--insecure-registry ${ip.replace(/\./g, '\\.')}:5000`));
  const again = await e.run(args);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /nothing to change/);
  assert.doesNotMatch(again.stderr, /restart docker/);
});

test('-o yaml prints the Secret (a placeholder certificate), the linked service accounts and the DeploymentConfig as they will be; nothing is written anywhere', async (t) => {
  const e = await setup(t);
  const homeBefore = listing(e.home);
  const r = await e.run(['secure', '-o', 'yaml']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(e.writes(), []);
  assert.deepEqual(listing(e.home), homeBefore, 'no CA, no serial, no backup folder');
  const list = load(r.stdout) as any;
  assert.equal(list.kind, 'List');
  assert.deepEqual(list.items.map((i: any) => `${i.kind}/${i.metadata.name}`), ['Secret/registry-certificates', 'ServiceAccount/registry', 'ServiceAccount/default', 'DeploymentConfig/docker-registry']);
  assert.equal(list.items[3].metadata.resourceVersion, undefined, 'no server bookkeeping');
  assert.equal(list.items[3].spec.template.spec.containers[0].livenessProbe.httpGet.scheme, 'HTTPS');
  assert.ok(list.items[1].secrets.some((s: any) => s.name === 'registry-certificates'));
  assert.match(Buffer.from(list.items[0].data['registry.crt'], 'base64').toString(), /^\(placeholder: the certificate regctl secure issues when it runs, for \d+\.\d+\.\d+\.\d+, docker-registry\.default\.svc, docker-registry\.default\.svc\.cluster\.local/);
  assert.match(r.stderr, /would create a CA for this cluster in .*\/\.regctl\/pki\//);
});

test('--dry-run lists the steps on stdout and changes nothing, on the server or on disk', async (t) => {
  const e = await setup(t);
  const r = await e.run(['secure', '--cert-dir', e.certDir, '--dry-run']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(e.writes(), []);
  assert.equal(existsSync(e.certDir), false);
  assert.match(r.stdout, /^1\. write the CA key .*ca\.key \(mode 0600\)/);
  assert.match(r.stdout, /4\. create secret registry-certificates in default/);
  assert.match(r.stdout, /link secret registry-certificates to service account registry/);
  assert.match(r.stdout, /deploymentconfig docker-registry: mount secret registry-certificates at \/etc\/secrets/);
  assert.match(r.stdout, /\+ +scheme: HTTPS/, 'the diff of the DeploymentConfig');
});

test('--signer-cert/--signer-key/--signer-serial sign as oc adm ca does: the serial file advances', async (t) => {
  const e = await setup(t);
  const dir = tempDir(t);
  const made = await regctl(['ca', 'create-signer-cert', '--cert', join(dir, 'ca.crt'), '--key', join(dir, 'ca.key'), '--serial', join(dir, 'ca.serial.txt')]);
  assert.equal(made.code, 0, made.stderr);
  const r = await e.run(['secure', '--signer-cert', join(dir, 'ca.crt'), '--signer-key', join(dir, 'ca.key'), '--signer-serial', join(dir, 'ca.serial.txt'), '--hostnames', 'registry.apps.example.com']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(join(dir, 'ca.serial.txt'), 'utf8'), '02\n');
  const crt = writeTemp(dir, 'r.crt', secretPem(e.api, 'registry.crt'));
  assert.equal(verify(join(dir, 'ca.crt'), crt).code, 0);
  assert.match(x509Text(crt), /DNS:registry\.apps\.example\.com/);
});

test('--cert/--key the user has go into the Secret as given when they match and cover the names', async (t) => {
  const e = await setup(t);
  const dir = tempDir(t);
  await regctl(['ca', 'create-signer-cert', '--cert', join(dir, 'ca.crt'), '--key', join(dir, 'ca.key'), '--serial', '']);
  const ip = clusterIP(e.api);
  const issued = await regctl(['ca', 'create-server-cert', '--signer-cert', join(dir, 'ca.crt'), '--signer-key', join(dir, 'ca.key'), '--signer-serial', '', '--hostnames', `${ip},docker-registry.default.svc,docker-registry.default.svc.cluster.local`, '--cert', join(dir, 'r.crt'), '--key', join(dir, 'r.key')]);
  assert.equal(issued.code, 0, issued.stderr);
  const r = await e.run(['secure', '--cert', join(dir, 'r.crt'), '--key', join(dir, 'r.key')]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(secretPem(e.api, 'registry.crt'), readFileSync(join(dir, 'r.crt'), 'utf8'));
  assert.equal(secretPem(e.api, 'registry.key'), readFileSync(join(dir, 'r.key'), 'utf8'));
});

test('a certificate in the Secret that expires within 30 days, or lacks a name, is reported with the fix and left alone', async (t) => {
  const e = await setup(t);
  const dir = tempDir(t);
  await regctl(['ca', 'create-signer-cert', '--cert', join(dir, 'ca.crt'), '--key', join(dir, 'ca.key'), '--serial', '']);
  const ip = clusterIP(e.api);
  await regctl(['ca', 'create-server-cert', '--signer-cert', join(dir, 'ca.crt'), '--signer-key', join(dir, 'ca.key'), '--signer-serial', '', '--expire-days', '10', '--hostnames', `${ip},docker-registry.default.svc,docker-registry.default.svc.cluster.local`, '--cert', join(dir, 'r.crt'), '--key', join(dir, 'r.key')]);
  assert.equal((await e.run(['secure', '--cert', join(dir, 'r.crt'), '--key', join(dir, 'r.key')])).code, 0);
  e.api.clearRequests();
  const r = await e.run(['secure', '--cert-dir', e.certDir, '--hostnames', 'registry.apps.example.com']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /warning: secret registry-certificates: the certificate does not cover registry\.apps\.example\.com/);
  assert.match(r.stderr, /warning: secret registry-certificates: the certificate expires in \d+ days/);
  assert.match(r.stderr, /regctl secure --renew --hostnames=registry\.apps\.example\.com/);
  assert.deepEqual(e.writes(), []);
  // The hint, run as printed, issues a certificate that keeps the old names and adds the new one.
  const hint = /(regctl secure --renew --hostnames=\S+)/.exec(r.stderr)![1]!.split(' ').slice(1);
  const renewed = await e.run([...hint, '--cert-dir', e.certDir]);
  assert.equal(renewed.code, 0, renewed.stderr);
  const text = x509Text(writeTemp(tempDir(t), 'n.crt', secretPem(e.api, 'registry.crt')));
  assert.match(text, /DNS:registry\.apps\.example\.com/);
  assert.match(text, new RegExp(`IP Address:${ip.replace(/\./g, '\\.')}`));
});

test('secure on plain Kubernetes secures the Deployment', async (t) => {
  const e = await setup(t, 'kubernetes');
  const r = await e.run(['secure', '--cert-dir', e.certDir]);
  assert.equal(r.code, 0, r.stderr);
  const dep = e.api.getObject('apps/v1', 'Deployment', 'docker-registry', 'default') as any;
  const c = dep.spec.template.spec.containers[0];
  assert.ok(c.env.some((x: any) => x.name === 'REGISTRY_HTTP_TLS_CERTIFICATE' && x.value === '/etc/secrets/registry.crt'));
  assert.equal(c.readinessProbe.httpGet.scheme, 'HTTPS');
});

test('--wait waits for the rollout and for "listening on :5000, tls" in the registry log', async (t) => {
  const e = await setup(t);
  const running = e.run(['secure', '--cert-dir', e.certDir, '--wait', '--timeout', '60'], { REGCTL_POLL_INTERVAL_MS: '20' });
  // Play the cluster's part: once the DeploymentConfig is secured, roll it out and start a pod.
  let rolledOut = false;
  const controller = setInterval(() => {
    const d = dc(e.api);
    if (rolledOut || !d?.spec.template.spec.volumes.some((v: any) => v.name === 'registry-certificates')) return;
    rolledOut = true;
    e.api.putObject({ ...d, status: { latestVersion: 2, observedGeneration: d.metadata.generation, replicas: 1, updatedReplicas: 1, availableReplicas: 1, unavailableReplicas: 0 } });
    e.api.putObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'docker-registry-2-abcde', namespace: 'default', labels: { 'docker-registry': 'default' } }, spec: { containers: [{ name: 'registry', image: 'x' }] }, status: { phase: 'Running' } } as any);
    e.api.setPodLog('default', 'docker-registry-2-abcde', 'time="2026-01-01T00:00:00Z" level=info msg="listening on :5000, tls" instance.id=1\n');
  }, 20);
  t.after(() => clearInterval(controller));
  const r = await running;
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /pod docker-registry-2-abcde is serving TLS: listening on :5000, tls/);
});

// Each refusal: exit code, one error line, and neither the cluster nor the disk touched.
const refusals: { name: string; code: number; args(dir: string, ip: string): string[]; message: RegExp }[] = [
  {
    name: 'a namespace without the registry service (hint: regctl deploy)',
    code: 1,
    args: () => ['-n', 'kube-system'],
    message: /service "docker-registry" not found in namespace kube-system/,
  },
  {
    name: '--cert that does not cover the service IP and names',
    code: 2,
    args: (dir) => {
      const ca = opensslCA(dir, 'corp');
      openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'o.key'), '-out', join(dir, 'o.csr'), '-subj', '/CN=other.example.com']);
      openssl(['x509', '-req', '-in', join(dir, 'o.csr'), '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-days', '30', '-out', join(dir, 'o.crt')]);
      return ['--cert', join(dir, 'o.crt'), '--key', join(dir, 'o.key')];
    },
    message: /--cert: ".*o\.crt" cannot serve the registry: it does not cover \d+\.\d+\.\d+\.\d+, docker-registry\.default\.svc, docker-registry\.default\.svc\.cluster\.local/,
  },
  {
    name: '--key that does not belong to --cert',
    code: 2,
    args: (dir) => {
      const a = opensslCA(dir, 'a');
      const b = opensslCA(dir, 'b');
      return ['--cert', a.cert, '--key', b.key];
    },
    message: /--key: the private key in ".*b\.key" does not match the certificate in ".*a\.crt"/,
  },
  {
    name: 'an encrypted --key',
    code: 2,
    args: (dir) => {
      const a = opensslCA(dir, 'a');
      openssl(['rsa', '-in', a.key, '-aes256', '-passout', 'pass:x', '-out', join(dir, 'enc.key')]);
      return ['--cert', a.cert, '--key', join(dir, 'enc.key')];
    },
    message: /--key: ".*enc\.key" holds an encrypted private key/,
  },
  {
    name: 'an expired signer',
    code: 2,
    args: (dir) => {
      const old = opensslCA(dir, 'old', { start: '20200101000000Z', end: '20200102000000Z' });
      return ['--signer-cert', old.cert, '--signer-key', old.key];
    },
    message: /--signer-cert: the signer "CN=old" in ".*old\.crt" expired on 2020-01-02/,
  },
  {
    name: 'a signer that is not a CA',
    code: 2,
    args: (dir) => {
      const leaf = opensslCA(dir, 'leaf', { ca: false });
      return ['--signer-cert', leaf.cert, '--signer-key', leaf.key];
    },
    message: /--signer-cert: ".*leaf\.crt" is not a CA certificate/,
  },
  {
    name: '--trust-local where the certs.d directory cannot be made',
    code: 2,
    args: (dir) => ['--trust-local', '--certs-d', `${writeTemp(dir, 'plain-file', 'x')}/certs.d`],
    message: /--certs-d: cannot create ".*plain-file\/certs\.d": ".*plain-file" is not a directory/,
  },
  { name: 'an invalid --hostnames entry', code: 2, args: () => ['--hostnames', '300.1.1.1'], message: /--hostnames: "300\.1\.1\.1" is not a valid IP address/ },
];

for (const c of refusals) {
  test(`secure refuses ${c.name}: exit ${c.code}, one error line, nothing changed`, async (t) => {
    const e = await setup(t);
    const dir = tempDir(t);
    const dcBefore = JSON.stringify(dc(e.api));
    const args = c.args(dir, clusterIP(e.api));
    // --cert-dir goes with regctl's own CA only.
    const r = await e.run(['secure', ...(args.includes('--cert') || args.includes('--signer-cert') ? [] : ['--cert-dir', e.certDir]), ...args]);
    assert.equal(r.code, c.code, r.stderr);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
    assert.equal(errors.length, 1, r.stderr);
    assert.match(errors[0]!, c.message);
    if (c.code === 1) assert.match(r.stderr, /hint: run regctl deploy/);
    assert.deepEqual(e.writes(), []);
    assert.equal(JSON.stringify(dc(e.api)), dcBefore);
    assert.equal(existsSync(e.certDir), false);
  });
}

test('secure with --daemonset when the registry is a DeploymentConfig says which kind is missing and how to find it', async (t) => {
  const e = await setup(t);
  const r = await e.run(['secure', '--cert-dir', e.certDir, '--daemonset']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /error: no DaemonSet "docker-registry" in namespace default/);
  assert.match(r.stderr, /hint: leave out --daemonset\/--deployment/);
  assert.deepEqual(e.writes(), []);
  assert.equal(existsSync(e.certDir), false);
});
