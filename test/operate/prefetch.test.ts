// `regctl prefetch IS:TAG` against the test API server (the image stream tag) and a local HTTPS
// server standing in for the registry: one GET with Range: bytes=0-1 per layer, with the user's
// token, counted; a missing blob or a refused token reported per layer and in the exit code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer } from '../apiserver/index.js';
import { run } from '../support/world.js';
import { regctl } from '../support/run.js';
import { opensslCA } from '../support/pki.js';
import { issueServerCert, startLocalServer, type Pem } from '../support/tls-server.js';
import { deployedRegistry } from '../support/operate-registry.js';
import type { KubeObject } from '../../src/objects.js';

const L = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const LAYERS = [
  { name: L(1), size: 74_000_000, mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip' },
  { name: L(2), size: 1_500_000, mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip' },
  { name: L(3), size: 32_000, mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip' },
];
const istag: KubeObject = {
  apiVersion: 'image.openshift.io/v1', kind: 'ImageStreamTag', metadata: { name: 'mysql:5.7', namespace: 'myproject' },
  tag: { name: '5.7', from: { kind: 'DockerImage', name: 'docker.io/library/mysql:5.7' }, referencePolicy: { type: 'Local' } },
  image: { metadata: { name: 'sha256:abc' }, dockerImageReference: 'docker.io/library/mysql@sha256:abc', dockerImageLayers: LAYERS },
};

let dir: string;
let ca: { cert: string; key: string };
let pem: Pem;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'regctl-prefetch-'));
  ca = opensslCA(dir, 'ca');
  pem = issueServerCert(dir, ca, 'registry', ['127.0.0.1']);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const TOKEN = 'sha256~usertoken';
const BASIC = `Basic ${Buffer.from(`regctl:${TOKEN}`).toString('base64')}`;

/** A registry that has every blob but `missing`, and answers a ranged GET with 206 and two bytes. */
async function registry(t: { after(fn: () => unknown): void }, missing: string[] = []) {
  const s = await startLocalServer(pem, (req, res) => {
    const m = /^\/v2\/([^/]+\/[^/]+)\/blobs\/(sha256:[0-9a-f]{64})$/.exec(req.url ?? '');
    if (req.headers.authorization !== BASIC) return void res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Basic realm=openshift' }).end('{"errors":[{"code":"UNAUTHORIZED"}]}');
    if (!m || missing.includes(m[2]!)) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"BLOB_UNKNOWN"}]}');
    if (req.headers.range !== 'bytes=0-1') return void res.writeHead(200, { 'content-length': '1000' }).end(Buffer.alloc(1000));
    res.writeHead(206, { 'content-range': 'bytes 0-1/1000', 'content-length': '2' });
    res.end(Buffer.from([0x1f, 0x8b]));
  });
  t.after(() => s.close());
  return s;
}

async function api(t: { after(fn: () => unknown): void }) {
  const a = await startApiServer({ profile: 'openshift3', objects: [...deployedRegistry('openshift3').objects, istag] });
  t.after(() => a.close());
  return a;
}

test('prefetch: one ranged GET per layer, with the token, progress per layer and a summary', async (t) => {
  const [a, s] = await Promise.all([api(t), registry(t)]);
  const r = await run(['--kubeconfig', a.kubeconfigPath, '-n', 'myproject', 'prefetch', 'mysql:5.7', '--token', TOKEN, '--registry-url', `https://127.0.0.1:${s.port}`, '--ca', ca.cert]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(s.calls.map((c) => `${c.method} ${c.path} ${c.headers.range}`), LAYERS.map((l) => `GET /v2/myproject/mysql/blobs/${l.name} bytes=0-1`));
  assert.equal(r.stderr, `[1/3] sha256:111111111111… (74.0 MB) fetched\n[2/3] sha256:222222222222… (1.5 MB) fetched\n[3/3] sha256:333333333333… (32 kB) fetched\n`);
  assert.equal(r.stdout, `prefetched 3 of 3 layers of myproject/mysql:5.7 (75.5 MB) into the registry at https://127.0.0.1:${s.port}\n`);
  assert.deepEqual(a.requests.filter((q) => q.method !== 'GET'), []);
});

test('prefetch: a blob pullthrough cannot find fails that layer and the run; the others are fetched', async (t) => {
  const [a, s] = await Promise.all([api(t), registry(t, [L(2)])]);
  const r = await run(['--kubeconfig', a.kubeconfigPath, '-n', 'myproject', 'prefetch', 'mysql:5.7', '--token', TOKEN, '--registry-url', `https://127.0.0.1:${s.port}`, '--ca', ca.cert]);
  assert.equal(r.code, 1);
  assert.equal(s.calls.length, 3);
  assert.match(r.stderr, /\[2\/3\] sha256:222222222222… \(1\.5 MB\) failed: HTTP 404: blob unknown/);
  assert.match(r.stdout, /prefetched 2 of 3 layers/);
  assert.match(r.stderr, /error: 1 of 3 layers were not fetched\nhint: the registry log says why: regctl logs --since 5m/);
});

test('prefetch: a refused token stops at the first layer', async (t) => {
  const [a, s] = await Promise.all([api(t), registry(t)]);
  const r = await run(['--kubeconfig', a.kubeconfigPath, '-n', 'myproject', 'prefetch', 'mysql:5.7', '--token', 'wrong', '--registry-url', `https://127.0.0.1:${s.port}`, '--ca', ca.cert]);
  assert.equal(r.code, 1);
  assert.equal(s.calls.length, 1);
  assert.match(r.stderr, /HTTP 401: the token may not pull from myproject\/mysql/);
  assert.match(r.stdout, /prefetched 0 of 3 layers/);
});

test('prefetch without --token uses the kubeconfig user\'s token (oc whoami -t); a client-certificate user is refused', async (t) => {
  const a = await api(t);
  const s = await registry(t);
  a.addToken(TOKEN, 'developer', () => true);
  const developer = a.writeKubeconfig({ token: TOKEN });
  const r = await run(['--kubeconfig', developer, '-n', 'myproject', 'prefetch', 'mysql:5.7', '--registry-url', `https://127.0.0.1:${s.port}`, '--ca', ca.cert]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /prefetched 3 of 3 layers/);
  assert.equal(s.calls.filter((q) => q.headers.authorization === BASIC).length, 3);

  const admin = a.writeKubeconfig({ clientCertificate: await a.issueClientCertificate('system:admin', ['system:masters']) });
  const refused = await run(['--kubeconfig', admin, '-n', 'myproject', 'prefetch', 'mysql:5.7', '--registry-url', `https://127.0.0.1:${s.port}`, '--ca', ca.cert]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /^error: --token: the kubeconfig's user "system:admin" has no token \(it authenticates with a client certificate, and the registry accepts only tokens\)$/m);
});

test('prefetch: usage errors and a tag that does not exist', async (t) => {
  const a = await api(t);
  const cases: [string[], number, RegExp][] = [
    [['prefetch', 'mysql'], 2, /IMAGESTREAM:TAG: "mysql" must be an image stream and a tag/],
    [['prefetch', 'mysql:5.7', '--token', 't', '--registry-url', 'http://x'], 2, /--registry-url: "http:\/\/x" must be https:\/\//],
    [['-n', 'myproject', 'prefetch', 'mysql:8', '--token', 't'], 1, /imagestreamtag "mysql:8" not found in project myproject/],
  ];
  for (const [args, code, msg] of cases) {
    const r = await run(['--kubeconfig', a.kubeconfigPath, ...args]);
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, msg);
  }
});

test('prefetch (spawned): the built CLI, the token from $REGCTL_TOKEN', async (t) => {
  const [a, s] = await Promise.all([api(t), registry(t)]);
  const r = await regctl(['--kubeconfig', a.kubeconfigPath, '-n', 'myproject', 'prefetch', 'mysql:5.7', '--registry-url', `https://127.0.0.1:${s.port}`, '--ca', ca.cert], { env: { REGCTL_TOKEN: TOKEN } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(s.calls.filter((c) => c.headers.range === 'bytes=0-1').length, 3);
});
