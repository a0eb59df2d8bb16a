// The proof that matters: a real registry serves TLS with a regctl certificate, and a real
// client (skopeo) pushes and pulls through it trusting only the regctl CA; trusting another
// CA, the same push is refused with a certificate error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { regctl } from '../support/run.js';
import { opensslCA, tempDir } from '../support/pki.js';
import { skopeo, startRegistry, writeOciLayout } from '../support/registry.js';

test('docker-registry serves TLS with a regctl certificate: skopeo pushes and reads back trusting only the regctl CA, and is refused trusting another CA', async (t) => {
  const dir = tempDir(t, 'regctl-roundtrip-');
  const ca = await regctl(['ca', 'create-signer-cert', '--cert', join(dir, 'ca.crt'), '--key', join(dir, 'ca.key'), '--serial', join(dir, 'ca.serial.txt')]);
  assert.equal(ca.code, 0, ca.stderr);
  const issued = await regctl([
    'ca', 'create-server-cert', '--signer-cert', join(dir, 'ca.crt'), '--signer-key', join(dir, 'ca.key'), '--signer-serial', join(dir, 'ca.serial.txt'),
    '--hostnames', '127.0.0.1,localhost,docker-registry.default.svc', '--cert', join(dir, 'registry.crt'), '--key', join(dir, 'registry.key'),
  ]);
  assert.equal(issued.code, 0, issued.stderr);

  const registry = await startRegistry(dir, { cert: join(dir, 'registry.crt'), key: join(dir, 'registry.key') });
  t.after(() => registry.stop());
  const host = `127.0.0.1:${registry.port}`;

  const trustRegctl = join(dir, 'trust-regctl');
  mkdirSync(trustRegctl);
  copyFileSync(join(dir, 'ca.crt'), join(trustRegctl, 'ca.crt'));
  const other = opensslCA(dir, 'other-ca');
  const trustOther = join(dir, 'trust-other');
  mkdirSync(trustOther);
  copyFileSync(other.cert, join(trustOther, 'ca.crt'));

  const layout = join(dir, 'layout');
  const image = writeOciLayout(layout, 'v1');

  const pushed = skopeo(dir, ['copy', '--dest-tls-verify=true', '--dest-cert-dir', trustRegctl, `oci:${layout}:v1`, `docker://${host}/test/img:1`]);
  assert.equal(pushed.code, 0, `push failed:\n${pushed.stderr}\nregistry log:\n${registry.log()}`);

  const inspected = skopeo(dir, ['inspect', '--tls-verify=true', '--cert-dir', trustRegctl, `docker://${host}/test/img:1`]);
  assert.equal(inspected.code, 0, inspected.stderr);
  assert.deepEqual(JSON.parse(inspected.stdout).Layers, [image.layerDigest]);

  const back = join(dir, 'back');
  const pulled = skopeo(dir, ['copy', '--src-tls-verify=true', '--src-cert-dir', trustRegctl, `docker://${host}/test/img:1`, `oci:${back}:v1`]);
  assert.equal(pulled.code, 0, pulled.stderr);
  const layerFile = join(back, 'blobs', 'sha256', image.layerDigest.slice('sha256:'.length));
  assert.ok(existsSync(layerFile), 'the layer came back');
  assert.deepEqual(readFileSync(layerFile), readFileSync(join(layout, 'blobs', 'sha256', image.layerDigest.slice('sha256:'.length))));

  const refused = skopeo(dir, ['copy', '--dest-tls-verify=true', '--dest-cert-dir', trustOther, `oci:${layout}:v1`, `docker://${host}/test/img:2`]);
  assert.notEqual(refused.code, 0, 'a client trusting another CA must not connect');
  assert.match(refused.stderr, /x509|certificate/i);
  assert.match(refused.stderr, /unknown authority|not trusted|verify/i);
});
