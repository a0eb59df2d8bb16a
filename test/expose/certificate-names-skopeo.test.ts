// expose's certificate-name warning agrees with a real TLS client: a real docker-registry serves
// a certificate (made with openssl) that names localhost only; regctl, given that certificate
// in the cluster, warns about the registry hostname 127.0.0.1:PORT and not about localhost:PORT;
// skopeo, trusting the CA the way the printed trust steps lay it out (certs.d/<host>/ca.crt),
// pushes through localhost:PORT and refuses 127.0.0.1:PORT with its own x509 error.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type TestApiServer } from '../apiserver/index.js';
import { writeTinyOciImage } from '../support/oci-image.js';
import { DOCKER_REGISTRY_BIN, startRegistry, type RegistryServer } from '../support/registry-server.js';
import { regctl } from '../support/run.js';
import { skopeo } from '../support/skopeo.js';
import { SKOPEO } from '../support/registry.js';

const missing = [DOCKER_REGISTRY_BIN, SKOPEO].filter((b) => !existsSync(b));


let work: string;
let registry: RegistryServer;
let api: TestApiServer;
let port: string;

before(async () => {
  if (missing.length) return;
  work = mkdtempSync(join(tmpdir(), 'regctl-names-'));
  const p = (f: string) => join(work, f);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('ca.key'), '-out', p('ca.crt'), '-days', '1', '-subj', '/CN=regctl-test-ca'], { stdio: 'ignore' });
  execFileSync('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('registry.key'), '-out', p('registry.csr'), '-subj', '/CN=localhost'], { stdio: 'ignore' });
  writeFileSync(p('ext.cnf'), 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n');
  execFileSync('openssl', ['x509', '-req', '-in', p('registry.csr'), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-CAcreateserial', '-days', '1', '-out', p('registry.crt'), '-extfile', p('ext.cnf')], { stdio: 'ignore' });
  registry = await startRegistry({ tls: { certificate: p('registry.crt'), key: p('registry.key') } });
  port = registry.host.split(':')[1]!;
  api = await startApiServer({ profile: 'openshift3' });
  const d = await regctl(['--kubeconfig', api.kubeconfigPath, 'deploy', `--tls-certificate=${p('registry.crt')}`, `--tls-key=${p('registry.key')}`], { env: { HOME: work } });
  assert.equal(d.code, 0, d.stderr);
});

after(async () => {
  await Promise.all([registry?.stop(), api?.close()]);
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the certificate-name warning matches what skopeo accepts and refuses', { skip: missing.length > 0 && `needs ${missing.join(' and ')}` }, async () => {
  const trusted = `localhost:${port}`;
  const untrusted = `127.0.0.1:${port}`;
  const masterConfig = join(work, 'master-config.yaml');
  writeFileSync(masterConfig, 'apiVersion: v1\nkind: MasterConfig\n');
  const r = await regctl(['--kubeconfig', api.kubeconfigPath, 'expose', `--external-hostname=${trusted}`, `--internal-hostname=${untrusted}`, `--master-config=${masterConfig}`], { env: { HOME: work } });
  assert.equal(r.code, 0, r.stderr);
  const named = /the certificate in secret registry-certs \(tls\.crt\) does not name (.*?): clients/.exec(r.stderr);
  assert.equal(named?.[1], untrusted, 'only 127.0.0.1 is missing: localhost is in the certificate');

  // The trust steps' layout: certs.d/<host>/ca.crt, one directory per name clients use.
  const certsD = join(work, 'certs.d');
  for (const host of [trusted, untrusted]) {
    mkdirSync(join(certsD, host), { recursive: true });
    copyFileSync(join(work, 'ca.crt'), join(certsD, host, 'ca.crt'));
  }
  const layout = join(work, 'layout');
  writeTinyOciImage(layout);
  const push = await skopeo(['--insecure-policy', 'copy', '--dest-cert-dir', join(certsD, trusted), `oci:${layout}:latest`, `docker://${trusted}/regctl/tiny:latest`]);
  assert.equal(push.code, 0, push.stderr);
  const refused = await skopeo(['inspect', '--cert-dir', join(certsD, untrusted), `docker://${untrusted}/regctl/tiny:latest`]);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /x509: (certificate is valid for localhost, not 127\.0\.0\.1|cannot validate certificate for 127\.0\.0\.1 because it doesn't contain any IP SANs)/);
});
