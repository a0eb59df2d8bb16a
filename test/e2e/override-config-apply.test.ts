// `regctl override-config FILE` (in-process) against the in-repo test API server: the ConfigMap,
// the mount, REGISTRY_CONFIGURATION_PATH and the rollout; the backup kept for --rollback; a
// re-run that changes nothing; --set, --metrics, --show of the live config, -o yaml and
// --dry-run. The last test runs the built CLI (the spawned smoke test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { startApiServer, type TestApiServer } from '../apiserver/index.js';
import { regctl } from '../support/run.js';
import { run as inProcess } from '../support/world.js';
import { validateObject } from '../support/schema.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/registry-config/', import.meta.url));
const DC = ['apps.openshift.io/v1', 'DeploymentConfig', 'docker-registry', 'default'] as const;
const CM = ['v1', 'ConfigMap', 'registry-config', 'default'] as const;
const PREV = ['v1', 'ConfigMap', 'registry-config-previous', 'default'] as const;
const SECRET = ['v1', 'Secret', 'registry-config', 'default'] as const;
const PREV_SECRET = ['v1', 'Secret', 'registry-config-previous', 'default'] as const;
const KEY_SECRET = ['v1', 'Secret', 'registry-cloudfront-key', 'default'] as const;
const unbase64 = (o: any, key: string) => Buffer.from(o.data[key], 'base64').toString('utf8');
const writes = (api: TestApiServer) => api.requests.filter((r) => r.method !== 'GET');

async function cluster(profile: 'openshift3' | 'kubernetes' | 'openshift4' = 'openshift3', deployArgs: string[] = []) {
  const api = await startApiServer({ profile });
  const home = mkdtempSync(join(tmpdir(), 'regctl-home-'));
  const run = (args: string[], env: Record<string, string> = {}) => inProcess(['--kubeconfig', api.kubeconfigPath, ...args], { env: { HOME: home, REGCTL_POLL_INTERVAL_MS: '20', ...env } });
  if (profile !== 'openshift4') {
    const d = await run(['deploy', ...deployArgs]);
    assert.equal(d.code, 0, d.stderr);
  }
  api.clearRequests();
  return { api, run, home, dir: mkdtempSync(join(tmpdir(), 'regctl-oc-')) };
}

const container = (w: any) => w.spec.template.spec.containers.find((c: any) => c.name === 'registry');
const envOf = (w: any) => Object.fromEntries((container(w).env ?? []).map((e: any) => [e.name, e.value]));

test('override-config FILE creates ConfigMap registry-config, mounts it at /etc/docker/registry/, sets REGISTRY_CONFIGURATION_PATH and rolls out', async () => {
  const t = await cluster();
  try {
    const file = join(FIXTURES, 'default.yml');
    const r = await t.run(['override-config', file]);
    assert.equal(r.code, 0, r.stderr);
    const cm = t.api.getObject(...CM) as any;
    assert.equal(cm.data['config.yml'], readFileSync(file, 'utf8'));
    assert.deepEqual(cm.metadata.labels, { 'docker-registry': 'default' });
    const dc = t.api.getObject(...DC) as any;
    assert.deepEqual(container(dc).volumeMounts.find((m: any) => m.name === 'registry-config'), { name: 'registry-config', mountPath: '/etc/docker/registry/' });
    // defaultMode is the API server's default, as on a real cluster.
    assert.deepEqual(dc.spec.template.spec.volumes.find((v: any) => v.name === 'registry-config'), { name: 'registry-config', configMap: { name: 'registry-config', defaultMode: 420 } });
    assert.equal(envOf(dc).REGISTRY_CONFIGURATION_PATH, '/etc/docker/registry/config.yml');
    assert.match(dc.spec.template.metadata.annotations['regctl.io/registry-config-sha256'], /^[0-9a-f]{64}$/);
    // The storage volume and the rest of the pod are kept.
    assert.ok(dc.spec.template.spec.volumes.some((v: any) => v.name === 'registry-storage'));
    // The DeploymentConfig's ConfigChange trigger rolls it out: no instantiate call needed.
    assert.ok(!writes(t.api).some((q) => q.path.endsWith('/instantiate')));
    // Before anything else, what was in effect (the image's built-in config) is noted for --rollback.
    const prev = t.api.getObject(...PREV) as any;
    assert.equal(prev.metadata.annotations['regctl.io/previous-source'], 'none');
    assert.deepEqual(writes(t.api).map((q) => `${q.method} ${q.path}`), [
      'POST /api/v1/namespaces/default/configmaps',
      'POST /api/v1/namespaces/default/configmaps',
      'PUT /apis/apps.openshift.io/v1/namespaces/default/deploymentconfigs/docker-registry',
    ]);
    assert.match(r.stderr, /deployed as configmap\/registry-config/);
  } finally {
    await t.api.close();
  }
});

test('the same file again changes nothing (no write request), and says so', async () => {
  const t = await cluster();
  try {
    const file = join(FIXTURES, 'reference.yml');
    assert.equal((await t.run(['override-config', file])).code, 0);
    t.api.clearRequests();
    const r = await t.run(['override-config', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /nothing to change: the registry already runs this configuration/);
    assert.deepEqual(writes(t.api), []);
  } finally {
    await t.api.close();
  }
});

test('a changed file replaces the ConfigMap, keeps the old content in registry-config-previous and in a local backup, and changes the pod template hash', async () => {
  const t = await cluster();
  try {
    const a = join(FIXTURES, 'default.yml');
    const b = join(t.dir, 'info.yml');
    writeFileSync(b, readFileSync(a, 'utf8').replace('level: debug', 'level: info'));
    assert.equal((await t.run(['override-config', a])).code, 0);
    const hashA = (t.api.getObject(...DC) as any).spec.template.metadata.annotations['regctl.io/registry-config-sha256'];
    const r = await t.run(['override-config', b]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((t.api.getObject(...CM) as any).data['config.yml'], readFileSync(b, 'utf8'));
    const prev = t.api.getObject(...PREV) as any;
    assert.equal(prev.data['config.yml'], readFileSync(a, 'utf8'));
    assert.equal(prev.metadata.annotations['regctl.io/previous-source'], 'configmap/registry-config');
    assert.notEqual((t.api.getObject(...DC) as any).spec.template.metadata.annotations['regctl.io/registry-config-sha256'], hashA);
    const runs = readdirSync(join(t.home, '.regctl', 'backups')).filter((d) => /-override-config(-\d+)?$/.test(d));
    const saved = runs.flatMap((d) => readdirSync(join(t.home, '.regctl', 'backups', d)).map((f) => readFileSync(join(t.home, '.regctl', 'backups', d, f), 'utf8')));
    assert.ok(saved.some((s) => s.includes('name: registry-config\n') && s.includes('level: debug')), 'the replaced ConfigMap is backed up locally');
  } finally {
    await t.api.close();
  }
});

test('a config with credentials goes to Secret registry-config, never a ConfigMap; --configmap refuses it before any write', async () => {
  const t = await cluster();
  try {
    const file = join(FIXTURES, 's3.yml');
    const refused = await t.run(['override-config', file, '--configmap']);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /--configmap: .*s3\.yml holds credentials \(storage\.s3\.accesskey, storage\.s3\.secretkey\)/);
    assert.deepEqual(writes(t.api), []);
    const r = await t.run(['override-config', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /deployed as secret\/registry-config \(it holds credentials\)/);
    const secret = t.api.getObject(...SECRET) as any;
    assert.equal(secret.type, 'Opaque');
    assert.equal(unbase64(secret, 'config.yml'), readFileSync(file, 'utf8'));
    assert.equal(t.api.getObject(...CM), undefined);
    // No ConfigMap anywhere holds the keys.
    for (const q of writes(t.api)) if (q.path.includes('/configmaps')) assert.doesNotMatch(JSON.stringify(q.body ?? ''), /awssecretkey/);
    const dc = t.api.getObject(...DC) as any;
    assert.equal(dc.spec.template.spec.volumes.find((v: any) => v.name === 'registry-config').secret.secretName, 'registry-config');
    assert.deepEqual(container(dc).volumeMounts.find((m: any) => m.name === 'registry-config'), { name: 'registry-config', mountPath: '/etc/docker/registry/' });
    // A credential-free config afterwards stays in the Secret; --configmap moves it back.
    const plain = join(FIXTURES, 'default.yml');
    assert.equal((await t.run(['override-config', plain])).code, 0);
    assert.equal(unbase64(t.api.getObject(...SECRET), 'config.yml'), readFileSync(plain, 'utf8'));
    // The replaced config held the keys: its backup is a Secret too.
    assert.equal(unbase64(t.api.getObject(...PREV_SECRET), 'config.yml'), readFileSync(file, 'utf8'));
    assert.equal(t.api.getObject(...PREV), undefined);
    const back = await t.run(['override-config', plain, '--configmap']);
    assert.equal(back.code, 0, back.stderr);
    assert.equal((t.api.getObject(...CM) as any).data['config.yml'], readFileSync(plain, 'utf8'));
    assert.equal(t.api.getObject(...SECRET), undefined);
  } finally {
    await t.api.close();
  }
});

test('a ConfigMap config migrates to the Secret in one run with a backup, and a failure halfway rolls the whole migration back', async () => {
  const t = await cluster();
  try {
    const plain = join(FIXTURES, 'default.yml');
    const withSecret = join(FIXTURES, 'reference.yml'); // openshift.metrics.secret
    assert.equal((await t.run(['override-config', plain])).code, 0);
    const dcBefore = t.api.getObject(...DC) as any;
    t.api.clearRequests();
    t.api.inject({ method: 'PUT', path: /\/deploymentconfigs\/docker-registry$/, status: 500 });
    const failed = await t.run(['override-config', withSecret]);
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(failed.stderr, /undid the 2 change\(s\) this run had made/);
    assert.match(failed.stderr, /the cluster and the files are as they were before this run/);
    // As before: the ConfigMap with the old config, no Secret, the workload untouched.
    assert.equal((t.api.getObject(...CM) as any).data['config.yml'], readFileSync(plain, 'utf8'));
    assert.equal(t.api.getObject(...SECRET), undefined);
    assert.deepEqual((t.api.getObject(...DC) as any).spec.template, dcBefore.spec.template);
    assert.equal((t.api.getObject(...PREV) as any).metadata.annotations['regctl.io/previous-source'], 'none');

    const r = await t.run(['override-config', withSecret]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(unbase64(t.api.getObject(...SECRET), 'config.yml'), readFileSync(withSecret, 'utf8'));
    assert.equal(t.api.getObject(...CM), undefined, 'the ConfigMap is gone once nothing mounts it');
    const prev = t.api.getObject(...PREV) as any;
    assert.equal(prev.data['config.yml'], readFileSync(plain, 'utf8'));
    assert.equal(prev.metadata.annotations['regctl.io/previous-source'], 'configmap/registry-config');
    const dc = t.api.getObject(...DC) as any;
    assert.deepEqual(dc.spec.template.spec.volumes.filter((v: any) => v.name === 'registry-config').map((v: any) => v.secret?.secretName), ['registry-config']);
  } finally {
    await t.api.close();
  }
});

test('--rollback restores the previous config in the store it came from, and a second --rollback undoes the first', async () => {
  const t = await cluster();
  try {
    const a = join(FIXTURES, 'default.yml');
    const b = join(FIXTURES, 's3-cloudfront.yml');
    assert.equal((await t.run(['override-config', a])).code, 0);
    assert.equal((await t.run(['override-config', b])).code, 0);
    assert.equal(t.api.getObject(...CM), undefined);
    const r = await t.run(['override-config', '--rollback']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((t.api.getObject(...CM) as any).data['config.yml'], readFileSync(a, 'utf8'));
    assert.equal(t.api.getObject(...SECRET), undefined);
    // What was in effect held S3 keys: saved in a Secret, and no ConfigMap backup is left.
    assert.equal(unbase64(t.api.getObject(...PREV_SECRET), 'config.yml'), readFileSync(b, 'utf8'));
    assert.equal(t.api.getObject(...PREV), undefined);
    assert.match(r.stderr, /restored the previous registry configuration/);
    const again = await t.run(['override-config', '--rollback']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(unbase64(t.api.getObject(...SECRET), 'config.yml'), readFileSync(b, 'utf8'));
    assert.equal(t.api.getObject(...CM), undefined);
    assert.equal((t.api.getObject(...PREV) as any).data['config.yml'], readFileSync(a, 'utf8'));
  } finally {
    await t.api.close();
  }
});

test('--cloudfront-key stores the key in a Secret and mounts it at the privatekey path; without it the deploy warns that nothing mounts the key', async () => {
  const t = await cluster();
  try {
    const file = join(FIXTURES, 's3-cloudfront.yml');
    const pem = join(t.dir, 'pk.pem');
    const key = execFileSync('openssl', ['genrsa', '2048'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    writeFileSync(pem, key);
    const bare = await t.run(['override-config', file, '--dry-run']);
    assert.equal(bare.code, 0, bare.stderr);
    assert.match(bare.stderr, /the registry reads \/etc\/docker\/cloudfront-ABCEDFGHIJKLMNOPQRST\.pem, but no volume of the registry container mounts it/);
    const r = await t.run(['override-config', file, '--cloudfront-key', pem]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /mounts it/);
    assert.equal(unbase64(t.api.getObject(...KEY_SECRET), 'cloudfront.pem'), key);
    const dc = t.api.getObject(...DC) as any;
    assert.deepEqual(container(dc).volumeMounts.find((m: any) => m.name === 'registry-cloudfront-key'), { name: 'registry-cloudfront-key', mountPath: '/etc/docker/cloudfront-ABCEDFGHIJKLMNOPQRST.pem', subPath: 'cloudfront.pem', readOnly: true });
    assert.equal(dc.spec.template.spec.volumes.find((v: any) => v.name === 'registry-cloudfront-key').secret.secretName, 'registry-cloudfront-key');
    // The same again changes nothing; a file that is not a key is refused before any request.
    t.api.clearRequests();
    const same = await t.run(['override-config', file, '--cloudfront-key', pem]);
    assert.equal(same.code, 0, same.stderr);
    assert.deepEqual(writes(t.api), []);
    const notKey = await t.run(['override-config', file, '--cloudfront-key', file]);
    assert.equal(notKey.code, 2);
    assert.match(notKey.stderr, /--cloudfront-key: .* is not a PEM private key/);
  } finally {
    await t.api.close();
  }
});

test('--rollback of the first override puts the registry back on its built-in config: no mount, no REGISTRY_CONFIGURATION_PATH', async () => {
  const t = await cluster();
  try {
    const before = t.api.getObject(...DC) as any;
    assert.equal((await t.run(['override-config', join(FIXTURES, 'default.yml')])).code, 0);
    const r = await t.run(['override-config', '--rollback']);
    assert.equal(r.code, 0, r.stderr);
    const dc = t.api.getObject(...DC) as any;
    assert.deepEqual(dc.spec.template, before.spec.template);
    assert.equal(t.api.getObject(...CM), undefined);
    assert.equal((t.api.getObject(...PREV) as any).data['config.yml'], readFileSync(join(FIXTURES, 'default.yml'), 'utf8'));
  } finally {
    await t.api.close();
  }
});

test('--rollback with no backup is an error that says where the backup comes from', async () => {
  const t = await cluster();
  try {
    const r = await t.run(['override-config', '--rollback']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error: nothing to roll back: there is no registry-config-previous \(configmap or secret\) in default/);
    assert.deepEqual(writes(t.api), []);
  } finally {
    await t.api.close();
  }
});

test('the older registry-config secret mounted at /etc/docker/registry/ (seed 003, any volume name) stays a Secret with the new config, and its config is kept for --rollback', async () => {
  const t = await cluster();
  try {
    const old = 'version: 0.1\nlog:\n  level: info\n';
    t.api.putObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'registry-config', namespace: 'default' }, data: { 'config.yml': Buffer.from(old).toString('base64') } } as any);
    const dc = t.api.getObject(...DC) as any;
    container(dc).volumeMounts.push({ name: 'volume-x1y2z', mountPath: '/etc/docker/registry/' });
    dc.spec.template.spec.volumes.push({ name: 'volume-x1y2z', secret: { secretName: 'registry-config' } });
    t.api.putObject(dc);
    const r = await t.run(['override-config', join(FIXTURES, 'default.yml')]);
    assert.equal(r.code, 0, r.stderr);
    const after = t.api.getObject(...DC) as any;
    assert.deepEqual(container(after).volumeMounts.filter((m: any) => m.mountPath.startsWith('/etc/docker/registry')), [{ name: 'registry-config', mountPath: '/etc/docker/registry/' }]);
    assert.ok(!after.spec.template.spec.volumes.some((v: any) => v.name === 'volume-x1y2z'));
    const prev = t.api.getObject(...PREV) as any;
    assert.equal(prev.data['config.yml'], old);
    assert.equal(prev.metadata.annotations['regctl.io/previous-source'], 'secret/registry-config');
    // A Secret stays a Secret (the documents' way): it now holds the new config, mounted as volume registry-config.
    assert.equal(unbase64(t.api.getObject(...SECRET), 'config.yml'), readFileSync(join(FIXTURES, 'default.yml'), 'utf8'));
    assert.equal(after.spec.template.spec.volumes.find((v: any) => v.name === 'registry-config').secret.secretName, 'registry-config');
    assert.equal(t.api.getObject(...CM), undefined);
  } finally {
    await t.api.close();
  }
});

test('a file with errors is refused before any write, naming file, line and fix; --force deploys it anyway', async () => {
  const t = await cluster();
  try {
    const file = join(FIXTURES, 'delete-false.yml');
    const r = await t.run(['override-config', file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /delete-false\.yml:14: error: storage\.delete\.enabled/);
    assert.match(r.stderr, /error: .*delete-false\.yml: 1 error \(above\); fix it, or deploy anyway with --force/);
    assert.deepEqual(writes(t.api), []);
    const forced = await t.run(['override-config', file, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.notEqual(t.api.getObject(...CM), undefined);
  } finally {
    await t.api.close();
  }
});

test('a file with S3 storage is refused when the workload\'s environment adds the filesystem driver (the registry would panic)', async () => {
  const t = await cluster('openshift3', ['--volume=/data']);
  try {
    const r = await t.run(['override-config', join(FIXTURES, 's3-cloudfront.yml')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /env\.REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY: .*multiple storage drivers/);
    assert.deepEqual(writes(t.api), []);
  } finally {
    await t.api.close();
  }
});

test('-o yaml prints every object the run creates or changes, registry-config-previous included, as it will be, and changes nothing', async () => {
  const t = await cluster();
  try {
    const file = join(FIXTURES, 'default.yml');
    const r = await t.run(['override-config', file, '-o', 'yaml']);
    assert.equal(r.code, 0, r.stderr);
    const list = load(r.stdout) as any;
    assert.equal(list.kind, 'List');
    assert.deepEqual(list.items.map((i: any) => `${i.kind}/${i.metadata.name}`), ['ConfigMap/registry-config-previous', 'ConfigMap/registry-config', 'DeploymentConfig/docker-registry']);
    assert.equal(list.items[0].metadata.annotations['regctl.io/previous-source'], 'none');
    assert.equal(list.items[1].data['config.yml'], readFileSync(file, 'utf8'));
    assert.equal(envOf(list.items[2]).REGISTRY_CONFIGURATION_PATH, '/etc/docker/registry/config.yml');
    assert.equal(list.items[2].metadata.resourceVersion, undefined);
    assert.equal(list.items[2].status, undefined);
    for (const item of list.items) await validateObject(item);
    assert.deepEqual(writes(t.api), []);
  } finally {
    await t.api.close();
  }
});

test('on an apps/v1 Deployment a content-only change rolls out too: the config\'s sha256 on the pod template changes', async () => {
  const t = await cluster('openshift3', ['--deployment']);
  try {
    const DEP = ['apps/v1', 'Deployment', 'docker-registry', 'default'] as const;
    assert.equal((await t.run(['override-config', join(FIXTURES, 'default.yml')])).code, 0);
    const first = t.api.getObject(...DEP) as any;
    const a = first.spec.template.metadata.annotations['regctl.io/registry-config-sha256'];
    assert.equal(envOf(first).REGISTRY_CONFIGURATION_PATH, '/etc/docker/registry/config.yml');
    const r = await t.run(['override-config', join(FIXTURES, 'reference.yml'), '-o', 'yaml']);
    const planned = (load(r.stdout) as any).items.find((i: any) => i.kind === 'Deployment');
    for (const item of (load(r.stdout) as any).items) await validateObject(item);
    assert.equal((await t.run(['override-config', join(FIXTURES, 'reference.yml')])).code, 0);
    const second = t.api.getObject(...DEP) as any;
    const b = second.spec.template.metadata.annotations['regctl.io/registry-config-sha256'];
    assert.notEqual(a, b);
    assert.equal(planned.spec.template.metadata.annotations['regctl.io/registry-config-sha256'], b);
    assert.ok(second.metadata.generation > first.metadata.generation, 'a new generation: the Deployment controller rolls it');
    assert.ok(!writes(t.api).some((q) => q.path.endsWith('/instantiate')));
  } finally {
    await t.api.close();
  }
});

test('--dry-run=server sends every change with dryRun=All and stores none', async () => {
  const t = await cluster();
  try {
    const r = await t.run(['override-config', join(FIXTURES, 'default.yml'), '--dry-run=server']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, ['configmap/registry-config-previous created (server dry run)', 'configmap/registry-config created (server dry run)', 'deploymentconfig.apps.openshift.io/docker-registry configured (server dry run)', ''].join('\n'));
    assert.equal(writes(t.api).length, 3);
    assert.ok(writes(t.api).every((q) => q.query.dryRun === 'All'));
    assert.equal(t.api.getObject(...CM), undefined);
    assert.equal(envOf(t.api.getObject(...DC)).REGISTRY_CONFIGURATION_PATH, undefined);
  } finally {
    await t.api.close();
  }
});

test('--dry-run lists the steps and changes nothing', async () => {
  const t = await cluster();
  try {
    const r = await t.run(['override-config', join(FIXTURES, 'default.yml'), '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^1\. save the note that the image's built-in config is in effect to configmap\/registry-config-previous/m);
    assert.match(r.stdout, /^2\. create configmap\/registry-config with config\.yml/m);
    assert.match(r.stdout, /^3\. update deploymentconfig\/docker-registry: mount configmap\/registry-config at \/etc\/docker\/registry\/, set REGISTRY_CONFIGURATION_PATH/m);
    assert.match(r.stdout, /^ +\+ +- name: REGISTRY_CONFIGURATION_PATH$/m, 'the diff of the DeploymentConfig');
    assert.deepEqual(writes(t.api), []);
  } finally {
    await t.api.close();
  }
});

test('--set pullthrough=false sets the documented variable on the registry container; the same --set again changes nothing', async () => {
  const t = await cluster();
  try {
    const r = await t.run(['override-config', '--set', 'pullthrough=false', '--set', 'requests.read.maxrunning=10']);
    assert.equal(r.code, 0, r.stderr);
    const env = envOf(t.api.getObject(...DC));
    assert.equal(env.REGISTRY_MIDDLEWARE_REPOSITORY_OPENSHIFT_PULLTHROUGH, 'false');
    assert.equal(env.REGISTRY_OPENSHIFT_REQUESTS_READ_MAXRUNNING, '10');
    assert.match(r.stderr, /pullthrough can't be disabled anymore/);
    t.api.clearRequests();
    const again = await t.run(['override-config', '--set', 'pullthrough=false', '--set', 'requests.read.maxrunning=10']);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(writes(t.api), []);
  } finally {
    await t.api.close();
  }
});

test('--metrics enables metrics with a generated secret and prints the curl line; a re-run keeps the secret', async () => {
  const t = await cluster();
  try {
    const r = await t.run(['override-config', '--metrics']);
    assert.equal(r.code, 0, r.stderr);
    const env = envOf(t.api.getObject(...DC));
    assert.equal(env.REGISTRY_OPENSHIFT_METRICS_ENABLED, 'true');
    assert.match(env.REGISTRY_OPENSHIFT_METRICS_SECRET, /^[0-9a-f]{64}$/);
    assert.match(r.stderr, /curl --insecure -s -u metrics:\$\(oc get dc\/docker-registry -n default -o jsonpath=.*REGISTRY_OPENSHIFT_METRICS_SECRET.*\) https:\/\/docker-registry\.default\.svc:5000\/extensions\/v2\/metrics/);
    assert.ok(!r.stderr.includes(env.REGISTRY_OPENSHIFT_METRICS_SECRET), 'the secret is not printed');
    t.api.clearRequests();
    assert.equal((await t.run(['override-config', '--metrics'])).code, 0);
    assert.deepEqual(writes(t.api), []);
  } finally {
    await t.api.close();
  }
});

test('--show without FILE prints the mounted config with the container\'s environment applied and marked', async () => {
  const t = await cluster();
  try {
    assert.equal((await t.run(['override-config', join(FIXTURES, 'default.yml')])).code, 0);
    t.api.clearRequests();
    const r = await t.run(['override-config', '--show']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^# configmap\/registry-config \(mounted at \/etc\/docker\/registry\/\)/);
    // deploy sets these on the container.
    assert.match(r.stdout, /\n {8}enforcequota: false {4}# ← REGISTRY_MIDDLEWARE_REPOSITORY_OPENSHIFT_ENFORCEQUOTA\n/);
    assert.match(r.stdout, /\n {2}secret: \S+ {4}# ← REGISTRY_HTTP_SECRET\n/);
    assert.deepEqual(writes(t.api), []);
  } finally {
    await t.api.close();
  }
});

test('--show with nothing mounted starts from the image\'s built-in config', async () => {
  const t = await cluster();
  try {
    const r = await t.run(['override-config', '--show', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const data = JSON.parse(r.stdout);
    assert.match(data.source, /built-in/);
    assert.equal(data.config.openshift.pullthrough.enabled, true);
  } finally {
    await t.api.close();
  }
});

test('a DeploymentConfig without a ConfigChange trigger is rolled out with deploymentconfigs/instantiate', async () => {
  const t = await cluster();
  try {
    const dc = t.api.getObject(...DC) as any;
    dc.spec.triggers = [];
    t.api.putObject(dc);
    const r = await t.run(['override-config', join(FIXTURES, 'default.yml')]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(writes(t.api).some((q) => q.method === 'POST' && q.path.endsWith('/deploymentconfigs/docker-registry/instantiate')));
    assert.equal((t.api.getObject(...DC) as any).status.latestVersion, 1);
  } finally {
    await t.api.close();
  }
});

test('--wait follows the rollout until the new pods are available', async () => {
  const t = await cluster();
  try {
    const timer = setInterval(() => {
      const dc = t.api.getObject(...DC) as any;
      if (dc && dc.spec.template.metadata?.annotations?.['regctl.io/registry-config-sha256'] && !dc.status?.availableReplicas) {
        t.api.putObject({ ...dc, status: { latestVersion: 2, observedGeneration: dc.metadata.generation, replicas: 1, updatedReplicas: 1, availableReplicas: 1, unavailableReplicas: 0 } });
      }
    }, 20);
    try {
      const r = await t.run(['override-config', join(FIXTURES, 'default.yml'), '--wait', '--timeout=30']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /deploymentconfig "docker-registry" rolled out/);
    } finally {
      clearInterval(timer);
    }
  } finally {
    await t.api.close();
  }
});

test('on OpenShift 4 and on plain Kubernetes it refuses, saying why', async () => {
  const four = await cluster('openshift4');
  try {
    const r = await four.run(['override-config', join(FIXTURES, 'default.yml')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /OpenShift 4: the Image Registry Operator owns the registry's configuration/);
  } finally {
    await four.api.close();
  }
  const k8s = await cluster('kubernetes');
  try {
    const r = await k8s.run(['override-config', join(FIXTURES, 'default.yml')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /plain Kubernetes/);
    assert.deepEqual(writes(k8s.api), []);
  } finally {
    await k8s.api.close();
  }
});

test('a failure while updating the DeploymentConfig undoes the ConfigMaps already written', async () => {
  const t = await cluster();
  try {
    t.api.inject({ method: 'PUT', path: /deploymentconfigs\/docker-registry$/, status: 500, reason: 'InternalError', message: 'etcdserver: request timed out' });
    const r = await t.run(['override-config', join(FIXTURES, 'default.yml')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error: InternalError: etcdserver: request timed out/);
    assert.equal(t.api.getObject(...CM), undefined);
    assert.equal(t.api.getObject(...PREV), undefined);
    assert.equal(envOf(t.api.getObject(...DC)).REGISTRY_CONFIGURATION_PATH, undefined);
  } finally {
    await t.api.close();
  }
});

test('a config file that is not YAML is refused before connecting (spawned)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'regctl-oc-'));
  writeFileSync(join(dir, 'c.yml'), 'a: [1\n');
  const r = await regctl(['override-config', join(dir, 'c.yml')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /c\.yml:\d+: not valid YAML/);
});
