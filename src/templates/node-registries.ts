// What every 4.x node receives from the machine-config operator for an Image's registrySources
// (REFERENCE.md §5): /etc/containers/registries.conf (TOML v2), the search-registries drop-in,
// and /etc/containers/policy.json. Pure: the TOML writer is passed in (smol-toml, loaded by
// the caller), so this module stays light and deterministic.
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

/** One `[[registry]]` entry, keys in sysregistriesv2's order (prefix, location, insecure, blocked). */
interface RegistryEntry {
  prefix: string;
  location?: string;
  insecure?: boolean;
  blocked?: boolean;
}

const scopeOf = (r: RegistryEntry) => (r.prefix !== '' ? r.prefix : r.location ?? '');

/** runtime-utils `EditRegistriesConfig`, without mirrors: blocked first, then flags propagated to nested scopes. */
export function registryEntries(insecure: string[], blocked: string[]): RegistryEntry[] {
  const entries: RegistryEntry[] = [];
  const entry = (scope: string): RegistryEntry => {
    const found = entries.find((e) => scopeOf(e) === scope);
    if (found) return found;
    // A wildcard goes in prefix; anything else in location, with prefix "" (Prefix has no omitempty).
    const e: RegistryEntry = scope.startsWith('*.') ? { prefix: scope } : { prefix: '', location: scope };
    entries.push(e);
    return e;
  };
  for (const s of blocked) entry(s);
  for (const s of insecure) {
    entry(s).insecure = true;
    for (const e of entries) if (scopeIsNestedInsideScope(scopeOf(e), s)) e.insecure = true;
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

/** The files each node receives, in the order the MCO writes them. */
export function nodeRegistryFiles(sources: RegistrySources, toml: TomlWriter): NodeFile[] {
  const insecure = sources.insecureRegistries ?? [];
  const blocked = sources.blockedRegistries ?? [];
  const allowed = sources.allowedRegistries ?? [];
  const search = sources.containerRuntimeSearchRegistries ?? [];
  const files: NodeFile[] = [];
  const conf = insecure.length || blocked.length ? toml.stringify(v2Conf(BASE_SEARCH_REGISTRIES, registryEntries(insecure, blocked))) : BASE_REGISTRIES_CONF;
  files.push({ path: REGISTRIES_CONF, content: conf, mode: 0o644 });
  if (search.length) files.push({ path: SEARCH_DROP_IN, content: toml.stringify(v2Conf(search, [])), mode: 0o644 });
  files.push({ path: POLICY_JSON, content: policyJSON(allowed, blocked), mode: 0o644 });
  return files;
}

/** `==> path <==` headers between files, as `head`/`tail` print several files. */
export function formatNodeFiles(files: NodeFile[]): string {
  return files.map((f) => `==> ${f.path} <==\n${f.content.endsWith('\n') ? f.content : f.content + '\n'}`).join('\n');
}
