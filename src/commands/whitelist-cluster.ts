// `regctl whitelist` on OpenShift 4.x: merge-patch image.config.openshift.io/cluster, preview
// what the machine-config operator will write on every node, and follow the node rollout.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { load } from 'js-yaml';
import type { Cluster } from '../cluster/types.js';
import type { Context } from '../context.js';
import { OperationError, UsageError } from '../errors.js';
import { BackupDir, defaultBackupRoot } from '../host/backup.js';
import { readInputFile } from '../host/files.js';
import { commands, info, warn } from '../output/messages.js';
import { formatObject, toYaml } from '../output/printers.js';
import { describePlan, executePlan } from '../plan/legacy-execute.js';
import type { KubeObject, ObjectRef } from '../plan/types.js';
import type { Plan } from '../plan/legacy-execute.js';
import { defaultImage, IMAGE_API_VERSION, IMAGE_KIND, IMAGE_NAME, planImageConfig, repositoryOf, type ImageObject, type WhitelistResult } from '../templates/image-config.js';
import { formatNodeFiles, nodeRegistryFiles, type NodeFile } from '../templates/node-registries.js';
import { NODE_ROLLOUT_WARNING, POOL_API_VERSION, POOL_KIND, waitForPools } from './machine-config-pools.js';
import { clusterMirrorSets } from './node-mirrors.js';
import type { ClusterOptions } from './whitelist.js';

export const IMAGE_REF: ObjectRef = { apiVersion: IMAGE_API_VERSION, kind: IMAGE_KIND, name: IMAGE_NAME };
const CLUSTER_VERSION_REF: ObjectRef = { apiVersion: 'config.openshift.io/v1', kind: 'ClusterVersion', name: 'version' };

/** The release payload's repository, which the MCO never lets a block list cover. */
export async function payloadRepository(cluster: Cluster): Promise<string | undefined> {
  const cv = await cluster.get<KubeObject & { status?: { desired?: { image?: string } } }>(CLUSTER_VERSION_REF).catch(() => undefined);
  const image = cv?.status?.desired?.image;
  return image ? repositoryOf(image) : undefined;
}

/** The Image given with --local -f, checked to be one. */
export function readImageFile(path: string): ImageObject {
  const text = readInputFile('--filename', path);
  let doc: unknown;
  try {
    doc = load(text);
  } catch (e) {
    throw new UsageError(`--filename: "${path}" is not YAML or JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  const obj = doc as Partial<ImageObject> | undefined;
  if (!obj || typeof obj !== 'object' || obj.kind !== IMAGE_KIND || !obj.apiVersion?.startsWith('config.openshift.io/')) {
    throw new UsageError(`--filename: "${path}" is not an image.config.openshift.io object (kind: Image, apiVersion: ${IMAGE_API_VERSION})`);
  }
  return { ...obj, metadata: { ...(obj.metadata ?? {}), name: obj.metadata?.name ?? IMAGE_NAME } } as ImageObject;
}

async function connect4x(ctx: Context): Promise<Cluster> {
  const cluster = await ctx.cluster();
  const { platform } = await cluster.info();
  if (platform === 'openshift3') {
    throw new UsageError(
      `${cluster.server} is an OpenShift 3.x cluster: its nodes take the whitelist from /etc/sysconfig/docker, not from image.config.openshift.io`,
      'run on each node: regctl whitelist --node-config --allow <registry> [--allow <registry>...] --restart',
    );
  }
  if (platform !== 'openshift4') {
    throw new UsageError(`${cluster.server} is not an OpenShift 4.x cluster (no image.config.openshift.io): there is no registry whitelist to set`, 'for OpenShift 3.x nodes use --node-config');
  }
  return cluster;
}

export async function liveImage(cluster: Cluster): Promise<ImageObject> {
  const image = await cluster.get<ImageObject>(IMAGE_REF);
  if (!image) throw new OperationError('image.config.openshift.io/cluster not found: the cluster-config operator creates it at install time; is this cluster healthy?');
  return image;
}

function printable(image: ImageObject): KubeObject {
  const { managedFields: _drop, ...metadata } = image.metadata;
  return { ...image, metadata } as KubeObject;
}

/** What changes, one line per list, for --dry-run and the confirmation message. */
export function describeChange(before: ImageObject, r: WhitelistResult): string[] {
  const lines: string[] = [];
  const spec = r.patch.spec ?? {};
  const sources = (spec.registrySources ?? {}) as Record<string, string[] | null>;
  const was = before.spec?.registrySources ?? {};
  for (const [name, value] of Object.entries(sources)) {
    lines.push(`spec.registrySources.${name}: [${(was[name as keyof typeof was] ?? []).join(', ')}] -> [${(value ?? []).join(', ')}]`);
  }
  if ('allowedRegistriesForImport' in spec) {
    const fmt = (xs: { domainName: string; insecure?: boolean }[] | null | undefined) => (xs ?? []).map((l) => l.domainName + (l.insecure ? ' (insecure)' : '')).join(', ');
    lines.push(`spec.allowedRegistriesForImport: [${fmt(before.spec?.allowedRegistriesForImport)}] -> [${fmt(spec.allowedRegistriesForImport as never)}]`);
  }
  return lines;
}

export function whitelistPlan(before: ImageObject, r: WhitelistResult): Plan {
  if (!r.changed) return { command: 'whitelist', steps: [] };
  return {
    command: 'whitelist',
    steps: [{ kind: 'patch', describe: `merge-patch image.config.openshift.io/cluster: ${describeChange(before, r).join('; ')}`, target: IMAGE_REF, patchType: 'merge', patch: r.patch }],
  };
}

/** `--preview`: the node files on stdout, or written under a directory at their node paths. */
export async function showNodeFiles(files: NodeFile[], target: true | string, ctx: Context): Promise<void> {
  if (target === true) return void ctx.io.out.write(formatNodeFiles(files));
  for (const f of files) {
    const path = join(target, f.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, f.content, { mode: f.mode });
    info(ctx.io, `wrote ${path}`);
  }
}

async function preview(o: ClusterOptions, ctx: Context, r: WhitelistResult, cluster: Cluster | undefined): Promise<void> {
  const toml = await import('smol-toml');
  // The nodes' registries.conf holds the cluster's mirror rules too.
  const mirrors = cluster ? await clusterMirrorSets(cluster) : [];
  return showNodeFiles(nodeRegistryFiles(r.nodeSources, toml, mirrors), o.preview!, ctx);
}

export async function runClusterWhitelist(o: ClusterOptions, ctx: Context): Promise<void> {
  const cluster = o.local ? undefined : await connect4x(ctx);
  const before = o.local ? (o.filename ? readImageFile(o.filename) : defaultImage()) : await liveImage(cluster!);

  if (o.show || (!o.changes && o.preview === undefined && !ctx.globals.output)) {
    const { registrySources = {}, allowedRegistriesForImport } = before.spec ?? {};
    const shown = { registrySources, ...(allowedRegistriesForImport ? { allowedRegistriesForImport } : {}) };
    ctx.io.out.write(ctx.globals.output === 'json' ? JSON.stringify(shown, null, 4) + '\n' : toYaml(shown));
    return;
  }

  const payloadRepo = cluster ? await payloadRepository(cluster) : undefined;
  const r = planImageConfig(before, { mode: o.mode, lists: o.lists, allowImport: o.allowImport, includeDefaults: o.includeDefaults, force: o.force, payloadRepo });
  for (const w of r.warnings) warn(ctx.io, w);
  if (r.added.length) info(ctx.io, `--include-defaults: adding ${r.added.join(', ')} to the allowed registries`);

  if (o.preview !== undefined) return preview(o, ctx, r, cluster);
  if (ctx.globals.output) return void ctx.io.out.write(formatObject(printable(r.image), ctx.globals.output));

  const plan = whitelistPlan(before, r);
  if (plan.steps.length === 0) {
    info(ctx.io, 'image.config.openshift.io/cluster already has these lists: nothing to change');
    return;
  }
  const nodesChange = 'registrySources' in (r.patch.spec ?? {});
  if (ctx.globals.dryRun === 'client') {
    info(ctx.io, 'would run (dry run, nothing changed):');
    commands(ctx.io, describePlan(plan));
    return;
  }
  const c = cluster!;
  const serverDryRun = ctx.globals.dryRun === 'server';
  const run = () =>
    executePlan(plan, { cluster: c, io: ctx.io, serverDryRun, backups: new BackupDir(ctx.globals.backupDir ?? defaultBackupRoot(ctx.env), 'whitelist', ctx.now()), cli: 'oc' });
  if (serverDryRun) {
    await run();
    return;
  }

  const poolsBefore = o.wait && nodesChange ? await c.list(POOL_API_VERSION, POOL_KIND) : [];
  if (nodesChange) {
    warn(ctx.io, NODE_ROLLOUT_WARNING);
  }
  const done = await run();
  if (done.results[0]?.backupFile) info(ctx.io, `the Image as it was is saved in ${done.results[0].backupFile}`);
  if (!nodesChange) {
    info(ctx.io, 'allowedRegistriesForImport applies to image stream imports at once: no node changes');
    return;
  }
  if (!o.wait) {
    info(ctx.io, 'follow the rollout with:');
    commands(ctx.io, ['oc get machineconfigpools -w']);
    return;
  }
  await waitForPools(c, ctx, poolsBefore, o.timeoutSeconds);
}
