// The registry's objects, as `oc adm registry` builds them (shared/OC-ADM-REGISTRY.md §2):
// pure functions from options to plain objects. No clock, no randomness, no I/O: the command
// hands in the HTTP secret and any PEM contents.
import type { KubeObject } from '../plan/types.js';
import type { PortSpec } from '../validate.js';

export const REGISTRY_NAME = 'docker-registry';
export const REGISTRY_ROLE_BINDING = 'registry-registry-role';
export const REGISTRY_CONTAINER = 'registry';
export const STORAGE_VOLUME = 'registry-storage';
export const DEFAULT_LABELS = { 'docker-registry': 'default' } as const;
export const DEFAULT_REQUESTS = { cpu: '100m', memory: '256Mi' } as const;
/** The OpenShift registry image stores under /registry (its built-in config.yml). */
export const OPENSHIFT_ROOT_DIRECTORY = '/registry';

/** Which kind of cluster the objects are for; OpenShift 4 is the operator's (templates/operator.ts). */
export type RegistryPlatform = 'openshift3' | 'kubernetes';
export type WorkloadKind = 'DeploymentConfig' | 'DaemonSet' | 'Deployment';

export type Storage =
  | { type: 'emptyDir' }
  | { type: 'hostPath'; path: string }
  | { type: 'pvc'; claim: string }
  | { type: 'nfs'; server: string; path: string };

export interface RegistryTLS {
  certPem: string;
  keyPem: string;
}

export interface RegistryOptions {
  platform: RegistryPlatform;
  workload: WorkloadKind;
  namespace: string;
  serviceAccount: string;
  image: string;
  replicas: number;
  ports: PortSpec[];
  labels: Record<string, string>;
  nodeSelector?: Record<string, string>;
  volumePath: string;
  storage: Storage;
  clusterIP?: string;
  enforceQuota: boolean;
  fsGroup?: number;
  supplementalGroups?: number[];
  tls?: RegistryTLS;
  /** REGISTRY_HTTP_SECRET: random per deploy, made by the command. */
  httpSecret: string;
  requests: Record<string, string>;
  limits?: Record<string, string>;
}

type Env = { name: string; value: string };

export function registryServiceAccount(o: Pick<RegistryOptions, 'serviceAccount' | 'namespace'>): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: o.serviceAccount, namespace: o.namespace } };
}

/** Binds the service account to `system:registry` (OpenShift only: the role does not exist elsewhere). */
export function registryRoleBinding(o: Pick<RegistryOptions, 'serviceAccount' | 'namespace'>): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: REGISTRY_ROLE_BINDING },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:registry' },
    subjects: [{ kind: 'ServiceAccount', name: o.serviceAccount, namespace: o.namespace }],
  };
}

/** `--tls-certificate`/`--tls-key`: the secret `oc adm registry` creates, `registry-certs`. */
export const TLS_SECRET = 'registry-certs';
export const TLS_VOLUME = 'server-certificate';
export const TLS_MOUNT = '/etc/pki/tls/private';

export function registryTLSSecret(o: Pick<RegistryOptions, 'namespace' | 'labels'> & { tls: RegistryTLS }): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: TLS_SECRET, namespace: o.namespace, labels: { ...o.labels } },
    type: 'kubernetes.io/tls',
    data: {
      'tls.crt': Buffer.from(o.tls.certPem).toString('base64'),
      'tls.key': Buffer.from(o.tls.keyPem).toString('base64'),
    },
  };
}

function storageVolume(s: Storage): Record<string, unknown> {
  switch (s.type) {
    case 'emptyDir':
      return { name: STORAGE_VOLUME, emptyDir: {} };
    case 'hostPath':
      return { name: STORAGE_VOLUME, hostPath: { path: s.path } };
    case 'pvc':
      return { name: STORAGE_VOLUME, persistentVolumeClaim: { claimName: s.claim } };
    case 'nfs':
      return { name: STORAGE_VOLUME, nfs: { server: s.server, path: s.path } };
  }
}

function registryEnv(o: RegistryOptions): Env[] {
  const port = o.ports[0]!.containerPort;
  const env: Record<string, string> = {
    REGISTRY_HTTP_ADDR: `:${port}`,
    REGISTRY_HTTP_NET: 'tcp',
    REGISTRY_HTTP_SECRET: o.httpSecret,
  };
  if (o.tls) {
    env.REGISTRY_HTTP_TLS_CERTIFICATE = `${TLS_MOUNT}/tls.crt`;
    env.REGISTRY_HTTP_TLS_KEY = `${TLS_MOUNT}/tls.key`;
  }
  if (o.platform === 'openshift3') {
    env.REGISTRY_MIDDLEWARE_REPOSITORY_OPENSHIFT_ENFORCEQUOTA = String(o.enforceQuota);
    // The image's own config stores under /registry; follow --volume when it moves.
    if (o.volumePath !== OPENSHIFT_ROOT_DIRECTORY) env.REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY = o.volumePath;
  } else {
    // The upstream registry keeps data in /var/lib/registry unless told, and needs delete
    // enabled for garbage collection.
    env.REGISTRY_STORAGE_DELETE_ENABLED = 'true';
    env.REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY = o.volumePath;
  }
  // oc builds env from a map and sorts it by name.
  return Object.keys(env)
    .sort()
    .map((name) => ({ name, value: env[name]! }));
}

/** OpenShift's registry answers /healthz; the upstream registry answers 200 on /. */
function healthPath(o: RegistryOptions): string {
  return o.platform === 'openshift3' ? '/healthz' : '/';
}

export function registryPodTemplate(o: RegistryOptions): Record<string, unknown> {
  const port = o.ports[0]!.containerPort;
  const httpGet = { path: healthPath(o), port, ...(o.tls ? { scheme: 'HTTPS' } : {}) };
  const volumes: Record<string, unknown>[] = [];
  const mounts: Record<string, unknown>[] = [];
  if (o.tls) {
    volumes.push({ name: TLS_VOLUME, secret: { secretName: TLS_SECRET } });
    mounts.push({ name: TLS_VOLUME, readOnly: true, mountPath: TLS_MOUNT });
  }
  volumes.push(storageVolume(o.storage));
  mounts.push({ name: STORAGE_VOLUME, mountPath: o.volumePath });

  const container: Record<string, unknown> = {
    name: REGISTRY_CONTAINER,
    image: o.image,
    ports: o.ports.map((p) => (p.hostPort ? { containerPort: p.containerPort, hostPort: p.hostPort } : { containerPort: p.containerPort })),
    env: registryEnv(o),
    livenessProbe: { httpGet, initialDelaySeconds: 10, timeoutSeconds: 5 },
    readinessProbe: { httpGet, timeoutSeconds: 5 },
    resources: { requests: { ...o.requests }, ...(o.limits ? { limits: { ...o.limits } } : {}) },
    volumeMounts: mounts,
  };
  // OpenShift's restricted SCC forbids host paths; the documents run the container privileged
  // (and the SA in the privileged SCC). Plain Kubernetes needs no privilege for a hostPath.
  if (o.platform === 'openshift3') container.securityContext = { privileged: o.storage.type === 'hostPath' };

  const podSecurity: Record<string, unknown> = {};
  if (o.fsGroup !== undefined) podSecurity.fsGroup = o.fsGroup;
  if (o.supplementalGroups?.length) podSecurity.supplementalGroups = [...o.supplementalGroups];

  const spec: Record<string, unknown> = {
    ...(o.nodeSelector && Object.keys(o.nodeSelector).length ? { nodeSelector: { ...o.nodeSelector } } : {}),
    serviceAccountName: o.serviceAccount,
    ...(o.platform === 'openshift3' ? { serviceAccount: o.serviceAccount } : {}),
    securityContext: podSecurity,
    containers: [container],
    volumes,
  };
  return { metadata: { labels: { ...o.labels } }, spec };
}

export function registryWorkload(o: RegistryOptions): KubeObject {
  const metadata = { name: REGISTRY_NAME, namespace: o.namespace, labels: { ...o.labels } };
  const template = registryPodTemplate(o);
  switch (o.workload) {
    case 'DeploymentConfig':
      return {
        apiVersion: 'apps.openshift.io/v1',
        kind: 'DeploymentConfig',
        metadata,
        spec: {
          replicas: o.replicas,
          selector: { ...o.labels },
          strategy: { resources: {} },
          template,
          test: false,
          triggers: [{ type: 'ConfigChange' }],
        },
      };
    case 'DaemonSet':
      return { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata, spec: { selector: { matchLabels: { ...o.labels } }, template } };
    case 'Deployment':
      return {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata,
        spec: {
          replicas: o.replicas,
          selector: { matchLabels: { ...o.labels } },
          // A hostPath or a ReadWriteOnce claim cannot be held by two pods during a rolling update.
          ...(o.storage.type === 'hostPath' || o.storage.type === 'pvc' ? { strategy: { type: 'Recreate' } } : {}),
          template,
        },
      };
  }
}

/** The Service: the lowest container port only, named `<port>-tcp`, client-IP affinity (seed 003). */
export function registryService(o: RegistryOptions): KubeObject {
  const port = Math.min(...o.ports.map((p) => p.containerPort));
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: REGISTRY_NAME, namespace: o.namespace, labels: { ...o.labels } },
    spec: {
      ...(o.clusterIP ? { clusterIP: o.clusterIP } : {}),
      ports: [{ name: `${port}-tcp`, port, targetPort: port }],
      selector: { ...o.labels },
      sessionAffinity: 'ClientIP',
    },
  };
}

/** Everything, in the order `oc adm registry` creates it. */
export function registryObjects(o: RegistryOptions): KubeObject[] {
  const objects: KubeObject[] = [];
  if (o.tls) objects.push(registryTLSSecret({ ...o, tls: o.tls }));
  objects.push(registryServiceAccount(o));
  if (o.platform === 'openshift3') objects.push(registryRoleBinding(o));
  objects.push(registryWorkload(o));
  objects.push(registryService(o));
  return objects;
}
