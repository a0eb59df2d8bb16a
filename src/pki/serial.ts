// The signer's serial file, in `oc adm ca`'s format (OC-ADM-REGISTRY.md §4.3): the LAST serial
// issued, hex, upper-case, an even number of digits, a newline. A value below 1 counts as 1
// (serial 1 is the CA's own), so the first server certificate gets 2.

/** The value of a serial file, or undefined when it is not a hex number. */
export function parseSerial(text: string): bigint | undefined {
  const s = text.trim();
  if (!/^[0-9A-Fa-f]+$/.test(s)) return undefined;
  return BigInt('0x' + s);
}

export function formatSerial(n: bigint): string {
  let hex = n.toString(16).toUpperCase();
  if (hex.length % 2 === 1) hex = '0' + hex;
  return hex + '\n';
}

/** The serial the next certificate gets, given the file's value. */
export function nextSerial(last: bigint): bigint {
  return (last < 1n ? 1n : last) + 1n;
}

/** An X.509 serial as DER-ready hex: even length, positive (a leading 00 when the top bit is set). */
export function serialHex(n: bigint): string {
  let hex = n.toString(16);
  if (hex.length % 2 === 1) hex = '0' + hex;
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = '00' + hex;
  return hex;
}

/** A random positive 63-bit serial, for `--signer-serial=''` (oc uses a random serial then). */
export function randomSerial(bytes: Uint8Array): bigint {
  const b = Buffer.from(bytes.slice(0, 8));
  b[0]! &= 0x7f;
  const n = b.readBigUInt64BE(0);
  return n < 2n ? 2n : n;
}
