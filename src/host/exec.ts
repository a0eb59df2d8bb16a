// Runs a command on this machine (e.g. `systemctl restart docker`). execa is loaded only here,
// when a command is really run, so start-up stays fast.
import { OperationError } from '../errors.js';

export interface ExecResult {
  stdout: string;
  stderr: string;
}

/** The command as a user would type it, for messages and "run this yourself" lines. */
export function commandLine(command: string, args: string[]): string {
  return [command, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** Runs `command args`; a non-zero exit or a missing program is an OperationError quoting its stderr. */
export async function runHostCommand(command: string, args: string[], opts: { timeoutMs?: number } = {}): Promise<ExecResult> {
  const { execa } = await import('execa');
  const line = commandLine(command, args);
  const r = await execa(command, args, { reject: false, timeout: opts.timeoutMs ?? 120_000, stdin: 'ignore' });
  if (r.failed) {
    const why = r.code === 'ENOENT' ? `${command}: command not found` : r.timedOut ? 'timed out' : String(r.stderr || r.stdout || r.shortMessage || '').trim().split('\n').slice(-3).join(' / ');
    throw new OperationError(`\`${line}\` failed: ${why}`);
  }
  return { stdout: r.stdout, stderr: r.stderr };
}
