// trust-ca's plan: pure. 4.x: the CAs as keys of a ConfigMap in openshift-config, named by
// image.config.openshift.io/cluster spec.additionalTrustedCA (seed 004, 9.2.5). 3.x
// pullthrough: the system bundle plus the CAs in a ConfigMap mounted over /etc/pki/tls/certs
// in the registry, since the mount replaces the whole directory (seed 000, "Image Pullthrough").
import { OperationError } from '../../errors.js';
import type { KubeObject } from '../../objects.js';
import { emptyPlan, type Plan } from '../../plan/types.js';
import { resourceName } from '../../output/printers.js';
import {
  BUNDLE_KEY, BUNDLE_SOURCE_ANNOTATION, pullthroughBundle, registryKey, SYSTEM_CERTS_DIR, trustTable,
} from '../../registry/trusted-cas.js';
import { IMAGE_NAME } from '../../templates/image-config.js';
import { NO_SYSTEM_BUNDLE, type TrustCaInputs } from './inputs.js';
import type { ConfigMapObject, TrustCaLive } from './live.js';
import type { TrustCaOptions } from './options.js';

export const TRUSTED_CA_VOLUME = 'registry-trusted-cas';
const IMAGE_CONFIG = `image.config.openshift.io/${IMAGE_NAME}`;

export function planTrustCa(o: TrustCaOptions, live: TrustCaLive, inputs: TrustCaInputs, now: Date): Plan {
  if (live.platform === 'kubernetes') {
    throw new OperationError('trust-ca needs OpenShift: this cluster has neither image.config.openshift.io (4.x) nor a 3.x registry to mount CAs into', "on Kubernetes, put the CA in each node's runtime trust (/etc/containerd/certs.d or /etc/docker/certs.d/HOST:PORT/ca.crt)");
  }
  if (o.list) return planList(live, now);
  return live.platform === 'openshift4' ? plan4(o, live, inputs) : plan3(o, live, inputs);
}

/** The registries' keys after this run; what changed, said in words. */
function editKeys(o: TrustCaOptions, current: Record<string, string>, inputs: TrustCaInputs, plan: Plan): { data: Record<string, string>; changed: string[]; same: string[] } {
  const data = { ...current };
  const changed: string[] = [];
  const same: string[] = [];
  for (const [registry, ca] of inputs.cas) {
    const key = registryKey(registry);
    if (data[key] === ca.pem) {
      same.push(registry);
      continue;
    }
    if (data[key] !== undefined) plan.warnings.push(`${registry}: replacing the CA it had (key ${key}) with ${ca.file}`);
    data[key] = ca.pem;
    changed.push(`trust ${registry} (${ca.certs.map((c) => c.subject).join('; ')}, from ${ca.file})`);
  }
  for (const registry of o.remove) {
    const key = registryKey(registry);
    if (data[key] === undefined) {
      plan.warnings.push(`--remove ${registry}: no CA is trusted for it (no key ${key}); nothing to remove`);
      continue;
    }
    delete data[key];
    changed.push(`stop trusting ${registry}`);
  }
  return { data, changed, same };
}

function configMapStep(plan: Plan, live: ConfigMapObject | undefined, name: string, namespace: string, data: Record<string, string>, why: string[], annotations?: Record<string, string>): void {
  if (!live) {
    const object: ConfigMapObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, ...(annotations ? { annotations } : {}) }, data };
    plan.steps.push({ kind: 'create', describe: `create configmap/${name} in ${namespace}: ${why.join(', ')}`, object });
    return;
  }
  const object: ConfigMapObject = { ...live, metadata: { ...live.metadata, ...(annotations ? { annotations: { ...live.metadata.annotations, ...annotations } } : {}) }, data };
  if (JSON.stringify(object) === JSON.stringify(live)) return;
  plan.steps.push({ kind: 'update', describe: `update configmap/${name} in ${namespace}: ${why.join(', ') || 'refresh the system CAs'}`, object, live });
}

function plan4(o: TrustCaOptions, live: TrustCaLive, inputs: TrustCaInputs): Plan {
  const plan = emptyPlan('trust-ca');
  const ref = live.referenced;
  if (!live.image) throw new OperationError(`${IMAGE_CONFIG} not found: this OpenShift 4 cluster has no image configuration to name the CAs in`, 'check the cluster with `oc get image.config.openshift.io cluster`');
  if (ref && o.nameGiven && ref !== o.name) {
    throw new OperationError(`--name ${o.name}: ${IMAGE_CONFIG} already trusts the CAs in ConfigMap ${ref} (spec.additionalTrustedCA); regctl adds to it rather than replacing it`, `leave out --name to add to ${ref}; to switch ConfigMaps, edit spec.additionalTrustedCA yourself (oc edit image.config.openshift.io cluster)`);
  }
  if (ref && ref !== o.name) plan.warnings.push(`adding to ConfigMap ${ref} in ${live.namespace}, which ${IMAGE_CONFIG} already names in spec.additionalTrustedCA`);
  if (o.pullthrough) plan.warnings.push('--pullthrough: on OpenShift 4 spec.additionalTrustedCA covers the registry\'s pullthrough as well; nothing more is needed');
  const name = live.configMapName;
  const { data, changed, same } = editKeys(o, live.configMap?.data ?? {}, inputs, plan);
  configMapStep(plan, live.configMap, name, live.namespace, data, changed);
  if (ref !== name && (inputs.cas.size > 0 || live.configMap)) {
    const patch = { spec: { additionalTrustedCA: { name } } };
    plan.steps.push({ kind: 'patch', describe: `patch ${IMAGE_CONFIG}: spec.additionalTrustedCA.name = ${name}`, live: live.image, patchType: 'merge', patch });
  }
  plan.nothing = nothingLine(`configmap/${name} in ${live.namespace}`, same, o.remove.length > 0);
  plan.done = doneLine(inputs, o);
  if (inputs.cas.size) plan.done += ` (the node-ca daemon gives each node /etc/docker/certs.d/HOST:PORT/ca.crt)`;
  return plan;
}

function plan3(o: TrustCaOptions, live: TrustCaLive, inputs: TrustCaInputs): Plan {
  const plan = emptyPlan('trust-ca');
  if (!o.pullthrough) {
    throw new OperationError('OpenShift 3.x has no cluster-wide trust setting for registries: give --pullthrough to make the registry trust them when it pulls through', 'for the nodes, copy the CA to /etc/docker/certs.d/HOST:PORT/ca.crt on each node (seed 003, "Securing the Registry")');
  }
  const wl = live.workload;
  if (!wl) throw new OperationError(`no registry in namespace ${live.namespace}: deploymentconfig/docker-registry not found`, 'deploy it with `regctl deploy`, or name its namespace with -n');
  const sys = inputs.systemBundle;
  if (!sys) throw new OperationError(`--pullthrough: ${NO_SYSTEM_BUNDLE}; the mount replaces the registry's whole ${SYSTEM_CERTS_DIR}, so its system CAs must come along`, "name one with --system-bundle FILE (e.g. the registry image's /etc/pki/tls/certs/ca-bundle.crt)");
  const { [BUNDLE_KEY]: _old, ...current } = live.configMap?.data ?? {};
  const { data, changed, same } = editKeys(o, current, inputs, plan);
  const name = live.configMapName;
  const source = `${sys.source}, ${sys.count} certificates`;
  configMapStep(plan, live.configMap, name, live.namespace, { ...data, [BUNDLE_KEY]: pullthroughBundle(sys.pem, data) }, changed, { [BUNDLE_SOURCE_ANNOTATION]: source });
  const mounted = mountCas(wl, name);
  if (mounted) plan.steps.push({ kind: 'update', describe: `update ${resourceName(wl)}: mount configmap/${name} over ${SYSTEM_CERTS_DIR} (a new rollout)`, object: mounted, live: wl });
  if (plan.steps.length > 0) plan.warnings.push(`the registry's ${SYSTEM_CERTS_DIR} becomes the ConfigMap: system CAs from ${source}, plus the registries' CAs`);
  plan.nothing = nothingLine(`configmap/${name} in ${live.namespace}`, same, o.remove.length > 0);
  plan.done = doneLine(inputs, o);
  return plan;
}

interface Container {
  name?: string;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}

/** The workload with the ConfigMap mounted over the system certs directory; undefined when it already is. */
export function mountCas(workload: KubeObject, configMap: string): KubeObject | undefined {
  const w = structuredClone(workload) as KubeObject & { spec: { template: { spec: { volumes?: { name: string; configMap?: { name: string } }[]; containers: Container[] } } } };
  const pod = w.spec.template.spec;
  const container = pod.containers.find((c) => c.name === 'registry') ?? pod.containers[0];
  if (!container) throw new OperationError(`${resourceName(workload)} has no container to mount the CAs into`);
  const mount = container.volumeMounts?.find((m) => m.mountPath.replace(/\/+$/, '') === SYSTEM_CERTS_DIR);
  const volume = pod.volumes?.find((v) => v.name === (mount?.name ?? TRUSTED_CA_VOLUME));
  if (mount) {
    if (volume?.configMap?.name === configMap) return undefined;
    throw new OperationError(`${resourceName(workload)} already mounts volume ${mount.name} over ${SYSTEM_CERTS_DIR}; regctl will not replace it`, `take it out first (oc set volume ${resourceName(workload)} --remove --name=${mount.name}), or give its ConfigMap with --name`);
  }
  if (volume) throw new OperationError(`${resourceName(workload)} already has a volume named ${TRUSTED_CA_VOLUME} that is not configmap/${configMap}`);
  pod.volumes = [...(pod.volumes ?? []), { name: TRUSTED_CA_VOLUME, configMap: { name: configMap } }];
  container.volumeMounts = [...(container.volumeMounts ?? []), { name: TRUSTED_CA_VOLUME, mountPath: SYSTEM_CERTS_DIR, readOnly: true }];
  return w;
}

function nothingLine(where: string, same: string[], removing: boolean): string {
  if (same.length) return `${where} already trusts the CA${same.length > 1 ? 's' : ''} for ${same.join(', ')}`;
  return removing ? `${where}: nothing to remove` : `${where} unchanged`;
}

function doneLine(inputs: TrustCaInputs, o: TrustCaOptions): string {
  const parts = [];
  if (inputs.cas.size) parts.push(`trusted: ${[...inputs.cas.keys()].join(', ')}`);
  if (o.remove.length) parts.push(`no longer trusted: ${o.remove.join(', ')}`);
  return parts.join('; ');
}

function planList(live: TrustCaLive, now: Date): Plan {
  const plan = emptyPlan('trust-ca');
  const where = `configmap/${live.configMapName} in ${live.namespace}`;
  if (live.platform === 'openshift4' && !live.referenced) {
    plan.nothing = `${IMAGE_CONFIG} trusts no additional CA (spec.additionalTrustedCA is not set)`;
    return plan;
  }
  if (!live.configMap) {
    plan.nothing = live.platform === 'openshift4' ? `${IMAGE_CONFIG} names ConfigMap ${live.configMapName}, which does not exist in ${live.namespace}` : `no ${where}: the registry trusts only its image's system CAs`;
    return plan;
  }
  plan.objects = [live.configMap];
  const entries = Object.entries(live.configMap.data ?? {}).filter(([k]) => k !== BUNDLE_KEY).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) {
    plan.nothing = `${where} trusts no registry`;
    return plan;
  }
  let table = trustTable(entries, now).trimEnd();
  if (live.platform === 'openshift3') {
    // The rest of the bundle: what the registry trusts besides the registries' CAs.
    const source = live.configMap.metadata.annotations?.[BUNDLE_SOURCE_ANNOTATION];
    if (source) table += `\n(${BUNDLE_KEY} also holds the system CAs: ${source})`;
    if (live.workload && !mountsCas(live.workload, live.configMapName)) plan.warnings.push(`${resourceName(live.workload)} does not mount ${where} over ${SYSTEM_CERTS_DIR}: run trust-ca --pullthrough again to mount it`);
  }
  plan.nothing = table;
  return plan;
}

function mountsCas(workload: KubeObject, configMap: string): boolean {
  try {
    return mountCas(workload, configMap) === undefined;
  } catch {
    return false;
  }
}
