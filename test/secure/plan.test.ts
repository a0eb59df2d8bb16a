// planSecure on the objects `regctl deploy` makes (src/templates/registry.ts): each documented
// step of "Securing the Registry" as a plan step, nothing when already done, schema-valid output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { certificateNames, serviceEndpoint, type SecureCert } from '../../src/commands/secure/certificate.js';
import type { SecureLive } from '../../src/commands/secure/live.js';
import { toOptions, type SecureFlags } from '../../src/commands/secure/options.js';
import { planSecure, type SecureLocal } from '../../src/commands/secure/plan.js';
import { registryObjects } from '../../src/templates/registry.js';
import { registryOptions } from '../support/registry-fixtures.js';
import { secureWorkload } from '../../src/templates/secure.js';
import type { KubeObject, Plan, Step } from '../../src/plan/types.js';
import { mergePatch } from '../../src/plan/types.js';
import { UsageError } from '../../src/errors.js';
import { validateObject } from '../support/schema.js';

const SECURE: SecureFlags = { expireDays: '730', signerExpireDays: '1825', keySize: '2048', timeout: '300', certsD: '/etc/docker/certs.d' };

const CERT: SecureCert = {
  certPem: '-----BEGIN CERTIFICATE-----\nLEAF\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n',
  keyPem: '-----BEGIN RSA PRIVATE KEY-----\nKEY\n-----END RSA PRIVATE KEY-----\n',
  caPem: '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n',
  files: [],
  names: ['172.30.85.201'],
  placeholder: false,
  infos: [],
  warnings: [],
};

function deployed(o: Parameters<typeof registryOptions>[0] = {}): SecureLive {
  const namespace = o.namespace ?? 'default';
  const objs = registryObjects(registryOptions(o));
  const service = objs.find((x) => x.kind === 'Service')!;
  (service as any).spec.clusterIP = '172.30.85.201';
  const workload = objs.find((x) => ['DeploymentConfig', 'Deployment', 'DaemonSet'].includes(x.kind))!;
  const sa = objs.find((x) => x.kind === 'ServiceAccount') ?? { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'registry', namespace } };
  const defaultSA: KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace }, secrets: [{ name: 'default-token-abcde' }] } as KubeObject;
  return {
    info: { platform: o.platform ?? 'openshift3', groups: new Set() },
    server: 'https://master.example.com:8443',
    namespace,
    service,
    workload,
    serviceAccounts: [sa, defaultSA],
    missingServiceAccounts: [],
    routeHosts: [],
  };
}

/** Applies a plan's steps to the live state and the local files, as the executor would. */
function applied(live: SecureLive, plan: Plan, local: SecureLocal = {}): { live: SecureLive; local: SecureLocal } {
  const next = structuredClone(live);
  const files = structuredClone(local);
  for (const s of plan.steps) {
    if ((s.kind === 'create' || s.kind === 'update') && s.object.kind === 'Secret') next.secret = structuredClone(s.object);
    if (s.kind === 'update' && s.object.kind === live.workload.kind) next.workload = structuredClone(s.object);
    if (s.kind === 'patch' && s.live.kind === 'ServiceAccount') {
      const i = next.serviceAccounts.findIndex((x) => x.metadata.name === s.live.metadata.name);
      next.serviceAccounts[i] = structuredClone(s.after!);
    }
    if (s.kind === 'writeFile' && s.path === files.nodeConfig?.path) files.nodeConfig = { path: s.path, text: String(s.content) };
    else if (s.kind === 'writeFile') files.trustFiles = { ...files.trustFiles, [s.path]: String(s.content) };
  }
  return { live: next, local: files };
}

const kinds = (p: Plan) => p.steps.map((s) => `${s.kind} ${s.kind === 'patch' || s.kind === 'delete' ? `${s.live.kind}/${s.live.metadata.name}` : s.kind === 'writeFile' ? s.path : s.kind === 'exec' ? s.command : `${s.object.kind}/${s.object.metadata.name}`}`);
const objectOf = (p: Plan, kind: string) => (p.steps.find((s) => (s.kind === 'create' || s.kind === 'update') && s.object.kind === kind) as Extract<Step, { object: KubeObject }>).object as any;

test('on a freshly deployed registry: create the Secret, link it to registry and default, then replace the DeploymentConfig', () => {
  const plan = planSecure(toOptions(SECURE), deployed(), CERT);
  assert.deepEqual(kinds(plan), ['create Secret/registry-certificates', 'patch ServiceAccount/registry', 'patch ServiceAccount/default', 'update DeploymentConfig/docker-registry']);
  assert.equal(plan.command, 'secure');
  for (const s of plan.steps) assert.ok(s.describe.length > 10 && !s.describe.includes('\n'), 'one-line description');
});

test('the Secret is registry-certificates, type Opaque as oc secrets new makes it, with registry.crt and registry.key', async () => {
  const secret = objectOf(planSecure(toOptions(SECURE), deployed(), CERT), 'Secret');
  assert.equal(secret.metadata.name, 'registry-certificates');
  assert.equal(secret.metadata.namespace, 'default');
  assert.equal(secret.type, 'Opaque');
  assert.deepEqual(Object.keys(secret.data).sort(), ['registry.crt', 'registry.key']);
  assert.equal(Buffer.from(secret.data['registry.crt'], 'base64').toString(), CERT.certPem);
  assert.equal(Buffer.from(secret.data['registry.key'], 'base64').toString(), CERT.keyPem);
  await validateObject(secret);
});

test('service accounts are linked with a JSON patch that appends, or creates the list when there is none', () => {
  const plan = planSecure(toOptions(SECURE), deployed(), CERT);
  const patches = plan.steps.filter((s) => s.kind === 'patch') as Extract<Step, { kind: 'patch' }>[];
  for (const p of patches) assert.deepEqual(p.after, mergePatch(p.live, { secrets: [...((p.live as any).secrets ?? []), { name: 'registry-certificates' }] }), 'the service account as it will be, for -o');
  assert.deepEqual(patches.map((p) => [p.live.metadata.name, p.patchType, p.patch]), [
    ['registry', 'json', [{ op: 'add', path: '/secrets', value: [{ name: 'registry-certificates' }] }]],
    ['default', 'json', [{ op: 'add', path: '/secrets/-', value: { name: 'registry-certificates' } }]],
  ]);
});

test('the DeploymentConfig mounts the Secret at /etc/secrets, sets the two TLS variables, probes over HTTPS, and keeps everything else', async () => {
  const live = deployed();
  const dc = objectOf(planSecure(toOptions(SECURE), live, CERT), 'DeploymentConfig');
  const spec = dc.spec.template.spec;
  const c = spec.containers[0];
  assert.deepEqual(spec.volumes, [{ name: 'registry-storage', emptyDir: {} }, { name: 'registry-certificates', secret: { secretName: 'registry-certificates', defaultMode: 0o644 } }]);
  assert.deepEqual(c.volumeMounts, [{ name: 'registry-storage', mountPath: '/registry' }, { name: 'registry-certificates', mountPath: '/etc/secrets', readOnly: true }]);
  const env = Object.fromEntries(c.env.map((e: any) => [e.name, e.value]));
  assert.equal(env.REGISTRY_HTTP_TLS_CERTIFICATE, '/etc/secrets/registry.crt');
  assert.equal(env.REGISTRY_HTTP_TLS_KEY, '/etc/secrets/registry.key');
  assert.equal(env.REGISTRY_HTTP_ADDR, ':5000', 'the rest of the env is kept');
  assert.equal(env.REGISTRY_HTTP_SECRET, 'c2VjcmV0');
  assert.deepEqual(c.livenessProbe, { httpGet: { path: '/healthz', port: 5000, scheme: 'HTTPS' }, initialDelaySeconds: 10, timeoutSeconds: 5 });
  assert.deepEqual(c.readinessProbe, { httpGet: { path: '/healthz', port: 5000, scheme: 'HTTPS' }, timeoutSeconds: 5 });
  const orig = (live.workload as any).spec.template.spec.containers[0];
  assert.equal(c.image, orig.image);
  assert.deepEqual(c.resources, orig.resources);
  assert.equal(orig.livenessProbe.httpGet.scheme, undefined, 'the live object is not modified');
  await validateObject(dc);
});

test('a second run on the secured registry plans nothing', () => {
  const o = toOptions({ ...SECURE, trustLocal: true });
  const first = planSecure(o, deployed(), CERT);
  const done = applied(deployed(), first);
  const second = planSecure(o, done.live, CERT, done.local);
  assert.deepEqual(second.steps, []);
});

test('a new certificate replaces the Secret and changes nothing else', () => {
  const o = toOptions(SECURE);
  const done = applied(deployed(), planSecure(o, deployed(), CERT)).live;
  const renewed = planSecure(o, done, { ...CERT, certPem: CERT.certPem.replace('LEAF', 'LEAF2') });
  assert.deepEqual(kinds(renewed), ['update Secret/registry-certificates']);
});

test('local certificate files (a new CA, the serial) are the first steps, with their modes', () => {
  const files = [
    { path: '/home/u/.regctl/pki/master_8443/ca.key', content: 'K', mode: 0o600, what: 'CA key' },
    { path: '/home/u/.regctl/pki/master_8443/ca.crt', content: 'C', mode: 0o644, what: 'CA certificate' },
  ];
  const plan = planSecure(toOptions(SECURE), deployed(), { ...CERT, files });
  assert.deepEqual(plan.steps.slice(0, 2).map((s) => s.kind === 'writeFile' && [s.path, s.mode]), [
    ['/home/u/.regctl/pki/master_8443/ca.key', 0o600],
    ['/home/u/.regctl/pki/master_8443/ca.crt', 0o644],
  ]);
  assert.match(plan.steps[0]!.describe, /write the CA key .*ca\.key \(mode 0600\)/);
});

test('--trust-local writes the CA to <certs.d>/<service IP>:<port>/ca.crt and <certs.d>/docker-registry.<ns>.svc.cluster.local:<port>/ca.crt, skipping files already right', () => {
  const o = toOptions({ ...SECURE, trustLocal: true, certsD: '/tmp/certs.d' });
  const live = deployed({ namespace: 'infra' });
  const writes = planSecure(o, live, CERT).steps.filter((s) => s.kind === 'writeFile') as Extract<Step, { kind: 'writeFile' }>[];
  assert.deepEqual(writes.map((w) => [w.path, w.content, w.mode]), [
    ['/tmp/certs.d/172.30.85.201:5000/ca.crt', CERT.caPem, 0o644],
    ['/tmp/certs.d/docker-registry.infra.svc.cluster.local:5000/ca.crt', CERT.caPem, 0o644],
  ]);
  const again = planSecure(o, live, CERT, { trustFiles: { '/tmp/certs.d/172.30.85.201:5000/ca.crt': CERT.caPem } }).steps.filter((s) => s.kind === 'writeFile') as Extract<Step, { kind: 'writeFile' }>[];
  assert.deepEqual(again.map((w) => w.path), ['/tmp/certs.d/docker-registry.infra.svc.cluster.local:5000/ca.crt']);
});

const SYSCONFIG = `OPTIONS='--selinux-enabled --log-driver=journald'
# INSECURE_REGISTRY='--insecure-registry'
INSECURE_REGISTRY='--insecure-registry 172.30.85.201:5000 --insecure-registry=docker-registry.default.svc.cluster.local:5000 --insecure-registry other.example.com:5000'
`;

test('--trust-local on a node drops this registry\'s --insecure-registry entries from /etc/sysconfig/docker and keeps every other word', () => {
  const o = toOptions({ ...SECURE, trustLocal: true });
  const live = deployed();
  const local = { nodeConfig: { path: '/etc/sysconfig/docker', text: SYSCONFIG } };
  const plan = planSecure(o, live, CERT, local);
  const edit = plan.steps.find((s) => s.kind === 'writeFile' && s.path === '/etc/sysconfig/docker') as Extract<Step, { kind: 'writeFile' }>;
  assert.equal(edit.describe, 'remove --insecure-registry 172.30.85.201:5000, docker-registry.default.svc.cluster.local:5000 from /etc/sysconfig/docker');
  assert.equal(edit.content, SYSCONFIG.replace("'--insecure-registry 172.30.85.201:5000 --insecure-registry=docker-registry.default.svc.cluster.local:5000 --insecure-registry other.example.com:5000'", "'--insecure-registry other.example.com:5000'"));
  assert.equal(edit.mode, undefined, 'the file keeps its mode');
  assert.ok(!plan.steps.some((s) => s.kind === 'exec'), 'docker is restarted only with --restart');
  const done = applied(live, plan, local);
  assert.deepEqual(planSecure(o, done.live, CERT, done.local).steps, [], 'nothing left to remove the second time');
});

test('--restart adds systemctl daemon-reload and restart docker after the edit, and only when the file changed', () => {
  const o = toOptions({ ...SECURE, trustLocal: true, restart: true });
  const plan = planSecure(o, deployed(), CERT, { nodeConfig: { path: '/etc/sysconfig/docker', text: SYSCONFIG } });
  const execs = plan.steps.filter((s) => s.kind === 'exec') as Extract<Step, { kind: 'exec' }>[];
  assert.deepEqual(execs.map((s) => [s.command, ...s.args]), [['systemctl', 'daemon-reload'], ['systemctl', 'restart', 'docker']]);
  assert.equal(plan.steps.at(-1), execs[1]);
  assert.ok(!planSecure(o, deployed(), CERT, { nodeConfig: { path: '/etc/sysconfig/docker', text: "OPTIONS='--selinux-enabled'\n" } }).steps.some((s) => s.kind === 'exec'));
  assert.throws(() => toOptions({ ...SECURE, restart: true }), /--restart restarts docker on this machine after --trust-local/);
});

test('a Deployment (Kubernetes) and a DaemonSet are secured the same way, with the upstream registry\'s probe path kept', async () => {
  for (const live of [deployed({ platform: 'kubernetes' }), deployed({ workload: 'DaemonSet' })]) {
    const plan = planSecure(toOptions(SECURE), live, CERT);
    const w = objectOf(plan, live.workload.kind);
    const c = w.spec.template.spec.containers[0];
    assert.equal(c.livenessProbe.httpGet.scheme, 'HTTPS');
    assert.equal(c.livenessProbe.httpGet.path, live.workload.kind === 'Deployment' ? '/' : '/healthz');
    assert.ok(c.env.some((e: any) => e.name === 'REGISTRY_HTTP_TLS_KEY' && e.value === '/etc/secrets/registry.key'));
    await validateObject(w);
  }
});

test('a registry deployed with --tls-certificate (oc\'s registry-certs) is switched to the /etc/secrets files', () => {
  const objs = registryObjects(registryOptions({ tls: { certPem: 'c', keyPem: 'k' } }));
  const dc = objs.find((o) => o.kind === 'DeploymentConfig')!;
  const c = (secureWorkload(dc) as any).spec.template.spec.containers[0];
  assert.equal(c.env.filter((e: any) => e.name === 'REGISTRY_HTTP_TLS_CERTIFICATE').length, 1);
  assert.equal(c.env.find((e: any) => e.name === 'REGISTRY_HTTP_TLS_CERTIFICATE').value, '/etc/secrets/registry.crt');
});

test('the certificate names: the service IP, docker-registry.<ns>.svc, docker-registry.<ns>.svc.cluster.local, --hostnames, then the names in use (passthrough route hosts, the registry address)', () => {
  const live = { ...deployed({ namespace: 'infra' }), routeHosts: ['registry.apps.example.com'], serverAddr: 'docker-registry.infra.svc:5000' };
  assert.equal(serviceEndpoint(live.service).port, 5000);
  assert.deepEqual(certificateNames(toOptions({ ...SECURE, hostnames: ['extra.example.com'] }), live), {
    names: ['172.30.85.201', 'docker-registry.infra.svc', 'docker-registry.infra.svc.cluster.local', 'extra.example.com', 'registry.apps.example.com'],
    dropped: [],
  });
  assert.deepEqual(certificateNames(toOptions({ ...SECURE, hostnames: ['extra.example.com'], replaceHostnames: true }), live), {
    names: ['172.30.85.201', 'docker-registry.infra.svc', 'docker-registry.infra.svc.cluster.local', 'extra.example.com'],
    dropped: ['registry.apps.example.com'],
  });
});

test('a service without a cluster IP cannot be named in a certificate', () => {
  const live = deployed();
  (live.service as any).spec.clusterIP = 'None';
  assert.throws(() => serviceEndpoint(live.service), /has no cluster IP/);
});

test('flag combinations are checked before anything is read', () => {
  const bad: [Partial<SecureFlags>, RegExp][] = [
    [{ cert: 'a.crt', signerCert: 'ca.crt' }, /--cert\/--key and --signer-cert\/--signer-key cannot be used together/],
    [{ cert: 'a.crt' }, /--cert needs --key/],
    [{ signerKey: 'ca.key' }, /need --signer-cert/],
    [{ signerCert: 'ca.crt' }, /--signer-cert needs --signer-key/],
    [{ certDir: '/x', cert: 'a', key: 'b' }, /--cert-dir holds the CA regctl makes/],
    [{ daemonset: true, deployment: true }, /--daemonset and --deployment cannot be used together/],
    [{ hostnames: ['ok.example.com,bad_name!'] }, /--hostnames: "bad_name!" is neither a valid host name nor an IP address/],
    [{ expireDays: '-3' }, /--expire-days/],
    [{ certsD: 'relative/dir' }, /--certs-d: "relative\/dir" must be an absolute path/],
    [{ trustLocal: true, trustScript: 'trust.sh' }, /--trust-script writes the commands for the other nodes; --trust-local runs them here/],
    [{ cert: 'a.crt', key: 'a.key', replaceHostnames: true }, /--replace-hostnames chooses the names of a certificate regctl issues/],
  ];
  for (const [flags, message] of bad) {
    assert.throws(() => toOptions({ ...SECURE, ...flags }), (e: unknown) => e instanceof UsageError && message.test(e.message), JSON.stringify(flags));
  }
  assert.deepEqual(toOptions({ ...SECURE, signerCert: 'ca.crt', signerKey: 'ca.key' }).source, { kind: 'signer', certPath: 'ca.crt', keyPath: 'ca.key', serialPath: '' });
  assert.deepEqual(toOptions(SECURE).source, { kind: 'regctl-ca', dir: undefined });
});
