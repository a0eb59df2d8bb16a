// The renderer held against the machine-config operator's and runtime-utils' own test tables,
// release by release: each case runs for every release it is tagged with, and the output is
// read back as TOML / JSON and compared with the upstream expectation.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as toml from 'smol-toml';
import { renderNodeFiles, validateRegistriesConfScopes } from '../../src/node-files/render.js';
import { validBlockedAndAllowed } from '../../src/node-files/payload.js';
import { policyJSON } from '../../src/node-files/policy.js';
import { editRegistriesConfig, mergedMirrorSets, NO_MIRRORS, type MirrorRule, type MirrorRules } from '../../src/node-files/registries.js';
import { rulesFor, type ReleaseRules } from '../../src/node-files/release.js';
import { TopoGraph } from '../../src/node-files/topo.js';
import { POLICY_JSON, REGISTRIES_CONF } from '../../src/templates/node-registries.js';
import { MERGE_CASES, REGISTRIES_CASES, TOPO_CASES, type Registry } from './upstream-cases.js';

const rules = (minor: number): ReleaseRules => rulesFor({ minor, name: `4.${minor}` });
const range = ([from, to]: [number, number]) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Parsed TOML as plain objects, the empty prefix left out as the Go struct comparison ignores it. */
function registriesOf(content: string): { search: unknown; registries: Registry[] } {
  const conf = JSON.parse(JSON.stringify(toml.parse(content))) as { 'unqualified-search-registries': unknown; registry?: Registry[] };
  const registries = (conf.registry ?? []).map((r) => {
    const { prefix, ...rest } = r;
    return prefix ? { prefix, ...rest } : rest;
  });
  return { search: conf['unqualified-search-registries'], registries };
}

/** Key order does not matter to the parsed comparison. */
const sortKeys = (r: Registry) => Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)));

describe('registries.conf: runtime-utils TestEditRegistriesConfig, per release', () => {
  for (const c of REGISTRIES_CASES) {
    for (const minor of range(c.releases)) {
      test(`4.${minor}: ${c.name} (${c.from})`, () => {
        const mirrors: MirrorRules = { icsp: c.icsp ?? [], idms: c.idms ?? [], itms: c.itms ?? [] };
        const input = { rules: rules(minor), sources: { insecureRegistries: c.insecure, blockedRegistries: c.blocked }, mirrors };
        let content: string;
        if (c.mcoRefuses) {
          assert.throws(() => renderNodeFiles(input, toml), c.mcoRefuses);
          content = toml.stringify({ 'unqualified-search-registries': ['registry.access.redhat.com', 'docker.io'], registry: editRegistriesConfig(input.rules, c.insecure ?? [], c.blocked ?? [], mirrors) });
        } else content = renderNodeFiles(input, toml).files.find((f) => f.path === REGISTRIES_CONF)!.content;
        const got = registriesOf(content);
        assert.deepEqual(got.search, ['registry.access.redhat.com', 'docker.io']);
        assert.deepEqual(got.registries.map(sortKeys), c.want.map(sortKeys));
      });
    }
  }

  test('a release before 4.13 leaves ImageDigestMirrorSets and ImageTagMirrorSets out, and says so', () => {
    const { files, warnings } = renderNodeFiles({ rules: rules(12), sources: {}, mirrors: { icsp: [], idms: [{ source: 'a.io', mirrors: ['m.io'] }], itms: [] } }, toml);
    assert.deepEqual(registriesOf(files[0]!.content).registries, []);
    assert.match(warnings.join('\n'), /OpenShift 4\.12 does not read ImageDigestMirrorSet/);
  });

  test('before 4.11 a scope nested in a mirrored source gets no mirrors; from 4.11 it does', () => {
    const input = (minor: number) => renderNodeFiles({ rules: rules(minor), sources: { insecureRegistries: ['registry.example.com/team'] }, mirrors: { ...NO_MIRRORS, icsp: [{ source: 'registry.example.com', mirrors: ['mirror.example.net/reg'] }] } }, toml);
    assert.deepEqual(registriesOf(input(10).files[0]!.content).registries[1], { location: 'registry.example.com/team', insecure: true });
    assert.deepEqual(registriesOf(input(11).files[0]!.content).registries[1], { location: 'registry.example.com/team', insecure: true, 'mirror-by-digest-only': true, mirror: [{ location: 'mirror.example.net/reg/team' }] });
  });
});

describe('mirror merging: runtime-utils mergedMirrorsetsTestcases and TestTopoGraph', () => {
  for (const c of MERGE_CASES) {
    test(`${c.name} (4.${c.releases[0]}–4.${c.releases[1]})`, () => {
      assert.deepEqual(mergedMirrorSets(c.input.flat()), c.result);
      // The order of the objects does not change the result.
      assert.deepEqual(mergedMirrorSets([...c.input].reverse().flat()), c.result);
    });
  }
  for (const c of TOPO_CASES) {
    test(`topoGraph: ${c.name}, every rotation of the edges`, () => {
      for (let offset = 0; offset === 0 || offset < c.edges.length; offset++) {
        const g = new TopoGraph();
        for (let i = 0; i < c.edges.length; i++) {
          const e = c.edges[(offset + i) % c.edges.length]!;
          g.addEdge(e[0]!, e[1]!);
        }
        assert.equal(g.sorted().join(''), c.result);
      }
    });
  }
});

// MCO helpers_test.go TestUpdatePolicyJSON (release-4.4 … release-4.16).
const ACCEPT = [{ type: 'insecureAcceptAnything' }];
const REJECT = [{ type: 'reject' }];
const DAEMON = { '': ACCEPT };
const PAYLOAD = 'release-reg.io/image/release';

describe('policy.json: MCO TestUpdatePolicyJSON, per release', () => {
  const cases: { name: string; releases: [number, number]; allowed?: string[]; blocked?: string[]; want?: unknown; error?: RegExp }[] = [
    { name: 'allowed', releases: [4, 16], allowed: ['allow.io', '*.allowed-example.com'], want: { default: REJECT, transports: { atomic: { 'allow.io': ACCEPT, '*.allowed-example.com': ACCEPT }, docker: { 'allow.io': ACCEPT, '*.allowed-example.com': ACCEPT }, 'docker-daemon': DAEMON } } },
    { name: 'blocked', releases: [4, 16], blocked: ['block.com', '*.blocked-example.com'], want: { default: ACCEPT, transports: { atomic: { 'block.com': REJECT, '*.blocked-example.com': REJECT }, docker: { 'block.com': REJECT, '*.blocked-example.com': REJECT }, 'docker-daemon': DAEMON } } },
    { name: 'block payload image', releases: [11, 16], blocked: ['block.com'], allowed: [PAYLOAD], want: { default: ACCEPT, transports: { atomic: { 'block.com': REJECT, [PAYLOAD]: ACCEPT }, docker: { 'block.com': REJECT, [PAYLOAD]: ACCEPT }, 'docker-daemon': DAEMON } } },
    {
      name: 'block registry of payload image',
      releases: [11, 16],
      blocked: ['block.com', 'release-reg.io'],
      allowed: [PAYLOAD],
      want: { default: ACCEPT, transports: { atomic: { 'block.com': REJECT, 'release-reg.io': REJECT, [PAYLOAD]: ACCEPT }, docker: { 'block.com': REJECT, 'release-reg.io': REJECT, [PAYLOAD]: ACCEPT }, 'docker-daemon': DAEMON } },
    },
    { name: 'blocked list and allowed list is set but allowed list does not contain the payload repo', releases: [4, 16], blocked: ['block.com', 'another-block.io'], allowed: ['allow.io'], error: /only one of AllowedRegistries or BlockedRegistries/ },
    { name: 'before 4.11 the payload repository may not sit beside a block list either', releases: [4, 10], blocked: ['block.com'], allowed: [PAYLOAD], error: /only one of AllowedRegistries or BlockedRegistries/ },
    {
      name: 'allowed registries: atomic does not allow deep namespaces',
      releases: [14, 16],
      allowed: ['allow.io', 'allow.io/namespace1/namespace2', 'allowed-example.com/namespace1/namespace2/namespace3'],
      want: {
        default: REJECT,
        transports: {
          atomic: { 'allow.io': ACCEPT, 'allow.io/namespace1/namespace2': ACCEPT },
          docker: { 'allow.io': ACCEPT, 'allow.io/namespace1/namespace2': ACCEPT, 'allowed-example.com/namespace1/namespace2/namespace3': ACCEPT },
          'docker-daemon': DAEMON,
        },
      },
    },
    {
      name: 'blocked registries: atomic does not allow deep namespaces',
      releases: [14, 16],
      blocked: ['block.com', 'block.com/namespace1/namespace2', 'blocked-example.com/namespace1/namespace2/namespace3'],
      want: {
        default: ACCEPT,
        transports: {
          atomic: { 'block.com': REJECT, 'block.com/namespace1/namespace2': REJECT },
          docker: { 'block.com': REJECT, 'block.com/namespace1/namespace2': REJECT, 'blocked-example.com/namespace1/namespace2/namespace3': REJECT },
          'docker-daemon': DAEMON,
        },
      },
    },
    {
      name: 'before 4.14 atomic holds the deep namespaces too',
      releases: [4, 13],
      blocked: ['blocked-example.com/namespace1/namespace2/namespace3'],
      want: { default: ACCEPT, transports: { atomic: { 'blocked-example.com/namespace1/namespace2/namespace3': REJECT }, docker: { 'blocked-example.com/namespace1/namespace2/namespace3': REJECT }, 'docker-daemon': DAEMON } },
    },
  ];
  for (const c of cases) {
    for (const minor of range(c.releases)) {
      test(`4.${minor}: ${c.name}`, () => {
        const run = () => policyJSON(rules(minor), c.blocked ?? [], c.allowed ?? [], PAYLOAD);
        if (c.error) return void assert.throws(run, c.error);
        assert.deepEqual(JSON.parse(run()!), c.want);
      });
    }
  }

  test('unchanged: the base template stays when neither list is set', () => {
    const { files } = renderNodeFiles({ rules: rules(16), sources: {}, mirrors: NO_MIRRORS }, toml);
    assert.deepEqual(JSON.parse(files.find((f) => f.path === POLICY_JSON)!.content), { default: ACCEPT, transports: { 'docker-daemon': DAEMON } });
  });
});

describe('the release payload and blocked registries: MCO getValidBlockedAndAllowedRegistries, per release', () => {
  const RELEASE_IMG = 'payload-reg.io/release-image@sha256:4207ba569ff014931f1b5d125fe3751936a768e119546683c899eb09f3cdceb0';
  const QUAY_IMG = 'quay.io/openshift-release-dev@sha256:4207ba569ff014931f1b5d125fe3751936a768e119546683c899eb09f3cdceb0';
  const cases: { name: string; img: string; blocked: string[]; rules: { source: string; mirrors: string[] }[]; registries: string[]; policy: string[]; allowed: string[]; refused: boolean }[] = [
    { name: 'regular blocked list with no mirror rules configured', img: RELEASE_IMG, blocked: ['block.io', 'block-2.io'], rules: [], registries: ['block.io', 'block-2.io'], policy: ['block.io', 'block-2.io'], allowed: [], refused: false },
    { name: 'regular blocked list with unrelated mirror rules configured', img: RELEASE_IMG, blocked: ['block.io', 'block-2.io'], rules: [{ source: 'src.io/payload', mirrors: ['mirror-1.io/payload', 'mirror-2.io/payload'] }], registries: ['block.io', 'block-2.io'], policy: ['block.io', 'block-2.io'], allowed: [], refused: false },
    { name: 'payload reg does not have mirror configured and is in blocked list', img: RELEASE_IMG, blocked: ['block.io', 'payload-reg.io', 'block-2.io'], rules: [{ source: 'src.io/payload', mirrors: ['mirror-1.io/payload', 'mirror-2.io/payload'] }], registries: ['block.io', 'block-2.io'], policy: ['block.io', 'block-2.io'], allowed: [], refused: true },
    {
      name: 'payload reg has mirror configured and is in blocked list',
      img: RELEASE_IMG,
      blocked: ['block.io', 'payload-reg.io', 'block-2.io'],
      rules: [{ source: 'payload-reg.io/release-image', mirrors: ['mirror-1.io/payload', 'mirror-2.io/payload'] }],
      registries: ['block.io', 'payload-reg.io', 'block-2.io'],
      policy: ['block.io', 'payload-reg.io', 'block-2.io'],
      allowed: ['payload-reg.io/release-image'],
      refused: false,
    },
    { name: 'payload is blocked; all of mirror is not blocked, but the mirror of the payload is blocked', img: QUAY_IMG, blocked: ['quay.io', 'block.io/openshift-release-dev'], rules: [{ source: 'quay.io', mirrors: ['block.io'] }], registries: ['block.io/openshift-release-dev'], policy: ['block.io/openshift-release-dev'], allowed: [], refused: true },
    { name: 'payload is blocked; parent of the mirror of the payload is blocked', img: QUAY_IMG, blocked: ['quay.io', 'block.io'], rules: [{ source: 'quay.io/openshift-release-dev', mirrors: ['block.io/openshift-release-dev'] }], registries: ['block.io'], policy: ['block.io'], allowed: [], refused: true },
  ];
  for (const c of cases) {
    for (const minor of range([11, 16])) {
      for (const kind of minor >= 13 ? (['icsp', 'idms'] as const) : (['icsp'] as const)) {
        test(`4.${minor} (${kind}): ${c.name}`, () => {
          const got = validBlockedAndAllowed(rules(minor), c.img, [], [], c.blocked, { ...NO_MIRRORS, [kind]: c.rules });
          assert.deepEqual(got.registriesBlocked, c.registries);
          assert.deepEqual(got.policyBlocked, c.policy);
          assert.deepEqual(got.allowed, c.allowed);
          assert.equal(got.refused.length > 0, c.refused);
        });
      }
    }
  }

  // MCO release-4.10 container_runtime_config_controller_test.go TestImageConfigCreate/Update: payload blah.io/myuser/myimage:test.
  for (const minor of range([4, 10])) {
    test(`4.${minor}: only an entry equal to the payload's registry is dropped, even with mirrors for it`, () => {
      const fail = validBlockedAndAllowed(rules(minor), 'blah.io/myuser/myimage:test', [], ['test.io'], ['blah.io', 'docker.io'], { ...NO_MIRRORS, icsp: [{ source: 'blah.io', mirrors: ['m.io'] }] });
      assert.deepEqual(fail.registriesBlocked, ['docker.io']);
      assert.match(fail.message!, /error adding "blah\.io" to blocked registries, cannot block the registry being used by the payload/);
      const ok = validBlockedAndAllowed(rules(minor), 'blah.io/myuser/myimage:test', [], ['blah.io'], ['docker.io', 'blah.io/myuser'], NO_MIRRORS);
      assert.deepEqual(ok.registriesBlocked, ['docker.io', 'blah.io/myuser']);
      assert.equal(ok.refused.length, 0);
    });
  }
});

describe('scope checks: MCO TestValidateRegistriesConfScopes (release-4.16), and the wording of earlier releases', () => {
  const rules16 = rules(16);
  const IDMS_OK = [
    { source: 'insecure.com/ns-i1', mirrors: ['blocked.com/ns-b1', 'other.com/ns-o1'] },
    { source: 'blocked.com/ns-b/ns2-b', mirrors: ['other.com/ns-o2', 'insecure.com/ns-i2'] },
    { source: 'other.com/ns-o3', mirrors: ['insecure.com/ns-i2', 'blocked.com/ns-b/ns3-b', 'foo.insecure-example.com/bar'] },
  ];
  const cases: { insecure?: string[]; blocked?: string[]; icsp?: MirrorRule[]; idms?: MirrorRule[]; error?: string }[] = [
    { insecure: [''], blocked: ['*.block.com'], error: 'invalid entry for insecure registries ""' },
    { insecure: [''], blocked: ['*.block.com'], idms: IDMS_OK, error: 'invalid entry for insecure registries ""' },
    { insecure: ['*.insecure.com'], blocked: [''], idms: IDMS_OK, error: 'invalid entry for blocked registries ""' },
    { insecure: ['*.insecure.com'], blocked: ['*.block.com'], idms: [{ source: '', mirrors: ['blocked.com/ns-b1', 'other.com/ns-o1'] }], error: 'invalid format for source ""' },
    { insecure: ['*.insecure.com'], blocked: ['*.block.com'], idms: [{ source: 'insecure.com/ns-i1', mirrors: ['', 'other.com/ns-o1'] }], error: 'invalid format for mirror ""' },
    { icsp: [{ source: '*.insecure.com/ns-i1', mirrors: ['', 'other.com/ns-o1'] }], error: 'invalid format for source "*.insecure.com/ns-i1"' },
    { icsp: [{ source: '*.insecure.com', mirrors: ['*.other.com/ns-o1'] }], error: 'invalid format for mirror "*.other.com/ns-o1"' },
    { icsp: [{ source: 'insecure.com/ns-i1 ', mirrors: ['', 'other.com/ns-o1'] }], error: 'invalid format for source "insecure.com/ns-i1 "' },
    { icsp: [{ source: 'insecure.com/ns-i1', mirrors: ['other.com/ns-o1 '] }], error: 'invalid format for mirror "other.com/ns-o1 "' },
    { insecure: ['*.insecure.com'], blocked: ['*.block.com'], idms: [{ source: '*.insecure.com', mirrors: ['other.com/ns-o1'] }, { source: 'insecure.com/ns-i1', mirrors: ['other.com/ns-o1'] }] },
    {
      icsp: [{ source: 'insecure.com/ns-i1', mirrors: ['other.com/ns-o1 '] }],
      idms: [{ source: 'insecure.com/ns-i1', mirrors: ['blocked.com/ns-b1', 'other.com/ns-o1'], mirrorSourcePolicy: 'NeverContactSource' }, ...IDMS_OK.slice(1)],
      error: 'conflicting mirrorSourcePolicy is set for the same source "insecure.com/ns-i1" in imagedigestmirrorsets, imagetagmirrorsets, or imagecontentsourcepolicies',
    },
  ];
  cases.forEach((c, i) => {
    test(`4.16 case ${i + 1}: ${c.error ?? 'valid'}`, () => {
      const run = () => validateRegistriesConfScopes(rules16, c.insecure ?? [], c.blocked ?? [], { icsp: c.icsp ?? [], idms: c.idms ?? [], itms: [] });
      if (c.error) assert.throws(run, (e: Error) => e.message === c.error);
      else assert.doesNotThrow(run);
    });
  });

  test('allowed registries are checked where policy.json is written: invalid entry for allowed registries ""', () => {
    assert.throws(() => policyJSON(rules16, [], ['']), /invalid entry for allowed registries ""/);
  });

  test('4.9–4.15 word mirror problems as "wildcard entries are not supported", 4.13–4.14 the conflict without ICSPs', () => {
    assert.throws(() => validateRegistriesConfScopes(rules(10), [], [], { ...NO_MIRRORS, icsp: [{ source: '*.a.com', mirrors: ['m.io'] }] }), /^UsageError: wildcard entries are not supported with mirror configuration "\*\.a\.com"$|wildcard entries are not supported with mirror configuration "\*\.a\.com"/);
    assert.throws(() => validateRegistriesConfScopes(rules(11), [], [], { ...NO_MIRRORS, icsp: [{ source: 'a.com', mirrors: [''] }] }), /invalid empty entry for mirror configuration/);
    assert.throws(
      () => validateRegistriesConfScopes(rules(14), [], [], { icsp: [], idms: [{ source: 'a.com', mirrors: ['m.io'], mirrorSourcePolicy: 'NeverContactSource' }], itms: [{ source: 'a.com', mirrors: ['t.io'] }] }),
      /conflicting mirrorSourcePolicy is set for the same source "a\.com" in imagedigestmirrorsets and\/or imagetagmirrorsets$/,
    );
    assert.throws(() => validateRegistriesConfScopes(rules(13), [], [], { ...NO_MIRRORS, idms: [{ source: 'a.com', mirrors: ['a.com'], mirrorSourcePolicy: 'NeverContactSource' }] }), /cannot set mirrorSourcePolicy: NeverContactSource if the source "a\.com" is one of the mirrors/);
    assert.doesNotThrow(() => validateRegistriesConfScopes(rules(8), ['*bad'], [], { ...NO_MIRRORS, icsp: [{ source: '*.a.com', mirrors: ['m.io'] }] }));
  });
});
