// The flags with which `mirror` and `whitelist` render what nodes receive instead of changing the
// cluster (--preview [dir], --local with -f, --openshift-version), checked the same way for both.
import type { GlobalOptions } from '../context.js';
import { UsageError } from '../errors.js';
import { parseOpenShiftVersion, type Release } from './release.js';

export interface RenderFlags {
  preview?: string | boolean;
  local?: boolean;
  filename?: string | string[];
  wait?: boolean;
  show?: boolean;
  openshiftVersion?: string;
}

/** How the command's messages name its objects: `the policies come from the cluster`, `-o yaml the policies`. */
export interface RenderObjects {
  fromCluster: string;
  printed: string;
}

/** `--preview`: true prints the node files, a string writes them under that directory; `--openshift-version`: whose rules the preview follows. */
export function renderOptions(f: RenderFlags, g: Pick<GlobalOptions, 'output'>, objects: RenderObjects): { preview?: true | string; release?: Release } {
  if (f.filename !== undefined && !f.local) throw new UsageError(`-f/--filename is read only with --local (otherwise ${objects.fromCluster})`);
  if (f.wait && (f.preview !== undefined || f.local)) throw new UsageError('--wait follows an applied change; it cannot be used with --preview or --local');
  if (f.preview === '') throw new UsageError('--preview: the directory name is empty');
  if (f.openshiftVersion !== undefined && !f.local) throw new UsageError('--openshift-version is read only with --local (otherwise the release comes from clusterversions/version)');
  const preview = f.preview === undefined || f.preview === false ? undefined : f.preview;
  if (preview !== undefined && g.output) throw new UsageError(`--output: --preview prints the node files, -o ${g.output} ${objects.printed}; give one`);
  if (f.local && preview === undefined && !g.output && !f.show) throw new UsageError('--local renders only: give -o yaml|json or --preview');
  if (f.local && g.output === 'name') throw new UsageError('--output name applies the change; --local renders only: give -o yaml|json');
  return { preview, release: f.openshiftVersion === undefined ? undefined : parseOpenShiftVersion('--openshift-version', f.openshiftVersion) };
}
