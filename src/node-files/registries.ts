// runtime-utils `EditRegistriesConfig` as each release vendors it: the `[[registry]]` entries of
// /etc/containers/registries.conf from the Image's insecure and blocked scopes and the mirror
// rules (ImageContentSourcePolicy; 4.13+ also ImageDigestMirrorSet and ImageTagMirrorSet). Pure.
import { UsageError } from '../errors.js';
import { scopeIsNestedInsideScope } from '../templates/image-config.js';
import type { ReleaseRules } from './release.js';
import { TopoGraph } from './topo.js';

export type MirrorSourcePolicy = 'AllowContactingSource' | 'NeverContactSource';

/** One source and its mirrors, as an ICSP, IDMS or ITMS lists them. */
export interface MirrorRule {
  source: string;
  mirrors: string[];
  mirrorSourcePolicy?: MirrorSourcePolicy;
}

/** Every rule on the cluster, by kind; the order of objects does not change the result. */
export interface MirrorRules {
  icsp: MirrorRule[];
  idms: MirrorRule[];
  itms: MirrorRule[];
}

export const NO_MIRRORS: MirrorRules = { icsp: [], idms: [], itms: [] };

export type PullFromMirror = 'digest-only' | 'tag-only';

/** A `[[registry.mirror]]` endpoint, keys as sysregistriesv2 encodes them. */
export interface MirrorEndpoint {
  location: string;
  insecure?: boolean;
  'pull-from-mirror'?: PullFromMirror;
}

/** One `[[registry]]` entry, keys in sysregistriesv2's order; false and empty values left out (omitempty), prefix always written. */
export interface RegistryEntry {
  prefix: string;
  location?: string;
  insecure?: boolean;
  blocked?: boolean;
  'mirror-by-digest-only'?: boolean;
  mirror?: MirrorEndpoint[];
}

export interface MergedMirrorSet {
  source: string;
  mirrors: string[];
  neverContactSource?: boolean;
}

/** runtime-utils `mergedMirrorSets`: one set per source (sorted), mirrors in an order every rule respects where possible. */
export function mergedMirrorSets(rules: MirrorRule[]): MergedMirrorSet[] {
  const bySource = new Map<string, MirrorRule[]>();
  const never = new Set<string>();
  for (const r of rules) {
    // Mirrors that only repeat the source are no mirror set; its mirrorSourcePolicy is ignored too.
    if (!r.mirrors.some((m) => m !== r.source)) continue;
    if (r.mirrorSourcePolicy === 'NeverContactSource') never.add(r.source);
    bySource.set(r.source, [...(bySource.get(r.source) ?? []), r]);
  }
  return [...bySource.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((source) => {
      const graph = new TopoGraph();
      for (const r of bySource.get(source)!) {
        for (let i = 0; i + 1 < r.mirrors.length; i++) graph.addEdge(r.mirrors[i]!, r.mirrors[i + 1]!);
        // The source is tried last unless a rule put it elsewhere.
        if (!r.mirrors.includes(source)) graph.addEdge(r.mirrors[r.mirrors.length - 1]!, source);
      }
      const sorted = graph.sorted();
      if (sorted[sorted.length - 1] === source) sorted.pop();
      return never.has(source) ? { source, mirrors: sorted, neverContactSource: true } : { source, mirrors: sorted };
    });
}

/** runtime-utils before 4.9: a whole-registry scope matches itself and the paths below it, no wildcards. */
function scopeMatchesRegistry(scope: string, reg: string): boolean {
  if (reg === scope) return true;
  return scope.length > reg.length && scope.startsWith(reg) && scope[reg.length] === '/';
}

interface Entry {
  prefix: string;
  location: string;
  insecure: boolean;
  blocked: boolean;
  digestOnly: boolean;
  mirrors: MirrorEndpoint[];
}

/** The `[[registry]]` entries, in the order the release writes them. Throws the MCO's words where it fails. */
export function editRegistriesConfig(rules: ReleaseRules, insecureScopes: string[], blockedScopes: string[], mirrors: MirrorRules): RegistryEntry[] {
  const entries: Entry[] = [];
  const scopeOf = (e: Entry) => (e.prefix !== '' ? e.prefix : e.location);
  const nested = rules.wildcards ? scopeIsNestedInsideScope : scopeMatchesRegistry;
  const entry = (scope: string): Entry => {
    const found = entries.find((e) => (rules.wildcards ? scopeOf(e) : e.location) === scope);
    if (found) return found;
    const wildcard = rules.wildcards && scope.startsWith('*.');
    const e: Entry = { prefix: wildcard ? scope : '', location: wildcard ? '' : scope, insecure: false, blocked: false, digestOnly: false, mirrors: [] };
    entries.push(e);
    return e;
  };

  // 4.13+ reads IDMS and ITMS; ICSPs are digest rules with the default policy.
  const digestRules = rules.mirrorSets ? [...mirrors.idms, ...mirrors.icsp.map((r) => ({ source: r.source, mirrors: r.mirrors }))] : mirrors.icsp;
  const digestSets = mergedMirrorSets(digestRules);
  const tagSets = rules.mirrorSets ? mergedMirrorSets(mirrors.itms) : [];
  const addMirrors = (sets: MergedMirrorSet[], pull: PullFromMirror) => {
    for (const set of sets) {
      const e = entry(set.source);
      if (!rules.mirrorSets) e.digestOnly = true;
      if (set.neverContactSource) e.blocked = true;
      for (const location of set.mirrors) e.mirrors.push(rules.mirrorSets ? { location, 'pull-from-mirror': pull } : { location });
    }
  };
  addMirrors(digestSets, 'digest-only');
  addMirrors(tagSets, 'tag-only');

  // From 4.9, blocked scopes get their entries first, so a blocked scope nested in an insecure one is marked insecure too.
  if (rules.wildcards) for (const s of blockedScopes) entry(s);
  for (const s of insecureScopes) {
    entry(s).insecure = true;
    for (const e of entries) {
      if (nested(scopeOf(e), s)) e.insecure = true;
      for (const m of e.mirrors) if (nested(m.location, s)) m.insecure = true;
    }
  }
  for (const s of blockedScopes) {
    entry(s).blocked = true;
    for (const e of entries) if (nested(scopeOf(e), s)) e.blocked = true;
  }

  if (rules.nestedMirrors) {
    // registries.conf applies only the most specific entry: a scope nested in a mirrored source gets its mirrors, path adjusted.
    for (const set of [...digestSets, ...tagSets]) {
      const mirrored = entry(set.source);
      const mirroredScope = scopeOf(mirrored);
      for (const e of entries) {
        const scope = scopeOf(e);
        if (scope === mirroredScope || !scopeIsNestedInsideScope(scope, mirroredScope) || e.mirrors.length) continue;
        if (mirroredScope.startsWith('*.')) throw new UsageError(`internal error: mirrorsAdjustedForNestedScope for a wildcard scope "${mirroredScope}" (the machine-config operator fails on ${scope} nested in a mirrored wildcard source)`);
        const adjustment = scope.slice(mirroredScope.length);
        if (!rules.mirrorSets) e.digestOnly = mirrored.digestOnly;
        e.mirrors = mirrored.mirrors.map((m) => ({ ...m, location: m.location + adjustment }));
      }
    }
  }

  return entries.map((e) => ({
    prefix: e.prefix,
    ...(e.location !== '' ? { location: e.location } : {}),
    ...(e.insecure ? { insecure: true } : {}),
    ...(e.blocked ? { blocked: true } : {}),
    ...(e.digestOnly ? { 'mirror-by-digest-only': true } : {}),
    ...(e.mirrors.length ? { mirror: e.mirrors.map((m) => ({ location: m.location, ...(m.insecure ? { insecure: true } : {}), ...(m['pull-from-mirror'] ? { 'pull-from-mirror': m['pull-from-mirror'] } : {}) })) } : {}),
  }));
}

// --- what a pull reads from the file (containers/image sysregistriesv2) ---------------------

/** `refMatchingPrefix`: the length of `prefix` matched at the start of `ref`, or -1. */
export function refMatchingPrefix(ref: string, prefix: string): number {
  if (prefix.startsWith('*.')) {
    const index = ref.indexOf(prefix.slice(1));
    if (index < 0 || ref.slice(0, index).includes('/')) return -1;
    const end = index + prefix.length - 1;
    return end === ref.length || ':/@'.includes(ref[end]!) ? end : -1;
  }
  if (ref.length < prefix.length) return -1;
  if (ref.length === prefix.length) return ref === prefix ? prefix.length : -1;
  return ref.startsWith(prefix) && ':/@'.includes(ref[prefix.length]!) ? prefix.length : -1;
}

/** `FindRegistry`: the entry with the longest matching prefix (an empty prefix stands for the location). */
export function findRegistry(entries: RegistryEntry[], ref: string): RegistryEntry | undefined {
  let best: RegistryEntry | undefined;
  let bestLen = 0;
  for (const e of entries) {
    const prefix = e.prefix !== '' ? e.prefix : (e.location ?? '');
    if (refMatchingPrefix(ref, prefix) !== -1 && prefix.length > bestLen) {
      best = e;
      bestLen = prefix.length;
    }
  }
  return best;
}

/** `PullSourcesFromReference`, as repository names: the mirrors a reference may use, then the entry itself. */
export function pullSources(e: RegistryEntry, repository: string, byDigest: boolean): string[] {
  const prefix = e.prefix !== '' ? e.prefix : (e.location ?? '');
  const rest = repository.slice(Math.max(refMatchingPrefix(repository, prefix), 0));
  const usable = (m: MirrorEndpoint) => (e['mirror-by-digest-only'] ? byDigest : m['pull-from-mirror'] === 'digest-only' ? byDigest : m['pull-from-mirror'] === 'tag-only' ? !byDigest : true);
  const mirrors = (e.mirror ?? []).filter(usable).map((m) => m.location + rest);
  const self = prefix.startsWith('*.') && !e.location ? repository : (e.location ?? '') + rest;
  return [...mirrors, self];
}
