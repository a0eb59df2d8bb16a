// `regctl console` flags → options: every flag checked, nothing read.
import { UsageError } from '../../errors.js';
import type { ConsoleRelease } from '../../templates/console.js';
import { isHostname, parseInteger } from '../../validate.js';

/** Offline, and when the cluster does not say its version: the last 3.x template. */
export const DEFAULT_RELEASE_MINOR = 11;

export interface ConsoleFlags {
  oauthProviderUrl?: string;
  image?: string;
  templateVersion?: string;
  enterprise?: boolean;
  hostname?: string;
  cert?: string;
  debug?: boolean;
  registryHost?: string;
  consoleHost?: string;
  wait?: boolean;
  timeout: string;
}

export interface ConsoleCommandOptions {
  oauthProviderURL?: string;
  image?: string;
  /** From --template-version; undefined: the cluster's version (offline 3.11). */
  releaseMinor?: number;
  enterprise: boolean;
  /** The console route's host, when the user chooses it. */
  hostname?: string;
  certPath?: string;
  debug: boolean;
  /** Rendering only: the hosts the routes have (or will have). */
  registryHost?: string;
  consoleHost?: string;
  wait: boolean;
  timeoutSeconds: number;
}

function parseHost(flag: string, s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  if (!isHostname(s) || s.startsWith('*.')) throw new UsageError(`${flag}: "${s}" is not a valid host name`);
  return s.toLowerCase();
}

/** `3.11`, `v3.9`, or origin's `1.5` (= 3.5): the minor of the 3.x template to follow. */
export function parseTemplateVersion(flag: string, s: string): number {
  const m = /^v?(\d+)\.(\d+)(\.\d+)?$/.exec(s.trim());
  const minor = m ? (m[1] === '1' ? Number(m[2]) : m[1] === '3' ? Number(m[2]) : NaN) : NaN;
  if (!(minor >= 3 && minor <= (m?.[1] === '1' ? 5 : 11))) {
    throw new UsageError(`${flag}: "${s}" is not a release with a registry-console template (3.3 to 3.11, or origin 1.3 to 1.5)`);
  }
  return minor;
}

/** The template release of a cluster version (`v3.11.0+abc`, origin `v1.5.1`), if it has one. */
export function releaseMinorOf(openshiftVersion: string | undefined): number | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(openshiftVersion ?? '');
  if (!m) return undefined;
  const minor = Number(m[2]);
  if (m[1] === '1' && minor >= 3 && minor <= 5) return minor;
  if (m[1] === '3' && minor >= 3) return Math.min(minor, 11);
  return undefined;
}

export function parseOAuthURL(flag: string, s: string): string {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw new UsageError(`${flag}: "${s}" is not a URL (e.g. https://master.example.com:8443)`);
  }
  if (u.protocol !== 'https:') throw new UsageError(`${flag}: "${s}" must be an https URL: the console sends OAuth tokens to it`);
  if (u.search || u.hash || u.username) throw new UsageError(`${flag}: "${s}" must be a plain https://host[:port] URL`);
  return s.replace(/\/+$/, '');
}

/** Complete + Validate: every flag checked, nothing read yet. */
export function toOptions(f: ConsoleFlags): ConsoleCommandOptions {
  const image = f.image?.trim();
  if (image !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/.test(image)) throw new UsageError(`--image: "${f.image}" is not a valid image reference`);
  return {
    oauthProviderURL: f.oauthProviderUrl !== undefined ? parseOAuthURL('--oauth-provider-url', f.oauthProviderUrl) : undefined,
    image,
    releaseMinor: f.templateVersion !== undefined ? parseTemplateVersion('--template-version', f.templateVersion) : undefined,
    enterprise: f.enterprise === true,
    hostname: parseHost('--hostname', f.hostname),
    certPath: f.cert,
    debug: f.debug === true,
    registryHost: parseHost('--registry-host', f.registryHost),
    consoleHost: parseHost('--console-host', f.consoleHost),
    wait: f.wait === true,
    timeoutSeconds: parseInteger('--timeout', f.timeout, 1, 86400),
  };
}

export function releaseOf(o: ConsoleCommandOptions, clusterMinor?: number): ConsoleRelease {
  return { minor: o.releaseMinor ?? clusterMinor ?? DEFAULT_RELEASE_MINOR, enterprise: o.enterprise };
}

