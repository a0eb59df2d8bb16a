// The test API server answers as kube-apiserver does: status codes, Status bodies, discovery,
// and the write semantics regctl depends on. Plain HTTPS against the server's CA, no mocks.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { startApiServer, type TestApiServer } from './index.js';
import { call, watch } from './http.js';

const SVC = '/api/v1/namespaces/default/services';
const CM = '/api/v1/namespaces/default/configmaps';
const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';
const REGISTRY_CONFIG = '/apis/imageregistry.operator.openshift.io/v1/configs/cluster';

function service(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ name: '5000-tcp', port: 5000 }], selector: { app: name }, ...extra } };
}

function deployment(name: string): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name: 'registry',
              image: 'registry:2',
              ports: [{ containerPort: 5000, protocol: 'TCP' }],
              env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }],
              volumeMounts: [{ name: 'data', mountPath: '/registry' }],
            },
            { name: 'sidecar', image: 'busybox' },
          ],
          volumes: [{ name: 'data', emptyDir: {} }],
        },
      },
    },
  };
}

describe('TLS and authentication', () => {
  let api: TestApiServer;
  before(async () => {
    api = await startApiServer({ profile: 'openshift3' });
    api.addToken('bob-token', 'bob', (verb, resource) => verb === 'get' && resource === 'services');
  });
  after(() => api.close());

  test('the serving certificate verifies against the CA for 127.0.0.1 and localhost', async () => {
    assert.equal((await call(api, 'GET', '/version')).status, 200);
    assert.equal((await call(api, 'GET', '/version', { host: 'localhost' })).status, 200);
  });

  test('a client that does not trust the CA is refused by its own TLS check', async () => {
    await assert.rejects(call(api, 'GET', '/version', { ca: null }), /self[- ]signed|unable to verify|unable to get local issuer/i);
  });

  test('a request without a bearer token gets 401 Unauthorized as a Status', async () => {
    const r = await call(api, 'GET', '/api/v1/namespaces/default/services', { token: null });
    assert.equal(r.status, 401);
    assert.deepEqual(r.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
  });

  test('an unknown token gets 401 Unauthorized, even for discovery', async () => {
    const r = await call(api, 'GET', '/api', { token: 'nope' });
    assert.equal(r.status, 401);
    assert.equal(r.json.reason, 'Unauthorized');
  });

  test('a token whose user may not do a verb gets 403 with the authorizer\'s wording', async () => {
    const get = await call(api, 'GET', `${SVC}/kubernetes`, { token: 'bob-token' });
    assert.equal(get.status, 200);
    const named = await call(api, 'DELETE', `${SVC}/docker-registry`, { token: 'bob-token' });
    assert.equal(named.status, 403);
    assert.deepEqual(named.json, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'services "docker-registry" is forbidden: User "bob" cannot delete resource "services" in API group "" in the namespace "default"',
      reason: 'Forbidden', details: { name: 'docker-registry', kind: 'services' }, code: 403,
    });
  });

  test('a forbidden create names no object, as the URL of a create has none', async () => {
    const r = await call(api, 'POST', SVC, { token: 'bob-token', body: service('docker-registry') });
    assert.equal(r.status, 403);
    assert.equal(r.json.message, 'services is forbidden: User "bob" cannot create resource "services" in API group "" in the namespace "default"');
  });

  test('a forbidden cluster-scoped request says "at the cluster scope" and names the API group', async () => {
    const r = await call(api, 'GET', '/apis/security.openshift.io/v1/securitycontextconstraints/privileged', { token: 'bob-token' });
    assert.equal(r.status, 403);
    assert.equal(r.json.message, 'securitycontextconstraints.security.openshift.io "privileged" is forbidden: User "bob" cannot get resource "securitycontextconstraints" in API group "security.openshift.io" at the cluster scope');
    assert.deepEqual(r.json.details, { name: 'privileged', group: 'security.openshift.io', kind: 'securitycontextconstraints' });
  });

  test('a client certificate from the server\'s CA authenticates its CN, authorized as that user', async () => {
    const alice = await api.issueClientCertificate('alice', ['system:authenticated']);
    api.clearRequests();
    const r = await call(api, 'GET', `${SVC}/kubernetes`, { clientCert: alice });
    assert.equal(r.status, 200);
    assert.equal(api.requests[0].user, 'alice');
    const bobCert = await api.issueClientCertificate('bob');
    const denied = await call(api, 'DELETE', `${SVC}/kubernetes`, { clientCert: bobCert });
    assert.equal(denied.status, 403);
    assert.match(denied.json.message, /User "bob" cannot delete resource "services"/);
  });

  test('a client certificate from another CA is 401 Unauthorized', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'foreign-ca-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '1', '-subj', '/CN=admin'], { stdio: 'ignore' });
      const foreign = { certPem: readFileSync(join(dir, 'c.pem'), 'utf8'), keyPem: readFileSync(join(dir, 'k.pem'), 'utf8') };
      const r = await call(api, 'GET', `${SVC}/kubernetes`, { clientCert: foreign });
      assert.equal(r.status, 401);
      assert.equal(r.json.reason, 'Unauthorized');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a SelfSubjectAccessReview answers with what the user may do', async () => {
    const review = (verb: string) => ({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb, resource: 'services', namespace: 'default' } } });
    const yes = await call(api, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { token: 'bob-token', body: review('get') });
    const no = await call(api, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { token: 'bob-token', body: review('create') });
    assert.equal(yes.status, 201);
    assert.equal(yes.json.status.allowed, true);
    assert.equal(no.json.status.allowed, false);
  });

  test('a SubjectAccessReview evaluates the stored role bindings for another user, as RBAC does; only the privileged may ask', async () => {
    const sar = (spec: Record<string, unknown>) => ({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec });
    const pull = { resourceAttributes: { verb: 'get', group: 'image.openshift.io', resource: 'imagestreams', subresource: 'layers', namespace: 'sar-test' } };
    const path = '/apis/authorization.k8s.io/v1/subjectaccessreviews';
    const before = await call(api, 'POST', path, { body: sar({ user: 'carol', ...pull }) });
    assert.equal(before.status, 201);
    assert.deepEqual(before.json.status, { allowed: false });
    api.putObject({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'puller', namespace: 'sar-test' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:image-puller' }, subjects: [{ kind: 'Group', name: 'pullers' }] } as never);
    const byGroup = await call(api, 'POST', path, { body: sar({ user: 'carol', groups: ['pullers'], ...pull }) });
    assert.deepEqual(byGroup.json.status, { allowed: true, reason: 'RBAC: allowed by RoleBinding "puller/sar-test" of ClusterRole "system:image-puller" to Group "pullers"' });
    const elsewhere = await call(api, 'POST', path, { body: sar({ user: 'carol', groups: ['pullers'], resourceAttributes: { ...pull.resourceAttributes, namespace: 'other' } }) });
    assert.equal(elsewhere.json.status.allowed, false);
    const anonymous = await call(api, 'POST', path, { body: sar(pull) });
    assert.equal(anonymous.status, 422);
    assert.equal(anonymous.json.message, 'SubjectAccessReview.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified');
    const asBob = await call(api, 'POST', path, { token: 'bob-token', body: sar({ user: 'carol', ...pull }) });
    assert.equal(asBob.status, 403);
  });
});

describe('discovery', () => {
  const servers: Partial<Record<'kubernetes' | 'openshift3' | 'openshift4', TestApiServer>> = {};
  before(async () => {
    for (const p of ['kubernetes', 'openshift3', 'openshift4'] as const) servers[p] = await startApiServer({ profile: p });
  });
  after(async () => {
    for (const s of Object.values(servers)) await s.close();
  });

  const groups = async (api: TestApiServer): Promise<string[]> => (await call(api, 'GET', '/apis')).json.groups.map((g: { name: string }) => g.name);

  test('/version gives the Kubernetes version of each kind of cluster', async () => {
    assert.equal((await call(servers.kubernetes!, 'GET', '/version')).json.gitVersion, 'v1.32.4');
    assert.equal((await call(servers.openshift3!, 'GET', '/version')).json.gitVersion, 'v1.11.0+d4cacc0');
    assert.match((await call(servers.openshift4!, 'GET', '/version')).json.gitVersion, /^v1\.31\./);
  });

  test('/version/openshift exists on OpenShift 3.x only', async () => {
    const v3 = await call(servers.openshift3!, 'GET', '/version/openshift');
    assert.equal(v3.status, 200);
    assert.equal(v3.json.gitVersion, 'v3.11.0');
    for (const p of ['kubernetes', 'openshift4'] as const) {
      const r = await call(servers[p]!, 'GET', '/version/openshift');
      assert.equal(r.status, 404);
      assert.equal(r.json.reason, 'NotFound');
    }
  });

  test('/api lists the core version', async () => {
    const r = await call(servers.kubernetes!, 'GET', '/api');
    assert.equal(r.json.kind, 'APIVersions');
    assert.deepEqual(r.json.versions, ['v1']);
  });

  test('/api/v1 describes services with singular name, scope, kind, verbs and short names', async () => {
    const r = await call(servers.kubernetes!, 'GET', '/api/v1');
    assert.equal(r.json.kind, 'APIResourceList');
    assert.equal(r.json.groupVersion, 'v1');
    const svc = r.json.resources.find((x: { name: string }) => x.name === 'services');
    assert.deepEqual(svc, {
      name: 'services', singularName: 'service', namespaced: true, kind: 'Service',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['svc'], categories: ['all'],
    });
    assert.ok(r.json.resources.some((x: { name: string }) => x.name === 'pods/log'));
    const ns = r.json.resources.find((x: { name: string }) => x.name === 'namespaces');
    assert.equal(ns.namespaced, false);
  });

  test('plain Kubernetes serves no OpenShift group', async () => {
    const g = await groups(servers.kubernetes!);
    assert.deepEqual(g, ['apps', 'rbac.authorization.k8s.io', 'authorization.k8s.io', 'networking.k8s.io']);
  });

  test('OpenShift 3.x adds the OpenShift API groups but not the 4.x config groups', async () => {
    const g = await groups(servers.openshift3!);
    for (const want of ['apps.openshift.io', 'route.openshift.io', 'security.openshift.io', 'image.openshift.io', 'oauth.openshift.io', 'authorization.openshift.io', 'template.openshift.io']) {
      assert.ok(g.includes(want), want);
    }
    assert.ok(!g.includes('config.openshift.io'));
  });

  test('OpenShift 4 adds config, image registry operator, machine config and operator groups', async () => {
    const g = await groups(servers.openshift4!);
    for (const want of ['apps.openshift.io', 'config.openshift.io', 'imageregistry.operator.openshift.io', 'machineconfiguration.openshift.io', 'operator.openshift.io']) {
      assert.ok(g.includes(want), want);
    }
    const config = await call(servers.openshift4!, 'GET', '/apis/config.openshift.io/v1');
    const images = config.json.resources.find((x: { name: string }) => x.name === 'images');
    assert.equal(images.kind, 'Image');
    assert.equal(images.namespaced, false);
  });

  test('a client asking for aggregated discovery gets the plain documents as application/json', async () => {
    const r = await call(servers.openshift3!, 'GET', '/apis', { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' });
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.json.kind, 'APIGroupList');
  });

  test('an API group the cluster does not serve is 404', async () => {
    const r = await call(servers.kubernetes!, 'GET', '/apis/route.openshift.io/v1');
    assert.equal(r.status, 404);
    assert.deepEqual(r.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 });
  });

  test('OpenShift 4 starts with the registry operator config, image config, cluster operator and pools', async () => {
    const api = servers.openshift4!;
    const cfg = (await call(api, 'GET', REGISTRY_CONFIG)).json;
    assert.deepEqual([cfg.spec.managementState, cfg.spec.replicas, cfg.spec.storage], ['Removed', 1, {}]);
    const image = (await call(api, 'GET', '/apis/config.openshift.io/v1/images/cluster')).json;
    assert.equal(image.status.internalRegistryHostname, 'image-registry.openshift-image-registry.svc:5000');
    const co = (await call(api, 'GET', '/apis/config.openshift.io/v1/clusteroperators/image-registry')).json;
    assert.ok(co.status.conditions.some((c: { type: string; status: string }) => c.type === 'Available' && c.status === 'True'));
    const pools = (await call(api, 'GET', '/apis/machineconfiguration.openshift.io/v1/machineconfigpools')).json;
    assert.deepEqual(pools.items.map((p: { metadata: { name: string } }) => p.metadata.name), ['master', 'worker']);
    for (const ns of ['default', 'kube-system', 'openshift-image-registry', 'openshift-config']) assert.equal((await call(api, 'GET', `/api/v1/namespaces/${ns}`)).status, 200);
  });

  test('OpenShift starts with the privileged and restricted SCCs and their users', async () => {
    const scc = (await call(servers.openshift3!, 'GET', '/apis/security.openshift.io/v1/securitycontextconstraints/privileged')).json;
    assert.ok(scc.users.includes('system:admin'));
    const restricted = (await call(servers.openshift3!, 'GET', '/apis/security.openshift.io/v1/securitycontextconstraints/restricted')).json;
    assert.deepEqual(restricted.users, []);
  });
});

describe('create, get and list', () => {
  let api: TestApiServer;
  before(async () => {
    api = await startApiServer({ profile: 'openshift3', namespaces: ['default', 'other'] });
  });
  after(() => api.close());

  test('create fills uid, creationTimestamp and a numeric string resourceVersion, and answers 201', async () => {
    const r = await call(api, 'POST', CM, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one' }, data: { a: 'b' } } });
    assert.equal(r.status, 201);
    const m = r.json.metadata;
    assert.match(m.uid, /^[0-9a-f-]{36}$/);
    assert.match(m.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(m.resourceVersion, /^\d+$/);
    assert.equal(m.namespace, 'default');
    assert.equal(m.generation, undefined);
    const again = await call(api, 'POST', CM, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'two' } } });
    assert.ok(Number(again.json.metadata.resourceVersion) > Number(m.resourceVersion));
  });

  test('workloads start at generation 1 and the status a client sends is dropped', async () => {
    const body = { ...deployment('gen'), status: { replicas: 5 } };
    const r = await call(api, 'POST', DEPLOY, { body });
    assert.equal(r.json.metadata.generation, 1);
    assert.deepEqual(r.json.status, {});
  });

  test('a body namespace that differs from the URL is 400 BadRequest', async () => {
    const r = await call(api, 'POST', CM, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'other' } } });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'the namespace of the provided object does not match the namespace sent on the request', reason: 'BadRequest', code: 400,
    });
  });

  test('a missing name is 422 Invalid with the cause on metadata.name', async () => {
    const r = await call(api, 'POST', CM, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} } });
    assert.equal(r.status, 422);
    assert.deepEqual(r.json, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required', reason: 'Invalid',
      details: { kind: 'ConfigMap', causes: [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }] },
      code: 422,
    });
  });

  test('a name that is not a DNS subdomain is 422 Invalid naming the rule', async () => {
    const r = await call(api, 'POST', CM, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' } } });
    assert.equal(r.status, 422);
    assert.match(r.json.message, /^ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of/);
    assert.deepEqual(r.json.details.causes.map((c: { field: string; reason: string }) => [c.field, c.reason]), [['metadata.name', 'FieldValueInvalid']]);
  });

  test('generateName gets a random suffix', async () => {
    const r = await call(api, 'POST', CM, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } } });
    assert.equal(r.status, 201);
    assert.match(r.json.metadata.name, /^gen-[a-z0-9]{5}$/);
  });

  test('creating an existing object is 409 AlreadyExists', async () => {
    const body = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'registry' } };
    assert.equal((await call(api, 'POST', '/api/v1/namespaces/default/serviceaccounts', { body })).status, 201);
    const r = await call(api, 'POST', '/api/v1/namespaces/default/serviceaccounts', { body });
    assert.equal(r.status, 409);
    assert.deepEqual(r.json, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'serviceaccounts "registry" already exists', reason: 'AlreadyExists',
      details: { name: 'registry', kind: 'serviceaccounts' }, code: 409,
    });
  });

  test('AlreadyExists names the group of a non-core resource', async () => {
    const body = { apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: { name: 'docker-registry' }, spec: { to: { kind: 'Service', name: 'docker-registry' } } };
    await call(api, 'POST', '/apis/route.openshift.io/v1/namespaces/default/routes', { body });
    const r = await call(api, 'POST', '/apis/route.openshift.io/v1/namespaces/default/routes', { body });
    assert.equal(r.json.message, 'routes.route.openshift.io "docker-registry" already exists');
    assert.deepEqual(r.json.details, { name: 'docker-registry', group: 'route.openshift.io', kind: 'routes' });
  });

  test('creating in a namespace that does not exist is 404 for the namespace', async () => {
    const r = await call(api, 'POST', '/api/v1/namespaces/nope/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } });
    assert.equal(r.status, 404);
    assert.deepEqual(r.json, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'namespaces "nope" not found', reason: 'NotFound',
      details: { name: 'nope', kind: 'namespaces' }, code: 404,
    });
  });

  test('getting a missing object is 404 NotFound naming it', async () => {
    const r = await call(api, 'GET', `${SVC}/docker-registry`);
    assert.equal(r.status, 404);
    assert.deepEqual(r.json, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'services "docker-registry" not found', reason: 'NotFound',
      details: { name: 'docker-registry', kind: 'services' }, code: 404,
    });
  });

  test('a secret\'s stringData is folded into base64 data', async () => {
    const r = await call(api, 'POST', '/api/v1/namespaces/default/secrets', { body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { user: 'admin' } } });
    assert.deepEqual(r.json.data, { user: Buffer.from('admin').toString('base64') });
    assert.equal(r.json.type, 'Opaque');
    assert.equal(r.json.stringData, undefined);
  });

  test('a YAML body is accepted as the real server accepts it', async () => {
    const r = await call(api, 'POST', CM, { body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\n', contentType: 'application/yaml' });
    assert.equal(r.status, 201);
  });

  test('a protobuf body of a kind not decoded here is refused with 415 rather than misread; a garbled one is 400', async () => {
    const field = (n: number, payload: Buffer) => Buffer.concat([Buffer.from([(n << 3) | 2, payload.length]), payload]);
    const typeMeta = Buffer.concat([field(1, Buffer.from('apps/v1')), field(2, Buffer.from('Deployment'))]);
    const envelope = Buffer.concat([Buffer.from('k8s\u0000', 'latin1'), field(1, typeMeta), field(2, Buffer.alloc(0))]);
    const r = await call(api, 'POST', DEPLOY, { body: envelope, contentType: 'application/vnd.kubernetes.protobuf' });
    assert.equal(r.status, 415);
    assert.equal(r.json.reason, 'UnsupportedMediaType');
    const garbled = await call(api, 'POST', CM, { body: Buffer.from([0x6b, 0x38, 0x73, 0x00, 0xff]), contentType: 'application/vnd.kubernetes.protobuf' });
    assert.equal(garbled.status, 400);
  });

  test('list filters by label selector and by metadata.name field selector', async () => {
    for (const [name, labels] of [['l1', { app: 'registry', tier: 'a' }], ['l2', { app: 'registry' }], ['l3', { app: 'router' }]] as const) {
      await call(api, 'POST', '/api/v1/namespaces/other/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels } } });
    }
    const names = async (q: string) => (await call(api, 'GET', `/api/v1/namespaces/other/configmaps?${q}`)).json.items.map((i: { metadata: { name: string } }) => i.metadata.name);
    assert.deepEqual(await names('labelSelector=app%3Dregistry'), ['l1', 'l2']);
    assert.deepEqual(await names('labelSelector=app%3Dregistry%2Ctier%3Da'), ['l1']);
    assert.deepEqual(await names('labelSelector=app!%3Drouter'), ['l1', 'l2']);
    assert.deepEqual(await names('labelSelector=app%20in%20(router)'), ['l3']);
    assert.deepEqual(await names('fieldSelector=metadata.name%3Dl2'), ['l2']);
    const bad = await call(api, 'GET', '/api/v1/namespaces/other/configmaps?fieldSelector=spec.foo%3Dx');
    assert.equal(bad.status, 400);
    assert.equal(bad.json.message, 'field label not supported: spec.foo');
  });

  test('a list is a <Kind>List with the current resourceVersion and items without apiVersion/kind', async () => {
    const r = await call(api, 'GET', '/api/v1/namespaces/other/configmaps');
    assert.equal(r.json.kind, 'ConfigMapList');
    assert.equal(r.json.apiVersion, 'v1');
    assert.match(r.json.metadata.resourceVersion, /^\d+$/);
    assert.equal(r.json.items[0].kind, undefined);
  });

  test('listing across namespaces includes every namespace', async () => {
    const r = await call(api, 'GET', '/api/v1/configmaps');
    const namespaces = new Set(r.json.items.map((i: { metadata: { namespace: string } }) => i.metadata.namespace));
    assert.deepEqual([...namespaces].sort(), ['default', 'other']);
  });
});

describe('replace', () => {
  let api: TestApiServer;
  before(async () => {
    api = await startApiServer({ profile: 'kubernetes' });
  });
  after(() => api.close());

  test('replace with a stale resourceVersion is 409 Conflict', async () => {
    const created = (await call(api, 'POST', CM, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } } })).json;
    const first = await call(api, 'PUT', `${CM}/c`, { body: { ...created, data: { a: '2' } } });
    assert.equal(first.status, 200);
    assert.notEqual(first.json.metadata.resourceVersion, created.metadata.resourceVersion);
    const stale = await call(api, 'PUT', `${CM}/c`, { body: { ...created, data: { a: '3' } } });
    assert.equal(stale.status, 409);
    assert.deepEqual(stale.json, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'Operation cannot be fulfilled on configmaps "c": the object has been modified; please apply your changes to the latest version and try again',
      reason: 'Conflict', details: { name: 'c', kind: 'configmaps' }, code: 409,
    });
  });

  test('replace without a resourceVersion is unconditional', async () => {
    const r = await call(api, 'PUT', `${CM}/c`, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '4' } } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.data, { a: '4' });
  });

  test('replace keeps uid and creationTimestamp and does not change resourceVersion when nothing changed', async () => {
    const live = (await call(api, 'GET', `${CM}/c`)).json;
    const same = await call(api, 'PUT', `${CM}/c`, { body: live });
    assert.equal(same.json.metadata.resourceVersion, live.metadata.resourceVersion);
    const changed = await call(api, 'PUT', `${CM}/c`, { body: { ...live, metadata: { name: 'c', resourceVersion: live.metadata.resourceVersion }, data: { z: '1' } } });
    assert.equal(changed.json.metadata.uid, live.metadata.uid);
    assert.equal(changed.json.metadata.creationTimestamp, live.metadata.creationTimestamp);
  });

  test('replacing a missing object is 404', async () => {
    const r = await call(api, 'PUT', `${CM}/missing`, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'missing' } } });
    assert.equal(r.status, 404);
    assert.equal(r.json.message, 'configmaps "missing" not found');
  });

  test('a body name that differs from the URL is 400', async () => {
    const r = await call(api, 'PUT', `${CM}/c`, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'd' } } });
    assert.equal(r.status, 400);
    assert.equal(r.json.message, 'the name of the object (d) does not match the name on the URL (c)');
  });

  test('generation bumps when the spec changes, not when only labels do, and status is kept', async () => {
    const created = (await call(api, 'POST', DEPLOY, { body: deployment('web') })).json;
    api.putObject({ ...created, status: { readyReplicas: 1 } });
    const live = (await call(api, 'GET', `${DEPLOY}/web`)).json;
    const labelled = (await call(api, 'PUT', `${DEPLOY}/web`, { body: { ...live, metadata: { ...live.metadata, labels: { x: 'y' } }, status: {} } })).json;
    assert.equal(labelled.metadata.generation, 1);
    assert.deepEqual(labelled.status, { readyReplicas: 1 });
    const scaled = (await call(api, 'PUT', `${DEPLOY}/web`, { body: { ...labelled, spec: { ...labelled.spec, replicas: 2 } } })).json;
    assert.equal(scaled.metadata.generation, 2);
  });

  test('the status subresource changes status only', async () => {
    const live = (await call(api, 'GET', `${DEPLOY}/web`)).json;
    const r = await call(api, 'PUT', `${DEPLOY}/web/status`, { body: { ...live, spec: { ...live.spec, replicas: 9 }, status: { readyReplicas: 2 } } });
    assert.equal(r.status, 200);
    assert.equal(r.json.spec.replicas, live.spec.replicas);
    assert.deepEqual(r.json.status, { readyReplicas: 2 });
  });
});

describe('services and cluster IPs', () => {
  let os: TestApiServer;
  let k8s: TestApiServer;
  before(async () => {
    os = await startApiServer({ profile: 'openshift3' });
    k8s = await startApiServer({ profile: 'kubernetes' });
  });
  after(async () => {
    await os.close();
    await k8s.close();
  });

  test('a new Service gets a cluster IP from 172.30.0.0/16 on OpenShift and 10.96.0.0/12 on Kubernetes, with defaults', async () => {
    const a = (await call(os, 'POST', SVC, { body: service('docker-registry') })).json;
    assert.match(a.spec.clusterIP, /^172\.30\.\d+\.\d+$/);
    assert.deepEqual(a.spec.clusterIPs, [a.spec.clusterIP]);
    assert.equal(a.spec.type, 'ClusterIP');
    assert.equal(a.spec.sessionAffinity, 'None');
    assert.deepEqual(a.spec.ports, [{ name: '5000-tcp', port: 5000, protocol: 'TCP', targetPort: 5000 }]);
    const b = (await call(k8s, 'POST', SVC, { body: service('docker-registry') })).json;
    const [o1, o2] = b.spec.clusterIP.split('.').map(Number);
    assert.equal(o1, 10);
    assert.ok(o2 >= 96 && o2 <= 111, b.spec.clusterIP);
  });

  test('the kubernetes Service holds the first address of the range', async () => {
    assert.equal((await call(os, 'GET', `${SVC}/kubernetes`)).json.spec.clusterIP, '172.30.0.1');
    assert.equal((await call(k8s, 'GET', `${SVC}/kubernetes`)).json.spec.clusterIP, '10.96.0.1');
  });

  test('asking for an IP already allocated is 422 Invalid on spec.clusterIP', async () => {
    const taken = (await call(os, 'GET', `${SVC}/docker-registry`)).json.spec.clusterIP;
    const r = await call(os, 'POST', SVC, { body: service('second', { clusterIP: taken }) });
    assert.equal(r.status, 422);
    assert.deepEqual(r.json, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: `Service "second" is invalid: spec.clusterIP: Invalid value: "${taken}": provided IP is already allocated`, reason: 'Invalid',
      details: { name: 'second', kind: 'Service', causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: "${taken}": provided IP is already allocated`, field: 'spec.clusterIP' }] },
      code: 422,
    });
  });

  test('asking for an IP outside the service range is 422 naming the range', async () => {
    const r = await call(os, 'POST', SVC, { body: service('outside', { clusterIP: '10.0.0.5' }) });
    assert.equal(r.status, 422);
    assert.equal(r.json.message, 'Service "outside" is invalid: spec.clusterIP: Invalid value: "10.0.0.5": provided IP is not in the valid range. The range of valid IPs is 172.30.0.0/16');
  });

  test('a free IP in range can be asked for', async () => {
    const r = await call(os, 'POST', SVC, { body: service('pinned', { clusterIP: '172.30.200.10' }) });
    assert.equal(r.status, 201);
    assert.equal(r.json.spec.clusterIP, '172.30.200.10');
  });

  test('changing the cluster IP on update is 422 field is immutable', async () => {
    const live = (await call(os, 'GET', `${SVC}/pinned`)).json;
    const r = await call(os, 'PUT', `${SVC}/pinned`, { body: { ...live, spec: { ...live.spec, clusterIP: '172.30.200.11', clusterIPs: ['172.30.200.11'] } } });
    assert.equal(r.status, 422);
    assert.equal(r.json.message, 'Service "pinned" is invalid: spec.clusterIP: Invalid value: "172.30.200.11": field is immutable');
  });

  test('OpenShift 3.11 refuses a replace that leaves the cluster IP out; newer servers keep it', async () => {
    const body = service('docker-registry');
    const r3 = await call(os, 'PUT', `${SVC}/docker-registry`, { body });
    assert.equal(r3.status, 422);
    assert.equal(r3.json.message, 'Service "docker-registry" is invalid: spec.clusterIP: Invalid value: "": field is immutable');
    const before = (await call(k8s, 'GET', `${SVC}/docker-registry`)).json.spec.clusterIP;
    const rk = await call(k8s, 'PUT', `${SVC}/docker-registry`, { body });
    assert.equal(rk.status, 200);
    assert.equal(rk.json.spec.clusterIP, before);
  });

  test('a Service without ports is 422 Required', async () => {
    const r = await call(os, 'POST', SVC, { body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'noports' }, spec: {} } });
    assert.equal(r.status, 422);
    assert.equal(r.json.message, 'Service "noports" is invalid: spec.ports: Required value');
  });

  test('deleting a Service frees its IP for another Service', async () => {
    assert.equal((await call(os, 'DELETE', `${SVC}/pinned`)).status, 200);
    const r = await call(os, 'POST', SVC, { body: service('pinned-again', { clusterIP: '172.30.200.10' }) });
    assert.equal(r.status, 201);
  });

  test('deleting a Service answers with the deleted object', async () => {
    const r = await call(os, 'DELETE', `${SVC}/pinned-again`);
    assert.equal(r.json.kind, 'Service');
    assert.equal(r.json.metadata.name, 'pinned-again');
  });
});

describe('dryRun=All', () => {
  let api: TestApiServer;
  before(async () => {
    api = await startApiServer({ profile: 'openshift3' });
  });
  after(() => api.close());

  test('a dry-run create answers as if created and stores nothing, allocating no IP', async () => {
    const dry = await call(api, 'POST', `${SVC}?dryRun=All`, { body: service('docker-registry') });
    assert.equal(dry.status, 201);
    assert.match(dry.json.spec.clusterIP, /^172\.30\./);
    assert.equal(dry.json.metadata.resourceVersion, undefined);
    assert.equal((await call(api, 'GET', `${SVC}/docker-registry`)).status, 404);
    const real = await call(api, 'POST', SVC, { body: service('docker-registry') });
    assert.equal(real.json.spec.clusterIP, dry.json.spec.clusterIP);
  });

  test('a dry-run create is still validated and admitted', async () => {
    assert.equal((await call(api, 'POST', `${SVC}?dryRun=All`, { body: service('docker-registry') })).status, 409);
    assert.equal((await call(api, 'POST', `/api/v1/namespaces/nope/services?dryRun=All`, { body: service('x') })).status, 404);
    assert.equal((await call(api, 'POST', `${SVC}?dryRun=All`, { body: service('Bad') })).status, 422);
  });

  test('dry-run replace, patch and delete change nothing', async () => {
    const live = (await call(api, 'GET', `${SVC}/docker-registry`)).json;
    const put = await call(api, 'PUT', `${SVC}/docker-registry?dryRun=All`, { body: { ...live, metadata: { ...live.metadata, labels: { a: 'b' } } } });
    assert.equal(put.status, 200);
    assert.deepEqual(put.json.metadata.labels, { a: 'b' });
    const patched = await call(api, 'PATCH', `${SVC}/docker-registry?dryRun=All`, { body: { metadata: { labels: { c: 'd' } } }, contentType: 'application/merge-patch+json' });
    assert.deepEqual(patched.json.metadata.labels, { c: 'd' });
    assert.equal((await call(api, 'DELETE', `${SVC}/docker-registry?dryRun=All`)).status, 200);
    assert.deepEqual((await call(api, 'GET', `${SVC}/docker-registry`)).json, live);
  });

  test('an unknown dryRun value is 400', async () => {
    const r = await call(api, 'POST', `${SVC}?dryRun=Yes`, { body: service('y') });
    assert.equal(r.status, 400);
    assert.equal(r.json.message, 'dryRun: Unsupported value: "Yes": supported values: "All"');
  });
});

describe('patch', () => {
  let api: TestApiServer;
  before(async () => {
    api = await startApiServer({ profile: 'openshift4' });
    await call(api, 'POST', DEPLOY, { body: deployment('registry') });
  });
  after(() => api.close());

  const patch = (path: string, body: unknown, contentType: string) => call(api, 'PATCH', path, { body, contentType });

  test('a merge patch merges maps and deletes keys set to null (RFC 7386)', async () => {
    await patch(`${DEPLOY}/registry`, { metadata: { labels: { extra: 'x' } } }, 'application/merge-patch+json');
    const r = await patch(`${DEPLOY}/registry`, { metadata: { labels: { extra: null, more: 'y' } } }, 'application/merge-patch+json');
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.metadata.labels, { app: 'registry', more: 'y' });
  });

  test('a merge patch replaces lists whole', async () => {
    const r = await patch(`${DEPLOY}/registry`, { spec: { template: { spec: { volumes: [{ name: 'data', emptyDir: { medium: 'Memory' } }] } } } }, 'application/merge-patch+json');
    assert.deepEqual(r.json.spec.template.spec.volumes, [{ name: 'data', emptyDir: { medium: 'Memory' } }]);
  });

  test('a strategic merge patch merges containers and env by name, ports by containerPort, mounts by mountPath', async () => {
    const r = await patch(
      `${DEPLOY}/registry`,
      {
        spec: {
          template: {
            spec: {
              containers: [{ name: 'registry', env: [{ name: 'B', value: 'two' }, { name: 'C', value: '3' }], ports: [{ containerPort: 5000, name: 'http' }], volumeMounts: [{ mountPath: '/registry', name: 'other' }] }],
              volumes: [{ name: 'other', emptyDir: {} }, { name: 'certs', secret: { secretName: 'registry-certificates' } }],
            },
          },
        },
      },
      'application/strategic-merge-patch+json',
    );
    assert.equal(r.status, 200);
    const spec = r.json.spec.template.spec;
    assert.deepEqual(spec.containers.map((c: { name: string }) => c.name), ['registry', 'sidecar']);
    const c = spec.containers[0];
    assert.equal(c.image, 'registry:2');
    assert.deepEqual(c.env, [{ name: 'A', value: '1' }, { name: 'B', value: 'two' }, { name: 'C', value: '3' }]);
    assert.deepEqual(c.ports, [{ containerPort: 5000, protocol: 'TCP', name: 'http' }]);
    assert.deepEqual(c.volumeMounts, [{ name: 'other', mountPath: '/registry' }]);
    assert.deepEqual(spec.volumes.map((v: { name: string }) => v.name), ['data', 'other', 'certs']);
  });

  test('strategic merge honours $patch: delete in a list and $patch: replace on a map', async () => {
    const r = await patch(
      `${DEPLOY}/registry`,
      { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }], nodeSelector: { $patch: 'replace', region: 'infra' } } } } },
      'application/strategic-merge-patch+json',
    );
    assert.deepEqual(r.json.spec.template.spec.containers.map((c: { name: string }) => c.name), ['registry']);
    assert.deepEqual(r.json.spec.template.spec.nodeSelector, { region: 'infra' });
  });

  test('strategic merge on Service ports merges by port', async () => {
    await call(api, 'POST', SVC, { body: service('svc') });
    const r = await patch(`${SVC}/svc`, { spec: { ports: [{ port: 5000, name: 'renamed' }] } }, 'application/strategic-merge-patch+json');
    assert.deepEqual(r.json.spec.ports, [{ name: 'renamed', port: 5000, protocol: 'TCP', targetPort: 5000 }]);
  });

  test('a JSON patch applies add, remove, replace, test, move and copy (RFC 6902)', async () => {
    await call(api, 'POST', CM, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'jp' }, data: { a: '1', b: '2' } } });
    const ok = await patch(`${CM}/jp`, [
      { op: 'test', path: '/data/a', value: '1' },
      { op: 'add', path: '/data/c', value: '3' },
      { op: 'remove', path: '/data/b' },
      { op: 'replace', path: '/data/a', value: 'one' },
      { op: 'copy', from: '/data/a', path: '/data/d' },
      { op: 'move', from: '/data/c', path: '/data/e' },
    ], 'application/json-patch+json');
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.json.data, { a: 'one', d: 'one', e: '3' });
  });

  test('a JSON patch whose test fails is 422 and changes nothing', async () => {
    const r = await patch(`${CM}/jp`, [{ op: 'test', path: '/data/a', value: 'nope' }, { op: 'remove', path: '/data/a' }], 'application/json-patch+json');
    assert.equal(r.status, 422);
    assert.equal(r.json.reason, 'Invalid');
    assert.deepEqual(r.json.details.causes, [{ reason: 'UnexpectedServerResponse', message: 'testing value /data/a failed: test failed' }]);
    assert.equal((await call(api, 'GET', `${CM}/jp`)).json.data.a, 'one');
  });

  test('strategic merge on a custom resource is 415 listing the accepted patch types', async () => {
    const r = await patch(REGISTRY_CONFIG, { spec: { managementState: 'Managed' } }, 'application/strategic-merge-patch+json');
    assert.equal(r.status, 415);
    assert.deepEqual(r.json, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
      reason: 'UnsupportedMediaType', code: 415,
    });
  });

  test('a merge patch on a custom resource works and bumps its generation', async () => {
    const before = (await call(api, 'GET', REGISTRY_CONFIG)).json;
    const r = await patch(REGISTRY_CONFIG, { spec: { managementState: 'Managed', storage: { emptyDir: {} } } }, 'application/merge-patch+json');
    assert.equal(r.status, 200);
    assert.equal(r.json.spec.managementState, 'Managed');
    assert.deepEqual(r.json.spec.storage, { emptyDir: {} });
    assert.equal(r.json.metadata.generation, before.metadata.generation + 1);
    assert.deepEqual(r.json.status, before.status);
  });

  test('a server-side apply creates a missing object (201), then merges into it (200), and needs a fieldManager', async () => {
    const applied = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  a: "1"\n';
    const created = await call(api, 'PATCH', `${CM}/ssa?fieldManager=regctl`, { body: applied, contentType: 'application/apply-patch+yaml' });
    assert.equal(created.status, 201);
    const updated = await call(api, 'PATCH', `${CM}/ssa?fieldManager=regctl`, { body: applied.replace('"1"', '"2"'), contentType: 'application/apply-patch+yaml' });
    assert.equal(updated.status, 200);
    assert.deepEqual(updated.json.data, { a: '2' });
    const anonymous = await call(api, 'PATCH', `${CM}/ssa`, { body: applied, contentType: 'application/apply-patch+yaml' });
    assert.equal(anonymous.status, 422);
    assert.equal(anonymous.json.message, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
  });

  test('an unknown patch content type is 415', async () => {
    const r = await patch(`${CM}/jp`, { data: {} }, 'application/json');
    assert.equal(r.status, 415);
    assert.match(r.json.message, /application\/strategic-merge-patch\+json/);
  });

  test('patching a missing object is 404', async () => {
    const r = await patch(`${CM}/nope`, { data: { a: 'b' } }, 'application/merge-patch+json');
    assert.equal(r.status, 404);
    assert.equal(r.json.message, 'configmaps "nope" not found');
  });

  test('a patch carrying a stale resourceVersion is 409 Conflict', async () => {
    const r = await patch(`${CM}/jp`, { metadata: { resourceVersion: '1' }, data: { a: 'b' } }, 'application/merge-patch+json');
    assert.equal(r.status, 409);
    assert.equal(r.json.reason, 'Conflict');
  });
});

describe('delete', () => {
  let api: TestApiServer;
  before(async () => {
    api = await startApiServer({ profile: 'openshift3' });
  });
  after(() => api.close());

  test('deleting a config map answers a Success Status naming it', async () => {
    const created = (await call(api, 'POST', CM, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gone' } } })).json;
    const r = await call(api, 'DELETE', `${CM}/gone`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'gone', kind: 'configmaps', uid: created.metadata.uid } });
    assert.equal((await call(api, 'GET', `${CM}/gone`)).status, 404);
  });

  test('deleting a missing object is 404', async () => {
    const r = await call(api, 'DELETE', '/apis/apps.openshift.io/v1/namespaces/default/deploymentconfigs/docker-registry');
    assert.equal(r.status, 404);
    assert.equal(r.json.message, 'deploymentconfigs.apps.openshift.io "docker-registry" not found');
    assert.deepEqual(r.json.details, { name: 'docker-registry', group: 'apps.openshift.io', kind: 'deploymentconfigs' });
  });

  test('deleting a collection with a label selector deletes the matches only', async () => {
    for (const [name, app] of [['dc1', 'registry'], ['dc2', 'registry'], ['dc3', 'router']]) {
      await call(api, 'POST', CM, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { app } } } });
    }
    const r = await call(api, 'DELETE', `${CM}?labelSelector=app%3Dregistry`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['dc1', 'dc2']);
    assert.equal((await call(api, 'GET', `${CM}/dc1`)).status, 404);
    assert.equal((await call(api, 'GET', `${CM}/dc3`)).status, 200);
  });

  test('deleting a namespace removes what is in it', async () => {
    await call(api, 'POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tmp' } } });
    await call(api, 'POST', '/api/v1/namespaces/tmp/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } });
    const r = await call(api, 'DELETE', '/api/v1/namespaces/tmp');
    assert.equal(r.json.status.phase, 'Terminating');
    assert.equal((await call(api, 'GET', '/api/v1/namespaces/tmp/configmaps/x')).status, 404);
  });
});

describe('OpenShift specifics and pod logs', () => {
  let api: TestApiServer;
  before(async () => {
    api = await startApiServer({ profile: 'openshift3' });
  });
  after(() => api.close());

  test('instantiating a DeploymentConfig starts a new rollout (latestVersion + 1), as oc rollout latest does', async () => {
    const dcPath = '/apis/apps.openshift.io/v1/namespaces/default/deploymentconfigs';
    const created = await call(api, 'POST', dcPath, {
      body: { apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig', metadata: { name: 'docker-registry' }, spec: { replicas: 1, template: { spec: { containers: [{ name: 'registry', image: 'r' }] } } } },
    });
    assert.equal(created.json.status.latestVersion, 0);
    const r = await call(api, 'POST', `${dcPath}/docker-registry/instantiate`, {
      body: { kind: 'DeploymentRequest', apiVersion: 'apps.openshift.io/v1', name: 'docker-registry', latest: true, force: true },
    });
    assert.equal(r.status, 201);
    assert.equal(r.json.status.latestVersion, 1);
    assert.equal((await call(api, 'GET', `${dcPath}/docker-registry`)).json.status.latestVersion, 1);
  });

  test('a pod log is served as text/plain, whole or its last lines', async () => {
    api.putObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'docker-registry-1-abcde', namespace: 'default' }, spec: { containers: [{ name: 'registry', image: 'r' }] } });
    api.setPodLog('default', 'docker-registry-1-abcde', 'one\ntwo\nthree\n');
    const all = await call(api, 'GET', '/api/v1/namespaces/default/pods/docker-registry-1-abcde/log');
    assert.equal(all.status, 200);
    assert.equal(all.headers['content-type'], 'text/plain');
    assert.equal(all.text, 'one\ntwo\nthree\n');
    const tail = await call(api, 'GET', '/api/v1/namespaces/default/pods/docker-registry-1-abcde/log?tailLines=2');
    assert.equal(tail.text, 'two\nthree\n');
  });

  test('the log of a missing pod is 404 for the pod', async () => {
    const r = await call(api, 'GET', '/api/v1/namespaces/default/pods/nope/log');
    assert.equal(r.status, 404);
    assert.equal(r.json.message, 'pods "nope" not found');
  });
});

describe('test controls', () => {
  let api: TestApiServer;
  before(async () => {
    api = await startApiServer({ profile: 'openshift3' });
  });
  after(() => api.close());

  test('inject fails the next matching request with a proper Status, then lets requests through', async () => {
    api.inject({ method: 'POST', path: CM, status: 500 });
    const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });
    assert.equal((await call(api, 'GET', CM)).status, 200);
    const failed = await call(api, 'POST', CM, { body: cm('a') });
    assert.equal(failed.status, 500);
    assert.equal(failed.json.kind, 'Status');
    assert.equal(failed.json.reason, 'InternalError');
    assert.equal((await call(api, 'POST', CM, { body: cm('a') })).status, 201);
  });

  test('inject with a RegExp path and times fails that many requests', async () => {
    api.inject({ path: /\/configmaps\/a$/, status: 429, times: 2 });
    const first = await call(api, 'GET', `${CM}/a`);
    assert.equal(first.status, 429);
    assert.equal(first.headers['retry-after'], '1');
    assert.equal(first.json.reason, 'TooManyRequests');
    assert.equal((await call(api, 'GET', `${CM}/a`)).status, 429);
    assert.equal((await call(api, 'GET', `${CM}/a`)).status, 200);
  });

  test('inject can make the 3rd POST of a plan fail with a chosen reason and message', async () => {
    api.clearRequests();
    let posts = 0;
    const results: number[] = [];
    for (const name of ['p1', 'p2', 'p3', 'p4']) {
      posts += 1;
      if (posts === 3) api.inject({ method: 'POST', status: 409, reason: 'Conflict', message: 'injected conflict' });
      results.push((await call(api, 'POST', CM, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } } })).status);
    }
    assert.deepEqual(results, [201, 201, 409, 201]);
    assert.equal(api.requests[2].status, 409);
  });

  test('every request is recorded with method, path, query, content type, body, status, user, HTTP version, and when it came and was answered', async () => {
    api.clearRequests();
    const before = performance.now();
    await call(api, 'PATCH', `${CM}/p1?dryRun=All`, { body: { data: { x: 'y' } }, contentType: 'application/merge-patch+json' });
    assert.equal(api.requests.length, 1);
    const { receivedAt, answeredAt, ...r } = api.requests[0]!;
    assert.ok(before <= receivedAt && receivedAt <= answeredAt! && answeredAt! <= performance.now());
    assert.deepEqual({ ...r, accept: undefined }, {
      method: 'PATCH', path: `${CM}/p1`, query: { dryRun: 'All' }, contentType: 'application/merge-patch+json', accept: undefined, body: { data: { x: 'y' } }, status: 200, user: 'admin', httpVersion: '1.1', // node:https speaks HTTP/1.1 (allowHTTP1)
    });
  });

  test('delayMs holds each response back while the request is already recorded', async () => {
    api.clearRequests();
    api.delayMs = 400;
    let settled = false;
    const pending = call(api, 'GET', '/version').then((r) => {
      settled = true;
      return r;
    });
    while (!api.requests[0]?.status) await new Promise((r) => setImmediate(r));
    assert.equal(settled, false);
    assert.equal((await pending).status, 200);
    api.delayMs = 0;
  });

  test('putObject seeds or overwrites with a new resourceVersion; getObject and deleteObject read and remove', async () => {
    const a = api.putObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'seeded', namespace: 'fresh' }, data: { a: '1' } });
    const b = api.putObject({ ...a, data: { a: '2' } });
    assert.ok(Number(b.metadata.resourceVersion) > Number(a.metadata.resourceVersion));
    assert.equal(b.metadata.uid, a.metadata.uid);
    assert.deepEqual(api.getObject('v1', 'ConfigMap', 'seeded', 'fresh')?.data, { a: '2' });
    assert.equal((await call(api, 'GET', '/api/v1/namespaces/fresh')).status, 200, 'the namespace was created for the seed');
    api.deleteObject('v1', 'ConfigMap', 'seeded', 'fresh');
    assert.equal(api.getObject('v1', 'ConfigMap', 'seeded', 'fresh'), undefined);
  });

  test('objects given at start are served', async () => {
    const s = await startApiServer({ profile: 'kubernetes', objects: [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'registry', namespace: 'default' } }] });
    try {
      assert.equal((await call(s, 'GET', '/api/v1/namespaces/default/serviceaccounts/registry')).status, 200);
    } finally {
      await s.close();
    }
  });

  test('the kubeconfig points at the server with its CA, user admin and context test; writeKubeconfig makes variants', async () => {
    const kc = load(readFileSync(api.kubeconfigPath, 'utf8')) as any;
    assert.equal(kc['current-context'], 'test');
    assert.equal(kc.clusters[0].cluster.server, api.url);
    assert.equal(Buffer.from(kc.clusters[0].cluster['certificate-authority-data'], 'base64').toString(), api.caPem);
    assert.equal(kc.users[0].name, 'admin');
    assert.equal(kc.contexts[0].context.namespace, 'default');
    const other = load(readFileSync(api.writeKubeconfig({ namespace: 'ns1', token: 'tok', insecureSkipTLSVerify: true, contextName: 'ctx' }), 'utf8')) as any;
    assert.equal(other['current-context'], 'ctx');
    assert.equal(other.contexts[0].context.namespace, 'ns1');
    assert.equal(other.users[0].user.token, 'tok');
    assert.equal(other.clusters[0].cluster['insecure-skip-tls-verify'], true);
    assert.equal(other.clusters[0].cluster['certificate-authority-data'], undefined);
  });
});

describe('defaulting, as the real server fills fields on write', () => {
  let api: TestApiServer;
  before(async () => {
    api = await startApiServer({ profile: 'openshift4' });
  });
  after(() => api.close());

  test('a Deployment gets replicas, strategy, history limit and pod and container defaults', async () => {
    const d = (await call(api, 'POST', DEPLOY, { body: deployment('defaults') })).json;
    assert.equal(d.spec.replicas, 1);
    assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    assert.equal(d.spec.revisionHistoryLimit, 10);
    assert.equal(d.spec.progressDeadlineSeconds, 600);
    const pod = d.spec.template.spec;
    assert.deepEqual([pod.restartPolicy, pod.dnsPolicy, pod.schedulerName, pod.terminationGracePeriodSeconds], ['Always', 'ClusterFirst', 'default-scheduler', 30]);
    assert.deepEqual(pod.securityContext, {});
    const [registry, sidecar] = pod.containers;
    assert.equal(registry.imagePullPolicy, 'IfNotPresent', 'a tagged image');
    assert.equal(sidecar.imagePullPolicy, 'Always', 'an untagged image means :latest');
    assert.equal(registry.terminationMessagePath, '/dev/termination-log');
    assert.deepEqual(registry.resources, {});
  });

  test('replacing an object with what was read back changes neither resourceVersion nor generation', async () => {
    const live = (await call(api, 'GET', `${DEPLOY}/defaults`)).json;
    const again = (await call(api, 'PUT', `${DEPLOY}/defaults`, { body: deployment('defaults') })).json;
    assert.equal(again.metadata.resourceVersion, live.metadata.resourceVersion);
    assert.equal(again.metadata.generation, 1);
  });

  test('a DeploymentConfig gets the Rolling strategy, a ConfigChange trigger and probe defaults', async () => {
    const dc = (await call(api, 'POST', '/apis/apps.openshift.io/v1/namespaces/default/deploymentconfigs', {
      body: {
        apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig', metadata: { name: 'docker-registry' },
        spec: { replicas: 1, selector: { app: 'r' }, template: { metadata: { labels: { app: 'r' } }, spec: { containers: [{ name: 'registry', image: 'r:v3.11', livenessProbe: { httpGet: { port: 5000, path: '/healthz' } } }] } } },
      },
    })).json;
    assert.equal(dc.spec.strategy.type, 'Rolling');
    assert.equal(dc.spec.strategy.rollingParams.timeoutSeconds, 600);
    assert.deepEqual(dc.spec.triggers, [{ type: 'ConfigChange' }]);
    const probe = dc.spec.template.spec.containers[0].livenessProbe;
    assert.deepEqual([probe.httpGet.scheme, probe.timeoutSeconds, probe.periodSeconds, probe.failureThreshold], ['HTTP', 1, 10, 3]);
  });

  test('a Route without a host gets a generated one under the router domain, when the server has one', async () => {
    const withDomain = await startApiServer({ profile: 'openshift4', routeSubdomain: 'apps.example.com' });
    const r = (await call(withDomain, 'POST', '/apis/route.openshift.io/v1/namespaces/default/routes', {
      body: { apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: { name: 'docker-registry' }, spec: { to: { name: 'docker-registry' }, tls: { termination: 'passthrough' } } },
    })).json;
    assert.equal(r.spec.host, 'docker-registry-default.apps.example.com');
    assert.equal(r.metadata.annotations['openshift.io/host.generated'], 'true');
    assert.deepEqual(r.spec.to, { name: 'docker-registry', kind: 'Service', weight: 100 });
    await withDomain.close();
  });

  test('a group with two versions lists both and prefers the stable one', async () => {
    const g = (await call(api, 'GET', '/apis/operator.openshift.io')).json;
    assert.deepEqual(g.versions.map((v: { version: string }) => v.version), ['v1', 'v1alpha1']);
    assert.equal(g.preferredVersion.version, 'v1');
    const icsp = await call(api, 'POST', '/apis/operator.openshift.io/v1alpha1/imagecontentsourcepolicies', {
      body: { apiVersion: 'operator.openshift.io/v1alpha1', kind: 'ImageContentSourcePolicy', metadata: { name: 'mirror' }, spec: { repositoryDigestMirrors: [{ source: 'quay.io/a', mirrors: ['m.example.com/a'] }] } },
    });
    assert.equal(icsp.status, 201);
  });

  test('the bootstrap cluster roles a registry binds to exist', async () => {
    for (const role of ['cluster-admin', 'system:registry', 'system:image-builder', 'registry-viewer', 'registry-editor']) {
      assert.equal((await call(api, 'GET', `/apis/rbac.authorization.k8s.io/v1/clusterroles/${role}`)).status, 200, role);
    }
  });
});

describe('validation of workloads, pods, routes and labels', () => {
  let api: TestApiServer;
  before(async () => {
    api = await startApiServer({ profile: 'openshift3' });
  });
  after(() => api.close());

  const DC = '/apis/apps.openshift.io/v1/namespaces/default/deploymentconfigs';
  const dc = (spec: Record<string, unknown>) => ({ apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig', metadata: { name: 'docker-registry' }, spec });

  test('a mount that names no volume is 422 Not found on the mount', async () => {
    const r = await call(api, 'POST', DC, {
      body: dc({ replicas: 1, selector: { app: 'r' }, template: { metadata: { labels: { app: 'r' } }, spec: { containers: [{ name: 'registry', image: 'r', volumeMounts: [{ name: 'registry-storage', mountPath: '/registry' }] }] } } }),
    });
    assert.equal(r.status, 422);
    assert.equal(r.json.message, 'DeploymentConfig.apps.openshift.io "docker-registry" is invalid: spec.template.spec.containers[0].volumeMounts[0].name: Not found: "registry-storage"');
    assert.deepEqual(r.json.details.causes, [{ reason: 'FieldValueNotFound', message: 'Not found: "registry-storage"', field: 'spec.template.spec.containers[0].volumeMounts[0].name' }]);
  });

  test('a selector that does not match the template labels is 422', async () => {
    const r = await call(api, 'POST', DEPLOY, {
      body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } },
    });
    assert.equal(r.status, 422);
    assert.equal(r.json.message, 'Deployment.apps "x" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"b"}: `selector` does not match template `labels`');
  });

  test('several errors are listed together in brackets', async () => {
    const r = await call(api, 'POST', DC, { body: dc({ template: { metadata: { labels: { app: 'r' } }, spec: { containers: [{ name: 'Bad_Name', env: [{ name: '1X', value: 'y' }] }] } } }) });
    assert.equal(r.status, 422);
    assert.deepEqual(r.json.details.causes.map((c: { field: string }) => c.field), [
      'spec.template.spec.containers[0].name', 'spec.template.spec.containers[0].image', 'spec.template.spec.containers[0].env[0].name',
    ]);
    assert.match(r.json.message, /^DeploymentConfig.apps.openshift.io "docker-registry" is invalid: \[spec.template.spec.containers\[0\].name: Invalid value: "Bad_Name": a lowercase RFC 1123 label must consist of/);
  });

  test('a label value with a space is 422 on metadata.labels', async () => {
    const r = await call(api, 'POST', CM, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'l', labels: { app: 'a b' } } } });
    assert.equal(r.status, 422);
    assert.match(r.json.message, /^ConfigMap "l" is invalid: metadata.labels: Invalid value: "a b": a valid label must be an empty string or consist of alphanumeric characters/);
  });

  test('a ConfigMap key with a colon is 422 (why trusted-CA keys write host:port as host..port)', async () => {
    const r = await call(api, 'POST', CM, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ca' }, data: { 'registry.example.com:5000': 'pem' } } });
    assert.equal(r.status, 422);
    assert.match(r.json.message, /^ConfigMap "ca" is invalid: data\[registry.example.com:5000\]: Invalid value: "registry.example.com:5000": a valid config key must consist of alphanumeric characters/);
    const ok = await call(api, 'POST', CM, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ca' }, data: { 'registry.example.com..5000': 'pem' } } });
    assert.equal(ok.status, 201);
  });

  test('secret data that is not base64 is refused while decoding (400)', async () => {
    const r = await call(api, 'POST', '/api/v1/namespaces/default/secrets', { body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { key: 'not base64!' } } });
    assert.equal(r.status, 400);
    assert.equal(r.json.message, 'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3');
  });

  test('a request above its limit is 422; a quantity that does not parse is 400', async () => {
    const withResources = (resources: unknown) => ({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'res' },
      spec: { selector: { matchLabels: { app: 'r' } }, template: { metadata: { labels: { app: 'r' } }, spec: { containers: [{ name: 'registry', image: 'r:1', resources }] } } },
    });
    const over = await call(api, 'POST', DEPLOY, { body: withResources({ requests: { cpu: '2' }, limits: { cpu: '500m' } }) });
    assert.equal(over.status, 422);
    assert.equal(over.json.message, 'Deployment.apps "res" is invalid: spec.template.spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 500m');
    const garbled = await call(api, 'POST', DEPLOY, { body: withResources({ requests: { memory: '256 Mi' } }) });
    assert.equal(garbled.status, 400);
    assert.match(garbled.json.message, /^Deployment in version "v1" cannot be handled as a Deployment: quantities must match the regular expression/);
    assert.equal((await call(api, 'POST', DEPLOY, { body: withResources({ requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '1Gi' } }) })).status, 201);
  });

  test('a route needs a target service and a known TLS termination', async () => {
    const r = await call(api, 'POST', '/apis/route.openshift.io/v1/namespaces/default/routes', { body: { apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: { name: 'r' }, spec: { to: {}, tls: { termination: 'pass' } } } });
    assert.equal(r.status, 422);
    assert.deepEqual(r.json.details.causes.map((c: { field: string }) => c.field), ['spec.to.name', 'spec.tls.termination']);
  });
});

describe('delete options', () => {
  let api: TestApiServer;
  before(async () => {
    api = await startApiServer({ profile: 'kubernetes' });
  });
  after(() => api.close());

  test('a resourceVersion precondition that does not match is 409 Conflict', async () => {
    const cm = (await call(api, 'POST', CM, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pre' } } })).json;
    const r = await call(api, 'DELETE', `${CM}/pre`, { body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { resourceVersion: '1' } } });
    assert.equal(r.status, 409);
    assert.equal(r.json.message, `Operation cannot be fulfilled on configmaps "pre": the ResourceVersion in the precondition (1) does not match the ResourceVersion in record (${cm.metadata.resourceVersion}). The object might have been modified`);
    const ok = await call(api, 'DELETE', `${CM}/pre`, { body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: cm.metadata.uid, resourceVersion: cm.metadata.resourceVersion } } });
    assert.equal(ok.status, 200);
  });

  test('dryRun in the DeleteOptions body deletes nothing', async () => {
    await call(api, 'POST', CM, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kept' } } });
    const r = await call(api, 'DELETE', `${CM}/kept`, { body: { kind: 'DeleteOptions', apiVersion: 'v1', dryRun: ['All'], propagationPolicy: 'Background' } });
    assert.equal(r.status, 200);
    assert.equal((await call(api, 'GET', `${CM}/kept`)).status, 200);
  });
});

describe('watch', () => {
  let api: TestApiServer;
  before(async () => {
    api = await startApiServer({ profile: 'kubernetes', objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'before', namespace: 'default', labels: { app: 'registry' } } }] });
  });
  after(() => api.close());

  const cm = (name: string, labels: Record<string, string> = { app: 'registry' }) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels } });

  test('a watch without a resourceVersion starts with the current objects as ADDED, then reports changes', async () => {
    const w = await watch(api, `${CM}?watch=true`);
    try {
      assert.equal(w.status, 200);
      const first = await w.next();
      assert.deepEqual([first.type, first.object.kind, first.object.metadata.name], ['ADDED', 'ConfigMap', 'before']);
      await call(api, 'POST', CM, { body: cm('new') });
      assert.deepEqual(await w.next().then((e) => [e.type, e.object.metadata.name]), ['ADDED', 'new']);
      await call(api, 'PATCH', `${CM}/new`, { body: { data: { a: 'b' } }, contentType: 'application/merge-patch+json' });
      const modified = await w.next();
      assert.deepEqual([modified.type, modified.object.data], ['MODIFIED', { a: 'b' }]);
      await call(api, 'DELETE', `${CM}/new`);
      assert.deepEqual(await w.next().then((e) => [e.type, e.object.metadata.name]), ['DELETED', 'new']);
    } finally {
      w.close();
    }
  });

  test('a watch from a list\'s resourceVersion replays only what changed after it', async () => {
    const rv = (await call(api, 'GET', CM)).json.metadata.resourceVersion;
    await call(api, 'POST', CM, { body: cm('after') });
    const w = await watch(api, `${CM}?watch=true&resourceVersion=${rv}`);
    try {
      const e = await w.next();
      assert.deepEqual([e.type, e.object.metadata.name], ['ADDED', 'after']);
    } finally {
      w.close();
    }
  });

  test('a watch with a field selector follows one object, and ends at timeoutSeconds', async () => {
    const w = await watch(api, `${CM}?watch=true&fieldSelector=metadata.name%3Dafter&timeoutSeconds=1`);
    const e = await w.next();
    assert.equal(e.object.metadata.name, 'after');
    await w.ended;
  });

  test('with a label selector, an object that stops matching is reported DELETED', async () => {
    const w = await watch(api, `${CM}?watch=true&labelSelector=app%3Dregistry&resourceVersion=${(await call(api, 'GET', CM)).json.metadata.resourceVersion}`);
    try {
      await call(api, 'PATCH', `${CM}/after`, { body: { metadata: { labels: { app: 'other' } } }, contentType: 'application/merge-patch+json' });
      const e = await w.next();
      assert.deepEqual([e.type, e.object.metadata.name, e.object.metadata.labels.app], ['DELETED', 'after', 'other']);
    } finally {
      w.close();
    }
  });

  test('putObject from a test is seen by watchers, as a controller\'s status update would be', async () => {
    const w = await watch(api, `${CM}?watch=true&fieldSelector=metadata.name%3Dbefore&resourceVersion=${(await call(api, 'GET', CM)).json.metadata.resourceVersion}`);
    try {
      const live = api.getObject('v1', 'ConfigMap', 'before', 'default')!;
      api.putObject({ ...live, data: { played: 'back' } });
      const e = await w.next();
      assert.deepEqual([e.type, e.object.data], ['MODIFIED', { played: 'back' }]);
    } finally {
      w.close();
    }
  });
});

describe('controllers a client sees at work', () => {
  const names = (list: { metadata: { name: string } }[]) => list.map((i) => i.metadata.name.replace(/-(token|dockercfg)-\w{5}$/, '-$1-*'));

  test('namespaces carry the kubernetes.io/metadata.name label, except on OpenShift 3.11', async () => {
    const k8s = await startApiServer({ profile: 'kubernetes' });
    const v3 = await startApiServer({ profile: 'openshift3' });
    try {
      await call(k8s, 'POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'made' } } });
      assert.deepEqual((await call(k8s, 'GET', '/api/v1/namespaces/made')).json.metadata.labels, { 'kubernetes.io/metadata.name': 'made' });
      assert.deepEqual((await call(k8s, 'GET', '/api/v1/namespaces/default')).json.metadata.labels, { 'kubernetes.io/metadata.name': 'default' });
      assert.equal((await call(v3, 'GET', '/api/v1/namespaces/default')).json.metadata.labels, undefined);
    } finally {
      await k8s.close();
      await v3.close();
    }
  });

  test('every namespace has a default service account; OpenShift adds builder and deployer', async () => {
    const k8s = await startApiServer({ profile: 'kubernetes' });
    const os = await startApiServer({ profile: 'openshift4' });
    try {
      assert.deepEqual(names((await call(k8s, 'GET', '/api/v1/namespaces/default/serviceaccounts')).json.items), ['default']);
      await call(os, 'POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fresh' } } });
      assert.deepEqual(names((await call(os, 'GET', '/api/v1/namespaces/fresh/serviceaccounts')).json.items), ['builder', 'default', 'deployer']);
    } finally {
      await k8s.close();
      await os.close();
    }
  });

  test('on OpenShift 3.x a new service account gets token and dockercfg secrets, listed on it', async () => {
    const api = await startApiServer({ profile: 'openshift3' });
    try {
      const created = await call(api, 'POST', '/api/v1/namespaces/default/serviceaccounts', { body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'registry' } } });
      assert.equal(created.json.secrets, undefined, 'the create response predates the controller');
      const sa = (await call(api, 'GET', '/api/v1/namespaces/default/serviceaccounts/registry')).json;
      assert.deepEqual(names(sa.secrets.map((s: { name: string }) => ({ metadata: s }))), ['registry-token-*', 'registry-dockercfg-*']);
      assert.deepEqual(names(sa.imagePullSecrets.map((s: { name: string }) => ({ metadata: s }))), ['registry-dockercfg-*']);
      const pull = (await call(api, 'GET', `/api/v1/namespaces/default/secrets/${sa.imagePullSecrets[0].name}`)).json;
      assert.equal(pull.type, 'kubernetes.io/dockercfg');
      assert.equal(pull.metadata.annotations['kubernetes.io/service-account.name'], 'registry');
    } finally {
      await api.close();
    }
  });

  test('linking a secret by strategic merge keeps the controller\'s secrets; a merge patch would drop them', async () => {
    const api = await startApiServer({ profile: 'openshift4' });
    try {
      const path = '/api/v1/namespaces/default/serviceaccounts/default';
      const linked = await call(api, 'PATCH', path, { body: { secrets: [{ name: 'registry-certificates' }] }, contentType: 'application/strategic-merge-patch+json' });
      assert.deepEqual(names(linked.json.secrets.map((s: { name: string }) => ({ metadata: s }))), ['default-dockercfg-*', 'registry-certificates']);
      const replaced = await call(api, 'PATCH', path, { body: { secrets: [{ name: 'registry-certificates' }] }, contentType: 'application/merge-patch+json' });
      assert.deepEqual(replaced.json.secrets, [{ name: 'registry-certificates' }]);
    } finally {
      await api.close();
    }
  });

  test('deleting a service account deletes the secrets made for it', async () => {
    const api = await startApiServer({ profile: 'openshift3' });
    try {
      await call(api, 'POST', '/api/v1/namespaces/default/serviceaccounts', { body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'registry' } } });
      await call(api, 'DELETE', '/api/v1/namespaces/default/serviceaccounts/registry');
      const left = names((await call(api, 'GET', '/api/v1/namespaces/default/secrets')).json.items).filter((n) => n.startsWith('registry-'));
      assert.deepEqual(left, []);
    } finally {
      await api.close();
    }
  });
});
