// `regctl status` flags → options. Pure.
import { UsageError } from '../../errors.js';
import type { OutputFormat } from '../../context.js';

export interface StatusFlags {
  registryUrl?: string;
  ca?: string;
  masterConfig?: string;
  nodeConfig?: string;
}

export interface StatusOptions {
  /** Where to probe TLS instead of the route host or service IP (e.g. after `oc port-forward`). */
  registryUrl?: { host: string; port: number };
  caPath?: string;
  masterConfigPath?: string;
  nodeConfigPath?: string;
  output?: 'json' | 'yaml';
}

export const DEFAULT_CA = '/etc/origin/master/ca.crt';
export const DEFAULT_MASTER_CONFIG = '/etc/origin/master/master-config.yaml';
export const DEFAULT_NODE_CONFIG = '/etc/sysconfig/docker';

export function parseRegistryUrl(flag: string, value: string): { host: string; port: number } {
  let u: URL;
  try {
    u = new URL(value.includes('://') ? value : `https://${value}`);
  } catch {
    throw new UsageError(`${flag}: "${value}" is not a URL (e.g. https://127.0.0.1:5000)`);
  }
  if (u.protocol !== 'https:') throw new UsageError(`${flag}: "${value}" must be an https:// URL: the registry is reached over TLS`);
  if (u.pathname !== '/' || u.search) throw new UsageError(`${flag}: "${value}" must name only the host and port`);
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : 443 };
}

export function toOptions(f: StatusFlags, output: OutputFormat | undefined): StatusOptions {
  if (output === 'name') throw new UsageError('--output: status prints checks, not objects: use -o json or -o yaml');
  return {
    registryUrl: f.registryUrl !== undefined ? parseRegistryUrl('--registry-url', f.registryUrl) : undefined,
    caPath: f.ca,
    masterConfigPath: f.masterConfig,
    nodeConfigPath: f.nodeConfig,
    output,
  };
}
