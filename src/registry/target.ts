// Which cluster a command plans for. With a reachable kubeconfig: that cluster, its platform
// found by discovery (-o renders what it would get). With --platform and -o yaml|json: offline,
// nothing contacted. With no kubeconfig at all and -o yaml|json: offline OpenShift 3, so the
// README's first command works on a fresh machine. A kubeconfig whose server cannot be reached
// is an error with the offline hint, never a silent switch to another platform.
import type { Cluster, ClusterInfo, Platform } from '../cluster/types.js';
import type { Context } from '../context.js';
import { NoKubeconfigError, OperationError, RegctlError, UsageError } from '../errors.js';

export type Target = { platform: Platform; cluster?: undefined; info?: undefined } | { platform: Platform; cluster: Cluster; info: ClusterInfo };

/** `-o yaml|json`: print, write nothing. */
export function rendering(ctx: Context): boolean {
  return ctx.globals.output === 'yaml' || ctx.globals.output === 'json';
}

export async function resolveTarget(ctx: Context, given: Platform | undefined, offlineHint: string): Promise<Target> {
  const render = rendering(ctx);
  if (render && given) return { platform: given };
  let cluster: Cluster;
  try {
    cluster = await ctx.cluster();
  } catch (e) {
    if (render && e instanceof NoKubeconfigError) return { platform: 'openshift3' };
    throw e;
  }
  let info: ClusterInfo;
  try {
    info = await cluster.info();
  } catch (e) {
    if (!render) throw e;
    const message = (e as Error).message;
    throw e instanceof UsageError ? new UsageError(message, offlineHint) : new OperationError(message, e instanceof RegctlError && e.hint ? `${e.hint}; ${offlineHint}` : offlineHint);
  }
  checkGivenPlatform(given, info.platform, cluster.server);
  return { platform: info.platform, cluster, info };
}

/** Connected, --platform may only say what discovery found. */
export function checkGivenPlatform(given: Platform | undefined, found: Platform, server: string): void {
  if (given && given !== found) {
    throw new UsageError(`--platform ${given}: the cluster at ${server} is ${found}; leave --platform out when connected (it is found by discovery)`);
  }
}
