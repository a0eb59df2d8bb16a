// The one confirmation: `--yes` answers it, a terminal asks, anything else refuses before a
// single change (gh: "--yes required when not running interactively").
import type { Context } from '../context.js';
import { CancelError, UsageError } from '../errors.js';

export async function confirm(ctx: Pick<Context, 'globals' | 'io' | 'prompter'>, question: string, defaultAnswer = false): Promise<void> {
  if (ctx.globals.yes) return;
  if (!ctx.io.canPrompt) throw new UsageError(`${question.replace(/\?$/, '')}: --yes is required when not running interactively`);
  if (!(await ctx.prompter.confirm(question, defaultAnswer))) throw new CancelError();
}
