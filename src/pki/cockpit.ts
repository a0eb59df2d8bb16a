// The `.cert` file cockpit-ws (the registry console) serves: certificate blocks first (server,
// then intermediates), then one unencrypted private key (openshift-docs "Securing the Registry
// Console"). Checked before anything is created, so a bad file never reaches the pod.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { basename } from 'node:path';
import { UsageError } from '../errors.js';
import { isPrivateKeyBlock, pemBlocks } from './pem.js';

export interface CockpitCert {
  /** The server certificate (the first block). */
  certificate: X509Certificate;
  /** The file, as cockpit-ws will read it. */
  content: string;
}

/** Every rule the documents give, each refusal naming the flag, the file and the fix. */
export function checkCockpitCert(flag: string, path: string, content: string): CockpitCert {
  const blocks = pemBlocks(content);
  const certs = blocks.filter((b) => b.type === 'CERTIFICATE');
  const keys = blocks.filter((b) => isPrivateKeyBlock(b.type));
  if (certs.length === 0) throw new UsageError(`${flag}: "${path}" contains no PEM certificate (BEGIN CERTIFICATE); the file needs the certificate blocks, then the private key`);
  if (keys.length === 0) throw new UsageError(`${flag}: "${path}" contains no private key; append the unencrypted key (BEGIN PRIVATE KEY) after the certificates`);
  if (keys.length > 1) throw new UsageError(`${flag}: "${path}" contains ${keys.length} private keys; cockpit-ws needs exactly one, after the certificates`);
  const keyIndex = blocks.indexOf(keys[0]!);
  const lastCertIndex = blocks.lastIndexOf(certs[certs.length - 1]!);
  if (keyIndex < lastCertIndex) {
    throw new UsageError(`${flag}: in "${path}" the private key comes before a certificate; put the certificates first (server, then intermediates) and the key last`);
  }
  const key = keys[0]!;
  if (key.type === 'ENCRYPTED PRIVATE KEY' || /Proc-Type: 4,ENCRYPTED/.test(key.text)) {
    throw new UsageError(`${flag}: "${path}" holds an encrypted private key; cockpit-ws cannot ask for a passphrase: decrypt it (openssl pkey -in key.pem -out plain.pem)`);
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certs[0]!.text);
  } catch (e) {
    throw new UsageError(`${flag}: "${path}" has a certificate that cannot be parsed: ${(e as Error).message}`);
  }
  for (const [i, c] of certs.slice(1).entries()) {
    try {
      new X509Certificate(c.text);
    } catch (e) {
      throw new UsageError(`${flag}: "${path}" certificate ${i + 2} cannot be parsed: ${(e as Error).message}`);
    }
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key.text);
  } catch (e) {
    throw new UsageError(`${flag}: "${path}" has a private key that cannot be parsed: ${(e as Error).message}`);
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new UsageError(`${flag}: in "${path}" the private key does not belong to the first certificate (the server certificate must come first)`);
  }
  return { certificate, content };
}

/** The secret key the file is mounted as: cockpit-ws reads only names ending in `.cert`. */
export function certFileName(path: string): string {
  const base = basename(path);
  const name = base.endsWith('.cert') ? base : `${base.replace(/\.(pem|crt)$/, '')}.cert`;
  if (!/^[-._a-zA-Z0-9]+$/.test(name)) throw new UsageError(`--cert: "${base}" cannot be a secret key (letters, digits, '-', '_' and '.' only); rename the file, e.g. console.cert`);
  return name;
}

/** Warnings that do not stop the run: a name the certificate lacks, dates out of range. */
export function certWarnings(cert: X509Certificate, host: string | undefined, now: Date): string[] {
  const out: string[] = [];
  if (host && cert.checkHost(host) === undefined) {
    out.push(`the --cert certificate does not name ${host} (its names: ${certNames(cert)}); browsers will refuse the console`);
  }
  if (new Date(cert.validTo).getTime() < now.getTime()) out.push(`the --cert certificate expired on ${cert.validTo}`);
  else if (new Date(cert.validFrom).getTime() > now.getTime()) out.push(`the --cert certificate is not valid before ${cert.validFrom}`);
  return out;
}

function certNames(cert: X509Certificate): string {
  const sans = (cert.subjectAltName ?? '').split(/,\s*/).filter((s) => s.startsWith('DNS:') || s.startsWith('IP Address:'));
  if (sans.length) return sans.map((s) => s.replace(/^(DNS|IP Address):/, '')).join(', ');
  const cn = /CN=([^\n,]+)/.exec(cert.subject)?.[1];
  return cn ? `CN ${cn}` : 'none';
}
