// The files the registry flags name (--tls-certificate, --tls-key), read before planning so that
// plans stay pure; every error names the flag and the file.
import { UsageError } from '../errors.js';
import { readInputFile } from '../host/files.js';
import { certificateBlocks, checkKeyMatches, parseCertificate, parsePrivateKey, privateKeyBlocks } from '../pki/pem.js';
import type { RegistryOptions } from '../templates/registry.js';
import type { DeployOptions } from './options.js';

/** Reads --tls-certificate/--tls-key: a certificate, and a key that belongs to it. */
export function readTLS(o: DeployOptions): RegistryOptions['tls'] {
  if (!o.tlsCertificatePath) return undefined;
  const certPath = o.tlsCertificatePath;
  const certFile = readInputFile('--tls-certificate', certPath);
  const cert = parseCertificate('--tls-certificate', certPath, certFile);
  let keyPem: string;
  let keyPath: string;
  if (o.tlsKeyPath) {
    keyPath = o.tlsKeyPath;
    keyPem = readInputFile('--tls-key', keyPath);
  } else {
    keyPath = certPath;
    keyPem = privateKeyBlocks(certFile).join('');
    if (!keyPem) throw new UsageError(`--tls-certificate: "${certPath}" holds no private key and no --tls-key was given (the default cert must contain a private key)`);
  }
  checkKeyMatches(cert, parsePrivateKey('--tls-key', keyPath, keyPem), certPath, keyPath);
  return { certPem: certificateBlocks(certFile).join(''), keyPem: privateKeyBlocks(keyPem).join('') };
}

