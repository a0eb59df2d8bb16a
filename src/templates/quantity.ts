// Kubernetes quantities as numbers, only to compare a request with its limit.
const SUFFIX: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

export function quantityValue(q: string): number {
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))([eE][+-]?\d+|[A-Za-z]*)$/.exec(q);
  if (!m) return NaN;
  const n = Number(m[1]);
  const s = m[2]!;
  if (/^[eE]/.test(s)) return n * 10 ** Number(s.slice(1));
  return n * (SUFFIX[s] ?? NaN);
}

export function compareQuantities(a: string, b: string): number {
  return Math.sign(quantityValue(a) - quantityValue(b));
}
