// Does a serving certificate name a host? node:crypto's own matching (SANs, wildcards, IPs),
// as a TLS client would check it.
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { certificateBlocks } from './pem.js';

/** `host[:port]` → host. */
export function hostOf(hostname: string): string {
  const m = /^(.*?)(?::\d+)?$/.exec(hostname);
  return m?.[1] ?? hostname;
}

/** The names (hosts, optionally with ports) the first certificate in `pem` does not cover; undefined when it cannot be parsed. */
export function namesMissing(pem: string, names: string[]): string[] | undefined {
  const first = certificateBlocks(pem)[0];
  if (!first) return undefined;
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(first);
  } catch {
    return undefined;
  }
  return names.filter((n) => {
    const host = hostOf(n);
    return isIP(host) ? cert.checkIP(host) === undefined : cert.checkHost(host) === undefined;
  });
}
