// login's plan: pure. The registry's address (the route host when exposed, else the Service),
// the token of the kubeconfig's user, and one `podman login` / `docker login`: run with the
// token on standard input, or printed (the token only with --show-token).
import type { Credentials } from '../../cluster/credentials.js';
import { OperationError } from '../../errors.js';
import { emptyPlan, type Plan } from '../../plan/types.js';
import { registryName, registryRoutes, routeHost, serviceAddress } from '../../registry/workload.js';
import type { LoginLive } from './live.js';
import type { LoginOptions } from './options.js';

/** The documents' reason (seed 003, "User Prerequisites"). */
const NO_TOKEN_REASON = 'system users, such as system:admin, cannot obtain access tokens and, therefore, cannot access the registry directly';

export function registryAddress(o: LoginOptions, live: LoginLive): { host: string; via: 'route' | 'service'; route?: string } {
  const route = o.internal ? undefined : registryRoutes(live.routes, live.platform)[0];
  if (route) return { host: routeHost(route)!, via: 'route', route: route.metadata.name };
  const svc = live.service;
  if (!svc) {
    throw new OperationError(`no registry in ${live.namespace}: service ${registryName(live.platform)} not found`, live.platform === 'openshift4' ? 'check the Image Registry Operator: oc get clusteroperator image-registry' : 'deploy it with `regctl deploy`, or name its namespace with -n');
  }
  return { host: serviceAddress(svc.metadata.name, live.namespace, svc), via: 'service' };
}

/** Any value does as the user name, but not one with a colon (seed 002, 5.2): `developer/api-x:6443` → `developer`. */
export function loginUser(o: LoginOptions, creds: Credentials): string {
  if (o.username) return o.username;
  const first = creds.entry.split('/')[0] ?? '';
  return first && !first.includes(':') ? first : 'unused';
}

function checkToken(creds: Credentials): string {
  if (creds.kind === 'client-certificate') {
    const who = creds.certificateUser ?? creds.entry;
    throw new OperationError(`the kubeconfig's user "${who}" authenticates with a client certificate, and the registry takes only access tokens: ${NO_TOKEN_REASON}`, 'log in to the cluster as a regular user first (oc login -u <user>), then run regctl login again');
  }
  if (creds.kind !== 'token' || !creds.token) {
    throw new OperationError(`the kubeconfig's user "${creds.entry}" has no access token for ${creds.server}${creds.kind === 'basic' ? ' (it uses a user name and password)' : ''}: the registry takes only access tokens`, 'log in with `oc login -u <user>` to get one (oc whoami -t prints it)');
  }
  return creds.token;
}

export function planLogin(o: LoginOptions, live: LoginLive, creds: Credentials): Plan {
  if (live.platform === 'kubernetes') throw new OperationError('login needs OpenShift: the registry takes OpenShift access tokens; a Kubernetes registry has its own credentials (docker login HOST)');
  const token = checkToken(creds);
  const addr = registryAddress(o, live);
  const client = o.client ?? (live.platform === 'openshift4' ? 'podman' : 'docker');
  const user = loginUser(o, creds);
  const tls = o.tlsVerify ? [] : ['--tls-verify=false'];
  const plan = emptyPlan('login');
  if (!o.tlsVerify) plan.warnings.push("--tls-verify=false is needed only if the cluster's default certificate for routes is untrusted; you can set a custom, trusted certificate as the default certificate with the Ingress Operator (the OCP 4.4 Registry guide, 6.1)");
  if (addr.via === 'service') plan.warnings.push(`${addr.host} is the registry's service address: it answers only inside the cluster (e.g. on a node, the OCP 4.4 Registry guide 5.2); to log in from outside, expose it (regctl expose)`);
  if (o.print) {
    plan.nothing = o.showToken
      ? [client, 'login', '-u', user, '-p', token, ...tls, addr.host].join(' ')
      : `oc ${[...o.ocFlags, 'whoami', '-t'].join(' ')} | ${[client, 'login', '-u', user, '--password-stdin', ...tls, addr.host].join(' ')}`;
    return plan;
  }
  plan.steps.push({
    kind: 'exec',
    describe: `${[client, 'login', '-u', user, '--password-stdin', ...tls, addr.host].join(' ')} (the token of ${creds.entry} on standard input)`,
    command: client,
    args: ['login', '-u', user, '--password-stdin', ...tls, addr.host],
    stdin: token,
  });
  if (addr.via === 'route' && o.tlsVerify) plan.notes.push(`if ${client} refuses the certificate of route ${addr.route} (x509: certificate signed by unknown authority), trust the router's CA, or run again with --tls-verify=false`);
  plan.done = `${client} is logged in to ${addr.host}; push as ${addr.host}/<project>/<image>`;
  return plan;
}
