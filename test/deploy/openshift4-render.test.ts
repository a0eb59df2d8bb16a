// The built `regctl deploy --platform openshift4 -o yaml|json` as a user runs it, without a
// cluster: the operator's Config as regctl sets it, the claim and the credentials secret, and
// the refusals (one line naming the flags, exit 2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { run as runInProcess } from '../support/world.js';

/** regctl in-process, as a user would type it (the spawned smoke test is test/deploy/smoke.test.ts). */
const regctl = (args: string[], opts: { env?: NodeJS.ProcessEnv } = {}) => runInProcess(args, { env: opts.env });

const OS4 = ['deploy', '--platform', 'openshift4'];

test('--platform openshift4 --pvc -o yaml prints the Config with Managed and an empty claim, nothing else on stdout', async () => {
  const r = await regctl([...OS4, '--pvc', '-o', 'yaml']);
  assert.equal(r.code, 0, r.stderr);
  const list = load(r.stdout) as any;
  assert.equal(list.kind, 'List');
  assert.deepEqual(list.items, [
    { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' }, spec: { managementState: 'Managed', storage: { pvc: { claim: '' } } } },
  ]);
});

test('--claim-size adds the claim before the Config; -o json prints the same List', async () => {
  const r = await regctl([...OS4, '--pvc=registry-storage', '--claim-size=200Gi', '--replicas=2', '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const list = JSON.parse(r.stdout);
  assert.deepEqual(list.items.map((i: any) => `${i.kind}/${i.metadata.name}`), ['PersistentVolumeClaim/registry-storage', 'Config/cluster']);
  assert.deepEqual(list.items[0].spec.accessModes, ['ReadWriteMany']);
});

test('credentials are redacted in -o yaml (with a warning on stderr) unless --show-credentials', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'regctl-os4-'));
  const file = join(dir, 's3.env');
  writeFileSync(file, 'REGISTRY_STORAGE_S3_ACCESSKEY=AKIAEXAMPLE\nREGISTRY_STORAGE_S3_SECRETKEY=wJalrXUtnFEMI\n');
  const r = await regctl([...OS4, '--s3=my-bucket', '--region=us-east-1', `--credentials-file=${file}`, '-o', 'yaml']);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout + r.stderr, /AKIAEXAMPLE|wJalrXUtnFEMI|QUtJQUVYQU1QTEU/);
  const secret = (load(r.stdout) as any).items[0];
  assert.deepEqual(secret.data, { REGISTRY_STORAGE_S3_ACCESSKEY: '<redacted>', REGISTRY_STORAGE_S3_SECRETKEY: '<redacted>' });
  assert.match(r.stderr, /redacted.*--show-credentials/);
  const shown = await regctl([...OS4, '--s3=my-bucket', `--credentials-file=${file}`, '--show-credentials', '-o', 'yaml']);
  const data = (load(shown.stdout) as any).items[0].data;
  assert.equal(Buffer.from(data.REGISTRY_STORAGE_S3_ACCESSKEY, 'base64').toString(), 'AKIAEXAMPLE');
});

test('refusals are one line naming the flags, exit 2', async () => {
  const cases: [string[], RegExp][] = [
    [['--pvc', '--s3=bucket'], /^error: --pvc and --s3 cannot be used together: the operator takes exactly one storage type$/m],
    [['--empty-dir', '--replicas=2'], /^error: --empty-dir cannot be used with --replicas=2/m],
    [['--block-storage', '--replicas=3'], /^error: --block-storage cannot be used with --replicas=3/m],
    [['--mount-host=/data'], /^error: --mount-host is an OpenShift 3\.x \/ Kubernetes flag/m],
    [['--credentials-file=/nonexistent/creds', '--s3=bucket'], /^error: --credentials-file: cannot read "\/nonexistent\/creds": no such file$/m],
  ];
  for (const [args, message] of cases) {
    const r = await regctl([...OS4, ...args, '-o', 'yaml']);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
});

test('-o yaml with an OpenShift 4 flag and no kubeconfig renders offline for OpenShift 3, which refuses the flag and says how to render for 4.x', async () => {
  const r = await regctl(['deploy', '--empty-dir', '-o', 'yaml']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, "error: --empty-dir configures the OpenShift 4 Image Registry Operator; it does not apply to openshift3\nhint: to render the operator's Config without a cluster, add --platform openshift4\n");
  assert.equal(r.stdout, '');
});

test('the 3.x defaults commander fills in are not taken as 3.x flags on 4.x', async () => {
  // --replicas defaults to "1" for oc adm registry; on 4.x only a given --replicas is set.
  const r = await regctl([...OS4, '--empty-dir', '-o', 'yaml']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((load(r.stdout) as any).items[0].spec, { managementState: 'Managed', storage: { emptyDir: {} } });
  assert.match(r.stderr, /warning: emptyDir storage: every image is lost/);
});
