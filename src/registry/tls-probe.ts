// Connects to the registry and records the certificate chain it serves, without judging it:
// the names, the expiry and the chain are judged by pure code (status), so the probe is a
// function that tests aim at a local HTTPS server. What `openssl s_client -showcerts` shows.
import { connect as tlsConnect, type DetailedPeerCertificate, type TLSSocket } from 'node:tls';
import { isIP } from 'node:net';
import { X509Certificate } from 'node:crypto';

export interface ProbeTarget {
  host: string;
  port: number;
  /** The name sent as SNI (a route host); none for an IP. */
  servername?: string;
}

export type TlsProbeResult =
  | { kind: 'tls'; chainPem: string[]; protocol?: string }
  /** Something answered, but not with a TLS handshake (a registry serving plain HTTP). */
  | { kind: 'not-tls'; message: string }
  /** Nothing answered: not reachable from here (a service IP seen from a workstation). */
  | { kind: 'unreachable'; message: string };

export type TlsProbe = (target: ProbeTarget, timeoutMs?: number) => Promise<TlsProbeResult>;

const UNREACHABLE = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET']);

export const probeTls: TlsProbe = (target, timeoutMs = 5000) =>
  new Promise((resolve) => {
    const servername = target.servername ?? (isIP(target.host) ? undefined : target.host);
    const socket = tlsConnect({ host: target.host, port: target.port, servername, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] });
    const done = (r: TlsProbeResult) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done({ kind: 'unreachable', message: `no answer from ${target.host}:${target.port} within ${timeoutMs / 1000}s` }), timeoutMs);
    socket.once('secureConnect', () => done({ kind: 'tls', chainPem: peerChain(socket), protocol: socket.getProtocol() ?? undefined }));
    socket.once('error', (e: NodeJS.ErrnoException) => {
      const where = `${target.host}:${target.port}`;
      if (e.code && UNREACHABLE.has(e.code)) done({ kind: 'unreachable', message: `${where}: ${e.code}` });
      else done({ kind: 'not-tls', message: `${where} did not complete a TLS handshake (${e.code ?? e.message})` });
    });
  });

/** The chain as sent by the server, leaf first. */
function peerChain(socket: TLSSocket): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  let c: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  while (c && c.raw && !seen.has(c.fingerprint256)) {
    seen.add(c.fingerprint256);
    out.push(new X509Certificate(c.raw).toString());
    c = c.issuerCertificate;
  }
  return out;
}
