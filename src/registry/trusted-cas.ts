// Registry CAs as OpenShift keeps them (seed 004, 9.2.5; seed 002, 2.5): one ConfigMap key per
// registry, the host name with `:` written as `..` (a key cannot hold a colon), the PEM as value.
// The node-ca daemon turns each key back into /etc/docker/certs.d/HOST:PORT/ca.crt.
// Pure: the PEM checks take the clock as an argument.
import { X509Certificate } from 'node:crypto';
import { UsageError } from '../errors.js';
import { certificateBlocks, isoDate, pemBlocks, isPrivateKeyBlock } from '../pki/pem.js';
import { isHostname } from '../validate.js';

/** Where 4.x looks for the ConfigMap that image.config.openshift.io/cluster names. */
export const TRUSTED_CA_NAMESPACE = 'openshift-config';
export const DEFAULT_TRUSTED_CA_NAME = 'registry-cas';
/** 3.x pullthrough: the directory the registry's Go TLS reads, replaced whole by the mount (seed 000, "Image Pullthrough"). */
export const SYSTEM_CERTS_DIR = '/etc/pki/tls/certs';
/** The file in that directory Go and curl read first on RHEL: the system CAs plus the added ones. */
export const BUNDLE_KEY = 'ca-bundle.crt';
/** Says where the system CAs in the bundle came from. */
export const BUNDLE_SOURCE_ANNOTATION = 'regctl.io/system-ca-bundle';

/** `registry.example.com:5000` → `registry.example.com..5000` (the documented `..` rule). */
export function registryKey(registry: string): string {
  return registry.replace(':', '..');
}

/** The ConfigMap key back to `HOST[:PORT]`, as the node-ca daemon names its certs.d directories. */
export function registryOfKey(key: string): string {
  return key.replace('..', ':');
}

/** `HOST[:PORT]` as the user typed it, lower-cased; a usage error naming the flag otherwise. */
export function parseRegistryAddress(flag: string, s: string): string {
  const m = /^([^:/]+)(?::(\d{1,5}))?$/.exec(s.trim());
  const host = m?.[1] ?? '';
  if (!m || host.startsWith('*') || !isHostname(host) || (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 65535))) {
    throw new UsageError(`${flag}: "${s}" is not HOST or HOST:PORT (e.g. registry.example.com:5000; no scheme, path or wildcard)`);
  }
  return `${host.toLowerCase()}${m[2] !== undefined ? `:${Number(m[2])}` : ''}`;
}

/** A `--from-dir` file name (`HOST[..PORT].crt`) to its registry, or undefined when it is not one. */
export function registryOfFileName(name: string): string | undefined {
  const m = /^(.+)\.crt$/.exec(name);
  if (!m) return undefined;
  const reg = registryOfKey(m[1]!);
  try {
    return parseRegistryAddress('--from-dir', reg);
  } catch {
    return undefined;
  }
}

export interface CaCertificate {
  subject: string;
  notAfter: Date;
}

export interface CheckedCa {
  /** The certificate blocks only, normalised: what goes into the ConfigMap. */
  pem: string;
  certs: CaCertificate[];
}

function subjectOf(c: X509Certificate): string {
  return c.subject.replace(/\n/g, ', ');
}

/**
 * The CA file is checked before anything is read from the cluster: PEM, only CA certificates
 * (basic constraints CA:TRUE), none expired, no private key. One line naming the file otherwise.
 */
export function checkCaPem(flag: string, path: string, text: string, now: Date): CheckedCa {
  const blocks = pemBlocks(text);
  if (blocks.some((b) => isPrivateKeyBlock(b.type))) throw new UsageError(`${flag}: "${path}" holds a private key; give the CA certificate only (never share the key)`);
  const pems = certificateBlocks(text);
  if (pems.length === 0) throw new UsageError(`${flag}: "${path}" is not a PEM certificate (no -----BEGIN CERTIFICATE----- block)`);
  const certs: CaCertificate[] = [];
  for (const pem of pems) {
    let c: X509Certificate;
    try {
      c = new X509Certificate(pem);
    } catch (e) {
      throw new UsageError(`${flag}: "${path}" has a certificate that cannot be parsed: ${(e as Error).message}`);
    }
    if (!c.ca) throw new UsageError(`${flag}: "${path}" is not a CA certificate (${subjectOf(c)} has no basic constraints CA:TRUE): give the CA that signed the registry's certificate, not the registry's own`);
    const notAfter = new Date(c.validTo);
    if (notAfter.getTime() <= now.getTime()) throw new UsageError(`${flag}: "${path}": the CA ${subjectOf(c)} expired on ${isoDate(notAfter)}`);
    if (new Date(c.validFrom).getTime() > now.getTime()) throw new UsageError(`${flag}: "${path}": the CA ${subjectOf(c)} is not valid before ${isoDate(new Date(c.validFrom))}`);
    certs.push({ subject: subjectOf(c), notAfter });
  }
  return { pem: pems.join(''), certs };
}

/** What a stored value holds, for `--list` (a value that does not parse is shown as such, never fatal). */
export function describeCas(pem: string): (CaCertificate | { invalid: string })[] {
  const blocks = certificateBlocks(pem);
  if (blocks.length === 0) return [{ invalid: 'no PEM certificate' }];
  return blocks.map((b) => {
    try {
      const c = new X509Certificate(b);
      return { subject: subjectOf(c), notAfter: new Date(c.validTo) };
    } catch (e) {
      return { invalid: (e as Error).message };
    }
  });
}

/** `--list`: one row per certificate, `REGISTRY  EXPIRES  SUBJECT`, expired ones marked. */
export function trustTable(entries: [string, string][], now: Date): string {
  const rows: string[][] = [['REGISTRY', 'EXPIRES', 'SUBJECT']];
  for (const [key, pem] of entries) {
    for (const c of describeCas(pem)) {
      if ('invalid' in c) rows.push([registryOfKey(key), '-', `(unreadable: ${c.invalid})`]);
      else rows.push([registryOfKey(key), `${isoDate(c.notAfter).slice(0, 10)}${c.notAfter.getTime() <= now.getTime() ? ' (EXPIRED)' : ''}`, c.subject]);
    }
  }
  const width = [0, 1].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => `${r[0]!.padEnd(width[0]!)}  ${r[1]!.padEnd(width[1]!)}  ${r[2]}`).join('\n') + '\n';
}

/** The system bundle plus each registry's CAs, in key order: the file that replaces ca-bundle.crt. */
export function pullthroughBundle(systemBundle: string, registryCas: Record<string, string>): string {
  const sys = systemBundle.endsWith('\n') || systemBundle === '' ? systemBundle : systemBundle + '\n';
  const added = Object.keys(registryCas)
    .sort()
    .map((k) => `# ${registryOfKey(k)} (regctl trust-ca)\n${registryCas[k]}`)
    .join('');
  return sys + added;
}
