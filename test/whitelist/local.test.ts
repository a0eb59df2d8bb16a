// `regctl whitelist --local`: rendering without a cluster, from a saved Image or a fresh one.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { run as regctl } from '../support/world.js';

const dir = mkdtempSync(join(tmpdir(), 'regctl-whitelist-local-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SAVED = `apiVersion: config.openshift.io/v1
kind: Image
metadata:
  name: cluster
  resourceVersion: "8302"
spec:
  registrySources:
    blockedRegistries:
    - untrusted.com
status:
  internalRegistryHostname: image-registry.openshift-image-registry.svc:5000
`;

describe('whitelist --local', () => {
  test('-f reads a saved Image (as oc get -o yaml prints it) and --add edits its lists', async () => {
    const file = join(dir, 'image.yaml');
    writeFileSync(file, SAVED);
    const r = await regctl(['whitelist', '--local', '-f', file, '--add', '--block', 'reg1.io/myrepo/myapp', '-o', 'yaml']);
    assert.equal(r.code, 0, r.stderr);
    const list = load(r.stdout) as any;
    assert.equal(list.kind, 'List');
    const image = list.items[0];
    assert.deepEqual(image.spec.registrySources.blockedRegistries, ['untrusted.com', 'reg1.io/myrepo/myapp']);
    assert.equal(image.metadata.resourceVersion, '8302');
  });

  test('without -f it starts from the Image a new cluster has', async () => {
    const r = await regctl(['whitelist', '--local', '--search', 'reg1.io', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).items[0].spec, { registrySources: { containerRuntimeSearchRegistries: ['reg1.io'] } });
  });

  test('--preview prints every node file under its path', async () => {
    const r = await regctl(['whitelist', '--local', '--block', 'untrusted.com', '--search', 'reg1.io', '--preview']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      r.stdout.split('\n').filter((l) => l.startsWith('==>')),
      // The order the machine-config operator writes them in.
      ['==> /etc/containers/registries.conf <==', '==> /etc/containers/policy.json <==', '==> /etc/containers/registries.conf.d/01-image-searchRegistries.conf <=='],
    );
  });

  for (const [args, message] of [
    [['--local', '--block', 'x.io'], /^error: --local renders only: give -o yaml\|json or --preview$/m],
    [['-f', 'image.yaml', '--block', 'x.io'], /^error: -f\/--filename is read only with --local/m],
    [['--local', '--block', 'x.io', '--preview', '--wait'], /^error: --wait follows an applied change/m],
    [['--local', '-f', '/nonexistent/image.yaml', '-o', 'yaml'], /^error: --filename: cannot read "\/nonexistent\/image\.yaml": no such file$/m],
  ] as const) {
    test(`refuses ${args.join(' ')}`, async () => {
      const r = await regctl(['whitelist', ...args]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
    });
  }

  test('a file that is not an Image is refused', async () => {
    const file = join(dir, 'cm.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
    const r = await regctl(['whitelist', '--local', '-f', file, '-o', 'yaml']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /is not an image\.config\.openshift\.io object/);
  });
});
