// `regctl console`: "Enabling the Registry Console" (seed 001; shared/REFERENCE.md §1) on
// OpenShift 3.x: the passthrough route, the registry-console template's objects, and the
// documented extras (--cert, --debug). flags → options (validated, no I/O) → objects → print or apply.
import type { Command } from 'commander';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { readInputFile } from '../host/files.js';
import { isListening } from '../host/port.js';
import { commands, warn } from '../output/messages.js';
import { certFileName, checkCockpitCert, type CockpitCert } from '../pki/cockpit.js';
import { action } from '../runtime.js';
import { CONTAINER_PORT, type ConsoleCert, type ConsoleRelease } from '../templates/console.js';
import { isHostname, parseInteger } from '../validate.js';
import { summary } from './catalog.js';

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

export function register(program: Command): void {
  program
    .command('console')
    .description(summary('console'))
    .option('--oauth-provider-url <url>', "the OAuth provider the console logs in with (default: the kubeconfig's server URL)")
    .option('--image <image>', 'the console image (default: registry.access.redhat.com/openshift3/registry-console, tagged for the template version)')
    .option('--template-version <version>', "follow this release's registry-console template, 3.3 to 3.11 (default: the cluster's; offline 3.11)")
    .option('--enterprise', 'follow the OpenShift Container Platform template (else origin)')
    .option('--hostname <host>', 'host name of the registry-console route (default: the one the router assigns)')
    .option('--cert <file>', 'serve this .cert file: certificate blocks, then the unencrypted private key (secret console-secret)')
    .option('--debug', 'debug logging in the console pod (G_MESSAGES_DEBUG=cockpit-ws,cockpit-wrapper)')
    .option('--registry-host <host>', 'with -o and no cluster: the docker-registry route host (REGISTRY_HOST)')
    .option('--console-host <host>', 'with -o and no cluster: the host the router will give the registry-console route')
    .option('--wait', 'wait until the console is rolled out')
    .option('--timeout <seconds>', 'how long --wait waits', '300')
    .addHelpText(
      'after',
      `
The registry must be exposed first (route docker-registry: regctl expose). Re-running is safe:
what exists is kept; --cert and --debug are added to an existing console.

Examples:
  # Deploy the console and print its URL
  regctl console

  # Serve your certificate (certificates first, then the key, in one .cert file)
  regctl console --cert=/path/to/console.cert

  # Debug logging in the console pod
  regctl console --debug

  # Print the objects without a cluster
  regctl console -o yaml --oauth-provider-url=https://master.example.com:8443 \\
      --registry-host=docker-registry-default.apps.example.com \\
      --console-host=registry-console-default.apps.example.com`,
    )
    .action(action<ConsoleFlags>(runConsole));
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

/** Reads and checks --cert before anything is created. */
export function readConsoleCert(o: ConsoleCommandOptions): { cert: ConsoleCert; checked: CockpitCert } | undefined {
  if (o.certPath === undefined) return undefined;
  const fileName = certFileName(o.certPath);
  const content = readInputFile('--cert', o.certPath);
  const checked = checkCockpitCert('--cert', o.certPath, content);
  return { cert: { fileName, content }, checked };
}

/** The documents: stop a local Cockpit first, it also wants port 9090. */
async function warnLocalCockpit(ctx: Context): Promise<void> {
  if (await isListening('127.0.0.1', CONTAINER_PORT, 500)) {
    warn(ctx.io, `something is listening on 127.0.0.1:${CONTAINER_PORT}: if it is Cockpit, stop it to avoid a port conflict with the registry console:`);
    commands(ctx.io, ['sudo systemctl stop cockpit.socket cockpit.service']);
  }
}

export async function runConsole(flags: ConsoleFlags, ctx: Context): Promise<void> {
  const o = toOptions(flags);
  const cert = readConsoleCert(o);
  await warnLocalCockpit(ctx);
  const m = await import('./console-apply.js');
  if (ctx.globals.output) await m.renderConsole(o, ctx, cert);
  else await m.applyConsole(o, ctx, cert);
}
