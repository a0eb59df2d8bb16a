// What every 4.x node receives from the machine-config operator for an Image's registrySources
// (REFERENCE.md §5): /etc/containers/registries.conf (TOML v2), the search-registries drop-in,
// and /etc/containers/policy.json, with the ImageContentSourcePolicy mirrors merged in. Pure:
// the TOML writer is passed in (smol-toml, loaded by the caller), so this module stays light.
import { UsageError } from '../errors.js';
import { scopeIsNestedInsideScope, type RegistrySources } from './image-config.js';

export const REGISTRIES_CONF = '/etc/containers/registries.conf';
export const SEARCH_DROP_IN = '/etc/containers/registries.conf.d/01-image-searchRegistries.conf';
export const POLICY_JSON = '/etc/containers/policy.json';

/** The MCO's base templates, returned unchanged when there is nothing to edit. */
export const BASE_REGISTRIES_CONF = "unqualified-search-registries = ['registry.access.redhat.com', 'docker.io']\n";
export const BASE_SEARCH_REGISTRIES = ['registry.access.redhat.com', 'docker.io'];
export const BASE_POLICY_JSON = `{
    "default": [
        {
            "type": "insecureAcceptAnything"
        }
    ],
    "transports":
        {
            "docker-daemon":
                {
                    "": [{"type":"insecureAcceptAnything"}]
                }
        }
}
`;

export interface TomlWriter {
  stringify(value: Record<string, unknown>): string;
}

export interface NodeFile {
  path: string;
  content: string;
  mode: number;
}

/** A `[[registry.mirror]]` endpoint. */
interface MirrorEndpoint {
  location: string;
  insecure?: boolean;
}

/** One `[[registry]]` entry, keys in sysregistriesv2's order (prefix, location, insecure, blocked, mirror-by-digest-only, mirror). */
interface RegistryEntry {
  prefix: string;
  location?: string;
  insecure?: boolean;
  blocked?: boolean;
  'mirror-by-digest-only'?: boolean;
  mirror?: MirrorEndpoint[];
}

/** One `repositoryDigestMirrors` item of an ImageContentSourcePolicy. */
export interface MirrorSet {
  source: string;
  mirrors: string[];
}

const scopeOf = (r: RegistryEntry) => (r.prefix !== '' ? r.prefix : r.location ?? '');

/**
 * runtime-utils `mergedMirrorSets`: one set per source (sorted by source) from every policy,
 * mirrors ordered so that each policy's own order holds (sets (B, C) and (A, B) give (A, B, C)).
 * A set whose mirrors only repeat its source is no mirror set and is dropped.
 */
export function mergedMirrorSets(sets: MirrorSet[]): MirrorSet[] {
  const bySource = new Map<string, MirrorSet[]>();
  for (const set of sets) {
    if (!set.mirrors.some((m) => m !== set.source)) continue;
    bySource.set(set.source, [...(bySource.get(set.source) ?? []), set]);
  }
  return [...bySource.keys()].sort().map((source) => {
    // The source itself is tried last unless a policy put it elsewhere: an edge from each set's last mirror to it.
    const edges: [string, string][] = [];
    for (const set of bySource.get(source)!) {
      for (let i = 0; i + 1 < set.mirrors.length; i++) edges.push([set.mirrors[i]!, set.mirrors[i + 1]!]);
      if (!set.mirrors.includes(source)) edges.push([set.mirrors[set.mirrors.length - 1]!, source]);
    }
    const sorted = topologicalOrder(edges);
    if (!sorted) throw new UsageError(`the mirrors of ${source} are listed in contradicting orders across ImageContentSourcePolicies: the machine-config operator cannot merge them`);
    if (sorted[sorted.length - 1] === source) sorted.pop();
    return { source, mirrors: sorted };
  });
}

/** Kahn's algorithm, ties broken by first appearance; undefined on a cycle. */
function topologicalOrder(edges: [string, string][]): string[] | undefined {
  const nodes: string[] = [];
  const incoming = new Map<string, number>();
  const next = new Map<string, string[]>();
  const add = (n: string) => {
    if (incoming.has(n)) return;
    nodes.push(n);
    incoming.set(n, 0);
    next.set(n, []);
  };
  for (const [from, to] of edges) {
    add(from);
    add(to);
    if (next.get(from)!.includes(to)) continue;
    next.get(from)!.push(to);
    incoming.set(to, incoming.get(to)! + 1);
  }
  const out: string[] = [];
  const ready = nodes.filter((n) => incoming.get(n) === 0);
  while (ready.length) {
    const n = ready.shift()!;
    out.push(n);
    for (const m of next.get(n)!) {
      incoming.set(m, incoming.get(m)! - 1);
      if (incoming.get(m) === 0) ready.push(m);
    }
    ready.sort((a, b) => nodes.indexOf(a) - nodes.indexOf(b));
  }
  return out.length === nodes.length ? out : undefined;
}

/**
 * runtime-utils `EditRegistriesConfig`: mirror entries first (mirror-by-digest-only), then the
 * blocked scopes, then insecure and blocked flags propagated to nested scopes (insecure also to
 * mirrors), since registries.conf v2 applies only the most specific entry.
 */
export function registryEntries(insecure: string[], blocked: string[], mirrorSets: MirrorSet[] = []): RegistryEntry[] {
  const entries: RegistryEntry[] = [];
  const entry = (scope: string): RegistryEntry => {
    const found = entries.find((e) => scopeOf(e) === scope);
    if (found) return found;
    // A wildcard goes in prefix; anything else in location, with prefix "" (Prefix has no omitempty).
    const e: RegistryEntry = scope.startsWith('*.') ? { prefix: scope } : { prefix: '', location: scope };
    entries.push(e);
    return e;
  };
  for (const set of mergedMirrorSets(mirrorSets)) {
    const e = entry(set.source);
    e['mirror-by-digest-only'] = true;
    e.mirror = [...(e.mirror ?? []), ...set.mirrors.map((location) => ({ location }))];
  }
  for (const s of blocked) entry(s);
  for (const s of insecure) {
    entry(s).insecure = true;
    for (const e of entries) {
      if (scopeIsNestedInsideScope(scopeOf(e), s)) e.insecure = true;
      for (const m of e.mirror ?? []) if (scopeIsNestedInsideScope(m.location, s)) m.insecure = true;
    }
  }
  for (const s of blocked) {
    entry(s).blocked = true;
    for (const e of entries) if (scopeIsNestedInsideScope(scopeOf(e), s)) e.blocked = true;
  }
  // Canonical key order, false flags omitted (omitempty).
  return entries.map((e) => ({
    prefix: e.prefix,
    ...(e.location !== undefined ? { location: e.location } : {}),
    ...(e.insecure ? { insecure: true } : {}),
    ...(e.blocked ? { blocked: true } : {}),
    ...(e['mirror-by-digest-only'] ? { 'mirror-by-digest-only': true } : {}),
    ...(e.mirror?.length ? { mirror: e.mirror.map((m) => ({ location: m.location, ...(m.insecure ? { insecure: true } : {}) })) } : {}),
  }));
}

/** The fields sysregistriesv2.V2RegistriesConf always encodes (strings without omitempty). */
function v2Conf(search: string[], registries: RegistryEntry[]): Record<string, unknown> {
  const conf: Record<string, unknown> = {
    'unqualified-search-registries': search,
    'short-name-mode': '',
    'additional-layer-store-auth-helper': '',
  };
  if (registries.length) conf.registry = registries;
  return conf;
}

type Requirement = { type: 'reject' } | { type: 'insecureAcceptAnything' };

/** MCO `updatePolicyJSON`: allowed → default reject; blocked → default accept; docker and atomic. */
export function policyJSON(allowed: string[], blocked: string[]): string {
  if (allowed.length && blocked.length) throw new UsageError('invalid images config: only one of AllowedRegistries or BlockedRegistries may be specified');
  if (!allowed.length && !blocked.length) return BASE_POLICY_JSON;
  const accept: Requirement[] = [{ type: 'insecureAcceptAnything' }];
  const reject: Requirement[] = [{ type: 'reject' }];
  const scopes: Record<string, Requirement[]> = {};
  for (const s of [...(allowed.length ? allowed : blocked)].sort()) scopes[s] = allowed.length ? accept : reject;
  // atomic: cannot express scopes with three or more `/`, so the MCO leaves them out there.
  const atomic = Object.fromEntries(Object.entries(scopes).filter(([s]) => s.split('/').length - 1 < 3));
  const policy = {
    default: allowed.length ? reject : accept,
    transports: {
      atomic,
      docker: scopes,
      'docker-daemon': { '': [{ type: 'insecureAcceptAnything' }] },
    },
  };
  return JSON.stringify(policy, null, 2);
}

/** The files each node receives, in the order the MCO writes them; `mirrorSets` from every ImageContentSourcePolicy. */
export function nodeRegistryFiles(sources: RegistrySources, toml: TomlWriter, mirrorSets: MirrorSet[] = []): NodeFile[] {
  const insecure = sources.insecureRegistries ?? [];
  const blocked = sources.blockedRegistries ?? [];
  const allowed = sources.allowedRegistries ?? [];
  const search = sources.containerRuntimeSearchRegistries ?? [];
  const files: NodeFile[] = [];
  const entries = registryEntries(insecure, blocked, mirrorSets);
  const conf = entries.length ? toml.stringify(v2Conf(BASE_SEARCH_REGISTRIES, entries)) : BASE_REGISTRIES_CONF;
  files.push({ path: REGISTRIES_CONF, content: conf, mode: 0o644 });
  if (search.length) files.push({ path: SEARCH_DROP_IN, content: toml.stringify(v2Conf(search, [])), mode: 0o644 });
  files.push({ path: POLICY_JSON, content: policyJSON(allowed, blocked), mode: 0o644 });
  return files;
}

/** `==> path <==` headers between files, as `head`/`tail` print several files. */
export function formatNodeFiles(files: NodeFile[]): string {
  return files.map((f) => `==> ${f.path} <==\n${f.content.endsWith('\n') ? f.content : f.content + '\n'}`).join('\n');
}
