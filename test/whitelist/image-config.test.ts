// The 4.x registry lists of image.config.openshift.io/cluster: what regctl patches, what it
// refuses (in the machine-config operator's words), and what it warns about.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RegctlError } from '../../src/errors.js';
import {
  defaultImage,
  isValidRegistriesConfScope,
  parseImportLocation,
  parseScope,
  planImageConfig,
  repositoryOf,
  scopeIsNestedInsideScope,
  type ImageObject,
  type WhitelistEdits,
} from '../../src/templates/image-config.js';
import { mergePatch } from '../../src/plan/types.js';

const DEFAULTS = ['registry.redhat.io', 'quay.io', 'image-registry.openshift-image-registry.svc:5000'];

function image(registrySources: Record<string, string[]> = {}, extra: Partial<ImageObject['spec']> = {}): ImageObject {
  const img = defaultImage();
  img.metadata.resourceVersion = '42';
  img.spec = { registrySources, ...extra };
  return img;
}

const edits = (e: Partial<WhitelistEdits>): WhitelistEdits => ({ mode: 'set', lists: {}, includeDefaults: false, force: false, ...e });

function refusal(fn: () => unknown): RegctlError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof RegctlError, String(e));
    assert.equal(e.exitCode, 2);
    return e;
  }
  assert.fail('expected a refusal');
}

describe('image config: registry scopes', () => {
  test('accepts hosts, host:port, *.domain wildcards and repository scopes', () => {
    for (const s of ['example.com', 'reg.example.com:5000', '*.example.com', 'reg1.io/myrepo/myapp', '10.0.0.1:5000', 'localhost']) {
      assert.equal(parseScope('allowedRegistries', s), s);
    }
  });

  test('refuses tags, digests and misplaced wildcards with the MCO message and the reason', () => {
    const tag = refusal(() => parseScope('allowedRegistries', 'reg1.io/myrepo/myapp:latest'));
    assert.equal(tag.message, '--allow: invalid entry for allowed registries "reg1.io/myrepo/myapp:latest"');
    assert.match(tag.hint!, /tag/);
    assert.match(refusal(() => parseScope('blockedRegistries', 'reg1.io/app@sha256:abc')).hint!, /digest/);
    assert.equal(refusal(() => parseScope('insecureRegistries', 'foo.*.com')).message, '--insecure: invalid entry for insecure registries "foo.*.com"');
    assert.match(refusal(() => parseScope('blockedRegistries', '*.example.com:5000')).hint!, /wildcard/);
    refusal(() => parseScope('allowedRegistries', 'https://example.com'));
  });

  test('search registries must be plain host names (the CRD says Format=hostname)', () => {
    assert.equal(parseScope('containerRuntimeSearchRegistries', 'reg1.io'), 'reg1.io');
    for (const bad of ['reg1.io:5000', '*.reg1.io', 'reg1.io/ns']) refusal(() => parseScope('containerRuntimeSearchRegistries', bad));
  });

  test('IsValidRegistriesConfScope and ScopeIsNestedInsideScope behave as runtime-utils', () => {
    assert.equal(isValidRegistriesConfScope('*.example.com'), true);
    assert.equal(isValidRegistriesConfScope('*.example.com/ns'), false);
    assert.equal(isValidRegistriesConfScope(''), false);
    assert.equal(scopeIsNestedInsideScope('bar.example.com/ns', '*.example.com'), true);
    assert.equal(scopeIsNestedInsideScope('*.foo.example.com', '*.example.com'), true);
    assert.equal(scopeIsNestedInsideScope('reg.io/ns/app', 'reg.io/ns'), true);
    assert.equal(scopeIsNestedInsideScope('reg.io/nsx', 'reg.io/ns'), false);
    assert.equal(scopeIsNestedInsideScope('quay/bar.foo:400', '*.foo'), false);
  });

  test('--allow-import takes domain[:port][,insecure] with * and ? wildcards', () => {
    assert.deepEqual(parseImportLocation('quay.io'), { domainName: 'quay.io' });
    assert.deepEqual(parseImportLocation('reg.example.com:5000,insecure'), { domainName: 'reg.example.com:5000', insecure: true });
    assert.deepEqual(parseImportLocation('*.example.com'), { domainName: '*.example.com' });
    assert.match(refusal(() => parseImportLocation('quay.io,secure')).message, /unknown option "secure"/);
    refusal(() => parseImportLocation('quay.io/ns'));
  });

  test('the release payload repository comes from the ClusterVersion image without digest or tag', () => {
    assert.equal(repositoryOf('quay.io/openshift-release-dev/ocp-release@sha256:00'), 'quay.io/openshift-release-dev/ocp-release');
    assert.equal(repositoryOf('reg:5000/ocp/release:4.18.5'), 'reg:5000/ocp/release');
  });
});

describe('image config: the merge patch', () => {
  test('--allow with --include-defaults sets allowedRegistries with the cluster registries appended', () => {
    const r = planImageConfig(image(), edits({ lists: { allowedRegistries: ['example.com'] }, includeDefaults: true }));
    assert.deepEqual(r.patch, { spec: { registrySources: { allowedRegistries: ['example.com', ...DEFAULTS] } } });
    assert.deepEqual(r.added, DEFAULTS);
    assert.deepEqual(r.image.spec?.registrySources?.allowedRegistries, ['example.com', ...DEFAULTS]);
    assert.equal(r.changed, true);
  });

  test('a wildcard covering a default counts as listing it', () => {
    const r = planImageConfig(image(), edits({ lists: { allowedRegistries: ['*.redhat.io', 'quay.io', 'image-registry.openshift-image-registry.svc:5000'] } }));
    assert.deepEqual(r.added, []);
    assert.deepEqual(r.warnings, []);
  });

  test('the internal registry hostname comes from the Image status', () => {
    const img = image();
    img.status = { internalRegistryHostname: 'registry.internal:5000' };
    const r = planImageConfig(img, edits({ lists: { allowedRegistries: ['a.io'] }, includeDefaults: true }));
    assert.deepEqual(r.added, ['registry.redhat.io', 'quay.io', 'registry.internal:5000']);
  });

  test('lists not given are left alone; an empty list clears with null', () => {
    const live = image({ insecureRegistries: ['old.io'], containerRuntimeSearchRegistries: ['reg1.io'] });
    const r = planImageConfig(live, edits({ lists: { insecureRegistries: [] } }));
    assert.deepEqual(r.patch, { spec: { registrySources: { insecureRegistries: null } } });
    assert.deepEqual(r.image.spec?.registrySources, { containerRuntimeSearchRegistries: ['reg1.io'] });
  });

  test('--add appends to the live list and pins the resourceVersion it read', () => {
    const live = image({ blockedRegistries: ['untrusted.com'] });
    const r = planImageConfig(live, edits({ mode: 'add', lists: { blockedRegistries: ['reg1.io/myrepo/myapp', 'untrusted.com'] } }));
    assert.deepEqual(r.patch, { metadata: { resourceVersion: '42' }, spec: { registrySources: { blockedRegistries: ['untrusted.com', 'reg1.io/myrepo/myapp'] } } });
  });

  test('--remove takes entries out, warns about absent ones, and removes an emptied list', () => {
    const live = image({ blockedRegistries: ['untrusted.com'] });
    const r = planImageConfig(live, edits({ mode: 'remove', lists: { blockedRegistries: ['untrusted.com', 'never.io'] } }));
    assert.deepEqual(r.patch.spec, { registrySources: { blockedRegistries: null } });
    assert.deepEqual(r.warnings, ['--block never.io: not in blockedRegistries, nothing to remove']);
  });

  test('the same lists again change nothing and yield an empty patch', () => {
    const live = image({ blockedRegistries: ['untrusted.com'] });
    const r = planImageConfig(live, edits({ lists: { blockedRegistries: ['untrusted.com'] } }));
    assert.equal(r.changed, false);
    assert.deepEqual(r.patch, {});
  });

  test('allowedRegistriesForImport is set, added to by domain, and removed by domain', () => {
    const live = image({}, { allowedRegistriesForImport: [{ domainName: 'quay.io', insecure: false }] });
    const add = planImageConfig(live, edits({ mode: 'add', allowImport: [{ domainName: 'reg.example.com:5000', insecure: true }] }));
    assert.deepEqual(add.patch.spec, { allowedRegistriesForImport: [{ domainName: 'quay.io', insecure: false }, { domainName: 'reg.example.com:5000', insecure: true }] });
    const remove = planImageConfig(live, edits({ mode: 'remove', allowImport: [{ domainName: 'quay.io' }] }));
    assert.deepEqual(remove.patch.spec, { allowedRegistriesForImport: null });
  });

  test('mergePatch follows RFC 7386', () => {
    assert.deepEqual(mergePatch({ a: { b: 1, c: [1] }, d: 1 }, { a: { c: [2], e: null }, d: null }), { a: { b: 1, c: [2] } });
  });
});

describe('image config: refusals and warnings', () => {
  test('allowed and blocked together are refused with the MCO message', () => {
    const e = refusal(() => planImageConfig(image(), edits({ lists: { allowedRegistries: ['a.io'], blockedRegistries: ['b.io'] }, force: true })));
    assert.equal(e.message, 'invalid images config: only one of AllowedRegistries or BlockedRegistries may be specified');
  });

  test('an allow list on a cluster with a block list says how to clear the block list', () => {
    const e = refusal(() => planImageConfig(image({ blockedRegistries: ['b.io'] }), edits({ lists: { allowedRegistries: ['a.io'] }, includeDefaults: true })));
    assert.match(e.hint!, /already has blockedRegistries \(b\.io\); clear it first with --block ''/);
  });

  test('an allow list without registry.redhat.io, quay.io and the internal registry is refused', () => {
    const e = refusal(() => planImageConfig(image(), edits({ lists: { allowedRegistries: ['example.com', 'quay.io'] } })));
    assert.match(e.message, /^--allow: the allowed registries leave out registry\.redhat\.io, image-registry\.openshift-image-registry\.svc:5000, /);
    assert.match(e.hint!, /--include-defaults/);
  });

  test('--force keeps such an allow list as given, with a warning', () => {
    const r = planImageConfig(image(), edits({ lists: { allowedRegistries: ['example.com'] }, force: true }));
    assert.deepEqual(r.sources.allowedRegistries, ['example.com']);
    assert.match(r.warnings[0]!, /leave out registry\.redhat\.io, quay\.io/);
  });

  test('blocking quay.io (or a wildcard covering it) is refused unless --force', () => {
    assert.match(refusal(() => planImageConfig(image(), edits({ lists: { blockedRegistries: ['*.io'] } }))).message, /^--block: the blocked registries cover registry\.redhat\.io, quay\.io/);
    const forced = planImageConfig(image(), edits({ lists: { blockedRegistries: ['quay.io'] }, force: true }));
    assert.deepEqual(forced.sources.blockedRegistries, ['quay.io']);
  });

  test('blocking the release payload repository is refused with the MCO error; forced, the list keeps it (the node files follow the release, src/node-files)', () => {
    const payloadRepo = 'quay.io/openshift-release-dev/ocp-release';
    const e = refusal(() => planImageConfig(image(), edits({ lists: { blockedRegistries: ['quay.io/openshift-release-dev'] }, payloadRepo })));
    assert.equal(e.message, '--block: error adding ["quay.io/openshift-release-dev"] to blocked registries, cannot block the repository being used by the payload (quay.io/openshift-release-dev/ocp-release)');
    const forced = planImageConfig(image(), edits({ lists: { blockedRegistries: ['quay.io/openshift-release-dev', 'untrusted.com'] }, payloadRepo, force: true }));
    assert.deepEqual(forced.sources.blockedRegistries, ['quay.io/openshift-release-dev', 'untrusted.com']);
    assert.match(forced.warnings.join('\n'), /cannot block the repository being used by the payload/);
  });

  test('insecure and search registries outside the allow list are reported', () => {
    const r = planImageConfig(
      image(),
      edits({ lists: { allowedRegistries: ['example.com'], insecureRegistries: ['insecure.com', 'x.example.com'], containerRuntimeSearchRegistries: ['reg1.io'] }, includeDefaults: true }),
    );
    assert.deepEqual(r.warnings, [
      'insecure registry insecure.com is not in the allowed registries: pulls from it will be refused (add it with --add --allow insecure.com)',
      'insecure registry x.example.com is not in the allowed registries: pulls from it will be refused (add it with --add --allow x.example.com)',
      'search registry reg1.io is not in the allowed registries: short names will not resolve there (add it with --add --allow reg1.io)',
    ]);
  });

  test('an unchanged allow list that already lacks the defaults only warns', () => {
    const r = planImageConfig(image({ allowedRegistries: ['example.com'] }), edits({ mode: 'add', lists: { insecureRegistries: ['example.com'] } }));
    assert.match(r.warnings[0]!, /leave out/);
    assert.equal(r.changed, true);
  });
});
