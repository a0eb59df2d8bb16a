// regctl access grant|revoke|check in-process: the documented roles per release on the test
// API server (whose SubjectAccessReviews evaluate the bindings as RBAC does), the fake cluster
// for previews, rollback and conflicts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startApiServer, type TestApiServer } from '../apiserver/index.js';
import { FakeCluster } from '../support/fake-cluster.js';
import { assertPreviewsWriteNothing } from '../support/previews.js';
import { run, tempHome } from '../support/world.js';
import type { KubeObject } from '../../src/objects.js';

const NAMESPACES = ['default', 'kube-system', 'openshift-image-registry', 'openshift-config', 'myproject'];
const RBAC = 'rbac.authorization.k8s.io/v1';
const writes = (api: TestApiServer) => api.requests.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && !r.path.includes('accessreviews')).map((r) => `${r.method} ${r.path}`);
type Binding = KubeObject & { subjects?: { kind: string; name: string; namespace?: string }[]; roleRef: { name: string } };
const rb = (api: TestApiServer, name: string, ns = 'myproject') => api.getObject(RBAC, 'RoleBinding', name, ns) as Binding | undefined;
const crb = (api: TestApiServer, name: string) => api.getObject(RBAC, 'ClusterRoleBinding', name) as Binding | undefined;
const names = (b: Binding | undefined) => b?.subjects?.map((s) => `${s.kind}:${s.name}`);
const binding = (kind: 'RoleBinding' | 'ClusterRoleBinding', name: string, role: string, subjects: Binding['subjects']): KubeObject => ({
  apiVersion: RBAC, kind, metadata: { name, ...(kind === 'RoleBinding' ? { namespace: 'myproject' } : {}) }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role }, subjects,
});
const capability = (out: string, level: string) => new RegExp(`^${level}\\s+(yes|no)`, 'm').exec(out)?.[1];

describe('access on OpenShift 3.x (test API server)', () => {
  let api: TestApiServer;
  before(async () => {
    api = await startApiServer({ profile: 'openshift3', namespaces: NAMESPACES });
  });
  after(() => api.close());
  const regctl = (args: string[]) => run(['--kubeconfig', api.kubeconfigPath, 'access', ...args]);

  test('grant --push: system:registry cluster-wide, admin and system:image-builder in the project; again changes nothing', async () => {
    const r = await regctl(['grant', 'alice', '--push', '-n', 'myproject']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'clusterrolebinding.rbac.authorization.k8s.io/system:registry created\nrolebinding.rbac.authorization.k8s.io/admin created\nrolebinding.rbac.authorization.k8s.io/system:image-builder created\n');
    assert.deepEqual(names(crb(api, 'system:registry')), ['User:alice']);
    assert.equal(crb(api, 'system:registry')!.roleRef.name, 'system:registry');
    assert.deepEqual(names(rb(api, 'admin')), ['User:alice']);
    assert.deepEqual(names(rb(api, 'system:image-builder')), ['User:alice']);

    api.clearRequests();
    const again = await regctl(['grant', 'alice', '--push', '-n', 'myproject']);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(writes(api), []);
    assert.equal(again.stdout, 'user alice already has system:registry cluster-wide, admin in myproject, system:image-builder in myproject\n');
  });

  test('check asks the server with SubjectAccessReviews and shows the binding that allows it', async () => {
    const r = await regctl(['check', 'alice', '-n', 'myproject']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^user alice in project myproject:\npull {3}yes  RBAC: allowed by RoleBinding "admin\/myproject" of ClusterRole "admin" to User "alice"\n/);
    assert.deepEqual(['pull', 'push', 'admin'].map((l) => capability(r.stdout, l)), ['yes', 'yes', 'yes']);
    const reviews = api.requests.filter((q) => q.path === '/apis/authorization.k8s.io/v1/subjectaccessreviews');
    assert.equal(reviews.length, 4);
    const other = await regctl(['check', 'bob', '-n', 'myproject']);
    assert.match(other.stdout, /^pull {3}no {3}\(may not get imagestreams\/layers\) {2}fix: regctl access grant bob --pull -n myproject$/m);
  });

  test('revoke --push takes system:image-builder only; revoke --pull takes admin and keeps the cluster-wide system:registry, saying how to remove it', async () => {
    const push = await regctl(['revoke', 'alice', '--push', '-n', 'myproject']);
    assert.equal(push.code, 0, push.stderr);
    assert.equal(push.stdout, 'rolebinding.rbac.authorization.k8s.io/system:image-builder deleted\n');
    assert.ok(rb(api, 'admin'));
    const pull = await regctl(['revoke', 'alice', '--pull', '-n', 'myproject']);
    assert.equal(pull.code, 0, pull.stderr);
    assert.equal(pull.stdout, 'rolebinding.rbac.authorization.k8s.io/admin deleted\n');
    assert.match(pull.stderr, /warning: user alice keeps system:registry \(cluster-wide.*oc adm policy remove-cluster-role-from-user system:registry alice/);
    assert.deepEqual(names(crb(api, 'system:registry')), ['User:alice']);
    const check = await regctl(['check', 'alice', '-n', 'myproject']);
    assert.deepEqual(['pull', 'push', 'admin'].map((l) => capability(check.stdout, l)), ['no', 'no', 'no']);
  });

  test('a group and a service account are bound as such', async () => {
    const g = await regctl(['grant', '--group', 'builders', '--admin', '-n', 'myproject']);
    assert.equal(g.code, 0, g.stderr);
    assert.deepEqual(rb(api, 'admin')!.subjects, [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'builders' }]);
    const sa = await regctl(['grant', 'system:serviceaccount:ci:pusher', '--admin', '-n', 'myproject']);
    assert.equal(sa.code, 0, sa.stderr);
    assert.equal(sa.stdout, 'rolebinding.rbac.authorization.k8s.io/admin configured\n');
    assert.deepEqual(rb(api, 'admin')!.subjects!.at(-1), { kind: 'ServiceAccount', name: 'pusher', namespace: 'ci' });
    const check = await regctl(['check', 'system:serviceaccount:ci:pusher', '-n', 'myproject']);
    assert.equal(capability(check.stdout, 'admin'), 'yes');
    assert.match(check.stdout, /to ServiceAccount "pusher\/ci"/);
  });
});

describe('access on OpenShift 4 (test API server)', () => {
  let api: TestApiServer;
  before(async () => {
    api = await startApiServer({ profile: 'openshift4', namespaces: NAMESPACES, objects: [binding('RoleBinding', 'registry-viewer', 'registry-viewer', [{ kind: 'User', name: 'bob' }])] });
  });
  after(() => api.close());
  const regctl = (args: string[]) => run(['--kubeconfig', api.kubeconfigPath, 'access', ...args]);

  test('grant --pull adds the user to the existing registry-viewer binding, keeping its subjects; revoke takes only that user out', async () => {
    const r = await regctl(['grant', 'alice', '--pull', '-n', 'myproject']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'rolebinding.rbac.authorization.k8s.io/registry-viewer configured\n');
    assert.deepEqual(names(rb(api, 'registry-viewer')), ['User:bob', 'User:alice']);
    const check = await regctl(['check', 'alice', '-n', 'myproject']);
    assert.deepEqual(['pull', 'push', 'admin'].map((l) => capability(check.stdout, l)), ['yes', 'no', 'no']);
    assert.match(check.stdout, /fix: regctl access grant alice --push -n myproject/);
    const rev = await regctl(['revoke', 'alice', '--pull', '-n', 'myproject']);
    assert.equal(rev.stdout, 'rolebinding.rbac.authorization.k8s.io/registry-viewer configured\n');
    assert.deepEqual(names(rb(api, 'registry-viewer')), ['User:bob']);
  });

  test('grant --push: registry-editor and system:image-builder', async () => {
    const r = await regctl(['grant', 'alice', '--push', '-n', 'myproject']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'rolebinding.rbac.authorization.k8s.io/registry-editor created\nrolebinding.rbac.authorization.k8s.io/system:image-builder created\n');
    const check = await regctl(['check', 'alice', '-n', 'myproject', '-o', 'json']);
    const reviews = (JSON.parse(check.stdout) as { items: { kind: string; spec: { user: string }; status: { allowed: boolean } }[] }).items;
    assert.deepEqual(reviews.map((x) => [x.kind, x.spec.user, x.status.allowed]), [
      ['SubjectAccessReview', 'alice', true], ['SubjectAccessReview', 'alice', true], ['SubjectAccessReview', 'alice', true], ['SubjectAccessReview', 'alice', false],
    ]);
  });

  test('check without USER asks for the kubeconfig user with SelfSubjectAccessReviews, which any user may', async () => {
    api.addToken('carol-token', 'carol', (verb, resource, ns) => ns === 'myproject' && resource === 'imagestreams/layers' && verb === 'get');
    const kc = api.writeKubeconfig({ token: 'carol-token', namespace: 'myproject' });
    const r = await run(['--kubeconfig', kc, 'access', 'check']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(['pull', 'push', 'admin'].map((l) => capability(r.stdout, l)), ['yes', 'no', 'no']);
    assert.match(r.stdout, /ask an administrator for: regctl access grant USER --push -n myproject/);
    const other = await run(['--kubeconfig', kc, 'access', 'check', 'alice']);
    assert.equal(other.code, 1);
    assert.match(other.stderr, /error: Forbidden: .*User "carol" cannot/);
  });

  test('refusals: no such project, no level, a user and a group, levels on check', async () => {
    const cases: [string[], number, RegExp][] = [
      [['grant', 'alice', '--pull', '-n', 'nope'], 1, /error: project nope not found/],
      [['grant', 'alice'], 2, /grant needs what: --pull, --push or --admin/],
      [['grant', 'alice', '--group', 'g', '--pull'], 2, /give a USER or --group GROUP, not both/],
      [['check', 'alice', '--pull'], 2, /unknown option '--pull'/],
      [['grant', 'system:serviceaccount:bad', '--pull'], 2, /USER: "system:serviceaccount:bad" is not system:serviceaccount:NAMESPACE:NAME/],
    ];
    for (const [args, code, msg] of cases) {
      api.clearRequests();
      const r = await regctl(args);
      assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, msg);
      assert.deepEqual(writes(api), []);
    }
  });
});

test('access needs OpenShift', async () => {
  const r = await run(['access', 'grant', 'alice', '--pull'], { cluster: new FakeCluster({ platform: 'kubernetes', objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } }] }) });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /error: access needs OpenShift/);
});

test('-o json renders exactly what a real grant creates (two fresh servers)', async () => {
  const [a, b] = await Promise.all([startApiServer({ profile: 'openshift3', namespaces: NAMESPACES }), startApiServer({ profile: 'openshift3', namespaces: NAMESPACES })]);
  try {
    const rendered = await run(['--kubeconfig', a.kubeconfigPath, 'access', 'grant', 'alice', '--push', '-n', 'myproject', '-o', 'json']);
    assert.equal(rendered.code, 0, rendered.stderr);
    assert.deepEqual(writes(a), []);
    const applied = await run(['--kubeconfig', b.kubeconfigPath, 'access', 'grant', 'alice', '--push', '-n', 'myproject']);
    assert.equal(applied.code, 0, applied.stderr);
    const strip = (o: KubeObject) => ({ kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace, roleRef: o.roleRef, subjects: o.subjects });
    const items = (JSON.parse(rendered.stdout) as { items: KubeObject[] }).items;
    assert.deepEqual(items.map(strip), [crb(b, 'system:registry')!, rb(b, 'admin')!, rb(b, 'system:image-builder')!].map(strip));
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

describe('access previews, rollback and conflicts (fake cluster)', () => {
  const seeded = () =>
    new FakeCluster({ platform: 'openshift3', objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'myproject' } }, binding('RoleBinding', 'admin', 'admin', [{ kind: 'User', name: 'bob' }])] });

  test('-o yaml, --dry-run and --dry-run=server write nothing, and leave HOME and cwd as they were', async () => {
    await assertPreviewsWriteNothing((flags) => ['access', 'grant', 'alice', '--push', '-n', 'myproject', ...flags], seeded);
  });

  test('--dry-run=server says created / configured exactly as the real run does', async () => {
    const cluster = seeded();
    const dry = await run(['access', 'grant', 'alice', '--push', '-n', 'myproject', '--dry-run=server'], { cluster });
    assert.equal(dry.stdout, 'clusterrolebinding.rbac.authorization.k8s.io/system:registry created (server dry run)\nrolebinding.rbac.authorization.k8s.io/admin configured (server dry run)\nrolebinding.rbac.authorization.k8s.io/system:image-builder created (server dry run)\n');
    const real = await run(['access', 'grant', 'alice', '--push', '-n', 'myproject'], { cluster, env: { HOME: tempHome() } });
    assert.equal(real.stdout, dry.stdout.replaceAll(' (server dry run)', ''));
  });

  for (const n of [1, 2, 3]) {
    test(`a failure at write ${n} of 3 leaves the cluster as it was, and says so`, async () => {
      const cluster = seeded();
      const strip = (os: KubeObject[]) => os.map((o) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined, uid: undefined } }));
      const before = strip(cluster.objects());
      cluster.failWrite(n);
      const r = await run(['access', 'grant', 'alice', '--push', '-n', 'myproject'], { cluster, env: { HOME: tempHome() } });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /injected/);
      assert.deepEqual(strip(cluster.objects()), before);
      if (n > 1) assert.match(r.stderr, /the cluster and the files are as they were before this run/);
    });
  }

  test('a change to a binding between read and write is a conflict, not lost', async () => {
    const cluster = seeded();
    cluster.beforeWrite = (req) => {
      if (req.verb === 'replace') cluster.put(binding('RoleBinding', 'admin', 'admin', [{ kind: 'User', name: 'bob' }, { kind: 'User', name: 'dave' }]));
    };
    const r = await run(['access', 'grant', 'alice', '--admin', '-n', 'myproject'], { cluster, env: { HOME: tempHome() } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /conflict|modified/i);
    assert.deepEqual(names(cluster.object<Binding>(RBAC, 'RoleBinding', 'admin', 'myproject')), ['User:bob', 'User:dave']);
  });
});
