// The YAML a kubeconfig is written in by kubectl and oc, read without js-yaml: nested block
// mappings and sequences whose scalars are plain one-line text, true, false, null, `{}` or `[]`.
// Anything else (quotes, comments, block scalars, flow collections, anchors, tags, tabs, numbers,
// YAML 1.1 words such as `yes`, a value that continues on the next line, a duplicate key) makes
// it answer undefined, and js-yaml reads the file. Why: loading js-yaml and running its parser
// cold costs a cluster command about 2 ms of its start-up. test/cluster/kubeconfig-yaml.test.ts
// holds it to js-yaml's answers.

/** A key as kubeconfigs have them (not one YAML reads as a number); anything else is js-yaml's to judge. */
const KEY = /^([A-Za-z_][A-Za-z0-9_.\/-]*):(?: (.*))?$/;
/** Printable ASCII, the only text read here. */
const PRINTABLE = /^[\x20-\x7e]*$/;
/** Characters a plain scalar may not start with (YAML's indicators), and what may start a number, a null or a merge key. */
const NOT_FIRST = "-?:,[]{}#&*!|>'\"%@`0123456789+~<= ";
/** Words YAML 1.1 or 1.2 read as a boolean or null, bar the three handled here. */
const WORDS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'True', 'TRUE', 'False', 'FALSE', 'Null', 'NULL']);

class Unsupported extends Error {}

interface Line {
  indent: number;
  text: string;
}

/** The document, or undefined where js-yaml must read it. */
export function readKubeconfigYaml(source: string): unknown {
  if (!PRINTABLE.test(source.replace(/\n/g, ''))) return undefined; // tabs, CR, BOM, non-ASCII
  const lines: Line[] = [];
  for (const raw of source.split('\n')) {
    const text = raw.trimStart();
    if (text === '') continue;
    if (text.startsWith('#') || raw.includes(' #') || text.startsWith('---') || text.startsWith('...') || raw.endsWith(' ')) return undefined;
    lines.push({ indent: raw.length - text.length, text });
  }
  if (lines.length === 0 || lines[0]!.indent !== 0) return undefined;
  try {
    const at = { i: 0 };
    const value = block(lines, at, 0);
    return at.i === lines.length ? value : undefined;
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

/** The mapping or sequence whose lines start at column `indent`. */
function block(lines: Line[], at: { i: number }, indent: number): unknown {
  const first = lines[at.i]!;
  if (first.indent !== indent) throw new Unsupported();
  return first.text === '-' || first.text.startsWith('- ') ? sequence(lines, at, indent) : mapping(lines, at, indent);
}

function mapping(lines: Line[], at: { i: number }, indent: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  while (at.i < lines.length && lines[at.i]!.indent === indent && !lines[at.i]!.text.startsWith('-')) {
    const m = KEY.exec(lines[at.i]!.text);
    // `yes:` is the key "true" to YAML 1.1; `__proto__` needs js-yaml's care; a duplicate is an error.
    if (!m || WORDS.has(m[1]!) || m[1] === '__proto__' || Object.hasOwn(out, m[1]!)) throw new Unsupported();
    at.i++;
    out[m[1]!] = m[2] === undefined ? nested(lines, at, indent, true) : scalar(m[2]);
  }
  return out;
}

function sequence(lines: Line[], at: { i: number }, indent: number): unknown[] {
  const out: unknown[] = [];
  while (at.i < lines.length && lines[at.i]!.indent === indent && (lines[at.i]!.text === '-' || lines[at.i]!.text.startsWith('- '))) {
    const line = lines[at.i]!;
    if (line.text === '-') {
      at.i++;
      out.push(nested(lines, at, indent, false));
    } else {
      // `- key: value` or `- - item`: the rest of the line opens a block two columns in.
      const rest = line.text.slice(2);
      if (rest.startsWith(' ')) throw new Unsupported();
      if (rest === '-' || rest.startsWith('- ') || KEY.test(rest)) {
        lines[at.i] = { indent: indent + 2, text: rest };
        out.push(block(lines, at, indent + 2));
      } else {
        at.i++;
        out.push(scalar(rest));
      }
    }
  }
  return out;
}

/** What follows `key:` or `-` with nothing after it: a deeper block, a sequence at the key's own column, or null. */
function nested(lines: Line[], at: { i: number }, indent: number, ofKey: boolean): unknown {
  const next = lines[at.i];
  if (next && next.indent > indent) return block(lines, at, next.indent);
  if (ofKey && next && next.indent === indent && (next.text === '-' || next.text.startsWith('- '))) return sequence(lines, at, indent);
  return null;
}

function scalar(s: string): unknown {
  if (s === '{}') return {};
  if (s === '[]') return [];
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (s === 'null') return null;
  if (s === '' || NOT_FIRST.includes(s[0]!) || WORDS.has(s) || s.includes(': ') || s.endsWith(':')) throw new Unsupported();
  // A relative path (./, ../) is no number; anything else with a dot first may be (.5, .inf).
  if (s[0] === '.' && s[1] !== '/' && s[1] !== '.') throw new Unsupported();
  return s;
}
