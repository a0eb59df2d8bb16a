// A check's result, and the shared bits of judging a registry. Pure.
export type CheckState = 'passed' | 'warning' | 'failed' | 'skipped';

export interface Check {
  /** deployed, storage, resources, tls, route, configuration, whitelist, mirrors, console. */
  check: string;
  state: CheckState;
  message: string;
  /** The command that fixes it (warning, failed). */
  fix?: string;
  /** Where the documents say so. */
  source: string;
}

export const pass = (check: string, message: string, source: string): Check => ({ check, state: 'passed', message, source });
export const skip = (check: string, message: string, source: string): Check => ({ check, state: 'skipped', message, source });
export const warning = (check: string, message: string, fix: string, source: string): Check => ({ check, state: 'warning', message, fix, source });
export const failure = (check: string, message: string, fix: string, source: string): Check => ({ check, state: 'failed', message, fix, source });

import type { KubeObject } from '../../objects.js';
import { podSpecOf, registryContainer } from '../../templates/registry-config-plan.js';

type Obj = Record<string, any>;

export { podSpecOf, workloadEnv } from '../../templates/registry-config-plan.js';

/** The registry container of a workload's pod template (`registry`, else the first). */
export function registryContainerOf(w: KubeObject): Obj | undefined {
  return registryContainer(podSpecOf(w));
}

/** How many pods the workload asks for. */
export function desiredReplicas(w: KubeObject, podCount: number): number {
  if (w.kind === 'DaemonSet') return ((w.status as Obj | undefined)?.desiredNumberScheduled as number | undefined) ?? podCount;
  return ((w.spec as Obj | undefined)?.replicas as number | undefined) ?? 1;
}

export function isReady(pod: KubeObject): boolean {
  return ((pod.status as Obj | undefined)?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');
}

/** Why a pod is not ready, as `oc get pods` and `oc describe` show it. */
export function podReason(pod: KubeObject): string {
  const st = (pod.status ?? {}) as Obj;
  for (const cs of (st.containerStatuses ?? []) as Obj[]) {
    const waiting = cs.state?.waiting;
    if (waiting?.reason) {
      const last = cs.lastState?.terminated;
      return `${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}${last ? ` (last exit ${last.exitCode}${last.reason ? `, ${last.reason}` : ''})` : ''}`;
    }
    const t = cs.state?.terminated;
    if (t) return `terminated: ${t.reason ?? 'exit'} ${t.exitCode}`;
  }
  if (st.phase === 'Pending') {
    const sched = ((st.conditions ?? []) as Obj[]).find((c) => c.type === 'PodScheduled' && c.status === 'False');
    return `Pending${sched ? `: ${sched.reason ?? 'Unschedulable'}${sched.message ? `: ${sched.message}` : ''}` : ''}`;
  }
  return `${st.phase ?? 'no status'}, not ready`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
