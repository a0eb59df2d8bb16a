// How the current kubeconfig user authenticates, and its bearer token when it has one: what
// `oc whoami -t` prints. client-node resolves the token as for any request (token,
// tokenFile, auth provider, exec plugin); a client certificate has no token to give.
import { X509Certificate } from 'node:crypto';
import type https from 'node:https';
import type { GlobalOptions } from '../context.js';
import { loadKubeconfig } from './kubeconfig.js';

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

export async function currentCredentials(g: GlobalOptions, env: NodeJS.ProcessEnv): Promise<Credentials> {
  const cfg = loadKubeconfig(g, env);
  const opts: https.RequestOptions = {};
  await cfg.kc.applyToHTTPSOptions(opts);
  const headers = (opts.headers ?? {}) as Record<string, string>;
  const auth = headers.Authorization ?? headers.authorization ?? '';
  const base = { entry: cfg.user, server: cfg.server };
  const bearer = /^Bearer\s+(\S+)$/i.exec(auth);
  if (bearer) return { ...base, kind: 'token', token: bearer[1] };
  if (opts.cert) {
    let certificateUser: string | undefined;
    try {
      certificateUser = /(?:^|\n)CN=([^\n]*)/.exec(new X509Certificate(opts.cert as string | Buffer).subject)?.[1];
    } catch {
      // An unreadable certificate still is one: the refusal does not need its name.
    }
    return { ...base, kind: 'client-certificate', certificateUser };
  }
  if (/^Basic\s/i.test(auth) || opts.auth) return { ...base, kind: 'basic' };
  return { ...base, kind: 'none' };
}
