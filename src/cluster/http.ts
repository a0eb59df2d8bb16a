// One HTTPS connection pool to the API server, authenticated by client-node's KubeConfig.
// Every request regctl makes goes through `send`, which retries only what is safe to retry
// (reads, and writes the server refused with 429 or 503 before doing anything) and turns
// failures into one human line (src/cluster/errors.ts).
import https from 'node:https';
import http from 'node:http';
import type { LoadedConfig } from './kubeconfig.js';
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

export async function transport(cfg: LoadedConfig, verbose: (line: string) => void): Promise<Transport> {
  const base: https.RequestOptions = {};
  await cfg.kc.applyToHTTPSOptions(base);
  const url = new URL(cfg.server);
  const isHttps = url.protocol === 'https:';
  const cluster = cfg.kc.getCurrentCluster();
  // Keep connections alive across the run: one TLS handshake, not one per request. With a
  // proxy, client-node's own agent knows how to reach the server.
  const agent = cluster?.proxyUrl
    ? base.agent
    : isHttps
      ? new https.Agent({ keepAlive: true, ca: base.ca, cert: base.cert, key: base.key, pfx: base.pfx, passphrase: base.passphrase, rejectUnauthorized: cluster?.skipTLSVerify ? false : base.rejectUnauthorized, servername: cluster?.tlsServerName ?? base.servername })
      : new http.Agent({ keepAlive: true });
  const headers = { ...(base.headers as Record<string, string> | undefined) };
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
        { protocol: url.protocol, hostname: url.hostname, port: url.port || (isHttps ? 443 : 80), method, path: full, headers: reqHeaders, agent, auth: base.auth, timeout: opts.onData ? 0 : 30_000 },
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
      req.on('timeout', () => req.destroy(Object.assign(new Error('no answer within 30s'), { code: 'ETIMEDOUT' })));
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
