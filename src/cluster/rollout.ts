// Waiting for a workload to roll out, with progress, and the pod-level reason when it does not
// (ImagePullBackOff, CrashLoopBackOff, Unschedulable and its message). Polls: few requests,
// and no watch connection to keep alive.
import { OperationError } from '../errors.js';
import type { IO } from '../output/io.js';
import { poll, pollInterval } from '../output/poll.js';
import type { KubeObject } from '../objects.js';
import type { Cluster } from './types.js';

export interface WaitOptions {
  timeoutSeconds: number;
  io: IO;
  /** Between polls; REGCTL_POLL_INTERVAL_MS overrides it (tests). */
  intervalMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  env?: NodeJS.ProcessEnv;
}

type Obj = KubeObject & { spec?: any; status?: any };

/** Rolled out? And a short description of where it stands. */
export function rolloutState(w: Obj): { ready: boolean; text: string } {
  const s = w.status ?? {};
  const gen = w.metadata.generation as number | undefined;
  const observed = s.observedGeneration === undefined || gen === undefined || s.observedGeneration >= gen;
  if (w.kind === 'DaemonSet') {
    const want = s.desiredNumberScheduled ?? 0;
    const ready = observed && want > 0 && s.numberReady === want && (s.updatedNumberScheduled ?? want) === want;
    return { ready, text: `${s.numberReady ?? 0} of ${want} pods ready` };
  }
  const want = w.spec?.replicas ?? 1;
  const updated = s.updatedReplicas ?? 0;
  const available = s.availableReplicas ?? 0;
  if (w.kind === 'DeploymentConfig' && !(s.latestVersion >= 1)) return { ready: false, text: 'waiting for the first deployment' };
  const ready = observed && updated >= want && available >= want && (s.unavailableReplicas ?? 0) === 0 && (s.replicas ?? want) <= want;
  return { ready, text: `${available} of ${want} pods available, ${updated} updated` };
}

const STUCK = new Set(['ImagePullBackOff', 'ErrImagePull', 'CrashLoopBackOff', 'CreateContainerConfigError', 'CreateContainerError', 'InvalidImageName', 'RunContainerError']);

/** The first reason a pod is stuck, in words. */
export function podProblem(pods: Obj[]): string | undefined {
  for (const p of pods) {
    const name = p.metadata.name;
    for (const c of p.status?.containerStatuses ?? []) {
      const w = c.state?.waiting;
      if (w && STUCK.has(w.reason)) return `pod ${name}: ${w.reason}${w.message ? `: ${w.message}` : ''}`;
    }
    const sched = (p.status?.conditions ?? []).find((c: any) => c.type === 'PodScheduled' && c.status === 'False');
    if (sched) return `pod ${name}: ${sched.reason ?? 'Unschedulable'}${sched.message ? `: ${sched.message}` : ''}`;
  }
  return undefined;
}

function selectorOf(w: Obj): string {
  const sel = w.kind === 'DeploymentConfig' ? w.spec?.selector : w.spec?.selector?.matchLabels;
  return Object.entries((sel ?? {}) as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(',');
}

export async function waitForRollout(cluster: Cluster, ref: { apiVersion: string; kind: string; name: string; namespace: string }, opts: WaitOptions): Promise<void> {
  const what = `${ref.kind.toLowerCase()} "${ref.name}"`;
  let selector = '';
  let stateText = '';
  let problem: string | undefined;
  await poll({
    what,
    io: opts.io,
    timeoutMs: opts.timeoutSeconds * 1000,
    intervalMs: pollInterval(opts.env ?? process.env, opts.intervalMs ?? 1000),
    now: opts.now ?? Date.now,
    sleep: opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    async check() {
      const w = (await cluster.get(ref)) as Obj | undefined;
      if (!w) throw new OperationError(`${ref.kind} "${ref.name}" disappeared while waiting for its rollout`);
      const state = rolloutState(w);
      if (state.ready) return { done: true, value: undefined, text: `${what} rolled out: ${state.text}` };
      selector = selectorOf(w);
      stateText = state.text;
      const pods = (await cluster.list('v1', 'Pod', { namespace: ref.namespace, labelSelector: selector })) as Obj[];
      problem = podProblem(pods);
      return { done: false, text: `${state.text}${problem ? `; ${problem}` : ''}` };
    },
    timeout: () =>
      new OperationError(
        `${what} did not roll out within ${opts.timeoutSeconds}s (${stateText})${problem ? `: ${problem}` : ''}`,
        `see the pods: oc get pods -n ${ref.namespace} -l ${selector}; oc describe pods -n ${ref.namespace} -l ${selector}`,
      ),
  });
}
