// `regctl whitelist --node-config`: the 3.x whitelist in this node's /etc/sysconfig/docker
// (seeds 000, 003): block every registry but the allowed ones, then restart docker.
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { editFile, readEditable } from '../host/edit.js';
import { runHostCommand } from '../host/command.js';
import { commands, info, result, success, warn } from '../output/messages.js';
import { toYaml } from '../output/printers.js';
import { readRegistryLists, setRegistryWhitelist, type DockerRegistryLists } from '../templates/docker-sysconfig.js';
import type { NodeConfigOptions } from './whitelist.js';

const RESTART = ['systemctl', ['restart', 'docker']] as const;

/** The new allow list: as given, or the file's ADD_REGISTRY entries with --add/--remove applied. */
export function nextAllowList(o: NodeConfigOptions, current: DockerRegistryLists): string[] {
  if (o.mode === 'set') return o.registries;
  if (o.mode === 'add') return [...new Set([...current.add, ...o.registries])];
  return current.add.filter((r) => !o.registries.includes(r));
}

function showLists(ctx: Context, lists: DockerRegistryLists): void {
  const fmt = ctx.globals.output;
  const data = { addRegistry: lists.add, blockRegistry: lists.block, insecureRegistry: lists.insecure };
  if (fmt === 'json') return void ctx.io.out.write(JSON.stringify(data, null, 4) + '\n');
  if (fmt === 'yaml') return void ctx.io.out.write(toYaml(data));
  if (fmt === 'name') throw new UsageError('--output name: --show prints lists, not objects; use -o yaml or -o json');
  const line = (label: string, xs: string[]) => `${label}: ${xs.length ? xs.join(' ') : '(none)'}`;
  result(ctx.io, line('ADD_REGISTRY (allowed, searched in this order)', lists.add));
  result(ctx.io, line('BLOCK_REGISTRY', lists.block));
  result(ctx.io, line('INSECURE_REGISTRY', lists.insecure));
}

export async function runNodeConfig(o: NodeConfigOptions, ctx: Context): Promise<void> {
  if (o.show) return showLists(ctx, readRegistryLists(await readEditable('--node-config', o.path)));
  if (ctx.globals.output) throw new UsageError('--output: --node-config edits a file and prints no objects; use --dry-run to see the change, --show to see the lists');
  const dryRun = ctx.globals.dryRun !== 'none';
  let allow: string[] = [];
  const edit = await editFile(
    o.path,
    (text) => {
      allow = nextAllowList(o, readRegistryLists(text));
      if (allow.length === 0) throw new UsageError(`--remove: no registry would be left in ${o.path}, and every registry would be blocked`);
      return setRegistryWhitelist(text, allow);
    },
    { flag: '--node-config', backupDir: ctx.globals.backupDir, now: ctx.now(), dryRun },
  );
  const lists = readRegistryLists(edit.after);
  const extra = lists.add.filter((r) => !allow.includes(r));
  if (extra.length) warn(ctx.io, `OPTIONS in ${o.path} also adds ${extra.join(', ')} with --add-registry: those stay allowed`);
  const restart = [RESTART[0], ...RESTART[1]].join(' ');
  if (!edit.changed) {
    info(ctx.io, `${o.path} already blocks every registry but ${allow.join(', ')}: nothing changed`);
    return;
  }
  if (dryRun) {
    info(ctx.io, `would edit ${o.path} (a backup is made first):`);
    commands(ctx.io, ["BLOCK_REGISTRY='--block-registry=all'", `ADD_REGISTRY='${allow.map((r) => '--add-registry=' + r).join(' ')}'`]);
    info(ctx.io, o.restart ? `would run: ${restart}` : `then docker needs a restart: ${restart}`);
    return;
  }
  success(ctx.io, `${o.path}: every registry is blocked but ${allow.join(', ')} (backup: ${edit.backupPath})`);
  if (o.restart) {
    info(ctx.io, `running ${restart}`);
    await runHostCommand(RESTART[0], [...RESTART[1]]);
    success(ctx.io, 'docker restarted: pulls from other registries now fail with "not allowed"');
  } else {
    info(ctx.io, 'docker reads this file when it starts; restart it for the whitelist to apply (or rerun with --restart):');
    commands(ctx.io, [restart]);
  }
  info(ctx.io, 'every node needs the same edit: run this command on each node, or push the file with your configuration management');
}
