// `regctl mirror` against a cluster (or --local files): read the mirror objects (ICSP, IDMS, ITMS),
// the Image and the release, plan, then print, preview, dry-run or apply, and follow the rollout.
import { loadAll } from 'js-yaml';
import type { Cluster } from '../cluster/types.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { BackupDir, defaultBackupRoot } from '../host/backup.js';
import { readInputFile } from '../host/files.js';
import { commands, info, warn } from '../output/messages.js';
import { formatObjects, toYaml } from '../output/printers.js';
import { describePlan, executePlan } from '../plan/legacy-execute.js';
import type { KubeObject, ObjectRef } from '../plan/types.js';
import type { Plan, Step } from '../plan/legacy-execute.js';
import { defaultImage, IMAGE_KIND, type ImageObject } from '../templates/image-config.js';
import { describeSets, objectName, setsOf, type KindPlan, type PolicyObject } from '../templates/mirror.js';
import { planMirrorOutcome } from '../node-files/mirror-plan.js';
import { ICSP_KIND, IDMS_KIND, ITMS_KIND, MIRROR_KINDS, type MirrorKind } from '../node-files/objects.js';
import { clusterNodeContext, localNodeContext } from './node-mirrors.js';
import { NODE_ROLLOUT_WARNING, POOL_API_VERSION, POOL_KIND, waitForPools } from './machine-config-pools.js';
import { liveImage, showNodeFiles, whitelistPlan } from './whitelist-cluster.js';
import type { MirrorOptions } from './mirror.js';

const ref = (kind: MirrorKind, name: string): ObjectRef => ({ apiVersion: MIRROR_KINDS[kind].apiVersion, kind, name });
const FOUR_X_ONLY = 'repository mirroring (ImageContentSourcePolicy) is an OpenShift 4.x feature';

async function connect4x(ctx: Context): Promise<Cluster> {
  const cluster = await ctx.cluster();
  const { platform } = await cluster.info();
  if (platform === 'openshift3') {
    throw new UsageError(
      `${cluster.server} is an OpenShift 3.x cluster: ${FOUR_X_ONLY}`,
      "docker on 3.x nodes has no per-repository mirrors: pull from the mirror by name, or add it with regctl whitelist --node-config --allow",
    );
  }
  if (platform !== 'openshift4') {
    throw new UsageError(`${cluster.server} is not an OpenShift 4.x cluster: ${FOUR_X_ONLY}`, "on Kubernetes, mirrors are set in each node's container runtime (containerd hosts.toml, CRI-O registries.conf)");
  }
  return cluster;
}

/** The mirror objects and the Image in the --local -f files. */
function readLocalFiles(paths: string[]): { objects: PolicyObject[]; image?: ImageObject } {
  const objects: PolicyObject[] = [];
  let image: ImageObject | undefined;
  for (const path of paths) {
    let docs: unknown[];
    try {
      docs = loadAll(readInputFile('--filename', path));
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`--filename: "${path}" is not YAML or JSON: ${(e as Error).message.split('\n')[0]}`);
    }
    const found = docs.flatMap((d) => ((d as { kind?: string })?.kind === 'List' ? ((d as { items?: unknown[] }).items ?? []) : [d])).filter((d) => d != null);
    for (const obj of found as Partial<KubeObject>[]) {
      const kind = obj?.kind as MirrorKind | undefined;
      if (kind && MIRROR_KINDS[kind] && obj.apiVersion === MIRROR_KINDS[kind].apiVersion && obj.metadata?.name) objects.push(obj as PolicyObject);
      else if (obj?.kind === IMAGE_KIND && obj.apiVersion?.startsWith('config.openshift.io/')) image = { ...obj, metadata: { name: 'cluster', ...(obj.metadata ?? {}) } } as ImageObject;
      else throw new UsageError(`--filename: "${path}" holds a ${obj?.kind ?? 'document without kind'}; expected ImageContentSourcePolicy, ImageDigestMirrorSet, ImageTagMirrorSet or Image objects`);
    }
  }
  return { objects, image };
}

export function mirrorPlan(p: KindPlan, imageStep?: Step): Plan {
  const steps: Step[] = p.changes.map((c): Step => {
    switch (c.action) {
      case 'create':
        return { kind: 'create', describe: `create ${objectName(c.object.kind as MirrorKind, c.object.metadata.name)}: ${describeSets(setsOf(c.object))}`, object: c.object };
      case 'update': {
        const kind = c.before.kind as MirrorKind;
        return {
          kind: 'patch',
          describe: `merge-patch ${objectName(kind, c.before.metadata.name)}: spec.${MIRROR_KINDS[kind].field}: ${describeSets(setsOf(c.before))} => ${describeSets(setsOf(c.object))}`,
          target: ref(kind, c.before.metadata.name),
          patchType: 'merge',
          patch: c.patch,
        };
      }
      case 'delete':
        return { kind: 'delete', describe: `delete ${objectName(c.before.kind as MirrorKind, c.before.metadata.name)} (was: ${describeSets(setsOf(c.before))})`, target: ref(c.before.kind as MirrorKind, c.before.metadata.name) };
    }
  });
  return { command: 'mirror', steps: imageStep ? [...steps, imageStep] : steps };
}

function printable(p: KubeObject): KubeObject {
  const { managedFields: _drop, ...metadata } = p.metadata;
  return { ...p, metadata } as KubeObject;
}

export async function runMirrorPlan(o: MirrorOptions, ctx: Context): Promise<void> {
  const cluster = o.local ? undefined : await connect4x(ctx);
  const local = o.local ? readLocalFiles(o.filenames) : undefined;
  const node = cluster ? await clusterNodeContext(cluster) : localNodeContext(o.release, local!.objects);
  const all = node.mirrorObjects;
  const shownKinds: MirrorKind[] = o.tags ? [ITMS_KIND] : [ICSP_KIND, IDMS_KIND];

  if (o.show || (!o.changes && o.preview === undefined)) {
    const shown = all.filter((p) => shownKinds.includes(p.kind as MirrorKind) && (o.name === undefined || p.metadata.name === o.name));
    if (o.name !== undefined && !shown.length) throw new UsageError(`no ${shownKinds.join(' or ')} named ${o.name}`);
    // Keyed by name; a name held by two kinds is told apart by its kind.
    const key = (p: PolicyObject) => (shown.filter((q) => q.metadata.name === p.metadata.name).length > 1 ? `${p.kind.toLowerCase()}/${p.metadata.name}` : p.metadata.name);
    const byName = Object.fromEntries(shown.map((p) => [key(p), setsOf(p)]));
    if (ctx.globals.output && !o.show) ctx.io.out.write(formatObjects(shown.map(printable), ctx.globals.output));
    else if (ctx.globals.output === 'json') ctx.io.out.write(JSON.stringify(byName, null, 4) + '\n');
    else if (shown.length) ctx.io.out.write(toYaml(byName));
    else info(ctx.io, `no ${shownKinds.join(' or ')}: no repository is mirrored`);
    return;
  }

  const image = local ? (local.image ?? defaultImage()) : await liveImage(cluster!);
  const request = o.changes ? { mode: o.mode, name: o.name, groups: o.groups, neverContactSource: o.neverContactSource, tags: o.tags, convert: o.convert } : undefined;
  const toml = await import('smol-toml');
  const out = planMirrorOutcome({ rules: node.rules, releaseImage: node.releaseImage, objects: all, servesMirrorSets: node.servesMirrorSets, image }, request, o.updateAllowlist, toml);
  const { plan, imageChange } = out;
  for (const w of out.warnings) warn(ctx.io, w);
  for (const i of out.infos) info(ctx.io, i);
  if (out.fixes.length) {
    info(ctx.io, 'to let the nodes pull from them:');
    commands(ctx.io, out.fixes);
  }
  if (o.preview !== undefined) {
    info(ctx.io, node.note);
    for (const w of out.files.warnings) warn(ctx.io, w);
    return showNodeFiles(out.files.files, o.preview, ctx);
  }
  if (out.filesUnchanged !== undefined) info(ctx.io, out.filesUnchanged ? "the nodes' registries.conf and policy.json stay the same: the operator reads ImageContentSourcePolicy items as digest mirrors" : "the nodes' files change (see --preview)");
  const imageStep = imageChange ? whitelistPlan(image, imageChange).steps[0] : undefined;
  const imageAfter = imageChange?.image ?? image;
  const written = [...plan.changes.flatMap((c) => (c.action === 'delete' ? [] : [printable(c.object)])), ...(imageStep ? [printable(imageAfter)] : [])];
  if (ctx.globals.output) return void ctx.io.out.write(formatObjects(written, ctx.globals.output));

  const steps = mirrorPlan(plan, imageStep);
  if (steps.steps.length === 0) {
    info(ctx.io, 'the mirror objects already say this: nothing to change');
    return;
  }
  if (ctx.globals.dryRun === 'client') {
    info(ctx.io, 'would run (dry run, nothing changed):');
    commands(ctx.io, describePlan(steps));
    return;
  }
  const c = cluster!;
  const serverDryRun = ctx.globals.dryRun === 'server';
  const run = () => executePlan(steps, { cluster: c, io: ctx.io, serverDryRun, backups: new BackupDir(ctx.globals.backupDir ?? defaultBackupRoot(ctx.env), 'mirror', ctx.now()), cli: 'oc' });
  if (serverDryRun) {
    await run();
    return;
  }
  const poolsBefore = o.wait ? await c.list(POOL_API_VERSION, POOL_KIND) : [];
  warn(ctx.io, NODE_ROLLOUT_WARNING);
  const done = await run();
  for (const r of done.results) if (r.backupFile) info(ctx.io, `the ${r.before?.kind ?? 'object'} as it was is saved in ${r.backupFile}`);
  if (!o.wait) {
    info(ctx.io, 'follow the rollout with:');
    commands(ctx.io, ['oc get machineconfigpools -w']);
    return;
  }
  await waitForPools(c, ctx, poolsBefore, o.timeoutSeconds);
}
