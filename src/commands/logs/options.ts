// `regctl logs` flags → options. Pure.
import { UsageError } from '../../errors.js';
import { parseGoDuration } from '../../registry-config/go-duration.js';
import { parseInteger } from '../../validate.js';

export interface LogsFlags {
  follow?: boolean;
  since?: string;
  tail?: string;
  tlsCheck?: boolean;
}

export interface LogsOptions {
  follow: boolean;
  /** kubectl --since: seconds, rounded up (the API takes whole seconds). */
  sinceSeconds?: number;
  tailLines?: number;
  tlsCheck: boolean;
}

export function toOptions(f: LogsFlags): LogsOptions {
  let sinceSeconds: number | undefined;
  if (f.since !== undefined) {
    const d = parseGoDuration(f.since);
    if ('error' in d) throw new UsageError(`--since: ${d.error} (e.g. 30s, 5m, 1h)`);
    if (d.ns <= 0) throw new UsageError(`--since: "${f.since}" must be greater than 0`);
    sinceSeconds = Math.ceil(d.ns / 1e9);
  }
  const tailLines = f.tail !== undefined ? parseInteger('--tail', f.tail, 0) : undefined;
  if (f.tlsCheck && f.follow) throw new UsageError('--tls-check reads the logs once: leave out -f/--follow');
  return { follow: f.follow === true, sinceSeconds, tailLines, tlsCheck: f.tlsCheck === true };
}
