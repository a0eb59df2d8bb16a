// `regctl console`: "Enabling the Registry Console" (seed 001; shared/REFERENCE.md §1) on
// OpenShift 3.x: the passthrough route, the registry-console template's objects, and the
// documented extras (--cert, --debug). flags → options → live objects (one wave; none when
// rendering offline with both hosts given) → planConsole (pure) → finish().
import type { Command } from 'commander';
import type { Context } from '../../context.js';
import { offlineNamespace } from '../../context.js';
import { UsageError } from '../../errors.js';
import { readInputFile } from '../../host/files.js';
import { isListening } from '../../host/port.js';
import { commands, warn } from '../../output/messages.js';
import { certFileName, checkCockpitCert } from '../../pki/cockpit.js';
import { finish } from '../../plan/run.js';
import { rendering as renders } from '../../registry/target.js';
import { action } from '../../runtime.js';
import { CONTAINER_PORT, oauthClientSecret, REGISTRY_ROUTE } from '../../templates/console.js';
import { summary } from '../catalog.js';
import { readLive, type ConsoleLive } from './live.js';
import { toOptions, type ConsoleCommandOptions, type ConsoleFlags } from './options.js';
import { consoleTarget, planConsole, type ConsoleInputs } from './plan.js';

export function register(program: Command): void {
  program
    .command('console')
    .description(summary('console'))
    .option('--oauth-provider-url <url>', "the OAuth provider the console logs in with (default: the kubeconfig's server URL)")
    .option('--image <image>', 'the console image (default: registry.access.redhat.com/openshift3/registry-console, tagged for the template version)')
    .option('--template-version <version>', "follow this release's registry-console template, 3.3 to 3.11 (default: the cluster's; offline 3.11)")
    .option('--enterprise', 'follow the OpenShift Container Platform template (else origin)')
    .option('--hostname <host>', 'host name of the registry-console route (default: the one the router would assign, registry-console-<ns>.<subdomain of route docker-registry>)')
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

/** Reads and checks --cert before anything is created. */
export function readConsoleCert(o: ConsoleCommandOptions): ConsoleInputs['cert'] {
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

/** Rendering with both hosts given needs no cluster: the objects for an OpenShift 3 namespace. */
async function offlineLive(o: ConsoleCommandOptions, ctx: Context): Promise<{ live: ConsoleLive; oauthURL: string }> {
  let oauthURL = o.oauthProviderURL;
  if (!oauthURL) {
    try {
      oauthURL = (await ctx.cluster()).server;
    } catch (e) {
      throw new UsageError('--oauth-provider-url is needed to render without a kubeconfig', `reading the kubeconfig failed: ${(e as Error).message}`);
    }
  }
  const live: ConsoleLive = { info: { platform: 'openshift3', groups: new Set() }, server: oauthURL, namespace: offlineNamespace(ctx.globals), objects: new Map() };
  return { live, oauthURL };
}

export async function runConsole(flags: ConsoleFlags, ctx: Context): Promise<void> {
  const o = toOptions(flags);
  const rendering = renders(ctx);
  if (!rendering && o.registryHost) throw new UsageError(`--registry-host is for rendering (-o yaml|json); applied, REGISTRY_HOST is the host of route ${REGISTRY_ROUTE}`);
  if (!rendering && o.consoleHost) throw new UsageError('--console-host is for rendering (-o yaml|json); applied, the route gets --hostname or the host the router would give it');
  const cert = readConsoleCert(o);
  await warnLocalCockpit(ctx);
  let live: ConsoleLive;
  let oauthURL: string;
  if (rendering && o.registryHost && (o.consoleHost || o.hostname)) ({ live, oauthURL } = await offlineLive(o, ctx));
  else {
    try {
      const cluster = await ctx.cluster();
      live = await readLive(cluster);
      oauthURL = o.oauthProviderURL ?? cluster.server;
    } catch (e) {
      if (!rendering || /OpenShift 4|plain Kubernetes/.test((e as Error).message)) throw e;
      throw new UsageError(`-o ${ctx.globals.output} without a cluster needs --registry-host and --console-host (or --hostname)`, `connecting failed: ${(e as Error).message}`);
    }
  }
  const inputs: ConsoleInputs = { cert, oauthSecret: oauthClientSecret((n) => ctx.randomBytes(n)), now: ctx.now() };
  await finish(planConsole(o, live, consoleTarget(o, live, oauthURL), inputs), ctx);
}
