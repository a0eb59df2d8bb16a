// `regctl ca` flags → options: pure, every error names its flag.
import type { GlobalOptions } from '../../context.js';
import { UsageError } from '../../errors.js';
import type { ServerRequest, SignerRequest } from '../../pki/ca.js';
import { parseRsaKeySize as parseKeySize, parseValidityDays as parseDays, SIGNER_DEFAULT_DAYS } from '../../pki/validity.js';
import { parseHostnames } from '../../validate.js';

/** `oc adm ca`'s default CA name. */
export function defaultSignerName(now: Date): string {
  return `openshift-signer@${Math.floor(now.getTime() / 1000)}`;
}

const MASTER_DIR = 'openshift.local.config/master';
export const DEFAULT_SIGNER_CERT = `${MASTER_DIR}/ca.crt`;
export const DEFAULT_SIGNER_KEY = `${MASTER_DIR}/ca.key`;
export const DEFAULT_SIGNER_SERIAL = `${MASTER_DIR}/ca.serial.txt`;

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

/** What prepareSignerCert / prepareServerCert take (src/pki/ca.ts); `preview`: -o or --dry-run, check and show placeholders, generate no key. */
export type SignerOptions = SignerRequest & { preview: boolean };
export type ServerOptions = ServerRequest & { preview: boolean };

/** `ca` writes files and prints no objects: -o has nothing to print (or name). */
function refuseOutput(g: GlobalOptions): void {
  if (g.output) throw new UsageError(`--output: regctl ca writes files and prints no objects; drop -o ${g.output} (--dry-run shows the files it would write)`);
}

const isPreview = (g: GlobalOptions) => g.dryRun !== 'none';

export function toSignerOptions(f: SignerFlags, g: GlobalOptions, now: Date): SignerOptions {
  refuseOutput(g);
  if (f.expireDays !== undefined && f.signerExpireDays !== undefined && f.expireDays !== f.signerExpireDays) {
    throw new UsageError('--expire-days and --signer-expire-days give different values; give one');
  }
  const daysFlag = f.expireDays !== undefined ? '--expire-days' : '--signer-expire-days';
  const days = parseDays(daysFlag, f.expireDays ?? f.signerExpireDays ?? String(SIGNER_DEFAULT_DAYS));
  const keyBits = parseKeySize('--key-size', f.keySize);
  if (!f.cert) throw new UsageError('--cert: a certificate file must be given');
  if (!f.key) throw new UsageError('--key: a key file must be given');
  if (f.name !== undefined && f.name.trim() === '') throw new UsageError('--name: the CA name must not be empty');
  return { certPath: f.cert, keyPath: f.key, serialPath: f.serial, name: f.name ?? defaultSignerName(now), days, keyBits, overwrite: f.overwrite === true, preview: isPreview(g) };
}

export function toServerOptions(f: ServerFlags, g: GlobalOptions): ServerOptions {
  refuseOutput(g);
  if (!f.cert) throw new UsageError('--cert: cert must be provided');
  if (!f.key) throw new UsageError('--key: key must be provided');
  const hostnames = parseHostnames('--hostnames', f.hostnames ?? []);
  if (hostnames.length === 0) throw new UsageError('--hostnames: at least one hostname must be provided');
  const days = parseDays('--expire-days', f.expireDays);
  const keyBits = parseKeySize('--key-size', f.keySize);
  if (!f.signerCert) throw new UsageError('--signer-cert: a CA certificate file must be given');
  if (!f.signerKey) throw new UsageError('--signer-key: a CA key file must be given');
  return {
    signer: { certPath: f.signerCert, keyPath: f.signerKey, serialPath: f.signerSerial },
    hostnames,
    certPath: f.cert,
    keyPath: f.key,
    days,
    keyBits,
    overwrite: f.overwrite === true,
    preview: isPreview(g),
  };
}
