// `regctl deploy --wait` on OpenShift 4: follows clusteroperator/image-registry until it is
// Available, printing Progressing and Degraded as they change, then the registry deployment
// until its pods are ready (seed 002 §3.4.4 step 4: `oc get clusteroperator image-registry`).
import type { Cluster } from '../../cluster/types.js';
import type { Context } from '../../context.js';
import { OperationError } from '../../errors.js';
import { info } from '../../output/messages.js';
import { poll, pollInterval } from '../../output/poll.js';
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
  now?: () => number;
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

export async function waitForRegistry(cluster: Cluster, ctx: Context, opts: WaitOptions): Promise<void> {
  const shown = new Map<string, string>();
  let conditions: Condition[] = [];
  let problem: string | undefined;
  const removing = opts.managementState === 'Removed';
  info(ctx.io, `waiting for clusteroperator/image-registry to be Available (timeout ${opts.timeoutSeconds}s)`);
  await poll<void>({
    what: 'the image registry',
    io: ctx.io,
    timeoutMs: opts.timeoutSeconds * 1000,
    intervalMs: opts.intervalMs ?? pollInterval(ctx.env, DEFAULT_POLL_INTERVAL_MS),
    now: opts.now ?? Date.now,
    sleep: opts.sleep ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms))),
    async check() {
      conditions = conditionsOf(await cluster.get(CLUSTER_OPERATOR_REF));
      // Each condition once per change, with its message: the operator's own account.
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
      if (!available || !(await observed(cluster, opts.generation))) return { done: false, text: 'clusteroperator/image-registry not Available yet' };
      const deployment = await cluster.get(REGISTRY_DEPLOYMENT_REF);
      if (removing) {
        return deployment ? { done: false, text: 'deployment/image-registry: still present, waiting for the operator to delete it' } : { done: true, value: undefined, text: ctx.io.color.green('the image registry is removed') };
      }
      if (!deployment) return { done: false, text: 'deployment/image-registry: not created yet' };
      const state = deploymentReady(deployment);
      if (state.ready) return { done: true, value: undefined, text: `deployment/image-registry: ${state.summary}\n${ctx.io.color.green('the image registry is available')}` };
      // A stuck pod says why (ImagePullBackOff, Unschedulable, ...): the operator's conditions often do not.
      problem = podProblem(await cluster.list('v1', 'Pod', { namespace: OPERATOR_NAMESPACE, labelSelector: selectorOf(deployment) }));
      return { done: false, text: `deployment/image-registry: ${state.summary}${problem ? `; ${problem}` : ''}` };
    },
    timeout() {
      for (const c of conditions) info(ctx.io, `  ${formatCondition(c)}`);
      const last =
        conditions.find((c) => c.type === 'Degraded' && c.status === 'True')?.message ??
        conditions.find((c) => c.type === 'Progressing' && c.status === 'True')?.message ??
        conditions.find((c) => c.type === 'Available')?.message;
      return new OperationError(
        `timed out after ${opts.timeoutSeconds}s waiting for the image registry to become ${removing ? 'removed' : 'available'}${last ? `; the operator says: ${last}` : ''}${problem ? `; ${problem}` : ''}`,
        'oc get clusteroperator image-registry -o yaml; oc logs -n openshift-image-registry deployment/cluster-image-registry-operator',
      );
    },
  });
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
