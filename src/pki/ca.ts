// `oc adm ca create-signer-cert` / `create-server-cert` as regctl does them: every check, the
// key generation and the signing happen first and return the files to write; nothing is
// written until all of that has succeeded. Unlike oc, existing files are never replaced
// without `overwrite`: a file that already does the job is kept, anything else is refused.
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { OperationError, RegctlError, UsageError } from '../errors.js';
import { PREVIEW_CONTENT, type PlannedFile } from './files.js';
import { readInputFile } from '../host/files.js';
import { pathExists } from '../host/files.js';
import { buildServerCertificate, buildSignerCertificate, generateRsaKey } from './issue.js';
import { certificateNames, missingNames } from './names.js';
import { certificateBlocks, daysLeft, isoDate, parseCertificate, parsePrivateKey, summarizeCertificate, type CertificateSummary } from './pem.js';
import { formatSerial, nextSerial, parseSerial, randomSerial } from './serial.js';
import { loadSigner, type Signer } from './signer.js';
import { SERVER_DEFAULT_DAYS, SIGNER_DEFAULT_DAYS } from './validity.js';

export type { PlannedFile } from './files.js';

export interface Prepared {
  files: PlannedFile[];
  warnings: string[];
  /** Set when existing files already do the job: nothing to write. */
  kept?: string;
  summary?: CertificateSummary;
}

function lifetimeWarnings(cn: string, days: number, limitDays: number, years: number): string[] {
  if (days <= limitDays) return [];
  return [
    `Validity period of the certificate for "${cn}" is greater than ${years} years!`,
    'By security reasons it is strongly recommended to change this period and make it smaller!',
  ];
}

/** Runs a check that throws a RegctlError and returns its message instead. */
function problemOf(check: () => void): string | undefined {
  try {
    check();
    return undefined;
  } catch (e) {
    if (e instanceof RegctlError) return e.message;
    throw e;
  }
}

function missingList(paths: string[]): string {
  return `${paths.map((p) => `"${p}"`).join(' and ')} ${paths.length > 1 ? 'do' : 'does'} not`;
}

const OVERWRITE_HINT = 'pass --overwrite to replace it (the old file is saved in the backup directory first)';

export interface SignerRequest {
  certPath: string;
  keyPath: string;
  /** Empty: no serial file. */
  serialPath: string;
  name: string;
  days: number;
  keyBits: number;
  overwrite: boolean;
  /** Check only: the files are placeholders, no key is generated (a preview). */
  preview?: boolean;
}

export async function prepareSignerCert(r: SignerRequest, now: Date): Promise<Prepared> {
  const paths = [r.certPath, r.keyPath, ...(r.serialPath ? [r.serialPath] : [])];
  const existing = paths.filter(pathExists);
  if (existing.length && !r.overwrite) {
    let signer: Signer | undefined;
    const problem =
      existing.length < paths.length
        ? `, but ${missingList(paths.filter((p) => !existing.includes(p)))}`
        : problemOf(() => {
            signer = loadSigner({ certFlag: '--cert', certPath: r.certPath, certPem: readInputFile('--cert', r.certPath), keyFlag: '--key', keyPath: r.keyPath, keyPem: readInputFile('--key', r.keyPath) }, now);
            if (r.serialPath && parseSerial(readInputFile('--serial', r.serialPath)) === undefined) throw new UsageError(`--serial: "${r.serialPath}" does not hold a hexadecimal serial number`);
          });
    if (problem !== undefined) throw new OperationError(`"${existing[0]}" already exists${problem.startsWith(',') ? problem : ': ' + problem}`, OVERWRITE_HINT);
    return { files: [], warnings: [], kept: `kept the existing signer "${signer!.summary.subject}" in "${r.certPath}" (valid until ${isoDate(signer!.summary.notAfter)})`, summary: signer!.summary };
  }
  const key = r.preview ? undefined : await generateRsaKey(r.keyBits);
  const certPem = key ? buildSignerCertificate({ name: r.name, key, now, days: r.days }) : PREVIEW_CONTENT;
  const files: PlannedFile[] = [
    { path: r.keyPath, content: key?.privateKeyPem ?? PREVIEW_CONTENT, mode: 0o600, what: 'CA key' },
    { path: r.certPath, content: certPem, mode: 0o644, what: 'CA certificate' },
  ];
  if (r.serialPath) files.push({ path: r.serialPath, content: formatSerial(0n), mode: 0o644, what: 'serial file' });
  const warnings = lifetimeWarnings(r.name, r.days, SIGNER_DEFAULT_DAYS, 5);
  return { files, warnings, summary: key ? summarizeCertificate(new X509Certificate(certPem)) : undefined };
}

export interface SignerPaths {
  certPath: string;
  keyPath: string;
  /** Empty: a random serial, as oc does. */
  serialPath: string;
  certFlag?: string;
  keyFlag?: string;
  serialFlag?: string;
}

export interface ServerRequest {
  signer: SignerPaths;
  hostnames: string[];
  certPath: string;
  keyPath: string;
  days: number;
  keyBits: number;
  overwrite: boolean;
  /** Check only (signer, serial): the files are placeholders, no key is generated (a preview). */
  preview?: boolean;
}

export interface ExistingPair {
  summary: CertificateSummary;
  certPem: string;
  keyPem: string;
}

/**
 * Reads a certificate and key the user has and checks them: the key is unencrypted and belongs
 * to the certificate. Names, issuer and expiry are the caller's to judge (see `pairProblems`).
 */
export function readPair(certFlag: string, certPath: string, keyFlag: string, keyPath: string): ExistingPair & { cert: X509Certificate } {
  const certFile = readInputFile(certFlag, certPath);
  const keyFile = readInputFile(keyFlag, keyPath);
  const cert = parseCertificate(certFlag, certPath, certFile);
  const key = parsePrivateKey(keyFlag, keyPath, keyFile);
  if (!cert.checkPrivateKey(key)) throw new UsageError(`${keyFlag}: the private key in "${keyPath}" does not match the certificate in "${certPath}"`);
  return { cert, summary: summarizeCertificate(cert), certPem: certificateBlocks(certFile).join(''), keyPem: keyFile };
}

/** What is wrong with a serving certificate for these names at this time, if anything. */
export function pairProblems(s: CertificateSummary, hostnames: string[], now: Date, minDays = 0): string[] {
  const problems: string[] = [];
  const missing = missingNames(s, hostnames);
  if (missing.length) problems.push(`it does not cover ${missing.join(', ')}`);
  const left = daysLeft(s.notAfter, now);
  if (s.notAfter.getTime() <= now.getTime()) problems.push(`it expired on ${isoDate(s.notAfter)}`);
  else if (left < minDays) problems.push(`it expires in ${left} days (${isoDate(s.notAfter)})`);
  return problems;
}

function readSerial(flag: string, path: string): bigint {
  if (!pathExists(path)) throw new UsageError(`${flag}: "${path}" must be a valid file`, `create it with: echo 00 > ${path}  (or pass ${flag}='' for a random serial)`);
  const n = parseSerial(readInputFile(flag, path));
  if (n === undefined) throw new UsageError(`${flag}: "${path}" does not hold a hexadecimal serial number`);
  return n;
}

export interface ServerIssue {
  signer: Signer;
  serial: bigint;
  certPem: string;
  keyPem: string;
}

/** Signs a new key for these names with a loaded signer: nothing read or written. */
export async function issueWith(signer: Signer, serial: bigint, r: Pick<ServerRequest, 'hostnames' | 'days' | 'keyBits'>, now: Date): Promise<ServerIssue & { warnings: string[] }> {
  const names = certificateNames(r.hostnames);
  const key = await generateRsaKey(r.keyBits);
  const leaf = buildServerCertificate({ names, publicKey: key.publicKey, serial, ca: signer, now, days: r.days });
  return { signer, serial, certPem: leaf + signer.chainPem, keyPem: key.privateKeyPem, warnings: serverCertWarnings(signer, names.commonName, r.days, now) };
}

/** A lifetime past the documents' default, and a signer that expires before the certificate would. */
function serverCertWarnings(signer: Signer, commonName: string, days: number, now: Date): string[] {
  const warnings = lifetimeWarnings(commonName, days, SERVER_DEFAULT_DAYS, 2);
  const end = new Date(now.getTime() + days * 24 * 3600 * 1000);
  if (signer.summary.notAfter < end) {
    warnings.push(`the signer "${signer.summary.subject}" expires on ${isoDate(signer.summary.notAfter)}, before this certificate would (${isoDate(end)}): clients stop trusting it then`);
  }
  return warnings;
}

/** The signer from its files, and from its serial file (when it has one) the serial the next certificate takes, and the file that records it. */
function signerFromFiles(p: ServerRequest['signer'], now: Date): { signer: Signer; next?: { serial: bigint; file: PlannedFile } } {
  const certFlag = p.certFlag ?? '--signer-cert';
  const keyFlag = p.keyFlag ?? '--signer-key';
  const signer = loadSigner({ certFlag, certPath: p.certPath, certPem: readInputFile(certFlag, p.certPath), keyFlag, keyPath: p.keyPath, keyPem: readInputFile(keyFlag, p.keyPath) }, now);
  if (!p.serialPath) return { signer };
  const serial = nextSerial(readSerial(p.serialFlag ?? '--signer-serial', p.serialPath));
  return { signer, next: { serial, file: { path: p.serialPath, content: formatSerial(serial), mode: 0o640, keepMode: true, what: 'serial file' } } };
}

/** Loads the signer from its files, takes the next serial, generates a key and signs: no file written. */
export async function issueServerCert(
  r: Pick<ServerRequest, 'signer' | 'hostnames' | 'days' | 'keyBits'>,
  now: Date,
  random: (n: number) => Uint8Array,
): Promise<ServerIssue & { serialFile?: PlannedFile; warnings: string[] }> {
  const { signer, next } = signerFromFiles(r.signer, now);
  return { ...(await issueWith(signer, next?.serial ?? randomSerial(random(8)), r, now)), serialFile: next?.file };
}

export async function prepareServerCert(r: ServerRequest, now: Date, random: (n: number) => Uint8Array): Promise<Prepared> {
  const existing = [r.certPath, r.keyPath].filter(pathExists);
  if (existing.length && !r.overwrite) {
    let problem: string | undefined;
    let summary: CertificateSummary | undefined;
    if (existing.length === 1) {
      problem = `, but ${missingList([existing[0] === r.certPath ? r.keyPath : r.certPath])}`;
    } else {
      const signerCert = parseCertificate(r.signer.certFlag ?? '--signer-cert', r.signer.certPath, readInputFile(r.signer.certFlag ?? '--signer-cert', r.signer.certPath));
      problem = problemOf(() => {
        const pair = readPair('--cert', r.certPath, '--key', r.keyPath);
        summary = pair.summary;
        const problems = pairProblems(pair.summary, r.hostnames, now);
        if (!pair.cert.verify(signerCert.publicKey)) problems.push(`it is not signed by "${r.signer.certPath}"`);
        if (problems.length) throw new UsageError(problems.join('; '));
      });
    }
    if (problem !== undefined) throw new OperationError(`"${existing[0]}" already exists${problem.startsWith(',') ? problem : ': ' + problem}`, OVERWRITE_HINT);
    return { files: [], warnings: [], kept: `kept the existing certificate "${r.certPath}": it covers every name and is valid until ${isoDate(summary!.notAfter)}`, summary };
  }
  if (r.preview) return previewServerCert(r, now);
  const issued = await issueServerCert(r, now, random);
  const files: PlannedFile[] = [];
  // The serial goes first: a number used twice is worse than a number skipped.
  if (issued.serialFile) files.push(issued.serialFile);
  files.push({ path: r.keyPath, content: issued.keyPem, mode: 0o600, what: 'key' });
  files.push({ path: r.certPath, content: issued.certPem, mode: 0o644, what: 'certificate' });
  return { files, warnings: issued.warnings, summary: summarizeCertificate(new X509Certificate(certificateBlocks(issued.certPem)[0]!)) };
}

/** What prepareServerCert would write, checked as far as reading goes: the signer and its serial, no key, no signature. */
function previewServerCert(r: ServerRequest, now: Date): Prepared {
  const { signer, next } = signerFromFiles(r.signer, now);
  const files: PlannedFile[] = next ? [next.file] : [];
  files.push({ path: r.keyPath, content: PREVIEW_CONTENT, mode: 0o600, what: 'key' });
  files.push({ path: r.certPath, content: PREVIEW_CONTENT, mode: 0o644, what: 'certificate' });
  return { files, warnings: serverCertWarnings(signer, certificateNames(r.hostnames).commonName, r.days, now) };
}

export interface RegctlCA {
  signer: Signer;
  certPath: string;
  keyPath: string;
  serialPath: string;
  /** The serial the next certificate gets. */
  nextSerial: bigint;
  /** The CA files to write when the CA is new (key, cert); empty when it was loaded. */
  files: PlannedFile[];
  created: boolean;
}

/**
 * The CA regctl keeps for a cluster in `dir` (ca.crt, ca.key, ca.serial.txt): loaded when it is
 * there, else made in memory, for the caller to write with the rest of its plan.
 */
export async function regctlCA(dir: string, o: { name: string; days: number; keyBits: number }, now: Date, random: (n: number) => Uint8Array): Promise<RegctlCA> {
  const certPath = join(dir, 'ca.crt');
  const keyPath = join(dir, 'ca.key');
  const serialPath = join(dir, 'ca.serial.txt');
  if (pathExists(certPath) || pathExists(keyPath)) {
    const signer = loadSigner({ certFlag: '--cert-dir', certPath, certPem: readInputFile('--cert-dir', certPath), keyFlag: '--cert-dir', keyPath, keyPem: readInputFile('--cert-dir', keyPath) }, now);
    const next = pathExists(serialPath) ? nextSerial(readSerial('--cert-dir', serialPath)) : randomSerial(random(8));
    return { signer, certPath, keyPath, serialPath, nextSerial: next, files: [], created: false };
  }
  const prepared = await prepareSignerCert({ certPath, keyPath, serialPath: '', name: o.name, days: o.days, keyBits: o.keyBits, overwrite: false }, now);
  const keyPem = prepared.files.find((f) => f.path === keyPath)!.content;
  const certPem = prepared.files.find((f) => f.path === certPath)!.content;
  const signer = loadSigner({ certFlag: '--cert-dir', certPath, certPem, keyFlag: '--cert-dir', keyPath, keyPem }, now);
  return { signer, certPath, keyPath, serialPath, nextSerial: nextSerial(0n), files: prepared.files, created: true };
}
