// A CA and a serving certificate for 127.0.0.1 and localhost, made with the openssl CLI so
// that clients (Go's crypto/tls in kubectl, node's in client-node) verify the server normally.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ServingCerts {
  caPem: string;
  /** The CA's key, to issue client certificates. */
  caKeyPem: string;
  certPem: string;
  keyPem: string;
}

export interface ClientCertificate {
  certPem: string;
  keyPem: string;
}

let cached: Promise<ServingCerts> | undefined;

/** One CA and serving pair per process: generating is the slow part of starting a server, and every server listens on 127.0.0.1. */
export function servingCerts(): Promise<ServingCerts> {
  cached ??= generate().catch((e: unknown) => {
    cached = undefined;
    throw e;
  });
  return cached;
}

async function generate(): Promise<ServingCerts> {
  const dir = await mkdtemp(join(tmpdir(), 'apiserver-tls-'));
  try {
    const p = (f: string) => join(dir, f);
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    await run('openssl', ['req', '-x509', ...ec, '-keyout', p('ca.key'), '-out', p('ca.crt'), '-days', '7', '-subj', '/CN=test-apiserver-ca',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    await run('openssl', ['req', ...ec, '-keyout', p('server.key'), '-out', p('server.csr'), '-subj', '/CN=127.0.0.1']);
    await writeFile(p('ext.cnf'), [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      'authorityKeyIdentifier=keyid',
      '',
    ].join('\n'));
    await run('openssl', ['x509', '-req', '-in', p('server.csr'), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-CAcreateserial', '-days', '7', '-out', p('server.crt'), '-extfile', p('ext.cnf')]);
    const [caPem, caKeyPem, certPem, keyPem] = await Promise.all(['ca.crt', 'ca.key', 'server.crt', 'server.key'].map((f) => readFile(p(f), 'utf8')));
    return { caPem, caKeyPem, certPem, keyPem };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A client certificate as kube-apiserver's x509 authenticator reads it: CN is the user name,
 * each O a group. Signed by the same CA that signs the serving certificate.
 */
export async function issueClientCertificate(certs: ServingCerts, user: string, groups: string[] = []): Promise<ClientCertificate> {
  const dir = await mkdtemp(join(tmpdir(), 'apiserver-client-'));
  try {
    const p = (f: string) => join(dir, f);
    await writeFile(p('ca.crt'), certs.caPem);
    await writeFile(p('ca.key'), certs.caKeyPem, { mode: 0o600 });
    const escape = (v: string) => v.replace(/[\\/=+,]/g, (c) => `\\${c}`);
    const subject = `${groups.map((g) => `/O=${escape(g)}`).join('')}/CN=${escape(user)}`;
    await run('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', p('client.key'), '-out', p('client.csr'), '-subj', subject]);
    await writeFile(p('ext.cnf'), 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n');
    await run('openssl', ['x509', '-req', '-in', p('client.csr'), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-CAcreateserial', '-days', '7', '-out', p('client.crt'), '-extfile', p('ext.cnf')]);
    const [certPem, keyPem] = await Promise.all([readFile(p('client.crt'), 'utf8'), readFile(p('client.key'), 'utf8')]);
    return { certPem, keyPem };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
