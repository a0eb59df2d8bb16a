// One connection to the API server for the whole run, with the kubeconfig's credentials: an
// HTTP/2 session when the server offers h2 (kube-apiserver does), every request a stream on it;
// else a keep-alive HTTPS pool (one TLS handshake per concurrent request). Every request regctl
// makes goes through `send`, which retries only what is safe to retry (reads, and writes the
// server refused with 429 or 503 before doing anything) and turns failures into one human line
// (src/cluster/errors.ts).
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import http2 from 'node:http2';
import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import { connect as tlsConnect, createSecureContext, type TLSSocket } from 'node:tls';
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
const CONNECT_TIMEOUT_MS = 10_000;

export interface TransportOptions {
  verbose?: (line: string) => void;
  /** --request-timeout: the most one request may take, connecting included; 0 = no limit (kubectl's default). */
  requestTimeoutMs?: number;
  connectTimeoutMs?: number;
}

/** A failure that is final: not retried, whatever the method. */
const timedOut = (code: string, message: string) => Object.assign(new Error(message), { code });

/** The body of an answer, whole, or (onData, a successful answer) handed on chunk by chunk. */
function readAnswer(res: Readable, status: number, contentType: string, opts: RequestOptions): Promise<Response> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const streaming = opts.onData !== undefined && status < 300;
    if (streaming) res.setEncoding('utf8');
    res.on('data', (c: Buffer | string) => (streaming ? opts.onData!(c as string) : chunks.push(c as Buffer)));
    res.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let parsed: unknown = undefined;
      if (contentType.includes('json') && text) {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
      }
      resolve({ status, body: parsed, text });
    });
    res.on('error', reject);
  });
}

export async function transport(cfg: LoadedConfig, opts: TransportOptions = {}): Promise<Transport> {
  const verbose = opts.verbose ?? (() => {});
  const requestTimeoutMs = opts.requestTimeoutMs ?? 0;
  const connectTimeoutMs = opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
  const creds = await connectionSettings(cfg);
  const url = new URL(cfg.server);
  const isHttps = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port || (isHttps ? 443 : 80));
  // One TLS context for every connection: building one (the CA store, the key) per connection
  // cost more CPU than the rest of a short run's requests. Node 20 parses its ~140 bundled root
  // certificates (15-20 ms under OpenSSL 3) for every first context, even one given a CA that
  // replaces them, but not for an empty CA list (nodejs/node#56301): a server the kubeconfig says
  // not to verify (insecure-skip-tls-verify) gets that.
  const ca = creds.rejectUnauthorized === false ? [] : creds.ca;
  const secureContext = isHttps ? createSecureContext({ ca, cert: creds.cert, key: creds.key }) : undefined;
  const negotiate = isHttps && !creds.agent;
  const headers = creds.headers;
  const prefix = url.pathname === '/' ? '' : url.pathname;

  // The connection that asked for h2 and got HTTP/1.1 serves the first HTTP/1.1 request: no
  // handshake is wasted on a server without h2.
  let spare: TLSSocket | undefined;
  const handedOver = new WeakSet<object>();
  let pool: HttpAgent | undefined;
  /**
   * The HTTP/1.1 pool, made on first use: a run over HTTP/2 never loads node:https (the bundle
   * loads Node's modules on first touch). Keeps connections alive across the run. Through a
   * proxy, client-node's agent knows the way (HTTP/1.1 only); without TLS there is no ALPN to
   * offer h2 by.
   */
  function agent(): HttpAgent {
    if (pool) return pool;
    pool = creds.agent ?? (isHttps ? new HttpsAgent({ keepAlive: true, secureContext, rejectUnauthorized: creds.rejectUnauthorized, servername: creds.servername }) : new HttpAgent({ keepAlive: true }));
    if (negotiate) {
      const createConnection = pool.createConnection.bind(pool);
      pool.createConnection = (options, callback) => {
        const socket = spare;
        spare = undefined;
        if (!socket || socket.destroyed) return createConnection(options, callback);
        handedOver.add(socket.ref());
        return socket;
      };
    }
    return pool;
  }

  type Connection = { session: http2.ClientHttp2Session } | { session?: undefined };
  interface Opening {
    connection: Promise<Connection>;
    socket: TLSSocket;
    handshaken: boolean;
  }
  let current: Opening | undefined;
  // Once the server said HTTP/1.1, the pool serves the rest of the run.
  let http1Only = !negotiate;
  let activeStreams = 0;

  /** The run's connection, opened by the first request; the requests sent meanwhile wait for it. */
  function connection(): Opening | undefined {
    if (http1Only) return undefined;
    if (current) return current;
    const socket = tlsConnect({
      host,
      port,
      // An IP address is no server name (RFC 6066): the certificate is checked against the host then.
      servername: creds.servername ?? (isIP(host) ? undefined : host),
      secureContext,
      rejectUnauthorized: creds.rejectUnauthorized,
      ALPNProtocols: ['h2', 'http/1.1'],
    });
    const opened: Opening = (current = {
      socket,
      handshaken: false,
      connection: new Promise<Connection>((resolve, reject) => {
        // node:http2 takes 5 ms to load (the bundle loads Node's modules on first use): load it
        // once the ClientHello is out, while the server works on its answer, not after.
        socket.once('connect', () => void http2.connect);
        const timer = setTimeout(() => socket.destroy(timedOut('ECONNECTTIMEOUT', `no TLS handshake within ${connectTimeoutMs / 1000}s`)), connectTimeoutMs);
        const forget = () => {
          if (current === opened) current = undefined;
        };
        socket.once('error', (e) => {
          clearTimeout(timer);
          forget();
          reject(e);
        });
        // Later errors reach the session or the request that holds the socket.
        socket.on('error', () => {});
        socket.once('close', forget);
        socket.once('secureConnect', () => {
          clearTimeout(timer);
          opened.handshaken = true;
          if (socket.alpnProtocol !== 'h2') {
            forget();
            http1Only = true;
            spare = socket.unref();
            return resolve({});
          }
          const session = http2.connect(cfg.server, { createConnection: () => socket });
          session.on('error', () => {}); // each open stream gets it
          session.once('goaway', forget);
          session.once('close', forget);
          // An idle session must not keep the process alive after the run; a request in flight does.
          session.unref();
          resolve({ session });
        });
      }),
    });
    return opened;
  }

  function once(method: string, path: string, opts: RequestOptions): Promise<Response> {
    // Most requests have no query: no URLSearchParams for them.
    const qs = opts.query ? new URLSearchParams(Object.entries(opts.query).filter((e): e is [string, string] => e[1] !== undefined)) : undefined;
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const reqHeaders: Record<string, string | string[]> = { ...headers, Accept: opts.accept ?? 'application/json', 'User-Agent': 'regctl' };
    if (body !== undefined) {
      reqHeaders['Content-Type'] = opts.contentType ?? 'application/json';
      reqHeaders['Content-Length'] = String(Buffer.byteLength(body));
    }
    const query = qs?.size ? `?${qs}` : '';
    const full = prefix + path + query;
    verbose(`${method} ${cfg.server}${path}${query}`);
    // A followed stream (onData) runs until the user stops it; connecting is still bounded.
    const bounded = requestTimeoutMs > 0 && !opts.onData;
    // Only a request with a deadline can be aborted (an AbortController per request costs).
    const abort = bounded ? new AbortController() : undefined;
    const opening = connection();
    const answer = (opening?.connection ?? Promise.resolve<Connection>({})).then((c) => {
      if (abort?.signal.aborted) throw abort.signal.reason;
      const request = { method, path: full, headers: reqHeaders, body, opts, signal: abort?.signal };
      return c.session ? overH2(c.session, request) : overHttp1(request);
    });
    if (!abort) return answer;
    return new Promise((resolve, reject) => {
      const deadline = setTimeout(() => {
        const e = timedOut('EREQUESTTIMEOUT', `no answer within ${requestTimeoutMs / 1000}s (--request-timeout)`);
        // A connection still shaking hands for this request goes with it, as its socket would over HTTP/1.1.
        if (opening && !opening.handshaken) opening.socket.destroy(e);
        abort.abort(e);
        reject(e);
      }, requestTimeoutMs);
      answer.then(resolve, reject).finally(() => clearTimeout(deadline));
    });
  }

  interface Outgoing {
    method: string;
    path: string;
    headers: Record<string, string | string[]>;
    body?: string;
    opts: RequestOptions;
    signal?: AbortSignal;
  }

  function overH2(session: http2.ClientHttp2Session, out: Outgoing): Promise<Response> {
    return new Promise((resolve, reject) => {
      const h2Headers: http2.OutgoingHttpHeaders = { ':method': out.method, ':path': out.path };
      for (const [k, v] of Object.entries(out.headers)) h2Headers[k.toLowerCase()] = v;
      // As node:https does with `auth`: basic credentials unless an Authorization header is set.
      if (creds.auth && h2Headers.authorization === undefined) h2Headers.authorization = `Basic ${Buffer.from(creds.auth).toString('base64')}`;
      // node:http2 ends a DELETE's stream at once unless told it has a body (DeleteOptions' preconditions).
      const stream = session.request(h2Headers, { signal: out.signal, endStream: out.body === undefined });
      if (activeStreams++ === 0) session.ref();
      stream.once('close', () => {
        if (--activeStreams === 0 && !session.destroyed) session.unref();
      });
      stream.once('response', (h) => readAnswer(stream, Number(h[':status'] ?? 0), String(h['content-type'] ?? ''), out.opts).then(resolve, reject));
      stream.once('error', reject);
      stream.end(out.body);
    });
  }

  function overHttp1(out: Outgoing): Promise<Response> {
    return new Promise((resolve, reject) => {
      const req = (isHttps ? httpsRequest : httpRequest)(
        { protocol: url.protocol, hostname: url.hostname, port, method: out.method, path: out.path, headers: out.headers, agent: agent(), auth: creds.auth, signal: out.signal },
        (res) => readAnswer(res, res.statusCode ?? 0, res.headers['content-type'] ?? '', out.opts).then(resolve, reject),
      );
      req.on('socket', (socket) => {
        // A reused keep-alive socket (or the one that asked for h2) is connected already; a new one must connect (and shake hands) in time.
        if (req.reusedSocket || handedOver.has(socket)) return;
        const timer = setTimeout(() => req.destroy(timedOut('ECONNECTTIMEOUT', `no ${isHttps ? 'TLS handshake' : 'connection'} within ${connectTimeoutMs / 1000}s`)), connectTimeoutMs);
        socket.once(isHttps ? 'secureConnect' : 'connect', () => clearTimeout(timer));
        socket.once('close', () => clearTimeout(timer));
      });
      req.on('error', reject);
      req.end(out.body);
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
        // A session the server closed (GOAWAY) refused the stream before sending it anywhere.
        const transient = code === 'ECONNRESET' || code === 'ETIMEDOUT' || code === 'EPIPE' || code === 'ERR_HTTP2_GOAWAY_SESSION' || code === 'ERR_HTTP2_INVALID_SESSION';
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
