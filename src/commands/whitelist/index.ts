// `regctl whitelist`: which registries nodes may pull from ("Whitelisting Docker Registries",
// seeds 000, 003; image.config.openshift.io, seed 004). Two targets, one command:
//   --node-config [file]  OpenShift 3.x: edit this node's /etc/sysconfig/docker (backed up, undone on failure)
//   otherwise             OpenShift 4.x: merge-patch image.config.openshift.io/cluster
// flags → options → live state → pure plan → finish(). --show and --preview (stdout) are
// queries: they print what is, or what nodes would get, and change nothing.
import type { Command } from 'commander';
import type { Context } from '../../context.js';
import { info, result, warn } from '../../output/messages.js';
import { toYaml } from '../../output/printers.js';
import { formatNodeFiles } from '../../templates/node-registries.js';
import { readRegistryLists } from '../../templates/docker-sysconfig.js';
import { finish } from '../../plan/run.js';
import { action } from '../../runtime.js';
import { collect } from '../../validate.js';
import { summary } from '../catalog.js';
import { readLive, readLocal, readNodeConfig, type ClusterLive } from './live.js';
import { DEFAULT_NODE_CONFIG, toOptions, type NodeConfigOptions, type WhitelistFlags } from './options.js';
import { planClusterWhitelist, planNodeConfig, previewFiles } from './plan.js';
import { planPreview, type NodePreview } from '../../node-files/image.js';

export function register(program: Command): void {
  program
    .command('whitelist')
    .description(summary('whitelist'))
    .option('--node-config [file]', `OpenShift 3.x: edit this node's docker sysconfig file (default ${DEFAULT_NODE_CONFIG}) instead of the cluster`)
    .option('--allow <registry>', 'allow this registry (repeatable or comma separated); on 3.x every other registry is blocked', collect)
    .option('--block <registry>', '4.x: block this registry or repository (repeatable); excludes --allow', collect)
    .option('--insecure <registry>', '4.x: pull from this registry without TLS verification (repeatable)', collect)
    .option('--search <host>', '4.x: search this registry for short image names (containerRuntimeSearchRegistries; repeatable)', collect)
    .option('--allow-import <domain>', '4.x: allow image stream imports from domain[:port][,insecure] (allowedRegistriesForImport; repeatable)', collect)
    .option('--add', 'add the given entries to the current lists instead of replacing them')
    .option('--remove', 'remove the given entries from the current lists')
    .option('--include-defaults', '4.x: add registry.redhat.io, quay.io and the internal registry to an allow list that lacks them')
    .option('--force', '4.x: accept an allow list without, or a block list covering, the registries the cluster needs')
    .option('--show', 'print the current lists and change nothing')
    .option('--restart', '3.x: restart docker after the edit (systemctl restart docker)')
    .option('--preview [dir]', '4.x: print (or write under dir) the registries.conf, search drop-in and policy.json each node will receive; change nothing')
    .option('--local', '4.x: do not contact the cluster: start from -f or from a default Image (with -o or --preview)')
    .option('-f, --filename <file>', '4.x with --local: the current Image (YAML or JSON), e.g. from oc get image.config.openshift.io/cluster -o yaml')
    .option('--openshift-version <X.Y>', '4.x with --local: the release whose machine-config operator --preview imitates (default: the newest regctl knows)')
    .option('--wait', '4.x: follow the machine config pools until every node has the change')
    .option('--timeout <seconds>', 'how long --wait waits', '3600')
    .addHelpText(
      'after',
      `
Examples:
  # OpenShift 3.x, on each node: only these registries may be used (the OKD 3 Extended Registry Configuration document)
  regctl whitelist --node-config --allow registry.access.redhat.com --allow 172.30.1.1:5000 --restart

  # OpenShift 4.x: allow only these registries, plus the ones the cluster itself needs
  regctl whitelist --allow example.com --allow '*.corp.example.com' --include-defaults

  # Block a registry and a single repository
  regctl whitelist --block untrusted.com --block reg1.io/myrepo/myapp

  # Add an insecure registry to the current list, and see what the nodes will receive
  regctl whitelist --add --insecure insecure.com --preview

  # Render offline from a saved Image
  regctl whitelist --local -f image.yaml --allow quay.io --include-defaults -o yaml

An empty value clears a list: --block ''.`,
    )
    .action(action<WhitelistFlags>(runWhitelist));
}


async function runWhitelist(flags: WhitelistFlags, ctx: Context): Promise<void> {
  const o = toOptions(flags, ctx.globals);
  if (o.target === 'node-config') return runNodeConfig(o, ctx);
  const live = o.local ? readLocal(o) : await readLive(o, await ctx.cluster());
  if (o.show || (!o.changes && o.preview === undefined && !ctx.globals.output)) return showLists(ctx, live);
  if (o.preview !== undefined) {
    const preview = previewFiles(o, live, await import('smol-toml'));
    if (o.preview === true) return showPreview(ctx, preview);
    return finish(planPreview('whitelist', o.preview, preview), ctx);
  }
  await finish(planClusterWhitelist(o, live), ctx);
}

async function runNodeConfig(o: NodeConfigOptions, ctx: Context): Promise<void> {
  const live = await readNodeConfig(o);
  if (o.show) return showDockerLists(ctx, live.text);
  await finish(planNodeConfig(o, live), ctx);
}

/** `--show` on 4.x: the Image's lists. */
function showLists(ctx: Context, live: ClusterLive): void {
  const { registrySources = {}, allowedRegistriesForImport } = live.image.spec ?? {};
  const shown = { registrySources, ...(allowedRegistriesForImport ? { allowedRegistriesForImport } : {}) };
  ctx.io.out.write(ctx.globals.output === 'json' ? JSON.stringify(shown, null, 4) + '\n' : toYaml(shown));
}

/** `--preview`: the node files on stdout. */
function showPreview(ctx: Context, preview: NodePreview): void {
  info(ctx.io, preview.note);
  for (const w of preview.warnings) warn(ctx.io, w);
  ctx.io.out.write(formatNodeFiles(preview.files));
}

/** `--show --node-config`: the lists docker gets from the file. */
function showDockerLists(ctx: Context, text: string): void {
  const lists = readRegistryLists(text);
  const fmt = ctx.globals.output;
  const data = { addRegistry: lists.add, blockRegistry: lists.block, insecureRegistry: lists.insecure };
  if (fmt === 'json') return void ctx.io.out.write(JSON.stringify(data, null, 4) + '\n');
  if (fmt === 'yaml') return void ctx.io.out.write(toYaml(data));
  const line = (label: string, xs: string[]) => `${label}: ${xs.length ? xs.join(' ') : '(none)'}`;
  result(ctx.io, line('ADD_REGISTRY (allowed, searched in this order)', lists.add));
  result(ctx.io, line('BLOCK_REGISTRY', lists.block));
  result(ctx.io, line('INSECURE_REGISTRY', lists.insecure));
}
