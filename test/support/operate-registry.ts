// A running registry as a cluster holds it once deployed and started, for the read-only
// commands (logs, status, metrics, prefetch): the objects regctl deploy makes (src/templates),
// plus what the controllers and kubelet add (pods Running and Ready, their QoS class, the 4.x
// operator's Config status and clusteroperator conditions). Healthy unless the test breaks it.
import type { KubeObject } from '../../src/objects.js';
import { registryObjects, type RegistryOptions, type Storage, type WorkloadKind } from '../../src/templates/registry.js';
import { registryOptions as deployOptions } from './registry-fixtures.js';

export type Flavour = 'openshift3' | 'kubernetes' | 'openshift4';

export interface RegistryFixture {
  namespace: string;
  workload: KubeObject;
  service: KubeObject;
  pods: KubeObject[];
  objects: KubeObject[];
}

const T0 = '2026-11-29T11:00:00Z';

/** What `regctl deploy` makes (./registry-fixtures.ts), with a known service IP and a claim for storage. */
function runningOptions(over: Partial<RegistryOptions> = {}): RegistryOptions {
  return { ...deployOptions({ platform: over.platform }), clusterIP: '172.30.1.1', storage: { type: 'pvc', claim: 'registry-claim' } as Storage, ...over };
}

/** A Running, Ready pod of `workload` (what the kubelet reports). */
export function runningPod(workload: KubeObject, name: string, over: { qosClass?: string; status?: Record<string, unknown> } = {}): KubeObject {
  const template = (workload.spec as { template: { metadata: { labels: Record<string, string> }; spec: Record<string, unknown> } }).template;
  const containers = (template.spec.containers as { name: string }[]).map((c) => c.name);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: workload.metadata.namespace, labels: { ...template.metadata.labels } },
    spec: structuredClone(template.spec),
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: containers.map((c) => ({ name: c, ready: true, restartCount: 0, state: { running: { startedAt: T0 } } })),
      qosClass: over.qosClass ?? 'Burstable',
      ...over.status,
    },
  };
}

/** A PersistentVolumeClaim, bound. */
export function boundClaim(name: string, namespace: string, accessModes = ['ReadWriteMany']): KubeObject {
  return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace }, spec: { accessModes, resources: { requests: { storage: '10Gi' } } }, status: { phase: 'Bound', accessModes } };
}

/** 3.x (DeploymentConfig) or Kubernetes (Deployment) as regctl deploy makes it, or a DaemonSet. */
export function deployedRegistry(flavour: 'openshift3' | 'kubernetes', over: Partial<RegistryOptions> & { workload?: WorkloadKind } = {}): RegistryFixture {
  const o = runningOptions({
    platform: flavour,
    workload: flavour === 'openshift3' ? 'DeploymentConfig' : 'Deployment',
    ...(flavour === 'kubernetes' ? { image: 'registry:2', volumePath: '/var/lib/registry' } : {}),
    ...over,
  });
  const objects = registryObjects(o).filter((x) => x.kind !== 'RoleBinding' || flavour === 'openshift3');
  const workload = objects.find((x) => x.kind === o.workload)!;
  const service = objects.find((x) => x.kind === 'Service')!;
  const suffix = o.workload === 'DeploymentConfig' ? '1-' : o.workload === 'Deployment' ? '5d8f7c9b4-' : '';
  const pods = Array.from({ length: o.workload === 'DaemonSet' ? 2 : o.replicas }, (_, i) => runningPod(workload, `docker-registry-${suffix}${'abcde'[i]}x${i}`));
  const claim = o.storage.type === 'pvc' ? [boundClaim(o.storage.claim, o.namespace)] : [];
  return { namespace: o.namespace, workload, service, pods, objects: [...objects, ...claim, ...pods] };
}

/** OpenShift 4: the operator's Config (Managed), its clusteroperator conditions, Deployment, Service and pods. */
export function operatorRegistry(over: { replicas?: number; storage?: Record<string, unknown>; spec?: Record<string, unknown> } = {}): RegistryFixture {
  const namespace = 'openshift-image-registry';
  const replicas = over.replicas ?? 2;
  const storage = over.storage ?? { s3: { bucket: 'registry', region: 'us-east-1' } };
  const cond = (type: string, status: string, reason: string, message: string) => ({ type, status, reason, message, lastTransitionTime: T0 });
  const config: KubeObject = {
    apiVersion: 'imageregistry.operator.openshift.io/v1',
    kind: 'Config',
    metadata: { name: 'cluster' },
    spec: { managementState: 'Managed', replicas, storage, logLevel: 'Normal', operatorLogLevel: 'Normal', rolloutStrategy: 'RollingUpdate', httpSecret: '0123456789abcdef', ...over.spec },
    status: { readyReplicas: replicas, storage, storageManaged: true, conditions: [cond('Available', 'True', 'Ready', 'The registry is ready'), cond('Progressing', 'False', 'Ready', 'The registry is ready'), cond('Degraded', 'False', '', '')] },
  };
  const operator: KubeObject = {
    apiVersion: 'config.openshift.io/v1',
    kind: 'ClusterOperator',
    metadata: { name: 'image-registry' },
    spec: {},
    status: {
      conditions: [cond('Available', 'True', 'Ready', 'Available: The registry is ready'), cond('Progressing', 'False', 'Ready', 'Progressing: The registry is ready'), cond('Degraded', 'False', 'AsExpected', '')],
      versions: [{ name: 'operator', version: '4.18.5' }],
    },
  };
  const labels = { 'docker-registry': 'default' };
  const workload: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'image-registry', namespace, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: 'registry',
          containers: [
            {
              name: 'registry',
              image: 'quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:1111111111111111111111111111111111111111111111111111111111111111',
              ports: [{ containerPort: 5000, protocol: 'TCP' }],
              env: [
                { name: 'REGISTRY_HTTP_ADDR', value: ':5000' },
                { name: 'REGISTRY_HTTP_TLS_CERTIFICATE', value: '/etc/secrets/tls.crt' },
                { name: 'REGISTRY_HTTP_TLS_KEY', value: '/etc/secrets/tls.key' },
                { name: 'REGISTRY_STORAGE', value: 's3' },
              ],
              livenessProbe: { httpGet: { path: '/healthz', port: 5000, scheme: 'HTTPS' } },
              readinessProbe: { httpGet: { path: '/healthz', port: 5000, scheme: 'HTTPS' } },
              resources: { requests: { cpu: '100m', memory: '256Mi' } },
              volumeMounts: [{ name: 'registry-tls', mountPath: '/etc/secrets' }],
            },
          ],
          volumes: [{ name: 'registry-tls', projected: { sources: [{ secret: { name: 'image-registry-tls' } }] } }],
        },
      },
    },
  };
  const service: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'image-registry', namespace, annotations: { 'service.beta.openshift.io/serving-cert-secret-name': 'image-registry-tls' } },
    spec: { clusterIP: '172.30.20.30', ports: [{ name: '5000-tcp', port: 5000, targetPort: 5000 }], selector: labels, sessionAffinity: 'None' },
  };
  const pods = Array.from({ length: replicas }, (_, i) => runningPod(workload, `image-registry-79fb4469f6-${'abcde'[i]}lrln`));
  return { namespace, workload, service, pods, objects: [config, operator, workload, service, ...pods] };
}
