// `regctl mirror --local`: rendering without a cluster, from the policies and Image saved with
// `oc get imagecontentsourcepolicy,image.config.openshift.io -o yaml` (a List) or from nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { run as regctl } from '../support/world.js';

let work: string;
let saved: string;

before(() => {
  work = mkdtempSync(join(tmpdir(), 'regctl-mirror-local-'));
  saved = join(work, 'saved.yaml');
  writeFileSync(
    saved,
    `apiVersion: v1
kind: List
items:
- apiVersion: operator.openshift.io/v1alpha1
  kind: ImageContentSourcePolicy
  metadata:
    name: ubi8repo
    resourceVersion: "41"
  spec:
    repositoryDigestMirrors:
    - mirrors:
      - example.io/example/ubi-minimal
      source: registry.access.redhat.com/ubi8/ubi-minimal
- apiVersion: config.openshift.io/v1
  kind: Image
  metadata:
    name: cluster
  spec:
    registrySources:
      insecureRegistries:
      - example.io
`,
  );
});
after(() => rmSync(work, { recursive: true, force: true }));

describe('mirror --local', () => {
  test('-o yaml from saved objects prints the policy with the new mirror after the old one', async () => {
    const r = await regctl(['mirror', '--local', '-f', saved, '--name', 'ubi8repo', '--source', 'registry.access.redhat.com/ubi8/ubi-minimal', '--mirror', 'example.com/example/ubi-minimal', '-o', 'yaml']);
    assert.equal(r.code, 0, r.stderr);
    const list = load(r.stdout) as { items: { metadata: { name: string }; spec: unknown }[] };
    assert.equal(list.items[0]?.metadata.name, 'ubi8repo');
    assert.deepEqual(list.items[0]?.spec, { repositoryDigestMirrors: [{ mirrors: ['example.io/example/ubi-minimal', 'example.com/example/ubi-minimal'], source: 'registry.access.redhat.com/ubi8/ubi-minimal' }] });
  });

  test("--preview from saved objects applies the saved Image's insecure registries to the mirrors (--openshift-version 4.12: mirror-by-digest-only)", async () => {
    const r = await regctl(['mirror', '--local', '-f', saved, '--mirror', 'quay.io/ocp=mirror.example.com/ocp', '--preview', '--openshift-version', '4.12']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /node files as the machine-config operator of OpenShift 4\.12 writes them/);
    assert.match(r.stdout, /location = "registry\.access\.redhat\.com\/ubi8\/ubi-minimal"\nmirror-by-digest-only = true\n\n\[\[registry\.mirror\]\]\nlocation = "example\.io\/example\/ubi-minimal"\ninsecure = true\n/);
    assert.match(r.stdout, /location = "quay\.io\/ocp"\nmirror-by-digest-only = true\n\n\[\[registry\.mirror\]\]\nlocation = "mirror\.example\.com\/ocp"\n/);
  });

  test('without --openshift-version --local renders as the newest release regctl knows, and says so; an unknown release is refused', async () => {
    let r = await regctl(['mirror', '--local', '-f', saved, '--mirror', 'quay.io/ocp=mirror.example.com/ocp', '--preview']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /node files as OpenShift 4\.16 writes them \(the newest release regctl knows; --openshift-version X\.Y for another\)/);
    assert.match(r.stdout, /location = "mirror\.example\.com\/ocp"\npull-from-mirror = "digest-only"\n/);
    r = await regctl(['mirror', '--local', '--mirror', 'quay.io/ocp=mirror.example.com/ocp', '--preview', '--openshift-version', '4.3']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: --openshift-version: regctl knows the node files of OpenShift 4\.4 to 4\.16, not 4\.3$/m);
  });

  test('--local with nothing to render, -f without --local, and a file of another kind are refused with exit 2', async () => {
    const other = join(work, 'pod.yaml');
    writeFileSync(other, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n');
    for (const [args, message] of [
      [['--local', '--mirror', 'quay.io/a=m.io/a'], /^error: --local renders only: give -o yaml\|json or --preview$/m],
      [['-f', saved, '--mirror', 'quay.io/a=m.io/a'], /^error: -f\/--filename is read only with --local/m],
      [['--local', '-f', other, '--mirror', 'quay.io/a=m.io/a', '-o', 'yaml'], /^error: --filename: ".*pod\.yaml" holds a Pod; expected ImageContentSourcePolicy/m],
      [['--local', '-f', join(work, 'missing.yaml'), '--mirror', 'quay.io/a=m.io/a', '-o', 'yaml'], /^error: --filename: cannot read ".*missing\.yaml": no such file$/m],
    ] as const) {
      const r = await regctl(['mirror', ...args]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
    }
  });
});
