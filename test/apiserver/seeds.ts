// What a fresh cluster of each kind already holds, as far as regctl looks at it.
import type { KubeObject } from '../../src/plan/types.js';
import { DEFAULT_OPENSHIFT4_VERSION, type Profile } from './discovery.js';

export function defaultNamespaces(profile: Profile): string[] {
  const base = ['default', 'kube-system'];
  return profile === 'openshift4' ? [...base, 'openshift-image-registry', 'openshift-config'] : base;
}

export function serviceCIDR(profile: Profile): string {
  return profile === 'kubernetes' ? '10.96.0.0/12' : '172.30.0.0/16';
}

/** The first address of the service range belongs to the `kubernetes` Service, as on every cluster. */
export function kubernetesService(firstIP: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      clusterIP: firstIP,
      clusterIPs: [firstIP],
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
      sessionAffinity: 'None',
      type: 'ClusterIP',
    },
    status: { loadBalancer: {} },
  };
}

function clusterRole(name: string, rules: Record<string, unknown>[]): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } },
    rules,
  };
}

const IMAGE_GROUPS = ['', 'image.openshift.io'];

/** The bootstrap cluster roles a client may bind to (rules abridged to the registry's concerns). */
export function clusterRoles(profile: Profile): KubeObject[] {
  const roles = [
    clusterRole('cluster-admin', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }]),
    clusterRole('admin', [{ apiGroups: ['', 'apps', 'rbac.authorization.k8s.io'], resources: ['*'], verbs: ['*'] }]),
    clusterRole('edit', [{ apiGroups: ['', 'apps'], resources: ['*'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] }]),
    clusterRole('view', [{ apiGroups: ['', 'apps'], resources: ['*'], verbs: ['get', 'list', 'watch'] }]),
  ];
  if (profile === 'kubernetes') return roles;
  // OpenShift's admin and edit also read and write image streams, and push and pull their layers.
  const images = { apiGroups: IMAGE_GROUPS, resources: ['imagestreamimages', 'imagestreammappings', 'imagestreams', 'imagestreams/secrets', 'imagestreamtags', 'imagestreams/layers'], verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] };
  for (const r of roles) if (r.metadata.name === 'admin' || r.metadata.name === 'edit') (r.rules as unknown[]).push(images);
  return [
    ...roles,
    clusterRole('system:registry', [
      { apiGroups: [''], resources: ['limitranges', 'resourcequotas'], verbs: ['list'] },
      { apiGroups: IMAGE_GROUPS, resources: ['imagestreamimages', 'imagestreams/secrets', 'imagestreamtags', 'imagestreams', 'images'], verbs: ['get', 'list'] },
      { apiGroups: IMAGE_GROUPS, resources: ['imagestreammappings', 'imagestreams'], verbs: ['create', 'update'] },
    ]),
    clusterRole('system:image-builder', [{ apiGroups: IMAGE_GROUPS, resources: ['imagestreams/layers'], verbs: ['get', 'update'] }, { apiGroups: IMAGE_GROUPS, resources: ['imagestreams'], verbs: ['create'] }]),
    clusterRole('system:image-puller', [{ apiGroups: IMAGE_GROUPS, resources: ['imagestreams/layers'], verbs: ['get'] }]),
    clusterRole('system:image-pusher', [{ apiGroups: IMAGE_GROUPS, resources: ['imagestreams/layers'], verbs: ['get', 'update'] }]),
    clusterRole('registry-admin', [{ apiGroups: IMAGE_GROUPS, resources: ['imagestreams', 'imagestreams/layers', 'imagestreamtags', 'imagestreamimages'], verbs: ['*'] }]),
    clusterRole('registry-editor', [{ apiGroups: IMAGE_GROUPS, resources: ['imagestreams', 'imagestreams/layers', 'imagestreamtags', 'imagestreamimages'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] }]),
    clusterRole('registry-viewer', [{ apiGroups: IMAGE_GROUPS, resources: ['imagestreams', 'imagestreams/layers', 'imagestreamtags', 'imagestreamimages'], verbs: ['get', 'list', 'watch'] }]),
  ];
}

function scc(name: string, fields: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'security.openshift.io/v1',
    kind: 'SecurityContextConstraints',
    metadata: { name, annotations: { 'kubernetes.io/description': `${name} SCC` } },
    ...fields,
  };
}

export function openshiftSeeds(): KubeObject[] {
  return [
    scc('privileged', {
      allowHostDirVolumePlugin: true,
      allowHostIPC: true,
      allowHostNetwork: true,
      allowHostPID: true,
      allowHostPorts: true,
      allowPrivilegedContainer: true,
      allowedCapabilities: ['*'],
      fsGroup: { type: 'RunAsAny' },
      groups: ['system:cluster-admins', 'system:nodes', 'system:masters'],
      priority: null,
      readOnlyRootFilesystem: false,
      runAsUser: { type: 'RunAsAny' },
      seLinuxContext: { type: 'RunAsAny' },
      supplementalGroups: { type: 'RunAsAny' },
      users: ['system:admin', 'system:serviceaccount:openshift-infra:build-controller'],
      volumes: ['*'],
    }),
    scc('restricted', {
      allowHostDirVolumePlugin: false,
      allowHostIPC: false,
      allowHostNetwork: false,
      allowHostPID: false,
      allowHostPorts: false,
      allowPrivilegedContainer: false,
      allowedCapabilities: null,
      fsGroup: { type: 'MustRunAs' },
      groups: ['system:authenticated'],
      priority: null,
      readOnlyRootFilesystem: false,
      requiredDropCapabilities: ['KILL', 'MKNOD', 'SETUID', 'SETGID'],
      runAsUser: { type: 'MustRunAsRange' },
      seLinuxContext: { type: 'MustRunAs' },
      supplementalGroups: { type: 'RunAsAny' },
      users: [],
      volumes: ['configMap', 'downwardAPI', 'emptyDir', 'persistentVolumeClaim', 'projected', 'secret'],
    }),
  ];
}

const T0 = '2026-01-01T00:00:00Z';

function condition(type: string, status: string, reason: string, message: string): Record<string, string> {
  return { type, status, lastTransitionTime: T0, reason, message };
}

function pool(name: string): KubeObject {
  return {
    apiVersion: 'machineconfiguration.openshift.io/v1',
    kind: 'MachineConfigPool',
    metadata: { name, labels: { [`pools.operator.machineconfiguration.openshift.io/${name}`]: '' } },
    spec: {
      configuration: { name: `rendered-${name}-0a1b2c3d4e5f` },
      machineConfigSelector: { matchLabels: { 'machineconfiguration.openshift.io/role': name } },
      nodeSelector: { matchLabels: { [`node-role.kubernetes.io/${name}`]: '' } },
      paused: false,
    },
    status: {
      conditions: [
        condition('Updated', 'True', '', `All nodes are updated with rendered-${name}-0a1b2c3d4e5f`),
        condition('Updating', 'False', '', ''),
        condition('Degraded', 'False', '', ''),
      ],
      configuration: { name: `rendered-${name}-0a1b2c3d4e5f` },
      machineCount: 3,
      readyMachineCount: 3,
      updatedMachineCount: 3,
      unavailableMachineCount: 0,
      degradedMachineCount: 0,
      observedGeneration: 1,
    },
  };
}

export function openshift4Seeds(version = DEFAULT_OPENSHIFT4_VERSION): KubeObject[] {
  const minor = version.split('.').slice(0, 2).join('.');
  return [
    {
      apiVersion: 'imageregistry.operator.openshift.io/v1',
      kind: 'Config',
      metadata: { name: 'cluster' },
      spec: { managementState: 'Removed', replicas: 1, storage: {}, logLevel: 'Normal', operatorLogLevel: 'Normal', rolloutStrategy: 'RollingUpdate', httpSecret: '0123456789abcdef' },
      status: { readyReplicas: 0, storage: {}, storageManaged: false, conditions: [condition('Available', 'True', 'Removed', 'The registry is removed')] },
    },
    {
      apiVersion: 'config.openshift.io/v1',
      kind: 'Image',
      metadata: { name: 'cluster' },
      spec: {},
      status: { internalRegistryHostname: 'image-registry.openshift-image-registry.svc:5000' },
    },
    {
      apiVersion: 'config.openshift.io/v1',
      kind: 'ClusterOperator',
      metadata: { name: 'image-registry' },
      spec: {},
      status: {
        conditions: [
          condition('Available', 'True', 'Removed', 'Available: The registry is removed'),
          condition('Progressing', 'False', 'Removed', 'Progressing: All registry resources are removed'),
          condition('Degraded', 'False', 'Removed', ''),
        ],
        versions: [{ name: 'operator', version }],
        relatedObjects: [{ group: 'imageregistry.operator.openshift.io', resource: 'configs', name: 'cluster' }],
      },
    },
    {
      apiVersion: 'config.openshift.io/v1',
      kind: 'ClusterVersion',
      metadata: { name: 'version' },
      spec: { channel: `stable-${minor}`, clusterID: '6c1b7f4e-0000-4000-8000-000000000000' },
      status: {
        desired: { version, image: 'quay.io/openshift-release-dev/ocp-release@sha256:0000000000000000000000000000000000000000000000000000000000000000' },
        conditions: [condition('Available', 'True', '', `Done applying ${version}`), condition('Progressing', 'False', '', `Cluster version is ${version}`)],
        history: [{ state: 'Completed', version, startedTime: T0, completionTime: T0, verified: false, image: 'quay.io/openshift-release-dev/ocp-release@sha256:0' }],
      },
    },
    pool('master'),
    pool('worker'),
  ];
}
