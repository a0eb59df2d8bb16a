// `regctl metrics enable|query` flags → options. Pure.
import { UsageError } from '../../errors.js';
import type { OutputFormat } from '../../context.js';
import { parseRegistryBase } from '../../registry/registry-base.js';

export interface EnableFlags {
  user?: string[];
  secret?: string;
}

export interface EnableOptions {
  users: string[];
  /** The metrics secret to set (else the live one is kept, or one is generated). */
  secret?: string;
}

export interface QueryFlags {
  registryUrl?: string;
  ca?: string;
  insecureSkipTlsVerify?: boolean;
  secret?: string;
  token?: string;
}

export interface QueryOptions {
  registryUrl?: string;
  caPath?: string;
  insecure: boolean;
  secret?: string;
  token?: string;
  /** Substrings of metric names to keep (none: every imageregistry_* series). */
  patterns: string[];
  output?: 'json' | 'yaml';
}

const USER = /^[^\s:/]+(?::[^\s:/]+)*$/;

export function toEnableOptions(f: EnableFlags): EnableOptions {
  const users = (f.user ?? []).flatMap((u) => u.split(',')).map((u) => u.trim()).filter(Boolean);
  for (const u of users) if (!USER.test(u)) throw new UsageError(`--user: "${u}" is not a user name`);
  if (f.secret !== undefined && (f.secret.length < 16 || /\s/.test(f.secret))) throw new UsageError('--secret: give at least 16 characters without spaces (or leave it out: one is generated)');
  return { users: [...new Set(users)], secret: f.secret };
}

export function toQueryOptions(f: QueryFlags, patterns: string[], output: OutputFormat | undefined): QueryOptions {
  if (output === 'name') throw new UsageError('--output: metrics query prints series, not objects: use -o json or -o yaml');
  if (f.secret !== undefined && f.token !== undefined) throw new UsageError('--secret and --token are two ways to authenticate: give one');
  if (f.ca !== undefined && f.insecureSkipTlsVerify) throw new UsageError('--ca and --insecure-skip-tls-verify: give one');
  return {
    registryUrl: f.registryUrl !== undefined ? parseRegistryBase('--registry-url', f.registryUrl) : undefined,
    caPath: f.ca,
    insecure: f.insecureSkipTlsVerify === true,
    secret: f.secret,
    token: f.token,
    patterns,
    output,
  };
}
