// Cases transcribed from the upstream tests, each tagged with the releases whose code they hold
// for (the MCO release branches and the runtime-utils revision each vendors):
//   runtime-utils 9169de6/c45d4ff (registries.go cd1f089): MCO 4.4–4.8   — tests at runtime-utils release-4.4
//   runtime-utils 8b8348d         (registries.go cdb752c): MCO 4.9–4.10  — tests at runtime-utils release-4.9
//   runtime-utils c736ec4/3beb0b5 (registries.go c634c67): MCO 4.11–4.12 — tests at runtime-utils release-4.11
//   runtime-utils 7bdb5b9         (registries.go 7a43e73): MCO 4.13–4.16 — tests at runtime-utils master
// Registries are written with registries.conf's keys; false flags and an empty prefix left out.
import type { MirrorRule } from '../../src/node-files/registries.js';

export interface Endpoint {
  location: string;
  insecure?: true;
  'pull-from-mirror'?: 'digest-only' | 'tag-only';
}
export interface Registry {
  prefix?: string;
  location?: string;
  insecure?: true;
  blocked?: true;
  'mirror-by-digest-only'?: true;
  mirror?: Endpoint[];
}

export interface RegistriesCase {
  name: string;
  /** The upstream file and branch the case comes from. */
  from: string;
  /** The MCO releases (minor numbers, inclusive) whose code the expectation describes. */
  releases: [number, number];
  insecure?: string[];
  blocked?: string[];
  icsp?: MirrorRule[];
  idms?: MirrorRule[];
  itms?: MirrorRule[];
  want: Registry[];
  /** runtime-utils renders it, but the MCO's validateRegistriesConfScopes refuses the input first (nodes keep their files). */
  mcoRefuses?: RegExp;
}

const RU = (branch: string) => `openshift/runtime-utils ${branch} pkg/registries/registries_test.go TestEditRegistriesConfig`;
const d = (location: string, insecure = false): Endpoint => ({ location, ...(insecure ? { insecure: true } : {}), 'pull-from-mirror': 'digest-only' });
const t = (location: string): Endpoint => ({ location, 'pull-from-mirror': 'tag-only' });
const m = (location: string, insecure = false): Endpoint => ({ location, ...(insecure ? { insecure: true } : {}) });

const WILDCARD_INSECURE = ['insecure.com', '*.insecure-example.com', '*.insecure.blocked-example.com'];
const WILDCARD_BLOCKED = ['blocked.com', '*.blocked.insecure-example.com', '*.blocked-example.com'];
const WILDCARD_TAIL: Registry[] = [
  { location: 'blocked.com', blocked: true },
  { prefix: '*.blocked.insecure-example.com', blocked: true, insecure: true },
  { prefix: '*.blocked-example.com', blocked: true },
  { location: 'insecure.com', insecure: true },
  { prefix: '*.insecure-example.com', insecure: true },
  { prefix: '*.insecure.blocked-example.com', blocked: true, insecure: true },
];
const WILDCARD_RULES: MirrorRule[] = [
  { source: 'insecure.com/ns-i1', mirrors: ['blocked.com/ns-b1', 'other.com/ns-o1'] },
  { source: 'blocked.com/ns-b/ns2-b', mirrors: ['other.com/ns-o2', 'insecure.com/ns-i2'] },
  { source: 'other.com/ns-o3', mirrors: ['insecure.com/ns-i2', 'blocked.com/ns-b/ns3-b', 'foo.insecure-example.com/bar'] },
];
const BLOCKED_FIRST: Registry[] = [
  { location: 'blocked.com', blocked: true },
  { location: 'common.com', insecure: true, blocked: true },
  { location: 'docker.io', blocked: true },
  { location: 'registry.access.redhat.com', insecure: true },
  { location: 'insecure.com', insecure: true },
];
const NESTED_RULES: MirrorRule[] = [
  { source: 'primary.com/top', mirrors: ['mirror.com/primary'] },
  { source: 'primary.com/top/insecure/more-specific', mirrors: ['mirror.com/more-specific'] },
];

export const REGISTRIES_CASES: RegistriesCase[] = [
  // --- 4.4–4.8 ---
  { name: 'unchanged', from: RU('release-4.4'), releases: [4, 8], want: [] },
  {
    name: 'insecure+blocked',
    from: RU('release-4.4'),
    releases: [4, 8],
    insecure: ['registry.access.redhat.com', 'insecure.com', 'common.com'],
    blocked: ['blocked.com', 'common.com', 'docker.io'],
    want: [
      { location: 'registry.access.redhat.com', insecure: true },
      { location: 'insecure.com', insecure: true },
      { location: 'common.com', insecure: true, blocked: true },
      { location: 'blocked.com', blocked: true },
      { location: 'docker.io', blocked: true },
    ],
  },
  {
    name: 'insecure+blocked prefixes',
    from: RU('release-4.4'),
    releases: [4, 8],
    insecure: ['insecure.com'],
    blocked: ['blocked.com'],
    icsp: [
      { source: 'insecure.com/ns-i1', mirrors: ['blocked.com/ns-b1', 'other.com/ns-o1'] },
      { source: 'blocked.com/ns-b/ns2-b', mirrors: ['other.com/ns-o2', 'insecure.com/ns-i2'] },
      { source: 'other.com/ns-o3', mirrors: ['insecure.com/ns-i2', 'blocked.com/ns-b/ns3-b'] },
    ],
    want: [
      { location: 'blocked.com/ns-b/ns2-b', blocked: true, 'mirror-by-digest-only': true, mirror: [m('other.com/ns-o2'), m('insecure.com/ns-i2', true)] },
      { location: 'insecure.com/ns-i1', insecure: true, 'mirror-by-digest-only': true, mirror: [m('blocked.com/ns-b1'), m('other.com/ns-o1')] },
      { location: 'other.com/ns-o3', 'mirror-by-digest-only': true, mirror: [m('insecure.com/ns-i2', true), m('blocked.com/ns-b/ns3-b')] },
      { location: 'insecure.com', insecure: true },
      { location: 'blocked.com', blocked: true },
    ],
  },
  // --- 4.9–4.12: wildcards, blocked entries first (the 4.11 tests repeat these two) ---
  { name: 'unchanged', from: RU('release-4.9'), releases: [9, 12], want: [] },
  { name: 'insecure+blocked', from: RU('release-4.9'), releases: [9, 12], insecure: ['registry.access.redhat.com', 'insecure.com', 'common.com'], blocked: ['blocked.com', 'common.com', 'docker.io'], want: BLOCKED_FIRST },
  {
    name: 'insecure+blocked prefixes with wildcard entries',
    from: RU('release-4.9'),
    releases: [9, 12],
    insecure: WILDCARD_INSECURE,
    blocked: WILDCARD_BLOCKED,
    icsp: WILDCARD_RULES,
    want: [
      { location: 'blocked.com/ns-b/ns2-b', blocked: true, 'mirror-by-digest-only': true, mirror: [m('other.com/ns-o2'), m('insecure.com/ns-i2', true)] },
      { location: 'insecure.com/ns-i1', insecure: true, 'mirror-by-digest-only': true, mirror: [m('blocked.com/ns-b1'), m('other.com/ns-o1')] },
      { location: 'other.com/ns-o3', 'mirror-by-digest-only': true, mirror: [m('insecure.com/ns-i2', true), m('blocked.com/ns-b/ns3-b'), m('foo.insecure-example.com/bar', true)] },
      ...WILDCARD_TAIL,
    ],
  },
  // --- 4.11–4.12: mirrors copied into nested scopes ---
  {
    name: 'insecure+blocked scopes inside a configured mirror',
    from: RU('release-4.11'),
    releases: [11, 12],
    insecure: ['primary.com/top/insecure'],
    blocked: ['primary.com/top/blocked'],
    icsp: NESTED_RULES,
    want: [
      { location: 'primary.com/top', 'mirror-by-digest-only': true, mirror: [m('mirror.com/primary')] },
      { location: 'primary.com/top/insecure/more-specific', insecure: true, 'mirror-by-digest-only': true, mirror: [m('mirror.com/more-specific')] },
      { location: 'primary.com/top/blocked', blocked: true, 'mirror-by-digest-only': true, mirror: [m('mirror.com/primary/blocked')] },
      { location: 'primary.com/top/insecure', insecure: true, 'mirror-by-digest-only': true, mirror: [m('mirror.com/primary/insecure')] },
    ],
  },
  // --- 4.13–4.16: ImageDigestMirrorSet, ImageTagMirrorSet, pull-from-mirror, mirrorSourcePolicy ---
  { name: 'unchanged', from: RU('master'), releases: [13, 16], want: [] },
  { name: 'insecure+blocked', from: RU('master'), releases: [13, 16], insecure: ['registry.access.redhat.com', 'insecure.com', 'common.com'], blocked: ['blocked.com', 'common.com', 'docker.io'], want: BLOCKED_FIRST },
  {
    name: 'imageContentSourcePolicy',
    from: RU('master'),
    releases: [13, 16],
    insecure: WILDCARD_INSECURE,
    blocked: WILDCARD_BLOCKED,
    icsp: WILDCARD_RULES,
    want: [
      { location: 'blocked.com/ns-b/ns2-b', blocked: true, mirror: [d('other.com/ns-o2'), d('insecure.com/ns-i2', true)] },
      { location: 'insecure.com/ns-i1', insecure: true, mirror: [d('blocked.com/ns-b1'), d('other.com/ns-o1')] },
      { location: 'other.com/ns-o3', mirror: [d('insecure.com/ns-i2', true), d('blocked.com/ns-b/ns3-b'), d('foo.insecure-example.com/bar', true)] },
      ...WILDCARD_TAIL,
    ],
  },
  {
    name: 'insecure+blocked prefixes with wildcard entries',
    from: RU('master'),
    releases: [13, 16],
    insecure: WILDCARD_INSECURE,
    blocked: WILDCARD_BLOCKED,
    idms: WILDCARD_RULES,
    want: [
      { location: 'blocked.com/ns-b/ns2-b', blocked: true, mirror: [d('other.com/ns-o2'), d('insecure.com/ns-i2', true)] },
      { location: 'insecure.com/ns-i1', insecure: true, mirror: [d('blocked.com/ns-b1'), d('other.com/ns-o1')] },
      { location: 'other.com/ns-o3', mirror: [d('insecure.com/ns-i2', true), d('blocked.com/ns-b/ns3-b'), d('foo.insecure-example.com/bar', true)] },
      ...WILDCARD_TAIL,
    ],
  },
  {
    name: 'imageTagMirrorSet',
    from: RU('master'),
    releases: [13, 16],
    itms: [
      { source: 'registry-a.com', mirrors: ['mirror-tag-1.registry-a.com'] },
      { source: 'registry-b.com', mirrors: ['mirror-tag-1.registry-b.com'] },
    ],
    want: [
      { location: 'registry-a.com', mirror: [t('mirror-tag-1.registry-a.com')] },
      { location: 'registry-b.com', mirror: [t('mirror-tag-1.registry-b.com')] },
    ],
  },
  {
    name: 'imageDigestMirrorSet + imageTagMirrorSet',
    from: RU('master'),
    releases: [13, 16],
    idms: [
      { source: 'registry-a.com', mirrors: ['mirror-digest-1.registry-a.com', 'mirror-digest-2.registry-a.com'] },
      { source: 'registry-b.com', mirrors: ['mirror-digest-1.registry-b.com', 'mirror-digest-2.registry-b.com'] },
    ],
    itms: [
      { source: 'registry-a.com', mirrors: ['mirror-tag-1.registry-a.com', 'mirror-tag-2.registry-a.com'] },
      { source: 'registry-b.com', mirrors: ['mirror-tag-1.registry-b.com', 'mirror-tag-2.registry-b.com'] },
    ],
    want: [
      { location: 'registry-a.com', mirror: [d('mirror-digest-1.registry-a.com'), d('mirror-digest-2.registry-a.com'), t('mirror-tag-1.registry-a.com'), t('mirror-tag-2.registry-a.com')] },
      { location: 'registry-b.com', mirror: [d('mirror-digest-1.registry-b.com'), d('mirror-digest-2.registry-b.com'), t('mirror-tag-1.registry-b.com'), t('mirror-tag-2.registry-b.com')] },
    ],
  },
  {
    name: 'mirrorSourcePolicy',
    from: RU('master'),
    releases: [13, 16],
    mcoRefuses: /conflicting mirrorSourcePolicy is set for the same source "registry-b\.com"/,
    idms: [
      { source: 'registry-a.com', mirrors: ['mirror-digest-1.registry-a.com', 'mirror-digest-2.registry-a.com'], mirrorSourcePolicy: 'NeverContactSource' },
      { source: 'registry-b.com', mirrors: ['mirror-digest-1.registry-b.com', 'mirror-digest-2.registry-b.com'] },
      { source: 'registry-c.com', mirrors: ['mirror-digest-1.registry-c.com', 'mirror-digest-2.registry-c.com'] },
    ],
    itms: [{ source: 'registry-b.com', mirrors: ['mirror-tag-1.registry-b.com', 'mirror-tag-2.registry-b.com'], mirrorSourcePolicy: 'NeverContactSource' }],
    want: [
      { location: 'registry-a.com', blocked: true, mirror: [d('mirror-digest-1.registry-a.com'), d('mirror-digest-2.registry-a.com')] },
      { location: 'registry-b.com', blocked: true, mirror: [d('mirror-digest-1.registry-b.com'), d('mirror-digest-2.registry-b.com'), t('mirror-tag-1.registry-b.com'), t('mirror-tag-2.registry-b.com')] },
      { location: 'registry-c.com', mirror: [d('mirror-digest-1.registry-c.com'), d('mirror-digest-2.registry-c.com')] },
    ],
  },
  {
    name: 'insecure+blocked scopes inside a configured mirror',
    from: RU('master'),
    releases: [13, 16],
    insecure: ['primary.com/top/insecure'],
    blocked: ['primary.com/top/blocked'],
    idms: NESTED_RULES,
    itms: [
      { source: 'primary.com/top', mirrors: ['mirror-tag.com/primary'] },
      { source: 'primary.com/top/insecure/more-specific', mirrors: ['mirror-tag.com/more-specific'] },
    ],
    want: [
      { location: 'primary.com/top', mirror: [d('mirror.com/primary'), t('mirror-tag.com/primary')] },
      { location: 'primary.com/top/insecure/more-specific', insecure: true, mirror: [d('mirror.com/more-specific'), t('mirror-tag.com/more-specific')] },
      { location: 'primary.com/top/blocked', blocked: true, mirror: [d('mirror.com/primary/blocked'), t('mirror-tag.com/primary/blocked')] },
      { location: 'primary.com/top/insecure', insecure: true, mirror: [d('mirror.com/primary/insecure'), t('mirror-tag.com/primary/insecure')] },
    ],
  },
  {
    name: 'insecure+blocked scopes inside a configured mirror in ImageContentSourcePolicy',
    from: RU('master'),
    releases: [13, 16],
    insecure: ['primary.com/top/insecure'],
    blocked: ['primary.com/top/blocked'],
    icsp: NESTED_RULES,
    want: [
      { location: 'primary.com/top', mirror: [d('mirror.com/primary')] },
      { location: 'primary.com/top/insecure/more-specific', insecure: true, mirror: [d('mirror.com/more-specific')] },
      { location: 'primary.com/top/blocked', blocked: true, mirror: [d('mirror.com/primary/blocked')] },
      { location: 'primary.com/top/insecure', insecure: true, mirror: [d('mirror.com/primary/insecure')] },
    ],
  },
  {
    name: 'imageContentSourcePolicy+imageDigestMirrorSet merging',
    from: RU('master'),
    releases: [13, 16],
    insecure: WILDCARD_INSECURE,
    blocked: WILDCARD_BLOCKED,
    idms: [
      { source: 'insecure.com/ns-idms-i1', mirrors: ['blocked.com/ns-b1', 'other.com/ns-o1'] },
      { source: 'insecure.com/ns-dupe-i1', mirrors: ['other.com/ns-o3'] },
      { source: 'insecure.com/ns-dupe-i1', mirrors: ['other.com/ns-o1'] },
      { source: 'blocked.com/ns-idms-b/ns2-b', mirrors: ['other.com/ns-o2', 'insecure.com/ns-i2'] },
      { source: 'other.com/ns-idms-o3', mirrors: ['insecure.com/ns-i2', 'blocked.com/ns-b/ns3-b', 'foo.insecure-example.com/bar'] },
    ],
    icsp: [
      { source: 'insecure.com/ns-icsp-i1', mirrors: ['blocked.com/ns-b1', 'other.com/ns-o1'] },
      { source: 'blocked.com/ns-icsp-b/ns2-b', mirrors: ['other.com/ns-o2', 'insecure.com/ns-i2'] },
      { source: 'other.com/ns-icsp-o3', mirrors: ['insecure.com/ns-i2', 'blocked.com/ns-b/ns3-b', 'foo.insecure-example.com/bar'] },
      { source: 'insecure.com/ns-dupe-i1', mirrors: ['other.com/ns-o2'] },
    ],
    want: [
      { location: 'blocked.com/ns-icsp-b/ns2-b', blocked: true, mirror: [d('other.com/ns-o2'), d('insecure.com/ns-i2', true)] },
      { location: 'blocked.com/ns-idms-b/ns2-b', blocked: true, mirror: [d('other.com/ns-o2'), d('insecure.com/ns-i2', true)] },
      { location: 'insecure.com/ns-dupe-i1', insecure: true, mirror: [d('other.com/ns-o1'), d('other.com/ns-o2'), d('other.com/ns-o3')] },
      { location: 'insecure.com/ns-icsp-i1', insecure: true, mirror: [d('blocked.com/ns-b1'), d('other.com/ns-o1')] },
      { location: 'insecure.com/ns-idms-i1', insecure: true, mirror: [d('blocked.com/ns-b1'), d('other.com/ns-o1')] },
      { location: 'other.com/ns-icsp-o3', mirror: [d('insecure.com/ns-i2', true), d('blocked.com/ns-b/ns3-b'), d('foo.insecure-example.com/bar', true)] },
      { location: 'other.com/ns-idms-o3', mirror: [d('insecure.com/ns-i2', true), d('blocked.com/ns-b/ns3-b'), d('foo.insecure-example.com/bar', true)] },
      ...WILDCARD_TAIL,
    ],
  },
  {
    name: 'imageContentSourcePolicy+imageDigestMirrorSet+imageTagMirrorSet',
    from: RU('master'),
    releases: [13, 16],
    icsp: [{ source: 'registry-a.com', mirrors: ['mirror-icsp-1.registry-a.com'] }],
    idms: [{ source: 'registry-b.com', mirrors: ['mirror-digest-1.registry-b.com'] }],
    itms: [{ source: 'registry-c.com', mirrors: ['mirror-tag-1.registry-c.com'] }],
    want: [
      { location: 'registry-a.com', mirror: [d('mirror-icsp-1.registry-a.com')] },
      { location: 'registry-b.com', mirror: [d('mirror-digest-1.registry-b.com')] },
      { location: 'registry-c.com', mirror: [t('mirror-tag-1.registry-c.com')] },
    ],
  },
];

/** runtime-utils `mergedMirrorsetsTestcases` (master; the same cases since release-4.4 without mirrorSourcePolicy). */
export interface MergeCase {
  name: string;
  releases: [number, number];
  input: MirrorRule[][];
  result: { source: string; mirrors: string[]; neverContactSource?: true }[];
}
export const MERGE_CASES: MergeCase[] = [
  { name: 'Empty', releases: [4, 16], input: [], result: [] },
  { name: 'Irrelevant singletons', releases: [4, 16], input: [[{ source: 'a.example.com', mirrors: [] }, { source: 'b.example.com', mirrors: [] }]], result: [] },
  {
    name: 'Separate mirror sets',
    releases: [4, 16],
    input: [[{ source: 'source.example.net', mirrors: ['z1.example.net', 'y2.example.net', 'x3.example.net'] }], [{ source: 'source.example.com', mirrors: ['z1.example.com', 'y2.example.com', 'x3.example.com'] }]],
    result: [
      { source: 'source.example.com', mirrors: ['z1.example.com', 'y2.example.com', 'x3.example.com'] },
      { source: 'source.example.net', mirrors: ['z1.example.net', 'y2.example.net', 'x3.example.net'] },
    ],
  },
  {
    name: 'Separate mirror sets with mirrorSourcePolicy set',
    releases: [13, 16],
    input: [
      [{ source: 'source.example.net', mirrors: ['z1.example.net', 'y2.example.net', 'x3.example.net'], mirrorSourcePolicy: 'NeverContactSource' }],
      [{ source: 'source.example.com', mirrors: ['z1.example.com', 'y2.example.com', 'x3.example.com'], mirrorSourcePolicy: 'AllowContactingSource' }],
    ],
    result: [
      { source: 'source.example.com', mirrors: ['z1.example.com', 'y2.example.com', 'x3.example.com'] },
      { source: 'source.example.net', mirrors: ['z1.example.net', 'y2.example.net', 'x3.example.net'], neverContactSource: true },
    ],
  },
  {
    name: 'Sets with a shared element - strict order',
    releases: [4, 16],
    input: [
      [
        { source: 'source.example.net', mirrors: ['z1.example.net', 'y2.example.net'] },
        { source: 'source.example.com', mirrors: ['z1.example.com', 'y2.example.com'] },
      ],
      [
        { source: 'source.example.net', mirrors: ['y2.example.net', 'x3.example.net'] },
        { source: 'source.example.com', mirrors: ['y2.example.com', 'x3.example.com'] },
      ],
    ],
    result: [
      { source: 'source.example.com', mirrors: ['z1.example.com', 'y2.example.com', 'x3.example.com'] },
      { source: 'source.example.net', mirrors: ['z1.example.net', 'y2.example.net', 'x3.example.net'] },
    ],
  },
  {
    name: 'Source included in mirrors',
    releases: [4, 16],
    input: [
      [
        { source: 'source.example.com', mirrors: ['z1.example.com', 'source.example.com', 'y2.example.com'] },
        { source: 'source.example.com', mirrors: ['source.example.com', 'y2.example.com', 'x3.example.com'] },
      ],
    ],
    result: [{ source: 'source.example.com', mirrors: ['z1.example.com', 'source.example.com', 'y2.example.com', 'x3.example.com'] }],
  },
  {
    name: 'Mirrors includes only source',
    releases: [4, 16],
    input: [
      [
        { source: 'source.example.com', mirrors: ['source.example.com'] },
        { source: 'source.example.net', mirrors: ['source.example.net', 'source.example.net', 'source.example.net'] },
      ],
    ],
    result: [],
  },
  {
    name: 'Example (contradicting orders are merged, not refused)',
    releases: [4, 16],
    input: [
      [{ source: 'source.vendor.com', mirrors: ['registry2.vendor.com'] }],
      [{ source: 'source.vendor2.com', mirrors: ['registry1.vendor2.com', 'registry2.vendor2.com'] }],
      [
        { source: 'source.vendor.com', mirrors: ['local-mirror.example.com'] },
        { source: 'source.vendor2.com', mirrors: ['local-mirror2.example.com', 'registry2.vendor2.com', 'registry1.vendor2.com'] },
      ],
    ],
    result: [
      { source: 'source.vendor.com', mirrors: ['local-mirror.example.com', 'registry2.vendor.com'] },
      { source: 'source.vendor2.com', mirrors: ['local-mirror2.example.com', 'registry1.vendor2.com', 'registry2.vendor2.com'] },
    ],
  },
];

/** runtime-utils topo_test.go TestTopoGraph (unchanged since release-4.4). */
export const TOPO_CASES: { name: string; edges: string[]; result: string }[] = [
  { name: 'Empty', edges: [], result: '' },
  { name: 'Shared-from', edges: ['AB', 'AC', 'AD', 'ab', 'ac', 'ad'], result: 'AaBCDbcd' },
  { name: 'Shared-to', edges: ['AD', 'BD', 'CD', 'ad', 'bd', 'cd'], result: 'ABCabcDd' },
  { name: 'Path', edges: ['AB', 'BC', 'CD', 'DE', 'ab', 'bc', 'cd', 'de'], result: 'AaBbCcDdEe' },
  { name: 'Complete loop', edges: ['AB', 'BC', 'CD', 'DA', 'ab', 'bc', 'cd', 'da'], result: 'ABCDabcd' },
  { name: 'Loop with extra input and output', edges: ['AB', 'BC', 'CD', 'DB', 'DE', 'ab', 'bc', 'cd', 'db', 'de'], result: 'AaBCDEbcde' },
];
