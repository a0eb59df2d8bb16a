// `regctl console` against the in-repo test API server, in-process: the route (with the host the
// router would give it) and the registry-console template's objects wired to both routes; the
// refusals, --cert, --debug, re-runs and renderings. One spawned smoke test (offline -o yaml).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { startApiServer, type TestApiServer } from '../apiserver/index.js';
import { regctl as spawnRegctl } from '../support/run.js';
import { run as regctl } from '../support/world.js';
import { makeCerts, type CertFiles } from '../console/certs.js';

const SUBDOMAIN = 'apps.example.com';
const REGISTRY_HOST = 'docker-registry-default.apps.example.com';
const CONSOLE_HOST = 'registry-console-default.apps.example.com';
const writes = (api: TestApiServer) => api.requests.filter((r) => r.method !== 'GET');
const registryRoute = (host = REGISTRY_HOST) => ({
  apiVersion: 'route.openshift.io/v1',
  kind: 'Route',
  metadata: { name: 'docker-registry', namespace: 'default' },
  spec: { host, to: { kind: 'Service', name: 'docker-registry', weight: 100 }, tls: { termination: 'passthrough' } },
});
const get = (api: TestApiServer, apiVersion: string, kind: string, name: string) => api.getObject(apiVersion, kind, name, 'default') as any;
const dcOf = (api: TestApiServer) => get(api, 'apps.openshift.io/v1', 'DeploymentConfig', 'registry-console');
const envOf = (api: TestApiServer) => Object.fromEntries(dcOf(api).spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));

async function server(opts: { profile?: 'openshift3' | 'openshift4' | 'kubernetes'; objects?: any[]; routeSubdomain?: string } = {}) {
  const api = await startApiServer({ profile: opts.profile ?? 'openshift3', objects: opts.objects ?? [registryRoute()], routeSubdomain: 'routeSubdomain' in opts ? opts.routeSubdomain : SUBDOMAIN });
  const home = mkdtempSync(join(tmpdir(), 'regctl-home-'));
  const run = (args: string[]) => regctl(['--kubeconfig', api.kubeconfigPath, 'console', ...args], { env: { HOME: home, REGCTL_POLL_INTERVAL_MS: '20' }, now: new Date() });
  return { api, run, home };
}

async function withServer(opts: Parameters<typeof server>[0], fn: (s: Awaited<ReturnType<typeof server>>) => Promise<void>) {
  const s = await server(opts);
  try {
    await fn(s);
  } finally {
    await s.api.close();
  }
}

let certs: CertFiles;
before(() => {
  certs = makeCerts(CONSOLE_HOST);
});

test('console creates the passthrough route with the host the router would give it, and wires the template objects to both routes', async () => {
  await withServer({}, async ({ api, run }) => {
    const r = await run([]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      [
        'route.route.openshift.io/registry-console created',
        'deploymentconfig.apps.openshift.io/registry-console created',
        'service/registry-console created',
        'oauthclient.oauth.openshift.io/cockpit-oauth-client created',
        '',
      ].join('\n'),
    );
    // The host is the router's <name>-<namespace>.<subdomain>, the subdomain read off route docker-registry.
    const post = writes(api).find((q) => q.path === '/apis/route.openshift.io/v1/namespaces/default/routes')!;
    assert.equal((post.body as any).spec.host, CONSOLE_HOST);
    assert.equal((post.body as any).spec.tls.termination, 'passthrough');
    assert.equal(get(api, 'route.openshift.io/v1', 'Route', 'registry-console').spec.host, CONSOLE_HOST);

    const env = envOf(api);
    assert.equal(env.REGISTRY_HOST, REGISTRY_HOST);
    assert.equal(env.OPENSHIFT_OAUTH_PROVIDER_URL, api.url, 'the default OAuth provider is the kubeconfig server');
    assert.equal(dcOf(api).spec.template.spec.containers[0].image, 'registry.access.redhat.com/openshift3/registry-console:v3.11');
    const client = api.getObject('oauth.openshift.io/v1', 'OAuthClient', 'cockpit-oauth-client') as any;
    assert.deepEqual(client.redirectURIs, [`https://${CONSOLE_HOST}`]);
    assert.match(client.secret, /^user[a-zA-Z0-9]{64}$/);
    assert.equal(get(api, 'v1', 'Service', 'registry-console').spec.ports[0].port, 9000);
    assert.match(r.stderr, new RegExp(`registry console: https://${CONSOLE_HOST.replace(/\./g, '\\.')}\\n`));
    assert.match(r.stderr, /touch \/etc\/rhsm\/ca\/redhat-uep\.pem/);
  });
});

test('without a docker-registry route it refuses, says to run regctl expose first, and creates nothing', async () => {
  await withServer({ objects: [] }, async ({ api, run }) => {
    const r = await run([]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error: the registry is not exposed: there is no route "docker-registry" in namespace default/);
    assert.match(r.stderr, /hint: run regctl expose first/);
    assert.deepEqual(writes(api), []);
  });
});

test('when route docker-registry has a host of its own, the console host cannot be derived: --hostname is asked for before any write, and then used', async () => {
  await withServer({ objects: [registryRoute('registry.example.com')] }, async ({ api, run }) => {
    const r = await run([]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /error: the host for route "registry-console" is not known: route docker-registry has a host of its own \(registry\.example\.com\)/);
    assert.match(r.stderr, /hint: pass --hostname=registry-console-default\.<the router's subdomain>/);
    assert.deepEqual(writes(api), []);

    const ok = await run(['--hostname=console.example.com']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(get(api, 'route.openshift.io/v1', 'Route', 'registry-console').spec.host, 'console.example.com');
    assert.deepEqual((api.getObject('oauth.openshift.io/v1', 'OAuthClient', 'cockpit-oauth-client') as any).redirectURIs, ['https://console.example.com']);
  });
});

test('--cert: secret console-secret with the file under console.cert, mounted at /etc/cockpit/ws-certs.d', async () => {
  await withServer({}, async ({ api, run }) => {
    const file = certs.combine('console.cert', [certs.serverCrt, certs.caCrt, certs.serverKey]);
    const r = await run([`--cert=${file}`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^route\.route\.openshift\.io\/registry-console created\nsecret\/console-secret created\ndeploymentconfig/);
    const secret = get(api, 'v1', 'Secret', 'console-secret');
    assert.deepEqual(Object.keys(secret.data), ['console.cert']);
    assert.equal(Buffer.from(secret.data['console.cert'], 'base64').toString(), readFileSync(file, 'utf8'));
    const pod = dcOf(api).spec.template.spec;
    assert.deepEqual(pod.volumes, [{ name: 'console-secret', secret: { secretName: 'console-secret', defaultMode: 420 } }], 'defaultMode is the API server\'s default');
    assert.deepEqual(pod.containers[0].volumeMounts, [{ name: 'console-secret', mountPath: '/etc/cockpit/ws-certs.d' }]);
    assert.doesNotMatch(r.stderr, /does not name/);
  });
});

test('a bad --cert file stops the run before any request, exit 2', async () => {
  await withServer({}, async ({ api, run }) => {
    for (const [parts, message] of [
      [[certs.serverKey, certs.serverCrt], /the private key comes before a certificate/],
      [[certs.serverCrt, certs.encryptedKey], /holds an encrypted private key/],
      [[certs.serverCrt, certs.otherKey], /the private key does not belong to the first certificate/],
    ] as const) {
      api.clearRequests();
      const r = await run([`--cert=${certs.combine('bad.cert', [...parts])}`]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.deepEqual(api.requests, []);
    }
  });
});

test('a certificate that does not name the console host is a warning, not a refusal', async () => {
  await withServer({}, async ({ run }) => {
    const r = await run(['--hostname=console.other.example.com', `--cert=${certs.combine('console.cert', [certs.serverCrt, certs.serverKey])}`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: the --cert certificate does not name console\.other\.example\.com/);
  });
});

test('a second run keeps every object, changes nothing, and prints the URL again', async () => {
  await withServer({}, async ({ api, run }) => {
    assert.equal((await run([])).code, 0);
    api.clearRequests();
    const r = await run([]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'registry console: https://registry-console-default.apps.example.com (every object exists: nothing to change)\n');
    assert.deepEqual(writes(api), []);
  });
});

test('--debug on an existing console patches G_MESSAGES_DEBUG into the DC and keeps a backup of it', async () => {
  await withServer({}, async ({ api, run, home }) => {
    assert.equal((await run([])).code, 0);
    const secretBefore = (api.getObject('oauth.openshift.io/v1', 'OAuthClient', 'cockpit-oauth-client') as any).secret;
    api.clearRequests();
    const r = await run(['--debug']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /deploymentconfig\.apps\.openshift\.io\/registry-console configured/);
    assert.deepEqual(writes(api).map((q) => `${q.method} ${q.contentType}`), ['PATCH application/json-patch+json']);
    assert.equal(envOf(api).G_MESSAGES_DEBUG, 'cockpit-ws,cockpit-wrapper');
    assert.equal((api.getObject('oauth.openshift.io/v1', 'OAuthClient', 'cockpit-oauth-client') as any).secret, secretBefore, 'the OAuth client is kept');
    const runs = readdirSync(join(home, '.regctl', 'backups'));
    const files = readdirSync(join(home, '.regctl', 'backups', runs[runs.length - 1]!));
    const backup = load(readFileSync(join(home, '.regctl', 'backups', runs[runs.length - 1]!, files[0]!), 'utf8')) as any;
    assert.equal(backup.kind, 'DeploymentConfig');
    assert.equal(backup.spec.template.spec.containers[0].env.some((e: any) => e.name === 'G_MESSAGES_DEBUG'), false);
    // Once set, a further --debug changes nothing.
    api.clearRequests();
    assert.equal((await run(['--debug'])).code, 0);
    assert.deepEqual(writes(api), []);
  });
});

test('--cert on an existing console creates the secret and patches the volume into the DC', async () => {
  await withServer({}, async ({ api, run }) => {
    assert.equal((await run([])).code, 0);
    api.clearRequests();
    const r = await run([`--cert=${certs.combine('console.cert', [certs.serverCrt, certs.serverKey])}`]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(writes(api).map((q) => `${q.method} ${q.path}`), [
      'POST /api/v1/namespaces/default/secrets',
      'PATCH /apis/apps.openshift.io/v1/namespaces/default/deploymentconfigs/registry-console',
    ]);
    const pod = dcOf(api).spec.template.spec;
    assert.deepEqual(pod.volumes, [{ name: 'console-secret', secret: { secretName: 'console-secret', defaultMode: 420 } }], 'defaultMode is the API server\'s default');
    assert.deepEqual(pod.containers[0].volumeMounts, [{ name: 'console-secret', mountPath: '/etc/cockpit/ws-certs.d' }]);
  });
});

test('an OAuthClient that redirects elsewhere is reported with the command that fixes it', async () => {
  const stale = { apiVersion: 'oauth.openshift.io/v1', kind: 'OAuthClient', metadata: { name: 'cockpit-oauth-client' }, secret: 'userx', redirectURIs: ['https://old.example.com'] };
  await withServer({ objects: [registryRoute(), stale] }, async ({ run }) => {
    const r = await run([]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: oauthclient\/cockpit-oauth-client redirects to \["https:\/\/old\.example\.com"\], not https:\/\/registry-console-default\.apps\.example\.com/);
    assert.match(r.stderr, /oc patch oauthclient cockpit-oauth-client --type=merge -p '\{"redirectURIs":\["https:\/\/registry-console-default\.apps\.example\.com"\]\}'/);
  });
});

test('a failure after the route is created undoes the objects and the route', async () => {
  await withServer({}, async ({ api, run }) => {
    api.inject({ method: 'POST', path: '/apis/oauth.openshift.io/v1/oauthclients', status: 403, reason: 'Forbidden', message: 'oauthclients is forbidden' });
    const r = await run([]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /undone: route\.route\.openshift\.io\/registry-console deleted/);
    assert.equal(get(api, 'route.openshift.io/v1', 'Route', 'registry-console'), undefined);
    assert.equal(dcOf(api), undefined);
    assert.equal(get(api, 'v1', 'Service', 'registry-console'), undefined);
  });
});

test('--dry-run lists the steps and changes nothing', async () => {
  await withServer({}, async ({ api, run }) => {
    const r = await run(['--dry-run', '--debug']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /1\. create route\.route\.openshift\.io\/registry-console in default \(passthrough, host registry-console-default\.apps\.example\.com\)/);
    assert.match(r.stdout, /4\. create oauthclient\.oauth\.openshift\.io\/cockpit-oauth-client/);
    assert.deepEqual(writes(api), []);
  });
});

test('-o yaml against the cluster prints every object the run would create, hosts read from the routes, nothing created', async () => {
  const consoleRoute = { apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: { name: 'registry-console', namespace: 'default' }, spec: { host: 'console.example.com', to: { kind: 'Service', name: 'registry-console' }, tls: { termination: 'passthrough' } } };
  await withServer({ objects: [registryRoute(), consoleRoute] }, async ({ api, run }) => {
    const r = await run(['-o', 'yaml', '--debug']);
    assert.equal(r.code, 0, r.stderr);
    const list = load(r.stdout) as any;
    assert.deepEqual(list.items.map((o: any) => o.kind), ['DeploymentConfig', 'Service', 'OAuthClient'], 'the existing route is kept, not printed');
    const env = Object.fromEntries(list.items[0].spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
    assert.equal(env.REGISTRY_HOST, REGISTRY_HOST);
    assert.equal(env.G_MESSAGES_DEBUG, 'cockpit-ws,cockpit-wrapper');
    assert.deepEqual(list.items[2].redirectURIs, ['https://console.example.com']);
    assert.deepEqual(writes(api), []);
  });
});

test('spawned: -o yaml without a cluster needs both hosts, and then prints the objects offline', async () => {
  const offline = (args: string[]) => spawnRegctl(['console', '-o', 'yaml', ...args], { env: { HOME: mkdtempSync(join(tmpdir(), 'regctl-home-')) } });
  const missing = await offline(['--oauth-provider-url=https://master.example.com:8443', `--registry-host=${REGISTRY_HOST}`]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /error: -o yaml without a cluster needs --registry-host and --console-host/);
  assert.equal(missing.stdout, '');

  const r = await offline(['--oauth-provider-url=https://master.example.com:8443', `--registry-host=${REGISTRY_HOST}`, `--console-host=${CONSOLE_HOST}`, '--template-version=3.9']);
  assert.equal(r.code, 0, r.stderr);
  const list = load(r.stdout) as any;
  assert.deepEqual(list.items.map((o: any) => o.kind), ['Route', 'DeploymentConfig', 'Service', 'ImageStream', 'OAuthClient']);
  assert.equal(list.items[0].spec.host, CONSOLE_HOST);
  assert.deepEqual(list.items[4].redirectURIs, [`https://${CONSOLE_HOST}`]);
  assert.equal(list.items[1].spec.template.spec.containers[0].image, 'registry.access.redhat.com/openshift3/registry-console:v3.9');

  const noOAuth = await offline([`--registry-host=${REGISTRY_HOST}`, `--console-host=${CONSOLE_HOST}`]);
  assert.equal(noOAuth.code, 2);
  assert.match(noOAuth.stderr, /--oauth-provider-url is needed to render without a kubeconfig/);
});

test('OpenShift 4: the registry console is part of the web console, so it says so and creates nothing', async () => {
  await withServer({ profile: 'openshift4', objects: [] }, async ({ api, run }) => {
    const r = await run([]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error: the cluster at .* is OpenShift 4: there is no separate registry console; browsing images and image streams is part of the web console/);
    assert.match(r.stderr, /hint: open the web console \(its URL: oc whoami --show-console\)/);
    assert.deepEqual(writes(api), []);
  });
});

test('Kubernetes: the registry console is not available, it says so', async () => {
  await withServer({ profile: 'kubernetes', objects: [] }, async ({ api, run }) => {
    const r = await run([]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error: the cluster at .* is plain Kubernetes: the registry console needs OpenShift .* and is not available there/);
    assert.deepEqual(writes(api), []);
  });
});

test('something listening on 127.0.0.1:9090 (a local Cockpit) brings the port-conflict warning', async () => {
  // Port 9090 may already be taken on this machine: then that listener is what the warning is about.
  const listener: Server = createServer((s) => s.destroy());
  await new Promise<void>((resolve) => {
    listener.once('error', () => resolve());
    listener.listen(9090, '127.0.0.1', () => resolve());
  });
  try {
    const r = await regctl(['console', '-o', 'yaml', '--oauth-provider-url=https://m.example.com:8443', `--registry-host=${REGISTRY_HOST}`, `--console-host=${CONSOLE_HOST}`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: something is listening on 127\.0\.0\.1:9090: if it is Cockpit, stop it to avoid a port conflict with the registry console/);
    assert.match(r.stderr, /systemctl stop cockpit\.socket/);
  } finally {
    await new Promise<void>((resolve) => (listener.listening ? listener.close(() => resolve()) : resolve()));
  }
});

test('a different --cert on a later run replaces secret console-secret, keeping a backup of the old one', async () => {
  await withServer({}, async ({ api, run, home }) => {
    const first = certs.combine('console.cert', [certs.serverCrt, certs.serverKey]);
    assert.equal((await run([`--cert=${first}`])).code, 0);
    const oldData = get(api, 'v1', 'Secret', 'console-secret').data;
    const second = certs.combine('console.cert', [certs.serverCrt, certs.caCrt, certs.serverKey]);
    api.clearRequests();
    const r = await run([`--cert=${second}`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /secret\/console-secret configured/);
    assert.deepEqual(writes(api).map((q) => q.method), ['PUT'], 'only the secret changes: the DC already mounts it');
    assert.equal(Buffer.from(get(api, 'v1', 'Secret', 'console-secret').data['console.cert'], 'base64').toString(), readFileSync(second, 'utf8'));
    assert.match(r.stderr, /reads the new certificate only when restarted:\n +oc rollout latest dc\/registry-console -n default\n/);
    const runs = readdirSync(join(home, '.regctl', 'backups')).sort();
    const dir = join(home, '.regctl', 'backups', runs[runs.length - 1]!);
    const backup = load(readFileSync(join(dir, readdirSync(dir)[0]!), 'utf8')) as any;
    assert.equal(backup.kind, 'Secret');
    assert.deepEqual(backup.data, oldData);
  });
});

test('--wait returns once the DeploymentConfig has rolled out', async () => {
  await withServer({}, async ({ api, run }) => {
    let finished = false;
    const running = run(['--wait', '--timeout=60']).finally(() => (finished = true));
    // Play the deployer: once the DC exists, report its pods available.
    while (!dcOf(api) && !finished) await new Promise((r) => setTimeout(r, 20));
    const dc = dcOf(api);
    if (!dc) assert.fail(`regctl ended before creating the DC: ${(await running).stderr}`);
    api.putObject({ ...dc, status: { latestVersion: 1, observedGeneration: dc.metadata.generation, replicas: 1, updatedReplicas: 1, availableReplicas: 1, unavailableReplicas: 0 } });
    const r = await running;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /deploymentconfig "registry-console" rolled out: 1 of 1 pods available/);
    assert.match(r.stderr, /registry console: https:\/\//);
  });
});

test('--wait names the stuck pod when the console image cannot be pulled', async () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'registry-console-1-abcde', namespace: 'default', labels: { name: 'registry-console' } },
    spec: { containers: [{ name: 'registry-console', image: 'cockpit/kubernetes:latest' }] },
    status: { phase: 'Pending', containerStatuses: [{ name: 'registry-console', ready: false, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "cockpit/kubernetes:latest"' } } }] },
  };
  await withServer({ objects: [registryRoute(), pod] }, async ({ run }) => {
    const r = await run(['--wait', '--timeout=1', '--image=cockpit/kubernetes:latest']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /did not roll out within 1s .*pod registry-console-1-abcde: ImagePullBackOff: Back-off pulling image "cockpit\/kubernetes:latest"/);
  });
});

test('--registry-host and --console-host are for rendering: applying with them is refused before any request', async () => {
  await withServer({}, async ({ api, run }) => {
    const r = await run([`--console-host=${CONSOLE_HOST}`]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /error: --console-host is for rendering \(-o yaml\|json\); applied, the route gets --hostname or the host the router would give it/);
    assert.deepEqual(api.requests, []);
  });
});

test('--template-version=3.9 follows that release: the ImageStream is created too, the image tagged v3.9', async () => {
  await withServer({}, async ({ api, run }) => {
    const r = await run(['--template-version=3.9']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /imagestream\.image\.openshift\.io\/registry-console created/);
    const is = get(api, 'image.openshift.io/v1', 'ImageStream', 'registry-console');
    assert.deepEqual(is.spec.tags.map((t: any) => [t.name, t.from.name]), [['v3.9', 'registry.access.redhat.com/openshift3/registry-console:v3.9']]);
    assert.equal(dcOf(api).spec.template.spec.nodeSelector, undefined, '3.9 origin does not pin the console to masters');
  });
});

test('--dry-run=server sends the route and every object with dryRun=All, stores none, and names the URL the console would have', async () => {
  await withServer({}, async ({ api, run }) => {
    const r = await run(['--dry-run=server']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(writes(api).length, 4);
    assert.ok(writes(api).every((q) => q.query.dryRun === 'All'));
    assert.equal(get(api, 'route.openshift.io/v1', 'Route', 'registry-console'), undefined);
    assert.equal(dcOf(api), undefined);
    assert.match(r.stdout, /^route\.route\.openshift\.io\/registry-console created \(server dry run\)\n/);
  });
});
