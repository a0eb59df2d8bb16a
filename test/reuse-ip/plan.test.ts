// reuse-ip's plan as data: what it deletes, creates and keeps, what the new registry would not
// keep, and which server errors mean the address cannot be kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isClusterIPUnavailable } from '../../src/commands/reuse-ip/index.js';
import type { ReuseIpLive } from '../../src/commands/reuse-ip/live.js';
import { droppedSettings, planReuseIp } from '../../src/commands/reuse-ip/plan.js';
import type { KubeObject } from '../../src/plan/types.js';
import { toOptions, type DeployFlags } from '../../src/registry/options.js';

const FLAGS: DeployFlags = { serviceAccount: 'registry', type: 'docker-registry', replicas: '1', ports: '5000', labels: 'docker-registry=default', volume: '/registry', timeout: '300' };
const GROUPS = new Set(['', 'apps', 'rbac.authorization.k8s.io', 'apps.openshift.io', 'security.openshift.io']);

const workload = (container: Record<string, unknown>, volumes: unknown[] = []): KubeObject => ({
  apiVersion: 'apps.openshift.io/v1',
  kind: 'DeploymentConfig',
  metadata: { name: 'docker-registry', namespace: 'default', resourceVersion: '7' },
  spec: { template: { spec: { containers: [{ name: 'registry', ...container }], volumes } } },
});
const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'docker-registry', namespace: 'default', resourceVersion: '8' }, spec: { clusterIP: '172.30.0.9' } };
const sa: KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'registry', namespace: 'default' } };

function live(extra: Partial<ReuseIpLive> = {}): ReuseIpLive {
  return { server: 'https://master:8443', namespace: 'default', info: { platform: 'openshift3', groups: GROUPS, openshiftVersion: 'v3.11.0' }, service: svc, workloads: [workload({})], serviceAccount: sa, ...extra };
}

test('reuse-ip plan: delete workload then service (each conditional on the version read), create them again; an existing service account is kept', () => {
  const plan = planReuseIp(toOptions(FLAGS), live(), { httpSecret: 'x' });
  assert.deepEqual(plan.steps.map((s) => s.describe), [
    'delete deploymentconfig.apps.openshift.io/docker-registry in default (backed up first)',
    'delete service/docker-registry in default (backed up first)',
    'create clusterrolebinding.rbac.authorization.k8s.io/registry-registry-role',
    'create deploymentconfig.apps.openshift.io/docker-registry in default',
    'create service/docker-registry in default with clusterIP 172.30.0.9',
  ]);
  const del = plan.steps[1]!;
  assert.ok(del.kind === 'delete' && del.live.metadata.resourceVersion === '8');
  assert.equal(plan.confirm, 'Delete deploymentconfig.apps.openshift.io/docker-registry and service/docker-registry in default and create them again with clusterIP 172.30.0.9?');
  // -o prints what is created: the new workload and the Service with the kept address.
  const created = plan.steps.flatMap((s) => (s.kind === 'create' ? [s.object] : []));
  assert.equal((created.find((o) => o.kind === 'Service')!.spec as any).clusterIP, '172.30.0.9');
});

test('reuse-ip plan: --mount-host adds the SCC grant first and asks about it in the same question', () => {
  const scc: KubeObject = { apiVersion: 'security.openshift.io/v1', kind: 'SecurityContextConstraints', metadata: { name: 'privileged', resourceVersion: '3' }, users: ['system:admin'] } as KubeObject;
  const plan = planReuseIp(toOptions({ ...FLAGS, mountHost: '/data' }), live({ scc }), { httpSecret: 'x' });
  assert.equal(plan.steps[0]!.kind, 'patch');
  assert.match(plan.confirm!, /, and add system:serviceaccount:default:registry to the privileged SCC\?$/);
});

test('reuse-ip: settings the new workload drops, and which server errors mean the IP cannot be kept', () => {
  const liveDc = workload({ image: 'registry.redhat.io/openshift3/ose-docker-registry:v3.11', env: [{ name: 'A' }, { name: 'B' }] }, [
    { name: 'certs', secret: { secretName: 'registry-certificates' } },
    { name: 'registry-storage', persistentVolumeClaim: { claimName: 'registry' } },
  ]);
  const next = workload({ image: 'openshift/origin-docker-registry:v3.11', env: [{ name: 'A' }] }, [{ name: 'registry-storage', emptyDir: {} }]);
  assert.deepEqual(droppedSettings(liveDc, next), [
    'volume certs (secret registry-certificates)',
    'volume registry-storage: persistentVolumeClaim registry → emptyDir',
    'env B',
    'image registry.redhat.io/openshift3/ose-docker-registry:v3.11 → openshift/origin-docker-registry:v3.11',
  ]);
  assert.deepEqual(droppedSettings(next, next), []);
  const s: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' } };
  assert.ok(isClusterIPUnavailable(s, { status: 422, message: 'Invalid: spec.clusterIP: Invalid value: "1.2.3.4": provided IP is already allocated' }));
  assert.ok(!isClusterIPUnavailable(s, { status: 422, message: 'Invalid: spec.ports[0].port: must be between 1 and 65535' }));
  assert.ok(!isClusterIPUnavailable(workload({}), { status: 422, message: 'spec.clusterIP already allocated' }));
});

test('reuse-ip refuses a headless service, a --cluster-ip that contradicts the live one, and OpenShift 4', () => {
  const headless = { ...svc, spec: { clusterIP: 'None' } };
  assert.throws(() => planReuseIp(toOptions(FLAGS), live({ service: headless }), { httpSecret: 'x' }), /is headless \(clusterIP: None\)/);
  assert.throws(() => planReuseIp(toOptions({ ...FLAGS, clusterIp: '172.30.0.10' }), live(), { httpSecret: 'x' }), /^UsageError: --cluster-ip 172\.30\.0\.10: service\/docker-registry has 172\.30\.0\.9/);
  assert.throws(() => planReuseIp(toOptions(FLAGS), live({ info: { platform: 'openshift4', groups: GROUPS } }), { httpSecret: 'x' }), /is OpenShift 4: the Image Registry Operator owns the registry's service/);
});
