// The real peer: a Debian docker-registry serves a certificate from a private CA. regctl
// trust-ca writes the CA into the 4.x ConfigMap; the test lays the keys out as the node-ca
// daemon does (`HOST..PORT` back to a certs.d/HOST:PORT/ca.crt directory); skopeo pushes and
// pulls through it, and is refused by the registry's certificate without it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type TestApiServer } from '../apiserver/index.js';
import { writeTinyOciImage } from '../support/oci-image.js';
import { SKOPEO, skopeo as skopeoIn } from '../support/registry.js';
import { DOCKER_REGISTRY_BIN, startRegistry, type RegistryServer } from '../support/registry-server.js';
import { run } from '../support/world.js';

const missing = [DOCKER_REGISTRY_BIN, SKOPEO].filter((b) => !existsSync(b));

/** What node-ca does with the ConfigMap: each key, `..` turned back into `:`, becomes certs.d/<key>/ca.crt. */
function nodeCaLayout(data: Record<string, string>, root: string): void {
  for (const [key, pem] of Object.entries(data)) {
    const dir = join(root, key.replace('..', ':'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'ca.crt'), pem);
  }
}

let work: string;
let registry: RegistryServer;
let api: TestApiServer;

before(async () => {
  if (missing.length) return;
  work = mkdtempSync(join(tmpdir(), 'regctl-trust-peer-'));
  const p = (f: string) => join(work, f);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('ca.key'), '-out', p('ca.crt'), '-days', '2', '-subj', '/CN=private-registry-ca', '-addext', 'basicConstraints=critical,CA:TRUE'], { stdio: 'ignore' });
  execFileSync('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('registry.key'), '-out', p('registry.csr'), '-subj', '/CN=localhost'], { stdio: 'ignore' });
  writeFileSync(p('ext.cnf'), 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n');
  execFileSync('openssl', ['x509', '-req', '-in', p('registry.csr'), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-CAcreateserial', '-days', '1', '-out', p('registry.crt'), '-extfile', p('ext.cnf')], { stdio: 'ignore' });
  registry = await startRegistry({ tls: { certificate: p('registry.crt'), key: p('registry.key') } });
  api = await startApiServer({ profile: 'openshift4', objects: [{ apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: {} }] });
});

after(async () => {
  await Promise.all([registry?.stop(), api?.close()]);
  if (work) rmSync(work, { recursive: true, force: true });
});

test('skopeo trusts the registry through the ConfigMap regctl wrote, laid out as node-ca does, and not without it', { skip: missing.length > 0 && `needs ${missing.join(' and ')}` }, async () => {
  const host = `localhost:${registry.host.split(':')[1]}`;
  // The clock of the test world is fixed; the CA made now must be valid then as well.
  const r = await run(['--kubeconfig', api.kubeconfigPath, 'trust-ca', '--registry', host, '--ca', join(work, 'ca.crt')], { now: new Date() });
  assert.equal(r.code, 0, r.stderr);
  const cm = api.getObject('v1', 'ConfigMap', 'registry-cas', 'openshift-config') as unknown as { data: Record<string, string> };
  assert.deepEqual(Object.keys(cm.data), [host.replace(':', '..')]);

  const certsD = join(work, 'certs.d');
  nodeCaLayout(cm.data, certsD);
  assert.deepEqual(readdirSync(certsD), [host]);
  const trusted = join(certsD, host);
  const untrusted = join(work, 'empty-certs');
  mkdirSync(untrusted);

  const skopeo = (args: string[]) => skopeoIn(work, args);
  const layout = join(work, 'layout');
  writeTinyOciImage(layout);
  const refusedPush = skopeo(['copy', '--dest-cert-dir', untrusted, `oci:${layout}:latest`, `docker://${host}/regctl/tiny:latest`]);
  assert.notEqual(refusedPush.code, 0);
  assert.match(refusedPush.stderr, /x509: certificate signed by unknown authority|failed to verify certificate/);

  const push = skopeo(['copy', '--dest-cert-dir', trusted, `oci:${layout}:latest`, `docker://${host}/regctl/tiny:latest`]);
  assert.equal(push.code, 0, push.stderr);
  const pull = skopeo(['copy', '--src-cert-dir', trusted, `docker://${host}/regctl/tiny:latest`, `oci:${join(work, 'pulled')}:latest`]);
  assert.equal(pull.code, 0, pull.stderr);
  assert.ok(existsSync(join(work, 'pulled', 'index.json')));
  const refusedPull = skopeo(['copy', '--src-cert-dir', untrusted, `docker://${host}/regctl/tiny:latest`, `oci:${join(work, 'pulled2')}:latest`]);
  assert.notEqual(refusedPull.code, 0);
  assert.match(refusedPull.stderr, /x509: certificate signed by unknown authority|failed to verify certificate/);
});
