// The pure half of `regctl mirror`: flag grammar and refusals (the MCO's words), the
// ImageContentSourcePolicy edits, and the registries.conf entries the MCO renders from them
// (runtime-utils mergedMirrorSets / EditRegistriesConfig), read back with a TOML parser.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as toml from 'smol-toml';
import { UsageError } from '../../src/errors.js';
import { allMirrorSets, defaultPolicyName, parseMirrorGroups, planMirror, policyObject, type PolicyObject } from '../../src/templates/mirror.js';
import { mergedMirrorSets, nodeRegistryFiles, REGISTRIES_CONF, registryEntries } from '../../src/templates/node-registries.js';
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
  test('the seed 004 policy renders the seed example registries.conf: mirror-by-digest-only and [[registry.mirror]] in order', () => {
    const sets = [
      { source: 'registry.access.redhat.com/ubi8/ubi-minimal', mirrors: ['example.io/example/ubi-minimal', 'example.com/example/ubi-minimal'] },
      { source: 'registry.example.com', mirrors: ['mirror.example.net/registry-example-com'] },
      { source: 'registry.example.com/example', mirrors: ['mirror.example.net'] },
    ];
    const conf = parseToml(nodeRegistryFiles({}, toml, sets).find((f) => f.path === REGISTRIES_CONF)!.content);
    assert.deepEqual(conf.registry, [
      { prefix: '', location: 'registry.access.redhat.com/ubi8/ubi-minimal', 'mirror-by-digest-only': true, mirror: [{ location: 'example.io/example/ubi-minimal' }, { location: 'example.com/example/ubi-minimal' }] },
      { prefix: '', location: 'registry.example.com', 'mirror-by-digest-only': true, mirror: [{ location: 'mirror.example.net/registry-example-com' }] },
      { prefix: '', location: 'registry.example.com/example', 'mirror-by-digest-only': true, mirror: [{ location: 'mirror.example.net' }] },
    ]);
  });

  test("the Image's insecure scopes reach the mirrors nested in them; blocked ones mark the entry, not its mirrors", () => {
    const entries = registryEntries(['mirror.local:5000'], ['quay.io/a'], [{ source: 'quay.io/a', mirrors: ['mirror.local:5000/a', 'other.io/a'] }]);
    assert.deepEqual(entries, [{ prefix: '', location: 'quay.io/a', blocked: true, 'mirror-by-digest-only': true, mirror: [{ location: 'mirror.local:5000/a', insecure: true }, { location: 'other.io/a' }] }, { prefix: '', location: 'mirror.local:5000', insecure: true }]);
  });

  test('mirror sets of one source from several policies merge keeping each order: (B, C) and (A, B) give (A, B, C)', () => {
    assert.deepEqual(mergedMirrorSets([{ source: 's.io/r', mirrors: ['b.io/r', 'c.io/r'] }, { source: 's.io/r', mirrors: ['a.io/r', 'b.io/r'] }]), [{ source: 's.io/r', mirrors: ['a.io/r', 'b.io/r', 'c.io/r'] }]);
  });

  test('a set that only repeats its source is no mirror set; the source listed first is kept in place', () => {
    assert.deepEqual(mergedMirrorSets([{ source: 's.io/r', mirrors: ['s.io/r'] }]), []);
    assert.deepEqual(mergedMirrorSets([{ source: 's.io/r', mirrors: ['s.io/r', 'm.io/r'] }]), [{ source: 's.io/r', mirrors: ['s.io/r', 'm.io/r'] }]);
  });

  test('contradicting orders across policies are refused', () => {
    assert.match(refusal(() => mergedMirrorSets([{ source: 's.io/r', mirrors: ['a.io/r', 'b.io/r'] }, { source: 's.io/r', mirrors: ['b.io/r', 'a.io/r'] }])).message, /contradicting orders/);
  });
});
