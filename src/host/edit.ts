// Reading a file on this machine that a command will edit (a node's /etc/sysconfig/docker): it
// must exist and be a regular file, else a usage error naming the flag. The edit itself is a
// writeFile step of the command's plan (src/plan/execute.ts: backed up, atomic, undone on failure).
import { promises as fs } from 'node:fs';
import { UsageError } from '../errors.js';
import { fileErrorReason } from './files.js';

/** Reads a file that must exist and be a regular file: else a usage error naming the flag. */
export async function readEditable(flag: string, path: string): Promise<string> {
  let st;
  try {
    st = await fs.stat(path);
  } catch (e) {
    throw new UsageError(`${flag}: cannot read "${path}": ${fileErrorReason(e)}`);
  }
  if (st.isDirectory()) throw new UsageError(`${flag}: "${path}" is a directory, not a file`);
  if (!st.isFile()) throw new UsageError(`${flag}: "${path}" is not a regular file`);
  try {
    return await fs.readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`${flag}: cannot read "${path}": ${fileErrorReason(e)}`);
  }
}
