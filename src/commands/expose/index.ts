// `regctl expose`: "Exposing the Registry" (seed 003; seed 002 chapter 6) and the registry
// hostnames (seed 000 imagePolicyConfig; seed 004 externalRegistryHostnames).
// flags → options → live objects (one wave) → files it reads (--ca, --master-config) →
// planExpose (pure) → finish().
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Context } from '../../context.js';
import { readInputFile } from '../../host/files.js';
import { info } from '../../output/messages.js';
import { parseCertificate } from '../../pki/pem.js';
import { finish } from '../../plan/run.js';
import { regctlCADir } from '../../registry/certificates.js';
import { action } from '../../runtime.js';
import { DEFAULT_MASTER_CONFIG } from '../../templates/master-config.js';
import { DEFAULT_OPERATOR_ROUTE } from '../../templates/route.js';
import { summary } from '../catalog.js';
import { OPERATOR_NAMESPACE } from '../../templates/operator.js';
import { readLive } from './live.js';
import { toOptions, type ExposeFlags } from './options.js';
import { planExpose, type ExposeInputs } from './plan.js';

export function register(program: Command): void {
  program
    .command('expose')
    .description(summary('expose'))
    .option('--hostname <host>', 'the route host clients use (3.x: the passthrough route; 4.x: a spec.routes[] entry)')
    .option('--force', '3.x: create the passthrough route even though the registry does not serve TLS')
    .option('--internal-hostname <host[:port]>', '3.x: imagePolicyConfig.internalRegistryHostname in the master configuration')
    .option('--external-hostname <host[:port]>', '3.x: imagePolicyConfig.externalRegistryHostname; 4.x: added to externalRegistryHostnames of image.config.openshift.io/cluster')
    .option('--master-config <path>', '3.x: the master configuration file to edit (backed up first)', DEFAULT_MASTER_CONFIG)
    .option('--default-route', '4.x: let the operator create its default route (spec.defaultRoute: true)')
    .option('--tls-secret <name>', `4.x: the TLS secret in ${OPERATOR_NAMESPACE} for the --hostname route (else the router's default certificate)`)
    .option('--route-name <name>', `4.x: the name of the spec.routes[] entry (default "${DEFAULT_OPERATOR_ROUTE}")`)
    .option('--ca <file>', 'the CA certificate that signed the registry\'s certificate, for the trust steps printed at the end')
    .option('--ingress', 'Kubernetes: an Ingress with TLS passthrough (ingress-nginx) for --hostname, instead of a route')
    .option('--ingress-class <name>', 'Kubernetes: the ingressClassName of that Ingress (default: the cluster\'s default class)')
    .addHelpText(
      'after',
      `
On OpenShift 3.x the registry is exposed with a passthrough route: the router hands the TLS
connection to the registry, so the registry must serve TLS (regctl secure) with a certificate
that names the route host. With only --internal-hostname / --external-hostname, no route is
made: the master configuration is edited (a backup is kept) and the master must be restarted.

Examples:
  # 3.x: passthrough route with a chosen host, then trust and log in as printed
  regctl expose --hostname=registry.apps.example.com --ca=/etc/origin/master/ca.crt

  # 3.x: image streams show the route host (imagePolicyConfig, the OKD 3 Extended Registry Configuration document)
  regctl expose --external-hostname=registry.apps.example.com --internal-hostname=docker-registry.default.svc:5000

  # 4.x: the operator's default route, or a route of your own with its TLS secret
  regctl expose --default-route
  regctl expose --hostname=myregistry.mycorp.organization --tls-secret=public-route-tls

  # Kubernetes: an ingress-nginx Ingress that passes TLS through to the registry
  regctl expose --ingress --hostname=registry.example.com --ingress-class=nginx`,
    )
    .action(action<ExposeFlags>(runExpose));
}

export async function runExpose(flags: ExposeFlags, ctx: Context): Promise<void> {
  const o = toOptions(flags);
  if (o.caPath !== undefined) parseCertificate('--ca', o.caPath, readInputFile('--ca', o.caPath));
  const cluster = await ctx.cluster();
  const live = await readLive(o, cluster);
  const inputs: ExposeInputs = {};
  // The file is read (and the edit checked) before anything changes.
  if (live.info.platform === 'openshift3' && (o.internalHostname !== undefined || o.externalHostname !== undefined)) inputs.masterConfig = readInputFile('--master-config', o.masterConfigPath);
  const ca = join(regctlCADir(ctx.env, live.server), 'ca.crt');
  if (ctx.host.readFile(ca) !== undefined) inputs.regctlCA = ca;
  const { plan, infos } = planExpose(o, live, inputs);
  for (const line of infos) info(ctx.io, line);
  await finish(plan, ctx);
}
