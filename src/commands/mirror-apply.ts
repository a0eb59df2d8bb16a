// `regctl mirror` against a cluster (or --local files): read the ImageContentSourcePolicies and
// the Image, plan, then print, preview, dry-run or apply, and follow the node rollout.
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
import { defaultImage, IMAGE_KIND, scopeIsNestedInsideScope, type ImageObject, type RegistrySources } from '../templates/image-config.js';
import { nodeRegistryFiles } from '../templates/node-registries.js';
import { allMirrorSets, describeSets, ICSP_API_VERSION, ICSP_KIND, planMirror, setsOf, type MirrorPlan, type PolicyObject } from '../templates/mirror.js';
import { digestMirrorSets } from './node-mirrors.js';
import { NODE_ROLLOUT_WARNING, POOL_API_VERSION, POOL_KIND, waitForPools } from './machine-config-pools.js';
import { liveImage, payloadRepository, showNodeFiles } from './whitelist-cluster.js';
import type { MirrorOptions } from './mirror.js';

const policyRef = (name: string): ObjectRef => ({ apiVersion: ICSP_API_VERSION, kind: ICSP_KIND, name });
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

/** The ImageContentSourcePolicy and Image objects in the --local -f files. */
function readLocalFiles(paths: string[]): { policies: PolicyObject[]; image?: ImageObject } {
  const policies: PolicyObject[] = [];
  let image: ImageObject | undefined;
  for (const path of paths) {
    let docs: unknown[];
    try {
      docs = loadAll(readInputFile('--filename', path));
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`--filename: "${path}" is not YAML or JSON: ${(e as Error).message.split('\n')[0]}`);
    }
    const objects = docs.flatMap((d) => ((d as { kind?: string })?.kind === 'List' ? ((d as { items?: unknown[] }).items ?? []) : [d])).filter((d) => d != null);
    for (const obj of objects as Partial<KubeObject>[]) {
      if (obj?.kind === ICSP_KIND && obj.apiVersion?.startsWith('operator.openshift.io/') && obj.metadata?.name) policies.push(obj as PolicyObject);
      else if (obj?.kind === IMAGE_KIND && obj.apiVersion?.startsWith('config.openshift.io/')) image = { ...obj, metadata: { name: 'cluster', ...(obj.metadata ?? {}) } } as ImageObject;
      else throw new UsageError(`--filename: "${path}" holds a ${obj?.kind ?? 'document without kind'}; expected ImageContentSourcePolicy (${ICSP_API_VERSION}) or Image (config.openshift.io/v1) objects`);
    }
  }
  return { policies, image };
}

/** From 4.13 on ImageDigestMirrorSet replaces ImageContentSourcePolicy; say so once. */
async function warnIfDeprecated(cluster: Cluster, ctx: Context): Promise<void> {
  const cv = await cluster.get<KubeObject & { status?: { desired?: { version?: string } } }>({ apiVersion: 'config.openshift.io/v1', kind: 'ClusterVersion', name: 'version' }).catch(() => undefined);
  const m = /^4\.(\d+)\./.exec(cv?.status?.desired?.version ?? '');
  if (m && Number(m[1]) >= 13) {
    warn(ctx.io, `ImageContentSourcePolicy is deprecated on OpenShift ${cv!.status!.desired!.version} (4.13 and later): it still works, and oc adm migrate icsp converts policies to ImageDigestMirrorSet`);
  }
}

/**
 * What the MCO renders from the Image: as on 4.10 (the ImageContentSourcePolicy era), a blocked
 * scope that covers the release payload is left out of every node's files.
 */
function nodeSources(image: ImageObject, payloadRepo: string | undefined): { sources: RegistrySources; dropped: string[] } {
  const sources = image.spec?.registrySources ?? {};
  const dropped = payloadRepo ? (sources.blockedRegistries ?? []).filter((b) => scopeIsNestedInsideScope(payloadRepo, b)) : [];
  return { sources: dropped.length ? { ...sources, blockedRegistries: (sources.blockedRegistries ?? []).filter((b) => !dropped.includes(b)) } : sources, dropped };
}

export function mirrorPlan(p: MirrorPlan): Plan {
  const steps: Step[] = p.changes.map((c): Step => {
    switch (c.action) {
      case 'create':
        return { kind: 'create', describe: `create imagecontentsourcepolicy.operator.openshift.io/${c.object.metadata.name}: ${describeSets(setsOf(c.object))}`, object: c.object };
      case 'update':
        return {
          kind: 'patch',
          describe: `merge-patch imagecontentsourcepolicy.operator.openshift.io/${c.before.metadata.name}: spec.repositoryDigestMirrors: ${describeSets(setsOf(c.before))} => ${describeSets(setsOf(c.object))}`,
          target: policyRef(c.before.metadata.name),
          patchType: 'merge',
          patch: c.patch,
        };
      case 'delete':
        return { kind: 'delete', describe: `delete imagecontentsourcepolicy.operator.openshift.io/${c.before.metadata.name} (was: ${describeSets(setsOf(c.before))})`, target: policyRef(c.before.metadata.name) };
    }
  });
  return { command: 'mirror', steps };
}

function printable(p: PolicyObject): KubeObject {
  const { managedFields: _drop, ...metadata } = p.metadata;
  return { ...p, metadata } as KubeObject;
}

export async function runMirrorPlan(o: MirrorOptions, ctx: Context): Promise<void> {
  const cluster = o.local ? undefined : await connect4x(ctx);
  const local = o.local ? readLocalFiles(o.filenames) : undefined;
  const live = local ? local.policies : await cluster!.list<PolicyObject>(ICSP_API_VERSION, ICSP_KIND);

  if (o.show || (!o.changes && o.preview === undefined)) {
    const shown = live.filter((p) => o.name === undefined || p.metadata.name === o.name);
    if (o.name !== undefined && !shown.length) throw new UsageError(`imagecontentsourcepolicy.operator.openshift.io/${o.name} not found`);
    const byName = Object.fromEntries(shown.map((p) => [p.metadata.name, setsOf(p)]));
    if (ctx.globals.output && !o.show) ctx.io.out.write(formatObjects(shown.map(printable), ctx.globals.output));
    else if (ctx.globals.output === 'json') ctx.io.out.write(JSON.stringify(byName, null, 4) + '\n');
    else if (shown.length) ctx.io.out.write(toYaml(byName));
    else info(ctx.io, 'no ImageContentSourcePolicy: no repository is mirrored');
    return;
  }

  const plan: MirrorPlan = o.changes ? planMirror(live, { mode: o.mode, name: o.name, groups: o.groups }) : { changes: [], policies: live, warnings: [] };
  for (const w of plan.warnings) warn(ctx.io, w);
  if (cluster) await warnIfDeprecated(cluster, ctx);

  if (o.preview !== undefined) {
    const image = local ? (local.image ?? defaultImage()) : await liveImage(cluster!);
    const { sources, dropped } = nodeSources(image, cluster ? await payloadRepository(cluster) : undefined);
    if (dropped.length) warn(ctx.io, `blocked registries ${dropped.join(', ')} cover the release payload: the machine-config operator leaves them out of the node files`);
    const toml = await import('smol-toml');
    const idms = cluster ? await digestMirrorSets(cluster) : [];
    return showNodeFiles(nodeRegistryFiles(sources, toml, [...allMirrorSets(plan.policies), ...idms]), o.preview, ctx);
  }
  const written = plan.changes.flatMap((c) => (c.action === 'delete' ? [] : [printable(c.object)]));
  if (ctx.globals.output) return void ctx.io.out.write(formatObjects(written, ctx.globals.output));

  const steps = mirrorPlan(plan);
  if (steps.steps.length === 0) {
    info(ctx.io, 'the ImageContentSourcePolicies already say this: nothing to change');
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
  for (const r of done.results) if (r.backupFile) info(ctx.io, `the ImageContentSourcePolicy as it was is saved in ${r.backupFile}`);
  if (!o.wait) {
    info(ctx.io, 'follow the rollout with:');
    commands(ctx.io, ['oc get machineconfigpools -w']);
    return;
  }
  await waitForPools(c, ctx, poolsBefore, o.timeoutSeconds);
}
