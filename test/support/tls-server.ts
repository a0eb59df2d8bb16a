// Certificates made by openssl, and a local HTTPS server standing in for the registry (status's
// TLS probe, metrics query, prefetch): it records every request and answers with a handler.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { openssl } from './pki.js';

export interface Pem {
  cert: string;
  key: string;
}

/** A server certificate signed by `ca` (paths from opensslCA), naming `sans` (IPs and DNS names). */
export function issueServerCert(dir: string, ca: { cert: string; key: string }, name: string, sans: string[], opts: { start?: string; end?: string } = {}): Pem & { certPath: string } {
  const conf = join(dir, `${name}.cnf`);
  const san = sans.map((s) => (/^[\d.]+$|:/.test(s) ? `IP:${s}` : `DNS:${s}`)).join(',');
  writeFileSync(
    conf,
    ['[ ca ]', 'default_ca = d', '[ d ]', `database = ${name}.index`, 'new_certs_dir = .', `serial = ${name}.srl`, 'default_md = sha256', 'policy = p', 'unique_subject = no', 'copy_extensions = none', 'x509_extensions = ext', '[ p ]', 'commonName = supplied', '[ ext ]', 'basicConstraints = critical,CA:FALSE', 'keyUsage = critical,digitalSignature,keyEncipherment', 'extendedKeyUsage = serverAuth', `subjectAltName = ${san}`, ''].join('\n'),
  );
  writeFileSync(join(dir, `${name}.index`), '');
  writeFileSync(join(dir, `${name}.srl`), '1000\n');
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const cert = join(dir, `${name}.crt`);
  let r = openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${sans[0] ?? name}`]);
  if (r.code !== 0) throw new Error(r.stderr);
  r = openssl(['ca', '-batch', '-config', conf, '-cert', ca.cert, '-keyfile', ca.key, '-in', csr, '-out', cert, '-notext', '-startdate', opts.start ?? '20200101000000Z', '-enddate', opts.end ?? '20991231000000Z'], { cwd: dir });
  if (r.code !== 0) throw new Error(r.stderr);
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8'), certPath: cert };
}

export interface RecordedCall {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
}

export interface LocalServer {
  port: number;
  url: string;
  calls: RecordedCall[];
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const notFound: Handler = (_req, res) => {
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end('{"errors":[{"code":"NOT_FOUND"}]}');
};

/** HTTPS with `pem` (the certificate file may hold the chain), or plain HTTP without it (a registry not serving TLS). */
export async function startLocalServer(pem: Pem | undefined, handler: Handler = notFound): Promise<LocalServer> {
  const calls: RecordedCall[] = [];
  const on: Handler = (req, res) => {
    calls.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers });
    handler(req, res);
  };
  const server = pem ? createHttpsServer({ cert: pem.cert, key: pem.key }, on) : createHttpServer(on);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `${pem ? 'https' : 'http'}://127.0.0.1:${port}`,
    calls,
    close: () => new Promise((r) => {
      server.closeAllConnections?.();
      server.close(() => r());
    }),
  };
}
