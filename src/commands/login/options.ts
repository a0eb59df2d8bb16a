// login flags → options: pure, every error a UsageError naming the flag.
import { UsageError } from '../../errors.js';

export interface LoginFlags {
  podman?: boolean;
  docker?: boolean;
  print?: boolean;
  showToken?: boolean;
  tlsVerify?: string;
  username?: string;
  internal?: boolean;
}

export interface LoginOptions {
  /** Unset: podman on 4.x, docker on 3.x (each release's documents). */
  client?: 'podman' | 'docker';
  print: boolean;
  showToken: boolean;
  tlsVerify: boolean;
  username?: string;
  /** The service address even when a route exposes the registry. */
  internal: boolean;
  /** -n as given: the 3.x registry's namespace (default `default`). */
  namespace?: string;
  /** How `oc` must be told to use the same kubeconfig, for the printed line. */
  ocFlags: string[];
}

export function toOptions(f: LoginFlags, g: { namespace?: string; kubeconfig?: string; context?: string }): LoginOptions {
  if (f.podman && f.docker) throw new UsageError('--podman and --docker: give one');
  if (f.showToken && !f.print) throw new UsageError('--show-token puts the token in the --print line; a login that runs never shows it');
  let tlsVerify = true;
  if (f.tlsVerify !== undefined) {
    if (!['true', 'false'].includes(f.tlsVerify)) throw new UsageError(`--tls-verify: "${f.tlsVerify}" is not true or false`);
    tlsVerify = f.tlsVerify === 'true';
  }
  if (!tlsVerify && f.docker) throw new UsageError('--tls-verify=false: docker login has no such flag; list the host under "insecure-registries" in /etc/docker/daemon.json, or use --podman');
  // Any value will do as the user name, but one with a colon fails the login (seed 002, 5.2).
  if (f.username !== undefined && (!f.username || f.username.includes(':'))) throw new UsageError(`--username: "${f.username}" cannot be used: the registry refuses a user name that is empty or holds a colon`);
  return {
    client: f.podman ? 'podman' : f.docker ? 'docker' : tlsVerify ? undefined : 'podman',
    print: f.print === true,
    showToken: f.showToken === true,
    tlsVerify,
    username: f.username,
    internal: f.internal === true,
    namespace: g.namespace,
    ocFlags: [...(g.kubeconfig ? ['--kubeconfig', g.kubeconfig] : []), ...(g.context ? ['--context', g.context] : [])],
  };
}
