// The registry's certificates as the cluster holds them: the Secrets `regctl secure` and
// `oc adm registry --tls-certificate` make, what they contain, and where regctl keeps the CA
// it signs them with. Pure, except regctlCADir's reading of HOME from the env it is given.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../objects.js';
import { certificateBlocks, summarizeCertificate, type CertificateSummary } from '../pki/pem.js';
import { TLS_SECRET } from '../templates/registry.js';
import { CERTS_SECRET } from '../templates/secure.js';

export { CERTS_SECRET };

/** The secret `regctl secure` (and the documents) make, then the one `oc adm registry --tls-certificate` makes. */
export const SERVING_SECRETS = [
  { name: CERTS_SECRET, key: 'registry.crt' },
  { name: TLS_SECRET, key: 'tls.crt' },
] as const;

/** One key of a Secret, decoded; undefined when absent. */
export function decodeSecretKey(secret: KubeObject | undefined, key: string): string | undefined {
  const data = ((secret as { data?: Record<string, string> } | undefined)?.data ?? {}) as Record<string, string>;
  return data[key] ? Buffer.from(data[key], 'base64').toString('utf8') : undefined;
}

/** The PEM files in the certificates Secret, if it holds both. */
export function secretPems(secret: KubeObject | undefined): { certPem: string; keyPem: string } | undefined {
  const certPem = decodeSecretKey(secret, 'registry.crt');
  const keyPem = decodeSecretKey(secret, 'registry.key');
  return certPem && keyPem ? { certPem, keyPem } : undefined;
}

/** The first certificate of a PEM bundle and the rest (the chain up to the CA). */
export function leafAndChain(pem: string): { leaf: string; chain: string } {
  const blocks = certificateBlocks(pem).map((b) => (b.endsWith('\n') ? b : b + '\n'));
  return { leaf: blocks[0] ?? '', chain: blocks.slice(1).join('') };
}

/** The CA nodes must trust for a bundle: its first CA certificate, else (self-signed) the leaf. */
export function trustAnchorOf(pem: string): string {
  const { leaf, chain } = leafAndChain(pem);
  return chain ? leafAndChain(chain).leaf : leaf;
}

/** The current certificate in a Secret, when it parses and its key belongs to it. */
export function usableCertificate(pems: { certPem: string; keyPem: string } | undefined): CertificateSummary | undefined {
  if (!pems) return undefined;
  try {
    const cert = new X509Certificate(leafAndChain(pems.certPem).leaf);
    return cert.checkPrivateKey(createPrivateKey(pems.keyPem)) ? summarizeCertificate(cert) : undefined;
  } catch {
    return undefined;
  }
}

/** The names a certificate is for (each IP once, though it is also a DNS SAN). */
export function namesOf(s: Pick<CertificateSummary, 'dnsNames' | 'ips'>): string[] {
  return [...new Set([...s.dnsNames.filter((d) => !s.ips.includes(d)), ...s.ips])];
}

/** Where regctl keeps the CA it made for a cluster: ~/.regctl/pki/<API server host>. */
export function regctlCADir(env: NodeJS.ProcessEnv, server: string): string {
  let host = 'cluster';
  try {
    host = new URL(server).host.replace(/[^A-Za-z0-9.-]+/g, '_');
  } catch {
    /* keep the fallback */
  }
  return join(env.HOME ?? homedir(), '.regctl', 'pki', host);
}
