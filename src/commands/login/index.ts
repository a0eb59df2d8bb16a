// `regctl login`: log podman or docker in to the registry with the kubeconfig user's token
// (seed 003, "Logging in to the Registry"; seed 002, 5.2 and 6.1).
// flags → options → credentials and live → plan → finish.
import type { Command } from 'commander';
import type { Context } from '../../context.js';
import { finish } from '../../plan/run.js';
import { action } from '../../runtime.js';
import { summary } from '../catalog.js';
import { readLive } from './live.js';
import { toOptions, type LoginFlags } from './options.js';
import { planLogin } from './plan.js';

export function register(program: Command): void {
  program
    .command('login')
    .description(summary('login'))
    .option('--podman', 'log podman in (default on OpenShift 4)')
    .option('--docker', 'log docker in (default on OpenShift 3.x)')
    .option('--print', 'print the login line instead of running it (the token is read with `oc whoami -t`)')
    .option('--show-token', 'with --print: put the token itself in the line')
    .option('--tls-verify <bool>', 'podman: false skips verifying the registry\'s certificate (only if the routes\' default certificate is untrusted)')
    .option('--username <name>', 'the user name to send (any value without a colon; default: the kubeconfig user\'s)')
    .option('--internal', "the registry's service address even when a route exposes it (from a node)")
    .addHelpText(
      'after',
      `
Examples:
  regctl login                       # podman (4.x) or docker (3.x), token on standard input
  regctl login --print               # oc whoami -t | podman login -u alice --password-stdin HOST
  regctl login --podman --tls-verify=false
  regctl login --internal --print    # image-registry.openshift-image-registry.svc:5000, for a node

The address is the route host when a route exposes the registry, else its service. The token
is the kubeconfig user's (what \`oc whoami -t\` prints); users without one (system:admin,
client certificates) are refused: the registry takes access tokens only.`,
    )
    .action(action<LoginFlags>(runLogin));
}

export async function runLogin(flags: LoginFlags, ctx: Context): Promise<void> {
  const opts = toOptions(flags, ctx.globals);
  const { currentCredentials } = await import('../../cluster/credentials.js');
  const [creds, live] = await Promise.all([currentCredentials(ctx.globals, ctx.env), ctx.cluster().then((c) => readLive(opts, c))]);
  await finish(planLogin(opts, live, creds), ctx);
}
