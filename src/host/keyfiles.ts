// Writing certificate, key and serial files: each atomically (src/host/files.ts), with its exact
// mode (keys 0600), and a backup beside any file it replaces (src/host/file-backup.ts).
import { OperationError } from '../errors.js';
import { backupFile } from './file-backup.js';
import { existingMode, writeFileAtomic } from './files.js';

export interface PlannedFile {
  path: string;
  content: string;
  /** The mode of a new file; an existing file keeps its own mode when `keepMode` is set. */
  mode: number;
  keepMode?: boolean;
  /** Keep the replaced file as `<path>.regctl-<stamp>.bak` (certificates and keys; not the serial counter). */
  backup?: boolean;
  /** What it is, for messages: "server certificate", "CA key". */
  what: string;
}

export interface WriteResult {
  written: string[];
  backups: string[];
}

function writeOne(f: PlannedFile, now: Date, result: WriteResult): void {
  const oldMode = existingMode(f.path);
  const mode = f.keepMode && oldMode !== undefined ? oldMode & 0o777 : f.mode;
  if (oldMode !== undefined && f.backup) result.backups.push(backupFile(f.path, now)!);
  writeFileAtomic(f.path, f.content, mode);
  result.written.push(f.path);
}

/** Writes the files in order. A failure names the file; files already written stay written. */
export function writeFiles(files: readonly PlannedFile[], now: Date): WriteResult {
  const result: WriteResult = { written: [], backups: [] };
  for (const f of files) {
    try {
      writeOne(f, now, result);
    } catch (e) {
      const done = result.written.length ? ` (already written: ${result.written.join(', ')})` : '';
      throw new OperationError(`cannot write the ${f.what} "${f.path}": ${(e as Error).message}${done}`);
    }
  }
  return result;
}
