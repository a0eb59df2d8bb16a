// The registry's flags and options, shared by `deploy` (which creates the registry) and
// `reuse-ip` (which re-creates it): flags → options (validated, no I/O), the image, and what the
// documents warn about. Pure: files named by flags are read in ./inputs.ts.
import { type Command, Option } from 'commander';
import type { Platform } from '../cluster/types.js';
import { UsageError } from '../errors.js';
import {
  DEFAULT_REQUESTS,
  type RegistryOptions,
  type RegistryPlatform,
  type Storage,
  type WorkloadKind,
} from '../templates/registry.js';
import {
  collect,
  expandImageTemplate,
  isQuantity,
  parseAbsolutePath,
  parseInteger,
  parseIP,
  parseLabels,
  parseObjectName,
  parsePorts,
  parseResourceList,
} from '../validate.js';
import { compareQuantities } from '../templates/quantity.js';

export const DEFAULT_IMAGES = 'openshift/origin-${component}:${version}';
export const KUBERNETES_IMAGE = 'docker.io/library/registry:2';
export const OFFLINE_VERSION = 'v3.11';

export interface DeployFlags {
  serviceAccount: string;
  images?: string;
  latestImages?: boolean;
  type: string;
  replicas: string;
  ports: string;
  labels: string;
  selector?: string;
  volume: string;
  mountHost?: string;
  /** `true` when given without a claim (OpenShift 4: the operator creates its own). */
  pvc?: string | true;
  nfs?: string;
  clusterIp?: string;
  daemonset?: boolean;
  deployment?: boolean;
  enforceQuota?: boolean;
  fsGroup?: string;
  supplementalGroups?: string[];
  tlsCertificate?: string;
  tlsKey?: string;
  requests?: string;
  limits?: string;
  platform?: string;
  wait?: boolean;
  timeout: string;
}

/** The validated options, before the files are read (TLS) and the secret is made. */
export interface DeployOptions extends Omit<RegistryOptions, 'tls' | 'httpSecret' | 'image' | 'platform' | 'namespace'> {
  platform: Platform;
  /** The image template, expanded once the version is known. */
  imageTemplate: string;
  component: string;
  latestImages: boolean;
  /** Set when --images was given (on Kubernetes the default image is the upstream registry). */
  imagesGiven: boolean;
  tlsCertificatePath?: string;
  tlsKeyPath?: string;
  workloadGiven: boolean;
  /** deploy --claim-size: create the --pvc claim when it does not exist. */
  claimSize?: string;
  wait: boolean;
  timeoutSeconds: number;
}


/** The flags that shape the registry's objects: `deploy` and `reuse-ip` (which re-creates the registry) share them. */
export function addRegistryFlags(cmd: Command): Command {
  return cmd
    .option('--service-account <name>', 'service account the registry pods run as (created if missing)', 'registry')
    .option('--images <template>', 'image template; ${component} is --type, ${version} the cluster\'s OpenShift version (offline: ' + OFFLINE_VERSION + ')', undefined)
    .option('--latest-images', 'use the "latest" tag for ${version}')
    .option('--type <component>', 'the ${component} of the image template', 'docker-registry')
    .option('--replicas <n>', 'number of registry pods', '1')
    .option('--ports <ports>', 'container ports, comma separated, each PORT or PORT:HOSTPORT; the lowest is the service port', '5000')
    .option('--labels <labels>', 'labels and selector of the registry objects', 'docker-registry=default')
    .option('--selector <selector>', 'node selector for the registry pods, e.g. region=infra')
    .option('--volume <path>', 'where the storage is mounted in the container', '/registry')
    .option('--mount-host <path>', 'store images in this directory on the node (hostPath; privileged container)')
    .option('--pvc [claim]', 'store images on this persistent volume claim (OpenShift 4: without a name the operator creates image-registry-storage)')
    .option('--nfs <server:path>', 'store images on this NFS export')
    .option('--cluster-ip <ip>', "the service's cluster IP (keep a known address)")
    .option('--daemonset', 'run a DaemonSet (a registry on every selected node) instead of a DeploymentConfig')
    .option('--deployment', 'run an apps/v1 Deployment instead of a DeploymentConfig (clusters without apps.openshift.io)')
    .option('--enforce-quota', 'enforce project image quota (REGISTRY_MIDDLEWARE_REPOSITORY_OPENSHIFT_ENFORCEQUOTA=true)')
    .option('--fs-group <gid>', "pod fsGroup: the group that owns the registry's volume")
    .option('--supplemental-groups <gid>', 'pod supplemental group (repeatable, or comma separated)', collect)
    .option('--tls-certificate <file>', 'serve TLS with this PEM certificate (it may hold the key too)')
    .option('--tls-key <file>', 'the PEM private key for --tls-certificate')
    .option('--requests <resources>', 'resource requests, e.g. cpu=100m,memory=256Mi (the default)')
    .option('--limits <resources>', 'resource limits, e.g. cpu=1,memory=1Gi')
    .addOption(new Option('--platform <platform>', 'with -o yaml|json: render offline for this kind of cluster, contacting nothing (without it: for the cluster the kubeconfig names; no kubeconfig: openshift3); applying, it must match the cluster').choices(['openshift3', 'openshift4', 'kubernetes']))
    .option('--wait', 'wait until the registry is rolled out')
    .option('--timeout <seconds>', 'how long --wait waits', '300');
}

function parseGroupId(flag: string, s: string): number {
  if (!/^\d+$/.test(s.trim()) || Number(s) === 0) throw new UsageError(`${flag}: invalid group ID "${s}" (a positive whole number)`);
  return Number(s);
}

function parseStorage(f: DeployFlags): Storage {
  const given = [f.mountHost && '--mount-host', f.pvc && '--pvc', f.nfs && '--nfs'].filter(Boolean);
  if (given.length > 1) throw new UsageError(`${given.join(' and ')} cannot be used together: choose one kind of storage`);
  if (f.mountHost !== undefined) return { type: 'hostPath', path: parseAbsolutePath('--mount-host', f.mountHost) };
  if (f.pvc === true || f.pvc === '') throw new UsageError('--pvc needs the name of an existing claim here, e.g. --pvc=registry-storage');
  if (f.pvc !== undefined) return { type: 'pvc', claim: parseObjectName('--pvc', f.pvc) };
  if (f.nfs !== undefined) {
    const m = /^([^:/\s]+):(\/.*)$/.exec(f.nfs);
    if (!m) throw new UsageError(`--nfs: "${f.nfs}" is not SERVER:/PATH (e.g. nfs.example.com:/exports/registry)`);
    return { type: 'nfs', server: m[1]!, path: parseAbsolutePath('--nfs', m[2]!) };
  }
  return { type: 'emptyDir' };
}

/** Complete + Validate: every flag checked, nothing read or written yet. */
export function toOptions(f: DeployFlags, defaultPlatform: Platform = 'openshift3'): DeployOptions {
  const platform = (f.platform as Platform | undefined) ?? defaultPlatform;
  if (!f.serviceAccount) throw new UsageError('--service-account: registry could not be created; a service account must be provided');
  parseObjectName('--service-account', f.serviceAccount);
  if (f.daemonset && f.deployment) throw new UsageError('--daemonset and --deployment cannot be used together');
  const replicas = parseInteger('--replicas', f.replicas, 0, 1000);
  if (f.daemonset && f.replicas !== '1') throw new UsageError('--replicas cannot be used with --daemonset (a DaemonSet runs one pod per selected node)');
  const ports = parsePorts('--ports', f.ports);
  const labels = parseLabels('--labels', f.labels);
  const nodeSelector = f.selector !== undefined ? parseLabels('--selector', f.selector) : undefined;
  const volumePath = parseAbsolutePath('--volume', f.volume);
  const storage = parseStorage(f);
  const clusterIP = f.clusterIp !== undefined ? parseIP('--cluster-ip', f.clusterIp) : undefined;
  if (f.fsGroup !== undefined && f.supplementalGroups?.length) {
    throw new UsageError('--fs-group and --supplemental-groups cannot be specified both at the same time');
  }
  const fsGroup = f.fsGroup !== undefined ? parseGroupId('--fs-group', f.fsGroup) : undefined;
  const supplementalGroups = f.supplementalGroups?.flatMap((g) => g.split(',')).filter((g) => g.trim() !== '').map((g) => parseGroupId('--supplemental-groups', g));
  const requests = f.requests !== undefined ? parseResourceList('--requests', f.requests) : { ...DEFAULT_REQUESTS };
  const limits = f.limits !== undefined ? parseResourceList('--limits', f.limits) : undefined;
  if (limits) {
    for (const [name, req] of Object.entries(requests)) {
      const lim = limits[name];
      if (lim !== undefined && isQuantity(lim) && compareQuantities(req, lim) > 0) {
        throw new UsageError(`--limits: ${name} limit ${lim} is lower than its request ${req}`);
      }
    }
  }
  if (f.tlsKey !== undefined && f.tlsCertificate === undefined) throw new UsageError('--tls-key needs --tls-certificate');
  if (platform === 'kubernetes' && f.enforceQuota) {
    throw new UsageError('--enforce-quota: image quota is enforced by the OpenShift registry; the upstream registry deployed on Kubernetes has no quota');
  }
  let workload: WorkloadKind = f.daemonset ? 'DaemonSet' : f.deployment ? 'Deployment' : 'DeploymentConfig';
  if (platform === 'kubernetes' && workload === 'DeploymentConfig') workload = 'Deployment';
  const imageTemplate = f.images ?? DEFAULT_IMAGES;
  if (!f.images && platform !== 'kubernetes') expandImageTemplate('--images', imageTemplate, { component: 'x', version: 'x' });
  if (f.images) expandImageTemplate('--images', imageTemplate, { component: f.type, version: 'v0' });
  return {
    platform,
    workload,
    workloadGiven: !!(f.daemonset || f.deployment),
    serviceAccount: f.serviceAccount,
    imageTemplate,
    imagesGiven: f.images !== undefined,
    component: f.type,
    latestImages: f.latestImages === true,
    replicas,
    ports,
    labels,
    nodeSelector,
    volumePath,
    storage,
    clusterIP,
    enforceQuota: f.enforceQuota === true,
    fsGroup,
    supplementalGroups,
    requests,
    limits,
    tlsCertificatePath: f.tlsCertificate,
    tlsKeyPath: f.tlsKey,
    wait: f.wait === true,
    timeoutSeconds: parseInteger('--timeout', f.timeout, 1, 86400),
  };
}

/** The image: --images expanded with the version (the cluster's, or offline v3.11). */
export function registryImage(o: DeployOptions, version: string): string {
  if (o.platform === 'kubernetes' && !o.imagesGiven) return KUBERNETES_IMAGE;
  return expandImageTemplate('--images', o.imageTemplate, { component: o.component, version: o.latestImages ? 'latest' : version });
}

/** `v3.11.0+0cbc58b` → `v3.11.0`: the image tag of the cluster's release. */
export function imageVersion(openshiftVersion: string | undefined): string | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(openshiftVersion ?? '');
  return m ? `v${m[1]}.${m[2]}${m[3] !== undefined ? `.${m[3]}` : ''}` : undefined;
}

/**
 * The documents' warnings (stderr, before anything is printed or changed), and the commands an
 * administrator runs on the nodes afterwards. `grant`: how the service account gets the
 * privileged SCC when the plan knows (e.g. "regctl adds it"); else the command to run.
 */
export function deployWarnings(o: DeployOptions, namespace: string, grant?: string): { warnings: string[]; notes: string[] } {
  const warnings: string[] = [];
  const notes: string[] = [];
  const replicated = o.workload === 'DaemonSet' || o.replicas > 1;
  if (replicated && (o.storage.type === 'hostPath' || o.storage.type === 'emptyDir')) {
    warnings.push(
      `${o.workload === 'DaemonSet' ? 'a DaemonSet' : `${o.replicas} replicas`} with ${o.storage.type === 'hostPath' ? '--mount-host' : 'emptyDir'} storage: each pod keeps its own images, so a pull may miss an image pushed through another pod; use --pvc or --nfs with shared (ReadWriteMany) storage`,
    );
  }
  if (o.storage.type === 'emptyDir') warnings.push('no storage given: images live in an emptyDir and are lost when the pod restarts; use --pvc, --nfs or --mount-host');
  if (o.storage.type === 'hostPath' && o.platform === 'openshift3') {
    const user = serviceAccountUser(namespace, o.serviceAccount);
    warnings.push(
      `--mount-host runs the registry privileged: the service account "${o.serviceAccount}" needs the privileged SCC (${grant ?? `oc adm policy add-scc-to-user privileged ${user}`}), and uid 1001 must own ${o.storage.path} on every node that can run the registry (sudo chown 1001:root ${o.storage.path})`,
    );
    notes.push(`sudo chown 1001:root ${o.storage.path}   # on every node that can run the registry`);
  }
  return { warnings, notes };
}

/** The user name a service account runs as, as SCCs list it. */
export function serviceAccountUser(namespace: string, serviceAccount: string): string {
  return `system:serviceaccount:${namespace}:${serviceAccount}`;
}

export function registryOptions(o: DeployOptions, extra: { namespace: string; version: string; httpSecret: string; tls: RegistryOptions['tls'] }): RegistryOptions {
  return {
    ...o,
    platform: o.platform as RegistryPlatform,
    namespace: extra.namespace,
    image: registryImage(o, extra.version),
    httpSecret: extra.httpSecret,
    tls: extra.tls,
  };
}
