// `regctl trust-ca`: make the cluster trust other registries' CAs (seed 004, 9.2.5; seed 002,
// 2.5; seed 000, "Image Pullthrough"). flags → options → CA files → live → plan → finish.
import type { Command } from 'commander';
import type { Context } from '../../context.js';
import { finish } from '../../plan/run.js';
import { action } from '../../runtime.js';
import { collect } from '../../validate.js';
import { summary } from '../catalog.js';
import { readInputs } from './inputs.js';
import { readLive } from './live.js';
import { toOptions, type TrustCaFlags } from './options.js';
import { planTrustCa } from './plan.js';

export function register(program: Command): void {
  program
    .command('trust-ca')
    .description(summary('trust-ca'))
    .option('--registry <host[:port]>', 'a registry to trust (repeatable; each with the --ca at the same position)', collect)
    .option('--ca <file>', "the PEM CA that signed that registry's certificate (repeatable)", collect)
    .option('--from-dir <dir>', 'trust every HOST.crt / HOST..PORT.crt file in a directory')
    .option('--remove <host[:port]>', 'stop trusting a registry (repeatable)', collect)
    .option('--list', 'show what is trusted for which registry, with subjects and expiry')
    .option('--name <name>', '4.x: the ConfigMap in openshift-config (default registry-cas, or the one spec.additionalTrustedCA already names); 3.x: the ConfigMap in the registry\'s namespace')
    .option('--pullthrough', "3.x: make the registry trust them when it pulls through: a ConfigMap of the system CAs plus these, mounted over /etc/pki/tls/certs")
    .option('--system-bundle <file>', '3.x --pullthrough: the system CA bundle to carry along (default: the first of /etc/pki/tls/certs/ca-bundle.crt, /etc/ssl/certs/ca-certificates.crt, ... on this machine)')
    .addHelpText(
      'after',
      `
Examples:
  # 4.x: trust a registry on port 5000 (the key is written registry.example.com..5000)
  regctl trust-ca --registry registry.example.com:5000 --ca ca.crt

  # several at once, or a directory of HOST..PORT.crt files
  regctl trust-ca --registry a.example.com --ca a.crt --registry b.example.com:8443 --ca b.crt
  regctl trust-ca --from-dir ./registry-cas

  # what is trusted, and taking one out
  regctl trust-ca --list
  regctl trust-ca --remove registry.example.com:5000

  # 3.x: the registry's pullthrough (the mount replaces the whole /etc/pki/tls/certs)
  regctl trust-ca --pullthrough --registry registry.example.com:5000 --ca ca.crt

Each CA file is checked first: PEM, CA certificates only (basic constraints CA:TRUE), none
expired, no private key. On 4.x the nodes receive the CAs through the node-ca daemon as
/etc/docker/certs.d/HOST:PORT/ca.crt; builds, image imports and pullthrough use them too.`,
    )
    .action(action<TrustCaFlags>(runTrustCa));
}

export async function runTrustCa(flags: TrustCaFlags, ctx: Context): Promise<void> {
  const opts = toOptions(flags, ctx.globals.namespace);
  const inputs = readInputs(opts, ctx);
  const live = await readLive(opts, await ctx.cluster());
  await finish(planTrustCa(opts, live, inputs, ctx.now()), ctx);
}
