// Certificate flags shared by `ca` and `secure`: key sizes and lifetimes, each error naming its flag.
import { UsageError } from '../errors.js';
import { parseInteger } from '../validate.js';

export const KEY_SIZES = [2048, 3072, 4096];

export function parseKeySize(flag: string, s: string): number {
  const n = parseInteger(flag, s, 2048, 16384);
  if (!KEY_SIZES.includes(n)) throw new UsageError(`${flag}: ${n} bits is not offered; choose ${KEY_SIZES.join(', ')}`);
  return n;
}

export function parseDays(flag: string, s: string): number {
  if (!/^-?\d+$/.test(s.trim()) || Number(s) <= 0) throw new UsageError(`${flag}: expire-days must be valid number of days (a whole number above 0, got "${s}")`);
  return parseInteger(flag, s, 1, 36500);
}

/** `oc adm ca`'s default CA name. */
export function defaultSignerName(now: Date): string {
  return `openshift-signer@${Math.floor(now.getTime() / 1000)}`;
}
