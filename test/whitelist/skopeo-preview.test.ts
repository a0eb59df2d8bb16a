// The files `regctl whitelist --preview` renders are handed to a real client: skopeo (Debian),
// pulling from two real docker-registry servers on 127.0.0.1. What the nodes would enforce,
// skopeo enforces: the allowed registry works, the other is refused by policy.json, and a
// blocked registry is refused by the registries.conf rule, each with skopeo's own error.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { regctl } from '../support/run.js';
import { startRegistry, type RegistryServer } from '../support/registry-server.js';
import { writeTinyOciImage } from '../support/oci-image.js';
import { skopeo } from '../support/skopeo.js';



describe('whitelist --preview files, enforced by skopeo against real registries', () => {
  let allowed: RegistryServer;
  let other: RegistryServer;
  let work: string;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'regctl-skopeo-'));
    [allowed, other] = await Promise.all([startRegistry(), startRegistry()]);
    const layout = join(work, 'layout');
    writeTinyOciImage(layout);
    for (const dest of [`${allowed.host}/regctl/tiny:latest`, `${allowed.host}/other/tiny:latest`, `${other.host}/regctl/tiny:latest`]) {
      const r = await skopeo(['--insecure-policy', 'copy', '--dest-tls-verify=false', `oci:${layout}:latest`, `docker://${dest}`]);
      assert.equal(r.code, 0, `push to ${dest}: ${r.stderr}`);
    }
  });

  after(async () => {
    await Promise.all([allowed?.stop(), other?.stop()]);
    rmSync(work, { recursive: true, force: true });
  });

  /** Renders the node files with the built CLI into a fresh directory. */
  async function preview(args: string[]): Promise<{ policy: string; conf: string }> {
    const dir = mkdtempSync(join(work, 'preview-'));
    const r = await regctl(['whitelist', '--local', ...args, '--preview', dir]);
    assert.equal(r.code, 0, r.stderr);
    return { policy: join(dir, 'etc/containers/policy.json'), conf: join(dir, 'etc/containers/registries.conf') };
  }

  const pull = (files: { policy?: string; conf: string }, ref: string) =>
    skopeo([
      ...(files.policy ? ['--policy', files.policy] : ['--insecure-policy']),
      '--registries-conf',
      files.conf,
      'copy',
      `docker://${ref}`,
      `oci:${mkdtempSync(join(work, 'pull-'))}:x`,
    ]);

  test('an allow list lets skopeo pull from the allowed registry and refuses the other by policy', async () => {
    // Both are plain HTTP: marking them insecure is part of the rendered registries.conf.
    const files = await preview(['--allow', allowed.host, '--include-defaults', '--insecure', allowed.host, '--insecure', other.host]);
    const policy = JSON.parse(readFileSync(files.policy, 'utf8'));
    assert.deepEqual(policy.default, [{ type: 'reject' }]);

    const ok = await pull(files, `${allowed.host}/regctl/tiny:latest`);
    assert.equal(ok.code, 0, ok.stderr);

    const refused = await pull(files, `${other.host}/regctl/tiny:latest`);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, new RegExp(`Source image rejected: Running image docker://${other.host}/regctl/tiny:latest is rejected by policy`));
  });

  test('a repository-scoped allow entry admits that namespace only', async () => {
    const files = await preview(['--allow', `${allowed.host}/regctl`, '--include-defaults', '--insecure', allowed.host]);
    const ok = await pull(files, `${allowed.host}/regctl/tiny:latest`);
    assert.equal(ok.code, 0, ok.stderr);
    const refused = await pull(files, `${allowed.host}/other/tiny:latest`);
    assert.match(refused.stderr, /is rejected by policy/);
  });

  test('a blocked registry is refused by the registries.conf rule alone, even with a permissive policy', async () => {
    const files = await preview(['--block', other.host, '--insecure', allowed.host, '--insecure', other.host]);
    // No policy: only registries.conf stands between skopeo and the blocked registry.
    const refused = await pull({ conf: files.conf }, `${other.host}/regctl/tiny:latest`);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, new RegExp(`registry ${other.host.replace(/\./g, '\\.')} is blocked in ${files.conf.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));

    const ok = await pull(files, `${allowed.host}/regctl/tiny:latest`);
    assert.equal(ok.code, 0, ok.stderr);
  });

  test('the blocked registry is also rejected by the rendered policy.json', async () => {
    const files = await preview(['--block', other.host, '--insecure', other.host]);
    const policy = JSON.parse(readFileSync(files.policy, 'utf8'));
    assert.deepEqual(policy.default, [{ type: 'insecureAcceptAnything' }]);
    // Plain registries.conf marking it insecure only: the policy is what refuses.
    const conf = join(work, 'insecure-only.conf');
    writeFileSync(conf, `[[registry]]\nlocation = "${other.host}"\ninsecure = true\n`);
    const refused = await pull({ policy: files.policy, conf }, `${other.host}/regctl/tiny:latest`);
    assert.match(refused.stderr, /is rejected by policy/);
  });
});
