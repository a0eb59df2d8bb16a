// deploy on OpenShift 4 (issue 16): the operator's Config fields beyond storage, each set,
// cleared and kept, against the test API server; --log-level writes the field the cluster's
// release reads.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type TestApiServer } from '../apiserver/index.js';
import { openshift4Seeds } from '../apiserver/seeds.js';
import { run, tempHome } from '../support/world.js';
import { parseToleration } from '../../src/commands/deploy/openshift4-fields.js';

let api: TestApiServer;
before(async () => (api = await startApiServer({ profile: 'openshift4' })));
after(() => api.close());
beforeEach(() => {
  for (const o of openshift4Seeds()) if (['Config', 'ClusterVersion'].includes(o.kind)) api.putObject(o);
  // A running registry: Managed on a claim.
  const c = api.getObject('imageregistry.operator.openshift.io/v1', 'Config', 'cluster') as any;
  api.putObject({ ...c, spec: { ...c.spec, managementState: 'Managed', storage: { pvc: { claim: '' } } } });
});

const spec = () => (api.getObject('imageregistry.operator.openshift.io/v1', 'Config', 'cluster') as any).spec;
const deploy = async (...args: string[]) => {
  const r = await run(['--kubeconfig', api.kubeconfigPath, 'deploy', ...args, '--yes'], { env: { HOME: tempHome() } });
  assert.equal(r.code, 0, r.stderr);
  return r;
};

for (const [name, set, check, clear, cleared] of [
  ['proxy', ['--proxy-http=http://proxy.example.com:3128', '--proxy-https=http://proxy.example.com:3128', '--no-proxy=.cluster.local,.svc'], (s: any) => assert.deepEqual(s.proxy, { http: 'http://proxy.example.com:3128', https: 'http://proxy.example.com:3128', noProxy: '.cluster.local,.svc' }), ['--proxy-http=', '--proxy-https=', '--no-proxy='], (s: any) => assert.deepEqual(s.proxy ?? {}, {})],
  ['readOnly', ['--read-only'], (s: any) => assert.equal(s.readOnly, true), ['--read-only=false'], (s: any) => assert.equal(s.readOnly ?? false, false)],
  ['disableRedirect', ['--disable-redirect'], (s: any) => assert.equal(s.disableRedirect, true), ['--disable-redirect=false'], (s: any) => assert.equal(s.disableRedirect ?? false, false)],
  ['requests', ['--max-running-reads=10', '--max-queued-reads=100', '--max-wait-reads=30s', '--max-running-writes=2', '--max-wait-writes=1m'], (s: any) => assert.deepEqual(s.requests, { read: { maxRunning: 10, maxInQueue: 100, maxWaitInQueue: '30s' }, write: { maxRunning: 2, maxWaitInQueue: '1m' } }), ['--max-running-reads=', '--max-queued-reads=', '--max-wait-reads=', '--max-running-writes=', '--max-wait-writes='], (s: any) => assert.deepEqual(s.requests ?? {}, { read: {}, write: {} })],
  ['tolerations', ['--toleration', 'node-role.kubernetes.io/infra:NoSchedule', '--toleration', 'dedicated=registry:NoExecute'], (s: any) => assert.deepEqual(s.tolerations, [{ key: 'node-role.kubernetes.io/infra', operator: 'Exists', effect: 'NoSchedule' }, { key: 'dedicated', operator: 'Equal', value: 'registry', effect: 'NoExecute' }]), ['--toleration='], (s: any) => assert.equal(s.tolerations, undefined)],
] as [string, string[], (s: any) => void, string[], (s: any) => void][]) {
  test(`${name}: set, kept by a run that does not name it, cleared; the other fields stay`, async () => {
    const before = spec();
    await deploy(...set);
    const afterSet = spec();
    check(afterSet);
    for (const k of Object.keys(before)) if (k !== name) assert.deepEqual(afterSet[k], before[k], `${k} changed`);
    // Another flag: this field is kept.
    await deploy('--log-level=Debug');
    check(spec());
    await deploy(...clear);
    cleared(spec());
    assert.equal(spec().logLevel, 'Debug');
  });
}

test('--rotate-http-secret writes a new 64-byte secret and warns; -o shows it as it will be without writing', async () => {
  const old = spec().httpSecret;
  const preview = await run(['--kubeconfig', api.kubeconfigPath, 'deploy', '--rotate-http-secret', '-o', 'json'], { env: { HOME: tempHome() } });
  assert.equal(preview.code, 0, preview.stderr);
  const shown = JSON.parse(preview.stdout).items[0].spec.httpSecret;
  assert.equal(spec().httpSecret, old, '-o wrote nothing');
  const r = await deploy('--rotate-http-secret');
  assert.match(r.stderr, /warning: a new httpSecret: uploads in progress fail/);
  assert.match(spec().httpSecret, /^[0-9a-f]{128}$/);
  assert.equal(spec().httpSecret, shown, 'the same world randomness: -o showed what was written');
  assert.notEqual(spec().httpSecret, old);
});

test('--affinity-file replaces the affinity as a whole; an empty file clears it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'regctl-affinity-'));
  const a = join(dir, 'a.yaml');
  writeFileSync(a, 'podAntiAffinity:\n  preferredDuringSchedulingIgnoredDuringExecution:\n  - weight: 100\n    podAffinityTerm:\n      topologyKey: kubernetes.io/hostname\n      namespaces: [openshift-image-registry]\n');
  await deploy(`--affinity-file=${a}`);
  assert.equal(spec().affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight, 100);
  const b = join(dir, 'b.json');
  writeFileSync(b, JSON.stringify({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'infra', operator: 'Exists' }] }] } } }));
  await deploy(`--affinity-file=${b}`);
  assert.deepEqual(Object.keys(spec().affinity), ['nodeAffinity'], 'the anti-affinity of the first file is gone');
  const empty = join(dir, 'empty.yaml');
  writeFileSync(empty, '');
  await deploy(`--affinity-file=${empty}`);
  assert.equal(spec().affinity, undefined);
  writeFileSync(join(dir, 'bad.yaml'), 'tolerations: []\n');
  const bad = await run(['--kubeconfig', api.kubeconfigPath, 'deploy', `--affinity-file=${join(dir, 'bad.yaml')}`], { env: { HOME: tempHome() } });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^error: --affinity-file: ".*bad\.yaml": "tolerations" is not a field of an Affinity/m);
});

test('--log-level on 4.4 writes spec.logging (the integer that release reads) and says so; on 4.18 spec.logLevel', async () => {
  let r = await deploy('--log-level=Debug');
  assert.equal(spec().logLevel, 'Debug');
  assert.equal(spec().logging, undefined);
  const cv = api.getObject('config.openshift.io/v1', 'ClusterVersion', 'version') as any;
  api.putObject({ ...cv, status: { ...cv.status, desired: { ...cv.status.desired, version: '4.4.17' } } });
  r = await deploy('--log-level=Trace');
  assert.match(r.stderr, /warning: OpenShift 4\.4\.17 reads spec\.logging, not spec\.logLevel: --log-level Trace is written as logging: 6/);
  assert.equal(spec().logging, 6);
});

test('the operator flags are refused where there is no operator, and with --remove; bad values name the flag', async () => {
  const offline = await run(['deploy', '--read-only', '-o', 'yaml']);
  assert.equal(offline.code, 2);
  assert.match(offline.stderr, /^error: --read-only configures the OpenShift 4 Image Registry Operator; it does not apply to openshift3$/m);
  for (const [args, message] of [
    [['--remove', '--read-only'], /^error: --read-only cannot be used with --remove: it sets only the management state$/m],
    [['--max-running-reads=ten'], /^error: --max-running-reads: "ten" is not a whole number/m],
    [['--max-wait-writes=5x'], /^error: --max-wait-writes: time: unknown unit "x" in duration "5x"/m],
    [['--proxy-http=proxy:3128'], /^error: --proxy-http: "proxy:3128" must be an http:\/\/ or https:\/\/ URL$/m],
    [['--read-only=maybe'], /^error: --read-only: "maybe" is not true or false$/m],
  ] as [string[], RegExp][]) {
    const r = await run(['deploy', '--platform=openshift4', ...args, '-o', 'yaml']);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
  assert.throws(() => parseToleration('key=value'), /--toleration: "key=value" is not KEY\[=VALUE\]:EFFECT/);
});

test('--cloudfront-* put S3 behind CloudFront (the private key a key of a secret in openshift-config); the three go together, with --s3 only', async () => {
  const cf = ['--cloudfront-base-url=https://d111111abcdef8.cloudfront.net', '--cloudfront-keypair-id=K2JCJMDEHXQW5F', '--cloudfront-private-key=cloudfront-key:private.pem', '--cloudfront-duration=20m'];
  const r = await deploy('--s3=registry-bucket', '--region=us-east-1', ...cf);
  assert.deepEqual(spec().storage, {
    s3: { bucket: 'registry-bucket', region: 'us-east-1', cloudFront: { baseURL: 'https://d111111abcdef8.cloudfront.net', privateKey: { name: 'cloudfront-key', key: 'private.pem' }, keypairID: 'K2JCJMDEHXQW5F', duration: '20m' } },
  });
  assert.match(r.stdout, /configured/);
  for (const [args, message] of [
    [['--s3=bucket', cf[0]!], /^error: --cloudfront-base-url needs --cloudfront-keypair-id and --cloudfront-private-key too/m],
    [['--pvc', ...cf], /^error: --cloudfront-base-url applies only with --s3$/m],
    [['--s3=bucket', cf[0]!, cf[1]!, '--cloudfront-private-key=nokey'], /^error: --cloudfront-private-key: "nokey" is not SECRET:KEY/m],
  ] as [string[], RegExp][]) {
    const bad = await run(['deploy', '--platform=openshift4', ...args, '-o', 'yaml']);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, message);
  }
});
