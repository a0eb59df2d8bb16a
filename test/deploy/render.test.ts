// `regctl deploy` rendered offline: the objects `oc adm registry -o yaml` prints, flag by flag
// (shared/OC-ADM-REGISTRY.md §2), each validated against the upstream schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { registryOptions, toOptions, deployWarnings, OFFLINE_VERSION, type DeployFlags } from '../../src/registry/options.js';
import { registryObjects } from '../../src/templates/registry.js';
import type { KubeObject } from '../../src/plan/types.js';
import { UsageError } from '../../src/errors.js';
import { validateObject } from '../support/schema.js';

const DEFAULTS: DeployFlags = {
  serviceAccount: 'registry',
  type: 'docker-registry',
  replicas: '1',
  ports: '5000',
  labels: 'docker-registry=default',
  volume: '/registry',
  timeout: '300',
};

function render(flags: Partial<DeployFlags> = {}, namespace = 'default', tls?: { certPem: string; keyPem: string }): KubeObject[] {
  const o = toOptions({ ...DEFAULTS, ...flags });
  return registryObjects(registryOptions(o, { namespace, version: OFFLINE_VERSION, httpSecret: 'c2VjcmV0', tls }));
}

const byKind = (objs: KubeObject[], kind: string) => objs.find((o) => o.kind === kind) as any;
const container = (objs: KubeObject[]) => byKind(objs, objs.some((o) => o.kind === 'DeploymentConfig') ? 'DeploymentConfig' : objs.some((o) => o.kind === 'DaemonSet') ? 'DaemonSet' : 'Deployment').spec.template.spec.containers[0];
const podSpec = (objs: KubeObject[]) => (objs.find((o) => ['DeploymentConfig', 'DaemonSet', 'Deployment'].includes(o.kind)) as any).spec.template.spec;
const env = (objs: KubeObject[]) => Object.fromEntries(container(objs).env.map((e: any) => [e.name, e.value]));

async function assertValid(objs: KubeObject[]) {
  for (const o of objs) await validateObject(o);
}

test('default registry: ServiceAccount, ClusterRoleBinding, DeploymentConfig, Service in that order, all valid', async () => {
  const objs = render();
  assert.deepEqual(objs.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.name}`), [
    'v1 ServiceAccount registry',
    'rbac.authorization.k8s.io/v1 ClusterRoleBinding registry-registry-role',
    'apps.openshift.io/v1 DeploymentConfig docker-registry',
    'v1 Service docker-registry',
  ]);
  await assertValid(objs);
});

test('the role binding gives the service account system:registry in its namespace', () => {
  const crb = byKind(render({ serviceAccount: 'reg-sa' }, 'infra'), 'ClusterRoleBinding');
  assert.deepEqual(crb.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:registry' });
  assert.deepEqual(crb.subjects, [{ kind: 'ServiceAccount', name: 'reg-sa', namespace: 'infra' }]);
  assert.equal(crb.metadata.name, 'registry-registry-role');
});

test('the container: name, image, port, sorted env, probes on /healthz, requests, storage mount', () => {
  const objs = render();
  const c = container(objs);
  assert.equal(c.name, 'registry');
  assert.equal(c.image, 'openshift/origin-docker-registry:v3.11');
  assert.deepEqual(c.ports, [{ containerPort: 5000 }]);
  assert.deepEqual(c.env.map((e: any) => e.name), ['REGISTRY_HTTP_ADDR', 'REGISTRY_HTTP_NET', 'REGISTRY_HTTP_SECRET', 'REGISTRY_MIDDLEWARE_REPOSITORY_OPENSHIFT_ENFORCEQUOTA']);
  assert.deepEqual(env(objs), { REGISTRY_HTTP_ADDR: ':5000', REGISTRY_HTTP_NET: 'tcp', REGISTRY_HTTP_SECRET: 'c2VjcmV0', REGISTRY_MIDDLEWARE_REPOSITORY_OPENSHIFT_ENFORCEQUOTA: 'false' });
  assert.deepEqual(c.livenessProbe, { httpGet: { path: '/healthz', port: 5000 }, initialDelaySeconds: 10, timeoutSeconds: 5 });
  assert.deepEqual(c.readinessProbe, { httpGet: { path: '/healthz', port: 5000 }, timeoutSeconds: 5 });
  assert.deepEqual(c.resources, { requests: { cpu: '100m', memory: '256Mi' } });
  assert.deepEqual(c.volumeMounts, [{ name: 'registry-storage', mountPath: '/registry' }]);
  assert.deepEqual(c.securityContext, { privileged: false });
  assert.deepEqual(podSpec(objs).volumes, [{ name: 'registry-storage', emptyDir: {} }]);
  assert.equal(podSpec(objs).serviceAccountName, 'registry');
});

test('DeploymentConfig: replicas, selector, config-change trigger; Service: port 5000-tcp with ClientIP affinity', () => {
  const objs = render({ replicas: '3' });
  const dc = byKind(objs, 'DeploymentConfig');
  assert.equal(dc.spec.replicas, 3);
  assert.deepEqual(dc.spec.selector, { 'docker-registry': 'default' });
  assert.deepEqual(dc.spec.triggers, [{ type: 'ConfigChange' }]);
  const svc = byKind(objs, 'Service');
  assert.deepEqual(svc.spec.ports, [{ name: '5000-tcp', port: 5000, targetPort: 5000 }]);
  assert.equal(svc.spec.sessionAffinity, 'ClientIP');
  assert.deepEqual(svc.spec.selector, { 'docker-registry': 'default' });
  assert.equal(svc.spec.clusterIP, undefined);
});

test('--images substitutes ${component} (--type) and ${version}; --latest-images uses latest', () => {
  assert.equal(container(render({ images: 'registry.redhat.io/openshift3/ose-${component}:${version}' })).image, 'registry.redhat.io/openshift3/ose-docker-registry:v3.11');
  assert.equal(container(render({ type: 'registry', latestImages: true })).image, 'openshift/origin-registry:latest');
});

test('--images with an unknown ${key} is refused, naming the flag', () => {
  assert.throws(() => render({ images: 'openshift/origin-${compnent}:${version}' }), (e: Error) => e instanceof UsageError && /--images: unknown variable \$\{compnent\}/.test(e.message));
});

test('--ports: the first port is the address and probe port; the lowest is the service port; PORT:HOSTPORT sets hostPort', () => {
  const objs = render({ ports: '6000:80,5000' });
  assert.deepEqual(container(objs).ports, [{ containerPort: 6000, hostPort: 80 }, { containerPort: 5000 }]);
  assert.equal(env(objs).REGISTRY_HTTP_ADDR, ':6000');
  assert.equal(container(objs).livenessProbe.httpGet.port, 6000);
  assert.deepEqual(byKind(objs, 'Service').spec.ports, [{ name: '5000-tcp', port: 5000, targetPort: 5000 }]);
});

for (const bad of ['abc', '0', '70000', '5000:', '1:2:3']) {
  test(`--ports=${bad} is refused with a line naming --ports`, () => {
    assert.throws(() => render({ ports: bad }), (e: Error) => e instanceof UsageError && e.message.startsWith('--ports:'));
  });
}

test('--labels label every workload object and select the pods; not the ServiceAccount or binding', () => {
  const objs = render({ labels: 'app=registry,tier=infra' });
  const labels = { app: 'registry', tier: 'infra' };
  assert.deepEqual(byKind(objs, 'DeploymentConfig').metadata.labels, labels);
  assert.deepEqual(byKind(objs, 'DeploymentConfig').spec.template.metadata.labels, labels);
  assert.deepEqual(byKind(objs, 'Service').spec.selector, labels);
  assert.equal(byKind(objs, 'ServiceAccount').metadata.labels, undefined);
});

for (const [flag, bad] of [['labels', 'app'], ['labels', 'app-'], ['labels', 'bad key=x'], ['selector', 'region=in fra'], ['labels', 'a=' + 'x'.repeat(64)]] as const) {
  test(`--${flag}=${bad.slice(0, 20)} is refused with a line naming --${flag}`, () => {
    assert.throws(() => render({ [flag]: bad }), (e: Error) => e instanceof UsageError && e.message.startsWith(`--${flag}:`));
  });
}

test('--selector becomes the pod nodeSelector', () => {
  assert.deepEqual(podSpec(render({ selector: 'region=infra' })).nodeSelector, { region: 'infra' });
  assert.equal(podSpec(render()).nodeSelector, undefined);
});

test('--mount-host: a hostPath volume and a privileged container, with the SCC and chown commands printed', () => {
  const objs = render({ mountHost: '/data' });
  assert.deepEqual(podSpec(objs).volumes, [{ name: 'registry-storage', hostPath: { path: '/data' } }]);
  assert.deepEqual(container(objs).securityContext, { privileged: true });
  const w = deployWarnings(toOptions({ ...DEFAULTS, mountHost: '/data' }), 'default');
  assert.match(w.warnings.join('\n'), /needs the privileged SCC \(oc adm policy add-scc-to-user privileged system:serviceaccount:default:registry\), and uid 1001 must own \/data .*\(sudo chown 1001:root \/data\)/);
  assert.deepEqual(w.notes, ['sudo chown 1001:root /data   # on every node that can run the registry']);
  // When the plan grants the SCC itself, the warning says so instead of the command.
  assert.match(deployWarnings(toOptions({ ...DEFAULTS, mountHost: '/data' }), 'default', 'regctl adds it').warnings.join('\n'), /privileged SCC \(regctl adds it\)/);
});

test('--mount-host must be an absolute path', () => {
  assert.throws(() => render({ mountHost: 'data' }), /--mount-host: "data" must be an absolute path/);
});

test('--volume moves the mount, and the registry root directory with it', () => {
  const objs = render({ volume: '/var/lib/registry' });
  assert.deepEqual(container(objs).volumeMounts, [{ name: 'registry-storage', mountPath: '/var/lib/registry' }]);
  assert.equal(env(objs).REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY, '/var/lib/registry');
});

test('--pvc and --nfs choose the storage volume; two kinds of storage are refused', async () => {
  assert.deepEqual(podSpec(render({ pvc: 'registry-claim' })).volumes, [{ name: 'registry-storage', persistentVolumeClaim: { claimName: 'registry-claim' } }]);
  const nfs = render({ nfs: 'nfs.example.com:/exports/registry' });
  assert.deepEqual(podSpec(nfs).volumes, [{ name: 'registry-storage', nfs: { server: 'nfs.example.com', path: '/exports/registry' } }]);
  await assertValid(nfs);
  assert.throws(() => render({ pvc: 'c', mountHost: '/data' }), /--mount-host and --pvc cannot be used together/);
  assert.throws(() => render({ nfs: 'server-without-path' }), /--nfs: "server-without-path" is not SERVER:\/PATH/);
  assert.throws(() => render({ pvc: 'Bad_Claim' }), /--pvc: "Bad_Claim" is not a valid name/);
});

test('--cluster-ip sets the Service clusterIP; a malformed IP is refused', () => {
  assert.equal(byKind(render({ clusterIp: '172.30.1.1' }), 'Service').spec.clusterIP, '172.30.1.1');
  assert.throws(() => render({ clusterIp: '172.30.1' }), /--cluster-ip: "172.30.1" is not an IP address/);
});

test('--daemonset: an apps/v1 DaemonSet selecting the labels, no replicas', async () => {
  const objs = render({ daemonset: true });
  const ds = byKind(objs, 'DaemonSet');
  assert.equal(ds.apiVersion, 'apps/v1');
  assert.deepEqual(ds.spec.selector, { matchLabels: { 'docker-registry': 'default' } });
  assert.equal(ds.spec.replicas, undefined);
  assert.equal(byKind(objs, 'DeploymentConfig'), undefined);
  await assertValid(objs);
  assert.throws(() => render({ daemonset: true, replicas: '2' }), /--replicas cannot be used with --daemonset/);
});

test('--deployment: an apps/v1 Deployment for OpenShift clusters without DeploymentConfigs', async () => {
  const objs = render({ deployment: true, replicas: '2', pvc: 'shared' });
  const d = byKind(objs, 'Deployment');
  assert.equal(d.apiVersion, 'apps/v1');
  assert.equal(d.spec.replicas, 2);
  assert.deepEqual(d.spec.selector, { matchLabels: { 'docker-registry': 'default' } });
  assert.deepEqual(d.spec.strategy, { type: 'Recreate' });
  await assertValid(objs);
});

test('--enforce-quota turns on the quota middleware variable', () => {
  assert.equal(env(render({ enforceQuota: true })).REGISTRY_MIDDLEWARE_REPOSITORY_OPENSHIFT_ENFORCEQUOTA, 'true');
});

test('--fs-group and --supplemental-groups set the pod security context, never both', () => {
  assert.deepEqual(podSpec(render({ fsGroup: '1001' })).securityContext, { fsGroup: 1001 });
  assert.deepEqual(podSpec(render({ supplementalGroups: ['5555,6666', '7777'] })).securityContext, { supplementalGroups: [5555, 6666, 7777] });
  assert.throws(() => render({ fsGroup: '1', supplementalGroups: ['2'] }), /--fs-group and --supplemental-groups cannot be specified both at the same time/);
  assert.throws(() => render({ fsGroup: 'abc' }), /--fs-group: invalid group ID "abc"/);
  assert.throws(() => render({ supplementalGroups: ['0'] }), /--supplemental-groups: invalid group ID "0"/);
});

test('--replicas must be a whole number from 0', () => {
  assert.throws(() => render({ replicas: 'two' }), /--replicas: "two" is not a whole number/);
  assert.throws(() => render({ replicas: '-1' }), /--replicas: -1 is out of range/);
});

test('--replicas above 1 with emptyDir or --mount-host warns that each pod has its own storage', () => {
  const w = deployWarnings(toOptions({ ...DEFAULTS, replicas: '2', mountHost: '/data' }), 'default');
  assert.ok(w.warnings.some((x) => /2 replicas with --mount-host storage: each pod keeps its own images/.test(x)));
  const shared = deployWarnings(toOptions({ ...DEFAULTS, replicas: '2', pvc: 'shared' }), 'default');
  assert.ok(!shared.warnings.some((x) => /each pod keeps its own images/.test(x)));
});

test('--requests and --limits set container resources; bad quantities and limit below request are refused', async () => {
  const objs = render({ requests: 'cpu=200m,memory=512Mi', limits: 'cpu=1,memory=1Gi' });
  assert.deepEqual(container(objs).resources, { requests: { cpu: '200m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } });
  await assertValid(objs);
  assert.throws(() => render({ requests: 'cpu=lots' }), /--requests: "lots" is not a valid quantity for cpu/);
  assert.throws(() => render({ limits: 'memory=128Mi' }), /--limits: memory limit 128Mi is lower than its request 256Mi/);
});

test('--tls-certificate: a kubernetes.io/tls Secret first, its volume, the TLS env and HTTPS probes', async () => {
  const objs = render({ tlsCertificate: 'unused-by-template' }, 'default', { certPem: 'CERT', keyPem: 'KEY' });
  const secret = objs[0] as any;
  assert.equal(secret.kind, 'Secret');
  assert.equal(secret.metadata.name, 'registry-certs');
  assert.equal(secret.type, 'kubernetes.io/tls');
  assert.deepEqual(secret.data, { 'tls.crt': Buffer.from('CERT').toString('base64'), 'tls.key': Buffer.from('KEY').toString('base64') });
  assert.equal(env(objs).REGISTRY_HTTP_TLS_CERTIFICATE, '/etc/pki/tls/private/tls.crt');
  assert.equal(env(objs).REGISTRY_HTTP_TLS_KEY, '/etc/pki/tls/private/tls.key');
  assert.equal(container(objs).livenessProbe.httpGet.scheme, 'HTTPS');
  assert.equal(container(objs).readinessProbe.httpGet.scheme, 'HTTPS');
  assert.deepEqual(podSpec(objs).volumes[0], { name: 'server-certificate', secret: { secretName: 'registry-certs' } });
  assert.deepEqual(container(objs).volumeMounts[0], { name: 'server-certificate', readOnly: true, mountPath: '/etc/pki/tls/private' });
  await assertValid(objs);
});

test('--platform kubernetes: the upstream registry as a Deployment, no system:registry binding', async () => {
  const objs = render({ platform: 'kubernetes', mountHost: '/data' });
  assert.deepEqual(objs.map((o) => o.kind), ['ServiceAccount', 'Deployment', 'Service']);
  const c = container(objs);
  assert.equal(c.image, 'docker.io/library/registry:2');
  assert.equal(c.securityContext, undefined);
  assert.equal(c.livenessProbe.httpGet.path, '/');
  assert.equal(env(objs).REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY, '/registry');
  assert.equal(env(objs).REGISTRY_MIDDLEWARE_REPOSITORY_OPENSHIFT_ENFORCEQUOTA, undefined);
  await assertValid(objs);
  assert.throws(() => render({ platform: 'kubernetes', enforceQuota: true }), /--enforce-quota: image quota is enforced by the OpenShift registry/);
});

test('--service-account names the pod service account and the binding subject', () => {
  const objs = render({ serviceAccount: 'my-registry' });
  assert.equal(byKind(objs, 'ServiceAccount').metadata.name, 'my-registry');
  assert.equal(podSpec(objs).serviceAccountName, 'my-registry');
  assert.throws(() => render({ serviceAccount: '' }), /a service account must be provided/);
});
