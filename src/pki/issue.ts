// Building certificates: node-forge lays out the X.509 structure; Node's crypto (OpenSSL)
// generates the RSA keys and makes the signatures, which forge's pure-JS RSA would do many
// times slower. Pure apart from key generation: the clock and the serial are handed in.
import { generateKeyPair, sign, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import type { CertificateNames } from './names.js';
import { serialHex } from './serial.js';

const DAY_MS = 24 * 3600 * 1000;

export interface GeneratedKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** PKCS#1 `RSA PRIVATE KEY` PEM, as `oc adm ca` writes it. */
  privateKeyPem: string;
}

export function generateRsaKey(bits: number): Promise<GeneratedKey> {
  return new Promise((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: bits, publicExponent: 0x10001 }, (err, publicKey, privateKey) => {
      if (err) return reject(err);
      resolve({ publicKey, privateKey, privateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }) as string });
    });
  });
}

/** What signing needs from a CA: its key, and its subject exactly as encoded (Go clients match issuer bytes). */
export interface SigningAuthority {
  key: KeyObject;
  rawSubject: forge.asn1.Asn1;
  /** The CA's subjectKeyIdentifier, as a forge byte string, when it has one. */
  subjectKeyId?: string;
}

export interface Validity {
  now: Date;
  days: number;
}

// Go encodes a name as PrintableString when it can, UTF8String otherwise ('*', '_', '@').
function nameAttribute(cn: string): forge.pki.CertificateField {
  const printable = /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(cn);
  const tag = printable ? forge.asn1.Type.PRINTABLESTRING : forge.asn1.Type.UTF8;
  return { shortName: 'CN', value: cn, valueTagClass: tag as unknown as forge.asn1.Class };
}

function baseCertificate(publicKey: KeyObject, serial: bigint, v: Validity): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }) as string);
  cert.serialNumber = serialHex(serial);
  // oc: NotBefore = now - 1s, NotAfter = now + days*24h.
  cert.validity.notBefore = new Date(Math.floor(v.now.getTime() / 1000) * 1000 - 1000);
  cert.validity.notAfter = new Date(Math.floor(v.now.getTime() / 1000) * 1000 + v.days * DAY_MS);
  return cert;
}

/** Signs the TBSCertificate with SHA-256/RSA through OpenSSL and returns the PEM. */
function signCertificate(cert: forge.pki.Certificate, ca: SigningAuthority | undefined, selfKey: KeyObject): string {
  const c = cert as forge.pki.Certificate & { tbsCertificate: forge.asn1.Asn1; signatureOid: string; siginfo: { algorithmOid: string } };
  c.signatureOid = c.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption!;
  const tbs = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert);
  // TBSCertificate: [0] version, serial, signature algorithm, issuer, ...
  if (ca) (tbs.value as forge.asn1.Asn1[])[3] = ca.rawSubject;
  const tbsDer = Buffer.from(forge.asn1.toDer(tbs).getBytes(), 'binary');
  c.tbsCertificate = tbs;
  c.signature = sign('sha256', tbsDer, ca?.key ?? selfKey).toString('binary');
  return forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n');
}

/** A self-signed CA, as `oc adm ca create-signer-cert`: CN=name, serial 1, CA:TRUE, keyCertSign. */
export function buildSignerCertificate(o: { name: string; key: GeneratedKey } & Validity): string {
  const cert = baseCertificate(o.key.publicKey, 1n, o);
  const subject = [nameAttribute(o.name)];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  return signCertificate(cert, undefined, o.key.privateKey);
}

/** A serving certificate, as `oc adm ca create-server-cert`: SANs for every name, serverAuth, CA:FALSE. */
export function buildServerCertificate(o: { names: CertificateNames; publicKey: KeyObject; serial: bigint; ca: SigningAuthority } & Validity): string {
  const cert = baseCertificate(o.publicKey, o.serial, o);
  cert.setSubject([nameAttribute(o.names.commonName)]);
  const altNames = [
    ...o.names.dnsNames.map((value) => ({ type: 2, value })),
    ...o.names.ips.map((ip) => ({ type: 7, ip })),
  ];
  // Go's order: DNS names (IPs among them, as strings), then IP addresses.
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames },
    { name: 'subjectKeyIdentifier' },
    ...(o.ca.subjectKeyId ? [{ name: 'authorityKeyIdentifier', keyIdentifier: o.ca.subjectKeyId }] : []),
  ]);
  return signCertificate(cert, o.ca, o.ca.key);
}
