// The pure half of `regctl mirror`: flag grammar and refusals (the MCO's words), the
// ImageContentSourcePolicy edits, and the registries.conf entries the MCO renders from them
// (runtime-utils mergedMirrorSets / EditRegistriesConfig), read back with a TOML parser.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as toml from 'smol-toml';
import { UsageError } from '../../src/errors.js';
import { allMirrorSets, defaultPolicyName, parseMirrorGroups, planMirror, planMirrorRequest, policyObject, TAG_MIRROR_WARNING, type PolicyObject } from '../../src/templates/mirror.js';
import { REGISTRIES_CONF } from '../../src/templates/node-registries.js';
import { renderNodeFiles } from '../../src/node-files/render.js';
import { NO_MIRRORS } from '../../src/node-files/registries.js';
import { rulesFor } from '../../src/node-files/release.js';
import { allowListFixes, allowListProblems } from '../../src/node-files/allow-list.js';
import { planMirrorOutcome } from '../../src/node-files/mirror-plan.js';
import { validateObject } from '../support/schema.js';

const parseToml = (text: string) => JSON.parse(JSON.stringify(toml.parse(text)));

function refusal(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof UsageError, String(e));
    return e;
  }
  assert.fail('expected a UsageError');
}

describe('mirror flags', () => {
  test('--source with plain --mirror values makes one group, mirrors in the order given', () => {
    assert.deepEqual(parseMirrorGroups(['registry.access.redhat.com/ubi8/ubi-minimal'], ['example.io/example/ubi-minimal', 'example.com/example/ubi-minimal'], false), [
      { source: 'registry.access.redhat.com/ubi8/ubi-minimal', mirrors: ['example.io/example/ubi-minimal', 'example.com/example/ubi-minimal'] },
    ]);
  });

  test('--mirror SOURCE=M1,M2 makes a group each; a repeated source is merged and duplicates dropped', () => {
    assert.deepEqual(parseMirrorGroups([], ['registry.redhat.io=mirror.example.com', 'quay.io/a=m1.io/a,m2.io/a', 'quay.io/a=m2.io/a,m3.io/a'], false), [
      { source: 'registry.redhat.io', mirrors: ['mirror.example.com'] },
      { source: 'quay.io/a', mirrors: ['m1.io/a', 'm2.io/a', 'm3.io/a'] },
    ]);
  });

  test('hosts with ports are accepted as sources and mirrors', () => {
    assert.deepEqual(parseMirrorGroups([], ['127.0.0.1:5000/ns/app=127.0.0.1:5001/mirror/app'], false), [{ source: '127.0.0.1:5000/ns/app', mirrors: ['127.0.0.1:5001/mirror/app'] }]);
  });

  const refusals: [string, string[], string[], boolean, RegExp][] = [
    ['a wildcard source, in the MCO words', [], ['*.example.com=mirror.example.com'], false, /^--mirror: wildcard entries are not supported with mirror configuration "\*\.example\.com"$/],
    ['a wildcard mirror, in the MCO words', ['quay.io/a'], ['*.mirror.com'], false, /^--mirror: wildcard entries are not supported with mirror configuration "\*\.mirror\.com"$/],
    ['a wildcard --source', ['quay.io/*'], ['m.io/a'], false, /^--source: wildcard entries are not supported with mirror configuration "quay\.io\/\*"$/],
    ['an empty mirror list, in the MCO words', [], ['quay.io/a='], false, /^--mirror: invalid empty entry for mirror configuration/],
    ['an empty source, in the MCO words', [], ['=m.io/a'], false, /^--mirror: invalid empty entry for source configuration$/],
    ['a tagged source', [], ['quay.io/a:v1=m.io/a'], false, /^--mirror: invalid source "quay\.io\/a:v1"$/],
    ['a mirror with a digest', [], ['quay.io/a=m.io/a@sha256:0123'], false, /^--mirror: invalid mirror "m\.io\/a@sha256:0123"$/],
    ['a plain --mirror without --source', [], ['m.io/a'], false, /which source does it mirror\?/],
    ['plain --mirror values with two --source', ['a.io/x', 'b.io/y'], ['m.io/a'], false, /belongs to a single --source/],
    ['--source without mirrors when adding', ['quay.io/a'], [], false, /^--source quay\.io\/a: give its mirrors with --mirror/],
    ['a source mirrored only to itself', [], ['quay.io/a=quay.io/a'], false, /quay\.io\/a is given as its own only mirror/],
  ];
  for (const [what, sources, mirrors, removing, message] of refusals) {
    test(`refuses ${what}`, () => {
      assert.match(refusal(() => parseMirrorGroups(sources, mirrors, removing)).message, message);
    });
  }

  test('with --remove a --source alone stands for the whole source', () => {
    assert.deepEqual(parseMirrorGroups(['quay.io/a', 'quay.io/b'], [], true), [
      { source: 'quay.io/a', mirrors: [] },
      { source: 'quay.io/b', mirrors: [] },
    ]);
  });

  test('the default policy name is a valid object name made from the first source', () => {
    assert.equal(defaultPolicyName('registry.access.redhat.com/ubi8/ubi-minimal'), 'registry.access.redhat.com-ubi8-ubi-minimal');
    assert.equal(defaultPolicyName('127.0.0.1:5000/NS/app_x'), '127.0.0.1-5000-ns-app-x');
  });
});

describe('mirror: the ImageContentSourcePolicy edits', () => {
  const live = (name: string, sets: { source: string; mirrors: string[] }[], rv = '7'): PolicyObject => ({ ...policyObject(name, sets), metadata: { name, resourceVersion: rv } });

  test('a new policy holds spec.repositoryDigestMirrors as the seed shows it, with only documented spec fields', async () => {
    const plan = planMirror([], { mode: 'add', name: 'ubi8repo', groups: [{ source: 'registry.access.redhat.com/ubi8/ubi-minimal', mirrors: ['example.io/example/ubi-minimal', 'example.com/example/ubi-minimal'] }] });
    assert.equal(plan.changes.length, 1);
    const c = plan.changes[0]!;
    assert.equal(c.action, 'create');
    assert.deepEqual(c.action === 'create' && c.object, {
      apiVersion: 'operator.openshift.io/v1alpha1',
      kind: 'ImageContentSourcePolicy',
      metadata: { name: 'ubi8repo' },
      spec: { repositoryDigestMirrors: [{ mirrors: ['example.io/example/ubi-minimal', 'example.com/example/ubi-minimal'], source: 'registry.access.redhat.com/ubi8/ubi-minimal' }] },
    });
    if (c.action === 'create') await validateObject(c.object);
  });

  test('adding to an existing policy appends new mirrors after the old ones and new sources after the old sources', () => {
    const plan = planMirror([live('p', [{ source: 'quay.io/a', mirrors: ['m1.io/a'] }])], { mode: 'add', name: 'p', groups: [{ source: 'quay.io/a', mirrors: ['m2.io/a', 'm1.io/a'] }, { source: 'quay.io/b', mirrors: ['m1.io/b'] }] });
    const c = plan.changes[0]!;
    assert.equal(c.action, 'update');
    assert.deepEqual(c.action === 'update' && c.patch, {
      metadata: { resourceVersion: '7' },
      spec: { repositoryDigestMirrors: [{ mirrors: ['m1.io/a', 'm2.io/a'], source: 'quay.io/a' }, { mirrors: ['m1.io/b'], source: 'quay.io/b' }] },
    });
  });

  test('adding what a policy already says changes nothing', () => {
    assert.deepEqual(planMirror([live('p', [{ source: 'quay.io/a', mirrors: ['m1.io/a'] }])], { mode: 'add', name: 'p', groups: [{ source: 'quay.io/a', mirrors: ['m1.io/a'] }] }).changes, []);
  });

  test('--replace makes the list exactly the groups given', () => {
    const plan = planMirror([live('p', [{ source: 'quay.io/a', mirrors: ['m1.io/a'] }])], { mode: 'replace', name: 'p', groups: [{ source: 'quay.io/b', mirrors: ['m1.io/b'] }] });
    const c = plan.changes[0]!;
    assert.deepEqual(c.action === 'update' && c.patch.spec, { repositoryDigestMirrors: [{ mirrors: ['m1.io/b'], source: 'quay.io/b' }] });
  });

  test('a source already mirrored by another policy is added with a warning that the MCO merges them', () => {
    const plan = planMirror([live('other', [{ source: 'quay.io/a', mirrors: ['m1.io/a'] }])], { mode: 'add', name: 'p', groups: [{ source: 'quay.io/a', mirrors: ['m2.io/a'] }] });
    assert.equal(plan.changes[0]!.action, 'create');
    assert.match(plan.warnings.join('\n'), /quay\.io\/a is also mirrored by imagecontentsourcepolicy\/other/);
  });

  test('--remove without --name edits every policy holding the source and deletes the one left empty', () => {
    const policies = [live('one', [{ source: 'quay.io/a', mirrors: ['m1.io/a'] }]), live('two', [{ source: 'quay.io/a', mirrors: ['m1.io/a', 'm2.io/a'] }, { source: 'quay.io/b', mirrors: ['m.io/b'] }]), live('three', [{ source: 'quay.io/c', mirrors: ['m.io/c'] }])];
    const plan = planMirror(policies, { mode: 'remove', groups: [{ source: 'quay.io/a', mirrors: ['m1.io/a'] }] });
    assert.deepEqual(
      plan.changes.map((c) => [c.action, c.action === 'create' ? c.object.metadata.name : c.before.metadata.name]),
      [['delete', 'one'], ['update', 'two']],
    );
    assert.deepEqual(allMirrorSets(plan.policies), [{ source: 'quay.io/c', mirrors: ['m.io/c'] }, { source: 'quay.io/a', mirrors: ['m2.io/a'] }, { source: 'quay.io/b', mirrors: ['m.io/b'] }]);
  });

  test('--remove of a whole source, and of something not there, warns what was not found', () => {
    const plan = planMirror([live('p', [{ source: 'quay.io/a', mirrors: ['m1.io/a'] }, { source: 'quay.io/b', mirrors: ['m.io/b'] }])], { mode: 'remove', groups: [{ source: 'quay.io/b', mirrors: [] }, { source: 'quay.io/z', mirrors: [] }] });
    const c = plan.changes[0]!;
    assert.deepEqual(c.action === 'update' && c.patch.spec, { repositoryDigestMirrors: [{ mirrors: ['m1.io/a'], source: 'quay.io/a' }] });
    assert.deepEqual(plan.warnings, ['quay.io/z: not mirrored by any ImageContentSourcePolicy, nothing to remove']);
  });

  test('--remove --name alone deletes that policy; an unknown name is refused', () => {
    assert.equal(planMirror([live('p', [{ source: 'quay.io/a', mirrors: ['m.io/a'] }])], { mode: 'remove', name: 'p', groups: [] }).changes[0]!.action, 'delete');
    assert.match(refusal(() => planMirror([], { mode: 'remove', name: 'nope', groups: [] })).message, /imagecontentsourcepolicy\.operator\.openshift\.io\/nope not found/);
  });
});

describe('mirror: what the nodes receive', () => {
  const sets = [
    { source: 'registry.access.redhat.com/ubi8/ubi-minimal', mirrors: ['example.io/example/ubi-minimal', 'example.com/example/ubi-minimal'] },
    { source: 'registry.example.com', mirrors: ['mirror.example.net/registry-example-com'] },
    { source: 'registry.example.com/example', mirrors: ['mirror.example.net'] },
  ];
  const conf = (minor: number, icsp: typeof sets, insecure: string[] = [], blocked: string[] = []) =>
    parseToml(renderNodeFiles({ rules: rulesFor({ minor, name: `4.${minor}` }), sources: { insecureRegistries: insecure, blockedRegistries: blocked }, mirrors: { ...NO_MIRRORS, icsp } }, toml).files.find((f) => f.path === REGISTRIES_CONF)!.content);

  test('4.12: the seed 004 policy renders the seed example registries.conf: mirror-by-digest-only and [[registry.mirror]] in order', () => {
    assert.deepEqual(conf(12, sets).registry, [
      { prefix: '', location: 'registry.access.redhat.com/ubi8/ubi-minimal', 'mirror-by-digest-only': true, mirror: [{ location: 'example.io/example/ubi-minimal' }, { location: 'example.com/example/ubi-minimal' }] },
      { prefix: '', location: 'registry.example.com', 'mirror-by-digest-only': true, mirror: [{ location: 'mirror.example.net/registry-example-com' }] },
      { prefix: '', location: 'registry.example.com/example', 'mirror-by-digest-only': true, mirror: [{ location: 'mirror.example.net' }] },
    ]);
  });

  test('4.13+: the same policy gives pull-from-mirror = "digest-only" per mirror instead', () => {
    assert.deepEqual(conf(16, sets).registry[0], { prefix: '', location: 'registry.access.redhat.com/ubi8/ubi-minimal', mirror: [{ location: 'example.io/example/ubi-minimal', 'pull-from-mirror': 'digest-only' }, { location: 'example.com/example/ubi-minimal', 'pull-from-mirror': 'digest-only' }] });
  });

  test("the Image's insecure scopes reach the mirrors nested in them; blocked ones mark the entry, not its mirrors", () => {
    assert.deepEqual(conf(12, [{ source: 'quay.io/a', mirrors: ['mirror.local:5000/a', 'other.io/a'] }], ['mirror.local:5000'], ['quay.io/a']).registry, [
      { prefix: '', location: 'quay.io/a', blocked: true, 'mirror-by-digest-only': true, mirror: [{ location: 'mirror.local:5000/a', insecure: true }, { location: 'other.io/a' }] },
      { prefix: '', location: 'mirror.local:5000', insecure: true },
    ]);
  });

  test('contradicting orders across policies are merged as the operator merges them, not refused', () => {
    assert.deepEqual(conf(16, [{ source: 's.io/r', mirrors: ['a.io/r', 'b.io/r'] }, { source: 's.io/r', mirrors: ['b.io/r', 'a.io/r'] }]).registry[0].mirror.map((m: { location: string }) => m.location), ['a.io/r', 'b.io/r']);
  });
});

describe('mirror: which kind a request edits', () => {
  const live = (kind: 'ImageContentSourcePolicy' | 'ImageDigestMirrorSet', name: string, sets: { source: string; mirrors: string[] }[]): PolicyObject => ({ ...policyObject(name, sets, kind), metadata: { name, resourceVersion: '3' } });
  const NONE = { icsp: [], idms: [], itms: [] };
  const add = { mode: 'add' as const, groups: [{ source: 'quay.io/a', mirrors: ['m.io/a'] }], tags: false, convert: false };

  test('4.13+ (discovery finds ImageDigestMirrorSet): a new rule is an ImageDigestMirrorSet; before, an ImageContentSourcePolicy', () => {
    const c = planMirrorRequest(NONE, { ...add, servesMirrorSets: true }).changes[0]!;
    assert.deepEqual(c.action === 'create' && c.object, { apiVersion: 'config.openshift.io/v1', kind: 'ImageDigestMirrorSet', metadata: { name: 'quay.io-a' }, spec: { imageDigestMirrors: [{ mirrors: ['m.io/a'], source: 'quay.io/a' }] } });
    const old = planMirrorRequest(NONE, { ...add, servesMirrorSets: false }).changes[0]!;
    assert.equal(old.action === 'create' && old.object.kind, 'ImageContentSourcePolicy');
  });

  test('--never-contact-source writes mirrorSourcePolicy: NeverContactSource; an ICSP-only cluster refuses it', () => {
    const c = planMirrorRequest(NONE, { ...add, neverContactSource: true, servesMirrorSets: true }).changes[0]!;
    assert.deepEqual(c.action === 'create' && c.object.spec, { imageDigestMirrors: [{ mirrors: ['m.io/a'], source: 'quay.io/a', mirrorSourcePolicy: 'NeverContactSource' }] });
    assert.match(refusal(() => planMirrorRequest(NONE, { ...add, neverContactSource: true, servesMirrorSets: false })).message, /OpenShift 4\.13 and later/);
  });

  test('--tags creates an ImageTagMirrorSet with the documented warning', () => {
    const plan = planMirrorRequest(NONE, { ...add, tags: true, servesMirrorSets: true });
    assert.deepEqual(plan.changes[0]!.action === 'create' && plan.changes[0]!.object.spec, { imageTagMirrors: [{ mirrors: ['m.io/a'], source: 'quay.io/a' }] });
    assert.deepEqual(plan.warnings, [TAG_MIRROR_WARNING]);
  });

  test('an existing ICSP named by --name is edited in its own kind', () => {
    const plan = planMirrorRequest({ ...NONE, icsp: [live('ImageContentSourcePolicy', 'p', [{ source: 'quay.io/a', mirrors: ['old.io/a'] }])] }, { ...add, name: 'p', servesMirrorSets: true });
    assert.equal(plan.changes[0]!.action, 'update');
    assert.deepEqual(plan.kinds, ['ImageContentSourcePolicy']);
  });

  test('--remove without --name takes the source out of ICSPs and IDMSs alike', () => {
    const plan = planMirrorRequest(
      { ...NONE, icsp: [live('ImageContentSourcePolicy', 'p', [{ source: 'quay.io/a', mirrors: ['m.io/a'] }])], idms: [live('ImageDigestMirrorSet', 'd', [{ source: 'quay.io/a', mirrors: ['m.io/a'] }, { source: 'quay.io/b', mirrors: ['m.io/b'] }])] },
      { mode: 'remove', groups: [{ source: 'quay.io/a', mirrors: [] }, { source: 'quay.io/z', mirrors: [] }], tags: false, convert: false, servesMirrorSets: true },
    );
    assert.deepEqual(plan.changes.map((c) => [c.action, (c.action === 'create' ? c.object : c.before).kind]), [['delete', 'ImageContentSourcePolicy'], ['update', 'ImageDigestMirrorSet']]);
    assert.deepEqual(plan.warnings, ['quay.io/z: not mirrored by any ImageContentSourcePolicy or ImageDigestMirrorSet, nothing to remove']);
  });

  test('--convert: every ICSP into one IDMS, then the ICSPs deleted; refused where IDMS is not served or the name is taken', () => {
    const icsp = [live('ImageContentSourcePolicy', 'b', [{ source: 'quay.io/b', mirrors: ['m.io/b'] }]), live('ImageContentSourcePolicy', 'a', [{ source: 'quay.io/a', mirrors: ['m.io/a'] }])];
    const plan = planMirrorRequest({ ...NONE, icsp }, { mode: 'add', groups: [], tags: false, convert: true, servesMirrorSets: true });
    assert.deepEqual(plan.changes.map((c) => [c.action, (c.action === 'create' ? c.object : c.before).metadata.name]), [['create', 'converted-from-icsp'], ['delete', 'a'], ['delete', 'b']]);
    const created = plan.changes[0]!;
    assert.deepEqual(created.action === 'create' && created.object.spec, { imageDigestMirrors: [{ mirrors: ['m.io/a'], source: 'quay.io/a' }, { mirrors: ['m.io/b'], source: 'quay.io/b' }] });
    assert.match(refusal(() => planMirrorRequest({ ...NONE, icsp }, { mode: 'add', groups: [], tags: false, convert: true, servesMirrorSets: false })).message, /--convert: this cluster serves no ImageDigestMirrorSet/);
    assert.match(refusal(() => planMirrorRequest({ ...NONE, icsp, idms: [live('ImageDigestMirrorSet', 'x', [])] }, { mode: 'add', name: 'x', groups: [], tags: false, convert: true, servesMirrorSets: true })).message, /already exists/);
  });
});

describe('mirror: the allow list', () => {
  test('a source or mirror outside allowedRegistries is a problem fixed by regctl whitelist --add --allow', () => {
    const problems = allowListProblems({ allowedRegistries: ['quay.io', 'registry.redhat.io'] }, [{ source: 'quay.io/a', mirrors: ['mirror.example.com/a', 'registry.redhat.io/a'] }, { source: 'docker.io/b', mirrors: ['mirror.example.com/a'] }]);
    assert.deepEqual(problems, [{ scope: 'mirror.example.com/a', role: 'mirror', of: 'quay.io/a' }, { scope: 'docker.io/b', role: 'source' }]);
    assert.deepEqual(allowListFixes(problems), ['regctl whitelist --add --allow mirror.example.com/a --allow docker.io/b']);
  });

  test('a mirror inside blockedRegistries names the entry to unblock', () => {
    const problems = allowListProblems({ blockedRegistries: ['*.example.com'] }, [{ source: 'quay.io/a', mirrors: ['mirror.example.com/a'] }]);
    assert.deepEqual(problems, [{ scope: 'mirror.example.com/a', role: 'mirror', of: 'quay.io/a', blockedBy: '*.example.com' }]);
    assert.deepEqual(allowListFixes(problems), ['regctl whitelist --remove --block *.example.com']);
  });
});

describe('mirror: the whole decision (planMirrorOutcome)', () => {
  const image = (registrySources: Record<string, string[]>) => ({ apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: { registrySources } });
  const world = (objects: PolicyObject[], sources: Record<string, string[]> = {}) => ({ rules: rulesFor({ minor: 16, name: '4.16' }), objects, servesMirrorSets: true, image: image(sources) });
  const icsp = (name: string, source: string, mirror: string): PolicyObject => ({ ...policyObject(name, [{ source, mirrors: [mirror] }]), metadata: { name, resourceVersion: '1' } });

  test('--convert leaves the node files as they are', () => {
    const out = planMirrorOutcome(world([icsp('a', 'quay.io/a', 'm.io/a'), icsp('b', 'quay.io/b', 'm.io/b')]), { mode: 'add', groups: [], tags: false, convert: true }, false, toml);
    assert.equal(out.filesUnchanged, true);
    assert.deepEqual(out.after.map((p) => p.kind), ['ImageDigestMirrorSet']);
  });

  test('--update-allowlist patches the Image for the mirror left out, and the node files already accept it', () => {
    const out = planMirrorOutcome(world([], { allowedRegistries: ['quay.io'] }), { mode: 'add', groups: [{ source: 'quay.io/a', mirrors: ['m.io/a'] }], tags: false, convert: false }, true, toml);
    assert.deepEqual(out.imageChange?.patch.spec, { registrySources: { allowedRegistries: ['quay.io', 'm.io/a'] } });
    assert.deepEqual(out.warnings, []);
    const policy = JSON.parse(out.files.files.find((f) => f.path.endsWith('policy.json'))!.content);
    assert.deepEqual(Object.keys(policy.transports.docker), ['m.io/a', 'quay.io']);
  });

  test('without it the same request warns and names the fix', () => {
    const out = planMirrorOutcome(world([], { allowedRegistries: ['quay.io'] }), { mode: 'add', groups: [{ source: 'quay.io/a', mirrors: ['m.io/a'] }], tags: false, convert: false }, false, toml);
    assert.equal(out.imageChange, undefined);
    assert.match(out.warnings.join('\n'), /mirror m\.io\/a \(of quay\.io\/a\) is not in allowedRegistries/);
    assert.deepEqual(out.fixes, ['regctl whitelist --add --allow m.io/a']);
  });
});
