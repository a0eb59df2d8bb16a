// The names a server certificate is issued for, arranged as `oc adm ca create-server-cert`
// arranges them (OC-ADM-REGISTRY.md §4.1): de-duplicated, sorted byte-wise, CN = the first,
// IPs as IP SANs and again as DNS SANs (older Python and Windows clients match only DNS).
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { certificateBlocks, summarizeCertificate } from './pem.js';

export interface CertificateNames {
  commonName: string;
  dnsNames: string[];
  ips: string[];
}

/** Byte-order sort, as Go's sets.String.List(). */
function byteSort(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One spelling per address, so `::1` and `0:0:0:0:0:0:0:1` compare equal. */
export function canonicalIP(ip: string): string {
  if (isIP(ip) === 4) return ip.split('.').map((p) => String(Number(p))).join('.');
  if (isIP(ip) !== 6) return ip;
  let s = ip.toLowerCase();
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const b = v4[1]!.split('.').map(Number);
    s = s.slice(0, -v4[1]!.length) + ((b[0]! << 8) | b[1]!).toString(16) + ':' + ((b[2]! << 8) | b[3]!).toString(16);
  }
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.map((g) => parseInt(g, 16).toString(16)).join(':');
}

export function certificateNames(hostnames: readonly string[]): CertificateNames {
  const unique = [...new Set(hostnames)].sort(byteSort);
  const ips = unique.filter((h) => isIP(h) !== 0);
  const dns = unique.filter((h) => isIP(h) === 0);
  return { commonName: unique[0] ?? '', dnsNames: [...dns, ...ips], ips };
}

/** The requested names a certificate lacks (IPs must be IP SANs; names DNS SANs, wildcards honoured). */
export function missingNames(have: { dnsNames: readonly string[]; ips: readonly string[] }, wanted: readonly string[]): string[] {
  const ips = new Set(have.ips.map(canonicalIP));
  const dns = have.dnsNames.map((d) => d.toLowerCase());
  return wanted.filter((w) => {
    if (isIP(w) !== 0) return !ips.has(canonicalIP(w));
    const name = w.toLowerCase();
    return !dns.some((d) => d === name || (d.startsWith('*.') && !name.startsWith('*.') && name.slice(name.indexOf('.')) === d.slice(1)));
  });
}

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
  const missing = new Set(missingNames(summarizeCertificate(cert), names.map(hostOf)));
  return names.filter((n) => missing.has(hostOf(n)));
}
