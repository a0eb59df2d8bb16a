// YAML for `-o yaml`: byte for byte what js-yaml's dump() prints with these options (keys sorted,
// no folding, a sequence under a key not indented), written directly for what regctl prints:
// plain objects, arrays, ASCII text, integers, booleans and null. Anything else (non-ASCII or
// control characters, floats, text that js-yaml would double-quote or end open) is handed to
// js-yaml whole. Why: js-yaml 5 builds a syntax tree and tests each scalar against Unicode
// regular expressions that V8 compiles afresh in every process, 3 ms of a 15 ms `deploy -o yaml`;
// most output does not load js-yaml at all (the bundle loads it on first use).
// test/output/yaml.test.ts holds the two to the same bytes.
import { dump, DUMP_SCHEMA, strTag } from 'js-yaml';

export const DUMP_OPTIONS = { sortKeys: true, lineWidth: -1, noRefs: true, seqNoIndent: true } as const;

/** Thrown inside the writer for a value it leaves to js-yaml. */
const UNSUPPORTED = Symbol('left to js-yaml');

export function toYaml(value: unknown): string {
  return writeYaml(value) ?? dump(value, DUMP_OPTIONS);
}

/** The YAML this writer makes of the value, or undefined where it leaves the value to js-yaml. */
export function writeYaml(value: unknown): string | undefined {
  if (!isObject(value) && !Array.isArray(value)) return undefined;
  try {
    return write(value, 0, true, false) + '\n';
  } catch (e) {
    if (e !== UNSUPPORTED) throw e;
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

const indents: string[] = [];
const indent = (level: number) => (indents[level] ??= '\n' + '  '.repeat(level));

/**
 * A value at this nesting level, as js-yaml's writeNode: `compact`, its first line goes on the
 * current one (after `- `); `inSequence`, it is an item of a sequence.
 */
function write(value: unknown, level: number, compact: boolean, inSequence: boolean): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    // seqNoIndent: a sequence that is a key's value starts at the key's own indentation.
    const at = inSequence || level === 0 ? level : level - 1;
    let out = '';
    for (const item of value) {
      if (item === undefined) throw UNSUPPORTED;
      const text = write(item, at + 1, true, true);
      if (!compact || out !== '') out += indent(at);
      out += text === '' || text[0] === '\n' ? '-' + text : '- ' + text;
    }
    return out;
  }
  if (isObject(value)) {
    // js-yaml leaves out keys whose value is undefined, as JSON does.
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    if (keys.length === 0) return '{}';
    let out = '';
    for (const k of keys) {
      if (!compact || out !== '') out += indent(level);
      const text = write(value[k], level + 1, false, false);
      out += key(k) + (text === '' || text[0] === '\n' ? ':' : ': ') + text;
    }
    return out;
  }
  return scalar(value, level);
}

/** Printable ASCII and line feeds: the text this writer handles. */
const SIMPLE_TEXT = /^[\x20-\x7e\n]*$/;

function scalar(v: unknown, level: number): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v) && !Object.is(v, -0)) return String(v);
    throw UNSUPPORTED;
  }
  if (typeof v !== 'string') throw UNSUPPORTED;
  const known = written.get(v);
  if (known !== undefined) return known;
  if (!simpleText(v)) throw UNSUPPORTED;
  if (v.includes('\n')) {
    // A literal block; js-yaml ends a document open after one that keeps trailing blank lines.
    if (v.endsWith('\n\n')) throw UNSUPPORTED;
    const content = level * 2;
    const header = (/^\n* /.test(v) ? '2' : '') + (v.endsWith('\n') ? '' : '-');
    let body = '';
    for (const line of v.split('\n')) body += (line === '' ? '\n' : '\n' + ' '.repeat(content) + line);
    // split() leaves an empty last piece for a final line feed, which the block's end stands for.
    return '|' + header + (v.endsWith('\n') ? body.slice(0, -1) : body);
  }
  return plainOrQuoted(v);
}

function key(k: string): string {
  // A key over 1024 characters makes an explicit `? ` key; a line feed too.
  if (k.length > 1000) throw UNSUPPORTED;
  const known = written.get(k);
  if (known !== undefined) return known;
  if (!simpleText(k) || k.includes('\n')) throw UNSUPPORTED;
  return plainOrQuoted(k);
}

/**
 * One line of text as a key or a value, written the same either way: plain where it reads back
 * as itself, else in single quotes (js-yaml's preference). Remembered: keys repeat, and a dry run
 * writes each object twice (live and planned).
 */
const written = new Map<string, string>();

function plainOrQuoted(s: string): string {
  const out = canBePlain(s) ? s : `'${s.replace(/'/g, "''")}'`;
  written.set(s, out);
  return out;
}

/**
 * Text js-yaml writes plain, single-quoted or as a literal block, as this writer does; not text of
 * white space only, which it double-quotes. (Every scalar here is inside a collection, where a
 * `---` or `...` that starts it is no document marker.)
 */
function simpleText(s: string): boolean {
  return SIMPLE_TEXT.test(s) && !/^\s+$/.test(s);
}

/** YAML's indicator characters: a plain scalar cannot start with one, except `-?:` before a non-space. */
const INDICATORS = "-?:,[]{}#&*!|>'\"%@`";

/** A one-line string that reads back as itself when written plain (YAML 1.2 ns-plain-one-line, out of flow). */
function canBePlain(s: string): boolean {
  if (s === '' || s === '=' || s[0] === ' ' || s.endsWith(' ')) return false;
  if (INDICATORS.includes(s[0]!) && (!'-?:'.includes(s[0]!) || s.length < 2 || s[1] === ' ')) return false;
  for (let i = 1; i < s.length; i++) {
    if (s[i] === ':' && (i + 1 === s.length || s[i + 1] === ' ')) return false; // `: ` makes a key
    if (s[i] === '#' && s[i - 1] === ' ') return false; // ` #` starts a comment
  }
  return readsAsString(s);
}

/** What YAML 1.1 reads as a boolean or null (js-yaml's lists). */
const WORDS = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'false', 'False', 'FALSE', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);
/** The characters numbers and timestamps are made of, as js-yaml reads them. */
const NUMBER_CHARS = /^[-+0-9a-fA-FxXoOiInNtTzZ_:. ]*$/;

/**
 * Whether a plain scalar reads back as this string and not as true, 5000, null, 2001-12-14 or
 * the like. Only text that begins as a number, a timestamp, `~` or `<<` may need js-yaml's own
 * rules (loading js-yaml and compiling its patterns is the start-up cost this writer avoids): a
 * letter begins nothing but the words above, and `100m`, `256Mi` or `5000-tcp` hold a character
 * no number has.
 */
export function readsAsString(s: string): boolean {
  const c = s[0]!;
  const yamlSays = () => DUMP_SCHEMA.resolveImplicitScalarTag(s).tag.tagName === strTag.tagName;
  if (c === '~' || c === '<') return yamlSays();
  if (!'0123456789+-.'.includes(c)) return !WORDS.has(s);
  return !NUMBER_CHARS.test(s) || yamlSays();
}
