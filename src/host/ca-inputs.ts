// CA files on this machine for `trust-ca`: a directory of `HOST[..PORT].crt` files and the
// system CA bundle the 3.x pullthrough mount must carry along.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { readIfExists } from './files.js';

/** The system bundle of the registry image's family first (RHEL), then other distributions'. */
export const SYSTEM_BUNDLE_PATHS = [
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/ssl/cert.pem',
];

/** The names in a directory given with a flag, sorted; errors name the flag. */
export function listDir(flag: string, dir: string): string[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new UsageError(`${flag}: "${dir}" is not a directory`);
    names = readdirSync(dir);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${flag}: cannot read "${dir}": ${code === 'ENOENT' ? 'no such directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message}`);
  }
  return names.filter((n) => statSync(join(dir, n)).isFile()).sort();
}

/** The first system bundle this machine has, with its path. */
export function findSystemBundle(): { path: string; pem: string } | undefined {
  for (const path of SYSTEM_BUNDLE_PATHS) {
    const b = readIfExists(path);
    if (b && b.length > 0) return { path, pem: b.toString('utf8') };
  }
  return undefined;
}
