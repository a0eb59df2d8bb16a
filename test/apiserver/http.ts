// A plain HTTPS client for the test API server's own tests: node:https, verifying the
// server against its CA, so what the tests see is exactly what went over the wire.
import { request } from 'node:https';
import type { ClientCertificate, TestApiServer } from './index.js';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON, when it is JSON. */
  json: any;
}

export interface CallOptions {
  /** JSON-encoded unless a string or a Buffer (sent as is). */
  body?: unknown;
  contentType?: string;
  accept?: string;
  /** Bearer token; default the admin token. `null` sends no Authorization header. */
  token?: string | null;
  ca?: string | null;
  host?: string;
  /** Present this client certificate (and, unless `token` says otherwise, no token). */
  clientCert?: ClientCertificate;
}

export function call(api: TestApiServer, method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
  const url = new URL(path, api.url);
  if (opts.host) url.hostname = opts.host;
  const headers: Record<string, string> = {};
  const token = opts.token === undefined ? (opts.clientCert ? null : api.token) : opts.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let payload: string | Buffer | undefined;
  if (opts.body !== undefined) {
    payload = typeof opts.body === 'string' || Buffer.isBuffer(opts.body) ? opts.body : JSON.stringify(opts.body);
    headers['content-type'] = opts.contentType ?? 'application/json';
    // Node sends a DELETE body unframed unless told its length.
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  if (opts.accept) headers.accept = opts.accept;
  return new Promise((resolve, reject) => {
    const tls = { ca: opts.ca === null ? undefined : opts.ca ?? api.caPem, cert: opts.clientCert?.certPem, key: opts.clientCert?.keyPem };
    const req = request(url, { method, headers, ...tls }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

export interface WatchEvent {
  type: string;
  object: any;
}

export interface WatchStream {
  status: number;
  /** The next event; waits for it. */
  next(): Promise<WatchEvent>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** Opens a watch (`?watch=true`) and hands out its newline-delimited JSON events one by one. */
export function watch(api: TestApiServer, path: string): Promise<WatchStream> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, api.url);
    const req = request(url, { headers: { authorization: `Bearer ${api.token}` }, ca: api.caPem }, (res) => {
      const queue: WatchEvent[] = [];
      const waiting: ((e: WatchEvent) => void)[] = [];
      let buffer = '';
      let endResolve!: () => void;
      const ended = new Promise<void>((r) => (endResolve = r));
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const event = JSON.parse(buffer.slice(0, nl)) as WatchEvent;
          buffer = buffer.slice(nl + 1);
          const w = waiting.shift();
          if (w) w(event);
          else queue.push(event);
        }
      });
      res.on('end', endResolve);
      res.on('close', endResolve);
      resolve({
        status: res.statusCode ?? 0,
        next: () => new Promise((r) => {
          const e = queue.shift();
          if (e) r(e);
          else waiting.push(r);
        }),
        ended,
        close: () => req.destroy(),
      });
    });
    req.on('error', (e) => {
      if ((e as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(e);
    });
    req.end();
  });
}
