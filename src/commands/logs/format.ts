// Pure: log text → prefixed lines, and the documents' TLS evidence in a registry log (seed 003
// "Viewing Logs": `msg="listening on :5000"`; "Securing the Registry" step 10: `listening on :5000, tls`).

/** kubectl logs --prefix: `[pod/NAME/CONTAINER] line`. */
export function prefixFor(pod: string, container: string | undefined): string {
  return `[pod/${pod}${container ? `/${container}` : ''}] `;
}

/** Complete lines get the prefix; a partial last line waits for the rest (followed streams arrive in pieces). */
export class LinePrefixer {
  private pending = '';
  constructor(private readonly prefix: string) {}

  push(chunk: string): string {
    const text = this.pending + chunk;
    const cut = text.lastIndexOf('\n') + 1;
    this.pending = text.slice(cut);
    return text
      .slice(0, cut)
      .split('\n')
      .slice(0, -1)
      .map((l) => `${this.prefix}${l}\n`)
      .join('');
  }

  /** What is left at the end of the stream, terminated. */
  flush(): string {
    const rest = this.pending;
    this.pending = '';
    return rest ? `${this.prefix}${rest}\n` : '';
  }
}

export type TlsEvidence = { state: 'tls' | 'plain'; line: string } | { state: 'unknown' };

/** The last `listening on ADDR[, tls]` line decides: the registry logs it once per start. */
export function tlsEvidence(log: string): TlsEvidence {
  const lines = log.split('\n').filter((l) => /listening on \S+/.test(l));
  const last = lines[lines.length - 1];
  if (!last) return { state: 'unknown' };
  const msg = /msg="([^"]*)"/.exec(last)?.[1] ?? last.trim();
  return { state: /listening on [^\s,"]+, tls/.test(last) ? 'tls' : 'plain', line: msg };
}
