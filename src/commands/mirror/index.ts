// `regctl mirror`: repository mirroring on OpenShift 4.x (seed 004, 9.2.6). Creates, updates or
// removes ImageContentSourcePolicy objects; previews the registries.conf every node receives.
// flags → options → live policies (and Image) → pure plan → finish(). --show and --preview
// (stdout) answer questions and change nothing.
import type { Command } from 'commander';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { printable } from '../../node-files/image.js';
import { info, warn } from '../../output/messages.js';
import { formatObjects, toYaml } from '../../output/printers.js';
import { finish } from '../../plan/run.js';
import { action } from '../../runtime.js';
import { setsOf } from '../../templates/mirror.js';
import { formatNodeFiles } from '../../templates/node-registries.js';
import { collect } from '../../validate.js';
import { summary } from '../catalog.js';
import { readLive, readLocal, type MirrorLive } from './live.js';
import { toOptions, type MirrorFlags, type MirrorOptions } from './options.js';
import { planMirrorChange, planPreview, previewFiles } from './plan.js';

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


async function runMirror(flags: MirrorFlags, ctx: Context): Promise<void> {
  const o = toOptions(flags, ctx.globals);
  const live = o.local ? readLocal(o) : await readLive(o, await ctx.cluster());
  if (o.show || (!o.changes && o.preview === undefined)) return show(o, ctx, live);
  if (o.preview !== undefined) {
    const preview = previewFiles(o, live, await import('smol-toml'));
    if (o.preview !== true) return finish(planPreview(o.preview, preview), ctx);
    for (const w of preview.warnings) warn(ctx.io, w);
    ctx.io.out.write(formatNodeFiles(preview.files));
    return;
  }
  await finish(planMirrorChange(o, live), ctx);
}

/** The current policies: by name (--show, or no groups), or as objects with -o. */
function show(o: MirrorOptions, ctx: Context, live: MirrorLive): void {
  const shown = live.policies.filter((p) => o.name === undefined || p.metadata.name === o.name);
  if (o.name !== undefined && !shown.length) throw new UsageError(`imagecontentsourcepolicy.operator.openshift.io/${o.name} not found`);
  const byName = Object.fromEntries(shown.map((p) => [p.metadata.name, setsOf(p)]));
  if (ctx.globals.output && !o.show) ctx.io.out.write(formatObjects(shown.map(printable), ctx.globals.output));
  else if (ctx.globals.output === 'json') ctx.io.out.write(JSON.stringify(byName, null, 4) + '\n');
  else if (shown.length) ctx.io.out.write(toYaml(byName));
  else info(ctx.io, 'no ImageContentSourcePolicy: no repository is mirrored');
}
