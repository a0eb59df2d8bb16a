// OpenShift 4.x repository mirroring (seed 004, 9.2.6): ImageContentSourcePolicy objects
// (operator.openshift.io/v1alpha1) and, from 4.13, ImageDigestMirrorSet / ImageTagMirrorSet
// (config.openshift.io/v1) from source/mirror groups. Pure: the live objects of one kind and the
// requested edit in; the objects to create, patch or delete and the objects as they will be
// out. Refusals are worded as the machine-config operator words them.
import { UsageError } from '../errors.js';
import { ICSP_KIND, IDMS_KIND, ITMS_KIND, MIRROR_KINDS, rulesOf, type MirrorKind, type MirrorObject } from '../node-files/objects.js';
import { isDnsSubdomain } from '../validate.js';
import { scopeProblem } from './image-config.js';
import type { MirrorSet } from './node-registries.js';

export type { MirrorSet } from './node-registries.js';
export { ICSP_API_VERSION, ICSP_KIND } from '../node-files/objects.js';

/** An ImageContentSourcePolicy, ImageDigestMirrorSet or ImageTagMirrorSet. */
export type PolicyObject = MirrorObject;

// --- flags ---------------------------------------------------------------------------------

/** A source or a mirror, checked as the MCO's `validateRegistriesConfScopes` does, then for shape. */
export function parseMirrorScope(flag: string, role: 'source' | 'mirror', value: string): string {
  const s = value.trim();
  if (s === '') throw new UsageError(`${flag}: invalid empty entry for ${role} configuration`);
  if (s.includes('*')) {
    throw new UsageError(
      `${flag}: wildcard entries are not supported with mirror configuration "${s}"`,
      'give a registry or repository, e.g. registry.example.com/ns/repo; wildcards (*.example.com) are for regctl whitelist --insecure/--block',
    );
  }
  const problem = scopeProblem(s);
  if (problem) throw new UsageError(`${flag}: invalid ${role} "${s}"`, problem);
  return s;
}

/**
 * The groups from the flags. Two spellings, which may be mixed:
 *   --mirror SRC=M1[,M2...]            (repeatable: one group each)
 *   --source SRC --mirror M1 --mirror M2  (plain mirrors belong to the one --source)
 * With `removing`, a --source without mirrors stands for the whole source (mirrors: []).
 */
export function parseMirrorGroups(sources: string[], mirrorFlags: string[], removing: boolean): MirrorSet[] {
  const groups: MirrorSet[] = [];
  const plain: string[] = [];
  const add = (source: string, mirrors: string[]) => {
    const found = groups.find((g) => g.source === source);
    if (found) found.mirrors = [...new Set([...found.mirrors, ...mirrors])];
    else groups.push({ source, mirrors: [...new Set(mirrors)] });
  };
  for (const value of mirrorFlags) {
    const eq = value.indexOf('=');
    if (eq < 0) {
      plain.push(...value.split(',').map((m) => parseMirrorScope('--mirror', 'mirror', m)));
      continue;
    }
    const source = parseMirrorScope('--mirror', 'source', value.slice(0, eq));
    const mirrors = value.slice(eq + 1).split(',');
    if (!removing && mirrors.every((m) => m.trim() === '')) throw new UsageError(`--mirror: invalid empty entry for mirror configuration (in "${value}")`, 'write --mirror SOURCE=MIRROR[,MIRROR...]');
    add(source, removing && mirrors.every((m) => m.trim() === '') ? [] : mirrors.map((m) => parseMirrorScope('--mirror', 'mirror', m)));
  }
  const sourceScopes = sources.map((s) => parseMirrorScope('--source', 'source', s));
  if (plain.length && sourceScopes.length !== 1) {
    throw new UsageError(
      sourceScopes.length === 0 ? `--mirror ${plain[0]}: which source does it mirror? give --source SOURCE, or write --mirror SOURCE=${plain[0]}` : '--mirror without SOURCE= belongs to a single --source; with several sources write --mirror SOURCE=MIRROR[,MIRROR...] for each',
    );
  }
  if (sourceScopes.length && !plain.length) {
    if (!removing) throw new UsageError(`--source ${sourceScopes[0]}: give its mirrors with --mirror MIRROR (repeatable)`);
    for (const s of sourceScopes) add(s, []);
  } else if (sourceScopes.length) add(sourceScopes[0]!, plain);
  for (const g of groups) {
    if (!removing && g.mirrors.every((m) => m === g.source)) {
      throw new UsageError(`--mirror: ${g.source} is given as its own only mirror`, 'a mirror is another registry or repository holding the same content');
    }
  }
  return groups;
}

/** `registry.access.redhat.com/ubi8/ubi-minimal` → `registry.access.redhat.com-ubi8-ubi-minimal`. */
export function defaultPolicyName(source: string): string {
  const name = source
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .slice(0, 253)
    .replace(/[^a-z0-9]+$/, '');
  return isDnsSubdomain(name) ? name : 'mirrors';
}

// --- the edit ------------------------------------------------------------------------------

export type MirrorMode = 'add' | 'replace' | 'remove';

export interface MirrorEdit {
  mode: MirrorMode;
  /** The kind edited (default ImageContentSourcePolicy); `live` holds objects of this kind. */
  kind?: MirrorKind;
  /** Set `mirrorSourcePolicy: NeverContactSource` on the given sources (IDMS/ITMS). */
  neverContactSource?: boolean;
  /** The policy to create or edit; for `remove` without it, every policy holding a given source. */
  name?: string;
  /** For `remove`, an empty `mirrors` means the whole source. */
  groups: MirrorSet[];
}

export type PolicyChange =
  | { action: 'create'; object: PolicyObject }
  | { action: 'update'; before: PolicyObject; object: PolicyObject; patch: { metadata?: { resourceVersion: string }; spec: Record<string, MirrorSet[]> } }
  | { action: 'delete'; before: PolicyObject };

export interface MirrorPlan {
  changes: PolicyChange[];
  /** Every policy as it will be (live ones untouched included), for the node preview. */
  policies: PolicyObject[];
  warnings: string[];
}

/** The list items as the API stores them (mirrorSourcePolicy only where the kind has it). */
function itemsOf(kind: MirrorKind, sets: MirrorSet[]): MirrorSet[] {
  return sets.map((s) => ({ mirrors: [...s.mirrors], source: s.source, ...(MIRROR_KINDS[kind].sourcePolicy && s.mirrorSourcePolicy ? { mirrorSourcePolicy: s.mirrorSourcePolicy } : {}) }));
}

export function policyObject(name: string, sets: MirrorSet[], kind: MirrorKind = ICSP_KIND): PolicyObject {
  const info = MIRROR_KINDS[kind];
  return { apiVersion: info.apiVersion, kind, metadata: { name }, spec: { [info.field]: itemsOf(kind, sets) } };
}

export function setsOf(p: PolicyObject): MirrorSet[] {
  return rulesOf(p);
}

/** `imagedigestmirrorset.config.openshift.io/name`, as oc names objects. */
export function objectName(kind: MirrorKind, name: string): string {
  return `${MIRROR_KINDS[kind].resource}/${name}`;
}

const same = (a: MirrorSet[], b: MirrorSet[]) => JSON.stringify(a) === JSON.stringify(b);

function addGroups(current: MirrorSet[], groups: MirrorSet[]): MirrorSet[] {
  const out = current.map((s) => ({ ...s, mirrors: [...s.mirrors] }));
  for (const g of groups) {
    const found = out.find((s) => s.source === g.source);
    if (found) {
      found.mirrors = [...found.mirrors, ...g.mirrors.filter((m) => !found.mirrors.includes(m))];
      if (g.mirrorSourcePolicy) found.mirrorSourcePolicy = g.mirrorSourcePolicy;
    } else out.push({ ...g, mirrors: [...g.mirrors] });
  }
  return out;
}

function removeGroups(current: MirrorSet[], groups: MirrorSet[]): MirrorSet[] {
  const out: MirrorSet[] = [];
  for (const s of current) {
    const g = groups.find((x) => x.source === s.source);
    if (!g) out.push(s);
    else if (g.mirrors.length) {
      const left = s.mirrors.filter((m) => !g.mirrors.includes(m));
      if (left.length) out.push({ source: s.source, mirrors: left });
    }
  }
  return out;
}

/** What changes, as one line per policy (for --dry-run and plan steps). */
export function describeSets(sets: MirrorSet[]): string {
  return sets.map((s) => `${s.source} -> [${s.mirrors.join(', ')}]`).join('; ');
}

/**
 * Plans the edit against the live policies. `add` merges into the named policy (created when
 * absent), `replace` makes its list exactly the groups, `remove` takes mirrors or whole sources
 * out and deletes a policy left empty.
 */
export function planMirror(live: PolicyObject[], edit: MirrorEdit): MirrorPlan {
  const kind = edit.kind ?? ICSP_KIND;
  const field = MIRROR_KINDS[kind].field;
  if (edit.neverContactSource && !MIRROR_KINDS[kind].sourcePolicy) throw new UsageError('--never-contact-source: an ImageContentSourcePolicy has no mirrorSourcePolicy; it needs an ImageDigestMirrorSet or ImageTagMirrorSet (OpenShift 4.13 and later)');
  if (edit.neverContactSource) edit = { ...edit, groups: edit.groups.map((g) => ({ ...g, mirrorSourcePolicy: 'NeverContactSource' })) };
  const warnings: string[] = [];
  const changes: PolicyChange[] = [];
  const byName = new Map(live.map((p) => [p.metadata.name, p]));

  const update = (before: PolicyObject, sets: MirrorSet[]) => {
    if (same(sets, setsOf(before))) return;
    if (!sets.length) return void changes.push({ action: 'delete', before });
    const items = itemsOf(kind, sets);
    const object = { ...before, spec: { ...(before.spec ?? {}), [field]: items } } as PolicyObject;
    // The list is read, edited and written whole: a concurrent edit must fail (409), not be lost.
    const precondition = before.metadata.resourceVersion ? { metadata: { resourceVersion: before.metadata.resourceVersion } } : {};
    changes.push({ action: 'update', before, object, patch: { ...precondition, spec: { [field]: items } } });
  };

  if (edit.mode === 'remove') {
    const targets = edit.name !== undefined ? [byName.get(edit.name)].filter((p) => p !== undefined) : live.filter((p) => setsOf(p).some((s) => edit.groups.some((g) => g.source === s.source)));
    if (edit.name !== undefined && !targets.length) throw new UsageError(`${objectName(kind, edit.name)} not found: nothing to remove`);
    if (edit.name !== undefined && !edit.groups.length) {
      changes.push({ action: 'delete', before: targets[0]! });
    } else {
      for (const g of edit.groups) {
        const held = targets.flatMap((p) => setsOf(p)).filter((s) => s.source === g.source);
        if (!held.length) warnings.push(`${g.source}: not mirrored${edit.name ? ` in ${edit.name}` : ` by any ${kind}`}, nothing to remove`);
        for (const m of g.mirrors) if (!held.some((s) => s.mirrors.includes(m))) warnings.push(`${g.source}: ${m} is not one of its mirrors, nothing to remove`);
      }
      for (const p of targets) update(p, removeGroups(setsOf(p), edit.groups));
    }
  } else {
    const name = edit.name ?? defaultPolicyName(edit.groups[0]!.source);
    const before = byName.get(name);
    const sets = edit.mode === 'replace' ? addGroups([], edit.groups) : addGroups(before ? setsOf(before) : [], edit.groups);
    if (before) update(before, sets);
    else changes.push({ action: 'create', object: policyObject(name, sets, kind) });
    for (const g of edit.groups) {
      for (const p of live) {
        if (p.metadata.name !== name && setsOf(p).some((s) => s.source === g.source)) {
          warnings.push(`${g.source} is also mirrored by ${kind.toLowerCase()}/${p.metadata.name}: the machine-config operator merges the mirrors of both`);
        }
      }
    }
  }

  const changed = new Map(changes.map((c) => [c.action === 'create' ? c.object.metadata.name : c.before.metadata.name, c]));
  const policies: PolicyObject[] = [];
  for (const p of live) {
    const c = changed.get(p.metadata.name);
    if (!c) policies.push(p);
    else if (c.action === 'update') policies.push(c.object);
  }
  for (const c of changes) if (c.action === 'create') policies.push(c.object);
  return { changes, policies, warnings };
}

/** Every policy's sets, in the order the MCO lists them (by name), for `mergedMirrorSets`. */
export function allMirrorSets(policies: PolicyObject[]): MirrorSet[] {
  return [...policies].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name)).flatMap(setsOf);
}

/**
 * `--convert`: every ImageContentSourcePolicy into one ImageDigestMirrorSet, as OpenShift 4.13+
 * advises (`oc adm migrate icsp`), then the policies deleted. The nodes' files stay the same:
 * the operator reads ICSP items as digest mirrors with the default source policy.
 */
export function planConvert(icsps: PolicyObject[], liveSets: PolicyObject[], name: string): MirrorPlan {
  if (!icsps.length) throw new UsageError('--convert: there is no ImageContentSourcePolicy to convert');
  if (liveSets.some((p) => p.metadata.name === name)) {
    throw new UsageError(`--convert: ${objectName(IDMS_KIND, name)} already exists`, 'give another --name for the converted ImageDigestMirrorSet');
  }
  const sorted = [...icsps].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  const sets: MirrorSet[] = [];
  for (const p of sorted) for (const s of setsOf(p)) if (!sets.some((x) => x.source === s.source && JSON.stringify(x.mirrors) === JSON.stringify(s.mirrors))) sets.push(s);
  const created = policyObject(name, sets, IDMS_KIND);
  const changes: PolicyChange[] = [{ action: 'create', object: created }, ...sorted.map((before): PolicyChange => ({ action: 'delete', before }))];
  return { changes, policies: [...liveSets, created], warnings: [] };
}

// --- which kind a request edits ---------------------------------------------------------------

export interface LiveMirrors {
  icsp: PolicyObject[];
  idms: PolicyObject[];
  itms: PolicyObject[];
}

export interface MirrorRequest extends MirrorEdit {
  tags: boolean;
  convert: boolean;
  /** Discovery found ImageDigestMirrorSet (4.13+). */
  servesMirrorSets: boolean;
}

export interface KindPlan extends MirrorPlan {
  /** The kinds whose objects `policies` stands for (all of them, as they will be). */
  kinds: MirrorKind[];
}

/** OpenShift's documented caution about ImageTagMirrorSet. */
export const TAG_MIRROR_WARNING =
  'ImageTagMirrorSet: pulls by tag will use the mirrors; a tag may name different content on a mirror than on the source, so use it only for mirrors you keep in sync (prefer digests, ImageDigestMirrorSet)';

const MIRROR_SETS_NEEDED = 'this cluster serves no ImageDigestMirrorSet/ImageTagMirrorSet (OpenShift 4.13 and later)';

/**
 * Plans a request against every live mirror object: `--convert` turns ICSPs into one IDMS;
 * `--tags` edits ImageTagMirrorSets; otherwise a named object is edited in its own kind, and
 * new rules go into an ImageDigestMirrorSet where the cluster serves it, else an ICSP. `--remove`
 * without a name takes the sources out of every digest kind.
 */
export function planMirrorRequest(live: LiveMirrors, r: MirrorRequest): KindPlan {
  const edit: MirrorEdit = { mode: r.mode, name: r.name, groups: r.groups, neverContactSource: r.neverContactSource };
  if (r.convert) {
    if (!r.servesMirrorSets) throw new UsageError(`--convert: ${MIRROR_SETS_NEEDED}`, 'ImageContentSourcePolicy is the only mirror kind there; nothing to convert to');
    return { ...planConvert(live.icsp, live.idms, r.name ?? 'converted-from-icsp'), kinds: [ICSP_KIND, IDMS_KIND] };
  }
  if (r.tags) {
    if (!r.servesMirrorSets) throw new UsageError(`--tags: ${MIRROR_SETS_NEEDED}`, 'before 4.13 mirrors serve pulls by digest only');
    const plan = planMirror(live.itms, { ...edit, kind: ITMS_KIND });
    return { ...plan, warnings: r.mode === 'remove' ? plan.warnings : [TAG_MIRROR_WARNING, ...plan.warnings], kinds: [ITMS_KIND] };
  }
  if (r.neverContactSource && !r.servesMirrorSets) throw new UsageError(`--never-contact-source: ${MIRROR_SETS_NEEDED}`);
  const named = (list: PolicyObject[]) => r.name !== undefined && list.some((p) => p.metadata.name === r.name);
  const defaultKind: MirrorKind = r.servesMirrorSets ? IDMS_KIND : ICSP_KIND;
  if (r.mode !== 'remove' || r.name !== undefined) {
    const kind: MirrorKind = named(live.icsp) ? ICSP_KIND : named(live.idms) ? IDMS_KIND : defaultKind;
    return { ...planMirror(kind === ICSP_KIND ? live.icsp : live.idms, { ...edit, kind }), kinds: [kind] };
  }
  // --remove without --name: every digest kind on the cluster.
  const kinds: MirrorKind[] = r.servesMirrorSets ? [ICSP_KIND, IDMS_KIND] : [ICSP_KIND];
  const plans = kinds.map((kind) => planMirror(kind === ICSP_KIND ? live.icsp : live.idms, { ...edit, kind }));
  const held = kinds.flatMap((kind) => (kind === ICSP_KIND ? live.icsp : live.idms).flatMap(setsOf));
  const warnings: string[] = [];
  for (const g of r.groups) {
    const sets = held.filter((s) => s.source === g.source);
    if (!sets.length) warnings.push(`${g.source}: not mirrored by any ${kinds.join(' or ')}, nothing to remove`);
    for (const m of g.mirrors) if (sets.length && !sets.some((s) => s.mirrors.includes(m))) warnings.push(`${g.source}: ${m} is not one of its mirrors, nothing to remove`);
  }
  return { changes: plans.flatMap((p) => p.changes), policies: plans.flatMap((p) => p.policies), warnings, kinds };
}
