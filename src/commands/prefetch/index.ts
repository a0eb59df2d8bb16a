// `regctl prefetch IMAGESTREAM:TAG`: pull an image's layers into the registry before anyone needs
// them, as seed 000 ("Image Pullthrough") does with curl: one GET of bytes 0-1 per layer, with
// the user's token, makes the registry fetch the blob through pullthrough and mirror it.
import type { Command } from 'commander';
import type { Context } from '../../context.js';
import { OperationError } from '../../errors.js';
import { readInputFile } from '../../host/files.js';
import { registryBase } from '../../registry/registry-base.js';
import { registryGet, type RegistryEndpoint } from '../../registry/registry-client.js';
import { action } from '../../runtime.js';
import { summary } from '../catalog.js';
import { readLive, type Layer } from './live.js';
import { toOptions, type PrefetchFlags } from './options.js';

export function register(program: Command): void {
  program
    .command('prefetch')
    .description(summary('prefetch'))
    .argument('<imagestream:tag>', 'the image stream tag in the project (-n) whose layers to fetch')
    .option('--token <token>', 'your OpenShift token (default: $REGCTL_TOKEN, else the kubeconfig user\'s, as oc whoami -t)')
    .option('--registry-url <url>', 'the registry, https://HOST[:PORT] (default: its route; else the service name, from inside the cluster)')
    .option('--registry-namespace <ns>', "3.x: the registry's namespace (default: default)")
    .option('--ca <file>', "trust this CA for the registry (default: the system's)")
    .option('--insecure-skip-tls-verify', "do not verify the registry's certificate")
    .addHelpText(
      'after',
      `
Pullthrough happens only for an image stream tag in the project (with a Local reference policy
clients pull through the registry). Each layer is asked for with "Range: bytes=0-1": the
registry fetches the whole blob from the source and keeps it (mirrorpullthrough).

Examples:
  regctl prefetch mysql:5.7 -n myproject --token "$(oc whoami -t)"
  regctl prefetch jenkins:2 -n ci --token "$(oc whoami -t)" --registry-url https://registry.apps.example.com --ca ca.crt`,
    )
    .action(action<PrefetchFlags>(runPrefetch));
}

const mb = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${Math.ceil(n / 1e3)} kB`);
const short = (d: string) => d.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]+$/, '$1…');

export async function runPrefetch(flags: PrefetchFlags, ctx: Context, args: string[] = []): Promise<void> {
  const opts = toOptions(flags, args[0], ctx.env);
  const ca = opts.caPath !== undefined ? readInputFile('--ca', opts.caPath) : undefined;
  const [live, token] = await Promise.all([readLive(opts, await ctx.cluster()), opts.token ?? import('../../cluster/credentials.js').then((m) => m.kubeconfigToken(ctx.globals, ctx.env, '--token'))]);
  const base = opts.registryUrl ?? registryBase(live.registry!.loc, live.registry!.routes, live.registry!.service, live.registry!.platform);
  // The documents' curl -u user:${TOKEN}: the user name is not checked, the token is.
  const ep: RegistryEndpoint = { base, ca, insecureSkipVerify: opts.insecure, auth: { basic: `regctl:${token}` } };
  const repo = `${live.project}/${opts.stream}`;
  const failed: { layer: Layer; why: string }[] = [];
  let bytes = 0;
  let fetched = 0;
  for (const [i, layer] of live.layers.entries()) {
    const res = await registryGet(ep, `/v2/${repo}/blobs/${layer.digest}`, { headers: { Range: 'bytes=0-1' }, maxBody: 2 });
    const head = `[${i + 1}/${live.layers.length}] ${short(layer.digest)}${layer.size !== undefined ? ` (${mb(layer.size)})` : ''}`;
    if (res.status === 200 || res.status === 206) {
      bytes += layer.size ?? 0;
      fetched++;
      ctx.io.err.write(`${head} fetched\n`);
      continue;
    }
    const why = res.status === 401 || res.status === 403 ? `HTTP ${res.status}: the token may not pull from ${repo}` : res.status === 404 ? 'HTTP 404: blob unknown (pullthrough found no source with it)' : `HTTP ${res.status}`;
    failed.push({ layer, why });
    ctx.io.err.write(`${head} failed: ${why}\n`);
    // A refused token is refused for every layer.
    if (res.status === 401) break;
  }
  ctx.io.out.write(`prefetched ${fetched} of ${live.layers.length} layers of ${repo}:${opts.tag}${bytes ? ` (${mb(bytes)})` : ''} into the registry at ${base}\n`);
  if (failed.length) {
    throw new OperationError(
      `${live.layers.length - fetched} of ${live.layers.length} layers were not fetched`,
      failed.some((f) => /40[13]/.test(f.why)) ? 'a token of a user who may pull from the project: --token "$(oc whoami -t)"' : 'the registry log says why: regctl logs --since 5m',
    );
  }
}
