// Reading and writing files on this machine. Errors name the flag or path and what is wrong.
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';

/** Reads a file the user named with a flag; a missing or unreadable file is a usage error (exit 2). */
export function readInputFile(flag: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
    throw new UsageError(`${flag}: cannot read "${path}": ${why}`);
  }
}
