// apiVersion + kind → REST resource, and whether it lives in a namespace. The kinds regctl
// manages are known here, so no per-group discovery round trip is needed for them; any
// other kind is looked up once in its group version's resource list.
export interface ResourceInfo {
  resource: string;
  namespaced: boolean;
}

const NS = true;
const CLUSTER = false;
const KNOWN: Record<string, [string, boolean]> = {
  'v1/Namespace': ['namespaces', CLUSTER],
  'v1/Node': ['nodes', CLUSTER],
  'v1/Service': ['services', NS],
  'v1/ServiceAccount': ['serviceaccounts', NS],
  'v1/Secret': ['secrets', NS],
  'v1/ConfigMap': ['configmaps', NS],
  'v1/Pod': ['pods', NS],
  'v1/PersistentVolumeClaim': ['persistentvolumeclaims', NS],
  'v1/Endpoints': ['endpoints', NS],
  'v1/Event': ['events', NS],
  'v1/ReplicationController': ['replicationcontrollers', NS],
  'apps/v1/Deployment': ['deployments', NS],
  'apps/v1/DaemonSet': ['daemonsets', NS],
  'apps/v1/ReplicaSet': ['replicasets', NS],
  'networking.k8s.io/v1/Ingress': ['ingresses', NS],
  'rbac.authorization.k8s.io/v1/ClusterRole': ['clusterroles', CLUSTER],
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ['clusterrolebindings', CLUSTER],
  'rbac.authorization.k8s.io/v1/Role': ['roles', NS],
  'rbac.authorization.k8s.io/v1/RoleBinding': ['rolebindings', NS],
  'apps.openshift.io/v1/DeploymentConfig': ['deploymentconfigs', NS],
  'route.openshift.io/v1/Route': ['routes', NS],
  'security.openshift.io/v1/SecurityContextConstraints': ['securitycontextconstraints', CLUSTER],
  'image.openshift.io/v1/ImageStream': ['imagestreams', NS],
  'image.openshift.io/v1/ImageStreamTag': ['imagestreamtags', NS],
  'oauth.openshift.io/v1/OAuthClient': ['oauthclients', CLUSTER],
  'template.openshift.io/v1/Template': ['templates', NS],
  'config.openshift.io/v1/Image': ['images', CLUSTER],
  'config.openshift.io/v1/ClusterOperator': ['clusteroperators', CLUSTER],
  'config.openshift.io/v1/ClusterVersion': ['clusterversions', CLUSTER],
  'imageregistry.operator.openshift.io/v1/Config': ['configs', CLUSTER],
  'imageregistry.operator.openshift.io/v1/ImagePruner': ['imagepruners', CLUSTER],
  'machineconfiguration.openshift.io/v1/MachineConfigPool': ['machineconfigpools', CLUSTER],
  'machineconfiguration.openshift.io/v1/MachineConfig': ['machineconfigs', CLUSTER],
  'operator.openshift.io/v1alpha1/ImageContentSourcePolicy': ['imagecontentsourcepolicies', CLUSTER],
};

export function knownResource(apiVersion: string, kind: string): ResourceInfo | undefined {
  const k = KNOWN[`${apiVersion}/${kind}`];
  return k && { resource: k[0], namespaced: k[1] };
}

export function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

/** `/api/v1` or `/apis/<group>/<version>`. */
export function groupVersionPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/** Groups whose objects are custom resources (CRDs): the server refuses strategic merge patches for them. */
export const CUSTOM_RESOURCE_GROUPS = new Set(['config.openshift.io', 'imageregistry.operator.openshift.io', 'machineconfiguration.openshift.io', 'operator.openshift.io']);
