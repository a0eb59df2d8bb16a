// `regctl reuse-ip` against the test API server: the registry is deleted and created again with
// the Service's old clusterIP; refusals, dry run, rollback, and the lost-IP path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { startApiServer, type TestApiServer } from '../apiserver/index.js';
import { run as runInProcess, type TestWorldOptions } from '../support/world.js';

/** regctl in-process, as a user would type it (the spawned smoke test is test/reuse-ip/smoke.test.ts). */
const regctl = (args: string[], opts: { env?: NodeJS.ProcessEnv } & Omit<TestWorldOptions, 'env'> = {}) => runInProcess(args, opts);

const DC = ['apps.openshift.io/v1', 'DeploymentConfig', 'docker-registry', 'default'] as const;
const SVC = ['v1', 'Service', 'docker-registry', 'default'] as const;
const writes = (api: TestApiServer) => api.requests.filter((r) => r.method !== 'GET');

/** A server with a registry deployed by `regctl deploy` (with the given flags). */
async function withRegistry(profile: 'openshift3' | 'kubernetes' | 'openshift4' = 'openshift3', deployFlags: string[] = []) {
  const api = await startApiServer({ profile });
  const home = mkdtempSync(join(tmpdir(), 'regctl-home-'));
  const run = (args: string[]) => regctl(['--kubeconfig', api.kubeconfigPath, ...args], { env: { HOME: home } });
  if (profile !== 'openshift4') {
    const d = await run(['deploy', ...deployFlags]);
    assert.equal(d.code, 0, d.stderr);
  }
  const ip = profile === 'openshift4' ? '' : ((api.getObject(...SVC) as any).spec.clusterIP as string);
  api.clearRequests();
  return { api, run, home, ip };
}

test('reuse-ip deletes the service and DeploymentConfig, creates them from the flags, and the service keeps its cluster IP', async () => {
  const { api, run, home, ip } = await withRegistry();
  try {
    const oldUid = (api.getObject(...SVC) as any).metadata.uid;
    const r = await run(['reuse-ip', '--pvc=registry-storage', '--yes']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      [
        'deploymentconfig.apps.openshift.io/docker-registry deleted',
        'service/docker-registry deleted',
        'deploymentconfig.apps.openshift.io/docker-registry created',
        'service/docker-registry created',
        '',
      ].join('\n'),
    );
    assert.match(r.stderr, new RegExp(`service/docker-registry kept its cluster IP ${ip.replace(/\./g, '\\.')}`));
    const svc = api.getObject(...SVC) as any;
    assert.notEqual(svc.metadata.uid, oldUid, 'a new Service');
    assert.equal(svc.spec.clusterIP, ip);
    // The new service was asked for the old address, not given it by chance.
    const post = writes(api).find((q) => q.method === 'POST' && q.path.endsWith('/services'))!;
    assert.equal((post.body as any).spec.clusterIP, ip);
    // The new DeploymentConfig follows the flags: the claim, not the old emptyDir.
    const dc = api.getObject(...DC) as any;
    assert.deepEqual(dc.spec.template.spec.volumes, [{ name: 'registry-storage', persistentVolumeClaim: { claimName: 'registry-storage' } }]);
    // The service account and role binding were there already and are left alone.
    assert.deepEqual(writes(api).map((q) => `${q.method} ${q.path}`), [
      'DELETE /apis/apps.openshift.io/v1/namespaces/default/deploymentconfigs/docker-registry',
      'DELETE /api/v1/namespaces/default/services/docker-registry',
      'POST /apis/apps.openshift.io/v1/namespaces/default/deploymentconfigs',
      'POST /api/v1/namespaces/default/services',
    ]);
    // The deleted objects were saved first.
    const root = join(home, '.regctl', 'backups');
    const run0 = readdirSync(root).find((d) => d.endsWith('-reuse-ip'))!;
    const files = readdirSync(join(root, run0)).sort();
    assert.deepEqual(files, ['01-deploymentconfig-docker-registry.yaml', '02-service-docker-registry.yaml']);
    assert.equal((load(readFileSync(join(root, run0, files[1]!), 'utf8')) as any).spec.clusterIP, ip);
  } finally {
    await api.close();
  }
});

test('-o yaml prints the registry with the live clusterIP filled in and changes nothing (the manual registry.yaml)', async () => {
  const { api, run, ip } = await withRegistry();
  try {
    const r = await run(['reuse-ip', '--replicas=2', '--pvc=shared', '-o', 'yaml']);
    assert.equal(r.code, 0, r.stderr);
    const list = load(r.stdout) as any;
    assert.equal(list.kind, 'List');
    // What the run creates: the workload and the Service (the service account and binding exist and are kept).
    assert.deepEqual(list.items.map((o: any) => o.kind), ['DeploymentConfig', 'Service']);
    assert.equal(list.items[1].spec.clusterIP, ip);
    assert.equal(list.items[0].spec.replicas, 2);
    assert.deepEqual(writes(api), []);
  } finally {
    await api.close();
  }
});

test('without a terminal and without --yes it refuses before deleting anything (exit 2)', async () => {
  const { api, run, ip } = await withRegistry();
  try {
    const r = await run(['reuse-ip']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `error: Delete deploymentconfig.apps.openshift.io/docker-registry and service/docker-registry in default and create them again with clusterIP ${ip}: --yes is required when not running interactively\n`);
    assert.deepEqual(writes(api), []);
  } finally {
    await api.close();
  }
});

test('--dry-run lists the steps with the address it keeps, and changes nothing', async () => {
  const { api, run, ip } = await withRegistry();
  try {
    const r = await run(['reuse-ip', '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      [
        '1. delete deploymentconfig.apps.openshift.io/docker-registry in default (backed up first)',
        '2. delete service/docker-registry in default (backed up first)',
        '3. create deploymentconfig.apps.openshift.io/docker-registry in default',
        `4. create service/docker-registry in default with clusterIP ${ip}`,
        '',
      ].join('\n'),
    );
    assert.deepEqual(writes(api), []);
    assert.equal((await run(['reuse-ip', '--dry-run=server'])).code, 2);
  } finally {
    await api.close();
  }
});

test('when the new DeploymentConfig cannot be created, the deleted service and DeploymentConfig come back as they were', async () => {
  const { api, run, ip } = await withRegistry();
  try {
    const before = api.getObject(...DC) as any;
    api.inject({ method: 'POST', path: /deploymentconfigs$/, status: 500, reason: 'InternalError', message: 'etcdserver: request timed out' });
    const r = await run(['reuse-ip', '--pvc=registry-storage', '--yes']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error: InternalError: etcdserver: request timed out/);
    assert.match(r.stderr, /undone: service\/docker-registry created again/);
    assert.match(r.stderr, /undone: deploymentconfig\.apps\.openshift\.io\/docker-registry created again/);
    assert.equal((api.getObject(...SVC) as any).spec.clusterIP, ip);
    const dc = api.getObject(...DC) as any;
    assert.deepEqual(dc.spec, before.spec, 'the old DeploymentConfig, not the new one');
  } finally {
    await api.close();
  }
});

test('when the address was taken meanwhile, the service gets a new one and the master restart is printed with the reason', async () => {
  const { api, run, ip } = await withRegistry();
  try {
    api.inject({
      method: 'POST',
      path: /\/services$/,
      status: 422,
      reason: 'Invalid',
      message: `Service "docker-registry" is invalid: spec.clusterIP: Invalid value: "${ip}": provided IP is already allocated`,
    });
    const r = await run(['reuse-ip', '--yes']);
    assert.equal(r.code, 1);
    const svc = api.getObject(...SVC) as any;
    assert.ok(svc, 'the registry has a service again');
    assert.notEqual(svc.spec.clusterIP, ip);
    assert.match(r.stderr, new RegExp(`could not keep its cluster IP ${ip.replace(/\./g, '\\.')} \\(Invalid: .*already allocated\\); it has ${svc.spec.clusterIP.replace(/\./g, '\\.')} now`));
    assert.match(r.stderr, /the masters forget the old registry URL, which they cache/);
    assert.match(r.stderr, /systemctl restart origin-master-api origin-master-controllers/);
    assert.match(r.stderr, /systemctl restart atomic-openshift-master/);
    assert.notEqual(api.getObject(...DC), undefined);
  } finally {
    await api.close();
  }
});

test('a DaemonSet registry stays a DaemonSet; on Kubernetes a Deployment keeps its IP too', async () => {
  const ds = await withRegistry('openshift3', ['--daemonset']);
  try {
    const r = await ds.run(['reuse-ip', '--yes']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^daemonset\.apps\/docker-registry deleted$/m);
    assert.notEqual(ds.api.getObject('apps/v1', 'DaemonSet', 'docker-registry', 'default'), undefined);
    assert.equal(ds.api.getObject(...DC), undefined);
    assert.equal((ds.api.getObject(...SVC) as any).spec.clusterIP, ds.ip);
  } finally {
    await ds.api.close();
  }
  const k = await withRegistry('kubernetes');
  try {
    const r = await k.run(['reuse-ip', '--yes']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^deployment\.apps\/docker-registry created$/m);
    assert.equal((k.api.getObject(...SVC) as any).spec.clusterIP, k.ip);
  } finally {
    await k.api.close();
  }
});

test('what the new registry would not keep (a TLS secret volume added by hand) is named before anything is deleted', async () => {
  const { api, run } = await withRegistry();
  try {
    const dc = api.getObject(...DC) as any;
    dc.spec.template.spec.volumes.push({ name: 'registry-certificates', secret: { secretName: 'registry-certificates' } });
    dc.spec.template.spec.containers[0].env.push({ name: 'REGISTRY_HTTP_TLS_CERTIFICATE', value: '/etc/secrets/registry.crt' });
    api.putObject(dc);
    const r = await run(['reuse-ip', '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: the re-created registry differs from the live deploymentconfig\.apps\.openshift\.io\/docker-registry: volume registry-certificates \(secret registry-certificates\); env REGISTRY_HTTP_TLS_CERTIFICATE/);
  } finally {
    await api.close();
  }
});

test('with the service already gone, --cluster-ip names the address to restore; without it there is nothing to keep', async () => {
  const { api, run, ip } = await withRegistry();
  try {
    api.deleteObject(...SVC);
    const none = await run(['reuse-ip', '--yes']);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /error: service\/docker-registry does not exist in default, so there is no cluster IP to keep/);
    const r = await run(['reuse-ip', `--cluster-ip=${ip}`, '--yes']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((api.getObject(...SVC) as any).spec.clusterIP, ip);
  } finally {
    await api.close();
  }
});

test('on OpenShift 4 the operator owns the service: reuse-ip says so and changes nothing', async () => {
  const { api, run } = await withRegistry('openshift4');
  try {
    const r = await run(['reuse-ip', '--yes']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error: the cluster at .* is OpenShift 4: the Image Registry Operator owns the registry's service/);
    assert.deepEqual(writes(api), []);
  } finally {
    await api.close();
  }
});

test('on a terminal it asks first: "no" changes nothing (exit 1), "yes" re-creates the registry', async () => {
  const { api, home, ip } = await withRegistry();
  try {
    const args = ['--kubeconfig', api.kubeconfigPath, 'reuse-ip'];
    const no = await regctl(args, { env: { HOME: home }, tty: true, answers: [false] });
    assert.equal(no.code, 1);
    assert.deepEqual(no.asked, [`Delete deploymentconfig.apps.openshift.io/docker-registry and service/docker-registry in default and create them again with clusterIP ${ip}?`]);
    assert.match(no.stderr, /error: cancelled: nothing was changed/);
    assert.deepEqual(writes(api), []);
    const yes = await regctl(args, { env: { HOME: home }, tty: true, answers: [true] });
    assert.equal(yes.code, 0, yes.stderr);
    assert.match(yes.stderr, /service\/docker-registry kept its cluster IP/);
    assert.equal(writes(api).length, 4);
    assert.equal((api.getObject(...SVC) as any).spec.clusterIP, ip);
  } finally {
    await api.close();
  }
});

test('Ctrl-C at the question exits 130 and changes nothing', async () => {
  const { api, home } = await withRegistry();
  try {
    const r = await regctl(['--kubeconfig', api.kubeconfigPath, 'reuse-ip'], { env: { HOME: home }, tty: true, answers: ['interrupt'] });
    assert.equal(r.code, 130);
    assert.deepEqual(writes(api), []);
  } finally {
    await api.close();
  }
});
