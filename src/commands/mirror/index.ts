// `regctl mirror`: repository mirroring on OpenShift 4.x (seed 004, 9.2.6). Creates, updates or
// removes ImageDigestMirrorSet (4.13+), ImageTagMirrorSet (--tags) or ImageContentSourcePolicy
// objects; previews the registries.conf every node receives, as the cluster's release writes it.
// flags → options → live policies (and Image) → pure plan → finish(). --show and --preview
// (stdout) answer questions and change nothing.
import type { Command } from 'commander';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { planPreview, printable } from '../../node-files/image.js';
import { info, warn } from '../../output/messages.js';
import { formatObjects, toYaml } from '../../output/printers.js';
import { finish } from '../../plan/run.js';
import { action } from '../../runtime.js';
import { setsOf, type PolicyObject } from '../../templates/mirror.js';
import { ICSP_KIND, IDMS_KIND, ITMS_KIND } from '../../node-files/objects.js';
import { formatNodeFiles } from '../../templates/node-registries.js';
import { collect } from '../../validate.js';
import { summary } from '../catalog.js';
import { readLive, readLocal, type MirrorLive } from './live.js';
import { toOptions, type MirrorFlags, type MirrorOptions } from './options.js';
import { planMirrorChange, previewFiles } from './plan.js';

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
    .option('--tags', '4.13+: an ImageTagMirrorSet, so that pulls by tag use the mirrors too (see the warning it prints)')
    .option('--never-contact-source', "4.13+: mirrorSourcePolicy NeverContactSource: nodes never pull from the source, only from its mirrors")
    .option('--convert', '4.13+: turn every ImageContentSourcePolicy into one ImageDigestMirrorSet (named by --name, default converted-from-icsp) and delete them, backed up')
    .option('--update-allowlist', "add sources and mirrors that the Image's allowedRegistries leaves out to it, in the same plan")
    .option('--openshift-version <X.Y>', 'with --local: the release whose machine-config operator the preview imitates (default: the newest regctl knows)')
    .option('--wait', 'follow the machine config pools until every node has the change')
    .option('--timeout <seconds>', 'how long --wait waits', '3600')
    .addHelpText(
      'after',
      `
Examples:
  # Pull registry.access.redhat.com/ubi8/ubi-minimal from two mirrors (the OCP 4 Image configuration resources document, 9.2.6)
  regctl mirror --source registry.access.redhat.com/ubi8/ubi-minimal \\
    --mirror example.io/example/ubi-minimal --mirror example.com/example/ubi-minimal --name ubi8repo

  # Several groups in one policy
  regctl mirror --name mirrors --mirror registry.redhat.io=mirror.example.com \\
    --mirror registry.example.com/example=mirror.example.net

  # What the nodes will receive, merged with the Image's insecure and blocked registries
  regctl mirror --mirror quay.io/ocp=mirror.example.com/ocp --preview

  # 4.13+: mirrors for pulls by tag too, or never contact the source
  regctl mirror --tags --mirror registry.example.com/team=mirror.example.net/team
  regctl mirror --never-contact-source --mirror quay.io/ocp=mirror.example.com/ocp

  # Turn the ImageContentSourcePolicies into one ImageDigestMirrorSet (4.13+)
  regctl mirror --convert

  # Take a mirror out, or a whole source
  regctl mirror --remove --mirror quay.io/ocp=mirror.example.com/ocp
  regctl mirror --remove --source quay.io/ocp

On 4.13 and later (found by discovery) new mirrors go into an ImageDigestMirrorSet, before into
an ImageContentSourcePolicy. Digest mirrors are used for pulls by digest only; a pull by tag goes
to the source unless --tags. Wildcards (*.example.com) are not accepted as mirrors.`,
    )
    .action(action<MirrorFlags>(runMirror));
}


async function runMirror(flags: MirrorFlags, ctx: Context): Promise<void> {
  const o = toOptions(flags, ctx.globals);
  const live = o.local ? readLocal(o) : await readLive(o, await ctx.cluster());
  if (o.show || (!o.changes && o.preview === undefined)) return show(o, ctx, live);
  if (o.preview !== undefined) {
    const preview = previewFiles(o, live, await import('smol-toml'));
    if (o.preview !== true) return finish(planPreview('mirror', o.preview, preview), ctx);
    info(ctx.io, preview.note);
    for (const w of preview.warnings) warn(ctx.io, w);
    ctx.io.out.write(formatNodeFiles(preview.files));
    return;
  }
  await finish(planMirrorChange(o, live, await import('smol-toml')), ctx);
}

/** The current mirror objects (ITMS with --tags): by name (--show, or no groups), or as objects with -o. */
function show(o: MirrorOptions, ctx: Context, live: MirrorLive): void {
  const kinds: string[] = o.tags ? [ITMS_KIND] : [ICSP_KIND, IDMS_KIND];
  const shown = live.node.mirrorObjects.filter((p) => kinds.includes(p.kind) && (o.name === undefined || p.metadata.name === o.name));
  if (o.name !== undefined && !shown.length) throw new UsageError(`no ${kinds.join(' or ')} named ${o.name}`);
  // Keyed by name; a name held by two kinds is told apart by its kind.
  const key = (p: PolicyObject) => (shown.filter((q) => q.metadata.name === p.metadata.name).length > 1 ? `${p.kind.toLowerCase()}/${p.metadata.name}` : p.metadata.name);
  const byName = Object.fromEntries(shown.map((p) => [key(p), setsOf(p)]));
  if (ctx.globals.output && !o.show) ctx.io.out.write(formatObjects(shown.map(printable), ctx.globals.output));
  else if (ctx.globals.output === 'json') ctx.io.out.write(JSON.stringify(byName, null, 4) + '\n');
  else if (shown.length) ctx.io.out.write(toYaml(byName));
  else info(ctx.io, `no ${kinds.join(' or ')}: no repository is mirrored`);
}
