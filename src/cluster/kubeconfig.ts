// Which cluster, as whom, in which namespace: --kubeconfig/--config, else $KUBECONFIG (a
// colon list, merged as kubectl merges: the first file to name a cluster, user or context
// wins, and the first current-context set wins), else ~/.kube/config; --context; --namespace,
// else the context's, else `default`. Read here without @kubernetes/client-node (it costs
// most of a cluster command's start-up); credentials.ts hands it only what it alone does.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { load } from 'js-yaml';
import { readKubeconfigYaml } from './kubeconfig-yaml.js';
import type { GlobalOptions } from '../context.js';
import { NoKubeconfigError, OperationError, UsageError } from '../errors.js';

export interface KubeCluster {
  name: string;
  /** The file that defined it: relative paths resolve against its directory, and messages name it. */
  file: string;
  server: string;
  caData?: string;
  caFile?: string;
  insecureSkipTLSVerify: boolean;
  tlsServerName?: string;
  proxyUrl?: string;
}

export interface KubeUser {
  name: string;
  file: string;
  token?: string;
  tokenFile?: string;
  certData?: string;
  certFile?: string;
  keyData?: string;
  keyFile?: string;
  username?: string;
  password?: string;
  as?: string;
  asGroups?: string[];
  /** Run by client-node, as given (with a relative command resolved like kubectl does). */
  exec?: Record<string, unknown>;
  authProvider?: Record<string, unknown>;
}

export interface KubeContext {
  name: string;
  file: string;
  cluster: string;
  user?: string;
  namespace?: string;
}

export interface LoadedConfig {
  /** What to name in messages: the file(s) the config came from. */
  source: string;
  context: string;
  server: string;
  namespace: string;
  user: string;
  cluster: KubeCluster;
  /** Undefined when the context names no user, or one not there: no credentials (as kubectl). */
  userEntry?: KubeUser;
}

interface Merged {
  clusters: Map<string, KubeCluster>;
  users: Map<string, KubeUser>;
  contexts: Map<string, KubeContext>;
  currentContext?: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const resolve = (file: string, p: string | undefined) => (p === undefined || isAbsolute(p) ? p : join(dirname(file), p));

/** The files to read, in precedence order, and what to call them in messages. */
function kubeconfigFiles(g: GlobalOptions, env: NodeJS.ProcessEnv): { files: string[]; source: string } {
  const hint = 'log in with `oc login <server>`, or name a file with --kubeconfig';
  if (g.kubeconfig) {
    if (!existsSync(g.kubeconfig)) throw new UsageError(`--kubeconfig: "${g.kubeconfig}" does not exist`);
    return { files: [g.kubeconfig], source: g.kubeconfig };
  }
  if (env.KUBECONFIG) {
    // Missing files in the list are skipped, as kubectl does; the same file twice is read once.
    const files = [...new Set(env.KUBECONFIG.split(':').filter((f) => f && existsSync(f)))];
    if (files.length === 0) throw new NoKubeconfigError(`no kubeconfig: none of the files in KUBECONFIG=${env.KUBECONFIG} exists`, hint);
    return { files, source: files.length === 1 ? files[0]! : `$KUBECONFIG (${env.KUBECONFIG})` };
  }
  const home = join(env.HOME ?? homedir(), '.kube', 'config');
  if (!existsSync(home)) throw new NoKubeconfigError(`no kubeconfig: ${home} does not exist and KUBECONFIG is not set`, hint);
  return { files: [home], source: home };
}

/** One file's entries, added to `into` where the name is not there yet. */
function readInto(file: string, into: Merged): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`kubeconfig ${file} cannot be read: ${(e as Error).message}`);
  }
  // What kubectl and oc write is read without js-yaml (start-up cost); anything else by js-yaml.
  let doc = readKubeconfigYaml(text);
  try {
    if (doc === undefined) doc = load(text);
  } catch (e) {
    const err = e as { reason?: string; mark?: { line: number }; message: string };
    const where = err.mark ? ` at line ${err.mark.line + 1}` : '';
    throw new UsageError(`kubeconfig ${file} is not valid YAML${where}: ${err.reason ?? err.message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return; // an empty file adds nothing
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new UsageError(`kubeconfig ${file} is not a kubeconfig: expected a mapping with clusters, users and contexts`);
  const d = doc as Record<string, unknown>;
  const list = (key: string): Record<string, unknown>[] => {
    const v = d[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw new UsageError(`kubeconfig ${file}: ${key} must be a list`);
    return v.map((item, i) => {
      if (!item || typeof item !== 'object' || !str((item as Record<string, unknown>).name)) throw new UsageError(`kubeconfig ${file}: ${key}[${i}] has no name`);
      return item as Record<string, unknown>;
    });
  };
  const body = (item: Record<string, unknown>, key: string) => (item[key] && typeof item[key] === 'object' ? (item[key] as Record<string, unknown>) : {});
  for (const item of list('clusters')) {
    const name = item.name as string;
    if (into.clusters.has(name)) continue;
    const c = body(item, 'cluster');
    into.clusters.set(name, {
      name,
      file,
      server: typeof c.server === 'string' ? c.server : '',
      caData: str(c['certificate-authority-data']),
      caFile: resolve(file, str(c['certificate-authority'])),
      insecureSkipTLSVerify: c['insecure-skip-tls-verify'] === true,
      tlsServerName: str(c['tls-server-name']),
      proxyUrl: str(c['proxy-url']),
    });
  }
  for (const item of list('users')) {
    const name = item.name as string;
    if (into.users.has(name)) continue;
    const u = body(item, 'user');
    let exec = u.exec && typeof u.exec === 'object' ? { ...(u.exec as Record<string, unknown>) } : undefined;
    // kubectl runs a command given with a slash relative to the kubeconfig; a bare name from $PATH.
    if (exec && typeof exec.command === 'string' && exec.command.includes('/')) exec = { ...exec, command: resolve(file, exec.command) };
    into.users.set(name, {
      name,
      file,
      token: str(u.token),
      tokenFile: resolve(file, str(u['token-file'])),
      certData: str(u['client-certificate-data']),
      certFile: resolve(file, str(u['client-certificate'])),
      keyData: str(u['client-key-data']),
      keyFile: resolve(file, str(u['client-key'])),
      username: str(u.username),
      password: typeof u.password === 'string' ? u.password : undefined,
      as: str(u.as),
      asGroups: Array.isArray(u['as-groups']) ? (u['as-groups'] as unknown[]).filter((x): x is string => typeof x === 'string') : undefined,
      exec,
      authProvider: u['auth-provider'] && typeof u['auth-provider'] === 'object' ? (u['auth-provider'] as Record<string, unknown>) : undefined,
    });
  }
  for (const item of list('contexts')) {
    const name = item.name as string;
    if (into.contexts.has(name)) continue;
    const c = body(item, 'context');
    into.contexts.set(name, { name, file, cluster: str(c.cluster) ?? '', user: str(c.user), namespace: str(c.namespace) });
  }
  into.currentContext ??= str(d['current-context']);
}

/** Fields kubectl refuses when both forms are given, and data that is not base64. */
function checkEntries(cluster: KubeCluster, user: KubeUser | undefined, context: string): void {
  const at = (file: string, what: string) => `kubeconfig ${file}: context "${context}": ${what}`;
  let url: URL | undefined;
  try {
    url = new URL(cluster.server);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname) {
    throw new UsageError(at(cluster.file, `cluster "${cluster.name}": server: ${cluster.server ? `"${cluster.server}" is not a URL` : 'missing'} (expected https://host:port)`));
  }
  const both = (file: string, who: string, data: string | undefined, path: string | undefined, field: string) => {
    if (data && path) throw new UsageError(at(file, `${who}: ${field}-data and ${field} are both given; keep one`));
  };
  const base64 = (file: string, who: string, data: string | undefined, field: string) => {
    if (data !== undefined && !/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(data)) throw new UsageError(at(file, `${who}: ${field}-data is not base64`));
  };
  const c = `cluster "${cluster.name}"`;
  both(cluster.file, c, cluster.caData, cluster.caFile, 'certificate-authority');
  base64(cluster.file, c, cluster.caData, 'certificate-authority');
  if (!user) return;
  const u = `user "${user.name}"`;
  both(user.file, u, user.certData, user.certFile, 'client-certificate');
  both(user.file, u, user.keyData, user.keyFile, 'client-key');
  base64(user.file, u, user.certData, 'client-certificate');
  base64(user.file, u, user.keyData, 'client-key');
}

export function loadKubeconfig(g: GlobalOptions, env: NodeJS.ProcessEnv): LoadedConfig {
  const { files, source } = kubeconfigFiles(g, env);
  const merged: Merged = { clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const f of files) readInto(f, merged);
  if (g.context && !merged.contexts.has(g.context)) {
    throw new UsageError(`--context: no context "${g.context}" in ${source} (it has: ${[...merged.contexts.keys()].join(', ') || 'none'})`);
  }
  const context = g.context ?? merged.currentContext;
  const ctx = context ? merged.contexts.get(context) : undefined;
  if (!context || !ctx) throw new OperationError(`no current context in ${source}`, 'choose one with --context, or `oc config use-context <name>`');
  const cluster = merged.clusters.get(ctx.cluster);
  if (!cluster) throw new OperationError(`context "${context}" in ${ctx.file} names cluster "${ctx.cluster}", which is not there`);
  const userEntry = ctx.user ? merged.users.get(ctx.user) : undefined;
  checkEntries(cluster, userEntry, context);
  return {
    source,
    context,
    server: cluster.server.replace(/\/+$/, ''),
    namespace: g.namespace ?? ctx.namespace ?? 'default',
    user: ctx.user ?? '',
    cluster,
    userEntry,
  };
}
