// deployed, storage, resources: is the registry there, running, and keeping what it stores?
// Seed 003 ("Deploying", "Storage for the Registry", "Non-Production Use", "Known Issues"),
// seed 001 ("Storage", "--mount-host"), seed 002 (2.x "Configuring registry storage", 5.3 pods). Pure.
import type { KubeObject } from '../../objects.js';
import { podSelector, workloadName } from '../../registry/pods.js';
import { podSpecOf, desiredReplicas, failure, isReady, pass, plural, podReason, registryContainerOf, workloadEnv, warning, type Check } from './check.js';
import type { StatusLive } from './live.js';
import { volumesOf } from './live.js';
import { noWorkload } from '../../registry/find.js';

type Obj = Record<string, any>;
const DEPLOYED_SRC = 'the OSE 3.2 Deploying a Docker Registry document "Deploying the Registry", "Viewing Logs"; the OCP 4.4 Registry guide 5.3';
const STORAGE_SRC = 'the OSE 3.2 Deploying a Docker Registry document "Storage for the Registry", "Non-Production Use", "Known Issues"';
const OPERATOR_STORAGE_SRC = 'the OCP 4.4 Registry guide "Configuring registry storage" (ReadWriteOnce: one replica, Recreate)';

export function cliOf(live: StatusLive): 'oc' | 'kubectl' {
  return live.info.platform === 'kubernetes' ? 'kubectl' : 'oc';
}

export function deployedChecks(live: StatusLive): Check[] {
  const { loc } = live;
  const cli = cliOf(live);
  const out: Check[] = [];
  if (live.info.platform === 'openshift4') {
    const op = operatorChecks(live);
    out.push(...op);
    if (op.some((c) => c.state === 'failed' && /Removed|no Config/.test(c.message))) return out;
  }
  if (!live.service) out.push(failure('deployed', `service ${loc.name} not found in namespace ${loc.namespace}`, live.info.platform === 'openshift4' ? 'the operator re-creates it: regctl status again in a minute' : 'regctl deploy (or regctl reuse-ip to keep a known IP)', DEPLOYED_SRC));
  if (!live.workload) {
    out.push(failure('deployed', noWorkload(loc.kinds, loc.name, loc.namespace), live.info.platform === 'openshift4' ? 'regctl deploy (sets the operator to Managed)' : 'regctl deploy', DEPLOYED_SRC));
    return out;
  }
  const w = live.workload;
  const desired = desiredReplicas(w, live.pods.length);
  const ready = live.pods.filter(isReady);
  const notReady = live.pods.filter((p) => !isReady(p));
  const reasons = notReady.map((p) => `${p.metadata.name}: ${podReason(p)}`).join('; ');
  const name = workloadName(w);
  const svc = live.service ? `service ${loc.name} (${(live.service.spec as Obj)?.clusterIP ?? 'no IP'}), ` : '';
  if (desired === 0) {
    out.push(failure('deployed', `${name} is scaled to 0 replicas`, `${cli} scale ${name} -n ${loc.namespace} --replicas=1`, DEPLOYED_SRC));
  } else if (ready.length === 0) {
    out.push(failure('deployed', `${name}: 0/${desired} pods ready${reasons ? ` — ${reasons}` : ' (no pods)'}`, `regctl logs${loc.namespace !== 'default' && live.info.platform !== 'openshift4' ? ` -n ${loc.namespace}` : ''}; ${cli} describe pods -n ${loc.namespace} -l ${podSelector(w)}`, DEPLOYED_SRC));
  } else if (ready.length < desired || notReady.length > 0) {
    out.push(warning('deployed', `${name}: ${ready.length}/${desired} pods ready${reasons ? ` — ${reasons}` : ''}`, `${cli} describe pods -n ${loc.namespace} -l ${podSelector(w)}`, DEPLOYED_SRC));
  } else {
    out.push(pass('deployed', `${svc}${name}, ${ready.length}/${desired} pods ready`, DEPLOYED_SRC));
  }
  return out;
}

/** 4.x: the operator's Config and what clusteroperator/image-registry reports. */
function operatorChecks(live: StatusLive): Check[] {
  const src = 'the OCP 4.4 Registry guide "Image Registry Operator configuration parameters", "Image Registry Operator conditions"';
  const cfg = live.operatorConfig;
  if (!cfg) return [failure('deployed', 'no Config "cluster" (imageregistry.operator.openshift.io): the Image Registry Operator is not installed', 'install the Image Registry Operator (it comes with the cluster)', src)];
  const state = (cfg.spec as Obj)?.managementState as string | undefined;
  if (state === 'Removed') return [failure('deployed', 'the operator\'s managementState is Removed: the registry is removed', 'regctl deploy --pvc (or another storage): sets Managed', src)];
  const out: Check[] = [];
  if (state === 'Unmanaged') out.push(warning('deployed', 'the operator\'s managementState is Unmanaged: it no longer updates the registry', `oc patch configs.imageregistry.operator.openshift.io/cluster --type=merge -p '{"spec":{"managementState":"Managed"}}'`, src));
  const conds = (((live.clusterOperator?.status as Obj | undefined)?.conditions ?? []) as Obj[]);
  const cond = (t: string) => conds.find((c) => c.type === t);
  const avail = cond('Available');
  const degraded = cond('Degraded');
  const progressing = cond('Progressing');
  const opFix = 'oc describe clusteroperator image-registry; oc logs -n openshift-image-registry deployment/cluster-image-registry-operator';
  if (!live.clusterOperator) out.push(warning('deployed', 'clusteroperator/image-registry not found', opFix, src));
  else if (avail?.status !== 'True') out.push(failure('deployed', `clusteroperator/image-registry is not Available: ${avail?.message || avail?.reason || 'no condition'}`, opFix, src));
  else if (degraded?.status === 'True') out.push(failure('deployed', `clusteroperator/image-registry is Degraded: ${degraded.message || degraded.reason}`, opFix, src));
  else if (progressing?.status === 'True') out.push(warning('deployed', `clusteroperator/image-registry is Progressing: ${progressing.message || progressing.reason}`, 'wait, then regctl status again', src));
  else out.push(pass('deployed', `operator Managed; clusteroperator/image-registry Available, not Degraded, not Progressing`, src));
  return out;
}

export function storageChecks(live: StatusLive): Check[] {
  if (live.info.platform === 'openshift4') return operatorStorageChecks(live);
  const w = live.workload;
  if (!w) return [];
  const cli = cliOf(live);
  const name = workloadName(w);
  const ns = live.loc.namespace;
  const env = workloadEnv(w);
  const driver = env.REGISTRY_STORAGE;
  if (driver && driver !== 'filesystem') return [pass('storage', `${driver} (REGISTRY_STORAGE)`, STORAGE_SRC)];
  const vol = storageVolume(w, env);
  const replicas = w.kind === 'DaemonSet' ? Math.max(live.pods.length, desiredReplicas(w, live.pods.length)) : desiredReplicas(w, live.pods.length);
  const pvcFix = `${cli === 'oc' ? 'oc set volume' : 'kubectl edit'} ${name} -n ${ns}${cli === 'oc' ? ' --add --name=registry-storage -t pvc --claim-name=CLAIM --overwrite' : ' (a persistentVolumeClaim volume)'}`;
  if (!vol) return [warning('storage', 'no volume at the registry\'s storage path: images are kept in the container and lost when it restarts', pvcFix, STORAGE_SRC)];
  if (vol.emptyDir) return [warning('storage', `emptyDir volume ${vol.name}: images are lost when the pod restarts (the documents: for testing only)`, pvcFix, STORAGE_SRC)];
  if (vol.hostPath) {
    if (replicas > 1) return [failure('storage', `host path ${vol.hostPath.path} with ${replicas} pods: each node keeps its own images, so pulls fail depending on the pod a request reaches`, w.kind === 'DaemonSet' ? `use shared storage: ${pvcFix}` : `${cli} scale ${name} -n ${ns} --replicas=1, or shared storage: ${pvcFix}`, STORAGE_SRC)];
    return [pass('storage', `host path ${vol.hostPath.path} (one pod)`, STORAGE_SRC)];
  }
  const out: Check[] = [];
  if (vol.nfs) {
    const affinity = (live.service?.spec as Obj | undefined)?.sessionAffinity ?? 'None';
    if (replicas > 1 && affinity !== 'ClientIP') {
      return [warning('storage', `NFS ${vol.nfs.server}:${vol.nfs.path} shared by ${replicas} pods, and service ${live.loc.name} has sessionAffinity ${affinity}: pushes fail with "blob upload unknown" or "digest invalid"`, `${cli} patch svc/${live.loc.name} -n ${ns} -p '{"spec":{"sessionAffinity":"ClientIP"}}'`, STORAGE_SRC)];
    }
    return [pass('storage', `NFS ${vol.nfs.server}:${vol.nfs.path}${replicas > 1 ? ', sessionAffinity ClientIP' : ''}`, STORAGE_SRC)];
  }
  if (vol.persistentVolumeClaim) {
    out.push(...claimCheck(live, vol.persistentVolumeClaim.claimName, replicas, `${cli} create -f CLAIM.yaml -n ${ns} (a claim named ${vol.persistentVolumeClaim.claimName}), or ${pvcFix}`, `${cli} scale ${name} -n ${ns} --replicas=1, or a ReadWriteMany claim`, STORAGE_SRC));
    return out;
  }
  return [pass('storage', `volume ${vol.name}`, STORAGE_SRC)];
}

function storageVolume(w: KubeObject, env: Record<string, string>): Obj | undefined {
  const c = registryContainerOf(w);
  const root = env.REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY;
  const mounts = (c?.volumeMounts ?? []) as Obj[];
  const mount = mounts.find((m) => m.name === 'registry-storage') ?? mounts.find((m) => m.mountPath === root || m.mountPath === '/registry' || m.mountPath === '/var/lib/registry');
  return mount ? (volumesOf(w).find((v) => v.name === mount.name) as Obj | undefined) : undefined;
}

function claimCheck(live: StatusLive, claimName: string, replicas: number, missingFix: string, rwoFix: string, src: string): Check[] {
  const claim = live.claims[claimName];
  if (!claim) return [failure('storage', `persistent volume claim ${claimName} does not exist in ${live.loc.namespace}: the pods cannot start`, missingFix, src)];
  const modes = ((claim.status as Obj | undefined)?.accessModes ?? (claim.spec as Obj | undefined)?.accessModes ?? []) as string[];
  const phase = (claim.status as Obj | undefined)?.phase ?? 'Pending';
  if (phase !== 'Bound') return [warning('storage', `claim ${claimName} is ${phase}, not Bound: no volume satisfies it yet`, `${cliOf(live)} describe pvc ${claimName} -n ${live.loc.namespace}`, src)];
  if (replicas > 1 && modes.includes('ReadWriteOnce') && !modes.includes('ReadWriteMany')) {
    return [failure('storage', `claim ${claimName} is ReadWriteOnce and ${replicas} replicas use it: pods on other nodes cannot mount it`, rwoFix, src)];
  }
  return [pass('storage', `claim ${claimName} (${modes.join(', ') || 'no access mode'}, Bound)`, src)];
}

function operatorStorageChecks(live: StatusLive): Check[] {
  const spec = (live.operatorConfig?.spec ?? {}) as Obj;
  if (!live.operatorConfig || spec.managementState === 'Removed') return [];
  const storage = (spec.storage ?? {}) as Obj;
  const kinds = Object.keys(storage).filter((k) => k !== 'managementState');
  const replicas = (spec.replicas as number | undefined) ?? 1;
  if (kinds.length === 0) return [failure('storage', 'no storage configured: the operator does not deploy the registry', 'regctl deploy --pvc (or --s3 …)', OPERATOR_STORAGE_SRC)];
  if (storage.emptyDir) return [warning('storage', 'emptyDir: images are lost when a registry pod restarts (the documents: non-production only)', 'regctl deploy --pvc', OPERATOR_STORAGE_SRC)];
  if (storage.pvc) {
    const name = (storage.pvc.claim as string) || 'image-registry-storage';
    const patch = `oc patch configs.imageregistry.operator.openshift.io/cluster --type=merge -p '{"spec":{"rolloutStrategy":"Recreate","replicas":1}}'`;
    return claimCheck(live, name, replicas, storage.pvc.claim ? `create claim ${name} in openshift-image-registry, or regctl deploy --pvc (the operator creates image-registry-storage)` : 'the operator creates it: oc describe clusteroperator image-registry says why it has not', patch, OPERATOR_STORAGE_SRC);
  }
  return [pass('storage', kinds.join(', '), OPERATOR_STORAGE_SRC)];
}

export function resourceChecks(live: StatusLive): Check[] {
  const w = live.workload;
  if (!w) return [];
  const src = 'the OSE 3.2 Deploying a Docker Registry document "Deploying the Registry" (oc adm registry requests cpu 100m, memory 256Mi); Kubernetes QoS classes';
  const containers = (podSpecOf(w).containers ?? []) as Obj[];
  const none = containers.filter((c) => Object.keys(c.resources?.requests ?? {}).length === 0 && Object.keys(c.resources?.limits ?? {}).length === 0);
  const bestEffortPods = live.pods.filter((p) => (p.status as Obj | undefined)?.qosClass === 'BestEffort');
  if (none.length === containers.length || bestEffortPods.length) {
    const what = bestEffortPods.length ? `${plural(bestEffortPods.length, 'pod')} BestEffort` : 'no requests or limits (BestEffort)';
    const fix = live.info.platform === 'openshift4'
      ? `oc patch configs.imageregistry.operator.openshift.io/cluster --type=merge -p '{"spec":{"resources":{"requests":{"cpu":"100m","memory":"256Mi"}}}}'`
      : `${cliOf(live)} set resources ${workloadName(w)} -n ${live.loc.namespace} --requests=cpu=100m,memory=256Mi`;
    return [warning('resources', `${what}: the first pods evicted when the node runs short of memory`, fix, src)];
  }
  const req = containers.map((c) => Object.entries({ ...c.resources?.requests }).map(([k, v]) => `${k}=${v}`).join(',')).join('; ');
  return [pass('resources', `requests ${req || 'none'}${containers.some((c) => c.resources?.limits) ? ', limits set' : ''}`, src)];
}
