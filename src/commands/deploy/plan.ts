// `regctl deploy` on OpenShift 3.x and Kubernetes, as `oc adm registry`: the registry's objects
// (pure templates) and the plan that creates what is missing. Pure: no I/O, no clock, no random
// (the HTTP secret is handed in). Objects left behind by `oc delete all -l docker-registry=default`
// (the service account and the role binding) are adopted when they match, and only what differs
// in the fields deploy owns is updated.
import type { ClusterInfo, Platform } from '../../cluster/types.js';
import { OperationError, UsageError } from '../../errors.js';
import { sameData } from '../../objects.js';
import { resourceName } from '../../output/printers.js';
import { emptyPlan, type KubeObject, type Plan, type Step } from '../../plan/types.js';
import { deployWarnings, OFFLINE_VERSION, imageVersion, registryOptions, serviceAccountUser, type DeployOptions } from '../../registry/options.js';
import { sccGrantQuestion, sccGrantStep } from '../../registry/scc.js';
import { isWorkload } from '../../registry/workload.js';
import { REGISTRY_NAME, registryObjects, type RegistryTLS } from '../../templates/registry.js';
import { claimAccessMode, registryClaim } from '../../templates/operator.js';
import { changeWorkload } from './change.js';

/** What deploy reads from a cluster before planning (live.ts). */
export interface RegistryLive {
  server: string;
  namespace: string;
  info: ClusterInfo;
  service?: KubeObject;
  serviceAccount?: KubeObject;
  roleBinding?: KubeObject;
  tlsSecret?: KubeObject;
  /** The registry's workloads (DeploymentConfig, Deployment, DaemonSet named docker-registry). */
  workloads: KubeObject[];
  /** The privileged SCC, read when --mount-host needs it on OpenShift 3.x. */
  scc?: KubeObject;
  /** The claim --pvc names, when it exists. */
  claim?: KubeObject;
}

export interface DeployInputs {
  /** REGISTRY_HTTP_SECRET for a new workload (random, made by the caller). */
  httpSecret: string;
  tls?: RegistryTLS;
  /** Offline: the namespace the objects are rendered for (-n, else default). */
  offlineNamespace?: string;
  /** The flags given on the command line: on a running registry, those that differ are changed. */
  given?: ReadonlySet<string>;
}

const where = (o: KubeObject) => (o.metadata.namespace ? ` in ${o.metadata.namespace}` : '');
const createStep = (o: KubeObject): Step => ({ kind: 'create', describe: `create ${resourceName(o)}${where(o)}`, object: o });

/** The workload kind the cluster can run: DeploymentConfig needs apps.openshift.io. */
export function effectiveOptions(o: DeployOptions, platform: Platform, info?: ClusterInfo): { options: DeployOptions; warnings: string[] } {
  const options = { ...o, platform };
  const warnings: string[] = [];
  if (platform === 'kubernetes' && options.workload === 'DeploymentConfig') options.workload = 'Deployment';
  if (info && platform === 'openshift3' && options.workload === 'DeploymentConfig' && !info.groups.has('apps.openshift.io')) {
    options.workload = 'Deployment';
    warnings.push('this cluster serves no DeploymentConfigs (apps.openshift.io): creating an apps/v1 Deployment instead');
  }
  return { options, warnings };
}

/** Offline (`live` undefined): every object, for the platform the options name. Connected: what the cluster lacks. */
export function planDeploy(opts: DeployOptions, live: RegistryLive | undefined, inputs: DeployInputs): Plan {
  const platform = opts.platform;
  const { options: o, warnings } = effectiveOptions(opts, platform, live?.info);
  // Without --daemonset / --deployment, a running registry keeps the kind of workload it has.
  const liveKind = live?.workloads[0]?.kind as DeployOptions['workload'] | undefined;
  if (liveKind && !o.workloadGiven) o.workload = liveKind;
  const plan = emptyPlan('deploy', platform === 'kubernetes' ? 'kubectl' : 'oc');
  const namespace = live?.namespace ?? inputs.offlineNamespace ?? 'default';
  const version = live ? (imageVersion(live.info.openshiftVersion) ?? 'latest') : OFFLINE_VERSION;
  const objects = registryObjects(registryOptions(o, { namespace, version, httpSecret: inputs.httpSecret, tls: inputs.tls }));
  if (live && platform === 'kubernetes') {
    warnings.push(
      `${live.server} is plain Kubernetes: deploying the upstream registry${o.imagesGiven ? '' : ' (docker.io/library/registry:2)'} as a Deployment, without the system:registry binding (the OpenShift registry needs OpenShift's API)`,
    );
  }
  if (!live) {
    const w = deployWarnings(o, namespace);
    plan.warnings.push(...warnings, ...w.warnings);
    plan.steps.push(...objects.map(createStep));
    return plan;
  }

  const kept: string[] = [];
  const changes: string[] = [];
  for (const obj of objects) {
    const step = adopt(obj, live, o, kept, inputs.given ?? new Set(), changes, warnings);
    if (step) plan.steps.push(step);
  }
  // Whether the workload is created (the claim step added below is no workload).
  const creating = plan.steps.some(createsWorkload);
  const claim = claimStep(o, live, creating, changes);
  if (claim.step) plan.steps.splice(Math.max(0, plan.steps.findIndex((s) => s.kind === 'update' || createsWorkload(s))), 0, claim.step);
  warnings.push(...claim.warnings);
  const movingToHostPath = changes.some((c) => c.startsWith('storage ') && c.includes('→ hostPath'));
  const grant = o.storage.type === 'hostPath' && platform === 'openshift3' && (creating || movingToHostPath) ? sccGrantStep(live.scc, namespace, o.serviceAccount) : undefined;
  if (grant) {
    // Before the workload (its pods need the grant), after the service account.
    const at = plan.steps.findIndex((s) => (s.kind === 'create' && s.object.kind !== 'Secret' && s.object.kind !== 'ServiceAccount') || s.kind === 'update');
    plan.steps.splice(at < 0 ? plan.steps.length : at, 0, grant);
  }
  const w = deployWarnings(o, namespace, grant ? 'regctl adds it' : live.scc ? 'it has it already' : undefined);
  plan.warnings.push(...warnings);
  if (creating) plan.warnings.push(...w.warnings);
  else if (movingToHostPath) plan.warnings.push(...w.warnings.filter((x) => x.startsWith('--mount-host')));
  if (creating || movingToHostPath) plan.notes.push(...w.notes);
  if (kept.length) plan.notes.unshift(...kept.map((k) => `${k} already exists as deploy would create it: kept`));

  if (changes.length) {
    const sccClause = grant ? `; add ${serviceAccountUser(namespace, o.serviceAccount)} to the privileged SCC` : '';
    plan.confirm = `Change the running registry in ${namespace} (${changes.join('; ')}${sccClause}), replacing its pods?`;
  } else if (grant) plan.confirm = sccGrantQuestion(namespace, o.serviceAccount);
  if (live.service) plan.nothing = `Docker registry "${REGISTRY_NAME}" service exists`;
  else plan.dryRunFails = `Docker registry "${REGISTRY_NAME}" service does not exist`;
  plan.done = changes.length && !creating ? `registry "${REGISTRY_NAME}" changed in namespace ${namespace}: its pods are being replaced (follow with --wait)` : `registry "${REGISTRY_NAME}" deployed in namespace ${namespace}`;
  return plan;
}

/** A step that creates the registry's workload (DeploymentConfig, Deployment or DaemonSet). */
export const createsWorkload = (s: Step): s is Extract<Step, { kind: 'create' }> => s.kind === 'create' && isWorkload(s.object);

/**
 * The claim --pvc names, when the workload will use it (a new registry, or a running one moved
 * onto it): created with --claim-size when missing (ReadWriteMany for more than one pod), else a
 * running registry is not moved onto nothing, and a new one is warned about.
 */
function claimStep(o: DeployOptions, live: RegistryLive, creating: boolean, changes: string[]): { step?: Step; warnings: string[] } {
  const warnings: string[] = [];
  if (o.storage.type !== 'pvc') return { warnings };
  const moving = changes.some((c) => c.startsWith('storage ') && c.includes('→ persistentVolumeClaim'));
  if (!creating && !moving) return { warnings };
  const name = o.storage.claim;
  const pods = o.workload === 'DaemonSet' ? 2 : o.replicas;
  if (live.claim) {
    const modes = (live.claim.spec as { accessModes?: string[] } | undefined)?.accessModes ?? [];
    if (pods > 1 && !modes.includes('ReadWriteMany')) {
      warnings.push(`claim "${name}" is ${modes.join(', ') || 'ReadWriteOnce'}: ${o.workload === 'DaemonSet' ? 'the pods of a DaemonSet' : `${o.replicas} replicas`} on different nodes cannot all mount it; use a ReadWriteMany claim`);
    }
    if (o.claimSize) warnings.push(`claim "${name}" exists: --claim-size is not applied to it`);
    return { warnings };
  }
  if (o.claimSize) {
    const accessMode = claimAccessMode(pods);
    const claim = registryClaim({ name, namespace: live.namespace, size: o.claimSize, accessMode });
    return { step: { kind: 'create', describe: `create persistentvolumeclaim "${name}" in ${live.namespace} (${o.claimSize}, ${accessMode})`, object: claim }, warnings };
  }
  if (moving) {
    throw new OperationError(`--pvc=${name}: claim "${name}" does not exist in ${live.namespace}, and the running registry would lose its storage`, `create the claim first, or pass --claim-size (e.g. --claim-size=100Gi) to let regctl create it`);
  }
  warnings.push(`claim "${name}" does not exist in ${live.namespace}: the registry pods stay Pending until it does (pass --claim-size to let regctl create it)`);
  return { warnings };
}

/** One object against what the cluster has: create it, keep it, update the fields deploy owns, or refuse. */
function adopt(obj: KubeObject, live: RegistryLive, o: DeployOptions, kept: string[], given: ReadonlySet<string>, changes: string[], warnings: string[]): Step | undefined {
  const name = resourceName(obj);
  switch (obj.kind) {
    case 'ServiceAccount':
      if (!live.serviceAccount) return createStep(obj);
      kept.push(name);
      return undefined;
    case 'ClusterRoleBinding': {
      const crb = live.roleBinding;
      if (!crb) return createStep(obj);
      if (JSON.stringify(crb.roleRef) !== JSON.stringify(obj.roleRef)) {
        throw new OperationError(
          `${name} exists and binds ${(crb.roleRef as { name?: string })?.name ?? 'another role'}, not system:registry (a binding's role cannot be changed)`,
          `delete it and run deploy again: oc delete ${name}`,
        );
      }
      const subjects = (crb.subjects as { kind: string; name: string; namespace?: string }[] | undefined) ?? [];
      const ours = (obj.subjects as { kind: string; name: string; namespace?: string }[])[0]!;
      if (subjects.some((s) => s.kind === ours.kind && s.name === ours.name && s.namespace === ours.namespace)) {
        kept.push(name);
        return undefined;
      }
      // The subjects deploy owns: its service account is added, the others stay.
      return { kind: 'update', describe: `add serviceaccount ${ours.namespace}/${ours.name} to the subjects of ${name}`, live: crb, object: { ...crb, subjects: [...subjects, ours] } };
    }
    case 'Secret': {
      const secret = live.tlsSecret;
      if (!secret) return createStep(obj);
      if (sameData(secret, obj) && secret.type === obj.type) {
        kept.push(name);
        return undefined;
      }
      if (secret.type !== obj.type) {
        throw new OperationError(`${name}${where(secret)} exists with type ${String(secret.type)}, not ${String(obj.type)}`, `delete it or give the registry another certificate: oc delete ${name} -n ${secret.metadata.namespace}`);
      }
      return { kind: 'update', describe: `replace the certificate and key in ${name}${where(secret)} with --tls-certificate`, live: secret, object: { ...secret, data: obj.data } };
    }
    case 'Service':
      return live.service ? undefined : createStep(obj);
    default: {
      // The workload. One that exists is the registry: adopted as it is.
      const existing = live.workloads[0];
      if (!existing) return createStep(obj);
      if (o.workloadGiven && existing.kind !== obj.kind) {
        throw new UsageError(
          `--${obj.kind === 'DaemonSet' ? 'daemonset' : 'deployment'}: the registry already runs as ${resourceName(existing)}${where(existing)}`,
          `re-create it as a ${obj.kind} with: regctl reuse-ip --${obj.kind === 'DaemonSet' ? 'daemonset' : 'deployment'}`,
        );
      }
      // Flags given explicitly that differ from the running registry change exactly those fields.
      const change = changeWorkload(existing, obj, given);
      warnings.push(...change.warnings);
      if (!change.object) {
        kept.push(resourceName(existing));
        return undefined;
      }
      changes.push(...change.changes);
      return { kind: 'update', describe: `change ${resourceName(existing)}${where(existing)}: ${change.changes.join('; ')}`, live: existing, object: change.object };
    }
  }
}
