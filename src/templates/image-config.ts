// OpenShift 4.x: the registry lists of `image.config.openshift.io/cluster` (seed 004,
// REFERENCE.md §4.2, §5). Pure: the live Image and the requested edits in, the merge patch,
// the Image as it will be, and the warnings out. Refusals are UsageErrors worded as the
// machine-config operator words them, so a user who searches the message finds the docs.
import { UsageError } from '../errors.js';
import type { KubeObject, ObjectRef } from '../plan/types.js';
import { isHostname } from '../validate.js';
import { mergePatch } from '../plan/types.js';

/** Public registries the OpenShift 4 image configuration document warns against listing for short-name search. */
const PUBLIC_REGISTRIES = new Set(['docker.io', 'registry-1.docker.io', 'quay.io', 'registry.access.redhat.com', 'registry.redhat.io', 'gcr.io', 'ghcr.io', 'registry.fedoraproject.org', 'mcr.microsoft.com', 'public.ecr.aws', 'registry.gitlab.com']);

export const IMAGE_API_VERSION = 'config.openshift.io/v1';
export const IMAGE_KIND = 'Image';
export const IMAGE_NAME = 'cluster';
export const IMAGE_REF: ObjectRef = { apiVersion: IMAGE_API_VERSION, kind: IMAGE_KIND, name: IMAGE_NAME };
export const DEFAULT_INTERNAL_REGISTRY = 'image-registry.openshift-image-registry.svc:5000';
/** Payload images come from these; the docs say never to leave them out of an allow list. */
export const PAYLOAD_REGISTRIES = ['registry.redhat.io', 'quay.io'] as const;

export type ListName = 'allowedRegistries' | 'blockedRegistries' | 'insecureRegistries' | 'containerRuntimeSearchRegistries';
export const LIST_NAMES: readonly ListName[] = ['allowedRegistries', 'blockedRegistries', 'insecureRegistries', 'containerRuntimeSearchRegistries'];
export const LIST_FLAG: Record<ListName, string> = {
  allowedRegistries: '--allow',
  blockedRegistries: '--block',
  insecureRegistries: '--insecure',
  containerRuntimeSearchRegistries: '--search',
};
/** The MCO's words for each list in `invalid entry for <words> "<s>"`. */
const LIST_WORDS: Record<ListName, string> = {
  allowedRegistries: 'allowed registries',
  blockedRegistries: 'blocked registries',
  insecureRegistries: 'insecure registries',
  containerRuntimeSearchRegistries: 'search registries',
};

export type RegistrySources = Partial<Record<ListName, string[]>>;

export interface RegistryLocation {
  domainName: string;
  insecure?: boolean;
}

export interface ImageObject extends KubeObject {
  spec?: {
    registrySources?: RegistrySources;
    allowedRegistriesForImport?: RegistryLocation[];
    [field: string]: unknown;
  };
  status?: { internalRegistryHostname?: string; [field: string]: unknown };
}

/** The Image a cluster has before anyone edits it (for `--local` rendering). */
export function defaultImage(): ImageObject {
  return { apiVersion: IMAGE_API_VERSION, kind: IMAGE_KIND, metadata: { name: IMAGE_NAME }, spec: {}, status: { internalRegistryHostname: DEFAULT_INTERNAL_REGISTRY } };
}

// --- scopes -------------------------------------------------------------------------------

/** runtime-utils `IsValidRegistriesConfScope`: a scope with `*` must be `*.domain` and nothing more. */
export function isValidRegistriesConfScope(scope: string): boolean {
  if (scope === '') return false;
  if (!scope.includes('*')) return true;
  return scope.startsWith('*.') && !/[/@:*]/.test(scope.slice(2));
}

/** runtime-utils `ScopeIsNestedInsideScope`: equal, a `/` sub-path, or a host under a `*.domain`. */
export function scopeIsNestedInsideScope(sub: string, sup: string): boolean {
  if (sub === sup) return true;
  if (sub.length > sup.length && sub.startsWith(sup) && sub[sup.length] === '/') return true;
  if (sup.startsWith('*.')) {
    const host = sub.includes(':') ? sub.split(':')[0]! : sub.split('/')[0]!;
    if (sub.includes(':') && host.includes('/')) return false;
    return host.endsWith(sup.slice(1));
  }
  return false;
}

const HOST = '[A-Za-z0-9](?:[-A-Za-z0-9]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[-A-Za-z0-9]*[A-Za-z0-9])?)*';
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
/** `host[:port][/path…]`, or an IPv6 `[addr][:port]`, with no tag or digest (the CRD's shape on master). */
const SCOPE = new RegExp(`^(?:${HOST}|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?(?:/${PATH_COMPONENT})*$`);

/** Why a registry scope is refused, or undefined when it is fine. */
export function scopeProblem(scope: string): string | undefined {
  if (scope.length > 256) return 'longer than 256 characters';
  if (scope.includes('@')) return 'a digest is not a registry scope; give the registry or repository without @sha256:…';
  if (/\/[^/]*:[^/]*$/.test(scope)) return 'a tag is not a registry scope; give the registry or repository without :tag';
  if (!isValidRegistriesConfScope(scope)) return 'a wildcard must be the first label only, as in *.example.com (no port or path)';
  if (scope.startsWith('*.')) return SCOPE.test(scope.slice(2)) ? undefined : 'not a domain after *.';
  if (!SCOPE.test(scope)) return 'expected a host, host:port, *.domain or a repository such as reg1.io/myrepo/myapp';
  return undefined;
}

/** One entry of a list flag, checked as the MCO does, with the reason as a hint. */
export function parseScope(list: ListName, value: string): string {
  const s = value.trim();
  if (list === 'containerRuntimeSearchRegistries') {
    // The CRD declares Format=hostname: no port, path or wildcard.
    if (!isHostname(s) || s.startsWith('*')) {
      throw new UsageError(`${LIST_FLAG[list]}: invalid entry for ${LIST_WORDS[list]} "${s}"`, 'containerRuntimeSearchRegistries must be host names (no port, path or wildcard)');
    }
    return s;
  }
  const problem = scopeProblem(s);
  if (problem) throw new UsageError(`${LIST_FLAG[list]}: invalid entry for ${LIST_WORDS[list]} "${s}"`, problem);
  return s;
}

/** `--allow-import domain[:port][,insecure]`: wildcards `*` and `?` are allowed, as the API says. */
export function parseImportLocation(value: string): RegistryLocation {
  const [domain = '', ...flags] = value.split(',').map((s) => s.trim());
  const unknown = flags.filter((f) => f !== 'insecure' && f !== '');
  if (unknown.length) throw new UsageError(`--allow-import: unknown option "${unknown[0]}" in "${value}" (expected domain[:port][,insecure])`);
  if (!/^[A-Za-z0-9*?](?:[-A-Za-z0-9.*?]*[A-Za-z0-9*?])?(?::(?:[0-9]{1,5}|\*))?$/.test(domain)) {
    throw new UsageError(`--allow-import: "${domain}" is not a registry domain (expected domain[:port], wildcards * and ? allowed)`);
  }
  return flags.includes('insecure') ? { domainName: domain, insecure: true } : { domainName: domain };
}

// --- the edit -----------------------------------------------------------------------------

export type EditMode = 'set' | 'add' | 'remove';

export interface WhitelistEdits {
  /** `set` replaces each given list (an empty list clears it); `add`/`remove` edit the live lists. */
  mode: EditMode;
  lists: RegistrySources;
  allowImport?: RegistryLocation[];
  /** Append registry.redhat.io, quay.io and the internal registry to an allow list that lacks them. */
  includeDefaults: boolean;
  /** Proceed despite leaving out or blocking the registries the cluster's own images come from. */
  force: boolean;
  /** The release payload's repository (ClusterVersion status.desired.image without tag or digest), when known. */
  payloadRepo?: string;
}

export interface WhitelistResult {
  /** RFC 7386 merge patch for image.config.openshift.io/cluster; empty when nothing changes. */
  patch: { metadata?: { resourceVersion: string }; spec?: Record<string, unknown> };
  /** The Image as it will be after the patch. */
  image: ImageObject;
  sources: RegistrySources;
  changed: boolean;
  warnings: string[];
  /** Defaults appended because of --include-defaults. */
  added: string[];
}

const unique = (xs: string[]) => [...new Set(xs)];
const sameList = (a: readonly unknown[] | undefined, b: readonly unknown[] | undefined) => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);

function editList<T>(live: T[], given: T[], mode: EditMode, key: (t: T) => string, notFound: (t: T) => void): T[] {
  if (mode === 'set') return given;
  if (mode === 'add') {
    const out = [...live];
    for (const g of given) if (!out.some((l) => key(l) === key(g))) out.push(g);
    return out;
  }
  for (const g of given) if (!live.some((l) => key(l) === key(g))) notFound(g);
  return live.filter((l) => !given.some((g) => key(g) === key(l)));
}

/** Go's %q of a string slice, as the MCO prints it: ["a" "b"]. */
const goQuoted = (xs: string[]) => `[${xs.map((x) => JSON.stringify(x)).join(' ')}]`;

/** `quay.io/openshift-release-dev/ocp-release@sha256:…` → `quay.io/openshift-release-dev/ocp-release`. */
export function repositoryOf(imageRef: string): string {
  const noDigest = imageRef.split('@')[0]!;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/** The registries the cluster's own images come from. */
export function requiredRegistries(image: ImageObject): string[] {
  return [...PAYLOAD_REGISTRIES, image.status?.internalRegistryHostname || DEFAULT_INTERNAL_REGISTRY];
}

const covered = (scope: string, list: string[]) => list.some((entry) => scopeIsNestedInsideScope(scope, entry));


/**
 * Computes the new registry lists from the live Image and the edits, validates them as
 * OpenShift does, and returns the merge patch. Throws UsageError on every refusal.
 */
export function planImageConfig(live: ImageObject, edits: WhitelistEdits): WhitelistResult {
  const warnings: string[] = [];
  const liveSources: RegistrySources = live.spec?.registrySources ?? {};
  const next: RegistrySources = {};
  const touched = new Set<ListName>();
  for (const name of LIST_NAMES) {
    const given = edits.lists[name];
    const current = liveSources[name] ?? [];
    if (given === undefined) {
      if (current.length) next[name] = [...current];
      continue;
    }
    touched.add(name);
    const list = unique(editList(current, given, edits.mode, (s) => s, (s) => warnings.push(`${LIST_FLAG[name]} ${s}: not in ${name}, nothing to remove`)));
    if (list.length) next[name] = list;
  }

  const allowed = next.allowedRegistries ?? [];
  const blocked = next.blockedRegistries ?? [];
  if (allowed.length && blocked.length) {
    const fromLive = touched.has('allowedRegistries') ? 'blockedRegistries' : 'allowedRegistries';
    throw new UsageError(
      'invalid images config: only one of AllowedRegistries or BlockedRegistries may be specified',
      touched.has('allowedRegistries') && touched.has('blockedRegistries')
        ? 'give --allow or --block, not both'
        : `the cluster already has ${fromLive} (${(liveSources[fromLive] ?? []).join(', ')}); clear it first with ${LIST_FLAG[fromLive]} ''`,
    );
  }

  const required = requiredRegistries(live);
  const added: string[] = [];
  if (allowed.length) {
    const missing = required.filter((r) => !covered(r, allowed));
    if (missing.length && edits.includeDefaults) {
      next.allowedRegistries = [...allowed, ...missing];
      touched.add('allowedRegistries');
      added.push(...missing);
    } else if (missing.length) {
      const what = `the allowed registries leave out ${missing.join(', ')}, where the cluster's own images come from: pods, operators and builds that use them would fail with ImagePullBackOff`;
      if (touched.has('allowedRegistries') && !edits.force) {
        throw new UsageError(`--allow: ${what}`, 'add them with --include-defaults (or list them yourself); --force keeps the list as given (e.g. when they are mirrored)');
      }
      warnings.push(what);
    }
  } else if (edits.includeDefaults && touched.has('allowedRegistries')) {
    warnings.push('--include-defaults: there is no allow list to add the default registries to');
  }

  const blockedRequired = required.filter((r) => covered(r, blocked));
  if (blockedRequired.length) {
    const what = `the blocked registries cover ${blockedRequired.join(', ')}, where the cluster's own images come from: pods and operators that use them would fail with ImagePullBackOff`;
    if (touched.has('blockedRegistries') && !edits.force) throw new UsageError(`--block: ${what}`, 'block narrower scopes, or give --force if these registries are mirrored');
    warnings.push(what);
  }

  const payloadBlocked = edits.payloadRepo ? blocked.filter((b) => scopeIsNestedInsideScope(edits.payloadRepo!, b)) : [];
  if (payloadBlocked.length) {
    // The MCO's own words; it then leaves these entries out of every node's files.
    const what = `error adding ${goQuoted(payloadBlocked)} to blocked registries, cannot block the repository being used by the payload (${edits.payloadRepo})`;
    if (touched.has('blockedRegistries') && !edits.force) throw new UsageError(`--block: ${what}`, 'block a narrower scope that leaves the release payload out');
    // Which release drops them (and when 4.11+ keeps them for a mirrored payload) is the renderer's business (src/node-files/payload.ts).
    warnings.push(what);
  }

  const finalAllowed = next.allowedRegistries ?? [];
  if (finalAllowed.length) {
    for (const s of next.insecureRegistries ?? []) {
      if (!covered(s, finalAllowed)) warnings.push(`insecure registry ${s} is not in the allowed registries: pulls from it will be refused (add it with --add --allow ${s})`);
    }
    for (const s of next.containerRuntimeSearchRegistries ?? []) {
      if (!covered(s, finalAllowed)) warnings.push(`search registry ${s} is not in the allowed registries: short names will not resolve there (add it with --add --allow ${s})`);
    }
  }
  for (const s of next.containerRuntimeSearchRegistries ?? []) {
    if (covered(s, next.blockedRegistries ?? [])) warnings.push(`search registry ${s} is also blocked`);
  }
  // The documents' warning: a short name is tried against every search registry, credentials and all.
  const publicSearch = touched.has('containerRuntimeSearchRegistries') ? (next.containerRuntimeSearchRegistries ?? []).filter((s) => PUBLIC_REGISTRIES.has(s)) : [];
  if (publicSearch.length) {
    warnings.push(
      `public ${publicSearch.length === 1 ? 'registry' : 'registries'} ${publicSearch.join(', ')} in the search registries: a pull by short name exposes your credentials to every registry on the list and risks network and registry attacks${publicSearch.length > 1 ? '; several public registries needing different credentials cannot be listed unless the global pull secret holds them' : ''}`,
    );
  }

  const specPatch: Record<string, unknown> = {};
  const sourcesPatch: Record<string, unknown> = {};
  let changed = false;
  for (const name of touched) {
    if (sameList(next[name], liveSources[name])) continue;
    sourcesPatch[name] = next[name] ?? null;
    changed = true;
  }
  if (Object.keys(sourcesPatch).length) specPatch.registrySources = sourcesPatch;

  if (edits.allowImport !== undefined) {
    const current = live.spec?.allowedRegistriesForImport ?? [];
    const list = editList(current, edits.allowImport, edits.mode, (l) => l.domainName, (l) => warnings.push(`--allow-import ${l.domainName}: not in allowedRegistriesForImport, nothing to remove`));
    const deduped = list.filter((l, i) => list.findIndex((o) => o.domainName === l.domainName) === i);
    if (!sameList(deduped, current)) {
      specPatch.allowedRegistriesForImport = deduped.length ? deduped : null;
      changed = true;
    }
  }

  const patch: WhitelistResult['patch'] = {};
  if (changed) {
    // add/remove read the live lists: a concurrent edit must fail (409) rather than be lost.
    if (edits.mode !== 'set' && live.metadata.resourceVersion) patch.metadata = { resourceVersion: live.metadata.resourceVersion };
    patch.spec = specPatch;
  }
  const image = mergePatch(live, { spec: specPatch }) as ImageObject;
  const sources = image.spec?.registrySources ?? {};
  return { patch, image, sources, changed, warnings, added };
}
