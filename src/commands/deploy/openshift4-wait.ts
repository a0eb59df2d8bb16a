// `regctl deploy --wait` on OpenShift 4: follows clusteroperator/image-registry until it is
// Available, printing Progressing and Degraded as they change, then the registry deployment
// until its pods are ready (seed 002 §3.4.4 step 4: `oc get clusteroperator image-registry`).
import type { Cluster } from '../../cluster/types.js';
import type { Context } from '../../context.js';
import { OperationError } from '../../errors.js';
import { info, success } from '../../output/messages.js';
import type { KubeObject } from '../../plan/types.js';
import { podProblem } from '../../cluster/rollout.js';
import { CLUSTER_OPERATOR_REF, CONFIG_REF, OPERATOR_NAMESPACE, REGISTRY_DEPLOYMENT_REF, type ManagementState } from '../../templates/operator.js';

export const DEFAULT_POLL_INTERVAL_MS = 2000;
const WATCHED = ['Available', 'Progressing', 'Degraded'] as const;

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface WaitOptions {
  managementState: ManagementState;
  timeoutSeconds: number;
  /** The Config's generation after the patch: wait until the operator has observed it. */
  generation?: number;
  /** Milliseconds between polls; default REGCTL_POLL_INTERVAL_MS, else 2s. */
  intervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export function conditionsOf(obj: KubeObject | undefined): Condition[] {
  const c = (obj?.status as { conditions?: Condition[] } | undefined)?.conditions;
  return Array.isArray(c) ? c : [];
}

export function formatCondition(c: Condition): string {
  return `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}`;
}

/** Ready: every wanted replica updated and ready, and the newest spec observed. */
export function deploymentReady(d: KubeObject): { ready: boolean; summary: string } {
  const want = ((d.spec as { replicas?: number } | undefined)?.replicas ?? 1) as number;
  const st = (d.status as { readyReplicas?: number; updatedReplicas?: number; observedGeneration?: number } | undefined) ?? {};
  const ready = st.readyReplicas ?? 0;
  const updated = st.updatedReplicas ?? 0;
  const generation = d.metadata.generation as number | undefined;
  const observed = generation === undefined || st.observedGeneration === undefined || st.observedGeneration >= generation;
  return { ready: observed && ready >= want && updated >= want, summary: `${ready}/${want} pods ready` };
}

function pollInterval(ctx: Context, opts: WaitOptions): number {
  if (opts.intervalMs !== undefined) return opts.intervalMs;
  const fromEnv = Number(ctx.env.REGCTL_POLL_INTERVAL_MS);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_POLL_INTERVAL_MS;
}

export async function waitForRegistry(cluster: Cluster, ctx: Context, opts: WaitOptions): Promise<void> {
  const interval = pollInterval(ctx, opts);
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = ctx.now().getTime() + opts.timeoutSeconds * 1000;
  // Time slept counts too: a clock that stands still (tests) or jumps cannot make the wait endless.
  let slept = 0;
  const shown = new Map<string, string>();
  let lastPods = '';
  let conditions: Condition[] = [];
  let problem: string | undefined;
  const removing = opts.managementState === 'Removed';
  info(ctx.io, `waiting for clusteroperator/image-registry to be Available (timeout ${opts.timeoutSeconds}s)`);
  for (;;) {
    const co = await cluster.get(CLUSTER_OPERATOR_REF);
    conditions = conditionsOf(co);
    for (const type of WATCHED) {
      const c = conditions.find((x) => x.type === type);
      if (!c) continue;
      const line = formatCondition(c);
      if (shown.get(type) !== line) {
        shown.set(type, line);
        info(ctx.io, `clusteroperator/image-registry ${line}`);
      }
    }
    const availableCond = conditions.find((c) => c.type === 'Available');
    // Right after Removed -> Managed the operator still reports "Available: the registry is removed".
    const available = availableCond?.status === 'True' && (removing || availableCond.reason !== 'Removed');
    if (available && (await observed(cluster, opts.generation))) {
      const deployment = await cluster.get(REGISTRY_DEPLOYMENT_REF);
      if (removing) {
        if (!deployment) {
          success(ctx.io, 'the image registry is removed');
          return;
        }
        if (lastPods !== 'removing') info(ctx.io, 'deployment/image-registry: still present, waiting for the operator to delete it');
        lastPods = 'removing';
      } else if (deployment) {
        const state = deploymentReady(deployment);
        const { ready } = state;
        // A stuck pod says why (ImagePullBackOff, Unschedulable, ...): the operator's conditions often do not.
        if (!ready) problem = podProblem(await cluster.list('v1', 'Pod', { namespace: OPERATOR_NAMESPACE, labelSelector: selectorOf(deployment) }));
        const summary = state.summary + (problem && !ready ? `; ${problem}` : '');
        if (summary !== lastPods) info(ctx.io, `deployment/image-registry: ${summary}`);
        lastPods = summary;
        if (ready) {
          success(ctx.io, 'the image registry is available');
          return;
        }
      } else if (lastPods !== 'absent') {
        info(ctx.io, 'deployment/image-registry: not created yet');
        lastPods = 'absent';
      }
    }
    if (ctx.now().getTime() >= deadline || slept >= opts.timeoutSeconds * 1000) break;
    await sleep(interval);
    slept += interval;
  }
  for (const c of conditions) info(ctx.io, `  ${formatCondition(c)}`);
  const last =
    conditions.find((c) => c.type === 'Degraded' && c.status === 'True')?.message ??
    conditions.find((c) => c.type === 'Progressing' && c.status === 'True')?.message ??
    conditions.find((c) => c.type === 'Available')?.message;
  throw new OperationError(
    `timed out after ${opts.timeoutSeconds}s waiting for the image registry to become ${removing ? 'removed' : 'available'}${last ? `; the operator says: ${last}` : ''}${problem ? `; ${problem}` : ''}`,
    'oc get clusteroperator image-registry -o yaml; oc logs -n openshift-image-registry deployment/cluster-image-registry-operator',
  );
}

function selectorOf(d: KubeObject): string {
  const labels = (d.spec as { selector?: { matchLabels?: Record<string, string> } } | undefined)?.selector?.matchLabels ?? {};
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
}

/** True once the operator has observed the patched Config (when both generations are known). */
async function observed(cluster: Cluster, generation: number | undefined): Promise<boolean> {
  if (generation === undefined) return true;
  const config = await cluster.get(CONFIG_REF);
  const seen = (config?.status as { observedGeneration?: number } | undefined)?.observedGeneration;
  return seen === undefined || seen >= generation;
}
