// `regctl ca create-signer-cert` and `regctl ca create-server-cert`: what `oc adm ca` does
// (OC-ADM-REGISTRY.md §4), same flags and defaults, except that existing files are kept unless
// --overwrite. node-forge is loaded only when a certificate is made (start-up speed).
import type { Command } from 'commander';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { info, success, warn } from '../output/messages.js';
import { action } from '../runtime.js';
import { collect, parseHostnames, parseInteger } from '../validate.js';
import { summary } from './catalog.js';
import { writeFiles } from '../host/keyfiles.js';

const MASTER_DIR = 'openshift.local.config/master';
export const DEFAULT_SIGNER_CERT = `${MASTER_DIR}/ca.crt`;
export const DEFAULT_SIGNER_KEY = `${MASTER_DIR}/ca.key`;
export const DEFAULT_SIGNER_SERIAL = `${MASTER_DIR}/ca.serial.txt`;
const KEY_SIZES = [2048, 3072, 4096];

export interface SignerFlags {
  cert: string;
  key: string;
  serial: string;
  name?: string;
  overwrite?: boolean;
  expireDays?: string;
  signerExpireDays?: string;
  keySize: string;
}

export interface ServerFlags {
  signerCert: string;
  signerKey: string;
  signerSerial: string;
  hostnames?: string[];
  cert?: string;
  key?: string;
  overwrite?: boolean;
  expireDays: string;
  keySize: string;
}


export function parseKeySize(flag: string, s: string): number {
  const n = parseInteger(flag, s, 2048, 16384);
  if (!KEY_SIZES.includes(n)) throw new UsageError(`${flag}: ${n} bits is not offered; choose ${KEY_SIZES.join(', ')}`);
  return n;
}

export function parseDays(flag: string, s: string): number {
  if (!/^-?\d+$/.test(s.trim()) || Number(s) <= 0) throw new UsageError(`${flag}: expire-days must be valid number of days (a whole number above 0, got "${s}")`);
  return parseInteger(flag, s, 1, 36500);
}

export function defaultSignerName(now: Date): string {
  return `openshift-signer@${Math.floor(now.getTime() / 1000)}`;
}

export function register(program: Command): void {
  const ca = program.command('ca').description(summary('ca'));

  ca.command('create-signer-cert')
    .description('create a self-signed CA certificate and key, and a serial file for the certificates it signs')
    .option('--cert <file>', 'the CA certificate file to write', DEFAULT_SIGNER_CERT)
    .option('--key <file>', 'the CA key file to write (mode 0600)', DEFAULT_SIGNER_KEY)
    .option('--serial <file>', 'the serial file to write ("" for none)', DEFAULT_SIGNER_SERIAL)
    .option('--name <name>', 'the CA\'s common name (default "openshift-signer@<unix seconds>")')
    .option('--expire-days <days>', 'validity of the CA certificate in days (default 1825)')
    .option('--signer-expire-days <days>', 'the same as --expire-days')
    .option('--key-size <bits>', `RSA key size: ${KEY_SIZES.join(', ')}`, '2048')
    .option('--overwrite', 'replace existing files (kept as <file>.regctl-<time>.bak); without it an existing valid signer is kept and anything else refused')
    .addHelpText('after', `
Examples:
  # A CA for the registry's certificates
  regctl ca create-signer-cert --cert=ca.crt --key=ca.key --serial=ca.serial.txt`)
    .action(action<SignerFlags>(runCreateSigner));

  ca.command('create-server-cert')
    .description('create a key and a server certificate for the given host names and IPs, signed by a CA (the CA is appended to the certificate file)')
    .option('--signer-cert <file>', 'the CA certificate', DEFAULT_SIGNER_CERT)
    .option('--signer-key <file>', 'the CA key', DEFAULT_SIGNER_KEY)
    .option('--signer-serial <file>', 'the CA\'s serial file, read and advanced ("" for a random serial)', DEFAULT_SIGNER_SERIAL)
    .option('--hostnames <names>', 'host names and IP addresses the certificate is valid for (comma separated, repeatable)', collect)
    .option('--cert <file>', 'the certificate file to write')
    .option('--key <file>', 'the key file to write (mode 0600)')
    .option('--expire-days <days>', 'validity of the certificate in days', '730')
    .option('--key-size <bits>', `RSA key size: ${KEY_SIZES.join(', ')}`, '2048')
    .option('--overwrite', 'replace existing files (kept as <file>.regctl-<time>.bak); without it an existing certificate that covers the names is kept and anything else refused')
    .addHelpText('after', `
Examples:
  # The registry's certificate, as "Securing the Registry" does it
  regctl ca create-server-cert \\
      --signer-cert=/etc/origin/master/ca.crt --signer-key=/etc/origin/master/ca.key \\
      --signer-serial=/etc/origin/master/ca.serial.txt \\
      --hostnames='docker-registry.default.svc.cluster.local,172.30.124.220' \\
      --cert=/etc/secrets/registry.crt --key=/etc/secrets/registry.key`)
    .action(action<ServerFlags>(runCreateServer));
}

function refuseOutput(ctx: Context): void {
  if (ctx.globals.output) throw new UsageError(`--output: regctl ca writes files and prints no objects; drop -o ${ctx.globals.output}`);
}

async function finish(ctx: Context, prepared: import('../pki/ca.js').Prepared, what: string): Promise<void> {
  for (const w of prepared.warnings) warn(ctx.io, w);
  if (prepared.kept) {
    info(ctx.io, prepared.kept);
    return;
  }
  if (ctx.globals.dryRun !== 'none') {
    for (const f of prepared.files) info(ctx.io, `would write the ${f.what} "${f.path}" (mode ${f.mode.toString(8).padStart(4, '0')})`);
    return;
  }
  const result = writeFiles(prepared.files, ctx.now());
  for (const b of result.backups) info(ctx.io, `backed up "${b.replace(/\.[^.]+\.bak$/, '')}" to "${b}"`);
  const s = prepared.summary!;
  success(ctx.io, `${what} "${s.subject}" (serial ${s.serial}, valid until ${s.notAfter.toISOString()}): ${prepared.files.map((f) => f.path).join(', ')}`);
}

export async function runCreateSigner(f: SignerFlags, ctx: Context): Promise<void> {
  refuseOutput(ctx);
  if (f.expireDays !== undefined && f.signerExpireDays !== undefined && f.expireDays !== f.signerExpireDays) {
    throw new UsageError('--expire-days and --signer-expire-days give different values; give one');
  }
  const daysFlag = f.expireDays !== undefined ? '--expire-days' : '--signer-expire-days';
  const days = parseDays(daysFlag, f.expireDays ?? f.signerExpireDays ?? '1825');
  const keyBits = parseKeySize('--key-size', f.keySize);
  if (!f.cert) throw new UsageError('--cert: a certificate file must be given');
  if (!f.key) throw new UsageError('--key: a key file must be given');
  if (f.name !== undefined && f.name.trim() === '') throw new UsageError('--name: the CA name must not be empty');
  const now = ctx.now();
  const { prepareSignerCert } = await import('../pki/ca.js');
  const prepared = await prepareSignerCert({ certPath: f.cert, keyPath: f.key, serialPath: f.serial, name: f.name ?? defaultSignerName(now), days, keyBits, overwrite: f.overwrite === true }, now);
  await finish(ctx, prepared, 'created the signer');
}

export async function runCreateServer(f: ServerFlags, ctx: Context): Promise<void> {
  refuseOutput(ctx);
  if (!f.cert) throw new UsageError('--cert: cert must be provided');
  if (!f.key) throw new UsageError('--key: key must be provided');
  const hostnames = parseHostnames('--hostnames', f.hostnames ?? []);
  if (hostnames.length === 0) throw new UsageError('--hostnames: at least one hostname must be provided');
  const days = parseDays('--expire-days', f.expireDays);
  const keyBits = parseKeySize('--key-size', f.keySize);
  if (!f.signerCert) throw new UsageError('--signer-cert: a CA certificate file must be given');
  if (!f.signerKey) throw new UsageError('--signer-key: a CA key file must be given');
  const { prepareServerCert } = await import('../pki/ca.js');
  const prepared = await prepareServerCert(
    { signer: { certPath: f.signerCert, keyPath: f.signerKey, serialPath: f.signerSerial }, hostnames, certPath: f.cert, keyPath: f.key, days, keyBits, overwrite: f.overwrite === true },
    ctx.now(),
    ctx.randomBytes,
  );
  await finish(ctx, prepared, 'issued');
}
