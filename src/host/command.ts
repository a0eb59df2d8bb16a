// Runs a command on this machine (systemctl and the like) through execa, loaded on first use.
import { OperationError } from '../errors.js';

export async function runHostCommand(command: string, args: string[], stdin?: string): Promise<string> {
  const { execa } = await import('execa');
  const r = await execa(command, args, { reject: false, all: true, ...(stdin !== undefined ? { input: stdin } : {}) });
  if (r.failed) {
    const why = r.code === 'ENOENT' ? 'command not found' : (r.all ?? '').trim().split('\n').slice(-1)[0] || `exit ${r.exitCode}`;
    throw new OperationError(`${command} ${args.join(' ')} failed: ${why}`);
  }
  return r.stdout ?? '';
}
