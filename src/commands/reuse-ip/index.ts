// `regctl reuse-ip`: "Maintaining the Registry IP Address" (seeds 000, 003). Delete the
// registry's Service and workload and create them again from `deploy`'s flags, with the
// Service's clusterIP set to the one it had, so pull specifications naming IP:port keep working.
// flags → options → live → plan → finish; afterwards the Service's address is checked.
import type { Command } from 'commander';
import type { Context } from '../../context.js';
import type { Cluster, Platform } from '../../cluster/types.js';
import { OperationError } from '../../errors.js';
import { commands, warn } from '../../output/messages.js';
import { sleptClock } from '../../output/poll.js';
import { finish } from '../../plan/run.js';
import type { KubeObject } from '../../plan/types.js';
import { readTLS } from '../../registry/inputs.js';
import { addRegistryFlags, type DeployFlags } from '../../registry/options.js';
import { isWorkload } from '../../registry/workload.js';
import { action } from '../../runtime.js';
import { MASTER_RESTART_COMMANDS } from '../../templates/master-config.js';
import { REGISTRY_NAME } from '../../templates/registry.js';
import { summary } from '../catalog.js';
import { readLive } from './live.js';
import { reuseIpOptions } from './options.js';
import { addressToKeep, planReuseIp } from './plan.js';
import { checkGivenPlatform } from '../../registry/target.js';

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
  const given = flags.platform as Platform | undefined;
  const draft = reuseIpOptions(flags, given ?? 'openshift3', ctx.globals.dryRun);
  const cluster = await ctx.cluster();
  const live = await readLive(cluster, draft);
  const platform = live.info.platform;
  checkGivenPlatform(given, platform, cluster.server);
  const o = reuseIpOptions(flags, platform === 'openshift4' ? 'openshift3' : platform, ctx.globals.dryRun);
  const tls = readTLS(o);
  const plan = planReuseIp(o, live, { httpSecret: Buffer.from(ctx.randomBytes(32)).toString('base64'), tls });
  const keepIP = addressToKeep(o, live);
  const next = plan.steps.map((s) => (s.kind === 'create' ? s.object : undefined)).find((x): x is KubeObject => !!x && isWorkload(x))!;

  let lostBecause: string | undefined;
  plan.after = async (w) => {
    // Verify with a fresh read, as the procedure's `oc get svc/docker-registry`.
    const svc = await w.cluster!.get({ apiVersion: 'v1', kind: 'Service', name: REGISTRY_NAME, namespace: live.namespace });
    const nowIP = (svc?.spec as { clusterIP?: string } | undefined)?.clusterIP;
    if (o.wait) {
      const { waitForRollout } = await import('../../cluster/rollout.js');
      await waitForRollout(w.cluster!, { apiVersion: next.apiVersion, kind: next.kind, name: next.metadata.name, namespace: live.namespace }, { timeoutSeconds: o.timeoutSeconds, io: w.io, env: w.env, ...sleptClock(w.sleep) });
    }
    if (nowIP !== keepIP) {
      printIPLost(ctx, platform, live.namespace, keepIP, nowIP, lostBecause ?? 'the server assigned another');
      throw new OperationError(`the registry was re-created in ${live.namespace}, but with cluster IP ${nowIP ?? '(none)'} instead of ${keepIP}`);
    }
  };
  // A Service whose address was taken meanwhile is created with a new one (the registry comes
  // back), and the master restart the documents prescribe is printed afterwards.
  await finish(plan, { ...ctx, cluster: async () => newIPOnConflict(await ctx.cluster(), (why) => (lostBecause = why)) });
}
