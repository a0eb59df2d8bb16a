// The registry console's objects as openshift-ansible's registry-console template makes them
// (shared/REFERENCE.md §1.3), release by release, and the flags that shape them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  consoleObjects,
  consoleRoute,
  defaultConsoleImage,
  hasImageStream,
  imageTag,
  oauthClientSecret,
  runsOnMasters,
  type ConsoleOptions,
} from '../../src/templates/console.js';
import { parseOAuthURL, parseTemplateVersion, releaseMinorOf, toOptions } from '../../src/commands/console/options.js';
import { deploymentConfigPatch, planConsoleObjects } from '../../src/commands/console/plan.js';
import { UsageError } from '../../src/errors.js';
import type { KubeObject } from '../../src/plan/types.js';
import { validateObject } from '../support/schema.js';

const BASE: ConsoleOptions = {
  namespace: 'default',
  release: { minor: 11, enterprise: false },
  image: defaultConsoleImage({ minor: 11, enterprise: false }),
  oauthProviderURL: 'https://master.example.com:8443',
  registryHost: 'docker-registry-default.apps.example.com',
  consoleHost: 'registry-console-default.apps.example.com',
  oauthSecret: 'user' + 'a'.repeat(64),
  debug: false,
};

const render = (o: Partial<ConsoleOptions> = {}) => consoleObjects({ ...BASE, ...o });
const byKind = (objs: KubeObject[], kind: string) => objs.find((x) => x.kind === kind) as any;
const container = (objs: KubeObject[]) => byKind(objs, 'DeploymentConfig').spec.template.spec.containers[0];

test('3.11 (the offline default): DeploymentConfig, Service and OAuthClient, no ImageStream, in template order', async () => {
  const objs = render();
  assert.deepEqual(objs.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.name}`), [
    'apps.openshift.io/v1 DeploymentConfig registry-console',
    'v1 Service registry-console',
    'oauth.openshift.io/v1 OAuthClient cockpit-oauth-client',
  ]);
  await validateObject(byKind(objs, 'DeploymentConfig'));
  await validateObject(byKind(objs, 'Service'));
});

test('the default image is the Red Hat registry-console image tagged v3.X (cockpit/kubernetes is gone from Docker Hub)', () => {
  assert.equal(container(render()).image, 'registry.access.redhat.com/openshift3/registry-console:v3.11');
  assert.equal(defaultConsoleImage({ minor: 9, enterprise: false }), 'registry.access.redhat.com/openshift3/registry-console:v3.9');
  assert.equal(defaultConsoleImage({ minor: 5, enterprise: true }), 'registry.access.redhat.com/openshift3/registry-console:3.5');
  // Enterprise follows the cluster's full version, as openshift_image_tag does.
  assert.equal(defaultConsoleImage({ minor: 11, enterprise: true }, 'v3.11.157'), 'registry.access.redhat.com/openshift3/registry-console:v3.11.157');
  assert.equal(defaultConsoleImage({ minor: 11, enterprise: false }, 'v3.11.157'), 'registry.access.redhat.com/openshift3/registry-console:v3.11');
});

test('the container: one port 9090/TCP, the template env in its order, /ping probes', () => {
  const c = container(render());
  assert.equal(c.name, 'registry-console');
  assert.deepEqual(c.ports, [{ containerPort: 9090, protocol: 'TCP' }]);
  assert.deepEqual(c.env, [
    { name: 'OPENSHIFT_OAUTH_PROVIDER_URL', value: 'https://master.example.com:8443' },
    { name: 'OPENSHIFT_OAUTH_CLIENT_ID', value: 'cockpit-oauth-client' },
    { name: 'KUBERNETES_INSECURE', value: 'false' },
    { name: 'COCKPIT_KUBE_INSECURE', value: 'false' },
    { name: 'REGISTRY_ONLY', value: 'true' },
    { name: 'REGISTRY_HOST', value: 'docker-registry-default.apps.example.com' },
  ]);
  const httpGet = { path: '/ping', port: 9090, scheme: 'HTTP' };
  assert.deepEqual(c.livenessProbe, { httpGet, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 5, successThreshold: 1, failureThreshold: 3 });
  assert.deepEqual(c.readinessProbe, { httpGet, periodSeconds: 10, timeoutSeconds: 5, successThreshold: 1, failureThreshold: 3 });
  assert.equal(c.volumeMounts, undefined);
});

test('the DeploymentConfig: one replica, ConfigChange trigger, selector name=registry-console, pods on masters', () => {
  const dc = byKind(render(), 'DeploymentConfig');
  assert.equal(dc.spec.replicas, 1);
  assert.deepEqual(dc.spec.triggers, [{ type: 'ConfigChange' }]);
  assert.deepEqual(dc.spec.selector, { name: 'registry-console' });
  assert.deepEqual(dc.spec.template.spec.nodeSelector, { 'node-role.kubernetes.io/master': 'true' });
});

test('the Service listens on 9000 and forwards to the container port 9090', () => {
  const svc = byKind(render(), 'Service');
  assert.deepEqual(svc.spec, { type: 'ClusterIP', ports: [{ name: 'registry-console', protocol: 'TCP', port: 9000, targetPort: 9090 }], selector: { name: 'registry-console' } });
});

test('every object carries the template label createdBy=registry-console-template, and so do the DC pods (not its selector)', () => {
  const objs = render({ release: { minor: 9, enterprise: false }, cert: { fileName: 'console.cert', content: 'x' } });
  for (const o of objs.filter((x) => x.kind !== 'Secret')) assert.equal(o.metadata.labels?.createdBy, 'registry-console-template', o.kind);
  const dc = byKind(objs, 'DeploymentConfig');
  assert.deepEqual(dc.metadata.labels, { name: 'registry-console', createdBy: 'registry-console-template' });
  assert.deepEqual(dc.spec.template.metadata.labels, { name: 'registry-console', createdBy: 'registry-console-template' });
  assert.deepEqual(byKind(objs, 'Service').metadata.labels, { name: 'registry-console', createdBy: 'registry-console-template' });
});

test('the OAuthClient: redirect URI exactly https://<console route host>, the generated secret, challenges off at the top level', () => {
  const client = byKind(render(), 'OAuthClient');
  assert.deepEqual(client.redirectURIs, ['https://registry-console-default.apps.example.com']);
  assert.equal(client.secret, BASE.oauthSecret);
  assert.equal(client.respondWithChallenges, false);
  assert.equal(client.metadata.respondWithChallenges, undefined);
  assert.equal(client.metadata.namespace, undefined, 'OAuthClients are cluster-scoped');
});

test('the OAuth client secret is "user" + 64 alphanumerics, drawn without bias from the random bytes', () => {
  const s = oauthClientSecret((n) => Uint8Array.from({ length: n }, (_, i) => i * 7));
  assert.match(s, /^user[a-zA-Z0-9]{64}$/);
  // Bytes 248..255 would favour A..H; they are skipped.
  const skipped = oauthClientSecret((n) => Uint8Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 250 : 0)));
  assert.equal(skipped, 'user' + 'A'.repeat(64));
  assert.notEqual(oauthClientSecret(() => crypto.getRandomValues(new Uint8Array(96))), oauthClientSecret(() => crypto.getRandomValues(new Uint8Array(96))));
});

test('ImageStream and master nodeSelector follow each release file (REFERENCE §1.3)', () => {
  const table: [number, boolean, boolean, boolean][] = [
    // minor, enterprise, ImageStream, nodeSelector
    [5, false, true, false],
    [5, true, true, false],
    [6, false, false, true],
    [6, true, true, false],
    [8, true, true, false],
    [9, false, true, false],
    [9, true, false, true],
    [10, false, false, true],
    [11, true, false, true],
  ];
  for (const [minor, enterprise, is, masters] of table) {
    const r = { minor, enterprise };
    assert.equal(hasImageStream(r), is, `ImageStream in 3.${minor} ${enterprise ? 'enterprise' : 'origin'}`);
    assert.equal(runsOnMasters(r), masters, `nodeSelector in 3.${minor} ${enterprise ? 'enterprise' : 'origin'}`);
    const objs = render({ release: r });
    assert.equal(objs.some((o) => o.kind === 'ImageStream'), is);
    assert.equal(byKind(objs, 'DeploymentConfig').spec.template.spec.nodeSelector !== undefined, masters);
  }
});

test('the ImageStream (3.9 origin) tags the console image under its version', () => {
  const image = 'registry.access.redhat.com/openshift3/registry-console:v3.9';
  const is = byKind(render({ release: { minor: 9, enterprise: false }, image }), 'ImageStream');
  assert.deepEqual(is.metadata.annotations, { description: 'Atomic Registry console' });
  assert.deepEqual(is.spec.tags, [{ annotations: null, from: { kind: 'DockerImage', name: image }, name: 'v3.9' }]);
  assert.equal(imageTag('registry.example.com:5000/cockpit/kubernetes'), 'latest');
});

test('--cert: secret console-secret holds the file under its .cert name, mounted at /etc/cockpit/ws-certs.d, created before the DC', async () => {
  const objs = render({ cert: { fileName: 'console.cert', content: 'PEM DATA\n' } });
  assert.deepEqual(objs.map((o) => o.kind), ['Secret', 'DeploymentConfig', 'Service', 'OAuthClient']);
  const secret = byKind(objs, 'Secret');
  assert.equal(secret.metadata.name, 'console-secret');
  assert.deepEqual(secret.data, { 'console.cert': Buffer.from('PEM DATA\n').toString('base64') });
  await validateObject(secret);
  const pod = byKind(objs, 'DeploymentConfig').spec.template.spec;
  assert.deepEqual(pod.volumes, [{ name: 'console-secret', secret: { secretName: 'console-secret' } }]);
  assert.deepEqual(pod.containers[0].volumeMounts, [{ name: 'console-secret', mountPath: '/etc/cockpit/ws-certs.d' }]);
  await validateObject(byKind(objs, 'DeploymentConfig'));
});

test('--debug appends G_MESSAGES_DEBUG=cockpit-ws,cockpit-wrapper after the template env', () => {
  const env = container(render({ debug: true })).env;
  assert.equal(env.length, 7);
  assert.deepEqual(env[6], { name: 'G_MESSAGES_DEBUG', value: 'cockpit-ws,cockpit-wrapper' });
});

test('the route is passthrough to service port registry-console, with a host only when asked', () => {
  const r = consoleRoute({ namespace: 'default' }) as any;
  assert.equal(r.spec.host, undefined);
  assert.deepEqual(r.spec.tls, { termination: 'passthrough' });
  assert.deepEqual(r.spec.port, { targetPort: 'registry-console' });
  assert.deepEqual(r.spec.to, { kind: 'Service', name: 'registry-console', weight: 100 });
  assert.equal((consoleRoute({ namespace: 'default', hostname: 'console.example.com' }) as any).spec.host, 'console.example.com');
});

test('template versions: 3.3 to 3.11 and origin 1.3 to 1.5; the cluster version picks one', () => {
  assert.equal(parseTemplateVersion('--template-version', '3.9'), 9);
  assert.equal(parseTemplateVersion('--template-version', 'v3.11'), 11);
  assert.equal(parseTemplateVersion('--template-version', '1.5'), 5);
  assert.throws(() => parseTemplateVersion('--template-version', '4.2'), (e: unknown) => e instanceof UsageError && /--template-version: "4\.2" is not a release with a registry-console template/.test(e.message));
  assert.throws(() => parseTemplateVersion('--template-version', '3.2'), UsageError);
  assert.equal(releaseMinorOf('v3.11.0+0cbc58b'), 11);
  assert.equal(releaseMinorOf('v1.5.1'), 5);
  assert.equal(releaseMinorOf(undefined), undefined);
});

test('flags are checked before anything runs: https OAuth URL, host names, image', () => {
  const flags = { timeout: '300' };
  assert.equal(parseOAuthURL('--oauth-provider-url', 'https://master.example.com:8443/'), 'https://master.example.com:8443');
  assert.throws(() => toOptions({ ...flags, oauthProviderUrl: 'http://master:8443' }), /--oauth-provider-url: "http:\/\/master:8443" must be an https URL/);
  assert.throws(() => toOptions({ ...flags, oauthProviderUrl: 'master:8443' }), /--oauth-provider-url/);
  assert.throws(() => toOptions({ ...flags, hostname: 'bad_host' }), /--hostname: "bad_host" is not a valid host name/);
  assert.throws(() => toOptions({ ...flags, registryHost: '*.apps.example.com' }), /--registry-host/);
  assert.throws(() => toOptions({ ...flags, image: 'bad image' }), /--image: "bad image" is not a valid image reference/);
});

test('re-run plan: existing objects are kept; --cert and --debug become a JSON patch of the live DC', () => {
  const desired = render({ debug: true, cert: { fileName: 'console.cert', content: 'new' } });
  const liveDc = structuredClone(byKind(render(), 'DeploymentConfig'));
  const live = new Map<string, any>([
    ['DeploymentConfig', liveDc],
    ['Service', byKind(render(), 'Service')],
    ['OAuthClient', byKind(render(), 'OAuthClient')],
    ['Secret', undefined],
  ]);
  const { steps, kept } = planConsoleObjects(desired, live, { cert: true, debug: true });
  assert.deepEqual(steps.map((s) => `${s.kind} ${s.kind === 'patch' ? s.live.kind : (s as any).object.kind}`), ['create Secret', 'patch DeploymentConfig']);
  assert.deepEqual(kept.map((k) => k.kind), ['Service', 'OAuthClient']);
  const patch = (steps[1] as any).patch;
  // What -o prints for the DeploymentConfig: the patch applied.
  const after = (steps[1] as any).after;
  assert.deepEqual(after.spec.template.spec.volumes, [{ name: 'console-secret', secret: { secretName: 'console-secret' } }]);
  assert.ok(after.spec.template.spec.containers[0].env.some((e: any) => e.name === 'G_MESSAGES_DEBUG'));
  assert.deepEqual(patch, [
    { op: 'add', path: '/spec/template/spec/volumes', value: [{ name: 'console-secret', secret: { secretName: 'console-secret' } }] },
    { op: 'test', path: '/spec/template/spec/containers/0/name', value: 'registry-console' },
    { op: 'add', path: '/spec/template/spec/containers/0/volumeMounts', value: [{ name: 'console-secret', mountPath: '/etc/cockpit/ws-certs.d' }] },
    { op: 'add', path: '/spec/template/spec/containers/0/env/-', value: { name: 'G_MESSAGES_DEBUG', value: 'cockpit-ws,cockpit-wrapper' } },
  ]);
  // Once there, nothing more to do.
  const done = byKind(desired, 'DeploymentConfig');
  assert.deepEqual(deploymentConfigPatch(done, { cert: true, debug: true }), []);
});
