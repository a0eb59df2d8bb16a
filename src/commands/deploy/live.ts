// What deploy reads before planning, independent reads sent at once (discovery included).
import type { Cluster } from '../../cluster/types.js';
import { OperationError } from '../../errors.js';
import type { KubeObject } from '../../plan/types.js';
import type { DeployOptions } from '../../registry/options.js';
import { PRIVILEGED_SCC } from '../../registry/scc.js';
import { getIfServed } from '../../registry/find.js';
import { registryService, registryWorkloads } from '../../registry/workload.js';
import { CONFIG_REF, CREDENTIALS_SECRET, OPERATOR_CLAIM, OPERATOR_NAMESPACE } from '../../templates/operator.js';
import { REGISTRY_ROLE_BINDING, TLS_SECRET } from '../../templates/registry.js';
import type { LiveOpenShift4, OpenShift4Options } from './openshift4.js';
import type { RegistryLive } from './plan.js';

/**
 * 3.x and Kubernetes: the registry's objects as they are (any of them may be left over from an
 * earlier one). Sent with discovery in one wave: the reads do not depend on the platform, and
 * what a platform does not have (the binding and SCC off OpenShift 3) is dropped afterwards.
 */
export async function readRegistryLive(cluster: Cluster, o: DeployOptions): Promise<RegistryLive> {
  const ns = cluster.namespace;
  const [info, service, serviceAccount, roleBinding, tlsSecret, workloads, scc, claim] = await Promise.all([
    cluster.info(),
    registryService(cluster, ns),
    cluster.get({ apiVersion: 'v1', kind: 'ServiceAccount', name: o.serviceAccount, namespace: ns }),
    getIfServed(cluster, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: REGISTRY_ROLE_BINDING }),
    o.tlsCertificatePath ? cluster.get({ apiVersion: 'v1', kind: 'Secret', name: TLS_SECRET, namespace: ns }) : undefined,
    registryWorkloads(cluster, ns),
    o.storage.type === 'hostPath' ? getIfServed(cluster, PRIVILEGED_SCC) : undefined,
    o.storage.type === 'pvc' ? cluster.get({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: o.storage.claim, namespace: ns }) : undefined,
  ]);
  const openshift3 = info.platform === 'openshift3';
  const needsScc = o.storage.type === 'hostPath' && openshift3 && info.groups.has('security.openshift.io');
  return { server: cluster.server, namespace: ns, info, service, serviceAccount, roleBinding: openshift3 ? roleBinding : undefined, tlsSecret, workloads, scc: needsScc ? scc : undefined, claim };
}

/** 4.x: the operator's Config, the claim its storage names (or the operator's own), the credentials secret. */
export async function readOpenShift4Live(cluster: Cluster, o: OpenShift4Options, hasCredentials: boolean): Promise<LiveOpenShift4> {
  // The claim's name may come from the live Config, so the Config is read first unless --pvc names it.
  const given = o.operator.storage;
  const claimRef = (name: string) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', name, namespace: OPERATOR_NAMESPACE });
  const [config, givenClaim, secret, clusterVersion] = await Promise.all([
    cluster.get(CONFIG_REF),
    given?.type === 'pvc' && o.action === 'deploy' ? cluster.get(claimRef(given.claim || OPERATOR_CLAIM)) : undefined,
    hasCredentials ? cluster.get({ apiVersion: 'v1', kind: 'Secret', name: CREDENTIALS_SECRET, namespace: OPERATOR_NAMESPACE }) : undefined,
    // Which field the release reads for the log level (logging before 4.5, logLevel after).
    o.operator.logLevel ? cluster.get({ apiVersion: 'config.openshift.io/v1', kind: 'ClusterVersion', name: 'version' }) : undefined,
  ]);
  if (!config) {
    throw new OperationError(
      'configs.imageregistry.operator.openshift.io "cluster" not found: the Image Registry Operator has not initialised its components yet',
      'wait a few minutes and run the command again (oc get clusteroperator image-registry)',
    );
  }
  let claim: KubeObject | undefined = givenClaim;
  const liveClaim = ((config.spec as { storage?: { pvc?: { claim?: string } } } | undefined)?.storage)?.pvc;
  if (!given && liveClaim && o.action === 'deploy') claim = await cluster.get(claimRef(liveClaim.claim || OPERATOR_CLAIM));
  const cv = clusterVersion?.status as { desired?: { version?: string }; history?: { version?: string }[] } | undefined;
  return { config, claim, secret, clusterVersion: cv?.desired?.version ?? cv?.history?.[0]?.version };
}
