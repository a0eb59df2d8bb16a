// The files trust-ca reads before it looks at the cluster: the CAs (checked: PEM, a CA, not
// expired) and, for 3.x pullthrough, the system bundle that must come along.
import { join } from 'node:path';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { findSystemBundle, listDir, SYSTEM_BUNDLE_PATHS } from '../../host/ca-inputs.js';
import { readInputFile } from '../../host/files.js';
import { certificateBlocks } from '../../pki/pem.js';
import { checkCaPem, registryOfFileName, type CheckedCa } from '../../registry/trusted-cas.js';
import type { TrustCaOptions } from './options.js';

export interface SystemBundle {
  pem: string;
  /** Where it came from, as said to the user and recorded on the ConfigMap. */
  source: string;
  count: number;
}

export interface TrustCaInputs {
  /** Registry (`HOST[:PORT]`) → its checked CAs and the file they came from. */
  cas: Map<string, CheckedCa & { file: string }>;
  /** Read for --pullthrough; missing when the machine has none and none was named. */
  systemBundle?: SystemBundle;
}

export function readInputs(o: TrustCaOptions, ctx: Pick<Context, 'now'>): TrustCaInputs {
  const now = ctx.now();
  const cas = new Map<string, CheckedCa & { file: string }>();
  for (const p of o.pairs) cas.set(p.registry, { ...checkCaPem('--ca', p.caFile, readInputFile('--ca', p.caFile), now), file: p.caFile });
  if (o.fromDir !== undefined) {
    const names = listDir('--from-dir', o.fromDir);
    const found = names.map((n) => [n, registryOfFileName(n)] as const).filter(([, r]) => r !== undefined);
    if (found.length === 0) throw new UsageError(`--from-dir: "${o.fromDir}" has no HOST.crt or HOST..PORT.crt file (e.g. registry.example.com..5000.crt)`);
    for (const [n, registry] of found) {
      if (cas.has(registry!)) throw new UsageError(`--from-dir: ${join(o.fromDir, n)} is for ${registry}, which --registry gives too`);
      const file = join(o.fromDir, n);
      cas.set(registry!, { ...checkCaPem('--from-dir', file, readInputFile('--from-dir', file), now), file });
    }
  }
  let systemBundle: SystemBundle | undefined;
  if (o.pullthrough) {
    if (o.systemBundle !== undefined) {
      const pem = readInputFile('--system-bundle', o.systemBundle);
      const count = certificateBlocks(pem).length;
      if (count === 0) throw new UsageError(`--system-bundle: "${o.systemBundle}" holds no PEM certificate`);
      systemBundle = { pem, source: `${o.systemBundle} (--system-bundle)`, count };
    } else {
      const found = findSystemBundle();
      if (found) systemBundle = { pem: found.pem, source: `${found.path} (this machine's system bundle)`, count: certificateBlocks(found.pem).length };
    }
  }
  return { cas, systemBundle };
}

export const NO_SYSTEM_BUNDLE = `no system CA bundle on this machine (looked for ${SYSTEM_BUNDLE_PATHS.join(', ')})`;
