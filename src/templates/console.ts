// The 3.x registry console: the objects of openshift-ansible's `registry-console` template
// (shared/REFERENCE.md §1), per template release, plus the passthrough route and the
// certificate secret the documents add by hand. Pure: options in, plain objects out.
import type { KubeObject } from '../plan/types.js';
import { passthroughRoute } from './route.js';

export const CONSOLE_NAME = 'registry-console';
export const CONSOLE_ROUTE = 'registry-console';
export const REGISTRY_ROUTE = 'docker-registry';
export const OAUTH_CLIENT_ID = 'cockpit-oauth-client';
export const CERT_SECRET = 'console-secret';
export const CERT_VOLUME = 'console-secret';
/** cockpit-ws loads the last `*.cert` file (alphabetically) in this directory. */
export const CERT_DIR = '/etc/cockpit/ws-certs.d';
export const CONTAINER_PORT = 9090;
export const SERVICE_PORT = 9000;
export const DEBUG_ENV = { name: 'G_MESSAGES_DEBUG', value: 'cockpit-ws,cockpit-wrapper' } as const;
/** The template's own label, applied by `oc process` to every object (and the DC's pod template). */
export const TEMPLATE_LABELS = { createdBy: 'registry-console-template' } as const;
const NAME_LABELS = { name: CONSOLE_NAME } as const;

/** Which template file to follow: `minor` of 3.x (origin 1.x counts as 3.x), and the flavour. */
export interface ConsoleRelease {
  minor: number;
  enterprise: boolean;
}

/**
 * The ImageStream is in v1.3–v1.5 (3.3–3.5), v3.6–v3.8 enterprise and v3.7–v3.9 origin; commit
 * 584f38664 removed it from the newer enterprise files and from 3.10+ (REFERENCE §1.3).
 */
export function hasImageStream(r: ConsoleRelease): boolean {
  if (r.minor <= 5) return true;
  if (r.minor >= 10) return false;
  if (r.enterprise) return r.minor <= 8;
  return r.minor >= 7;
}

/** `node-role.kubernetes.io/master: 'true'` (commit 578175f53): v3.6 origin, v3.9 enterprise, 3.10+. */
export function runsOnMasters(r: ConsoleRelease): boolean {
  if (r.minor >= 10) return true;
  return r.enterprise ? r.minor === 9 : r.minor === 6;
}

/**
 * The default image. `cockpit/kubernetes` (the old origin default) is gone from Docker Hub
 * (openshift-ansible#12115), so origin uses the Red Hat image as openshift-ansible 3.11 does:
 * tag `vX.Y` for origin, the full version for enterprise; 3.3–3.5 are tagged `3.X`.
 */
export function defaultConsoleImage(r: ConsoleRelease, fullVersion?: string): string {
  const repo = 'registry.access.redhat.com/openshift3/registry-console';
  if (r.minor <= 5) return `${repo}:3.${r.minor}`;
  const full = fullVersion && new RegExp(`^v3\\.${r.minor}\\.\\d+`).exec(fullVersion)?.[0];
  return `${repo}:${r.enterprise && full ? full : `v3.${r.minor}`}`;
}

/** The tag of an image reference (`latest` when it has none; a digest when pinned by one). */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(at + 1).replace(/^sha256:/, '').slice(0, 12);
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  return colon >= 0 ? image.slice(colon + 1) : 'latest';
}

export interface ConsoleCert {
  /** The secret key: a file name ending in `.cert`. */
  fileName: string;
  /** The whole `.cert` file: certificates, then the private key. */
  content: string;
}

export interface ConsoleOptions {
  namespace: string;
  release: ConsoleRelease;
  image: string;
  /** OPENSHIFT_OAUTH_PROVIDER_URL: the master's public API URL. */
  oauthProviderURL: string;
  /** REGISTRY_HOST: the docker-registry route's host. */
  registryHost: string;
  /** The registry-console route's host; COCKPIT_KUBE_URL is `https://` + it. */
  consoleHost: string;
  /** OPENSHIFT_OAUTH_CLIENT_SECRET: `user` + 64 alphanumerics, made by the command. */
  oauthSecret: string;
  cert?: ConsoleCert;
  debug: boolean;
}

export function consoleURL(consoleHost: string): string {
  return `https://${consoleHost}`;
}

/** `oc create route passthrough --service registry-console --port registry-console`; no host unless asked. */
export function consoleRoute(o: { namespace: string; hostname?: string }): KubeObject {
  // Edge and reencrypt break the OAuth login (openshift-ansible#8276): cockpit-ws must see TLS itself.
  const route = passthroughRoute({ namespace: o.namespace, service: CONSOLE_NAME, hostname: o.hostname, targetPort: CONSOLE_NAME, labels: { ...NAME_LABELS } });
  return { ...route, metadata: { ...route.metadata, name: CONSOLE_ROUTE } };
}

/** The template's env, in its order; `--debug` appends what `oc set env` would. */
export function consoleEnv(o: Pick<ConsoleOptions, 'oauthProviderURL' | 'registryHost' | 'debug'>): { name: string; value: string }[] {
  const env = [
    { name: 'OPENSHIFT_OAUTH_PROVIDER_URL', value: o.oauthProviderURL },
    { name: 'OPENSHIFT_OAUTH_CLIENT_ID', value: OAUTH_CLIENT_ID },
    { name: 'KUBERNETES_INSECURE', value: 'false' },
    { name: 'COCKPIT_KUBE_INSECURE', value: 'false' },
    { name: 'REGISTRY_ONLY', value: 'true' },
    { name: 'REGISTRY_HOST', value: o.registryHost },
  ];
  if (o.debug) env.push({ ...DEBUG_ENV });
  return env;
}

export function certVolume(): Record<string, unknown> {
  return { name: CERT_VOLUME, secret: { secretName: CERT_SECRET } };
}

export function certVolumeMount(): Record<string, unknown> {
  return { name: CERT_VOLUME, mountPath: CERT_DIR };
}

const probe = (extra: Record<string, number>) => ({
  httpGet: { path: '/ping', port: CONTAINER_PORT, scheme: 'HTTP' },
  ...extra,
  periodSeconds: 10,
  timeoutSeconds: 5,
  successThreshold: 1,
  failureThreshold: 3,
});

export function consoleDeploymentConfig(o: ConsoleOptions): KubeObject {
  const container: Record<string, unknown> = {
    name: CONSOLE_NAME,
    image: o.image,
    ports: [{ containerPort: CONTAINER_PORT, protocol: 'TCP' }],
    livenessProbe: probe({ initialDelaySeconds: 10 }),
    readinessProbe: probe({}),
    env: consoleEnv(o),
  };
  if (o.cert) container.volumeMounts = [certVolumeMount()];
  const podSpec: Record<string, unknown> = { containers: [container] };
  if (o.cert) podSpec.volumes = [certVolume()];
  if (runsOnMasters(o.release)) podSpec.nodeSelector = { 'node-role.kubernetes.io/master': 'true' };
  return {
    apiVersion: 'apps.openshift.io/v1',
    kind: 'DeploymentConfig',
    metadata: { name: CONSOLE_NAME, namespace: o.namespace, labels: { ...NAME_LABELS, ...TEMPLATE_LABELS } },
    spec: {
      triggers: [{ type: 'ConfigChange' }],
      replicas: 1,
      selector: { ...NAME_LABELS },
      template: { metadata: { labels: { ...NAME_LABELS, ...TEMPLATE_LABELS } }, spec: podSpec },
    },
  };
}

export function consoleService(o: Pick<ConsoleOptions, 'namespace'>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: CONSOLE_NAME, namespace: o.namespace, labels: { ...NAME_LABELS, ...TEMPLATE_LABELS } },
    spec: {
      type: 'ClusterIP',
      // Service port 9000 in front of container port 9090 (aws-quickstart#93 trips on it).
      ports: [{ name: CONSOLE_NAME, protocol: 'TCP', port: SERVICE_PORT, targetPort: CONTAINER_PORT }],
      selector: { ...NAME_LABELS },
    },
  };
}

export function consoleImageStream(o: Pick<ConsoleOptions, 'namespace' | 'image'>): KubeObject {
  return {
    apiVersion: 'image.openshift.io/v1',
    kind: 'ImageStream',
    metadata: { name: CONSOLE_NAME, namespace: o.namespace, labels: { ...TEMPLATE_LABELS }, annotations: { description: 'Atomic Registry console' } },
    spec: { tags: [{ annotations: null, from: { kind: 'DockerImage', name: o.image }, name: imageTag(o.image) }] },
  };
}

/**
 * The template writes `respondWithChallenges: false` inside metadata, where the server drops
 * it; here it sits at the top level, where it means something (and false is what was meant).
 */
export function consoleOAuthClient(o: Pick<ConsoleOptions, 'consoleHost' | 'oauthSecret'>): KubeObject {
  return {
    apiVersion: 'oauth.openshift.io/v1',
    kind: 'OAuthClient',
    metadata: { name: OAUTH_CLIENT_ID, labels: { ...TEMPLATE_LABELS } },
    secret: o.oauthSecret,
    // Exactly the route URL: anything else fails the login with invalid_request (openshift-ansible#3167).
    redirectURIs: [consoleURL(o.consoleHost)],
    respondWithChallenges: false,
  };
}

/** `oc secrets new console-secret console.cert`: one key, the file's name. */
export function consoleCertSecret(o: Pick<ConsoleOptions, 'namespace'> & { cert: ConsoleCert }): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: CERT_SECRET, namespace: o.namespace, labels: { ...NAME_LABELS } },
    type: 'Opaque',
    data: { [o.cert.fileName]: Buffer.from(o.cert.content).toString('base64') },
  };
}

/** The console's objects in the order they are created: the secret before the pods that mount it. */
export function consoleObjects(o: ConsoleOptions): KubeObject[] {
  const objs: KubeObject[] = [];
  if (o.cert) objs.push(consoleCertSecret({ namespace: o.namespace, cert: o.cert }));
  objs.push(consoleDeploymentConfig(o), consoleService(o));
  if (hasImageStream(o.release)) objs.push(consoleImageStream(o));
  objs.push(consoleOAuthClient(o));
  return objs;
}

/** `user` + 64 characters of [a-zA-Z0-9], as the template's generator `user[a-zA-Z0-9]{64}`. */
export function oauthClientSecret(randomBytes: (n: number) => Uint8Array): string {
  const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  while (out.length < 64) {
    for (const b of randomBytes(96)) {
      // 248 = 4 × 62: bytes above it would favour the first letters.
      if (b < 248 && out.length < 64) out += ALNUM[b % 62];
    }
  }
  return 'user' + out;
}
