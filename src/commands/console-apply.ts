// `regctl console` against a cluster, and its rendering. The route comes first: its host (which
// the router assigns) goes into the OAuthClient's redirect URI, so the console objects are
// planned only once the route is read back.
import type { Context } from '../context.js';
import { offlineNamespace } from '../context.js';
import type { Cluster, ClusterInfo } from '../cluster/types.js';
import { OperationError, UsageError } from '../errors.js';
import { BackupDir, defaultBackupRoot } from '../host/backup.js';
import { commands, info, result, success, warn } from '../output/messages.js';
import { formatObjects, resourceName } from '../output/printers.js';
import { certWarnings, type CockpitCert } from '../pki/cockpit.js';
import { describePlan, executePlan } from '../plan/legacy-execute.js';
import type { KubeObject, ObjectRef } from '../plan/types.js';
import type { Plan, Step } from '../plan/legacy-execute.js';
import {
  CERT_DIR,
  CERT_SECRET,
  CERT_VOLUME,
  CONSOLE_NAME,
  CONSOLE_ROUTE,
  DEBUG_ENV,
  OAUTH_CLIENT_ID,
  REGISTRY_ROUTE,
  certVolume,
  certVolumeMount,
  consoleObjects,
  consoleRoute,
  consoleURL,
  defaultConsoleImage,
  hasImageStream,
  oauthClientSecret,
  type ConsoleCert,
  type ConsoleOptions,
  type ConsoleRelease,
} from '../templates/console.js';
import { releaseMinorOf, releaseOf, type ConsoleCommandOptions } from './console.js';
import { waitForRollout } from '../cluster/rollout.js';

type Cert = { cert: ConsoleCert; checked: CockpitCert } | undefined;
type Obj = KubeObject & { spec?: any; data?: Record<string, string>; redirectURIs?: string[] };

const route = (name: string, namespace: string): ObjectRef => ({ apiVersion: 'route.openshift.io/v1', kind: 'Route', name, namespace });
const refs = (ns: string) => ({
  dc: { apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig', name: CONSOLE_NAME, namespace: ns },
  service: { apiVersion: 'v1', kind: 'Service', name: CONSOLE_NAME, namespace: ns },
  imageStream: { apiVersion: 'image.openshift.io/v1', kind: 'ImageStream', name: CONSOLE_NAME, namespace: ns },
  oauthClient: { apiVersion: 'oauth.openshift.io/v1', kind: 'OAuthClient', name: OAUTH_CLIENT_ID },
  secret: { apiVersion: 'v1', kind: 'Secret', name: CERT_SECRET, namespace: ns },
});

/** What is on the cluster already: the two routes and the console's objects (by kind). */
interface Live {
  ns: string;
  release: ConsoleRelease;
  fullVersion?: string;
  registryRoute?: Obj;
  consoleRoute?: Obj;
  objects: Map<string, Obj | undefined>;
}

/** OpenShift 4 and Kubernetes have no registry console: say where to look instead. */
function refuseOtherPlatforms(info: ClusterInfo, cluster: Cluster): void {
  if (info.platform === 'openshift4') {
    throw new OperationError(
      `the cluster at ${cluster.server} is OpenShift 4: there is no separate registry console; browsing images and image streams is part of the web console`,
      'open the web console (its URL: oc whoami --show-console), Builds → Image Streams',
    );
  }
  if (info.platform === 'kubernetes') {
    throw new OperationError(`the cluster at ${cluster.server} is plain Kubernetes: the registry console needs OpenShift (its OAuth server, routes and image streams) and is not available there`);
  }
}

async function readLive(cluster: Cluster, o: ConsoleCommandOptions): Promise<Live> {
  const ns = cluster.namespace;
  const live = await cluster.info();
  refuseOtherPlatforms(live, cluster);
  const release = releaseOf(o, releaseMinorOf(live.openshiftVersion));
  const r = refs(ns);
  const wanted: [string, ObjectRef][] = [
    ['Secret', r.secret],
    ['DeploymentConfig', r.dc],
    ['Service', r.service],
    ...(hasImageStream(release) ? ([['ImageStream', r.imageStream]] as [string, ObjectRef][]) : []),
    ['OAuthClient', r.oauthClient],
  ];
  const [registryRoute, consoleRouteLive, ...objs] = await Promise.all([
    cluster.get<Obj>(route(REGISTRY_ROUTE, ns)),
    cluster.get<Obj>(route(CONSOLE_ROUTE, ns)),
    ...wanted.map(([, ref]) => cluster.get<Obj>(ref)),
  ]);
  return {
    ns,
    release,
    fullVersion: live.openshiftVersion,
    registryRoute,
    consoleRoute: consoleRouteLive,
    objects: new Map(wanted.map(([kind], i) => [kind, objs[i]])),
  };
}

/** REGISTRY_HOST: the docker-registry route's host; without that route there is nothing to browse. */
function registryHostOf(live: Live): string {
  const host = live.registryRoute?.spec?.host;
  if (!live.registryRoute) {
    throw new OperationError(`the registry is not exposed: there is no route "${REGISTRY_ROUTE}" in namespace ${live.ns}`, `run regctl expose first (the console reaches the registry through that route), or pass -n with the registry's namespace`);
  }
  if (typeof host !== 'string' || host === '') {
    throw new OperationError(`route "${REGISTRY_ROUTE}" in namespace ${live.ns} has no host`, `give it one (regctl expose --hostname=...) and run again`);
  }
  return host;
}

function consoleOptions(o: ConsoleCommandOptions, ctx: Context, x: { ns: string; release: ConsoleRelease; fullVersion?: string; registryHost: string; consoleHost: string; oauthURL: string; cert: Cert }): ConsoleOptions {
  return {
    namespace: x.ns,
    release: x.release,
    image: o.image ?? defaultConsoleImage(x.release, x.fullVersion),
    oauthProviderURL: x.oauthURL,
    registryHost: x.registryHost,
    consoleHost: x.consoleHost,
    oauthSecret: oauthClientSecret((n) => ctx.randomBytes(n)),
    cert: x.cert?.cert,
    debug: o.debug,
  };
}

/** `-o yaml|json|name`: everything as it will be. Without both hosts given, they are read from the cluster. */
export async function renderConsole(o: ConsoleCommandOptions, ctx: Context, cert: Cert): Promise<void> {
  const format = ctx.globals.output!;
  let ns = offlineNamespace(ctx.globals);
  let release = releaseOf(o);
  let fullVersion: string | undefined;
  let registryHost = o.registryHost;
  let consoleHost = o.hostname ?? o.consoleHost;
  let oauthURL = o.oauthProviderURL;
  let routeHost = o.hostname;
  if (!registryHost || !consoleHost) {
    let cluster: Cluster;
    let live: Live;
    try {
      cluster = await ctx.cluster();
      live = await readLive(cluster, o);
    } catch (e) {
      if (e instanceof OperationError && /OpenShift 4|plain Kubernetes/.test(e.message)) throw e;
      throw new UsageError(`-o ${format} without a cluster needs --registry-host and --console-host (or --hostname)`, `connecting failed: ${(e as Error).message}`);
    }
    ns = live.ns;
    release = live.release;
    fullVersion = live.fullVersion;
    registryHost ??= registryHostOf(live);
    const liveHost = live.consoleRoute?.spec?.host as string | undefined;
    if (liveHost) routeHost = liveHost;
    consoleHost = liveHost || consoleHost;
    if (!consoleHost) {
      throw new UsageError(`route "${CONSOLE_ROUTE}" does not exist yet, so its host is not known: pass --console-host (the host the router will assign) or --hostname`);
    }
    oauthURL ??= cluster.server;
  }
  if (!oauthURL) {
    try {
      oauthURL = (await ctx.cluster()).server;
    } catch (e) {
      throw new UsageError('--oauth-provider-url is needed to render without a kubeconfig', `reading the kubeconfig failed: ${(e as Error).message}`);
    }
  }
  for (const w of cert ? certWarnings(cert.checked.certificate, consoleHost, ctx.now()) : []) warn(ctx.io, w);
  const objects = [consoleRoute({ namespace: ns, hostname: routeHost }), ...consoleObjects(consoleOptions(o, ctx, { ns, release, fullVersion, registryHost, consoleHost, oauthURL, cert }))];
  ctx.io.out.write(formatObjects(objects, format));
}

/** JSON-patch operations that add --cert and --debug to a live DeploymentConfig (none when already there). */
export function deploymentConfigPatch(dc: Obj, o: { cert: boolean; debug: boolean }): unknown[] {
  const ops: unknown[] = [];
  const pod = dc.spec?.template?.spec ?? {};
  const containers: any[] = pod.containers ?? [];
  const i = containers.findIndex((c) => c.name === CONSOLE_NAME);
  if (i < 0) return ops;
  const c = containers[i];
  const at = `/spec/template/spec/containers/${i}`;
  // Guards the index: the patch fails rather than edit another container.
  const guard = { op: 'test', path: `${at}/name`, value: CONSOLE_NAME };
  if (o.cert) {
    const volumes: any[] = pod.volumes ?? [];
    if (!volumes.some((v) => v.secret?.secretName === CERT_SECRET)) {
      if (volumes.some((v) => v.name === CERT_VOLUME)) throw new OperationError(`deploymentconfig/${CONSOLE_NAME} has a volume named "${CERT_VOLUME}" that is not the secret ${CERT_SECRET}; remove it and run again`);
      ops.push(pod.volumes ? { op: 'add', path: '/spec/template/spec/volumes/-', value: certVolume() } : { op: 'add', path: '/spec/template/spec/volumes', value: [certVolume()] });
    }
    const mounts: any[] = c.volumeMounts ?? [];
    const existing = mounts.findIndex((m) => m.mountPath === CERT_DIR);
    const mounted = existing >= 0 && mounts[existing].name === (volumes.find((v) => v.secret?.secretName === CERT_SECRET)?.name ?? CERT_VOLUME);
    if (!mounted) {
      if (existing >= 0) ops.push(guard, { op: 'replace', path: `${at}/volumeMounts/${existing}`, value: certVolumeMount() });
      else ops.push(guard, c.volumeMounts ? { op: 'add', path: `${at}/volumeMounts/-`, value: certVolumeMount() } : { op: 'add', path: `${at}/volumeMounts`, value: [certVolumeMount()] });
    }
  }
  if (o.debug) {
    const env: any[] = c.env ?? [];
    const j = env.findIndex((e) => e.name === DEBUG_ENV.name);
    if (j < 0) ops.push(guard, c.env ? { op: 'add', path: `${at}/env/-`, value: { ...DEBUG_ENV } } : { op: 'add', path: `${at}/env`, value: [{ ...DEBUG_ENV }] });
    else if (env[j].value !== DEBUG_ENV.value || env[j].valueFrom) ops.push(guard, { op: 'replace', path: `${at}/env/${j}`, value: { ...DEBUG_ENV } });
  }
  // One guard is enough.
  return ops.filter((op, k) => op !== guard || ops.indexOf(guard) === k);
}

/** What to do with each console object: create the missing, keep the rest, update for --cert/--debug. */
export function planConsoleObjects(desired: KubeObject[], live: Map<string, Obj | undefined>, o: { cert: boolean; debug: boolean }): { plan: Plan; kept: KubeObject[]; changed: string[] } {
  const steps: Step[] = [];
  const kept: KubeObject[] = [];
  const changed: string[] = [];
  for (const want of desired) {
    const have = live.get(want.kind);
    const where = want.metadata.namespace ? ` in ${want.metadata.namespace}` : '';
    if (!have) {
      steps.push({ kind: 'create', describe: `create ${resourceName(want)}${where}`, object: want });
      continue;
    }
    if (want.kind === 'Secret' && JSON.stringify(have.data ?? {}) !== JSON.stringify(want.data)) {
      steps.push({ kind: 'replace', describe: `replace ${resourceName(want)}${where} with the --cert file (the old one is backed up)`, object: { ...want, metadata: { ...want.metadata, labels: { ...have.metadata.labels, ...want.metadata.labels } } } });
      changed.push('Secret');
      continue;
    }
    if (want.kind === 'DeploymentConfig') {
      const ops = deploymentConfigPatch(have, o);
      if (ops.length) {
        const what = [o.cert && ops.some((p: any) => /volume/i.test(p.path)) ? `mount secret ${CERT_SECRET} at ${CERT_DIR}` : '', o.debug && ops.some((p: any) => /\/env/.test(p.path)) ? `set ${DEBUG_ENV.name}=${DEBUG_ENV.value}` : '']
          .filter(Boolean)
          .join(' and ');
        steps.push({ kind: 'patch', describe: `patch ${resourceName(want)}${where}: ${what} (a new rollout)`, target: { apiVersion: want.apiVersion, kind: want.kind, name: want.metadata.name, namespace: want.metadata.namespace }, patchType: 'json', patch: ops });
        changed.push('DeploymentConfig');
        continue;
      }
    }
    kept.push(have);
  }
  return { plan: { command: 'console', steps }, kept, changed };
}

/** Existing objects that disagree with the routes: the login fails (issues #3167, docs #3669). */
function driftWarnings(live: Live, registryHost: string, consoleHost: string): { warnings: string[]; fixes: string[] } {
  const warnings: string[] = [];
  const fixes: string[] = [];
  const url = consoleURL(consoleHost);
  const client = live.objects.get('OAuthClient');
  if (client && !(client.redirectURIs ?? []).includes(url)) {
    warnings.push(`oauthclient/${OAUTH_CLIENT_ID} redirects to ${JSON.stringify(client.redirectURIs ?? [])}, not ${url}: logging in to the console will fail (invalid_request). To fix it:`);
    fixes.push(`oc patch oauthclient ${OAUTH_CLIENT_ID} --type=merge -p '{"redirectURIs":["${url}"]}'`);
  }
  const dc = live.objects.get('DeploymentConfig');
  const env: any[] = dc?.spec?.template?.spec?.containers?.find((c: any) => c.name === CONSOLE_NAME)?.env ?? [];
  const reg = env.find((e) => e.name === 'REGISTRY_HOST')?.value;
  if (dc && reg !== undefined && reg !== registryHost) {
    warnings.push(`deploymentconfig/${CONSOLE_NAME} has REGISTRY_HOST=${reg}, but route ${REGISTRY_ROUTE} is ${registryHost}. To fix it:`);
    fixes.push(`oc set env dc/${CONSOLE_NAME} -n ${live.ns} REGISTRY_HOST=${registryHost}`);
  }
  return { warnings, fixes };
}

function backups(ctx: Context): BackupDir {
  return new BackupDir(ctx.globals.backupDir ?? defaultBackupRoot(ctx.env), 'console', ctx.now());
}

/** The console route: kept when it exists, else created and read back for the host the router gave it. */
async function ensureRoute(ctx: Context, cluster: Cluster, live: Live, o: ConsoleCommandOptions, serverDryRun: boolean, backupDir: BackupDir): Promise<{ host: string; created: boolean }> {
  const existing = live.consoleRoute;
  if (existing) {
    const host = existing.spec?.host as string | undefined;
    result(ctx.io, `route.route.openshift.io/${CONSOLE_ROUTE} unchanged`);
    if (existing.spec?.tls?.termination !== 'passthrough') {
      warn(ctx.io, `route ${CONSOLE_ROUTE} terminates TLS as "${existing.spec?.tls?.termination ?? 'none'}": only passthrough works, the console login loops otherwise (openshift-ansible#8276)`);
    }
    if (!host) throw new OperationError(`route "${CONSOLE_ROUTE}" in namespace ${live.ns} has no host`, `delete it (oc delete route ${CONSOLE_ROUTE} -n ${live.ns}) and run again with --hostname`);
    if (o.hostname && o.hostname !== host) warn(ctx.io, `route ${CONSOLE_ROUTE} exists with host ${host}: kept (--hostname ${o.hostname} is not applied; delete the route to change it)`);
    return { host, created: false };
  }
  const plan: Plan = { command: 'console', steps: [{ kind: 'create', describe: `create route.route.openshift.io/${CONSOLE_ROUTE} in ${live.ns} (passthrough)`, object: consoleRoute({ namespace: live.ns, hostname: o.hostname }) }] };
  const done = await executePlan(plan, { cluster, io: ctx.io, serverDryRun, backups: backupDir });
  const host = (done.results[0]?.object as Obj | undefined)?.spec?.host as string | undefined;
  if (!host) {
    if (!serverDryRun) await cluster.delete(route(CONSOLE_ROUTE, live.ns));
    throw new OperationError(
      `the server gave route "${CONSOLE_ROUTE}" no host (no routing subdomain is configured), so the console URL is unknown; the route was deleted again`,
      'run again with --hostname=<the console host name, resolving to the router>',
    );
  }
  return { host, created: true };
}

export async function applyConsole(o: ConsoleCommandOptions, ctx: Context, cert: Cert): Promise<void> {
  if (o.registryHost) throw new UsageError(`--registry-host is for rendering (-o); applied, REGISTRY_HOST is the host of route ${REGISTRY_ROUTE}`);
  if (o.consoleHost) throw new UsageError('--console-host is for rendering (-o); applied, the host is read back from the route (choose it with --hostname)');
  const cluster = await ctx.cluster();
  const live = await readLive(cluster, o);
  const registryHost = registryHostOf(live);
  const oauthURL = o.oauthProviderURL ?? cluster.server;
  const flags = { cert: cert !== undefined, debug: o.debug };
  const plannedHost = (live.consoleRoute?.spec?.host as string | undefined) || o.hostname;
  // Checked before any change when the host is known; after the route exists otherwise.
  const certWarned = plannedHost !== undefined;
  if (cert && certWarned) for (const w of certWarnings(cert.checked.certificate, plannedHost, ctx.now())) warn(ctx.io, w);

  if (ctx.globals.dryRun === 'client') {
    const host = plannedHost ?? '<the host the router assigns>';
    const desired = consoleObjects(consoleOptions(o, ctx, { ...live, registryHost, consoleHost: host, oauthURL, cert }));
    const { plan, kept } = planConsoleObjects(desired, live.objects, flags);
    const routeSteps: Step[] = live.consoleRoute ? [] : [{ kind: 'create', describe: `create route.route.openshift.io/${CONSOLE_ROUTE} in ${live.ns} (passthrough)`, object: consoleRoute({ namespace: live.ns, hostname: o.hostname }) }];
    const all: Plan = { command: 'console', steps: [...routeSteps, ...plan.steps] };
    if (all.steps.length === 0) info(ctx.io, `the registry console exists in namespace ${live.ns}: nothing to do`);
    else {
      info(ctx.io, `would run, in namespace ${live.ns} (REGISTRY_HOST=${registryHost}, console https://${host}):`);
      commands(ctx.io, describePlan(all));
    }
    for (const k of [...(live.consoleRoute ? [live.consoleRoute] : []), ...kept]) info(ctx.io, `keeps ${resourceName(k)}`);
    return;
  }

  const serverDryRun = ctx.globals.dryRun === 'server';
  const backupDir = backups(ctx);
  const { host: consoleHost, created: routeCreated } = await ensureRoute(ctx, cluster, live, o, serverDryRun, backupDir);
  if (cert && !certWarned) for (const w of certWarnings(cert.checked.certificate, consoleHost, ctx.now())) warn(ctx.io, w);

  const opts = consoleOptions(o, ctx, { ...live, registryHost, consoleHost, oauthURL, cert });
  const { plan, kept, changed } = planConsoleObjects(consoleObjects(opts), live.objects, flags);
  for (const k of kept) result(ctx.io, `${resourceName(k)} unchanged`);
  try {
    await executePlan(plan, { cluster, io: ctx.io, serverDryRun, backups: backupDir });
  } catch (e) {
    if (routeCreated && !serverDryRun) {
      // The route belongs to this run: undo it with the rest.
      await cluster.delete(route(CONSOLE_ROUTE, live.ns)).then(
        () => info(ctx.io, `  undone: route.route.openshift.io/${CONSOLE_ROUTE} deleted`),
        () => commands(ctx.io, [`oc delete route ${CONSOLE_ROUTE} -n ${live.ns}`]),
      );
    }
    throw e;
  }
  if (serverDryRun) {
    success(ctx.io, `the cluster accepted every object (server dry run): nothing was created; the console would be at ${consoleURL(consoleHost)}`);
    return;
  }

  const { warnings, fixes } = driftWarnings(live, registryHost, consoleHost);
  for (const w of warnings) warn(ctx.io, w);
  if (fixes.length) commands(ctx.io, fixes);
  const dcCreated = plan.steps.some((s) => s.kind === 'create' && s.object.kind === 'DeploymentConfig');
  if (dcCreated && !o.image && !live.release.enterprise) {
    // openshift-ansible does this on masters for the Red Hat image on origin (openshift-ansible#12125).
    info(ctx.io, 'the console image comes from registry.access.redhat.com; on CentOS/Fedora masters docker needs this file to pull it:');
    commands(ctx.io, ['sudo mkdir -p /etc/rhsm/ca && sudo touch /etc/rhsm/ca/redhat-uep.pem']);
  }
  if (o.wait && (dcCreated || changed.includes('DeploymentConfig'))) {
    await waitForRollout(cluster, { ...refs(live.ns).dc }, { timeoutSeconds: o.timeoutSeconds, io: ctx.io });
  }
  if (changed.includes('Secret') && !changed.includes('DeploymentConfig')) {
    info(ctx.io, `the running console reads the new certificate only when restarted: oc rollout latest dc/${CONSOLE_NAME} -n ${live.ns}`);
  }
  if (!cert && dcCreated) info(ctx.io, 'the console serves a self-signed certificate; run again with --cert FILE to serve yours');
  success(ctx.io, `registry console: ${consoleURL(consoleHost)}`);
}
