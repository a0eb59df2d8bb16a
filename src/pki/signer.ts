// Loading a signer (CA) for issuing: it must be a CA, valid now, allowed to sign certificates,
// RSA, and its key must be the certificate's. Each problem is one line naming the flag.
import type { KeyObject, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { UsageError } from '../errors.js';
import { certificateBlocks, checkKeyMatches, isoDate, parseCertificate, parsePrivateKey, summarizeCertificate, type CertificateSummary } from './pem.js';
import type { SigningAuthority } from './issue.js';

export interface Signer extends SigningAuthority {
  cert: X509Certificate;
  summary: CertificateSummary;
  /** Every certificate in the signer file, appended to issued certificate files (as oc does). */
  chainPem: string;
}

export interface SignerSource {
  certFlag: string;
  certPath: string;
  certPem: string;
  keyFlag: string;
  keyPath: string;
  keyPem: string;
}

/** The subject of a DER certificate, exactly as encoded, and its subjectKeyIdentifier if any. */
function rawSubjectOf(cert: X509Certificate): { rawSubject: forge.asn1.Asn1; subjectKeyId?: string } {
  const der = forge.asn1.fromDer(forge.util.createBuffer(cert.raw.toString('binary')));
  const tbs = (der.value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[];
  const hasVersion = tbs[0]!.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC;
  const rawSubject = tbs[hasVersion ? 5 : 4]!;
  let subjectKeyId: string | undefined;
  const fcert = forge.pki.certificateFromAsn1(der);
  const skid = fcert.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | undefined;
  if (skid?.subjectKeyIdentifier) subjectKeyId = forge.util.hexToBytes(skid.subjectKeyIdentifier);
  const ku = fcert.getExtension('keyUsage') as { keyCertSign?: boolean } | undefined;
  if (ku && !ku.keyCertSign) throw new Error('keyUsage lacks keyCertSign');
  return { rawSubject, subjectKeyId };
}

export function loadSigner(src: SignerSource, now: Date): Signer {
  const cert = parseCertificate(src.certFlag, src.certPath, src.certPem);
  const summary = summarizeCertificate(cert);
  if (!summary.isCA) {
    throw new UsageError(`${src.certFlag}: "${src.certPath}" is not a CA certificate (basicConstraints CA:FALSE): "${summary.subject}" cannot sign certificates`);
  }
  if (summary.notAfter.getTime() <= now.getTime()) {
    throw new UsageError(`${src.certFlag}: the signer "${summary.subject}" in "${src.certPath}" expired on ${isoDate(summary.notAfter)}`, 'create a new signer with regctl ca create-signer-cert');
  }
  if (summary.notBefore.getTime() > now.getTime()) {
    throw new UsageError(`${src.certFlag}: the signer "${summary.subject}" in "${src.certPath}" is not valid before ${isoDate(summary.notBefore)} (check this machine's clock)`);
  }
  const key: KeyObject = parsePrivateKey(src.keyFlag, src.keyPath, src.keyPem);
  if (key.asymmetricKeyType !== 'rsa') {
    throw new UsageError(`${src.keyFlag}: "${src.keyPath}" holds a ${key.asymmetricKeyType} key; regctl signs with RSA signers only`);
  }
  checkKeyMatches(cert, key, src.certPath, src.keyPath, src.keyFlag);
  let raw: ReturnType<typeof rawSubjectOf>;
  try {
    raw = rawSubjectOf(cert);
  } catch (e) {
    throw new UsageError(`${src.certFlag}: "${src.certPath}" cannot sign certificates: ${(e as Error).message}`);
  }
  return { cert, summary, key, ...raw, chainPem: certificateBlocks(src.certPem).join('') };
}
