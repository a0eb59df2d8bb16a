// Flag values for issuing certificates, checked as `oc adm ca` checks them.
import { UsageError } from '../errors.js';
import { parseInteger } from '../validate.js';

export const KEY_SIZES = [2048, 3072, 4096];

/** `oc adm ca`'s defaults: a server certificate lasts two years, a signer five, keys are 2048-bit. */
export const SERVER_DEFAULT_DAYS = 730;
export const SIGNER_DEFAULT_DAYS = 1825;
export const DEFAULT_KEY_BITS = 2048;

export function parseRsaKeySize(flag: string, s: string): number {
  const n = parseInteger(flag, s, 2048, 16384);
  if (!KEY_SIZES.includes(n)) throw new UsageError(`${flag}: ${n} bits is not offered; choose ${KEY_SIZES.join(', ')}`);
  return n;
}

export function parseValidityDays(flag: string, s: string): number {
  if (!/^-?\d+$/.test(s.trim()) || Number(s) <= 0) throw new UsageError(`${flag}: expire-days must be valid number of days (a whole number above 0, got "${s}")`);
  return parseInteger(flag, s, 1, 36500);
}
