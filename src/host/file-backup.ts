// A copy of a user's file beside it before regctl replaces it: nothing is lost.
import { copyFileSync, existsSync } from 'node:fs';
import { OperationError } from '../errors.js';

/** Copies an existing file to `<path>.<stamp>.bak`; returns the backup path (undefined: no file). */
export function backupFile(path: string, stamp: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const backup = `${path}.${stamp}.bak`;
  try {
    copyFileSync(path, backup);
  } catch (e) {
    throw new OperationError(`cannot back up "${path}" to "${backup}": ${(e as Error).message}`);
  }
  return backup;
}
