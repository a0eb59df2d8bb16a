// The one ending of every command (Terraform's plan / apply):
//   -o yaml|json       the plan's objects as a v1 List; nothing is written anywhere
//   --dry-run          the steps and, for updates, a diff, on stdout; nothing is written
//   --dry-run=server   every write sent with dryRun=All, judged created / configured /
//                      unchanged by what the server returned against the live object
//   otherwise          confirm, check the local paths, back up, execute, roll back on failure,
//                      and report what really happened (-o name: the names only)
import type { Context } from '../context.js';
import { OperationError } from '../errors.js';
import { BackupDir, defaultBackupRoot } from '../host/backup.js';
import { checkWritableDir } from '../host/files.js';
import { commands, info, success, warn } from '../output/messages.js';
import { formatObjects, resourceName, toYaml } from '../output/printers.js';
import { confirm } from '../output/prompt.js';
import { ExecutionFailed, executePlan, recreatable, reportFailure, type Outcome } from './execute.js';
import { planObjects, stepResult, type Plan, type Step } from './types.js';

const touchesCluster = (s: Step) => s.kind !== 'writeFile' && s.kind !== 'exec';

export async function finish(plan: Plan, ctx: Context): Promise<void> {
  const g = ctx.globals;
  const applying = g.output !== 'yaml' && g.output !== 'json' && g.dryRun === 'none';
  // Without a terminal, a plan that must be confirmed is refused before anything else is said.
  if (applying && plan.confirm && plan.steps.length > 0 && !g.yes && !ctx.io.canPrompt) await confirm(ctx, plan.confirm);
  for (const w of plan.warnings) warn(ctx.io, w);

  if (g.output === 'yaml' || g.output === 'json') {
    ctx.io.out.write(formatObjects(planObjects(plan), g.output));
    return;
  }
  if (plan.steps.length === 0) {
    if (plan.nothing) ctx.io.out.write(plan.nothing + '\n');
    return;
  }
  if (g.dryRun === 'client') {
    ctx.io.out.write(await describePlan(plan));
    if (plan.dryRunFails) throw new OperationError(plan.dryRunFails);
    return;
  }

  const cluster = plan.steps.some(touchesCluster) ? await ctx.cluster() : undefined;
  const backups = new BackupDir(g.backupDir ?? defaultBackupRoot(ctx.env), plan.command, ctx.now());
  if (g.dryRun === 'server') {
    const outcomes = await executePlan(plan, { cluster, host: ctx.host, io: ctx.io, backups, serverDryRun: true });
    report(ctx, outcomes, ' (server dry run)');
    const local = plan.steps.filter((s) => !touchesCluster(s));
    if (local.length) info(ctx.io, `not done in a server dry run (on this machine): ${local.map((s) => s.describe).join('; ')}`);
    return;
  }

  if (plan.confirm) await confirm(ctx, plan.confirm);
  preflight(plan, backups.root);
  let outcomes: Outcome[];
  try {
    outcomes = await executePlan(plan, { cluster, host: ctx.host, io: ctx.io, backups, serverDryRun: false });
  } catch (e) {
    if (e instanceof ExecutionFailed) reportFailure(ctx.io, e);
    throw e;
  }
  report(ctx, outcomes, '');
  if (backups.path) info(ctx.io, `backups of what changed: ${backups.path}`);
  if (plan.after) await plan.after({ cluster, io: ctx.io, env: ctx.env, sleep: ctx.sleep });
  if (plan.notes.length) commands(ctx.io, plan.notes);
  if (plan.done) success(ctx.io, plan.done);
}

/** Every local path the run will write is checked before the first change (not found at the first backup). */
function preflight(plan: Plan, backupRoot: string): void {
  const overwrites = plan.steps.some((s) => s.kind === 'update' || s.kind === 'patch' || s.kind === 'delete' || s.kind === 'writeFile');
  if (overwrites) checkWritableDir('--backup-dir', backupRoot);
  for (const s of plan.steps) if (s.kind === 'writeFile') checkWritableDir(s.path, s.path, { parentOf: true });
}

/** What happened, as kubectl says it: `kind/name created` on stdout; files and commands on stderr. */
function report(ctx: Context, outcomes: Outcome[], suffix: string): void {
  const names = ctx.globals.output === 'name';
  for (const o of outcomes) {
    const s = o.step;
    if (s.kind === 'writeFile') {
      if (!suffix) info(ctx.io, o.verb === 'unchanged' ? `${s.path} unchanged` : `wrote ${s.path}${o.backupFile ? ` (backup: ${o.backupFile})` : ''}`);
      continue;
    }
    if (s.kind === 'exec') {
      if (!suffix) info(ctx.io, `ran ${[s.command, ...s.args].join(' ')}`);
      continue;
    }
    const obj = s.kind === 'create' || s.kind === 'update' ? s.object : s.live;
    ctx.io.out.write(names ? `${resourceName(obj)}\n` : `${resourceName(obj)} ${o.verb}${suffix}\n`);
  }
}

/** `--dry-run`: the steps, numbered, and what each update changes. */
export async function describePlan(plan: Plan): Promise<string> {
  const out: string[] = [];
  let diff: typeof import('../output/diff.js').lineDiff | undefined;
  for (const [i, s] of plan.steps.entries()) {
    out.push(`${i + 1}. ${s.describe}`);
    if (s.kind !== 'update' && s.kind !== 'patch') continue;
    const after = stepResult(s);
    if (!after) continue;
    diff ??= (await import('../output/diff.js')).lineDiff;
    const d = diff(toYaml(recreatable(s.live)), toYaml(recreatable(after)), { fromLabel: `${resourceName(s.live)} (live)`, toLabel: `${resourceName(s.live)} (planned)` });
    if (d) out.push(...d.trimEnd().split('\n').map((l) => `   ${l}`));
  }
  return out.join('\n') + '\n';
}
