// `regctl whitelist`: which registries nodes may pull from ("Whitelisting Docker Registries",
// seeds 000, 003; image.config.openshift.io, seed 004). Two targets, one command:
//   --node-config [file]  OpenShift 3.x: edit this node's /etc/sysconfig/docker (atomic, backed up)
//   otherwise             OpenShift 4.x: merge-patch image.config.openshift.io/cluster
// flags → options (validated, no I/O) → live state → pure plan → print, preview or apply.
import type { Command } from 'commander';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { action } from '../runtime.js';
import { collect, isHostname, parseInteger } from '../validate.js';
import { parseImportLocation, parseScope, LIST_FLAG, LIST_NAMES, type EditMode, type ListName, type RegistryLocation, type RegistrySources } from '../templates/image-config.js';
import { summary } from './catalog.js';

export const DEFAULT_NODE_CONFIG = '/etc/sysconfig/docker';

export interface WhitelistFlags {
  nodeConfig?: string | boolean;
  allow?: string[];
  block?: string[];
  insecure?: string[];
  search?: string[];
  allowImport?: string[];
  add?: boolean;
  remove?: boolean;
  includeDefaults?: boolean;
  force?: boolean;
  show?: boolean;
  restart?: boolean;
  preview?: string | boolean;
  local?: boolean;
  filename?: string;
  wait?: boolean;
  timeout: string;
}

export interface NodeConfigOptions {
  target: 'node-config';
  path: string;
  mode: EditMode;
  registries: string[];
  show: boolean;
  restart: boolean;
}

export interface ClusterOptions {
  target: 'cluster';
  mode: EditMode;
  lists: RegistrySources;
  allowImport?: RegistryLocation[];
  includeDefaults: boolean;
  force: boolean;
  show: boolean;
  /** Any list, --allow-import or --include-defaults given: without them the command shows the lists. */
  changes: boolean;
  /** `--preview`: true prints the node files; a string writes them under that directory. */
  preview?: true | string;
  local: boolean;
  filename?: string;
  wait: boolean;
  timeoutSeconds: number;
}

export type WhitelistOptions = NodeConfigOptions | ClusterOptions;


const FLAG_OF_LIST: Record<ListName, keyof WhitelistFlags> = {
  allowedRegistries: 'allow',
  blockedRegistries: 'block',
  insecureRegistries: 'insecure',
  containerRuntimeSearchRegistries: 'search',
};

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
    .option('--wait', '4.x: follow the machine config pools until every node has the change')
    .option('--timeout <seconds>', 'how long --wait waits', '3600')
    .addHelpText(
      'after',
      `
Examples:
  # OpenShift 3.x, on each node: only these registries may be used (seed 000)
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

function listValues(values: string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  return values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter((s) => s !== '');
}

function editMode(f: WhitelistFlags): EditMode {
  if (f.add && f.remove) throw new UsageError('--add and --remove cannot be used together');
  return f.add ? 'add' : f.remove ? 'remove' : 'set';
}

/** A 3.x `--add-registry` value: host or host:port. */
function parseDockerRegistry(value: string): string {
  const m = /^(.+?)(?::(\d{1,5}))?$/.exec(value);
  if (!m || !isHostname(m[1]!) || m[1]!.startsWith('*') || (m[2] !== undefined && Number(m[2]) > 65535)) {
    throw new UsageError(`--allow: "${value}" is not a registry host or host:port (docker's --add-registry takes no wildcard or path)`);
  }
  return value;
}

/** Complete + Validate: every flag checked, nothing read or written yet. */
export function toOptions(f: WhitelistFlags): WhitelistOptions {
  const mode = editMode(f);
  const timeoutSeconds = parseInteger('--timeout', f.timeout, 1, 7 * 86400);
  if (f.nodeConfig !== undefined && f.nodeConfig !== false) {
    const fourX = (['block', 'insecure', 'search', 'allowImport', 'includeDefaults', 'force', 'preview', 'local', 'filename', 'wait'] as const).filter((k) => f[k] !== undefined);
    if (fourX.length) {
      const flag = '--' + fourX[0]!.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
      throw new UsageError(`${flag} is for OpenShift 4.x clusters; with --node-config (3.x) give --allow: every registry not allowed is blocked`);
    }
    const path = f.nodeConfig === true ? DEFAULT_NODE_CONFIG : f.nodeConfig;
    if (path === '') throw new UsageError('--node-config: the file name is empty');
    const registries = [...new Set((listValues(f.allow) ?? []).map(parseDockerRegistry))];
    const show = f.show === true;
    if (show && (registries.length || f.restart)) throw new UsageError('--show prints the current lists; give it without --allow or --restart');
    if (!show && registries.length === 0) throw new UsageError('--node-config: give the registries to allow with --allow (every other registry is blocked)');
    return { target: 'node-config', path, mode, registries, show, restart: f.restart === true };
  }
  if (f.restart) throw new UsageError('--restart is for --node-config (3.x nodes); on 4.x the machine-config operator restarts CRI-O itself');
  const lists: RegistrySources = {};
  for (const name of LIST_NAMES) {
    const raw = f[FLAG_OF_LIST[name]] as string[] | undefined;
    const values = listValues(raw);
    if (values === undefined) continue;
    if (values.length === 0 && mode !== 'set') throw new UsageError(`${LIST_FLAG[name]}: an empty value clears the list; it cannot be used with --add or --remove`);
    lists[name] = values.map((v) => parseScope(name, v));
  }
  const allowImport = f.allowImport === undefined ? undefined : f.allowImport.filter((v) => v.trim() !== '').map(parseImportLocation);
  const changes = Object.keys(lists).length > 0 || allowImport !== undefined;
  if ((f.add || f.remove) && !changes) throw new UsageError(`--${f.add ? 'add' : 'remove'} needs entries: --allow, --block, --insecure, --search or --allow-import`);
  if (f.show && changes) throw new UsageError('--show prints the current lists; give it without changes');
  if (f.filename !== undefined && !f.local) throw new UsageError('-f/--filename is read only with --local (otherwise the Image comes from the cluster)');
  if (f.wait && (f.preview !== undefined || f.local)) throw new UsageError('--wait follows an applied change; it cannot be used with --preview or --local');
  if (f.preview === '') throw new UsageError('--preview: the directory name is empty');
  return {
    target: 'cluster',
    mode,
    lists,
    allowImport,
    includeDefaults: f.includeDefaults === true,
    force: f.force === true,
    show: f.show === true,
    changes: changes || f.includeDefaults === true,
    preview: f.preview === undefined || f.preview === false ? undefined : f.preview,
    local: f.local === true,
    filename: f.filename,
    wait: f.wait === true,
    timeoutSeconds,
  };
}

export async function runWhitelist(flags: WhitelistFlags, ctx: Context): Promise<void> {
  const o = toOptions(flags);
  if (o.target === 'node-config') {
    const { runNodeConfig } = await import('./whitelist-node.js');
    return runNodeConfig(o, ctx);
  }
  if (o.local && !o.preview && !ctx.globals.output && !o.show) {
    throw new UsageError('--local renders only: give -o yaml|json or --preview');
  }
  const { runClusterWhitelist } = await import('./whitelist-cluster.js');
  return runClusterWhitelist(o, ctx);
}
