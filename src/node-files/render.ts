// The files every node receives from the machine-config operator for the Image's registry lists
// and the cluster's mirror rules, release by release: registries.conf, the search drop-in and
// policy.json (REFERENCE.md §5). Follows the controller's syncImageConfig → registriesConfigIgnition.
// Pure: the TOML writer is passed in (smol-toml, loaded by the caller).
import { UsageError } from '../errors.js';
import { isValidRegistriesConfScope, type RegistrySources } from '../templates/image-config.js';
import { BASE_POLICY_JSON, BASE_REGISTRIES_CONF, BASE_SEARCH_REGISTRIES, POLICY_JSON, REGISTRIES_CONF, SEARCH_DROP_IN, type NodeFile, type TomlWriter } from '../templates/node-registries.js';
import { validBlockedAndAllowed } from './payload.js';
import { policyJSON } from './policy.js';
import { editRegistriesConfig, type MirrorRule, type MirrorRules, type RegistryEntry } from './registries.js';
import type { ReleaseRules } from './release.js';

export interface NodeFilesInput {
  rules: ReleaseRules;
  /** image.config.openshift.io/cluster spec.registrySources. */
  sources: RegistrySources;
  mirrors: MirrorRules;
  /** ClusterVersion status.desired.image; without it the payload exceptions are not applied. */
  releaseImage?: string;
}

export interface NodeFilesResult {
  files: NodeFile[];
  /** What the operator would log, and what this release ignores. */
  warnings: string[];
}

// The API's patterns for sources and mirrors (openshift/api types_image_digest_mirror_set.go), checked by 4.16+.
const LABEL = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST_PATH = `((?:${LABEL})(?:(?:\\.${LABEL})+)?(?::[0-9]+)?)(?:(?:/[a-z0-9]+(?:(?:(?:[._]|__|[-]*)[a-z0-9]+)+)?)+)?`;
const SOURCE_FORMAT = new RegExp(`^\\*(?:\\.${LABEL})+$|^${HOST_PATH}$`);
const MIRROR_FORMAT = new RegExp(`^${HOST_PATH}$`);

/** MCO `validateRegistriesConfScopes` for the release; throws with the operator's words. */
export function validateRegistriesConfScopes(rules: ReleaseRules, insecure: string[], blocked: string[], mirrors: MirrorRules): void {
  if (!rules.validatesScopes) return;
  for (const s of insecure) if (!isValidRegistriesConfScope(s)) throw new UsageError(`invalid entry for insecure registries "${s}"`);
  for (const s of blocked) if (!isValidRegistriesConfScope(s)) throw new UsageError(`invalid entry for blocked registries "${s}"`);
  const policyOf = new Map<string, string>();
  const m = rules.release.minor;
  const check = (r: MirrorRule) => {
    if (rules.validatesMirrorFormat) {
      if (!SOURCE_FORMAT.test(r.source)) throw new UsageError(`invalid format for source "${r.source}"`);
    } else {
      if (m >= 11 && r.source === '') throw new UsageError('invalid empty entry for source configuration');
      if (r.source.includes('*')) throw new UsageError(`wildcard entries are not supported with mirror configuration "${r.source}"`);
    }
    if (rules.mirrorSets) {
      const policy = r.mirrorSourcePolicy || 'AllowContactingSource';
      const seen = policyOf.get(r.source);
      if (seen === undefined) policyOf.set(r.source, policy);
      else if (seen !== policy) {
        const where = m >= 15 ? 'imagedigestmirrorsets, imagetagmirrorsets, or imagecontentsourcepolicies' : 'imagedigestmirrorsets and/or imagetagmirrorsets';
        throw new UsageError(`conflicting mirrorSourcePolicy is set for the same source "${r.source}" in ${where}`);
      }
    }
    for (const mirror of r.mirrors) {
      if (rules.validatesMirrorFormat) {
        if (!MIRROR_FORMAT.test(mirror)) throw new UsageError(`invalid format for mirror "${mirror}"`);
      } else {
        if (m >= 11 && mirror === '') throw new UsageError('invalid empty entry for mirror configuration');
        if (mirror.includes('*')) throw new UsageError(`wildcard entries are not supported with mirror configuration "${mirror}"`);
      }
      if (rules.mirrorSets && r.mirrorSourcePolicy === 'NeverContactSource' && mirror === r.source) {
        throw new UsageError(`cannot set mirrorSourcePolicy: NeverContactSource if the source "${r.source}" is one of the mirrors`);
      }
    }
  };
  // As the MCO checks them: IDMS, then ICSPs converted to IDMS, then ITMS.
  const digest = rules.mirrorSets ? [...mirrors.idms, ...mirrors.icsp.map((r) => ({ source: r.source, mirrors: r.mirrors }))] : mirrors.icsp;
  for (const r of digest) check(r);
  if (rules.mirrorSets) for (const r of mirrors.itms) check(r);
}

/** The sysregistriesv2 fields always encoded (strings without omitempty). */
function v2Conf(search: string[], registries: RegistryEntry[]): Record<string, unknown> {
  const conf: Record<string, unknown> = { 'unqualified-search-registries': search, 'short-name-mode': '', 'additional-layer-store-auth-helper': '' };
  if (registries.length) conf.registry = registries;
  return conf;
}

/** The `[[registry]]` entries every node gets (validation included), for callers that look inside. */
export function registriesConfEntries(input: NodeFilesInput): { entries: RegistryEntry[]; registriesBlocked: string[]; policyBlocked: string[]; allowed: string[]; warnings: string[] } {
  const { rules, sources } = input;
  const mirrors: MirrorRules = rules.mirrorSets ? input.mirrors : { icsp: input.mirrors.icsp, idms: [], itms: [] };
  const insecure = sources.insecureRegistries ?? [];
  const warnings: string[] = [];
  const lists = validBlockedAndAllowed(rules, input.releaseImage, sources.allowedRegistries ?? [], insecure, sources.blockedRegistries ?? [], mirrors);
  if (lists.message) warnings.push(`${lists.message}: the machine-config operator leaves ${lists.refused.join(', ')} out of the node files`);
  validateRegistriesConfScopes(rules, insecure, lists.registriesBlocked, mirrors);
  return { entries: editRegistriesConfig(rules, insecure, lists.registriesBlocked, mirrors), registriesBlocked: lists.registriesBlocked, policyBlocked: lists.policyBlocked, allowed: lists.allowed, warnings };
}

/** The files each node receives, in the order the MCO writes them. */
export function renderNodeFiles(input: NodeFilesInput, toml: TomlWriter): NodeFilesResult {
  const { rules, sources } = input;
  const name = rules.release.name;
  const warnings: string[] = [];
  if (!rules.mirrorSets && (input.mirrors.idms.length || input.mirrors.itms.length)) {
    warnings.push(`OpenShift ${name} does not read ImageDigestMirrorSet or ImageTagMirrorSet (4.13 and later do): their mirrors are left out`);
  }
  const search = sources.containerRuntimeSearchRegistries ?? [];
  if (search.length && !rules.searchDropIn) warnings.push(`OpenShift ${name} does not write containerRuntimeSearchRegistries to the nodes (4.7 and later do)`);

  const { entries, registriesBlocked, policyBlocked, allowed, warnings: found } = registriesConfEntries(input);
  warnings.push(...found);
  const anyMirrors = input.mirrors.icsp.length > 0 || (rules.mirrorSets && (input.mirrors.idms.length > 0 || input.mirrors.itms.length > 0));
  const edited = (sources.insecureRegistries ?? []).length > 0 || registriesBlocked.length > 0 || anyMirrors;
  const files: NodeFile[] = [{ path: REGISTRIES_CONF, content: edited ? toml.stringify(v2Conf(BASE_SEARCH_REGISTRIES, entries)) : BASE_REGISTRIES_CONF, mode: 0o644 }];
  files.push({ path: POLICY_JSON, content: policyJSON(rules, policyBlocked, allowed, input.releaseImage) ?? BASE_POLICY_JSON, mode: 0o644 });
  if (search.length && rules.searchDropIn) files.push({ path: SEARCH_DROP_IN, content: toml.stringify(v2Conf(search, [])), mode: 0o644 });
  return { files, warnings };
}
