// One keep-alive HTTPS connection pool to the API server, with the kubeconfig's credentials.
// Every request regctl makes goes through `send`, which retries only what is safe to retry
// (reads, and writes the server refused with 429 or 503 before doing anything) and turns
// failures into one human line (src/cluster/errors.ts).
import https from 'node:https';
import http from 'node:http';
import { createSecureContext } from 'node:tls';
import type { LoadedConfig } from './kubeconfig.js';
import { connectionSettings } from './credentials.js';
import { apiError, connectionError, type Status } from './errors.js';

export interface RequestOptions {
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
  accept?: string;
  /** Say what this is, for error messages: `create services "docker-registry"`. */
  what?: string;
  /** 404 is an answer here (existence checks): resolve with undefined instead of throwing. */
  allow404?: boolean;
  /** Stream the body (a followed log): each chunk of a successful answer goes here as it arrives, with no idle timeout and no retry. */
  onData?: (chunk: string) => void;
}

export interface Response {
  status: number;
  body: unknown;
  text: string;
}

export interface Transport {
  send(method: string, path: string, opts?: RequestOptions): Promise<Response>;
}

const RETRIES = 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** TCP connect plus TLS handshake: a live server on any network does both well within this. */
export const CONNECT_TIMEOUT_MS = 10_000;

export interface TransportOptions {
  verbose?: (line: string) => void;
  /** --request-timeout: the most one request may take, connecting included; 0 = no limit (kubectl's default). */
  requestTimeoutMs?: number;
  connectTimeoutMs?: number;
}

/** A failure that is final: not retried, whatever the method. */
const timedOut = (code: string, message: string) => Object.assign(new Error(message), { code });

export async function transport(cfg: LoadedConfig, opts: TransportOptions = {}): Promise<Transport> {
  const verbose = opts.verbose ?? (() => {});
  const requestTimeoutMs = opts.requestTimeoutMs ?? 0;
  const connectTimeoutMs = opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
  const creds = await connectionSettings(cfg);
  const url = new URL(cfg.server);
  const isHttps = url.protocol === 'https:';
  // Keep connections alive across the run: one TLS handshake per connection, not per request.
  // Through a proxy, client-node's agent knows the way.
  const agent =
    creds.agent ??
    (isHttps
      ? new https.Agent({
          keepAlive: true,
          // One TLS context for every connection: building one (the CA store, the key) per
          // connection cost more CPU than the rest of a short run's requests.
          secureContext: createSecureContext({ ca: creds.ca, cert: creds.cert, key: creds.key }),
          rejectUnauthorized: creds.rejectUnauthorized,
          servername: creds.servername,
        })
      : new http.Agent({ keepAlive: true }));
  const headers = creds.headers;
  const prefix = url.pathname === '/' ? '' : url.pathname;

  function once(method: string, path: string, opts: RequestOptions): Promise<Response> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) qs.set(k, v);
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const reqHeaders: Record<string, string> = { ...headers, Accept: opts.accept ?? 'application/json', 'User-Agent': 'regctl' };
    if (body !== undefined) {
      reqHeaders['Content-Type'] = opts.contentType ?? 'application/json';
      reqHeaders['Content-Length'] = String(Buffer.byteLength(body));
    }
    const full = prefix + path + (qs.size ? `?${qs}` : '');
    verbose(`${method} ${cfg.server}${path}${qs.size ? `?${qs}` : ''}`);
    return new Promise((resolve, reject) => {
      const req = (isHttps ? https : http).request(
        { protocol: url.protocol, hostname: url.hostname, port: url.port || (isHttps ? 443 : 80), method, path: full, headers: reqHeaders, agent, auth: creds.auth },
        (res) => {
          const chunks: Buffer[] = [];
          const streaming = opts.onData !== undefined && (res.statusCode ?? 0) < 300;
          if (streaming) res.setEncoding('utf8');
          res.on('data', (c: Buffer | string) => (streaming ? opts.onData!(c as string) : chunks.push(c as Buffer)));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = undefined;
            if ((res.headers['content-type'] ?? '').includes('json') && text) {
              try {
                parsed = JSON.parse(text);
              } catch {
                parsed = undefined;
              }
            }
            resolve({ status: res.statusCode ?? 0, body: parsed, text });
          });
          res.on('error', reject);
        },
      );
      // A followed stream (onData) runs until the user stops it; connecting is still bounded.
      const deadline = requestTimeoutMs > 0 && !opts.onData ? setTimeout(() => req.destroy(timedOut('EREQUESTTIMEOUT', `no answer within ${requestTimeoutMs / 1000}s (--request-timeout)`)), requestTimeoutMs) : undefined;
      req.on('socket', (socket) => {
        // A reused keep-alive socket is connected already; a new one must connect (and shake hands) in time.
        if (req.reusedSocket) return;
        const timer = setTimeout(() => req.destroy(timedOut('ECONNECTTIMEOUT', `no ${isHttps ? 'TLS handshake' : 'connection'} within ${connectTimeoutMs / 1000}s`)), connectTimeoutMs);
        socket.once(isHttps ? 'secureConnect' : 'connect', () => clearTimeout(timer));
        socket.once('close', () => clearTimeout(timer));
      });
      req.on('close', () => clearTimeout(deadline));
      req.on('error', reject);
      req.end(body);
    });
  }

  async function send(method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
    // A stream already delivered is not fetched again.
    const idempotent = method === 'GET' && !opts.onData;
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await once(method, path, opts);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        const transient = code === 'ECONNRESET' || code === 'ETIMEDOUT' || code === 'EPIPE';
        if (idempotent && transient && attempt < RETRIES) {
          await sleep(200 * 2 ** (attempt - 1));
          continue;
        }
        throw connectionError(e as NodeJS.ErrnoException, cfg);
      }
      if (res.status < 300) return res;
      if (res.status === 404 && opts.allow404) return res;
      const retryable = res.status === 429 || res.status === 503 || (idempotent && res.status >= 500);
      if (retryable && attempt < RETRIES) {
        const after = Number((res.body as Status | undefined)?.details?.retryAfterSeconds ?? 0);
        await sleep(after > 0 ? Math.min(after, 5) * 1000 : 200 * 2 ** (attempt - 1));
        continue;
      }
      throw apiError(res.status, res.body as Status | undefined, res.text, { method, path, what: opts.what, cfg });
    }
  }

  return { send };
}
