// Light checks on PEM input with Node's own crypto (no node-forge at start-up).
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { UsageError } from '../errors.js';

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n[\s\S]*?-----END \1-----\r?\n?/g;

export interface PemBlock {
  type: string;
  text: string;
}

export function pemBlocks(pem: string): PemBlock[] {
  return [...pem.matchAll(BLOCK)].map((m) => ({ type: m[1]!, text: m[0].endsWith('\n') ? m[0] : m[0] + '\n' }));
}

export function isPrivateKeyBlock(type: string): boolean {
  return /PRIVATE KEY$/.test(type);
}

export function certificateBlocks(pem: string): string[] {
  return pemBlocks(pem).filter((b) => b.type === 'CERTIFICATE').map((b) => b.text);
}

export function privateKeyBlocks(pem: string): string[] {
  return pemBlocks(pem).filter((b) => isPrivateKeyBlock(b.type)).map((b) => b.text);
}

/** The first certificate of a PEM file, parsed; a usage error naming the flag otherwise. */
export function parseCertificate(flag: string, path: string, pem: string): X509Certificate {
  const first = certificateBlocks(pem)[0];
  if (!first) throw new UsageError(`${flag}: "${path}" contains no PEM certificate`);
  try {
    return new X509Certificate(first);
  } catch (e) {
    throw new UsageError(`${flag}: "${path}" has a certificate that cannot be parsed: ${(e as Error).message}`);
  }
}

export function parsePrivateKey(flag: string, path: string, pem: string): KeyObject {
  const block = pemBlocks(pem).find((b) => isPrivateKeyBlock(b.type));
  if (!block) throw new UsageError(`${flag}: "${path}" contains no PEM private key`);
  if (block.type === 'ENCRYPTED PRIVATE KEY' || /Proc-Type: 4,ENCRYPTED/.test(block.text)) {
    throw new UsageError(`${flag}: "${path}" holds an encrypted private key; the registry needs it unencrypted (openssl rsa -in ${path} -out key.pem)`);
  }
  try {
    return createPrivateKey(block.text);
  } catch (e) {
    throw new UsageError(`${flag}: "${path}" has a private key that cannot be parsed: ${(e as Error).message}`);
  }
}

/** Refuses a key that does not belong to the certificate. */
export function checkKeyMatches(cert: X509Certificate, key: KeyObject, certPath: string, keyPath: string, keyFlag = '--tls-key'): void {
  if (!cert.checkPrivateKey(key)) {
    throw new UsageError(`${keyFlag}: the private key in "${keyPath}" does not match the certificate in "${certPath}"`);
  }
}

export interface CertificateSummary {
  subject: string;
  commonName: string;
  issuer: string;
  serial: string;
  isCA: boolean;
  notBefore: Date;
  notAfter: Date;
  dnsNames: string[];
  ips: string[];
}

/** Node prints SANs as `DNS:a, IP Address:1.2.3.4`, quoting names with unusual characters. */
function parseSubjectAltName(san: string | undefined): { dnsNames: string[]; ips: string[] } {
  const dnsNames: string[] = [];
  const ips: string[] = [];
  for (const m of (san ?? '').matchAll(/(DNS|IP Address):("(?:[^"\\]|\\.)*"|[^,]*)(?:, |$)/g)) {
    const value = m[2]!.startsWith('"') ? (JSON.parse(m[2]!) as string) : m[2]!;
    (m[1] === 'DNS' ? dnsNames : ips).push(value);
  }
  return { dnsNames, ips };
}

export function summarizeCertificate(cert: X509Certificate): CertificateSummary {
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(cert.subject);
  return {
    subject: cert.subject.replace(/\n/g, ', '),
    commonName: cn?.[1] ?? '',
    issuer: cert.issuer.replace(/\n/g, ', '),
    serial: cert.serialNumber,
    isCA: cert.ca,
    notBefore: new Date(cert.validFrom),
    notAfter: new Date(cert.validTo),
    ...parseSubjectAltName(cert.subjectAltName),
  };
}

const DAY_MS = 24 * 3600 * 1000;

/** Whole days left before `notAfter` (negative once expired). */
export function daysLeft(notAfter: Date, now: Date): number {
  return Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
}

export function isoDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
