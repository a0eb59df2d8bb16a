// The node files the renderer writes for a release, handed to a real client: skopeo (Debian,
// containers/image without `pull-from-mirror`) with two docker-registry servers on 127.0.0.1.
//  - A namespace nested in a mirrored registry (an insecure `SOURCE/team` under a mirrored
//    `SOURCE`): from 4.11 the operator copies the mirrors into it, so with the source down a pull
//    by digest is served by the mirror; by 4.10's files the same pull goes to the dead source.
//  - mirrorSourcePolicy NeverContactSource (4.13+): the source is blocked; skopeo refuses a pull
//    by tag from it although it is up, and serves a pull by digest from the mirror.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as toml from 'smol-toml';
import { regctl } from '../support/run.js';
import { startRegistry, type RegistryServer } from '../support/registry-server.js';
import { writeTinyOciImage } from '../support/oci-image.js';
import { skopeo } from '../support/skopeo.js';


const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('node files per release, followed by skopeo against real registries', () => {
  let source: RegistryServer;
  let mirror: RegistryServer;
  let work: string;
  let layout: string;
  let digest: string;
  let image: string;

  const push = async (dest: string) => {
    const r = await skopeo(['--insecure-policy', 'copy', '--dest-tls-verify=false', `oci:${layout}:latest`, `docker://${dest}`]);
    assert.equal(r.code, 0, `push to ${dest}: ${r.stderr}`);
  };

  /** `regctl mirror --local --preview` into a directory; the files' paths. */
  const preview = async (name: string, args: string[]) => {
    const dir = join(work, name);
    const r = await regctl(['mirror', '--local', '-f', image, ...args, '--preview', dir]);
    assert.equal(r.code, 0, r.stderr);
    return { conf: join(dir, 'etc/containers/registries.conf'), policy: join(dir, 'etc/containers/policy.json') };
  };
  const pull = (files: { conf: string; policy: string }, ref: string) => skopeo(['--policy', files.policy, '--registries-conf', files.conf, 'copy', `docker://${ref}`, `oci:${mkdtempSync(join(work, 'pull-'))}:x`]);

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'regctl-skopeo-node-files-'));
    [source, mirror] = await Promise.all([startRegistry(), startRegistry()]);
    layout = join(work, 'layout');
    writeTinyOciImage(layout);
    await push(`${source.host}/team/app:latest`);
    await push(`${mirror.host}/src/team/app:latest`);
    await push(`${source.host}/nc/app:latest`);
    await push(`${mirror.host}/nc/app:latest`);
    const inspected = await skopeo(['inspect', '--tls-verify=false', `docker://${source.host}/team/app:latest`]);
    assert.equal(inspected.code, 0, inspected.stderr);
    digest = JSON.parse(inspected.stdout).Digest;
    // Plain HTTP: the Image marks the mirror and the nested namespace insecure (not the whole source).
    image = join(work, 'image.yaml');
    writeFileSync(image, `apiVersion: config.openshift.io/v1\nkind: Image\nmetadata:\n  name: cluster\nspec:\n  registrySources:\n    insecureRegistries:\n    - ${source.host}/team\n    - ${source.host}/nc\n    - ${mirror.host}\n`);
  });

  after(async () => {
    await Promise.all([source?.stop(), mirror?.stop()]);
    rmSync(work, { recursive: true, force: true });
  });

  test('NeverContactSource (4.16 files): the source entry is blocked, and skopeo refuses it although it is up', async () => {
    const files = await preview('never', ['--never-contact-source', '--mirror', `${source.host}/nc=${mirror.host}/nc`, '--openshift-version', '4.16']);
    const conf = JSON.parse(JSON.stringify(toml.parse(readFileSync(files.conf, 'utf8'))));
    assert.deepEqual(conf.registry.find((r: { location: string }) => r.location === `${source.host}/nc`), { prefix: '', location: `${source.host}/nc`, insecure: true, blocked: true, mirror: [{ location: `${mirror.host}/nc`, insecure: true, 'pull-from-mirror': 'digest-only' }] });
    const r = await pull(files, `${source.host}/nc/app:latest`);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, new RegExp(`registry ${escape(source.host)}/nc is blocked in`));
    // A pull by digest is still served: by the mirror, since the source entry is blocked.
    const byDigest = await pull(files, `${source.host}/nc/app@${digest}`);
    assert.equal(byDigest.code, 0, byDigest.stderr);
    // Without the policy the same pull works: the source is up.
    const allowed = await preview('allowed', ['--mirror', `${source.host}/nc=${mirror.host}/nc`, '--openshift-version', '4.16']);
    const ok = await pull(allowed, `${source.host}/nc/app:latest`);
    assert.equal(ok.code, 0, ok.stderr);
  });

  test('4.12 files: the nested insecure namespace gets the mirrors, path adjusted; with the source down a pull by digest is served by the mirror', async () => {
    const files = await preview('nested-412', ['--mirror', `${source.host}=${mirror.host}/src`, '--openshift-version', '4.12']);
    assert.match(readFileSync(files.conf, 'utf8'), new RegExp(`location = "${escape(source.host)}/team"\\ninsecure = true\\nmirror-by-digest-only = true\\n\\n\\[\\[registry\\.mirror\\]\\]\\nlocation = "${escape(mirror.host)}/src/team"\\ninsecure = true\\n`));
    const old = await preview('nested-410', ['--mirror', `${source.host}=${mirror.host}/src`, '--openshift-version', '4.10']);
    assert.match(readFileSync(old.conf, 'utf8'), new RegExp(`location = "${escape(source.host)}/team"\\ninsecure = true\\n\\n`));

    await source.stop();
    const r = await pull(files, `${source.host}/team/app@${digest}`);
    assert.equal(r.code, 0, r.stderr);
    // By 4.10's files the nested entry has no mirrors: skopeo goes to the stopped source.
    const failed = await pull(old, `${source.host}/team/app@${digest}`);
    assert.notEqual(failed.code, 0);
    assert.match(failed.stderr, new RegExp(`${escape(source.host)}.*connection refused`));
  });
});
