// `regctl mirror`: repository mirroring on OpenShift 4.x (seed 004, 9.2.6). Creates, updates or
// removes ImageContentSourcePolicy objects; previews the registries.conf every node receives.
// flags → options (validated, no I/O) → live policies and Image → pure plan → print, preview or apply.
import type { Command } from 'commander';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { action } from '../runtime.js';
import { collect, parseInteger, parseObjectName } from '../validate.js';
import { parseMirrorGroups, type MirrorMode, type MirrorSet } from '../templates/mirror.js';
import { summary } from './catalog.js';

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
}


export function register(program: Command): void {
  program
    .command('mirror')
    .description(summary('mirror'))
    .option('--mirror <[source=]mirror>', 'SOURCE=MIRROR[,MIRROR...] (repeatable, one group each), or MIRROR for the one --source; tried in the order given', collect)
    .option('--source <repository>', 'the registry or repository being mirrored, e.g. registry.redhat.io/ubi8 (repeatable with --remove)', collect)
    .option('--name <name>', 'the ImageContentSourcePolicy to create or edit (default: named after the first source)')
    .option('--remove', 'take the given mirrors (or, for a --source without --mirror, the whole source) out; a policy left empty is deleted')
    .option('--replace', "make the policy's list exactly the given groups instead of adding to it")
    .option('--show', 'print the current policies and change nothing')
    .option('--preview [dir]', 'print (or write under dir) the registries.conf, search drop-in and policy.json each node will receive; change nothing')
    .option('--local', 'do not contact the cluster: start from the -f files, else from no policies and a default Image (with -o or --preview)')
    .option('-f, --filename <file>', 'with --local: current ImageContentSourcePolicy and Image objects (YAML or JSON, several documents or a List; repeatable)', collect)
    .option('--wait', 'follow the machine config pools until every node has the change')
    .option('--timeout <seconds>', 'how long --wait waits', '3600')
    .addHelpText(
      'after',
      `
Examples:
  # Pull registry.access.redhat.com/ubi8/ubi-minimal from two mirrors (seed 004, 9.2.6)
  regctl mirror --source registry.access.redhat.com/ubi8/ubi-minimal \\
    --mirror example.io/example/ubi-minimal --mirror example.com/example/ubi-minimal --name ubi8repo

  # Several groups in one policy
  regctl mirror --name mirrors --mirror registry.redhat.io=mirror.example.com \\
    --mirror registry.example.com/example=mirror.example.net

  # What the nodes will receive, merged with the Image's insecure and blocked registries
  regctl mirror --mirror quay.io/ocp=mirror.example.com/ocp --preview

  # Take a mirror out, or a whole source
  regctl mirror --remove --mirror quay.io/ocp=mirror.example.com/ocp
  regctl mirror --remove --source quay.io/ocp

Mirrors are used for pulls by digest only (mirror-by-digest-only = true); a pull by tag goes to
the source. Wildcards (*.example.com) are not accepted, as OpenShift refuses them.`,
    )
    .action(action<MirrorFlags>(runMirror));
}

/** Complete + Validate: every flag checked, nothing read or written yet. */
export function toOptions(f: MirrorFlags): MirrorOptions {
  if (f.remove && f.replace) throw new UsageError('--remove and --replace cannot be used together');
  const mode: MirrorMode = f.remove ? 'remove' : f.replace ? 'replace' : 'add';
  const timeoutSeconds = parseInteger('--timeout', f.timeout, 1, 7 * 86400);
  const name = f.name === undefined ? undefined : parseObjectName('--name', f.name);
  const groups = parseMirrorGroups(f.source ?? [], f.mirror ?? [], mode === 'remove');
  const changes = groups.length > 0 || (mode === 'remove' && name !== undefined);
  if (f.show && (groups.length || f.remove || f.replace)) throw new UsageError('--show prints the current policies; give it without changes');
  if (!f.show && groups.length === 0) {
    if (mode === 'replace') throw new UsageError('--replace needs groups: --mirror SOURCE=MIRROR[,MIRROR...]');
    if (mode === 'remove' && name === undefined) throw new UsageError('--remove needs --source, --mirror SOURCE=MIRROR, or --name (to delete a whole policy)');
  }
  if (f.filename !== undefined && !f.local) throw new UsageError('-f/--filename is read only with --local (otherwise the policies come from the cluster)');
  if (f.wait && (f.preview !== undefined || f.local)) throw new UsageError('--wait follows an applied change; it cannot be used with --preview or --local');
  if (f.preview === '') throw new UsageError('--preview: the directory name is empty');
  return {
    mode,
    name,
    groups,
    show: f.show === true,
    changes,
    preview: f.preview === undefined || f.preview === false ? undefined : f.preview,
    local: f.local === true,
    filenames: f.filename ?? [],
    wait: f.wait === true,
    timeoutSeconds,
  };
}

export async function runMirror(flags: MirrorFlags, ctx: Context): Promise<void> {
  const o = toOptions(flags);
  if (o.local && !o.preview && !ctx.globals.output && !o.show) throw new UsageError('--local renders only: give -o yaml|json or --preview');
  const { runMirrorPlan } = await import('./mirror-apply.js');
  return runMirrorPlan(o, ctx);
}
