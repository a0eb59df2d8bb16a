// `regctl console`, pure: the passthrough route and the registry-console template's objects,
// wired to both routes. The console's host is known before anything is created: the live
// route's, --hostname, or the one the router would assign (`registry-console-<ns>.<subdomain>`,
// the subdomain read off the router-assigned docker-registry route); the route is created with
// it, so the OAuthClient's redirect URI is planned with the rest.
import type { Cluster } from '../../cluster/types.js';
import { waitForRollout } from '../../cluster/rollout.js';
import { OperationError, UsageError } from '../../errors.js';
import { sameData } from '../../objects.js';
import { sleptClock } from '../../output/poll.js';
import { resourceName } from '../../output/printers.js';
import { certWarnings, type CockpitCert } from '../../pki/cockpit.js';
import { emptyPlan, type KubeObject, type Plan, type Step } from '../../plan/types.js';
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
  type ConsoleCert,
  type ConsoleRelease,
} from '../../templates/console.js';
import { consoleRefs, type ConsoleLive, type Obj } from './live.js';
import { releaseMinorOf, releaseOf, type ConsoleCommandOptions } from './options.js';

export interface ConsoleInputs {
  cert?: { cert: ConsoleCert; checked: CockpitCert };
  /** The OAuthClient secret for a new client (random, made by the caller). */
  oauthSecret: string;
  now: Date;
}

/** Where the console goes: namespace, template release, and the hosts it is wired to. */
export interface ConsoleTarget {
  namespace: string;
  release: ConsoleRelease;
  fullVersion?: string;
  registryHost: string;
  consoleHost: string;
  oauthURL: string;
}

/** `registry-console-<ns>.<subdomain>` when the docker-registry route's host was given by the router. */
function routerAssignedHost(live: ConsoleLive): string | undefined {
  const host = live.registryRoute?.spec?.host as string | undefined;
  const prefix = `${REGISTRY_ROUTE}-${live.namespace}.`;
  if (!host?.startsWith(prefix)) return undefined;
  return `${CONSOLE_ROUTE}-${live.namespace}.${host.slice(prefix.length)}`;
}

export function consoleTarget(o: ConsoleCommandOptions, live: ConsoleLive, oauthURL: string): ConsoleTarget {
  const ns = live.namespace;
  let registryHost = o.registryHost;
  if (!registryHost) {
    if (!live.registryRoute) {
      throw new OperationError(`the registry is not exposed: there is no route "${REGISTRY_ROUTE}" in namespace ${ns}`, `run regctl expose first (the console reaches the registry through that route), or pass -n with the registry's namespace`);
    }
    registryHost = live.registryRoute.spec?.host as string | undefined;
    if (!registryHost) throw new OperationError(`route "${REGISTRY_ROUTE}" in namespace ${ns} has no host`, 'give it one (regctl expose --hostname=...) and run again');
  }
  const liveHost = live.consoleRoute?.spec?.host as string | undefined;
  if (live.consoleRoute && !liveHost) throw new OperationError(`route "${CONSOLE_ROUTE}" in namespace ${ns} has no host`, `delete it (oc delete route ${CONSOLE_ROUTE} -n ${ns}) and run again with --hostname`);
  const consoleHost = liveHost || o.hostname || o.consoleHost || routerAssignedHost(live);
  if (!consoleHost) {
    throw new UsageError(
      `the host for route "${CONSOLE_ROUTE}" is not known: route ${REGISTRY_ROUTE} has a host of its own (${registryHost}), so the router's subdomain cannot be read off it`,
      `pass --hostname=${CONSOLE_ROUTE}-${ns}.<the router's subdomain> (or any host that resolves to the router)`,
    );
  }
  const release = releaseOf(o, releaseMinorOf(live.info.openshiftVersion));
  return { namespace: ns, release, fullVersion: live.info.openshiftVersion, registryHost, consoleHost, oauthURL };
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

/** The object after the add/replace/test operations deploymentConfigPatch makes (what -o prints). */
function applyOps(obj: Obj, ops: unknown[]): KubeObject {
  const { uid: _u, resourceVersion: _r, creationTimestamp: _c, generation: _g, managedFields: _m, ...metadata } = obj.metadata;
  const { status: _s, ...rest } = structuredClone(obj);
  const out = { ...rest, metadata } as any;
  for (const op of ops as { op: string; path: string; value?: unknown }[]) {
    if (op.op === 'test') continue;
    const parts = op.path.split('/').slice(1);
    const last = parts.pop()!;
    const parent = parts.reduce((p, k) => p[k], out);
    if (Array.isArray(parent) && last === '-') parent.push(structuredClone(op.value));
    else parent[last] = structuredClone(op.value);
  }
  return out as KubeObject;
}

/** What to do with each console object: create the missing, keep the rest, change the Secret and DC for --cert/--debug. */
export function planConsoleObjects(desired: KubeObject[], live: Map<string, Obj | undefined>, o: { cert: boolean; debug: boolean }): { steps: Step[]; kept: KubeObject[]; changed: string[] } {
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
    if (want.kind === 'Secret' && !sameData(have, want)) {
      const object = { ...want, metadata: { ...want.metadata, labels: { ...have.metadata.labels, ...want.metadata.labels } } };
      steps.push({ kind: 'update', describe: `replace ${resourceName(want)}${where} with the --cert file (the old one is backed up)`, object, live: have });
      changed.push('Secret');
      continue;
    }
    if (want.kind === 'DeploymentConfig') {
      const ops = deploymentConfigPatch(have, o);
      if (ops.length) {
        const what = [o.cert && ops.some((p: any) => /volume/i.test(p.path)) ? `mount secret ${CERT_SECRET} at ${CERT_DIR}` : '', o.debug && ops.some((p: any) => /\/env/.test(p.path)) ? `set ${DEBUG_ENV.name}=${DEBUG_ENV.value}` : ''].filter(Boolean).join(' and ');
        steps.push({ kind: 'patch', describe: `patch ${resourceName(want)}${where}: ${what} (a new rollout)`, live: have, patchType: 'json', patch: ops, after: applyOps(have, ops) });
        changed.push('DeploymentConfig');
        continue;
      }
    }
    kept.push(have);
  }
  return { steps, kept, changed };
}

/** Existing objects that disagree with the routes: the login fails (issues #3167, docs #3669). */
function driftWarnings(live: ConsoleLive, t: ConsoleTarget): string[] {
  const warnings: string[] = [];
  const url = consoleURL(t.consoleHost);
  const client = live.objects.get('OAuthClient');
  if (client && !(client.redirectURIs ?? []).includes(url)) {
    warnings.push(`oauthclient/${OAUTH_CLIENT_ID} redirects to ${JSON.stringify(client.redirectURIs ?? [])}, not ${url}: logging in to the console will fail (invalid_request). To fix it: oc patch oauthclient ${OAUTH_CLIENT_ID} --type=merge -p '{"redirectURIs":["${url}"]}'`);
  }
  const dc = live.objects.get('DeploymentConfig');
  const env: any[] = dc?.spec?.template?.spec?.containers?.find((c: any) => c.name === CONSOLE_NAME)?.env ?? [];
  const reg = env.find((e) => e.name === 'REGISTRY_HOST')?.value;
  if (dc && reg !== undefined && reg !== t.registryHost) {
    warnings.push(`deploymentconfig/${CONSOLE_NAME} has REGISTRY_HOST=${reg}, but route ${REGISTRY_ROUTE} is ${t.registryHost}. To fix it: oc set env dc/${CONSOLE_NAME} -n ${live.namespace} REGISTRY_HOST=${t.registryHost}`);
  }
  return warnings;
}

export function planConsole(o: ConsoleCommandOptions, live: ConsoleLive, t: ConsoleTarget, inputs: ConsoleInputs): Plan {
  const plan = emptyPlan('console', 'oc');
  const ns = t.namespace;
  const url = consoleURL(t.consoleHost);
  if (live.consoleRoute) {
    const termination = live.consoleRoute.spec?.tls?.termination;
    if (termination !== 'passthrough') plan.warnings.push(`route ${CONSOLE_ROUTE} terminates TLS as "${termination ?? 'none'}": only passthrough works, the console login loops otherwise (openshift-ansible#8276)`);
    if (o.hostname && o.hostname !== t.consoleHost) plan.warnings.push(`route ${CONSOLE_ROUTE} exists with host ${t.consoleHost}: kept (--hostname ${o.hostname} is not applied; delete the route to change it)`);
  } else {
    plan.steps.push({ kind: 'create', describe: `create route.route.openshift.io/${CONSOLE_ROUTE} in ${ns} (passthrough, host ${t.consoleHost})`, object: consoleRoute({ namespace: ns, hostname: t.consoleHost }) });
  }
  if (inputs.cert) plan.warnings.push(...certWarnings(inputs.cert.checked.certificate, t.consoleHost, inputs.now));
  const desired = consoleObjects({
    namespace: ns,
    release: t.release,
    image: o.image ?? defaultConsoleImage(t.release, t.fullVersion),
    oauthProviderURL: t.oauthURL,
    registryHost: t.registryHost,
    consoleHost: t.consoleHost,
    oauthSecret: inputs.oauthSecret,
    cert: inputs.cert?.cert,
    debug: o.debug,
  });
  const { steps, changed } = planConsoleObjects(desired, live.objects, { cert: inputs.cert !== undefined, debug: o.debug });
  plan.steps.push(...steps);
  plan.warnings.push(...driftWarnings(live, t));

  const dcCreated = steps.some((s) => s.kind === 'create' && s.object.kind === 'DeploymentConfig');
  if (dcCreated && !o.image && !t.release.enterprise) {
    // openshift-ansible does this on masters for the Red Hat image on origin (openshift-ansible#12125).
    plan.notes.push('# the console image comes from registry.access.redhat.com; on CentOS/Fedora masters docker needs this file to pull it:', 'sudo mkdir -p /etc/rhsm/ca && sudo touch /etc/rhsm/ca/redhat-uep.pem');
  }
  if (changed.includes('Secret') && !changed.includes('DeploymentConfig')) {
    plan.notes.push('# the running console reads the new certificate only when restarted:', `oc rollout latest dc/${CONSOLE_NAME} -n ${ns}`);
  }
  if (!inputs.cert && dcCreated) plan.notes.push('# the console serves a self-signed certificate; run again with --cert (a .cert file: certificates, then the key) to serve yours');
  if (o.wait && (dcCreated || changed.includes('DeploymentConfig'))) {
    plan.after = (w) => waitForRollout(w.cluster as Cluster, { ...consoleRefs(ns).DeploymentConfig!, namespace: ns }, { timeoutSeconds: o.timeoutSeconds, io: w.io, env: w.env, ...sleptClock(w.sleep) });
  }
  plan.done = `registry console: ${url}`;
  plan.nothing = `registry console: ${url} (every object exists: nothing to change)`;
  return plan;
}
