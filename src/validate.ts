// Parsers for flag values. Each takes the flag name so its error names it, and throws
// UsageError (exit 2) with one line: which flag, what is wrong, what a good value looks like.
import { isIP } from 'node:net';
import { UsageError } from './errors.js';
import { parseGoDuration } from './registry-config/go-duration.js';

/** commander argParser for repeatable flags: each use appends to the list. */
export const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** A label key: optional DNS-subdomain prefix and `/`, then a name of at most 63 characters. */
export function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}

export function isLabelValue(v: string): boolean {
  return v === '' || (v.length <= 63 && LABEL_NAME.test(v));
}

export function isDnsSubdomain(s: string): boolean {
  return s.length > 0 && s.length <= 253 && DNS_SUBDOMAIN.test(s);
}

export function isDnsLabel(s: string): boolean {
  return DNS_LABEL.test(s);
}

/** `k=v,k2=v2` as labels or a node selector. Negative labels (`k-`) are refused, as `oc` does. */
export function parseLabels(flag: string, value: string): Record<string, string> {
  const out: Record<string, string> = {};
  const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw new UsageError(`${flag}: expected key=value pairs separated by commas, got "${value}"`);
  for (const item of items) {
    if (item.endsWith('-') && !item.includes('=')) throw new UsageError(`${flag}: you may not pass negative labels in "${value}"`);
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`${flag}: "${item}" is not key=value`);
    const k = item.slice(0, eq);
    const v = item.slice(eq + 1);
    if (!isLabelKey(k)) throw new UsageError(`${flag}: "${k}" is not a valid label key (a name of at most 63 alphanumerics, '-', '_' or '.', with an optional DNS prefix and '/')`);
    if (!isLabelValue(v)) throw new UsageError(`${flag}: "${v}" is not a valid label value for "${k}" (at most 63 alphanumerics, '-', '_' or '.', beginning and ending with an alphanumeric)`);
    if (k in out && out[k] !== v) throw new UsageError(`${flag}: "${k}" is given twice with different values`);
    out[k] = v;
  }
  return out;
}

export function parsePort(flag: string, s: string): number {
  if (!/^\d+$/.test(s)) throw new UsageError(`${flag}: "${s}" is not a port number`);
  const n = Number(s);
  if (n < 1 || n > 65535) throw new UsageError(`${flag}: port ${n} is out of range (1-65535)`);
  return n;
}

export interface PortSpec {
  containerPort: number;
  hostPort?: number;
}

/** `--ports`: comma list of `C` or `C:H` (container port, host port), as `oc adm registry`. */
export function parsePorts(flag: string, value: string): PortSpec[] {
  const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw new UsageError(`${flag}: at least one port is required`);
  return items.map((item) => {
    const parts = item.split(':');
    if (parts.length > 2 || parts.some((p) => p === '')) {
      throw new UsageError(`${flag}: "${item}" is not valid: you must specify one (container) or two (container:host) port numbers`);
    }
    const containerPort = parsePort(flag, parts[0]!);
    return parts.length === 2 ? { containerPort, hostPort: parsePort(flag, parts[1]!) } : { containerPort };
  });
}

export function parseIP(flag: string, s: string): string {
  if (isIP(s) === 0) throw new UsageError(`${flag}: "${s}" is not an IP address`);
  return s;
}

export function parseInteger(flag: string, s: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^-?\d+$/.test(s.trim())) throw new UsageError(`${flag}: "${s}" is not a whole number`);
  const n = Number(s);
  if (n < min || n > max) throw new UsageError(`${flag}: ${n} is out of range (${min}-${max === Number.MAX_SAFE_INTEGER ? 'any' : max})`);
  return n;
}

/** An absolute path on a node or in a container. */
export function parseAbsolutePath(flag: string, s: string): string {
  if (!s.startsWith('/')) throw new UsageError(`${flag}: "${s}" must be an absolute path (starting with /)`);
  if (s.includes('\0') || s.split('/').includes('..')) throw new UsageError(`${flag}: "${s}" must not contain ".." or NUL`);
  return s;
}

// Kubernetes resource.Quantity: a signed decimal with an optional binary (Ki..Ei), decimal
// (n u m k M G T P E) or exponent (e3, E-2) suffix.
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

export function isQuantity(s: string): boolean {
  return QUANTITY.test(s);
}

/** `cpu=100m,memory=256Mi` for `--requests` / `--limits`. */
export function parseResourceList(flag: string, value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of value.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`${flag}: "${item}" is not name=quantity (e.g. cpu=100m,memory=256Mi)`);
    const name = item.slice(0, eq);
    const q = item.slice(eq + 1);
    if (!isLabelKey(name)) throw new UsageError(`${flag}: "${name}" is not a resource name`);
    if (!isQuantity(q) || q.startsWith('-')) throw new UsageError(`${flag}: "${q}" is not a valid quantity for ${name} (e.g. 100m, 0.5, 256Mi, 1Gi)`);
    out[name] = q;
  }
  if (Object.keys(out).length === 0) throw new UsageError(`${flag}: expected name=quantity pairs, e.g. cpu=100m,memory=256Mi`);
  return out;
}

/** Object names (Services, claims, secrets): DNS subdomains, as the API server requires. */
export function parseObjectName(flag: string, s: string): string {
  if (!isDnsSubdomain(s)) throw new UsageError(`${flag}: "${s}" is not a valid name (lower-case alphanumerics, '-' and '.', at most 253 characters)`);
  return s;
}

/** A host name or IP address (certificate names, routes). */
export function isHostname(s: string): boolean {
  return isIP(s) !== 0 || (s.length <= 253 && /^(\*\.)?[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?)*$/.test(s));
}

export function parseHostnames(flag: string, value: string | string[]): string[] {
  const items = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).map((s) => s.trim()).filter((s) => s !== '');
  for (const h of items) {
    // All digits and dots is meant as an IPv4 address: 10.0.0.300 must not pass as a host name.
    if (/^[\d.]+$/.test(h) && isIP(h) === 0) throw new UsageError(`${flag}: "${h}" is not a valid IP address`);
    if (!isHostname(h)) throw new UsageError(`${flag}: "${h}" is neither a valid host name nor an IP address`);
  }
  return items;
}

/** Substitutes `${key}` in an image template; an unknown key is an error, as in `oc`. */
export function expandImageTemplate(flag: string, template: string, vars: Record<string, string>): string {
  const out = template.replace(/\$\{([^}]*)\}/g, (_m, key: string) => {
    const v = vars[key];
    if (v === undefined) throw new UsageError(`${flag}: unknown variable \${${key}} in "${template}" (known: ${Object.keys(vars).map((k) => '${' + k + '}').join(', ')})`);
    return v;
  });
  if (out.includes('${') || out.includes('$(')) throw new UsageError(`${flag}: "${template}" has an unterminated variable`);
  if (!/^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/.test(out)) throw new UsageError(`${flag}: "${out}" is not a valid image reference`);
  return out;
}

/** A route's host: a lower-case DNS name (routers match it against SNI and Host headers). */
export function parseRouteHost(flag: string, s: string): string {
  if (isIP(s) !== 0 || !isDnsSubdomain(s)) throw new UsageError(`${flag}: "${s}" is not a valid route host (a lower-case DNS name such as registry.apps.example.com)`);
  return s;
}

/** `hostname[:port]`, as imagePolicyConfig and image.config.openshift.io take registry hostnames. */
export function parseRegistryHostname(flag: string, s: string): string {
  const m = /^(.+?)(?::(\d+))?$/.exec(s);
  const host = m?.[1] ?? '';
  if (!m || host.startsWith('*') || !isHostname(host) || host.includes(':')) throw new UsageError(`${flag}: "${s}" is not hostname[:port] (e.g. docker-registry.default.svc:5000)`);
  if (m[2] !== undefined) parsePort(flag, m[2]);
  return s;
}

/** kubectl's --request-timeout: whole seconds, or a Go duration (1s, 2m, 3h); milliseconds, 0 = no limit. */
export function parseRequestTimeout(s: string): number {
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const d = parseGoDuration(s);
  if ('ns' in d && d.ns >= 0) return d.ns / 1e6;
  throw new UsageError(`--request-timeout: invalid value "${s}": give whole seconds, or a number followed by a unit (e.g. 1s | 2m | 3h); 0 means no limit`);
}
