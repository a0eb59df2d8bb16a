// Go's time.ParseDuration, with its error messages: the registry parses its TTLs, ages and
// intervals with it, so "valid" here means what the registry accepts ("1m", "168h", "1h30m").

const UNITS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/**
 * Nanoseconds, or the error Go would give ("time: unknown unit "x" in duration "168x"").
 * `unquoted`: Go before 1.15 (OpenShift 3.11's registry) printed the text without quotes.
 */
export function parseGoDuration(orig: string, o: { unquoted?: boolean } = {}): { ns: number } | { error: string } {
  const quote = (s: string) => (o.unquoted ? s : JSON.stringify(s));
  let s = orig;
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return { ns: 0 };
  if (s === '') return { error: `time: invalid duration ${quote(orig)}` };
  let total = 0;
  while (s !== '') {
    const num = /^(\d*)(\.(\d*))?/.exec(s)!;
    const pre = num[1] ?? '';
    const post = num[3] ?? '';
    if (pre === '' && post === '') return { error: `time: invalid duration ${quote(orig)}` };
    s = s.slice(num[0].length);
    const unitMatch = /^[^0-9.]*/.exec(s)![0];
    if (unitMatch === '') return { error: `time: missing unit in duration ${quote(orig)}` };
    const unit = UNITS[unitMatch];
    if (unit === undefined) return { error: `time: unknown unit ${quote(unitMatch)} in duration ${quote(orig)}` };
    s = s.slice(unitMatch.length);
    total += Number(`${pre || '0'}.${post || '0'}`) * unit;
  }
  return { ns: neg ? -total : total };
}
