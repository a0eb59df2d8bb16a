// What `regctl status` reads: everything the checks judge, each wave at once. Nothing is written.
import type { Cluster, ClusterInfo } from '../../cluster/types.js';
import type { KubeObject } from '../../objects.js';
import { registryLocation, registryPods, type RegistryLocation } from '../../registry/pods.js';
import { findRegistryWorkload } from '../../registry/workload.js';
import { CONSOLE_NAME, CONSOLE_ROUTE, OAUTH_CLIENT_ID, REGISTRY_ROUTE } from '../../templates/console.js';
import { CLUSTER_OPERATOR_REF, CONFIG_REF, OPERATOR_CLAIM } from '../../templates/operator.js';
import { configText, mountedConfigSource } from '../../templates/registry-config-plan.js';

export interface StatusLive {
  info: ClusterInfo;
  loc: RegistryLocation;
  service?: KubeObject;
  workload?: KubeObject;
  pods: KubeObject[];
  /** Claims the registry uses, by name (undefined: not found). */
  claims: Record<string, KubeObject | undefined>;
  /** The registry's routes: 3.x docker-registry; 4.x every route in openshift-image-registry. */
  routes: KubeObject[];
  /** The mounted config.yml, when one is mounted. */
  mountedConfig?: { source: string; text?: string };
  // OpenShift 4
  operatorConfig?: KubeObject;
  clusterOperator?: KubeObject;
  imageConfig?: KubeObject;
  mirrorPolicies: KubeObject[];
  // OpenShift 3 registry console
  console?: { route?: KubeObject; deploymentConfig?: KubeObject; oauthClient?: KubeObject; certSecret?: KubeObject };
}

const get = (cluster: Cluster, apiVersion: string, kind: string, name: string, namespace?: string) => cluster.get({ apiVersion, kind, name, namespace });

export async function readLive(cluster: Cluster): Promise<StatusLive> {
  const info = await cluster.info();
  const loc = registryLocation(info, cluster.namespace);
  const v4 = info.platform === 'openshift4';
  const v3 = info.platform === 'openshift3';
  const [service, workload, operatorConfig, clusterOperator, imageConfig, mirrorPolicies, routes, consoleRoute, consoleDC, oauthClient] = await Promise.all([
    get(cluster, 'v1', 'Service', loc.name, loc.namespace),
    findRegistryWorkload(cluster, info.platform, loc.namespace),
    v4 ? cluster.get(CONFIG_REF) : undefined,
    v4 ? cluster.get(CLUSTER_OPERATOR_REF) : undefined,
    v4 ? get(cluster, 'config.openshift.io/v1', 'Image', 'cluster') : undefined,
    v4 && info.groups.has('operator.openshift.io') ? cluster.list('operator.openshift.io/v1alpha1', 'ImageContentSourcePolicy') : [],
    v4 ? cluster.list('route.openshift.io/v1', 'Route', { namespace: loc.namespace }) : v3 ? get(cluster, 'route.openshift.io/v1', 'Route', REGISTRY_ROUTE, loc.namespace).then((r) => (r ? [r] : [])) : [],
    v3 ? get(cluster, 'route.openshift.io/v1', 'Route', CONSOLE_ROUTE, loc.namespace) : undefined,
    v3 ? get(cluster, 'apps.openshift.io/v1', 'DeploymentConfig', CONSOLE_NAME, loc.namespace) : undefined,
    v3 && info.groups.has('oauth.openshift.io') ? get(cluster, 'oauth.openshift.io/v1', 'OAuthClient', OAUTH_CLIENT_ID) : undefined,
  ]);
  const claimNames = new Set<string>();
  for (const v of workload ? volumesOf(workload) : []) if (v.persistentVolumeClaim?.claimName) claimNames.add(v.persistentVolumeClaim.claimName);
  const pvc = (operatorConfig?.spec as { storage?: { pvc?: { claim?: string } } } | undefined)?.storage?.pvc;
  if (pvc) claimNames.add(pvc.claim || OPERATOR_CLAIM);
  const source = workload && !v4 ? mountedConfigSource(workload) : undefined;
  const consoleSecretName = consoleDC ? secretVolumeAt(consoleDC, '/etc/cockpit/ws-certs.d') : undefined;
  const [pods, claims, configObj, certSecret] = await Promise.all([
    workload ? registryPods(cluster, workload) : [],
    Promise.all([...claimNames].map((n) => get(cluster, 'v1', 'PersistentVolumeClaim', n, loc.namespace))).then((cs) => Object.fromEntries([...claimNames].map((n, i) => [n, cs[i]]))),
    source ? get(cluster, 'v1', source.kind, source.name, loc.namespace) : undefined,
    consoleSecretName ? get(cluster, 'v1', 'Secret', consoleSecretName, loc.namespace) : undefined,
  ]);
  return {
    info,
    loc,
    service,
    workload,
    pods,
    claims,
    routes,
    mountedConfig: source ? { source: `${source.kind.toLowerCase()}/${source.name}`, text: configText(configObj) } : undefined,
    operatorConfig,
    clusterOperator,
    imageConfig,
    mirrorPolicies,
    console: consoleRoute || consoleDC ? { route: consoleRoute, deploymentConfig: consoleDC, oauthClient, certSecret } : undefined,
  };
}

type Volume = { name: string; persistentVolumeClaim?: { claimName?: string }; secret?: { secretName?: string } } & Record<string, unknown>;

export function volumesOf(w: KubeObject): Volume[] {
  return (((w.spec as { template?: { spec?: { volumes?: Volume[] } } })?.template?.spec?.volumes ?? []) as Volume[]);
}

/** The secret mounted at `path` in the workload's first container. */
function secretVolumeAt(w: KubeObject, path: string): string | undefined {
  const spec = (w.spec as { template?: { spec?: { containers?: { volumeMounts?: { name: string; mountPath: string }[] }[] } } })?.template?.spec;
  const mount = spec?.containers?.[0]?.volumeMounts?.find((m) => m.mountPath.replace(/\/$/, '') === path);
  return mount ? volumesOf(w).find((v) => v.name === mount.name)?.secret?.secretName : undefined;
}
