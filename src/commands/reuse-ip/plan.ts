// reuse-ip's plan, pure: delete the registry's workload and Service, create them again from the
// flags with the Service's clusterIP set to the one it had. The service account and role binding
// are kept when they exist (deleting them would break other pods); a TLS secret from
// --tls-certificate replaces the live one's data.
import { OperationError, UsageError } from '../../errors.js';
import { sameData } from '../../objects.js';
import { resourceName } from '../../output/printers.js';
import { emptyPlan, type KubeObject, type Plan, type Step } from '../../plan/types.js';
import { deployWarnings, imageVersion, registryOptions, type DeployOptions } from '../../registry/options.js';
import { sccGrantStep } from '../../registry/scc.js';
import { isWorkload } from '../../registry/workload.js';
import { REGISTRY_NAME, registryObjects, type RegistryTLS } from '../../templates/registry.js';
import type { ReuseIpLive } from './live.js';

const where = (o: KubeObject) => (o.metadata.namespace ? ` in ${o.metadata.namespace}` : '');

export interface ReuseIpInputs {
  httpSecret: string;
  tls?: RegistryTLS;
}

/** The address reuse-ip keeps: the live Service's, else --cluster-ip. Refuses when there is none. */
export function addressToKeep(o: DeployOptions, live: ReuseIpLive): string {
  const liveIP = (live.service?.spec as { clusterIP?: string } | undefined)?.clusterIP;
  if (live.service && (!liveIP || liveIP === 'None')) {
    throw new OperationError(`service/${REGISTRY_NAME} in ${live.namespace} is headless (clusterIP: None): it has no IP to keep`);
  }
  if (liveIP && o.clusterIP && o.clusterIP !== liveIP) {
    throw new UsageError(`--cluster-ip ${o.clusterIP}: service/${REGISTRY_NAME} has ${liveIP}, the address reuse-ip keeps; leave --cluster-ip out (or use deploy to choose another)`);
  }
  const keep = liveIP ?? o.clusterIP;
  if (!keep) {
    throw new OperationError(
      `service/${REGISTRY_NAME} does not exist in ${live.namespace}, so there is no cluster IP to keep`,
      "pass --cluster-ip with the address the registry had (e.g. from an image stream's dockerImageRepository), or create the registry with regctl deploy",
    );
  }
  return keep;
}

export function planReuseIp(opts: DeployOptions, live: ReuseIpLive, inputs: ReuseIpInputs): Plan {
  const platform = live.info.platform;
  if (platform === 'openshift4') {
    throw new OperationError(
      `the cluster at ${live.server} is OpenShift 4: the Image Registry Operator owns the registry's service (image-registry in openshift-image-registry) and keeps it; there is no IP to maintain by hand`,
    );
  }
  const ns = live.namespace;
  const keepIP = addressToKeep(opts, live);
  const o: DeployOptions = { ...opts, platform, clusterIP: keepIP };
  // Without --daemonset / --deployment, the registry keeps the kind of workload it has.
  const liveKind = live.workloads[0]?.kind as DeployOptions['workload'] | undefined;
  if (!o.workloadGiven && liveKind) o.workload = liveKind;
  else if (platform === 'kubernetes' && o.workload === 'DeploymentConfig') o.workload = 'Deployment';
  else if (platform === 'openshift3' && o.workload === 'DeploymentConfig' && !live.info.groups.has('apps.openshift.io')) o.workload = 'Deployment';

  const version = imageVersion(live.info.openshiftVersion) ?? 'latest';
  const objects = registryObjects(registryOptions(o, { namespace: ns, version, httpSecret: inputs.httpSecret, tls: inputs.tls }));
  const plan = emptyPlan('reuse-ip', platform === 'kubernetes' ? 'kubectl' : 'oc');

  const next = objects.find(isWorkload)!;
  const dropped = live.workloads.flatMap((w) => droppedSettings(w, next));
  if (dropped.length) {
    plan.warnings.push(
      `the re-created registry differs from the live ${resourceName(live.workloads[0]!)}: ${dropped.join('; ')}. If that is not what you want, give the deploy flags that keep them (e.g. --pvc, --selector, --images, --tls-certificate), or apply them again afterwards (e.g. regctl secure, regctl override-config).`,
    );
  }
  const grant = o.storage.type === 'hostPath' && platform === 'openshift3' ? sccGrantStep(live.scc, ns, o.serviceAccount) : undefined;
  const w = deployWarnings(o, ns, grant ? 'regctl adds it' : live.scc ? 'it has it already' : undefined);
  plan.warnings.push(...w.warnings);
  plan.notes.push(...w.notes);

  if (grant) plan.steps.push(grant);
  for (const x of live.workloads) plan.steps.push({ kind: 'delete', describe: `delete ${resourceName(x)}${where(x)} (backed up first)`, live: x });
  if (live.service) plan.steps.push({ kind: 'delete', describe: `delete ${resourceName(live.service)}${where(live.service)} (backed up first)`, live: live.service });
  for (const obj of objects) {
    const name = resourceName(obj);
    if (obj.kind === 'Service') plan.steps.push({ kind: 'create', describe: `create ${name}${where(obj)} with clusterIP ${keepIP}`, object: obj });
    else if (isWorkload(obj)) plan.steps.push({ kind: 'create', describe: `create ${name}${where(obj)}`, object: obj });
    else if (obj.kind === 'Secret') {
      const secret = live.tlsSecret;
      if (!secret) plan.steps.push({ kind: 'create', describe: `create ${name}${where(obj)}`, object: obj });
      else if (!sameData(secret, obj)) plan.steps.push({ kind: 'update', describe: `replace the certificate and key in ${name}${where(obj)}`, live: secret, object: { ...secret, data: obj.data } });
    } else if (obj.kind === 'ServiceAccount' ? !live.serviceAccount : !live.roleBinding) {
      plan.steps.push({ kind: 'create', describe: `create ${name}${where(obj)}`, object: obj });
    }
  }

  const doomed = [...live.workloads, ...(live.service ? [live.service] : [])].map(resourceName).join(' and ');
  const questions = [doomed && `Delete ${doomed} in ${ns} and create them again with clusterIP ${keepIP}`, grant && `add system:serviceaccount:${ns}:${o.serviceAccount} to the privileged SCC`].filter(Boolean);
  if (questions.length) plan.confirm = `${questions.join(', and ')}?`;
  plan.done = `registry "${REGISTRY_NAME}" re-created in namespace ${ns}; service/${REGISTRY_NAME} kept its cluster IP ${keepIP}`;
  return plan;
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
