// How to reach and prove who we are to the server of a loaded kubeconfig: TLS material and
// request headers; and (currentCredentials) how the user authenticates, with its bearer token
// when it has one: what `oc whoami -t` prints. Tokens (inline or token-file), client certificates and CAs (data or file),
// basic auth, impersonation and insecure-skip-tls-verify are read here; exec plugins, auth
// providers and proxy-url go to @kubernetes/client-node, loaded only then.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Agent } from 'node:http';
import type { GlobalOptions } from '../context.js';
import { UsageError } from '../errors.js';
import { loadKubeconfig, type KubeCluster, type KubeUser, type LoadedConfig } from './kubeconfig.js';

export interface ConnectionSettings {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** false with insecure-skip-tls-verify; undefined: Node's default (verify). */
  rejectUnauthorized?: boolean;
  servername?: string;
  headers: Record<string, string | string[]>;
  /** `user:password` for basic auth. */
  auth?: string;
  /** Only through a proxy: client-node's agent for it. */
  agent?: Agent;
}

/** Whether this cluster and user need client-node (what regctl does not do itself). */
function needsClientNode(cluster: KubeCluster, user: KubeUser | undefined): boolean {
  return Boolean(cluster.proxyUrl || user?.exec || user?.authProvider);
}

function readFileFor(file: string, who: string, field: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UsageError(`kubeconfig ${file}: ${who}: ${field} ${path} cannot be read: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

const dataOrFile = (file: string, who: string, field: string, data: string | undefined, path: string | undefined): Buffer | undefined =>
  data ? Buffer.from(data, 'base64') : path ? readFileFor(file, who, field, path) : undefined;

/** The token wins over token-file, whose content is trimmed (client-go's cached file token source). */
const tokenOf = (user: KubeUser): string | undefined =>
  user.token ?? (user.tokenFile ? readFileFor(user.file, `user "${user.name}"`, 'token-file', user.tokenFile).toString('utf8').trim() : undefined);

export async function connectionSettings(cfg: LoadedConfig): Promise<ConnectionSettings> {
  const { cluster, userEntry: user } = cfg;
  if (needsClientNode(cluster, user)) return viaClientNode(cfg);
  const c = `cluster "${cluster.name}"`;
  const out: ConnectionSettings = {
    ca: dataOrFile(cluster.file, c, 'certificate-authority', cluster.caData, cluster.caFile),
    headers: {},
  };
  if (cluster.insecureSkipTLSVerify) out.rejectUnauthorized = false;
  if (cluster.tlsServerName) out.servername = cluster.tlsServerName;
  if (!user) return out;
  const u = `user "${user.name}"`;
  out.cert = dataOrFile(user.file, u, 'client-certificate', user.certData, user.certFile);
  out.key = dataOrFile(user.file, u, 'client-key', user.keyData, user.keyFile);
  const token = tokenOf(user);
  if (token) out.headers.Authorization = `Bearer ${token}`;
  if (user.username) out.auth = `${user.username}:${user.password ?? ''}`;
  if (user.as) out.headers['Impersonate-User'] = user.as;
  if (user.asGroups?.length) out.headers['Impersonate-Group'] = user.asGroups;
  return out;
}

/** client-node's KubeConfig holding just this context, with the paths already resolved. */
async function viaClientNode(cfg: LoadedConfig): Promise<ConnectionSettings> {
  const { KubeConfig } = await import('@kubernetes/client-node/dist/config.js');
  const { cluster, userEntry: user } = cfg;
  const kc = new KubeConfig();
  const userName = user?.name ?? '';
  kc.loadFromOptions({
    clusters: [{ name: cluster.name, server: cfg.server, caData: cluster.caData, caFile: cluster.caFile, skipTLSVerify: cluster.insecureSkipTLSVerify, tlsServerName: cluster.tlsServerName, proxyUrl: cluster.proxyUrl }],
    users: [{
      name: userName,
      token: user ? tokenOf(user) : undefined,
      certData: user?.certData,
      certFile: user?.certFile,
      keyData: user?.keyData,
      keyFile: user?.keyFile,
      username: user?.username,
      password: user?.password,
      impersonateUser: user?.as,
      exec: user?.exec,
      authProvider: user?.authProvider,
    }],
    contexts: [{ name: cfg.context, cluster: cluster.name, user: userName, namespace: cfg.namespace }],
    currentContext: cfg.context,
  });
  const opts: import('node:https').RequestOptions = {};
  try {
    await kc.applyToHTTPSOptions(opts);
  } catch (e) {
    throw new UsageError(`kubeconfig ${user?.file ?? cluster.file}: context "${cfg.context}": ${(e as Error).message}`);
  }
  const toBuffer = (v: unknown) => (v === undefined || v === null ? undefined : Buffer.isBuffer(v) ? v : Buffer.from(String(v)));
  return {
    ca: toBuffer(opts.ca),
    cert: toBuffer(opts.cert),
    key: toBuffer(opts.key),
    rejectUnauthorized: opts.rejectUnauthorized,
    servername: opts.servername,
    headers: { ...(opts.headers as Record<string, string>) },
    auth: opts.auth ?? undefined,
    agent: cluster.proxyUrl ? (opts.agent as Agent) : undefined,
  };
}

export interface Credentials {
  /** The kubeconfig's name for the user (`developer/api-example-com:6443` after `oc login`). */
  entry: string;
  /** The cluster it is for, for messages. */
  server: string;
  kind: 'token' | 'client-certificate' | 'basic' | 'none';
  token?: string;
  /** A client certificate's CN: the user the API server sees (system:admin, typically). */
  certificateUser?: string;
}

/** The token is resolved as for any request (token, token-file, auth provider, exec plugin); a client certificate has none to give. */
export async function currentCredentials(g: GlobalOptions, env: NodeJS.ProcessEnv): Promise<Credentials> {
  const cfg = loadKubeconfig(g, env);
  const s = await connectionSettings(cfg);
  const auth = String(s.headers.Authorization ?? s.headers.authorization ?? '');
  const base = { entry: cfg.user, server: cfg.server };
  const bearer = /^Bearer\s+(\S+)$/i.exec(auth);
  if (bearer) return { ...base, kind: 'token', token: bearer[1] };
  if (s.cert) {
    let certificateUser: string | undefined;
    try {
      certificateUser = /(?:^|\n)CN=([^\n]*)/.exec(new X509Certificate(s.cert).subject)?.[1];
    } catch {
      // An unreadable certificate still is one: the refusal does not need its name.
    }
    return { ...base, kind: 'client-certificate', certificateUser };
  }
  if (/^Basic\s/i.test(auth) || s.auth) return { ...base, kind: 'basic' };
  return { ...base, kind: 'none' };
}

/**
 * The bearer token of the kubeconfig's user, for talking to the registry as that user (the
 * documents' `oc whoami -t`). A user without one (client certificate, e.g. system:admin) is
 * refused with the documents' reason; `flag` names the option that gives a token instead.
 */
export async function kubeconfigToken(g: GlobalOptions, env: NodeJS.ProcessEnv, flag: string): Promise<string> {
  const c = await currentCredentials(g, env);
  if (c.kind === 'token' && c.token) return c.token;
  const who = c.certificateUser ?? c.entry;
  throw new UsageError(
    `${flag}: the kubeconfig's user "${who}" has no token${c.kind === 'client-certificate' ? ' (it authenticates with a client certificate, and the registry accepts only tokens)' : ''}`,
    `log in as a user with a token (oc login -u <user>), or give ${flag} "$(oc whoami -t)" from such a login`,
  );
}
