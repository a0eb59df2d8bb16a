// The registries.conf `regctl mirror --preview` renders, handed to a real client: skopeo (Debian)
// with two real docker-registry servers on 127.0.0.1, a source and a mirror holding the same
// image under another repository. Once the source is stopped, a pull by digest is served by the
// mirror (after skipping a mirror that is down), and a pull by tag is not mirrored: skopeo itself
// goes to the stopped source (mirror-by-digest-only = true).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { regctl } from '../support/run.js';
import { freePort, startRegistry, type RegistryServer } from '../support/registry-server.js';
import { writeTinyOciImage } from '../support/oci-image.js';
import { skopeo } from '../support/skopeo.js';


describe('mirror --preview registries.conf, followed by skopeo against real registries', () => {
  let source: RegistryServer;
  let mirrorServer: RegistryServer;
  let work: string;
  let digest: string;
  let deadMirror: string;
  let conf: string;
  let policy: string;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'regctl-skopeo-mirror-'));
    [source, mirrorServer] = await Promise.all([startRegistry(), startRegistry()]);
    deadMirror = `127.0.0.1:${await freePort()}`;
    const layout = join(work, 'layout');
    writeTinyOciImage(layout);
    for (const dest of [`${source.host}/regctl/tiny:latest`, `${mirrorServer.host}/mirrored/tiny:latest`]) {
      const r = await skopeo(['--insecure-policy', 'copy', '--dest-tls-verify=false', `oci:${layout}:latest`, `docker://${dest}`]);
      assert.equal(r.code, 0, `push to ${dest}: ${r.stderr}`);
    }
    const inspected = await skopeo(['inspect', '--tls-verify=false', `docker://${source.host}/regctl/tiny:latest`]);
    assert.equal(inspected.code, 0, inspected.stderr);
    digest = JSON.parse(inspected.stdout).Digest;
    assert.match(digest, /^sha256:[0-9a-f]{64}$/);

    // Both servers speak plain HTTP: the Image marks them insecure, as a cluster admin would.
    const image = join(work, 'image.yaml');
    writeFileSync(
      image,
      `apiVersion: config.openshift.io/v1\nkind: Image\nmetadata:\n  name: cluster\nspec:\n  registrySources:\n    insecureRegistries:\n    - ${source.host}\n    - ${mirrorServer.host}\n    - ${deadMirror}\n`,
    );
    const dir = join(work, 'preview');
    // 4.12's files (mirror-by-digest-only per entry): Debian's skopeo predates 4.13's per-mirror `pull-from-mirror`.
    const r = await regctl(['mirror', '--local', '-f', image, '--source', `${source.host}/regctl/tiny`, '--mirror', `${deadMirror}/mirrored/tiny`, '--mirror', `${mirrorServer.host}/mirrored/tiny`, '--preview', dir, '--openshift-version', '4.12']);
    assert.equal(r.code, 0, r.stderr);
    conf = join(dir, 'etc/containers/registries.conf');
    policy = join(dir, 'etc/containers/policy.json');
  });

  after(async () => {
    await Promise.all([source?.stop(), mirrorServer?.stop()]);
    rmSync(work, { recursive: true, force: true });
  });

  const pull = (registriesConf: string, ref: string) => skopeo(['--policy', policy, '--registries-conf', registriesConf, 'copy', `docker://${ref}`, `oci:${mkdtempSync(join(work, 'pull-'))}:x`]);

  test('the rendered registries.conf lists the mirrors in order under the source, by digest only', () => {
    const text = readFileSync(conf, 'utf8');
    assert.match(text, new RegExp(`location = "${source.host}/regctl/tiny"\\ninsecure = true\\nmirror-by-digest-only = true\\n\\n\\[\\[registry\\.mirror\\]\\]\\nlocation = "${deadMirror}/mirrored/tiny"\\ninsecure = true\\n\\n\\[\\[registry\\.mirror\\]\\]\\nlocation = "${mirrorServer.host}/mirrored/tiny"\\ninsecure = true\\n`));
  });

  test('with the source stopped, a pull by digest is served by the working mirror', async () => {
    await source.stop();
    const r = await pull(conf, `${source.host}/regctl/tiny@${digest}`);
    assert.equal(r.code, 0, r.stderr);
  });

  test('without the mirror entries the same pull fails: the source is down', async () => {
    const plain = join(work, 'insecure-only.conf');
    writeFileSync(plain, `[[registry]]\nlocation = "${source.host}"\ninsecure = true\n`);
    const r = await pull(plain, `${source.host}/regctl/tiny@${digest}`);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, new RegExp(`${source.host.replace(/\./g, '\\.')}.*connection refused`));
  });

  test('a pull by tag is not mirrored: skopeo goes to the stopped source and fails', async () => {
    const r = await pull(conf, `${source.host}/regctl/tiny:latest`);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, new RegExp(`${source.host.replace(/\./g, '\\.')}.*connection refused`));
    assert.doesNotMatch(r.stderr, new RegExp(mirrorServer.host.replace(/\./g, '\\.')));
  });
});
