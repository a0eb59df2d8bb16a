// `regctl expose`, pure: the platform's way of reaching the registry from outside.
// 3.x: a passthrough Route, and imagePolicyConfig hostnames in the master configuration file.
// 4.x: the operator's spec.defaultRoute / spec.routes[], and image.config's hostnames.
// Kubernetes: an ingress-nginx Ingress with TLS passthrough.
import { OperationError, UsageError } from '../../errors.js';
import { commands, success } from '../../output/messages.js';
import { resourceName } from '../../output/printers.js';
import { hostOf, namesMissing } from '../../pki/names.js';
import { recreatable } from '../../plan/execute.js';
import { emptyPlan, mergePatch, refOf, type KubeObject, type Plan } from '../../plan/types.js';
import { decodeSecretKey, SERVING_SECRETS } from '../../registry/certificates.js';
import { anyWorkload, tlsEvidence } from '../../registry/find.js';
import { trustCommands } from '../../registry/trust.js';
import { MASTER_RESTART_COMMANDS, MasterConfigError, setRegistryHostnames } from '../../templates/master-config.js';
import { REGISTRY_NAME, TLS_SECRET } from '../../templates/registry.js';
import { addExternalHostnames, passthroughIngress, passthroughRoute, registryConfigPatch, ROUTE_NAME, type OperatorRoute } from '../../templates/route.js';
import { OPERATOR_NAMESPACE } from '../../templates/operator.js';
import type { ExposeLive } from './live.js';
import type { ExposeOptions } from './options.js';

/** What was read from this machine before planning. */
export interface ExposeInputs {
  /** --master-config's text, when the hostnames are edited (3.x). */
  masterConfig?: string;
  /** The CA regctl keeps for this cluster, when it exists (what `regctl secure` signed with). */
  regctlCA?: string;
}

export interface ExposePlan {
  plan: Plan;
  /** Said before the plan runs: what exists already. */
  infos: string[];
}

const CA_FILE = 'registry-ca.crt';

/** Where the CA to trust comes from: --ca, the regctl CA, or a command that takes it from the cluster. */
function caSource(o: ExposeOptions, live: ExposeLive, inputs: ExposeInputs, cli: 'oc' | 'kubectl'): { file: string; fetch: string[] } {
  if (o.caPath) return { file: o.caPath, fetch: [] };
  const fromSecret = (name: string, key: string, ns: string) => ({ file: CA_FILE, fetch: [`${cli} get secret ${name} -n ${ns} -o jsonpath='{.data.${key.replace(/\./g, '\\.')}}' | base64 -d > ${CA_FILE}`] });
  if (live.info.platform === 'openshift4') return o.tlsSecret ? fromSecret(o.tlsSecret, 'tls.crt', OPERATOR_NAMESPACE) : fromSecret('router-ca', 'tls.crt', 'openshift-ingress-operator');
  if (inputs.regctlCA) return { file: inputs.regctlCA, fetch: [] };
  const i = live.servingSecrets.findIndex((s) => s !== undefined);
  const s = SERVING_SECRETS[i >= 0 ? i : 0];
  return fromSecret(s.name, s.key, live.namespace);
}

/** The commands a machine that pushes or pulls through `host` runs: trust the CA (docker, podman/CRI-O), then log in. */
function trustAndLogin(o: ExposeOptions, live: ExposeLive, inputs: ExposeInputs, host: string, cli: 'oc' | 'kubectl'): string[] {
  const ca = caSource(o, live, inputs, cli);
  const lines = [
    `# On each machine that pushes or pulls through ${host}, trust the CA that signed the certificate it presents:`,
    ...ca.fetch,
    ...trustCommands({ hosts: [host], caFile: ca.file, runtimes: ['docker', 'cri-o'] }),
  ];
  if (cli === 'oc') {
    // The token goes through stdin: not into the process list or the shell history.
    lines.push('# Then log in with your OpenShift token:', `oc whoami -t | docker login -u $(oc whoami) --password-stdin ${host}`, `oc whoami -t | podman login -u $(oc whoami) --password-stdin ${host}`);
  }
  return lines;
}

/** A warning for each name the certificate in a secret does not cover. */
function certificateWarnings(where: string, pem: string | undefined, names: string[], fix: string): string[] {
  if (!pem || names.length === 0) return [];
  const missing = namesMissing(pem, names);
  if (missing === undefined) return [`${where} holds no certificate regctl can read; check by hand that it names ${names.join(', ')}`];
  if (!missing.length) return [];
  return [`the certificate in ${where} does not name ${missing.join(', ')}: clients connecting by ${missing.length > 1 ? 'those names' : 'that name'} will refuse it. ${fix}`];
}

/** Passthrough needs TLS at the registry: refused without it (a warning with --force). */
function requireTLS(live: ExposeLive, force: boolean, what: 'route' | 'Ingress'): string[] {
  const workload = anyWorkload(live.workloads);
  if (workload && tlsEvidence(workload)) return [];
  const found = workload ? `${resourceName(workload)} has no REGISTRY_HTTP_TLS_CERTIFICATE and probes over HTTP` : `no DeploymentConfig, Deployment or DaemonSet "${REGISTRY_NAME}" was found to check`;
  const why = `a passthrough ${what} hands the TLS connection to the registry itself, so it must serve TLS`;
  if (!force) throw new OperationError(`the registry does not serve TLS (${found}): ${why}`, `secure it first (regctl secure), or pass --force to create the ${what} anyway`);
  return [`the registry does not serve TLS (${found}); creating the ${what} anyway (--force), but clients will fail until it does: ${why}`];
}

export function planExpose(o: ExposeOptions, live: ExposeLive, inputs: ExposeInputs): ExposePlan {
  switch (live.info.platform) {
    case 'openshift3':
      return planRoute(o, live, inputs);
    case 'openshift4':
      return planOperator(o, live, inputs);
    case 'kubernetes':
      if (!o.ingress) {
        throw new OperationError(
          `the cluster at ${live.server} is plain Kubernetes: it has no routes (route.openshift.io). Expose the registry with an Ingress that passes TLS through to it: regctl expose --ingress --hostname=HOST (ingress-nginx, annotation nginx.ingress.kubernetes.io/ssl-passthrough)`,
          'or put a Service of type LoadBalancer or NodePort in front of the registry (it serves its own TLS)',
        );
      }
      return planIngress(o, live, inputs);
  }
}

// ---- OpenShift 3.x: the passthrough route and master-config.yaml --------------------------------

function planRoute(o: ExposeOptions, live: ExposeLive, inputs: ExposeInputs): ExposePlan {
  if (o.ingress) throw new UsageError('--ingress is for plain Kubernetes; OpenShift exposes the registry with a route (leave out --ingress)');
  if (o.defaultRoute) throw new UsageError('--default-route: the default route belongs to the Image Registry Operator of OpenShift 4; on 3.x regctl creates the passthrough route docker-registry (use --hostname to choose its host)');
  if (o.tlsSecret) throw new UsageError('--tls-secret is for OpenShift 4 routes; a 3.x passthrough route uses the registry\'s own certificate (regctl secure)');
  const ns = live.namespace;
  const plan = emptyPlan('expose', 'oc');
  const infos: string[] = [];
  let masterConfig: { text: string; changes: string[] } | undefined;
  if (inputs.masterConfig !== undefined) {
    try {
      masterConfig = setRegistryHostnames(inputs.masterConfig, { internalRegistryHostname: o.internalHostname, externalRegistryHostname: o.externalHostname });
    } catch (e) {
      if (e instanceof MasterConfigError) throw new UsageError(`--master-config: "${o.masterConfigPath}": ${e.message}`);
      throw e;
    }
  }

  let host: string | undefined;
  if (o.route) {
    if (!live.service) throw new OperationError(`service/${REGISTRY_NAME} does not exist in ${ns}: there is no registry to expose`, 'create it first: regctl deploy (then regctl secure)');
    plan.warnings.push(...requireTLS(live, o.force, 'route'));
    const ports = (live.service.spec as { ports?: { name?: string }[] }).ports ?? [];
    const route = passthroughRoute({ namespace: ns, service: REGISTRY_NAME, hostname: o.hostname, targetPort: ports[0]?.name, labels: live.service.metadata.labels });
    if (live.route) {
      const spec = live.route.spec as { host?: string; tls?: { termination?: string }; to?: { name?: string } };
      const same = spec.tls?.termination === 'passthrough' && spec.to?.name === REGISTRY_NAME && (!o.hostname || spec.host === o.hostname);
      if (!same) {
        throw new OperationError(
          `route/${ROUTE_NAME} already exists in ${ns} (host ${spec.host ?? '(none)'}, termination ${spec.tls?.termination ?? 'none'}, to ${spec.to?.name ?? '?'}): regctl does not change a route it did not make`,
          `delete it first (oc delete route/${ROUTE_NAME} -n ${ns}) and run this again`,
        );
      }
      infos.push(`route/${ROUTE_NAME} exists already (host ${spec.host ?? '(assigned by the router)'}, passthrough)`);
      host = spec.host;
    } else {
      plan.steps.push({ kind: 'create', describe: `create route.route.openshift.io/${ROUTE_NAME} in ${ns}: passthrough to service/${REGISTRY_NAME}${o.hostname ? `, host ${o.hostname}` : ''}`, object: route });
      host = o.hostname;
      // Without --hostname the router names the host: the trust steps are given once it has.
      if (!host) plan.after = async (w) => {
        const made = await w.cluster?.get(refOf(route));
        const assigned = (made?.spec as { host?: string } | undefined)?.host;
        success(w.io, `the registry is exposed at ${assigned ?? `the host the router gives route/${ROUTE_NAME}`} (passthrough to service/${REGISTRY_NAME})`);
        commands(w.io, assigned ? routeNotes(o, live, inputs, assigned) : [`HOST=$(oc get route/${ROUTE_NAME} -n ${ns} --template='{{ .spec.host }}')`, ...routeNotes(o, live, inputs, '$HOST')]);
      };
    }
    if (host) {
      plan.notes.push(...routeNotes(o, live, inputs, host));
      plan.done = `the registry is exposed at ${host} (passthrough to service/${REGISTRY_NAME})`;
    }
  }
  if (masterConfig && masterConfig.changes.length) {
    plan.steps.push({ kind: 'writeFile', describe: `edit ${o.masterConfigPath} (backed up first): ${masterConfig.changes.join('; ')}`, path: o.masterConfigPath, content: masterConfig.text });
    plan.notes.push(`# ${o.masterConfigPath} changed. Restart the master on every master host to use it:`, ...MASTER_RESTART_COMMANDS);
    if (o.internalHostname) {
      plan.notes.push(`# The registry must answer on ${o.internalHostname}:`, `oc set env dc/${REGISTRY_NAME} REGISTRY_OPENSHIFT_SERVER_ADDR=${o.internalHostname} -n ${ns}`);
    }
  } else if (masterConfig) {
    infos.push(`${o.masterConfigPath} already has these registry hostnames`);
  }

  // The names clients will use must be in the registry's serving certificate (seed 000).
  const names = [o.hostname, o.internalHostname, o.externalHostname].filter((n): n is string => !!n);
  SERVING_SECRETS.forEach((s, i) => {
    plan.warnings.push(...certificateWarnings(`secret ${s.name} (${s.key})`, decodeSecretKey(live.servingSecrets[i], s.key), names, `Issue a new one that keeps its names and adds these: regctl secure --renew --hostnames=${[...new Set(names.map(hostOf))].join(',')}`));
  });
  plan.nothing = `nothing to change: ${[o.route ? `route/${ROUTE_NAME} exists` : '', masterConfig ? `${o.masterConfigPath} has the hostnames` : ''].filter(Boolean).join('; ')}`;
  return { plan, infos };
}

function routeNotes(o: ExposeOptions, live: ExposeLive, inputs: ExposeInputs, host: string): string[] {
  const notes = trustAndLogin(o, live, inputs, host, 'oc');
  if (!o.externalHostname && host !== '$HOST') notes.push(`# Image streams still show the service address; to show ${host} instead (on a master):`, `regctl expose --external-hostname=${host}`);
  return notes;
}

/** The object as a merge patch leaves it, without the server's bookkeeping (what -o prints). */
function asPatched(live: KubeObject, patch: unknown): KubeObject {
  return recreatable(mergePatch(live, patch) as KubeObject);
}

// ---- OpenShift 4.x: the operator's Config and image.config --------------------------------------

function planOperator(o: ExposeOptions, live: ExposeLive, inputs: ExposeInputs): ExposePlan {
  if (o.ingress) throw new UsageError('--ingress is for plain Kubernetes; on OpenShift 4 the operator makes the routes (--default-route, or --hostname)');
  if (o.internalHostname) throw new UsageError('--internal-hostname: on OpenShift 4 the Image Registry Operator sets the internal registry hostname (image.config.openshift.io status); it cannot be configured');
  if (!o.defaultRoute && !o.hostname && !o.externalHostname) {
    throw new UsageError('on OpenShift 4, say which route: --default-route (the operator\'s default-route), or --hostname=HOST [--tls-secret=SECRET] (a spec.routes[] entry)');
  }
  const config = live.operatorConfig;
  if (!config) throw new OperationError('configs.imageregistry.operator.openshift.io/cluster does not exist: is the Image Registry Operator installed?');
  if (o.tlsSecret && !live.tlsSecret) {
    throw new OperationError(`secret ${o.tlsSecret} does not exist in ${OPERATOR_NAMESPACE}`, `create it with the route's certificate: oc create secret tls ${o.tlsSecret} -n ${OPERATOR_NAMESPACE} --cert=tls.crt --key=tls.key`);
  }
  if (o.externalHostname && !live.imageConfig) throw new OperationError('image.config.openshift.io/cluster does not exist on this cluster');

  const plan = emptyPlan('expose', 'oc');
  const infos: string[] = [];
  const spec = (config.spec ?? {}) as { defaultRoute?: boolean; routes?: OperatorRoute[] };
  const entry: OperatorRoute | undefined = o.hostname ? { name: o.routeName, hostname: o.hostname, ...(o.tlsSecret ? { secretName: o.tlsSecret } : {}) } : undefined;
  const { patch, conflict } = registryConfigPatch(spec, { defaultRoute: o.defaultRoute, route: entry });
  if (conflict) throw new UsageError(`--route-name: spec.routes[] already has an entry "${conflict.name}" (host ${conflict.hostname ?? '(default)'}); give this route another name with --route-name`);
  const asked = [o.defaultRoute ? 'defaultRoute: true' : '', entry ? `a route for ${entry.hostname}` : ''].filter(Boolean);
  if (patch) {
    const what = [patch.spec.defaultRoute ? 'spec.defaultRoute: true' : '', patch.spec.routes ? `spec.routes[] + {name: ${entry!.name}, hostname: ${entry!.hostname}${entry!.secretName ? `, secretName: ${entry!.secretName}` : ''}}` : ''].filter(Boolean).join(', ');
    plan.steps.push({ kind: 'patch', describe: `merge-patch ${resourceName(config)}: ${what}`, live: config, patchType: 'merge', patch, after: asPatched(config, patch) });
  } else if (asked.length) infos.push(`${resourceName(config)} already has ${asked.join(' and ')}`);

  if (o.externalHostname && live.imageConfig) {
    const current = ((live.imageConfig.spec ?? {}) as { externalRegistryHostnames?: string[] }).externalRegistryHostnames;
    const list = addExternalHostnames(current, [o.externalHostname]);
    const p = { spec: { externalRegistryHostnames: list } };
    if (list) plan.steps.push({ kind: 'patch', describe: `merge-patch ${resourceName(live.imageConfig)}: spec.externalRegistryHostnames + ${o.externalHostname}`, live: live.imageConfig, patchType: 'merge', patch: p, after: asPatched(live.imageConfig, p) });
    else infos.push(`${resourceName(live.imageConfig)} already lists ${o.externalHostname} in externalRegistryHostnames`);
  }
  if (o.hostname && live.tlsSecret) {
    plan.warnings.push(...certificateWarnings(`secret ${o.tlsSecret} (tls.crt)`, decodeSecretKey(live.tlsSecret, 'tls.crt'), [o.hostname], `Make a certificate for ${o.hostname} and put it in the secret (oc create secret tls ${o.tlsSecret} -n ${OPERATOR_NAMESPACE} --cert=tls.crt --key=tls.key --dry-run=client -o yaml | oc replace -f -).`));
  }
  const done: string[] = [];
  if (o.defaultRoute) {
    done.push(`the operator creates route/default-route in ${OPERATOR_NAMESPACE} (re-encrypt, the router's default certificate)`);
    plan.notes.push(`HOST=$(oc get route default-route -n ${OPERATOR_NAMESPACE} --template='{{ .spec.host }}')`, ...trustAndLogin(o, live, inputs, '$HOST', 'oc'));
    plan.notes.push("# If the router's default certificate is not trusted, podman needs --tls-verify=false (or set a trusted default certificate on the Ingress Operator).");
  }
  if (o.hostname) {
    done.push(`the operator creates a route for ${o.hostname} in ${OPERATOR_NAMESPACE}${o.tlsSecret ? ` with the certificate in secret ${o.tlsSecret}` : " with the router's default certificate"}`);
    plan.notes.push(...trustAndLogin(o, live, inputs, o.hostname, 'oc'));
  }
  if (o.externalHostname) done.push(`image streams show ${o.externalHostname} as the registry's public name`);
  plan.done = done.join('; ');
  plan.nothing = `nothing to change: ${[...asked, o.externalHostname ? `${o.externalHostname} listed in externalRegistryHostnames` : ''].filter(Boolean).join(', ')}`;
  return { plan, infos };
}

// ---- Kubernetes: an Ingress with TLS passthrough ----------------------------------------------

function planIngress(o: ExposeOptions, live: ExposeLive, inputs: ExposeInputs): ExposePlan {
  if (o.defaultRoute || o.tlsSecret || o.internalHostname || o.externalHostname) {
    throw new UsageError('--default-route, --tls-secret, --internal-hostname and --external-hostname are OpenShift settings; on Kubernetes give --ingress --hostname');
  }
  const ns = live.namespace;
  const hostname = o.hostname!;
  const plan = emptyPlan('expose', 'kubectl');
  const infos: string[] = [];
  if (!live.service) throw new OperationError(`service/${REGISTRY_NAME} does not exist in ${ns}: there is no registry to expose`, 'create it first: regctl deploy --tls-certificate=... --tls-key=...');
  plan.warnings.push(...requireTLS(live, o.force, 'Ingress'));
  const port = ((live.service.spec as { ports?: { port?: number }[] }).ports ?? [])[0]?.port ?? 5000;
  const ingress = passthroughIngress({ namespace: ns, service: REGISTRY_NAME, hostname, port, ingressClass: o.ingressClass, labels: live.service.metadata.labels });
  const secretIndex = SERVING_SECRETS.findIndex((s) => s.name === TLS_SECRET);
  plan.warnings.push(...certificateWarnings(`secret ${TLS_SECRET} (tls.crt)`, decodeSecretKey(live.servingSecrets[secretIndex], 'tls.crt'), [hostname], `Deploy the registry with a certificate for ${hostname} (regctl deploy --tls-certificate).`));
  if (live.ingress) {
    const rules = (live.ingress.spec as { rules?: { host?: string }[] } | undefined)?.rules ?? [];
    const passthrough = live.ingress.metadata.annotations?.['nginx.ingress.kubernetes.io/ssl-passthrough'] === 'true';
    if (!passthrough || !rules.some((r) => r.host === hostname)) {
      throw new OperationError(`ingress/${ROUTE_NAME} already exists in ${ns} (hosts ${rules.map((r) => r.host ?? '*').join(', ') || '(none)'}${passthrough ? ', passthrough' : ''}): regctl does not change an Ingress it did not make`, `delete it first (kubectl delete ingress/${ROUTE_NAME} -n ${ns}) and run this again`);
    }
    infos.push(`ingress/${ROUTE_NAME} exists already for ${hostname} (TLS passthrough)`);
  } else {
    plan.steps.push({ kind: 'create', describe: `create ingress.networking.k8s.io/${ROUTE_NAME} in ${ns}: TLS passthrough for ${hostname} to service/${REGISTRY_NAME}:${port}`, object: ingress as KubeObject });
  }
  plan.notes.push(
    '# ingress-nginx passes TLS through only when its controller runs with --enable-ssl-passthrough; other controllers ignore the annotation and need their own passthrough setting.',
    ...trustAndLogin(o, live, inputs, hostname, 'kubectl'),
  );
  plan.done = `the registry is exposed at ${hostname} through the ingress controller (TLS passthrough to service/${REGISTRY_NAME})`;
  plan.nothing = `nothing to change: ingress/${ROUTE_NAME} exists for ${hostname}`;
  return { plan, infos };
}
