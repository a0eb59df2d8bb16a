// `regctl expose`: "Exposing the Registry" (seed 003; seed 002 chapter 6) and the registry
// hostnames (seed 000 imagePolicyConfig; seed 004 externalRegistryHostnames).
// 3.x: a passthrough Route to the secured registry, and the master-config hostnames.
// 4.x: the Image Registry Operator's defaultRoute / routes[], and image.config's hostnames.
import type { Command } from 'commander';
import type { Context } from '../context.js';
import type { Cluster, ClusterInfo } from '../cluster/types.js';
import { OperationError, UsageError } from '../errors.js';
import { readInputFile } from '../host/files.js';
import { commands, info, success, warn } from '../output/messages.js';
import { formatObjects, resourceName } from '../output/printers.js';
import { parseCertificate } from '../pki/pem.js';
import { hostOf, namesMissing } from '../pki/names.js';
import type { KubeObject, ObjectRef } from '../plan/types.js';
import type { Plan, Step } from '../plan/legacy-execute.js';
import { action } from '../runtime.js';
import { DEFAULT_MASTER_CONFIG, MASTER_RESTART_COMMANDS, MasterConfigError, setRegistryHostnames } from '../templates/master-config.js';
import { REGISTRY_NAME, TLS_SECRET } from '../templates/registry.js';
import {
  addExternalHostnames,
  DEFAULT_OPERATOR_ROUTE,
  mergePatch,
  passthroughIngress,
  passthroughRoute,
  registryConfigPatch,
  ROUTE_NAME,
  type OperatorRoute,
} from '../templates/route.js';
import { parseObjectName, parseRegistryHostname, parseRouteHost } from '../validate.js';
import { summary } from './catalog.js';
import { describePlan, executePlan, recreatable } from '../plan/legacy-execute.js';
import { BackupDir, defaultBackupRoot } from '../host/backup.js';

export interface ExposeFlags {
  hostname?: string;
  force?: boolean;
  internalHostname?: string;
  externalHostname?: string;
  masterConfig: string;
  defaultRoute?: boolean;
  tlsSecret?: string;
  routeName?: string;
  ca?: string;
  ingress?: boolean;
  ingressClass?: string;
}

export interface ExposeOptions {
  hostname?: string;
  force: boolean;
  internalHostname?: string;
  externalHostname?: string;
  masterConfigPath: string;
  defaultRoute: boolean;
  tlsSecret?: string;
  routeName: string;
  caPath?: string;
  /** Kubernetes: an ingress-nginx Ingress with TLS passthrough instead of a route. */
  ingress: boolean;
  ingressClass?: string;
  /** 3.x: create the passthrough route (not when only registry hostnames are set). */
  route: boolean;
}

/** The secret `regctl secure` (and the documents) make, then the one `oc adm registry --tls-certificate` makes. */
export const SERVING_SECRETS = [
  { name: 'registry-certificates', key: 'registry.crt' },
  { name: TLS_SECRET, key: 'tls.crt' },
] as const;
export const OPERATOR_NAMESPACE = 'openshift-image-registry';
const REGISTRY_CONFIG: ObjectRef = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' };
const IMAGE_CONFIG: ObjectRef = { apiVersion: 'config.openshift.io/v1', kind: 'Image', name: 'cluster' };
const WORKLOADS = [
  { apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig', group: 'apps.openshift.io' },
  { apiVersion: 'apps/v1', kind: 'Deployment', group: 'apps' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet', group: 'apps' },
] as const;

export function register(program: Command): void {
  program
    .command('expose')
    .description(summary('expose'))
    .option('--hostname <host>', 'the route host clients use (3.x: the passthrough route; 4.x: a spec.routes[] entry)')
    .option('--force', '3.x: create the passthrough route even though the registry does not serve TLS')
    .option('--internal-hostname <host[:port]>', '3.x: imagePolicyConfig.internalRegistryHostname in the master configuration')
    .option('--external-hostname <host[:port]>', '3.x: imagePolicyConfig.externalRegistryHostname; 4.x: added to externalRegistryHostnames of image.config.openshift.io/cluster')
    .option('--master-config <path>', '3.x: the master configuration file to edit (backed up first)', DEFAULT_MASTER_CONFIG)
    .option('--default-route', '4.x: let the operator create its default route (spec.defaultRoute: true)')
    .option('--tls-secret <name>', `4.x: the TLS secret in ${OPERATOR_NAMESPACE} for the --hostname route (else the router's default certificate)`)
    .option('--route-name <name>', `4.x: the name of the spec.routes[] entry (default "${DEFAULT_OPERATOR_ROUTE}")`)
    .option('--ca <file>', 'the CA certificate that signed the registry\'s certificate, for the trust steps printed at the end')
    .option('--ingress', 'Kubernetes: an Ingress with TLS passthrough (ingress-nginx) for --hostname, instead of a route')
    .option('--ingress-class <name>', 'Kubernetes: the ingressClassName of that Ingress (default: the cluster\'s default class)')
    .addHelpText(
      'after',
      `
On OpenShift 3.x the registry is exposed with a passthrough route: the router hands the TLS
connection to the registry, so the registry must serve TLS (regctl secure) with a certificate
that names the route host. With only --internal-hostname / --external-hostname, no route is
made: the master configuration is edited (a backup is kept) and the master must be restarted.

Examples:
  # 3.x: passthrough route with a chosen host, then trust and log in as printed
  regctl expose --hostname=registry.apps.example.com --ca=/etc/origin/master/ca.crt

  # 3.x: image streams show the route host (imagePolicyConfig, seed 000)
  regctl expose --external-hostname=registry.apps.example.com --internal-hostname=docker-registry.default.svc:5000

  # 4.x: the operator's default route, or a route of your own with its TLS secret
  regctl expose --default-route
  regctl expose --hostname=myregistry.mycorp.organization --tls-secret=public-route-tls

  # Kubernetes: an ingress-nginx Ingress that passes TLS through to the registry
  regctl expose --ingress --hostname=registry.example.com --ingress-class=nginx`,
    )
    .action(action<ExposeFlags>(runExpose));
}

/** Complete + Validate: every flag checked, nothing read from the cluster yet. */
export function toOptions(f: ExposeFlags): ExposeOptions {
  const hostname = f.hostname !== undefined ? parseRouteHost('--hostname', f.hostname) : undefined;
  const internalHostname = f.internalHostname !== undefined ? parseRegistryHostname('--internal-hostname', f.internalHostname) : undefined;
  const externalHostname = f.externalHostname !== undefined ? parseRegistryHostname('--external-hostname', f.externalHostname) : undefined;
  const tlsSecret = f.tlsSecret !== undefined ? parseObjectName('--tls-secret', f.tlsSecret) : undefined;
  const routeName = f.routeName !== undefined ? parseObjectName('--route-name', f.routeName) : DEFAULT_OPERATOR_ROUTE;
  if (tlsSecret && !hostname) throw new UsageError('--tls-secret needs --hostname: it is the certificate of that route');
  if (f.routeName !== undefined && !hostname) throw new UsageError('--route-name needs --hostname: it names the spec.routes[] entry for that host');
  if (!f.masterConfig) throw new UsageError('--master-config: a path is required');
  if (f.ingress && !hostname) throw new UsageError('--ingress needs --hostname: TLS passthrough routes by the host name the client sends (SNI)');
  if (f.ingressClass !== undefined && !f.ingress) throw new UsageError('--ingress-class needs --ingress');
  const ingressClass = f.ingressClass !== undefined ? parseObjectName('--ingress-class', f.ingressClass) : undefined;
  if (f.ca !== undefined) parseCertificate('--ca', f.ca, readInputFile('--ca', f.ca));
  const hostnamesOnly = !hostname && (internalHostname !== undefined || externalHostname !== undefined);
  return {
    hostname,
    force: f.force === true,
    internalHostname,
    externalHostname,
    masterConfigPath: f.masterConfig,
    defaultRoute: f.defaultRoute === true,
    tlsSecret,
    routeName,
    caPath: f.ca,
    ingress: f.ingress === true,
    ingressClass,
    route: !hostnamesOnly && !f.defaultRoute,
  };
}

type Container = { env?: { name: string; value?: string }[]; livenessProbe?: Probe; readinessProbe?: Probe };
type Probe = { httpGet?: { scheme?: string } };

/** Why the workload serves TLS (its certificate env or HTTPS probes), or undefined when it does not. */
export function tlsEvidence(workload: KubeObject): string | undefined {
  const containers = ((workload.spec as { template?: { spec?: { containers?: Container[] } } } | undefined)?.template?.spec?.containers ?? []) as Container[];
  for (const c of containers) {
    const env = (c.env ?? []).find((e) => e.name === 'REGISTRY_HTTP_TLS_CERTIFICATE' && e.value);
    if (env) return `REGISTRY_HTTP_TLS_CERTIFICATE=${env.value}`;
  }
  for (const c of containers) {
    if (c.livenessProbe?.httpGet?.scheme === 'HTTPS' || c.readinessProbe?.httpGet?.scheme === 'HTTPS') return 'HTTPS probes';
  }
  return undefined;
}

function decodeSecretKey(secret: KubeObject | undefined, key: string): string | undefined {
  const data = (secret?.data ?? {}) as Record<string, string>;
  return data[key] ? Buffer.from(data[key], 'base64').toString('utf8') : undefined;
}

/** Passthrough needs TLS at the registry: refuse without it (warn with --force). */
function requireTLS(ctx: Context, workloads: (KubeObject | undefined)[], force: boolean, what: 'route' | 'Ingress'): void {
  const workload = workloads.find((w) => w !== undefined);
  if (workload && tlsEvidence(workload)) return;
  const found = workload ? `${resourceName(workload)} has no REGISTRY_HTTP_TLS_CERTIFICATE and probes over HTTP` : `no DeploymentConfig, Deployment or DaemonSet "${REGISTRY_NAME}" was found to check`;
  const why = `a passthrough ${what} hands the TLS connection to the registry itself, so it must serve TLS`;
  if (!force) throw new OperationError(`the registry does not serve TLS (${found}): ${why}`, `secure it first (regctl secure), or pass --force to create the ${what} anyway`);
  warn(ctx.io, `the registry does not serve TLS (${found}); creating the ${what} anyway (--force), but clients will fail until it does: ${why}`);
}

/** Warns for each name the certificate in the secret does not cover. */
function checkCertificateNames(ctx: Context, where: string, pem: string | undefined, names: string[], fix: string): void {
  if (!pem || names.length === 0) return;
  const missing = namesMissing(pem, names);
  if (missing === undefined) {
    warn(ctx.io, `${where} holds no certificate regctl can read; check by hand that it names ${names.join(', ')}`);
    return;
  }
  if (missing.length) {
    warn(ctx.io, `the certificate in ${where} does not name ${missing.join(', ')}: clients connecting by ${missing.length > 1 ? 'those names' : 'that name'} will refuse it. ${fix}`);
  }
}

function printTrustAndLogin(ctx: Context, host: string | undefined, caPath: string | undefined, hostCommand: string, insecureNote?: string): void {
  const h = host ?? '$HOST';
  const ca = caPath ?? '<ca certificate file>';
  info(ctx.io, `Trust the CA that signed the certificate ${h} presents, on each machine that pushes or pulls through it (docker, then podman/CRI-O):`);
  commands(ctx.io, [
    ...(host ? [] : [hostCommand]),
    `sudo mkdir -p /etc/docker/certs.d/${h} && sudo cp ${ca} /etc/docker/certs.d/${h}/ca.crt && sudo systemctl restart docker`,
    `sudo mkdir -p /etc/containers/certs.d/${h} && sudo cp ${ca} /etc/containers/certs.d/${h}/ca.crt`,
  ]);
  // The token goes through stdin: not into the process list or the shell history.
  info(ctx.io, 'Then log in with your OpenShift token:');
  commands(ctx.io, [`oc whoami -t | docker login -u $(oc whoami) --password-stdin ${h}`, `oc whoami -t | podman login -u $(oc whoami) --password-stdin ${h}`]);
  if (insecureNote) info(ctx.io, insecureNote);
}

async function execute(ctx: Context, cluster: Cluster, plan: Plan): Promise<KubeObject[]> {
  const r = await executePlan(plan, {
    cluster,
    io: ctx.io,
    serverDryRun: ctx.globals.dryRun === 'server',
    backups: new BackupDir(ctx.globals.backupDir ?? defaultBackupRoot(ctx.env), 'expose', ctx.now()),
    report: ctx.globals.output === 'name' ? 'name' : 'verbose',
  });
  if (r.results.some((x) => x.backupFile)) info(ctx.io, `backups of what was changed: ${r.backupDir}`);
  return r.results.map((x) => x.object).filter((o): o is KubeObject => o !== undefined);
}

/** `-o yaml|json`: the objects as they will be, without the server's fields (status, uid, resourceVersion). */
async function printObjects(ctx: Context, objects: KubeObject[], format: 'yaml' | 'json'): Promise<void> {
  const clean = objects.map((x) => {
    const { status: _s, ...rest } = recreatable(x);
    return rest as KubeObject;
  });
  ctx.io.out.write(formatObjects(clean, format));
}

/** The plan's steps as text (--dry-run); true when it printed them. */
async function describeIfDryRun(ctx: Context, plan: Plan): Promise<boolean> {
  if (ctx.globals.dryRun !== 'client') return false;
  if (plan.steps.length === 0) info(ctx.io, 'nothing to change');
  else {
    info(ctx.io, 'would run:');
    commands(ctx.io, describePlan(plan));
  }
  return true;
}

export async function runExpose(flags: ExposeFlags, ctx: Context): Promise<void> {
  const o = toOptions(flags);
  const cluster = await ctx.cluster();
  const live = await cluster.info();
  switch (live.platform) {
    case 'openshift4':
      return exposeOperator(ctx, cluster, o);
    case 'openshift3':
      return exposeRoute(ctx, cluster, live, o);
    case 'kubernetes':
      if (!o.ingress) {
        throw new OperationError(
          `the cluster at ${cluster.server} is plain Kubernetes: it has no routes (route.openshift.io). Expose the registry with an Ingress that passes TLS through to it: regctl expose --ingress --hostname=HOST (ingress-nginx, annotation nginx.ingress.kubernetes.io/ssl-passthrough)`,
          'or put a Service of type LoadBalancer or NodePort in front of the registry (it serves its own TLS)',
        );
      }
      return exposeIngress(ctx, cluster, live, o);
  }
}

// ---- OpenShift 3.x: the passthrough route and master-config.yaml --------------------------------

async function exposeRoute(ctx: Context, cluster: Cluster, live: ClusterInfo, o: ExposeOptions): Promise<void> {
  if (o.ingress) throw new UsageError('--ingress is for plain Kubernetes; OpenShift exposes the registry with a route (leave out --ingress)');
  if (o.defaultRoute) throw new UsageError('--default-route: the default route belongs to the Image Registry Operator of OpenShift 4; on 3.x regctl creates the passthrough route docker-registry (use --hostname to choose its host)');
  if (o.tlsSecret) throw new UsageError('--tls-secret is for OpenShift 4 routes; a 3.x passthrough route uses the registry\'s own certificate (regctl secure)');
  const ns = cluster.namespace;
  const hostnameEdit = o.internalHostname !== undefined || o.externalHostname !== undefined;
  // The file is read (and the edit checked) before anything changes.
  let masterConfig: { text: string; changes: string[] } | undefined;
  if (hostnameEdit) {
    const text = readInputFile('--master-config', o.masterConfigPath);
    try {
      masterConfig = setRegistryHostnames(text, { internalRegistryHostname: o.internalHostname, externalRegistryHostname: o.externalHostname });
    } catch (e) {
      if (e instanceof MasterConfigError) throw new UsageError(`--master-config: "${o.masterConfigPath}": ${e.message}`);
      throw e;
    }
  }

  const kinds = WORKLOADS.filter((k) => live.groups.has(k.group));
  const [service, route, workloads, secrets] = await Promise.all([
    cluster.get({ apiVersion: 'v1', kind: 'Service', name: REGISTRY_NAME, namespace: ns }),
    o.route ? cluster.get({ apiVersion: 'route.openshift.io/v1', kind: 'Route', name: ROUTE_NAME, namespace: ns }) : undefined,
    Promise.all(kinds.map((k) => cluster.get({ apiVersion: k.apiVersion, kind: k.kind, name: REGISTRY_NAME, namespace: ns }))),
    Promise.all(SERVING_SECRETS.map((s) => cluster.get({ apiVersion: 'v1', kind: 'Secret', name: s.name, namespace: ns }))),
  ]);

  const steps: Step[] = [];
  let routeObject: KubeObject | undefined;
  if (o.route) {
    if (!service) throw new OperationError(`service/${REGISTRY_NAME} does not exist in ${ns}: there is no registry to expose`, 'create it first: regctl deploy (then regctl secure)');
    requireTLS(ctx, workloads, o.force, 'route');
    const ports = ((service.spec as { ports?: { name?: string }[] }).ports ?? []);
    routeObject = passthroughRoute({ namespace: ns, service: REGISTRY_NAME, hostname: o.hostname, targetPort: ports[0]?.name, labels: service.metadata.labels });
    if (route) {
      const spec = route.spec as { host?: string; tls?: { termination?: string }; to?: { name?: string } };
      const same = spec.tls?.termination === 'passthrough' && spec.to?.name === REGISTRY_NAME && (!o.hostname || spec.host === o.hostname);
      if (!same) {
        throw new OperationError(
          `route/${ROUTE_NAME} already exists in ${ns} (host ${spec.host ?? '(none)'}, termination ${spec.tls?.termination ?? 'none'}, to ${spec.to?.name ?? '?'}): regctl does not change a route it did not make`,
          `delete it first (oc delete route/${ROUTE_NAME} -n ${ns}) and run this again`,
        );
      }
      info(ctx.io, `route/${ROUTE_NAME} exists already (host ${spec.host ?? '(assigned by the router)'}, passthrough)`);
      routeObject = route;
    } else {
      steps.push({ kind: 'create', describe: `create route.route.openshift.io/${ROUTE_NAME} in ${ns}: passthrough to service/${REGISTRY_NAME}${o.hostname ? `, host ${o.hostname}` : ''}`, object: routeObject });
    }
  }
  if (masterConfig && masterConfig.changes.length) {
    steps.push({ kind: 'writeFile', describe: `edit ${o.masterConfigPath} (backed up first): ${masterConfig.changes.join('; ')}`, path: o.masterConfigPath, content: masterConfig.text });
  } else if (masterConfig) {
    info(ctx.io, `${o.masterConfigPath} already has these registry hostnames`);
  }

  // The names clients will use must be in the registry's serving certificate (seed 000).
  const names = [o.hostname, o.internalHostname, o.externalHostname].filter((n): n is string => !!n);
  SERVING_SECRETS.forEach((s, i) => {
    checkCertificateNames(ctx, `secret ${s.name} (${s.key})`, decodeSecretKey(secrets[i], s.key), names, `Re-issue it with every name clients use: regctl secure --hostnames ${[...new Set(names.map(hostOf))].join(',')}`);
  });

  const out = ctx.globals.output;
  if (out === 'yaml' || out === 'json') {
    await printObjects(ctx, routeObject ? [routeObject] : [], out);
    return;
  }
  const plan: Plan = { command: 'expose', steps };
  if (await describeIfDryRun(ctx, plan)) return;
  const created = await execute(ctx, cluster, plan);
  if (ctx.globals.dryRun === 'server') {
    success(ctx.io, 'the cluster accepted the route (server dry run): nothing was changed');
    return;
  }
  if (routeObject) {
    const made = created.find((x) => x.kind === 'Route') ?? routeObject;
    const host = (made.spec as { host?: string }).host;
    success(ctx.io, `the registry is exposed at ${host ?? `the host the router gives route/${ROUTE_NAME}`} (passthrough to service/${REGISTRY_NAME})`);
    printTrustAndLogin(ctx, host, o.caPath, `HOST=$(oc get route/${ROUTE_NAME} -n ${ns} --template='{{ .spec.host }}')`);
    if (host && !o.externalHostname) info(ctx.io, `Image streams still show the service address; to show ${host} instead: regctl expose --external-hostname=${host}`);
  }
  if (masterConfig?.changes.length) {
    info(ctx.io, `${o.masterConfigPath} changed. Restart the master on every master host to use it:`);
    commands(ctx.io, MASTER_RESTART_COMMANDS);
    if (o.internalHostname) info(ctx.io, `The registry must answer on ${o.internalHostname}: set REGISTRY_OPENSHIFT_SERVER_ADDR=${o.internalHostname} on it (oc set env dc/${REGISTRY_NAME} REGISTRY_OPENSHIFT_SERVER_ADDR=${o.internalHostname} -n ${ns}).`);
  }
}

// ---- OpenShift 4.x: the operator's Config and image.config --------------------------------------

async function exposeOperator(ctx: Context, cluster: Cluster, o: ExposeOptions): Promise<void> {
  if (o.ingress) throw new UsageError('--ingress is for plain Kubernetes; on OpenShift 4 the operator makes the routes (--default-route, or --hostname)');
  if (o.internalHostname) throw new UsageError('--internal-hostname: on OpenShift 4 the Image Registry Operator sets the internal registry hostname (image.config.openshift.io status); it cannot be configured');
  if (!o.defaultRoute && !o.hostname && !o.externalHostname) {
    throw new UsageError('on OpenShift 4, say which route: --default-route (the operator\'s default-route), or --hostname=HOST [--tls-secret=SECRET] (a spec.routes[] entry)');
  }
  const [config, image, secret] = await Promise.all([
    cluster.get(REGISTRY_CONFIG),
    o.externalHostname ? cluster.get(IMAGE_CONFIG) : undefined,
    o.tlsSecret ? cluster.get({ apiVersion: 'v1', kind: 'Secret', name: o.tlsSecret, namespace: OPERATOR_NAMESPACE }) : undefined,
  ]);
  if (!config) throw new OperationError('configs.imageregistry.operator.openshift.io/cluster does not exist: is the Image Registry Operator installed?');
  if (o.tlsSecret && !secret) {
    throw new OperationError(`secret ${o.tlsSecret} does not exist in ${OPERATOR_NAMESPACE}`, `create it with the route's certificate: oc create secret tls ${o.tlsSecret} -n ${OPERATOR_NAMESPACE} --cert=</path/to/tls.crt> --key=</path/to/tls.key>`);
  }
  if (o.externalHostname && !image) throw new OperationError('image.config.openshift.io/cluster does not exist on this cluster');

  const steps: Step[] = [];
  const printed: KubeObject[] = [];
  const spec = (config.spec ?? {}) as { defaultRoute?: boolean; routes?: OperatorRoute[] };
  const entry: OperatorRoute | undefined = o.hostname ? { name: o.routeName, hostname: o.hostname, ...(o.tlsSecret ? { secretName: o.tlsSecret } : {}) } : undefined;
  const { patch, conflict } = registryConfigPatch(spec, { defaultRoute: o.defaultRoute, route: entry });
  if (conflict) {
    throw new UsageError(`--route-name: spec.routes[] already has an entry "${conflict.name}" (host ${conflict.hostname ?? '(default)'}); give this route another name with --route-name`);
  }
  const withVersion = (p: { spec: Record<string, unknown> }, obj: KubeObject) => ({ metadata: { resourceVersion: obj.metadata.resourceVersion }, ...p });
  if (patch) {
    const what = [patch.spec.defaultRoute ? 'spec.defaultRoute: true' : '', patch.spec.routes ? `spec.routes[] + {name: ${entry!.name}, hostname: ${entry!.hostname}${entry!.secretName ? `, secretName: ${entry!.secretName}` : ''}}` : '']
      .filter(Boolean)
      .join(', ');
    steps.push({ kind: 'patch', describe: `merge-patch ${resourceName(config)}: ${what}`, target: REGISTRY_CONFIG, patchType: 'merge', patch: withVersion(patch, config) });
    printed.push(mergePatch(config, patch) as KubeObject);
  } else info(ctx.io, `${resourceName(config)} already has ${[o.defaultRoute ? 'defaultRoute: true' : '', entry ? `a route for ${entry.hostname}` : ''].filter(Boolean).join(' and ')}`);

  if (o.externalHostname && image) {
    const current = ((image.spec ?? {}) as { externalRegistryHostnames?: string[] }).externalRegistryHostnames;
    const list = addExternalHostnames(current, [o.externalHostname]);
    if (list) {
      const p = { spec: { externalRegistryHostnames: list } };
      steps.push({ kind: 'patch', describe: `merge-patch ${resourceName(image)}: spec.externalRegistryHostnames + ${o.externalHostname}`, target: IMAGE_CONFIG, patchType: 'merge', patch: withVersion(p, image) });
      printed.push(mergePatch(image, p) as KubeObject);
    } else info(ctx.io, `${resourceName(image)} already lists ${o.externalHostname} in externalRegistryHostnames`);
  }

  if (o.hostname && secret) {
    checkCertificateNames(ctx, `secret ${o.tlsSecret} (tls.crt)`, decodeSecretKey(secret, 'tls.crt'), [o.hostname], `Make a certificate for ${o.hostname} and put it in the secret (oc create secret tls ... --dry-run=client -o yaml | oc replace -f -).`);
  }

  const out = ctx.globals.output;
  if (out === 'yaml' || out === 'json') {
    await printObjects(ctx, printed, out);
    return;
  }
  const plan: Plan = { command: 'expose', steps };
  if (await describeIfDryRun(ctx, plan)) return;
  await execute(ctx, cluster, plan);
  if (ctx.globals.dryRun === 'server') {
    success(ctx.io, 'the cluster accepted the change (server dry run): nothing was changed');
    return;
  }
  if (o.defaultRoute) {
    success(ctx.io, `the operator creates route/default-route in ${OPERATOR_NAMESPACE} (re-encrypt, the router's default certificate)`);
    printTrustAndLogin(
      ctx,
      undefined,
      o.caPath,
      `HOST=$(oc get route default-route -n ${OPERATOR_NAMESPACE} --template='{{ .spec.host }}')`,
      "If the router's default certificate is not trusted, podman needs --tls-verify=false (or set a trusted default certificate on the Ingress Operator).",
    );
  }
  if (o.hostname) {
    success(ctx.io, `the operator creates a route for ${o.hostname} in ${OPERATOR_NAMESPACE}${o.tlsSecret ? ` with the certificate in secret ${o.tlsSecret}` : " with the router's default certificate"}`);
    printTrustAndLogin(ctx, o.hostname, o.caPath, '');
  }
}

// ---- Kubernetes: an Ingress with TLS passthrough ----------------------------------------------

async function exposeIngress(ctx: Context, cluster: Cluster, live: ClusterInfo, o: ExposeOptions): Promise<void> {
  if (o.defaultRoute || o.tlsSecret || o.internalHostname || o.externalHostname) {
    throw new UsageError('--default-route, --tls-secret, --internal-hostname and --external-hostname are OpenShift settings; on Kubernetes give --ingress --hostname');
  }
  const ns = cluster.namespace;
  const hostname = o.hostname!;
  const ref = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: ROUTE_NAME, namespace: ns };
  const [service, existing, workloads, secret] = await Promise.all([
    cluster.get({ apiVersion: 'v1', kind: 'Service', name: REGISTRY_NAME, namespace: ns }),
    cluster.get(ref),
    Promise.all(WORKLOADS.filter((k) => live.groups.has(k.group)).map((k) => cluster.get({ apiVersion: k.apiVersion, kind: k.kind, name: REGISTRY_NAME, namespace: ns }))),
    cluster.get({ apiVersion: 'v1', kind: 'Secret', name: TLS_SECRET, namespace: ns }),
  ]);
  if (!service) throw new OperationError(`service/${REGISTRY_NAME} does not exist in ${ns}: there is no registry to expose`, 'create it first: regctl deploy --tls-certificate=... --tls-key=...');
  requireTLS(ctx, workloads, o.force, 'Ingress');
  const port = ((service.spec as { ports?: { port?: number }[] }).ports ?? [])[0]?.port ?? 5000;
  const ingress = passthroughIngress({ namespace: ns, service: REGISTRY_NAME, hostname, port, ingressClass: o.ingressClass, labels: service.metadata.labels });
  checkCertificateNames(ctx, `secret ${TLS_SECRET} (tls.crt)`, decodeSecretKey(secret, 'tls.crt'), [hostname], `Deploy the registry with a certificate for ${hostname} (regctl deploy --tls-certificate).`);

  const steps: Step[] = [];
  if (existing) {
    const rules = (existing.spec as { rules?: { host?: string }[] } | undefined)?.rules ?? [];
    const passthrough = existing.metadata.annotations?.['nginx.ingress.kubernetes.io/ssl-passthrough'] === 'true';
    if (!passthrough || !rules.some((r) => r.host === hostname)) {
      throw new OperationError(`ingress/${ROUTE_NAME} already exists in ${ns} (hosts ${rules.map((r) => r.host ?? '*').join(', ') || '(none)'}${passthrough ? ', passthrough' : ''}): regctl does not change an Ingress it did not make`, `delete it first (kubectl delete ingress/${ROUTE_NAME} -n ${ns}) and run this again`);
    }
    info(ctx.io, `ingress/${ROUTE_NAME} exists already for ${hostname} (TLS passthrough)`);
  } else {
    steps.push({ kind: 'create', describe: `create ingress.networking.k8s.io/${ROUTE_NAME} in ${ns}: TLS passthrough for ${hostname} to service/${REGISTRY_NAME}:${port}`, object: ingress });
  }
  const out = ctx.globals.output;
  if (out === 'yaml' || out === 'json') {
    await printObjects(ctx, [existing ?? ingress], out);
    return;
  }
  const plan: Plan = { command: 'expose', steps };
  if (await describeIfDryRun(ctx, plan)) return;
  await execute(ctx, cluster, plan);
  if (ctx.globals.dryRun === 'server') {
    success(ctx.io, 'the cluster accepted the Ingress (server dry run): nothing was changed');
    return;
  }
  success(ctx.io, `the registry is exposed at ${hostname} through the ingress controller (TLS passthrough to service/${REGISTRY_NAME})`);
  info(ctx.io, 'ingress-nginx passes TLS through only when its controller runs with --enable-ssl-passthrough; other controllers ignore the annotation and need their own passthrough setting.');
  const ca = o.caPath ?? '<ca certificate file>';
  info(ctx.io, `Trust the CA that signed the registry's certificate on each machine that pushes or pulls through ${hostname}:`);
  commands(ctx.io, [
    `sudo mkdir -p /etc/docker/certs.d/${hostname} && sudo cp ${ca} /etc/docker/certs.d/${hostname}/ca.crt && sudo systemctl restart docker`,
    `sudo mkdir -p /etc/containers/certs.d/${hostname} && sudo cp ${ca} /etc/containers/certs.d/${hostname}/ca.crt`,
  ]);
}
