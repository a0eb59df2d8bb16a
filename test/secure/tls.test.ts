// End to end: what `regctl secure` puts in the Secret serves TLS from a real registry, and the
// CA that `--trust-local` installs for docker is exactly what a real client needs to trust it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApiServer } from '../apiserver/index.js';
import { regctl } from '../support/run.js';
import { tempDir } from '../support/pki.js';
import { skopeo, startRegistry, writeOciLayout } from '../support/registry.js';

test('the certificate regctl secure stores serves TLS from docker-registry, and skopeo trusting the certs.d directory --trust-local wrote pushes to it', async (t) => {
  const api = await startApiServer({ profile: 'openshift3' });
  t.after(() => api.close());
  const home = tempDir(t, 'regctl-secure-tls-');
  const run = (args: string[]) => regctl(['--kubeconfig', api.kubeconfigPath, ...args], { env: { HOME: home } });
  assert.equal((await run(['deploy'])).code, 0);
  const certsD = join(home, 'certs.d');
  // The test reaches the registry on 127.0.0.1, so that name goes in too (as a route host would).
  const secured = await run(['secure', '--cert-dir', join(home, 'pki'), '--hostnames', '127.0.0.1', '--trust-local', '--certs-d', certsD, '--node-config', join(home, 'no-sysconfig')]);
  assert.equal(secured.code, 0, secured.stderr);

  const secret = api.getObject('v1', 'Secret', 'registry-certificates', 'default') as any;
  const crt = join(home, 'registry.crt');
  const key = join(home, 'registry.key');
  writeFileSync(crt, Buffer.from(secret.data['registry.crt'], 'base64'));
  writeFileSync(key, Buffer.from(secret.data['registry.key'], 'base64'), { mode: 0o600 });
  const registry = await startRegistry(home, { cert: crt, key });
  t.after(() => registry.stop());

  const ip = (api.getObject('v1', 'Service', 'docker-registry', 'default') as any).spec.clusterIP;
  const layout = join(home, 'layout');
  writeOciLayout(layout, 'v1');
  const pushed = skopeo(home, ['copy', '--dest-tls-verify=true', '--dest-cert-dir', join(certsD, `${ip}:5000`), `oci:${layout}:v1`, `docker://127.0.0.1:${registry.port}/test/secured:1`]);
  assert.equal(pushed.code, 0, `${pushed.stderr}\n${registry.log()}`);
  const inspected = skopeo(home, ['inspect', '--tls-verify=true', '--cert-dir', join(certsD, `docker-registry.default.svc.cluster.local:5000`), `docker://127.0.0.1:${registry.port}/test/secured:1`]);
  assert.equal(inspected.code, 0, inspected.stderr);
});
