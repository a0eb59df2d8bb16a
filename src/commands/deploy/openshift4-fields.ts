// The Image Registry Operator's Config fields beyond storage and placement (issue 16; shared/
// REFERENCE.md §4.1): proxy, readOnly, requests (read/write concurrency), httpSecret,
// disableRedirect, tolerations, affinity, and the log level as the cluster's release reads it.
// Pure: flags → the spec fields to merge (null clears a field), every error naming its flag.
import { UsageError } from '../../errors.js';
import { parseGoDuration } from '../../registry-config/go-duration.js';
import type { LogLevel } from '../../templates/operator.js';
import { flagName, isGiven, type OpenShift4Flags } from './openshift4-flags.js';

/** The flags of this file: set a field, '' clears it, not given keeps it. */
export const FIELD_FLAGS = [
  'proxyHttp', 'proxyHttps', 'proxy', 'readOnly', 'disableRedirect', 'rotateHttpSecret', 'toleration', 'affinityFile',
  'maxRunningReads', 'maxQueuedReads', 'maxWaitReads', 'maxRunningWrites', 'maxQueuedWrites', 'maxWaitWrites',
] as const;

function parseBool(flag: string, v: string | boolean | undefined): boolean {
  if (v === true || v === undefined || v === 'true') return true;
  if (v === 'false') return false;
  throw new UsageError(`${flag}: "${String(v)}" is not true or false`);
}

function parseProxyUrl(flag: string, s: string): string | null {
  if (s === '') return null;
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw new UsageError(`${flag}: "${s}" is not a URL (e.g. http://proxy.example.com:3128)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`${flag}: "${s}" must be an http:// or https:// URL`);
  return s;
}

function parseCount(flag: string, s: string): number | null {
  if (s === '') return null;
  if (!/^\d+$/.test(s.trim())) throw new UsageError(`${flag}: "${s}" is not a whole number (0: no limit; '' clears the setting)`);
  return Number(s);
}

function parseWait(flag: string, s: string): string | null {
  if (s === '') return null;
  const d = parseGoDuration(s);
  if ('error' in d) throw new UsageError(`${flag}: ${d.error} (e.g. 30s, 2m)`);
  if (d.ns < 0) throw new UsageError(`${flag}: "${s}" is negative`);
  return s;
}

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** kubectl's taint syntax `key[=value]:Effect` as the toleration that tolerates it. */
export function parseToleration(s: string): Record<string, string> {
  const m = /^([^=:\s]+)(?:=([^:\s]*))?:(\S+)$/.exec(s);
  if (!m) throw new UsageError(`--toleration: "${s}" is not KEY[=VALUE]:EFFECT (e.g. node-role.kubernetes.io/infra:NoSchedule)`);
  const [, key, value, effect] = m;
  if (!EFFECTS.includes(effect!)) throw new UsageError(`--toleration: effect "${effect}" is not one of ${EFFECTS.join(', ')}`);
  return value === undefined ? { key: key!, operator: 'Exists', effect: effect! } : { key: key!, operator: 'Equal', value, effect: effect! };
}

/** The Config spec fields the flags set (null: cleared); `affinityFile` is read by the caller. */
export function operatorFields(f: OpenShift4Flags): { settings: Record<string, unknown>; rotateHttpSecret: boolean; affinityFile?: string } {
  const settings: Record<string, unknown> = {};
  const given = (a: string) => isGiven(f, a);
  const proxy: Record<string, unknown> = {};
  if (given('proxyHttp')) proxy.http = parseProxyUrl('--proxy-http', f.proxyHttp!);
  if (given('proxyHttps')) proxy.https = parseProxyUrl('--proxy-https', f.proxyHttps!);
  if (given('proxy') && typeof f.proxy === 'string') proxy.noProxy = f.proxy === '' ? null : f.proxy.split(',').map((x) => x.trim()).filter(Boolean).join(',');
  if (Object.keys(proxy).length) settings.proxy = proxy;
  if (given('readOnly')) settings.readOnly = parseBool('--read-only', f.readOnly);
  if (given('disableRedirect')) settings.disableRedirect = parseBool('--disable-redirect', f.disableRedirect);
  const requests: Record<string, Record<string, unknown>> = {};
  for (const [op, word] of [['read', 'Reads'], ['write', 'Writes']] as const) {
    const r: Record<string, unknown> = {};
    if (given(`maxRunning${word}`)) r.maxRunning = parseCount(flagName(`maxRunning${word}`), (f as Record<string, string>)[`maxRunning${word}`]!);
    if (given(`maxQueued${word}`)) r.maxInQueue = parseCount(flagName(`maxQueued${word}`), (f as Record<string, string>)[`maxQueued${word}`]!);
    if (given(`maxWait${word}`)) r.maxWaitInQueue = parseWait(flagName(`maxWait${word}`), (f as Record<string, string>)[`maxWait${word}`]!);
    if (Object.keys(r).length) requests[op] = r;
  }
  if (Object.keys(requests).length) settings.requests = requests;
  if (given('toleration')) {
    const list = (f.toleration ?? []).filter((t) => t !== '');
    settings.tolerations = list.length ? list.map(parseToleration) : null;
  }
  return { settings, rotateHttpSecret: f.rotateHttpSecret === true, affinityFile: given('affinityFile') ? f.affinityFile : undefined };
}

const AFFINITY_KEYS = ['nodeAffinity', 'podAffinity', 'podAntiAffinity'];

/** --affinity-file: a core Affinity (YAML or JSON), or an empty file to clear it. */
export function parseAffinity(path: string, doc: unknown): Record<string, unknown> | null {
  if (doc === null || doc === undefined) return null;
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new UsageError(`--affinity-file: "${path}" does not hold an Affinity (a mapping of ${AFFINITY_KEYS.join(', ')})`);
  const bad = Object.keys(doc).find((k) => !AFFINITY_KEYS.includes(k));
  if (bad) throw new UsageError(`--affinity-file: "${path}": "${bad}" is not a field of an Affinity (${AFFINITY_KEYS.join(', ')})`);
  return doc as Record<string, unknown>;
}

/** The kube verbosity each operator log level stands for: what `spec.logging` (4.4 and before) reads. */
export const LOGGING_OF: Record<LogLevel, number> = { Normal: 2, Debug: 4, Trace: 6, TraceAll: 8 };

/** Whether a release (`4.4.17`) reads the integer `spec.logging` rather than `spec.logLevel` (added in 4.5). */
export function readsLogging(version: string | undefined): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version ?? '');
  return !!m && Number(m[1]) === 4 && Number(m[2]) <= 4;
}
