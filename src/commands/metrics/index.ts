// `regctl metrics enable|query` (seed 002 5.5 "Accessing Registry Metrics"; seed 000
// "OpenShift" metrics section). enable: a plan ending in finish(); query: reads the registry's
// /extensions/v2/metrics over HTTPS and prints the imageregistry_* series.
import type { Command } from 'commander';
import type { Context } from '../../context.js';
import { OperationError, UsageError } from '../../errors.js';
import { readInputFile } from '../../host/files.js';
import { toYaml } from '../../output/printers.js';
import { finish } from '../../plan/run.js';
import { registryBase } from '../../registry/registry-base.js';
import { registryGet, type RegistryEndpoint } from '../../registry/registry-client.js';
import { action } from '../../runtime.js';
import { METRICS_ENABLED_ENV, METRICS_PATH, METRICS_SECRET_ENV, SCRAPER_ROLE } from '../../templates/metrics.js';
import { collect } from '../../validate.js';
import { summary } from '../catalog.js';
import { formatSeries, parseExposition, registrySeries } from './exposition.js';
import { readEnableLive, readQueryLive, type QueryLive } from './live.js';
import { toEnableOptions, toQueryOptions, type EnableFlags, type QueryFlags, type QueryOptions } from './options.js';
import { planEnable } from './plan.js';
import { workloadEnv } from '../../templates/registry-config-plan.js';


export function register(program: Command): void {
  const metrics = program
    .command('metrics')
    .description(summary('metrics'))
    .addHelpText(
      'after',
      `
Examples:
  regctl metrics enable --user prometheus      # 3.x: metrics on, a secret; the cluster role, bound
  regctl metrics query                         # 3.x: with that secret, through the route
  regctl metrics query digest_cache http_request -o json
  regctl metrics query --token "$(oc whoami -t)" --registry-url https://default-route-openshift-image-registry.apps.example.com   # 4.x`,
    );
  metrics
    .command('enable')
    .description(`turn the registry's metrics on (3.x: ${METRICS_ENABLED_ENV} and a generated ${METRICS_SECRET_ENV}) and create cluster role ${SCRAPER_ROLE} (get registry/metrics), bound to --user`)
    .option('--user <name>', `bind ${SCRAPER_ROLE} to this user (repeatable, or comma separated)`, collect)
    .option('--secret <secret>', '3.x: the metrics secret to set (default: keep the current one, else generate one)')
    .action(action<EnableFlags>(runEnable));
  metrics
    .command('query')
    .description('print the imageregistry_* series of /extensions/v2/metrics; arguments keep the series whose name contains one of them')
    .argument('[pattern...]', 'keep series whose name contains this (e.g. digest_cache)')
    .option('--registry-url <url>', 'the registry, https://HOST[:PORT] (default: its route; else the service name, from inside the cluster)')
    .option('--ca <file>', 'trust this CA for the registry (default: the system\'s)')
    .option('--insecure-skip-tls-verify', "do not verify the registry's certificate (the documents' curl --insecure)")
    .option('--secret <secret>', '3.x: the metrics secret (default: the registry\'s REGISTRY_OPENSHIFT_METRICS_SECRET)')
    .option('--token <token>', '4.x: a token of a user bound to prometheus-scraper, e.g. "$(oc whoami -t)"')
    .action(action<QueryFlags>(runQuery));
}

export async function runEnable(flags: EnableFlags, ctx: Context): Promise<void> {
  const opts = toEnableOptions(flags);
  const cluster = await ctx.cluster();
  const live = await readEnableLive(cluster);
  await finish(planEnable(opts, live, Buffer.from(ctx.randomBytes(32)).toString('hex')), ctx);
}

export async function runQuery(flags: QueryFlags, ctx: Context, args: string[] = []): Promise<void> {
  const opts = toQueryOptions(flags, args, ctx.globals.output);
  const ca = opts.caPath !== undefined ? readInputFile('--ca', opts.caPath) : undefined;
  // With the address and the credential given, the cluster is not needed.
  const needCluster = !opts.registryUrl || (!opts.secret && !opts.token);
  const live = needCluster ? await readQueryLive(await ctx.cluster()) : undefined;
  // 4.x reads metrics as a user bound to prometheus-scraper: without --token, the kubeconfig's user.
  const token = opts.token ?? (live?.info.platform === 'openshift4' && !opts.secret ? await import('../../cluster/credentials.js').then((m) => m.kubeconfigToken(ctx.globals, ctx.env, '--token')) : undefined);
  const ep: RegistryEndpoint = { base: opts.registryUrl ?? registryBase(live!.loc, live!.routes, live!.service, live!.info.platform), ca, insecureSkipVerify: opts.insecure, auth: credential({ ...opts, token }, live) };
  const res = await registryGet(ep, METRICS_PATH);
  if (res.status === 401 || res.status === 403) {
    throw new OperationError(
      `the registry at ${ep.base} refused the ${'bearer' in ep.auth! ? 'token' : 'metrics secret'} (HTTP ${res.status})`,
      'bearer' in ep.auth! ? `bind the user to the role: regctl metrics enable --user USER` : 'give the secret the registry runs with (--secret), or regctl metrics enable',
    );
  }
  if (res.status === 404) throw new OperationError(`the registry at ${ep.base} has no ${METRICS_PATH} (metrics are off)`, 'regctl metrics enable');
  if (res.status !== 200) throw new OperationError(`the registry at ${ep.base} answered HTTP ${res.status} for ${METRICS_PATH}`);
  const series = registrySeries(parseExposition(res.body.toString('utf8')), opts.patterns);
  if (opts.output) ctx.io.out.write(opts.output === 'json' ? JSON.stringify(series, null, 2) + '\n' : toYaml(series));
  else for (const s of series) ctx.io.out.write(formatSeries(s) + '\n');
  if (series.length === 0) ctx.io.err.write(`no imageregistry_* series${opts.patterns.length ? ` matching ${opts.patterns.join(', ')}` : ''}\n`);
}

function credential(o: QueryOptions, live: QueryLive | undefined): RegistryEndpoint['auth'] {
  if (o.token) return { bearer: o.token };
  if (o.secret) return { basic: `regctl:${o.secret}` };
  if (live?.info.platform === 'openshift4') throw new UsageError('--token: OpenShift 4 reads metrics with the token of a user bound to prometheus-scraper', 'regctl metrics query --token "$(oc whoami -t)"');
  const env = live?.workload ? workloadEnv(live.workload) : {};
  const secret = env[METRICS_SECRET_ENV];
  if (env[METRICS_ENABLED_ENV] !== 'true' || !secret) {
    throw new OperationError(`the registry's metrics are not enabled (${METRICS_ENABLED_ENV}${secret ? '' : ` and ${METRICS_SECRET_ENV}`} not set on ${live?.workload?.kind.toLowerCase()}/${live?.loc.name})`, 'regctl metrics enable (or --secret if config.yml sets them)');
  }
  // The user is arbitrary; the password is the secret (seed 002 5.5).
  return { basic: `regctl:${secret}` };
}
