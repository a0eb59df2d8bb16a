// deploy on a registry that already runs (issue 16; seeds 001 and 003, "Storage for the Registry",
// "Registry Compute Resources"): the flags given explicitly that differ from the live workload
// become a change of exactly those fields, copied from the workload deploy would create. Every
// other field of the live object (TLS, config overrides, env set by other commands) stays as it is.
// Pure.
import { UsageError } from '../../errors.js';
import { resourceName } from '../../output/printers.js';
import type { KubeObject } from '../../plan/types.js';
import { REGISTRY_CONTAINER, STORAGE_VOLUME } from '../../templates/registry.js';

export interface WorkloadChange {
  /** The live object with the changed fields; undefined when nothing differs. */
  object?: KubeObject;
  /** What changes, for the step and the question: `replicas 1 → 2`. */
  changes: string[];
  warnings: string[];
}

type Container = { name?: string; image?: string; resources?: Record<string, unknown>; securityContext?: Record<string, unknown>; volumeMounts?: { name: string; mountPath: string }[] };
type PodSpec = { containers: Container[]; volumes?: { name: string; [source: string]: unknown }[]; nodeSelector?: Record<string, string> };
type Workload = KubeObject & { spec: { replicas?: number; strategy?: Record<string, unknown>; template: { spec: PodSpec } } };

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const text = (v: unknown) => (v === undefined ? '(none)' : JSON.stringify(v).replace(/"/g, ''));
const registryContainer = (p: PodSpec) => p.containers.find((c) => c.name === REGISTRY_CONTAINER) ?? p.containers[0];

/** `persistentVolumeClaim registry-storage`, `emptyDir`, `hostPath /data`, `nfs server:/path`. */
function volumeText(v: Record<string, unknown> | undefined): string {
  if (!v) return '(none)';
  const kind = Object.keys(v).find((k) => k !== 'name') ?? '?';
  const src = (v[kind] ?? {}) as Record<string, string>;
  const detail = src.claimName ?? (src.server ? `${src.server}:${src.path}` : src.path);
  return `${kind}${detail ? ` ${detail}` : ''}`;
}

/**
 * `wanted` is the workload deploy would create from the same flags; `given` the flags given on
 * the command line (defaults are not choices).
 */
export function changeWorkload(live: KubeObject, wanted: KubeObject, given: ReadonlySet<string>): WorkloadChange {
  const next = structuredClone(live) as Workload;
  const want = wanted as Workload;
  const pod = next.spec.template.spec;
  const wantPod = want.spec.template.spec;
  const c = registryContainer(pod);
  const wc = registryContainer(wantPod);
  const changes: string[] = [];
  const warnings: string[] = [];
  if (!c || !wc) return { changes, warnings };

  if (given.has('pvc') || given.has('nfs') || given.has('mountHost')) {
    const wantVolume = wantPod.volumes!.find((v) => v.name === STORAGE_VOLUME)!;
    const volumes = (pod.volumes ??= []);
    const at = volumes.findIndex((v) => v.name === STORAGE_VOLUME);
    const current = at >= 0 ? volumes[at] : undefined;
    if (!same(current, wantVolume)) {
      if (!c.volumeMounts?.some((m) => m.name === STORAGE_VOLUME)) {
        throw new UsageError(`${resourceName(live)} mounts no volume "${STORAGE_VOLUME}", so regctl cannot tell where its images are; re-create it with regctl reuse-ip`);
      }
      if (current && ('emptyDir' in current || 'hostPath' in current)) {
        warnings.push(`the images stored in the ${volumeText(current)} volume are not copied to ${volumeText(wantVolume)}: push them again, or copy the registry's files to the new storage first`);
      }
      volumes[at] = wantVolume;
      changes.push(`storage ${volumeText(current)} → ${volumeText(wantVolume)}`);
      // A host path needs a privileged container on OpenShift; the template says which.
      if (wc.securityContext && !same(c.securityContext?.privileged, wc.securityContext.privileged)) {
        c.securityContext = { ...(c.securityContext ?? {}), privileged: wc.securityContext.privileged };
      }
      // A claim or host path cannot be held by two pods during a rolling update of a Deployment.
      if (next.kind === 'Deployment' && want.kind === 'Deployment' && want.spec.strategy && !same(next.spec.strategy, want.spec.strategy)) next.spec.strategy = want.spec.strategy;
    }
  }
  for (const part of ['requests', 'limits'] as const) {
    if (!given.has(part)) continue;
    const wantValue = (wc.resources as Record<string, unknown> | undefined)?.[part];
    const liveValue = c.resources?.[part];
    if (same(liveValue, wantValue)) continue;
    c.resources = { ...(c.resources ?? {}), [part]: wantValue };
    changes.push(`${part} ${text(liveValue)} → ${text(wantValue)}`);
  }
  if (given.has('selector') && !same(pod.nodeSelector ?? {}, wantPod.nodeSelector ?? {})) {
    changes.push(`nodeSelector ${text(pod.nodeSelector)} → ${text(wantPod.nodeSelector)}`);
    if (wantPod.nodeSelector) pod.nodeSelector = wantPod.nodeSelector;
    else delete pod.nodeSelector;
  }
  if (given.has('replicas')) {
    if (live.kind === 'DaemonSet') throw new UsageError(`--replicas: the registry is ${resourceName(live)}, which runs one pod per selected node (change --selector instead)`);
    if (next.spec.replicas !== want.spec.replicas) {
      changes.push(`replicas ${next.spec.replicas ?? 1} → ${want.spec.replicas}`);
      next.spec.replicas = want.spec.replicas;
    }
  }
  if ((given.has('images') || given.has('latestImages') || given.has('type')) && c.image !== wc.image) {
    changes.push(`image ${c.image} → ${wc.image}`);
    c.image = wc.image;
  }
  if (changes.length && live.kind === 'DeploymentConfig') {
    const triggers = (live.spec as { triggers?: { type?: string }[] } | undefined)?.triggers ?? [];
    if (!triggers.some((t) => t.type === 'ConfigChange')) {
      warnings.push(`${resourceName(live)} has no ConfigChange trigger, so the change is not rolled out by itself: run oc rollout latest dc/${live.metadata.name} -n ${live.metadata.namespace}`);
    }
  }
  return { object: changes.length ? next : undefined, changes, warnings };
}
