// Random bytes from the kernel's generator. /dev/urandom where there is one: reading it costs a
// run nothing, while Web Crypto's generator loads node:crypto's machinery (3 ms of start-up,
// for the 32 bytes of a registry's HTTP secret). Web Crypto elsewhere (Windows).
import { closeSync, openSync, readSync } from 'node:fs';

export function systemRandomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  try {
    const fd = openSync('/dev/urandom', 'r');
    try {
      for (let off = 0; off < n; ) {
        const got = readSync(fd, out, off, n - off, null);
        if (got <= 0) throw new Error('/dev/urandom: short read');
        off += got;
      }
      return out;
    } finally {
      closeSync(fd);
    }
  } catch {
    for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
    return out;
  }
}
