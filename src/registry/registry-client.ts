// HTTPS requests to the registry itself (not the API server): the metrics page and blob GETs.
// The documents use curl: `curl --insecure -u <user>:<secret> https://…/extensions/v2/metrics`
// (seed 002 5.5) and `curl -H "Range: bytes=0-1" -u user:${TOKEN} …/blobs/<digest>` (seed 000
// "Image Pullthrough"). Trust is the system's, a CA file, or none when asked.
import { get as httpsGet } from 'node:https';
import { OperationError } from '../errors.js';

export interface RegistryEndpoint {
  /** `https://host[:port]` */
  base: string;
  /** PEM CA(s) to trust instead of the system's. */
  ca?: string;
  insecureSkipVerify?: boolean;
  /** `user:secret` for basic auth, or a bearer token. */
  auth?: { basic: string } | { bearer: string };
}

export interface RegistryResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body, up to `maxBody` bytes (the rest is not read: a blob GET must not download the blob). */
  body: Buffer;
}

export function registryGet(ep: RegistryEndpoint, path: string, o: { headers?: Record<string, string>; maxBody?: number; timeoutMs?: number } = {}): Promise<RegistryResponse> {
  const url = new URL(path, ep.base);
  const headers: Record<string, string> = { 'User-Agent': 'regctl', ...o.headers };
  if (ep.auth && 'basic' in ep.auth) headers.Authorization = `Basic ${Buffer.from(ep.auth.basic).toString('base64')}`;
  if (ep.auth && 'bearer' in ep.auth) headers.Authorization = `Bearer ${ep.auth.bearer}`;
  const maxBody = o.maxBody ?? 16 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const req = httpsGet(url, { headers, ca: ep.ca, rejectUnauthorized: !ep.insecureSkipVerify, timeout: o.timeoutMs ?? 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let settled = false;
      const done = () => {
        if (settled) return;
        settled = true;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).subarray(0, maxBody) });
      };
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        if (size >= maxBody) {
          done();
          res.destroy();
        }
      });
      res.on('end', done);
      res.on('close', done);
      res.on('error', (e) => (settled ? undefined : reject(e)));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${(o.timeoutMs ?? 30_000) / 1000}s`), { code: 'ETIMEDOUT' })));
    req.on('error', (e: NodeJS.ErrnoException) => reject(connectionProblem(e, ep.base)));
  });
}

function connectionProblem(e: NodeJS.ErrnoException, base: string): OperationError {
  const code = e.code ?? '';
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT_ALTNAME/.test(code)) {
    return new OperationError(`the registry at ${base} presented a certificate this machine does not trust: ${e.message}`, 'give the CA that signed it with --ca FILE (or --insecure-skip-tls-verify, as the documents\' curl --insecure)');
  }
  if (code === 'EPROTO' || /wrong version number|packet length/.test(e.message)) {
    return new OperationError(`the registry at ${base} does not speak TLS (${e.message})`, 'regctl status; regctl secure');
  }
  return new OperationError(`cannot reach the registry at ${base}: ${e.message}`, 'from outside the cluster, give the route host or a port-forward with --registry-url https://HOST[:PORT]');
}
