// `regctl reuse-ip`: "Maintaining the Registry IP Address" (seeds 000, 003). Delete the
// registry's Service and workload and create them again from `deploy`'s flags, with the
// Service's clusterIP set to the one it had, so pull specifications naming IP:port keep working.
// The deploy flags and templates are the one source of truth for what gets created.
import type { Command } from 'commander';
import type { Context } from '../context.js';
import type { Cluster, Platform } from '../cluster/types.js';
import { OperationError, UsageError } from '../errors.js';
import { commands, info, success, warn } from '../output/messages.js';
import { formatObjects, resourceName } from '../output/printers.js';
import type { KubeObject, ObjectRef } from '../plan/types.js';
import type { Plan, Step } from '../plan/legacy-execute.js';
import { action } from '../runtime.js';
import { MASTER_RESTART_COMMANDS } from '../templates/master-config.js';
import { REGISTRY_NAME, registryObjects } from '../templates/registry.js';
import { addRegistryFlags, deployWarnings, readTLS, registryOptions, toOptions, type DeployFlags, type DeployOptions } from './deploy.js';
import { summary } from './catalog.js';
import { describePlan, executePlan } from '../plan/legacy-execute.js';
import { BackupDir, defaultBackupRoot } from '../host/backup.js';
import { waitForRollout } from '../cluster/rollout.js';

/** Where the registry's workload may live, in the order it is looked for. */
export const WORKLOAD_KINDS = [
  { apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig', group: 'apps.openshift.io' },
  { apiVersion: 'apps/v1', kind: 'Deployment', group: 'apps' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet', group: 'apps' },
] as const;

export function register(program: Command): void {
  addRegistryFlags(
    program
      .command('reuse-ip')
      .description(summary('reuse-ip')),
  )
    .addHelpText(
      'after',
      `
OpenShift 3.x refers to the integrated registry by its service IP address. reuse-ip notes the
clusterIP of service/docker-registry, deletes the service and the registry's DeploymentConfig
(or Deployment / DaemonSet), creates them again from the flags (the same as deploy's) with that
clusterIP, and checks the new service has it. The deleted objects are backed up first and
created again if the re-creation fails. --cluster-ip gives the address to use when the service
is already gone.

Examples:
  # Print the new registry with the live clusterIP filled in (the manual procedure's registry.yaml)
  regctl reuse-ip --pvc=registry-storage -o yaml

  # List the steps, change nothing
  regctl reuse-ip --pvc=registry-storage --dry-run

  # Do it (asks on a terminal; --yes elsewhere)
  regctl reuse-ip --pvc=registry-storage --selector=region=infra --yes`,
    )
    .action(action<DeployFlags>(runReuseIp));
}

export interface LiveRegistry {
  service?: KubeObject;
  workloads: KubeObject[];
  /** `kind/name` of the other registry objects (service account, role binding, TLS secret) that exist. */
  existing: Set<string>;
}

function ref(o: KubeObject): ObjectRef {
  return { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace };
}

const isWorkload = (o: KubeObject) => WORKLOAD_KINDS.some((w) => w.kind === o.kind && w.apiVersion === o.apiVersion);
const where = (o: KubeObject) => (o.metadata.namespace ? ` in ${o.metadata.namespace}` : '');

/**
 * Delete the live workload(s) and Service, then create the registry again. The service account
 * and role binding are left alone when they exist (deleting them would break other pods); a TLS
 * secret from --tls-certificate replaces the live one (backed up).
 */
export function planReuseIp(live: LiveRegistry, objects: KubeObject[]): Plan {
  const steps: Step[] = [];
  for (const w of live.workloads) steps.push({ kind: 'delete', describe: `delete ${resourceName(w)}${where(w)} (backed up first)`, target: ref(w) });
  if (live.service) steps.push({ kind: 'delete', describe: `delete ${resourceName(live.service)}${where(live.service)} (backed up first)`, target: ref(live.service) });
  for (const o of objects) {
    const name = resourceName(o);
    if (o.kind === 'Service') {
      const ip = (o.spec as { clusterIP?: string }).clusterIP;
      steps.push({ kind: 'create', describe: `create ${name}${where(o)} with clusterIP ${ip ?? '(assigned by the cluster)'}`, object: o });
    } else if (isWorkload(o)) {
      steps.push({ kind: 'create', describe: `create ${name}${where(o)}`, object: o });
    } else if (o.kind === 'Secret') {
      steps.push({ kind: 'apply', describe: `create or replace ${name}${where(o)}`, object: o });
    } else if (!live.existing.has(name)) {
      steps.push({ kind: 'create', describe: `create ${name}${where(o)}`, object: o });
    }
  }
  return { command: 'reuse-ip', steps };
}

type Container = { name?: string; image?: string; env?: { name: string }[] };
type Volume = { name: string; [source: string]: unknown };
type PodSpec = { containers?: Container[]; volumes?: Volume[]; nodeSelector?: Record<string, string> };

function podSpec(w: KubeObject): PodSpec {
  return ((w.spec as { template?: { spec?: PodSpec } } | undefined)?.template?.spec ?? {}) as PodSpec;
}

/** `persistentVolumeClaim registry-storage`, `secret registry-certificates`, `emptyDir`. */
function volumeSource(v: Volume): string {
  const kind = Object.keys(v).find((k) => k !== 'name') ?? '?';
  const src = (v[kind] ?? {}) as Record<string, unknown>;
  const ref = src.claimName ?? src.secretName ?? src.name ?? src.path;
  return `${kind}${ref ? ` ${String(ref)}` : ''}`;
}

const selectorText = (s: Record<string, string> | undefined) => (s && Object.keys(s).length ? Object.entries(s).map(([k, v]) => `${k}=${v}`).join(',') : '(none)');

/**
 * What the live workload has that the re-created one will not: volumes (and storage that
 * changes kind: a claim replaced by an emptyDir loses the images), environment variables, the
 * image, the node selector and the replica count.
 */
export function droppedSettings(live: KubeObject, next: KubeObject): string[] {
  const out: string[] = [];
  const a = podSpec(live);
  const b = podSpec(next);
  const nextVolumes = new Map((b.volumes ?? []).map((v) => [v.name, v]));
  for (const v of a.volumes ?? []) {
    const n = nextVolumes.get(v.name);
    if (!n) out.push(`volume ${v.name} (${volumeSource(v)})`);
    else if (volumeSource(v) !== volumeSource(n)) out.push(`volume ${v.name}: ${volumeSource(v)} → ${volumeSource(n)}`);
  }
  const nextEnv = new Set((b.containers ?? []).flatMap((c) => (c.env ?? []).map((e) => e.name)));
  for (const e of (a.containers ?? []).flatMap((c) => c.env ?? [])) {
    if (!nextEnv.has(e.name)) out.push(`env ${e.name}`);
  }
  const [imageA, imageB] = [a.containers?.[0]?.image, b.containers?.[0]?.image];
  if (imageA && imageB && imageA !== imageB) out.push(`image ${imageA} → ${imageB}`);
  if (selectorText(a.nodeSelector) !== selectorText(b.nodeSelector) && a.nodeSelector && Object.keys(a.nodeSelector).length) {
    out.push(`nodeSelector ${selectorText(a.nodeSelector)} → ${selectorText(b.nodeSelector)}`);
  }
  const replicas = (w: KubeObject) => (w.spec as { replicas?: number } | undefined)?.replicas;
  if (replicas(live) !== undefined && replicas(next) !== undefined && replicas(live) !== replicas(next)) out.push(`replicas ${replicas(live)} → ${replicas(next)}`);
  return out;
}

export function isClusterIPUnavailable(obj: KubeObject, err: unknown): boolean {
  const e = err as { status?: number; message?: string };
  return obj.kind === 'Service' && e?.status === 422 && /clusterIP/.test(e.message ?? '') && /already allocated|not in the valid range/.test(e.message ?? '');
}

/**
 * The cluster as the executor sees it, except that a Service whose clusterIP is taken (or out of
 * the range) is created with a new one: the registry comes back, and the caller prints the
 * master restart the documents prescribe for a lost IP.
 */
export function newIPOnConflict(cluster: Cluster, onLost: (message: string) => void): Cluster {
  return {
    server: cluster.server,
    kubeconfigPath: cluster.kubeconfigPath,
    namespace: cluster.namespace,
    user: cluster.user,
    info: () => cluster.info(),
    get: (r) => cluster.get(r),
    list: (v, k, o) => cluster.list(v, k, o),
    replace: (o, w) => cluster.replace(o, w),
    patch: (r, p, t, w) => cluster.patch(r, p, t, w),
    delete: (r, w) => cluster.delete(r, w),
    createSubresource: (r, s, b) => cluster.createSubresource(r, s, b),
    logs: (n, p, o) => cluster.logs(n, p, o),
    async create<T extends KubeObject>(obj: KubeObject, w?: { dryRun?: boolean }): Promise<T> {
      try {
        return await cluster.create<T>(obj, w);
      } catch (err) {
        if (!isClusterIPUnavailable(obj, err)) throw err;
        onLost((err as Error).message);
        const { clusterIP: _ip, clusterIPs: _ips, ...spec } = obj.spec as Record<string, unknown>;
        return cluster.create<T>({ ...obj, spec }, w);
      }
    },
  };
}

async function readLive(cluster: Cluster, ns: string, groups: ReadonlySet<string>, others: KubeObject[]): Promise<LiveRegistry> {
  const kinds = WORKLOAD_KINDS.filter((k) => groups.has(k.group));
  const [service, workloads, present] = await Promise.all([
    cluster.get({ apiVersion: 'v1', kind: 'Service', name: REGISTRY_NAME, namespace: ns }),
    Promise.all(kinds.map((k) => cluster.get({ apiVersion: k.apiVersion, kind: k.kind, name: REGISTRY_NAME, namespace: ns }))),
    Promise.all(others.map(async (o) => ((await cluster.get(ref(o))) ? resourceName(o) : undefined))),
  ]);
  return { service, workloads: workloads.filter((w): w is KubeObject => w !== undefined), existing: new Set(present.filter((n): n is string => !!n)) };
}

function printIPLost(ctx: Context, platform: Platform, ns: string, oldIP: string, newIP: string | undefined, why: string): void {
  warn(ctx.io, `service/${REGISTRY_NAME} could not keep its cluster IP ${oldIP} (${why}); it has ${newIP ?? 'a new address'} now.`);
  if (platform === 'openshift3') {
    warn(
      ctx.io,
      `pull specifications that name ${oldIP} fail until the masters forget the old registry URL, which they cache. Restart the master services on every master (not the whole cluster: that stops pods and does not clear the cache):`,
    );
    commands(ctx.io, MASTER_RESTART_COMMANDS);
  } else {
    warn(ctx.io, `image references that name ${oldIP} must be changed to the new address (or to the service name, ${REGISTRY_NAME}.${ns}.svc)`);
  }
}

export async function runReuseIp(flags: DeployFlags, ctx: Context): Promise<void> {
  // Every flag is checked before the first request.
  toOptions(flags);
  if (ctx.globals.dryRun === 'server') {
    throw new UsageError('--dry-run=server: reuse-ip deletes objects and creates them again, which a server dry run cannot judge (the creates would find the objects still there); use --dry-run');
  }
  const cluster = await ctx.cluster();
  const ns = cluster.namespace;
  const live = await cluster.info();
  const { choosePlatform, grantPrivileged, imageVersion, sccStep } = await import('./deploy-apply.js');
  const platform = choosePlatform(flags, live, cluster);
  if (platform === 'openshift4') {
    throw new OperationError(
      `the cluster at ${cluster.server} is OpenShift 4: the Image Registry Operator owns the registry's service (image-registry in openshift-image-registry) and keeps it; there is no IP to maintain by hand`,
    );
  }
  const o: DeployOptions = toOptions(flags, platform);
  const tls = readTLS(o);
  // Objects other than the Service and workload: what exists is left alone.
  const draft = registryObjects(registryOptions(o, { namespace: ns, version: 'v0', httpSecret: '', tls }));
  const state = await readLive(cluster, ns, live.groups, draft.filter((x) => x.kind !== 'Service' && !isWorkload(x)));

  const liveIP = (state.service?.spec as { clusterIP?: string } | undefined)?.clusterIP;
  if (state.service && (!liveIP || liveIP === 'None')) {
    throw new OperationError(`service/${REGISTRY_NAME} in ${ns} is headless (clusterIP: None): it has no IP to keep`);
  }
  if (liveIP && o.clusterIP && o.clusterIP !== liveIP) {
    throw new UsageError(`--cluster-ip ${o.clusterIP}: service/${REGISTRY_NAME} has ${liveIP}, the address reuse-ip keeps; leave --cluster-ip out (or use deploy to choose another)`);
  }
  const keepIP = liveIP ?? o.clusterIP;
  if (!keepIP) {
    throw new OperationError(
      `service/${REGISTRY_NAME} does not exist in ${ns}, so there is no cluster IP to keep`,
      'pass --cluster-ip with the address the registry had (e.g. from an image stream\'s dockerImageRepository), or create the registry with regctl deploy',
    );
  }
  o.clusterIP = keepIP;
  // Without --daemonset / --deployment, the registry keeps the kind of workload it has.
  const liveKind = state.workloads[0]?.kind as DeployOptions['workload'] | undefined;
  if (!o.workloadGiven && liveKind) o.workload = liveKind;
  else if (platform === 'openshift3' && o.workload === 'DeploymentConfig' && !live.groups.has('apps.openshift.io')) o.workload = 'Deployment';

  const version = imageVersion(live.openshiftVersion) ?? 'latest';
  const objects = registryObjects(registryOptions(o, { namespace: ns, version, httpSecret: Buffer.from(ctx.randomBytes(32)).toString('base64'), tls }));
  const out = ctx.globals.output;
  if (out === 'yaml' || out === 'json') {
    ctx.io.out.write(formatObjects(objects, out));
    return;
  }

  const next = objects.find(isWorkload)!;
  const dropped = state.workloads.flatMap((w) => droppedSettings(w, next));
  if (dropped.length) {
    warn(
      ctx.io,
      `the re-created registry differs from the live ${resourceName(state.workloads[0]!)}: ${dropped.join('; ')}. If that is not what you want, give the deploy flags that keep them (e.g. --pvc, --selector, --images, --tls-certificate), or apply them again afterwards (e.g. regctl secure, regctl override-config).`,
    );
  }
  const { warnings, commands: cmds } = deployWarnings(o, ns);
  for (const w of warnings) warn(ctx.io, w);
  if (cmds.length) commands(ctx.io, cmds);

  const saUser = `system:serviceaccount:${ns}:${o.serviceAccount}`;
  const needsScc = o.storage.type === 'hostPath' && platform === 'openshift3' && live.groups.has('security.openshift.io');
  const scc = needsScc ? sccStep(await cluster.get({ apiVersion: 'security.openshift.io/v1', kind: 'SecurityContextConstraints', name: 'privileged' }), ns, o.serviceAccount) : undefined;
  let plan = planReuseIp(state, objects);
  if (ctx.globals.dryRun === 'client') {
    if (scc) plan = { ...plan, steps: [scc, ...plan.steps] };
    info(ctx.io, `would run, in namespace ${ns} (service/${REGISTRY_NAME} keeps ${keepIP}):`);
    commands(ctx.io, describePlan(plan));
    return;
  }

  const doomed = [...state.workloads, ...(state.service ? [state.service] : [])].map(resourceName).join(' and ');
  if (doomed && !ctx.globals.yes) {
    const question = `Delete ${doomed} in ${ns} and create them again with clusterIP ${keepIP}?`;
    if (!ctx.io.canPrompt) {
      throw new UsageError(`reuse-ip deletes ${doomed} in ${ns}: pass --yes to confirm (there is no terminal to ask on)`, 'see what it would do first with --dry-run');
    }
    if (!(await ctx.prompter.confirm(question, false))) throw new OperationError('cancelled: nothing was changed');
  }
  const granted = await grantPrivileged(ctx, scc, saUser);
  if (granted) plan = { ...plan, steps: [granted, ...plan.steps] };

  let lostBecause: string | undefined;
  const result = await executePlan(plan, {
    cluster: newIPOnConflict(cluster, (why) => (lostBecause = why)),
    io: ctx.io,
    backups: new BackupDir(ctx.globals.backupDir ?? defaultBackupRoot(ctx.env), 'reuse-ip', ctx.now()),
    cli: platform === 'kubernetes' ? 'kubectl' : 'oc',
    report: out === 'name' ? 'name' : 'verbose',
  });
  if (result.backupDir) info(ctx.io, `the deleted objects are saved in ${result.backupDir}`);

  // Verify with a fresh read, as the procedure's `oc get svc/docker-registry`.
  const svc = await cluster.get({ apiVersion: 'v1', kind: 'Service', name: REGISTRY_NAME, namespace: ns });
  const nowIP = (svc?.spec as { clusterIP?: string } | undefined)?.clusterIP;
  if (o.wait) {
    await waitForRollout(cluster, { apiVersion: next.apiVersion, kind: next.kind, name: next.metadata.name, namespace: ns }, { timeoutSeconds: o.timeoutSeconds, io: ctx.io });
  }
  if (nowIP !== keepIP) {
    printIPLost(ctx, platform, ns, keepIP, nowIP, lostBecause ?? 'the server assigned another');
    throw new OperationError(`the registry was re-created in ${ns}, but with cluster IP ${nowIP ?? '(none)'} instead of ${keepIP}`);
  }
  success(ctx.io, `registry "${REGISTRY_NAME}" re-created in namespace ${ns}; service/${REGISTRY_NAME} kept its cluster IP ${keepIP}`);
}
