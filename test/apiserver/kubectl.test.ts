// Fidelity checked by a real client: kubectl (Debian package kubernetes-client) cannot tell the
// test API server from a real one for the calls regctl makes, and prints the same errors.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { dump } from 'js-yaml';
import { startApiServer, type TestApiServer } from './index.js';

const KUBECTL = ['/usr/bin/kubectl', ...(process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'kubectl'))].find((p) => existsSync(p));
const skip = KUBECTL ? false : 'kubectl not found: install the Debian package kubernetes-client to run these tests';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

type Manifest = Record<string, any>;

let api: TestApiServer;
let work: string;
let files = 0;

function kubectl(args: string[], kubeconfig = api.kubeconfigPath): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      KUBECTL!,
      ['--kubeconfig', kubeconfig, '--cache-dir', join(work, 'cache'), ...args],
      { env: { PATH: process.env.PATH, HOME: work }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

function file(obj: Manifest): string {
  const path = join(work, `manifest-${++files}.yaml`);
  writeFileSync(path, dump(obj));
  return path;
}

async function getJson(...args: string[]): Promise<Manifest> {
  const r = await kubectl(['get', ...args, '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Manifest;
}

function ok(r: Result, stdout: string): void {
  assert.equal(r.stderr, '');
  assert.equal(r.code, 0);
  assert.equal(r.stdout.trim(), stdout);
}

interface Kind {
  /** What kubectl calls it on the command line and in messages (`service`, `deploymentconfig.apps.openshift.io`). */
  type: string;
  /** The resource as Status messages name it (`services`, `deploymentconfigs.apps.openshift.io`). */
  resource: string;
  namespaced: boolean;
  custom?: boolean;
  manifest(name: string): Manifest;
  /** A merge patch and how to see it took. */
  merge: { patch: unknown; check(o: Manifest): unknown; want: unknown };
  /** A strategic merge patch (refused on custom resources) and what it yields. */
  strategic: { patch: unknown; check(o: Manifest): unknown; want: unknown };
}

const podTemplate = (app: string) => ({
  metadata: { labels: { app } },
  spec: { containers: [{ name: 'registry', image: 'registry:2', env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 5000 }] }] },
});
const containerEnv = (o: Manifest) => o.spec.template.spec.containers[0].env;
const envPatch = { spec: { template: { spec: { containers: [{ name: 'registry', env: [{ name: 'B', value: '2' }] }] } } } };
const labelPatch = { metadata: { labels: { patched: 'merge' } } };
const labelOf = (o: Manifest) => o.metadata.labels?.patched;

const KINDS: Kind[] = [
  {
    type: 'service', resource: 'services', namespaced: true,
    manifest: (name) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ name: '5000-tcp', port: 5000 }] } }),
    merge: { patch: labelPatch, check: labelOf, want: 'merge' },
    strategic: { patch: { spec: { ports: [{ port: 5001, name: 'extra' }] } }, check: (o) => o.spec.ports.map((p: { port: number }) => p.port), want: [5000, 5001] },
  },
  {
    type: 'serviceaccount', resource: 'serviceaccounts', namespaced: true,
    manifest: (name) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name }, secrets: [{ name: 'a' }] }),
    merge: { patch: labelPatch, check: labelOf, want: 'merge' },
    // OpenShift's controller has added the account's pull secret; strategic merge keeps it.
    strategic: { patch: { secrets: [{ name: 'b' }] }, check: (o) => o.secrets.map((s: { name: string }) => s.name.replace(/-dockercfg-\w{5}$/, '-dockercfg-*')), want: ['a', 'test-serviceaccount-dockercfg-*', 'b'] },
  },
  {
    type: 'secret', resource: 'secrets', namespaced: true,
    manifest: (name) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name }, type: 'Opaque', data: { a: Buffer.from('1').toString('base64') } }),
    merge: { patch: { stringData: { b: '2' } }, check: (o) => Object.keys(o.data).sort(), want: ['a', 'b'] },
    strategic: { patch: { data: { c: Buffer.from('3').toString('base64') } }, check: (o) => Object.keys(o.data).sort(), want: ['a', 'b', 'c'] },
  },
  {
    type: 'configmap', resource: 'configmaps', namespaced: true,
    manifest: (name) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' } }),
    merge: { patch: { data: { a: null, b: '2' } }, check: (o) => o.data, want: { b: '2' } },
    strategic: { patch: { data: { c: '3' } }, check: (o) => o.data, want: { b: '2', c: '3' } },
  },
  {
    type: 'deploymentconfig.apps.openshift.io', resource: 'deploymentconfigs.apps.openshift.io', namespaced: true,
    manifest: (name) => ({ apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig', metadata: { name }, spec: { replicas: 1, selector: { app: name }, template: podTemplate(name) } }),
    merge: { patch: { spec: { replicas: 2 } }, check: (o) => o.spec.replicas, want: 2 },
    strategic: { patch: envPatch, check: containerEnv, want: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] },
  },
  {
    type: 'deployment.apps', resource: 'deployments.apps', namespaced: true,
    manifest: (name) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: podTemplate(name) } }),
    merge: { patch: { spec: { replicas: 2 } }, check: (o) => o.spec.replicas, want: 2 },
    strategic: { patch: envPatch, check: containerEnv, want: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] },
  },
  {
    type: 'clusterrolebinding.rbac.authorization.k8s.io', resource: 'clusterrolebindings.rbac.authorization.k8s.io', namespaced: false,
    manifest: (name) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:registry' },
      subjects: [{ kind: 'ServiceAccount', name: 'registry', namespace: 'default' }],
    }),
    merge: { patch: labelPatch, check: labelOf, want: 'merge' },
    strategic: { patch: { metadata: { annotations: { by: 'strategic' } } }, check: (o) => o.metadata.annotations.by, want: 'strategic' },
  },
  {
    type: 'route.route.openshift.io', resource: 'routes.route.openshift.io', namespaced: true,
    manifest: (name) => ({ apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: { name }, spec: { to: { kind: 'Service', name }, tls: { termination: 'passthrough' } } }),
    merge: { patch: { spec: { host: 'registry.example.com' } }, check: (o) => o.spec.host, want: 'registry.example.com' },
    strategic: { patch: { spec: { tls: { insecureEdgeTerminationPolicy: 'Redirect' } } }, check: (o) => o.spec.tls, want: { termination: 'passthrough', insecureEdgeTerminationPolicy: 'Redirect' } },
  },
  {
    type: 'image.config.openshift.io', resource: 'images.config.openshift.io', namespaced: false, custom: true,
    manifest: (name) => ({ apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name }, spec: { registrySources: { insecureRegistries: ['a.example.com:5000'] } } }),
    merge: { patch: { spec: { registrySources: { blockedRegistries: ['b.example.com'] } } }, check: (o) => o.spec.registrySources.blockedRegistries, want: ['b.example.com'] },
    strategic: { patch: { spec: {} }, check: () => undefined, want: undefined },
  },
  {
    type: 'imagedigestmirrorset.config.openshift.io', resource: 'imagedigestmirrorsets.config.openshift.io', namespaced: false, custom: true,
    manifest: (name) => ({ apiVersion: 'config.openshift.io/v1', kind: 'ImageDigestMirrorSet', metadata: { name }, spec: { imageDigestMirrors: [{ source: 'quay.io/ocp', mirrors: ['mirror.example.com/ocp'] }] } }),
    merge: { patch: { spec: { imageDigestMirrors: [{ source: 'quay.io/ocp', mirrors: ['m2.example.com/ocp'], mirrorSourcePolicy: 'NeverContactSource' }] } }, check: (o) => o.spec.imageDigestMirrors, want: [{ source: 'quay.io/ocp', mirrors: ['m2.example.com/ocp'], mirrorSourcePolicy: 'NeverContactSource' }] },
    strategic: { patch: { spec: {} }, check: () => undefined, want: undefined },
  },
  {
    type: 'imagetagmirrorset.config.openshift.io', resource: 'imagetagmirrorsets.config.openshift.io', namespaced: false, custom: true,
    manifest: (name) => ({ apiVersion: 'config.openshift.io/v1', kind: 'ImageTagMirrorSet', metadata: { name }, spec: { imageTagMirrors: [{ source: 'quay.io/ocp', mirrors: ['mirror.example.com/ocp'] }] } }),
    merge: { patch: { spec: { imageTagMirrors: [{ source: 'quay.io/ocp', mirrors: ['m2.example.com/ocp'] }] } }, check: (o) => o.spec.imageTagMirrors, want: [{ source: 'quay.io/ocp', mirrors: ['m2.example.com/ocp'] }] },
    strategic: { patch: { spec: {} }, check: () => undefined, want: undefined },
  },
  {
    type: 'config.imageregistry.operator.openshift.io', resource: 'configs.imageregistry.operator.openshift.io', namespaced: false, custom: true,
    manifest: (name) => ({ apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name }, spec: { managementState: 'Managed', replicas: 1, storage: { emptyDir: {} } } }),
    merge: { patch: { spec: { replicas: 2 } }, check: (o) => o.spec.replicas, want: 2 },
    strategic: { patch: { spec: {} }, check: () => undefined, want: undefined },
  },
];

describe('kubectl against the test API server', { skip, concurrency: 4 }, () => {
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'kubectl-test-'));
    api = await startApiServer({ profile: 'openshift4' });
  });
  after(async () => {
    await api?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  for (const k of KINDS) {
    const name = `test-${k.type.split('.')[0]}`;
    const ref = `${k.type}/${name}`;
    const named = `${k.type} "${name}"`;

    test(`kubectl create -f, get, get -o json list, replace -f, patch (merge, strategic, json) and delete a ${k.type}`, async () => {
      const manifest = k.manifest(name);
      const path = file(manifest);
      ok(await kubectl(['create', '-f', path]), `${ref} created`);

      const live = await getJson(k.type, name);
      assert.equal(live.kind, manifest.kind);
      assert.equal(live.metadata.name, name);
      assert.match(live.metadata.resourceVersion, /^\d+$/);
      const list = await getJson(k.type);
      assert.ok(list.items.some((i: Manifest) => i.metadata.name === name), 'the list holds the new object');

      const again = await kubectl(['create', '-f', path]);
      assert.equal(again.code, 1);
      assert.equal(again.stderr.trim(), `Error from server (AlreadyExists): error when creating "${path}": ${k.resource} "${name}" already exists`);

      const replaced = { ...live, metadata: { ...live.metadata, annotations: { replaced: 'yes' } } };
      ok(await kubectl(['replace', '-f', file(replaced)]), `${ref} replaced`);
      const stalePath = file({ ...live, metadata: { ...live.metadata, annotations: { stale: 'yes' } } });
      const stale = await kubectl(['replace', '-f', stalePath]);
      assert.equal(stale.code, 1);
      assert.equal(
        stale.stderr.trim(),
        `Error from server (Conflict): error when replacing "${stalePath}": Operation cannot be fulfilled on ${k.resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      );

      ok(await kubectl(['patch', k.type, name, '--type', 'merge', '-p', JSON.stringify(k.merge.patch)]), `${ref} patched`);
      assert.deepEqual(k.merge.check(await getJson(k.type, name)), k.merge.want);

      const strategic = await kubectl(['patch', k.type, name, '--type', 'strategic', '-p', JSON.stringify(k.strategic.patch)]);
      if (k.custom) {
        assert.equal(strategic.code, 1);
        assert.match(strategic.stderr, /application\/strategic-merge-patch\+json is not supported by .*the body of the request was in an unknown format - accepted media types include: application\/json-patch\+json, application\/merge-patch\+json, application\/apply-patch\+yaml/);
      } else {
        ok(strategic, `${ref} patched`);
        assert.deepEqual(k.strategic.check(await getJson(k.type, name)), k.strategic.want);
      }

      const jsonPatch = [{ op: 'add', path: '/metadata/annotations/json', value: 'patched' }];
      ok(await kubectl(['patch', k.type, name, '--type', 'json', '-p', JSON.stringify(jsonPatch)]), `${ref} patched`);
      assert.equal((await getJson(k.type, name)).metadata.annotations.json, 'patched');
      const failedTest = await kubectl(['patch', k.type, name, '--type', 'json', '-p', JSON.stringify([{ op: 'test', path: '/metadata/annotations/json', value: 'other' }])]);
      assert.equal(failedTest.code, 1);
      assert.match(failedTest.stderr, /testing value \/metadata\/annotations\/json failed/);

      ok(await kubectl(['delete', k.type, name]), `${named} deleted`);
      const gone = await kubectl(['get', k.type, name]);
      assert.equal(gone.code, 1);
      assert.equal(gone.stderr.trim(), `Error from server (NotFound): ${k.resource} "${name}" not found`);
    });
  }

  test('kubectl patches the seeded registry operator config with merge and json patches', async () => {
    ok(await kubectl(['patch', 'configs.imageregistry.operator.openshift.io', 'cluster', '--type', 'merge', '-p', '{"spec":{"managementState":"Managed"}}']), 'config.imageregistry.operator.openshift.io/cluster patched');
    ok(await kubectl(['patch', 'configs.imageregistry.operator.openshift.io', 'cluster', '--type', 'json', '-p', '[{"op":"replace","path":"/spec/replicas","value":2}]']), 'config.imageregistry.operator.openshift.io/cluster patched');
    const cfg = await getJson('configs.imageregistry.operator.openshift.io', 'cluster');
    assert.equal(cfg.spec.managementState, 'Managed');
    assert.equal(cfg.spec.replicas, 2);
    const image = await getJson('images.config.openshift.io', 'cluster');
    assert.equal(image.status.internalRegistryHostname, 'image-registry.openshift-image-registry.svc:5000');
  });

  test('kubectl reads the ClusterVersion, and finds the mirror sets by their short names', async () => {
    const cv = await getJson('clusterversion', 'version');
    assert.equal(cv.status.desired.version, '4.18.5');
    assert.equal(cv.status.history[0].version, '4.18.5');
    const idms = await kubectl(['get', 'idms']);
    assert.equal(idms.code, 0, idms.stderr);
    assert.match(idms.stderr, /^No resources found/);
  });

  test('a 4.12 server reports 4.12 and serves no ImageDigestMirrorSet (discovery says so)', async () => {
    const old = await startApiServer({ profile: 'openshift4', openshiftVersion: '4.12.30' });
    try {
      const cv = await kubectl(['get', 'clusterversion', 'version', '-o', 'jsonpath={.status.desired.version}'], old.kubeconfigPath);
      assert.equal(cv.stdout, '4.12.30');
      const idms = await kubectl(['get', 'imagedigestmirrorsets'], old.kubeconfigPath);
      assert.equal(idms.code, 1);
      assert.match(idms.stderr, /the server doesn't have a resource type "imagedigestmirrorsets"/);
      const icsp = await kubectl(['get', 'imagecontentsourcepolicies'], old.kubeconfigPath);
      assert.equal(icsp.code, 0, icsp.stderr);
      assert.match(icsp.stderr, /^No resources found/);
    } finally {
      await old.close();
    }
  });

  test('kubectl prints NotFound for a missing service', async () => {
    const r = await kubectl(['get', 'services', 'nope']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), 'Error from server (NotFound): services "nope" not found');
  });

  test('kubectl prints the Invalid message for a cluster IP already allocated', async () => {
    const taken = (await getJson('service', 'kubernetes')).spec.clusterIP;
    const r = await kubectl(['create', '-f', file({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'clash' }, spec: { clusterIP: taken, ports: [{ port: 80 }] } })]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), `The Service "clash" is invalid: spec.clusterIP: Invalid value: "${taken}": provided IP is already allocated`);
  });

  test('kubectl prints the immutable-field message when a replace changes the cluster IP', async () => {
    ok(await kubectl(['create', '-f', file({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'fixed' }, spec: { ports: [{ port: 80 }] } })]), 'service/fixed created');
    const live = await getJson('service', 'fixed');
    live.spec.clusterIP = '172.30.250.250';
    live.spec.clusterIPs = ['172.30.250.250'];
    const r = await kubectl(['replace', '-f', file(live)]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), 'The Service "fixed" is invalid: spec.clusterIP: Invalid value: "172.30.250.250": field is immutable');
  });

  test('kubectl prints Forbidden for a user whose role does not allow the verb', async () => {
    api.addToken('bob-token', 'bob', (verb) => verb === 'get' || verb === 'list');
    const bob = api.writeKubeconfig({ token: 'bob-token', contextName: 'bob' });
    const r = await kubectl(['delete', 'service', 'kubernetes'], bob);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), 'Error from server (Forbidden): services "kubernetes" is forbidden: User "bob" cannot delete resource "services" in API group "" in the namespace "default"');
  });

  test('kubectl authenticates with a client certificate from the kubeconfig', async () => {
    const cert = await api.issueClientCertificate('carol', ['system:authenticated']);
    api.addToken('carol-token', 'carol', (verb) => verb === 'get' || verb === 'list');
    const kc = api.writeKubeconfig({ clientCertificate: cert, contextName: 'carol' });
    const r = await kubectl(['get', 'service', 'kubernetes', '-o', 'jsonpath={.metadata.name}'], kc);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'kubernetes');
    const denied = await kubectl(['delete', 'service', 'kubernetes'], kc);
    assert.equal(denied.stderr.trim(), 'Error from server (Forbidden): services "kubernetes" is forbidden: User "carol" cannot delete resource "services" in API group "" in the namespace "default"');
  });

  test('kubectl says "You must be logged in" for an unknown token', async () => {
    const r = await kubectl(['get', 'services'], api.writeKubeconfig({ token: 'not-a-token' }));
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), 'error: You must be logged in to the server (Unauthorized)');
  });

  test('kubectl uses the kubeconfig namespace, and --dry-run=server persists nothing', async () => {
    const other = api.writeKubeconfig({ namespace: 'openshift-image-registry' });
    const path = file({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry' }, data: { a: '1' } });
    ok(await kubectl(['create', '-f', path, '--dry-run=server'], other), 'configmap/dry created (server dry run)');
    assert.equal(api.getObject('v1', 'ConfigMap', 'dry', 'openshift-image-registry'), undefined);
    ok(await kubectl(['create', '-f', path], other), 'configmap/dry created');
    assert.ok(api.getObject('v1', 'ConfigMap', 'dry', 'openshift-image-registry'));
  });

  test('kubectl rollout status watches a Deployment until its status says it rolled out', async () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'rolling' }, spec: { replicas: 1, selector: { matchLabels: { app: 'rolling' } }, template: podTemplate('rolling') } };
    ok(await kubectl(['create', '-f', file(deployment)]), 'deployment.apps/rolling created');
    const watching = () => api.requests.some((r) => r.query.watch === 'true' && r.path.endsWith('/deployments') && r.query.fieldSelector === 'metadata.name=rolling');
    const status = kubectl(['rollout', 'status', 'deployment/rolling', '--timeout=60s']);
    while (!watching()) await new Promise((r) => setTimeout(r, 20));
    // Play back what the deployment controller would write.
    const live = api.getObject('apps/v1', 'Deployment', 'rolling', 'default')!;
    api.putObject({
      ...live,
      status: {
        observedGeneration: live.metadata.generation, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1,
        conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }],
      },
    });
    const r = await status;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /deployment "rolling" successfully rolled out/);
  });

  test('kubectl apply, client-side and server-side, creates and then updates', async () => {
    const cm = (value: string) => file({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied' }, data: { value } });
    ok(await kubectl(['apply', '-f', cm('1')]), 'configmap/applied created');
    ok(await kubectl(['apply', '-f', cm('2')]), 'configmap/applied configured');
    ok(await kubectl(['apply', '-f', cm('2')]), 'configmap/applied unchanged');
    const ssa = (replicas: number) => file({ apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'ssa' }, spec: { managementState: 'Managed', replicas } });
    ok(await kubectl(['apply', '--server-side', '-f', ssa(1)]), 'config.imageregistry.operator.openshift.io/ssa serverside-applied');
    ok(await kubectl(['apply', '--server-side', '-f', ssa(3)]), 'config.imageregistry.operator.openshift.io/ssa serverside-applied');
    assert.equal((await getJson('configs.imageregistry.operator.openshift.io', 'ssa')).spec.replicas, 3);
    assert.equal((await getJson('configmap', 'applied')).data.value, '2');
  });

  test('kubectl create configmap|secret|serviceaccount|namespace|clusterrolebinding (protobuf bodies) make the same objects as JSON would', async () => {
    const dataFile = join(work, 'registry.crt');
    writeFileSync(dataFile, 'CERT\n');
    ok(await kubectl(['create', 'configmap', 'imperative', '--from-literal=a=1', '--from-literal=empty=']), 'configmap/imperative created');
    assert.deepEqual((await getJson('configmap', 'imperative')).data, { a: '1', empty: '' });
    ok(await kubectl(['create', 'secret', 'generic', 'registry-certificates', `--from-file=${dataFile}`]), 'secret/registry-certificates created');
    const secret = await getJson('secret', 'registry-certificates');
    assert.deepEqual([secret.type, secret.data], ['Opaque', { 'registry.crt': Buffer.from('CERT\n').toString('base64') }]);
    ok(await kubectl(['create', 'serviceaccount', 'imperative']), 'serviceaccount/imperative created');
    ok(await kubectl(['create', 'namespace', 'imperative']), 'namespace/imperative created');
    ok(await kubectl(['create', 'clusterrolebinding', 'imperative', '--clusterrole=system:registry', '--serviceaccount=default:imperative']), 'clusterrolebinding.rbac.authorization.k8s.io/imperative created');
    const crb = await getJson('clusterrolebinding', 'imperative');
    assert.deepEqual(crb.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:registry' });
    assert.deepEqual(crb.subjects, [{ kind: 'ServiceAccount', name: 'imperative', namespace: 'default' }]);
  });

  test('kubectl logs prints a pod log', async () => {
    api.putObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'docker-registry-1-x', namespace: 'default' }, spec: { containers: [{ name: 'registry', image: 'r' }] } });
    api.setPodLog('default', 'docker-registry-1-x', 'listening on [::]:5000\n');
    const r = await kubectl(['logs', 'docker-registry-1-x']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'listening on [::]:5000\n');
  });
});
