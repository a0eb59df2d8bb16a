// `regctl expose` against the test API server, in-process: the 3.x passthrough route and its TLS check, the
// master-config registry hostnames (a real file, backed up), the 4.x operator Config and
// image.config merge patches, and certificate names checked against certificates made by openssl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { startApiServer, type TestApiServer } from '../apiserver/index.js';
import { run as regctl } from '../support/world.js';
import { validateObject } from '../support/schema.js';

const ROUTE = ['route.openshift.io/v1', 'Route', 'docker-registry', 'default'] as const;
const REGISTRY_CONFIG = ['imageregistry.operator.openshift.io/v1', 'Config', 'cluster'] as const;
const IMAGE_CONFIG = ['config.openshift.io/v1', 'Image', 'cluster'] as const;
const writes = (api: TestApiServer) => api.requests.filter((r) => r.method !== 'GET');

/** A self-signed certificate (and key) naming `names` as DNS SANs, made by openssl. */
function certificate(dir: string, name: string, names: string[]): { cert: string; key: string } {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${names[0]}`, '-days', '1', '-addext', `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`, '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { cert, key };
}

async function cluster(profile: 'openshift3' | 'openshift4' | 'kubernetes' = 'openshift3', deployFlags?: string[]) {
  const api = await startApiServer({ profile });
  const home = mkdtempSync(join(tmpdir(), 'regctl-home-'));
  const run = (args: string[]) => regctl(['--kubeconfig', api.kubeconfigPath, ...args], { env: { HOME: home } });
  if (deployFlags) {
    const d = await run(['deploy', ...deployFlags]);
    assert.equal(d.code, 0, d.stderr);
  }
  api.clearRequests();
  return { api, run, home };
}

test('3.x: a TLS registry gets a passthrough route to its service, then the trust steps and login lines for the route host', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'regctl-expose-'));
  const { cert, key } = certificate(dir, 'registry', ['docker-registry.default.svc', 'registry.apps.example.com']);
  const { api, run } = await cluster('openshift3', [`--tls-certificate=${cert}`, `--tls-key=${key}`]);
  try {
    const r = await run(['expose', '--hostname=registry.apps.example.com', `--ca=${cert}`]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'route.route.openshift.io/docker-registry created\n');
    const route = api.getObject(...ROUTE) as any;
    // wildcardPolicy is the API server's default, as on a real cluster.
    assert.deepEqual(route.spec, { host: 'registry.apps.example.com', port: { targetPort: '5000-tcp' }, tls: { termination: 'passthrough' }, to: { kind: 'Service', name: 'docker-registry', weight: 100 }, wildcardPolicy: 'None' });
    assert.deepEqual(route.metadata.labels, { 'docker-registry': 'default' });
    assert.ok(r.stderr.includes(`sudo install -D -m 0644 ${cert} /etc/docker/certs.d/registry.apps.example.com/ca.crt`), r.stderr);
    assert.ok(r.stderr.includes(`sudo install -D -m 0644 ${cert} /etc/containers/certs.d/registry.apps.example.com/ca.crt`));
    assert.match(r.stderr, /oc whoami -t \| docker login -u \$\(oc whoami\) --password-stdin registry\.apps\.example\.com/);
    assert.match(r.stderr, /oc whoami -t \| podman login -u \$\(oc whoami\) --password-stdin registry\.apps\.example\.com/);
    // The certificate names the host: no warning.
    assert.doesNotMatch(r.stderr, /does not name/);
    // Running it again finds the route and changes nothing.
    api.clearRequests();
    const again = await run(['expose', '--hostname=registry.apps.example.com']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /route\/docker-registry exists already/);
    assert.equal(again.stdout, 'nothing to change: route/docker-registry exists\n');
    assert.deepEqual(writes(api), []);
  } finally {
    await api.close();
  }
});

test('3.x: a registry certificate that lacks the route host is named in a warning', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'regctl-expose-'));
  const { cert, key } = certificate(dir, 'registry', ['docker-registry.default.svc']);
  const { api, run } = await cluster('openshift3', [`--tls-certificate=${cert}`, `--tls-key=${key}`]);
  try {
    const r = await run(['expose', '--hostname=registry.apps.example.com']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: the certificate in secret registry-certs \(tls\.crt\) does not name registry\.apps\.example\.com: clients connecting by that name will refuse it\. Issue a new one that keeps its names and adds these: regctl secure --renew --hostnames=registry\.apps\.example\.com/);
  } finally {
    await api.close();
  }
});

test('3.x: a registry without TLS is refused (a passthrough route needs TLS at the registry) unless --force', async () => {
  const { api, run } = await cluster('openshift3', []);
  try {
    const r = await run(['expose', '--hostname=registry.apps.example.com']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error: the registry does not serve TLS \(deploymentconfig\.apps\.openshift\.io\/docker-registry has no REGISTRY_HTTP_TLS_CERTIFICATE and probes over HTTP\): a passthrough route hands the TLS connection to the registry itself/);
    assert.match(r.stderr, /hint: secure it first \(regctl secure\), or pass --force/);
    assert.deepEqual(writes(api), []);
    const forced = await run(['expose', '--hostname=registry.apps.example.com', '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stderr, /warning: the registry does not serve TLS .*creating the route anyway \(--force\)/);
    assert.notEqual(api.getObject(...ROUTE), undefined);
  } finally {
    await api.close();
  }
});

test('3.x: -o yaml prints the route as it will be created and creates nothing; --dry-run lists the step', async () => {
  const { api, run } = await cluster('openshift3', []);
  try {
    const r = await run(['expose', '--force', '-o', 'yaml']);
    assert.equal(r.code, 0, r.stderr);
    const list = load(r.stdout) as any;
    assert.equal(list.items.length, 1);
    assert.equal(list.items[0].kind, 'Route');
    assert.equal(list.items[0].spec.tls.termination, 'passthrough');
    assert.equal(list.items[0].spec.host, undefined, 'no --hostname: the router assigns one');
    const d = await run(['expose', '--force', '--hostname=r.example.com', '--dry-run']);
    assert.equal(d.code, 0, d.stderr);
    assert.match(d.stdout, /1\. create route\.route\.openshift\.io\/docker-registry in default: passthrough to service\/docker-registry, host r\.example\.com/);
    assert.deepEqual(writes(api), []);
  } finally {
    await api.close();
  }
});

test('3.x: a route of another shape is not overwritten', async () => {
  const { api, run } = await cluster('openshift3', []);
  try {
    api.putObject({ apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: { name: 'docker-registry', namespace: 'default' }, spec: { host: 'old.example.com', to: { kind: 'Service', name: 'docker-registry' }, tls: { termination: 'edge' } } });
    const r = await run(['expose', '--force']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /route\/docker-registry already exists in default \(host old\.example\.com, termination edge, to docker-registry\)/);
    assert.match(r.stderr, /hint: delete it first \(oc delete route\/docker-registry -n default\)/);
    assert.equal((api.getObject(...ROUTE) as any).spec.host, 'old.example.com');
  } finally {
    await api.close();
  }
});

const MASTER_CONFIG = `admissionConfig:
  pluginConfig: null
apiLevels:
- v1
apiVersion: v1
# registry hostnames (seed 000)
imagePolicyConfig:
  disableScheduledImport: false
  internalRegistryHostname: docker-registry.default.svc:5000  # set by the installer
  maxImagesBulkImportedPerRepository: 5
kind: MasterConfig
kubeletClientInfo:
  ca: ca-bundle.crt
  port: 10250
`;

test('3.x: --internal-hostname / --external-hostname edit imagePolicyConfig in master-config.yaml, keep every other line, back the file up and print the restart', async () => {
  const { api, run, home } = await cluster('openshift3');
  try {
    const dir = mkdtempSync(join(tmpdir(), 'regctl-master-'));
    const path = join(dir, 'master-config.yaml');
    writeFileSync(path, MASTER_CONFIG);
    chmodSync(path, 0o600);
    const dry = await run(['expose', '--internal-hostname=docker-registry.default.svc.cluster.local:5000', '--external-hostname=registry.example.com', `--master-config=${path}`, '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /edit .*master-config\.yaml \(backed up first\): imagePolicyConfig\.internalRegistryHostname: docker-registry\.default\.svc:5000 → docker-registry\.default\.svc\.cluster\.local:5000; imagePolicyConfig\.externalRegistryHostname: \(unset\) → registry\.example\.com/);
    assert.equal(readFileSync(path, 'utf8'), MASTER_CONFIG);

    const r = await run(['expose', '--internal-hostname=docker-registry.default.svc.cluster.local:5000', '--external-hostname=registry.example.com', `--master-config=${path}`]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      readFileSync(path, 'utf8'),
      MASTER_CONFIG.replace('internalRegistryHostname: docker-registry.default.svc:5000  # set by the installer', 'internalRegistryHostname: docker-registry.default.svc.cluster.local:5000  # set by the installer').replace(
        '  maxImagesBulkImportedPerRepository: 5\n',
        '  maxImagesBulkImportedPerRepository: 5\n  externalRegistryHostname: registry.example.com\n',
      ),
    );
    assert.equal(statSync(path).mode & 0o777, 0o600, 'the file keeps its mode');
    const backups = join(home, '.regctl', 'backups');
    const saved = (readdirSync(backups, { recursive: true }) as string[]).filter((f) => f.endsWith('master-config.yaml'));
    assert.equal(saved.length, 1);
    assert.equal(readFileSync(join(backups, saved[0]!), 'utf8'), MASTER_CONFIG);
    assert.match(r.stderr, /systemctl restart origin-master-api origin-master-controllers/);
    assert.match(r.stderr, /systemctl restart atomic-openshift-master/);
    assert.match(r.stderr, /REGISTRY_OPENSHIFT_SERVER_ADDR=docker-registry\.default\.svc\.cluster\.local:5000/);
    // Only the file: no route without --hostname.
    assert.deepEqual(writes(api), []);

    const again = await run(['expose', '--external-hostname=registry.example.com', `--master-config=${path}`]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /already has these registry hostnames/);
    assert.equal(readdirSync(join(home, '.regctl', 'backups')).length, 1, 'no second backup');
  } finally {
    await api.close();
  }
});

test('3.x: a master config that is missing or not YAML is a usage error naming --master-config', async () => {
  const { api, run } = await cluster('openshift3');
  try {
    const missing = await run(['expose', '--external-hostname=registry.example.com', '--master-config=/nonexistent/master-config.yaml']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /error: --master-config: cannot read "\/nonexistent\/master-config\.yaml": no such file/);
    const path = join(mkdtempSync(join(tmpdir(), 'regctl-master-')), 'master-config.yaml');
    writeFileSync(path, 'kind: MasterConfig\nimagePolicyConfig: [unclosed\n');
    const bad = await run(['expose', '--external-hostname=registry.example.com', `--master-config=${path}`]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /error: --master-config: ".*master-config\.yaml": it is not valid YAML/);
  } finally {
    await api.close();
  }
});

test('4.x: --default-route merge-patches the operator Config once', async () => {
  const { api, run } = await cluster('openshift4');
  try {
    const r = await run(['expose', '--default-route']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'config.imageregistry.operator.openshift.io/cluster configured\n');
    const patches = writes(api);
    assert.equal(patches.length, 1);
    assert.equal(patches[0]!.method, 'PATCH');
    assert.equal(patches[0]!.path, '/apis/imageregistry.operator.openshift.io/v1/configs/cluster');
    assert.equal(patches[0]!.contentType, 'application/merge-patch+json');
    assert.deepEqual((patches[0]!.body as any).spec, { defaultRoute: true });
    const config = api.getObject(...REGISTRY_CONFIG) as any;
    assert.equal(config.spec.defaultRoute, true);
    assert.equal(config.spec.managementState, 'Removed', 'the rest of the spec is kept');
    assert.match(r.stderr, /HOST=\$\(oc get route default-route -n openshift-image-registry --template='\{\{ \.spec\.host \}\}'\)/);
    assert.match(r.stderr, /oc whoami -t \| podman login -u \$\(oc whoami\) --password-stdin \$HOST/);
    api.clearRequests();
    const again = await run(['expose', '--default-route']);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(writes(api), []);
  } finally {
    await api.close();
  }
});

test('4.x: --hostname --tls-secret adds one spec.routes[] entry, keeps the others, and never duplicates it', async () => {
  const { api, run } = await cluster('openshift4');
  try {
    const config = api.getObject(...REGISTRY_CONFIG) as any;
    api.putObject({ ...config, spec: { ...config.spec, routes: [{ name: 'internal', hostname: 'registry.internal.example.com' }] } });
    const dir = mkdtempSync(join(tmpdir(), 'regctl-expose-'));
    const { cert, key } = certificate(dir, 'route', ['myregistry.mycorp.organization']);
    api.putObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'public-route-tls', namespace: 'openshift-image-registry' }, type: 'kubernetes.io/tls', data: { 'tls.crt': readFileSync(cert).toString('base64'), 'tls.key': readFileSync(key).toString('base64') } });
    const r = await run(['expose', '--hostname=myregistry.mycorp.organization', '--tls-secret=public-route-tls']);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /does not name/);
    const patch = writes(api).find((q) => q.method === 'PATCH')!;
    assert.equal(patch.contentType, 'application/merge-patch+json');
    const routes = (api.getObject(...REGISTRY_CONFIG) as any).spec.routes;
    assert.deepEqual(routes, [
      { name: 'internal', hostname: 'registry.internal.example.com' },
      { name: 'public-routes', hostname: 'myregistry.mycorp.organization', secretName: 'public-route-tls' },
    ]);
    api.clearRequests();
    const again = await run(['expose', '--hostname=myregistry.mycorp.organization', '--tls-secret=public-route-tls']);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(writes(api), []);
    assert.equal((api.getObject(...REGISTRY_CONFIG) as any).spec.routes.length, 2);
    // The same entry name for another host needs --route-name.
    const clash = await run(['expose', '--hostname=other.mycorp.organization']);
    assert.equal(clash.code, 2);
    assert.match(clash.stderr, /error: --route-name: spec\.routes\[\] already has an entry "public-routes"/);
  } finally {
    await api.close();
  }
});

test('4.x: a route TLS secret whose certificate lacks the host is warned about; a missing secret is refused with the command to make it', async () => {
  const { api, run } = await cluster('openshift4');
  try {
    const missing = await run(['expose', '--hostname=myregistry.mycorp.organization', '--tls-secret=public-route-tls']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /error: secret public-route-tls does not exist in openshift-image-registry/);
    assert.match(missing.stderr, /hint: create it with the route's certificate: oc create secret tls public-route-tls -n openshift-image-registry/);
    const dir = mkdtempSync(join(tmpdir(), 'regctl-expose-'));
    const { cert, key } = certificate(dir, 'route', ['elsewhere.example.com']);
    api.putObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'public-route-tls', namespace: 'openshift-image-registry' }, type: 'kubernetes.io/tls', data: { 'tls.crt': readFileSync(cert).toString('base64'), 'tls.key': readFileSync(key).toString('base64') } });
    const r = await run(['expose', '--hostname=myregistry.mycorp.organization', '--tls-secret=public-route-tls', '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: the certificate in secret public-route-tls \(tls\.crt\) does not name myregistry\.mycorp\.organization/);
  } finally {
    await api.close();
  }
});

test('4.x: --external-hostname is added to image.config.openshift.io/cluster externalRegistryHostnames once; -o yaml prints the patched objects', async () => {
  const { api, run } = await cluster('openshift4');
  try {
    const image = api.getObject(...IMAGE_CONFIG) as any;
    api.putObject({ ...image, spec: { externalRegistryHostnames: ['old.example.com'], allowedRegistriesForImport: [{ domainName: 'quay.io' }] } });
    const y = await run(['expose', '--external-hostname=registry.example.com:443', '--default-route', '-o', 'yaml']);
    assert.equal(y.code, 0, y.stderr);
    const items = (load(y.stdout) as any).items;
    assert.deepEqual(items.map((o: any) => `${o.kind}/${o.metadata.name}`), ['Config/cluster', 'Image/cluster']);
    assert.equal(items[0].spec.defaultRoute, true);
    assert.equal(items[0].spec.managementState, 'Removed');
    assert.equal(items[0].status, undefined);
    assert.deepEqual(items[1].spec.externalRegistryHostnames, ['old.example.com', 'registry.example.com:443']);
    assert.deepEqual(writes(api), []);

    const r = await run(['expose', '--external-hostname=registry.example.com:443']);
    assert.equal(r.code, 0, r.stderr);
    const patch = writes(api).find((q) => q.path === '/apis/config.openshift.io/v1/images/cluster')!;
    assert.equal(patch.contentType, 'application/merge-patch+json');
    const spec = (api.getObject(...IMAGE_CONFIG) as any).spec;
    assert.deepEqual(spec.externalRegistryHostnames, ['old.example.com', 'registry.example.com:443']);
    assert.deepEqual(spec.allowedRegistriesForImport, [{ domainName: 'quay.io' }]);
    api.clearRequests();
    assert.equal((await run(['expose', '--external-hostname=registry.example.com:443'])).code, 0);
    assert.deepEqual(writes(api), []);
    const internal = await run(['expose', '--internal-hostname=x.example.com']);
    assert.equal(internal.code, 2);
    assert.match(internal.stderr, /--internal-hostname: on OpenShift 4 the Image Registry Operator sets the internal registry hostname/);
  } finally {
    await api.close();
  }
});

test('plain Kubernetes has no routes: without --ingress expose says so and names the Ingress way', async () => {
  const { api, run } = await cluster('kubernetes');
  try {
    const r = await run(['expose', '--hostname=registry.example.com']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /plain Kubernetes: it has no routes .* regctl expose --ingress --hostname=HOST \(ingress-nginx, annotation nginx\.ingress\.kubernetes\.io\/ssl-passthrough\)/);
    assert.deepEqual(writes(api), []);
  } finally {
    await api.close();
  }
});

test('Kubernetes --ingress: an ingress-nginx Ingress passing TLS through to the registry service, valid against the Kubernetes schema', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'regctl-expose-'));
  const { cert, key } = certificate(dir, 'registry', ['registry.example.com']);
  const { api, run } = await cluster('kubernetes', [`--tls-certificate=${cert}`, `--tls-key=${key}`]);
  try {
    const y = await run(['expose', '--ingress', '--hostname=registry.example.com', '--ingress-class=nginx', '-o', 'yaml']);
    assert.equal(y.code, 0, y.stderr);
    const rendered = (load(y.stdout) as any).items[0];
    await validateObject(rendered);
    assert.deepEqual(writes(api), []);

    const r = await run(['expose', '--ingress', '--hostname=registry.example.com', '--ingress-class=nginx']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'ingress.networking.k8s.io/docker-registry created\n');
    const ing = api.getObject('networking.k8s.io/v1', 'Ingress', 'docker-registry', 'default') as any;
    assert.equal(ing.metadata.annotations['nginx.ingress.kubernetes.io/ssl-passthrough'], 'true');
    assert.equal(ing.spec.ingressClassName, 'nginx');
    assert.deepEqual(ing.spec.rules, [{ host: 'registry.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'docker-registry', port: { number: 5000 } } } }] } }]);
    assert.match(r.stderr, /--enable-ssl-passthrough/);
    assert.match(r.stderr, /\/etc\/docker\/certs\.d\/registry\.example\.com\/ca\.crt/);
    assert.doesNotMatch(r.stderr, /does not name/);
    api.clearRequests();
    const again = await run(['expose', '--ingress', '--hostname=registry.example.com']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /ingress\/docker-registry exists already for registry\.example\.com/);
    assert.deepEqual(writes(api), []);
  } finally {
    await api.close();
  }
});

test('Kubernetes --ingress refuses a registry without TLS unless --force', async () => {
  const { api, run } = await cluster('kubernetes', []);
  try {
    const r = await run(['expose', '--ingress', '--hostname=registry.example.com']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error: the registry does not serve TLS \(deployment\.apps\/docker-registry has no REGISTRY_HTTP_TLS_CERTIFICATE and probes over HTTP\): a passthrough Ingress hands the TLS connection to the registry itself/);
    assert.deepEqual(writes(api), []);
  } finally {
    await api.close();
  }
});

test('bad hostnames are usage errors naming the flag, before any request', async () => {
  for (const [args, msg] of [
    [['--hostname=Registry_Host'], /--hostname: "Registry_Host" is not a valid route host/],
    [['--external-hostname=bad host:5000'], /--external-hostname: "bad host:5000" is not hostname\[:port\]/],
    [['--internal-hostname=registry:99999'], /--internal-hostname: port 99999 is out of range/],
    [['--tls-secret=x'], /--tls-secret needs --hostname/],
    [['--ingress'], /--ingress needs --hostname/],
  ] as const) {
    const r = await regctl(['expose', ...args]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, msg);
  }
});
