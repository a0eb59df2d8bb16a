// Real PEM files for the console's --cert, made with the openssl command line: a CA, a server
// certificate for the console host signed by it, keys plain and encrypted, and a stranger key.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CONSOLE_HOST = 'registry-console-default.apps.example.com';

export interface CertFiles {
  dir: string;
  caCrt: string;
  serverCrt: string;
  serverKey: string;
  /** PKCS#8 `ENCRYPTED PRIVATE KEY`. */
  encryptedKey: string;
  /** Traditional `RSA PRIVATE KEY` with Proc-Type: 4,ENCRYPTED. */
  encryptedTraditionalKey: string;
  otherKey: string;
  /** Writes a file made of the named PEM files, in that order. */
  combine(name: string, parts: string[]): string;
}

const openssl = (dir: string, args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

export function makeCerts(host = CONSOLE_HOST): CertFiles {
  const dir = mkdtempSync(join(tmpdir(), 'regctl-console-certs-'));
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=regctl test CA', '-days', '2']);
  openssl(dir, ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${host}`]);
  writeFileSync(join(dir, 'san.ext'), `subjectAltName=DNS:${host}\nextendedKeyUsage=serverAuth\n`);
  openssl(dir, ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-sha256', '-extfile', 'san.ext', '-out', 'server.crt']);
  openssl(dir, ['pkey', '-in', 'server.key', '-aes256', '-passout', 'pass:secret', '-out', 'server-enc.key']);
  openssl(dir, ['rsa', '-in', 'server.key', '-aes256', '-passout', 'pass:secret', '-traditional', '-out', 'server-enc-trad.key']);
  openssl(dir, ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'other.key']);
  const p = (f: string) => join(dir, f);
  return {
    dir,
    caCrt: p('ca.crt'),
    serverCrt: p('server.crt'),
    serverKey: p('server.key'),
    encryptedKey: p('server-enc.key'),
    encryptedTraditionalKey: p('server-enc-trad.key'),
    otherKey: p('other.key'),
    combine(name, parts) {
      const out = p(name);
      writeFileSync(out, parts.map((f) => readFileSync(f, 'utf8')).join(''));
      return out;
    },
  };
}
