// "Securing the Registry" (seed 003) as pure object edits: the certificates Secret, the link
// to service accounts, and the workload serving TLS from it. Options and live objects in, new
// objects out; nothing read or written, no clock.
import type { KubeObject } from '../plan/types.js';
import type { Step } from '../plan/types.js';
import { REGISTRY_CONTAINER } from './registry.js';

export const CERTS_SECRET = 'registry-certificates';
export const CERTS_VOLUME = 'registry-certificates';
export const CERTS_MOUNT = '/etc/secrets';
export const TLS_ENV = {
  REGISTRY_HTTP_TLS_CERTIFICATE: `${CERTS_MOUNT}/registry.crt`,
  REGISTRY_HTTP_TLS_KEY: `${CERTS_MOUNT}/registry.key`,
} as const;

/** The Secret `oc secrets new registry-certificates registry.crt registry.key` makes (type Opaque). */
export function registryCertificatesSecret(o: { namespace: string; labels?: Record<string, string>; certPem: string; keyPem: string }): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: CERTS_SECRET, namespace: o.namespace, ...(o.labels && Object.keys(o.labels).length ? { labels: { ...o.labels } } : {}) },
    type: 'Opaque',
    data: {
      'registry.crt': Buffer.from(o.certPem).toString('base64'),
      'registry.key': Buffer.from(o.keyPem).toString('base64'),
    },
  };
}

/** `oc secrets add serviceaccounts/<sa> secrets/<secret>`: a JSON patch that appends, or undefined when linked already. */
export function linkSecretStep(sa: KubeObject, secretName = CERTS_SECRET): Step | undefined {
  const secrets = (sa as { secrets?: { name?: string }[] | null }).secrets;
  if (secrets?.some((s) => s.name === secretName)) return undefined;
  const patch = secrets ? [{ op: 'add', path: '/secrets/-', value: { name: secretName } }] : [{ op: 'add', path: '/secrets', value: [{ name: secretName }] }];
  const after = { ...structuredClone(sa), secrets: [...(secrets ?? []), { name: secretName }] } as KubeObject;
  return { kind: 'patch', describe: `link secret ${secretName} to service account ${sa.metadata.name}`, live: sa, patchType: 'json', patch, after };
}

type Container = {
  name: string;
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
  livenessProbe?: { httpGet?: { scheme?: string } };
  readinessProbe?: { httpGet?: { scheme?: string } };
  ports?: { containerPort: number }[];
};
type PodSpec = { containers: Container[]; volumes?: { name: string; [k: string]: unknown }[]; serviceAccountName?: string; serviceAccount?: string };

export function podSpecOf(workload: KubeObject): PodSpec | undefined {
  return (workload as { spec?: { template?: { spec?: PodSpec } } }).spec?.template?.spec;
}

/** The registry container: named `registry`, else the only one. */
export function registryContainer(spec: PodSpec): Container | undefined {
  return spec.containers.find((c) => c.name === REGISTRY_CONTAINER) ?? (spec.containers.length === 1 ? spec.containers[0] : undefined);
}

/** The service account the registry pods run as (`registry` unless deployed otherwise). */
export function workloadServiceAccount(workload: KubeObject): string {
  const spec = podSpecOf(workload);
  return spec?.serviceAccountName ?? spec?.serviceAccount ?? 'default';
}

/**
 * The workload serving TLS from the Secret: secret volume at /etc/secrets, the two
 * REGISTRY_HTTP_TLS_* variables, HTTPS liveness and readiness probes. Everything else is kept.
 * Returns the same object (by value) when it is secured already.
 */
export function secureWorkload(workload: KubeObject, secretName = CERTS_SECRET): KubeObject {
  const next = structuredClone(workload);
  const spec = podSpecOf(next);
  const c = spec && registryContainer(spec);
  if (!spec || !c) throw new Error(`${workload.kind} ${workload.metadata.name} has no registry container`);

  // defaultMode as the API server fills it in, so the object printed is the object stored.
  const volume = { name: CERTS_VOLUME, secret: { secretName, defaultMode: 0o644 } };
  spec.volumes = [...(spec.volumes ?? []).filter((v) => v.name !== CERTS_VOLUME), volume];
  const mount = { name: CERTS_VOLUME, mountPath: CERTS_MOUNT, readOnly: true };
  c.volumeMounts = [...(c.volumeMounts ?? []).filter((m) => m.name !== CERTS_VOLUME && m.mountPath !== CERTS_MOUNT), mount];

  const env = [...(c.env ?? [])];
  for (const [name, value] of Object.entries(TLS_ENV)) {
    const i = env.findIndex((e) => e.name === name);
    if (i >= 0) env[i] = { name, value };
    else env.push({ name, value });
  }
  c.env = env;

  for (const probe of [c.livenessProbe, c.readinessProbe]) {
    if (probe?.httpGet) probe.httpGet.scheme = 'HTTPS';
  }
  // Keep the live object's order where nothing changed, so a secured workload compares equal.
  if (isSecured(workload, secretName)) return workload;
  return next;
}

/** Does the workload already serve TLS from the Secret, as secureWorkload would leave it? */
export function isSecured(workload: KubeObject, secretName = CERTS_SECRET): boolean {
  const spec = podSpecOf(workload);
  const c = spec && registryContainer(spec);
  if (!spec || !c) return false;
  const vol = spec.volumes?.find((v) => v.name === CERTS_VOLUME) as { secret?: { secretName?: string } } | undefined;
  const mount = c.volumeMounts?.find((m) => m.name === CERTS_VOLUME);
  const envOk = Object.entries(TLS_ENV).every(([name, value]) => c.env?.some((e) => e.name === name && e.value === value && e.valueFrom === undefined));
  const probesOk = [c.livenessProbe, c.readinessProbe].every((p) => !p?.httpGet || p.httpGet.scheme === 'HTTPS');
  return vol?.secret?.secretName === secretName && mount?.mountPath === CERTS_MOUNT && envOk && probesOk;
}

/** The addresses nodes pull from the registry by (seed 003 step 11): `<service IP>:<port>` and the service's full name. */
export function registryAddresses(o: { clusterIP: string; port: number; namespace: string }): string[] {
  const host = o.clusterIP.includes(':') ? `[${o.clusterIP}]` : o.clusterIP;
  return [`${host}:${o.port}`, `docker-registry.${o.namespace}.svc.cluster.local:${o.port}`];
}

/** Where docker on a node looks for the registry's CA. */
export function certsDirs(o: { certsD: string; clusterIP: string; port: number; namespace: string }): string[] {
  return registryAddresses(o).map((a) => `${o.certsD}/${a}`);
}
