// Following the machine config pools while the machine-config operator rolls a change in
// /etc/containers out to the nodes (whitelist and mirror on OpenShift 4.x).
import type { Cluster } from '../cluster/types.js';
import type { AfterWorld, Plan } from '../plan/types.js';
import { OperationError } from '../errors.js';
import { info, success, warn } from '../output/messages.js';
import type { KubeObject } from '../plan/types.js';

export const POOL_API_VERSION = 'machineconfiguration.openshift.io/v1';
export const POOL_KIND = 'MachineConfigPool';

/** What every change to the node registry files costs. */
export const NODE_ROLLOUT_WARNING =
  'once applied, the machine-config operator rolls this out to every node: each node is cordoned, drained, CRI-O is restarted with the new /etc/containers files, and the node is uncordoned (no reboot), a pool at a time';

interface Condition {
  type: string;
  status: string;
  message?: string;
  reason?: string;
}

export interface PoolObject extends KubeObject {
  spec?: { configuration?: { name?: string } };
  status?: {
    conditions?: Condition[];
    configuration?: { name?: string };
    machineCount?: number;
    updatedMachineCount?: number;
    degradedMachineCount?: number;
  };
}

const condition = (p: PoolObject, type: string) => p.status?.conditions?.find((c) => c.type === type);
const isTrue = (p: PoolObject, type: string) => condition(p, type)?.status === 'True';

export type PoolState = { done: boolean; degraded?: string; summary: string };

/**
 * A pool is done once it has started on the new config (its rendered config changed, or it
 * reported Updating) and is back to Updated with every machine on that config.
 */
export function poolState(p: PoolObject, renderedBefore: string | undefined, sawUpdating: boolean): PoolState {
  const total = p.status?.machineCount ?? 0;
  const updated = p.status?.updatedMachineCount ?? 0;
  const target = p.spec?.configuration?.name;
  const summary = `machineconfigpool/${p.metadata.name}: ${updated} of ${total} nodes updated${isTrue(p, 'Updating') ? ', updating' : ''}${target ? ` (${target})` : ''}`;
  for (const type of ['Degraded', 'RenderDegraded', 'NodeDegraded']) {
    const c = condition(p, type);
    if (c?.status === 'True') return { done: false, degraded: `machineconfigpool/${p.metadata.name} is ${type}: ${c.message || c.reason || 'no message'}`, summary };
  }
  const started = sawUpdating || isTrue(p, 'Updating') || (target !== undefined && target !== renderedBefore);
  const done = started && isTrue(p, 'Updated') && !isTrue(p, 'Updating') && p.status?.configuration?.name === target && updated === total;
  return { done, summary };
}

/**
 * Polls the pools listed in `before` until each has rolled out a new rendered config, one is
 * degraded, or time runs out (counted in poll intervals: no clock needed). A plan's `after`.
 */
export async function waitForPools(cluster: Cluster, ctx: Pick<AfterWorld, 'io' | 'env' | 'sleep'>, before: KubeObject[], timeoutSeconds: number): Promise<void> {
  const renderedBefore = new Map(before.map((p) => [p.metadata.name, (p as PoolObject).spec?.configuration?.name]));
  if (renderedBefore.size === 0) {
    warn(ctx.io, 'no machine config pools found: cannot follow the rollout');
    return;
  }
  const interval = Number(ctx.env.REGCTL_POLL_INTERVAL_MS ?? 5000);
  let waited = 0;
  const sawUpdating = new Set<string>();
  const lastSummary = new Map<string, string>();
  info(ctx.io, `waiting for ${renderedBefore.size} machine config pool(s) to roll out the change (up to ${timeoutSeconds}s)`);
  for (;;) {
    const pools = (await cluster.list<PoolObject>(POOL_API_VERSION, POOL_KIND)).filter((p) => renderedBefore.has(p.metadata.name));
    let allDone = pools.length > 0;
    for (const p of pools) {
      if (isTrue(p, 'Updating')) sawUpdating.add(p.metadata.name);
      const s = poolState(p, renderedBefore.get(p.metadata.name), sawUpdating.has(p.metadata.name));
      if (s.degraded) throw new OperationError(s.degraded, 'see oc describe machineconfigpool ' + p.metadata.name + ' and the machine-config-controller logs');
      if (lastSummary.get(p.metadata.name) !== s.summary) {
        info(ctx.io, s.summary);
        lastSummary.set(p.metadata.name, s.summary);
      }
      allDone &&= s.done;
    }
    if (allDone) {
      success(ctx.io, 'every node has the new registry configuration');
      return;
    }
    if (waited >= timeoutSeconds * 1000) {
      throw new OperationError(`timed out after ${timeoutSeconds}s waiting for the machine config pools to update`, 'the rollout goes on without regctl; follow it with oc get machineconfigpools -w');
    }
    await ctx.sleep(interval);
    waited += interval;
  }
}

/** A plan that changes what nodes get: say what it costs, then follow the pools (--wait) or say how to. */
export function followNodeRollout(plan: Plan, wait: { pools: KubeObject[]; timeoutSeconds: number } | undefined): void {
  plan.warnings.push(NODE_ROLLOUT_WARNING);
  if (wait) plan.after = (w) => waitForPools(w.cluster!, w, wait.pools, wait.timeoutSeconds);
  else plan.notes.push('# the machine-config operator rolls the change out to the nodes, a pool at a time; follow it with:', 'oc get machineconfigpools -w');
}
