// `regctl whitelist` flags → options: pure, every error names its flag.
import type { GlobalOptions } from '../../context.js';
import { UsageError } from '../../errors.js';
import { isHostname, parseInteger } from '../../validate.js';
import type { Release } from '../../node-files/release.js';
import { renderOptions } from '../../node-files/render-flags.js';
import { parseImportLocation, parseScope, LIST_FLAG, LIST_NAMES, type EditMode, type ListName, type RegistryLocation, type RegistrySources } from '../../templates/image-config.js';

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
  openshiftVersion?: string;
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
  /** `--openshift-version` (with --local): whose rules the preview follows. */
  release?: Release;
}

export type WhitelistOptions = NodeConfigOptions | ClusterOptions;


const FLAG_OF_LIST: Record<ListName, keyof WhitelistFlags> = {
  allowedRegistries: 'allow',
  blockedRegistries: 'block',
  insecureRegistries: 'insecure',
  containerRuntimeSearchRegistries: 'search',
};

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
export function toOptions(f: WhitelistFlags, g: Pick<GlobalOptions, 'output'>): WhitelistOptions {
  const mode = editMode(f);
  const timeoutSeconds = parseInteger('--timeout', f.timeout, 1, 7 * 86400);
  if (f.nodeConfig !== undefined && f.nodeConfig !== false) {
    const fourX = (['block', 'insecure', 'search', 'allowImport', 'includeDefaults', 'force', 'preview', 'local', 'filename', 'wait', 'openshiftVersion'] as const).filter((k) => f[k] !== undefined);
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
    if (g.output === 'name' && show) throw new UsageError('--output name: --show prints lists, not objects; use -o yaml or -o json');
    if (g.output && !show) throw new UsageError('--output: --node-config edits a file and prints no objects; use --dry-run to see the change, --show to see the lists');
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
  const { preview, release } = renderOptions(f, g, { fromCluster: 'the Image comes from the cluster', printed: 'the Image' });
  return {
    target: 'cluster',
    mode,
    lists,
    allowImport,
    includeDefaults: f.includeDefaults === true,
    force: f.force === true,
    show: f.show === true,
    changes: changes || f.includeDefaults === true,
    preview,
    local: f.local === true,
    filename: f.filename,
    release,
    wait: f.wait === true,
    timeoutSeconds,
  };
}

