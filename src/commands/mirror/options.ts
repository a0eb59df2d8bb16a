// `regctl mirror` flags → options: pure, every error names its flag.
import type { GlobalOptions } from '../../context.js';
import { UsageError } from '../../errors.js';
import { parseInteger, parseObjectName } from '../../validate.js';
import { parseMirrorGroups, type MirrorMode, type MirrorSet } from '../../templates/mirror.js';
import type { Release } from '../../node-files/release.js';
import { renderOptions } from '../../node-files/render-flags.js';

export interface MirrorFlags {
  source?: string[];
  mirror?: string[];
  name?: string;
  remove?: boolean;
  replace?: boolean;
  show?: boolean;
  preview?: string | boolean;
  local?: boolean;
  filename?: string[];
  wait?: boolean;
  timeout: string;
  tags?: boolean;
  convert?: boolean;
  neverContactSource?: boolean;
  updateAllowlist?: boolean;
  openshiftVersion?: string;
}

export interface MirrorOptions {
  mode: MirrorMode;
  name?: string;
  groups: MirrorSet[];
  /** `--show`: print the current policies. */
  show: boolean;
  /** Groups given, or a policy to delete: without them the command shows or previews what is. */
  changes: boolean;
  /** `--preview`: true prints the node files; a string writes them under that directory. */
  preview?: true | string;
  local: boolean;
  filenames: string[];
  wait: boolean;
  timeoutSeconds: number;
  /** `--tags`: an ImageTagMirrorSet (pulls by tag) instead of digest mirrors. */
  tags: boolean;
  /** `--convert`: every ImageContentSourcePolicy into one ImageDigestMirrorSet. */
  convert: boolean;
  neverContactSource: boolean;
  /** `--update-allowlist`: add refused sources and mirrors to allowedRegistries in the same plan. */
  updateAllowlist: boolean;
  /** `--openshift-version` (with --local): whose rules the preview follows. */
  release?: Release;
}


/** Complete + Validate: every flag checked, nothing read or written yet. */
export function toOptions(f: MirrorFlags, g: Pick<GlobalOptions, 'output'>): MirrorOptions {
  if (f.remove && f.replace) throw new UsageError('--remove and --replace cannot be used together');
  const mode: MirrorMode = f.remove ? 'remove' : f.replace ? 'replace' : 'add';
  const timeoutSeconds = parseInteger('--timeout', f.timeout, 1, 7 * 86400);
  const name = f.name === undefined ? undefined : parseObjectName('--name', f.name);
  const groups = parseMirrorGroups(f.source ?? [], f.mirror ?? [], mode === 'remove');
  const changes = groups.length > 0 || (mode === 'remove' && name !== undefined) || f.convert === true;
  if (f.show && (groups.length || f.remove || f.replace)) throw new UsageError('--show prints the current policies; give it without changes');
  if (!f.show && groups.length === 0) {
    if (mode === 'replace') throw new UsageError('--replace needs groups: --mirror SOURCE=MIRROR[,MIRROR...]');
    if (mode === 'remove' && name === undefined) throw new UsageError('--remove needs --source, --mirror SOURCE=MIRROR, or --name (to delete a whole policy)');
  }
  if (f.convert && (groups.length || f.remove || f.replace || f.tags || f.show)) throw new UsageError('--convert turns the existing ImageContentSourcePolicies into one ImageDigestMirrorSet; give it alone (with --name for the new object)');
  if (f.neverContactSource && (f.remove || f.convert || !groups.length)) throw new UsageError('--never-contact-source sets the policy of the sources given with --mirror/--source; it cannot be used with --remove or --convert');
  const { preview, release } = renderOptions(f, g, { fromCluster: 'the policies come from the cluster', printed: 'the policies' });
  return {
    mode,
    name,
    groups,
    show: f.show === true,
    changes,
    preview,
    local: f.local === true,
    filenames: f.filename ?? [],
    wait: f.wait === true,
    timeoutSeconds,
    tags: f.tags === true,
    convert: f.convert === true,
    neverContactSource: f.neverContactSource === true,
    updateAllowlist: f.updateAllowlist === true,
    release,
  };
}

