// Reading and editing the 3.x node file /etc/sysconfig/docker (REFERENCE.md §6): a shell
// fragment of VAR='…' lines that the docker unit passes word-split to the daemon
// ($OPTIONS … $ADD_REGISTRY $BLOCK_REGISTRY $INSECURE_REGISTRY). Pure text in, text out:
// only the lines regctl means to change are rewritten, everything else is kept byte for byte.

export const ADD_REGISTRY = 'ADD_REGISTRY';
export const BLOCK_REGISTRY = 'BLOCK_REGISTRY';
export const INSECURE_REGISTRY = 'INSECURE_REGISTRY';
export const OPTIONS = 'OPTIONS';

const FLAG_OF: Record<string, string> = {
  [ADD_REGISTRY]: '--add-registry',
  [BLOCK_REGISTRY]: '--block-registry',
  [INSECURE_REGISTRY]: '--insecure-registry',
};

type Quote = "'" | '"' | '';

/** One active (uncommented) `NAME=value` assignment and where it sits in the text. */
export interface Assignment {
  name: string;
  /** The value after shell unquoting. */
  value: string;
  /** The quote the value opens with ('' when unquoted or mixed). */
  quote: Quote;
  /** Offsets of the whole assignment: from the line start to the end of the value. */
  start: number;
  end: number;
  /** Indentation and `export ` before the name. */
  lead: string;
}

const ASSIGNMENT_START = /^([ \t]*(?:export[ \t]+)?)([A-Za-z_][A-Za-z0-9_]*)=/gm;
const COMMENTED_ASSIGNMENT = /^[ \t]*#[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)=.*$/gm;

/** Scans a shell word (quotes, backslashes) from `i`; returns the unquoted text and where it stops. */
function scanValue(text: string, i: number): { value: string; end: number; quote: Quote } {
  let value = '';
  const first = text[i];
  let quote: Quote = first === "'" || first === '"' ? first : '';
  let quotedParts = 0;
  let bareParts = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      const stop = close < 0 ? text.length : close;
      value += text.slice(i + 1, stop);
      i = close < 0 ? text.length : close + 1;
      quotedParts++;
    } else if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length && '$`"\\\n'.includes(text[i + 1]!)) {
          if (text[i + 1] !== '\n') value += text[i + 1];
          i += 2;
        } else value += text[i++];
      }
      i++;
      quotedParts++;
    } else if (c === '\\') {
      if (text[i + 1] !== '\n' && i + 1 < text.length) value += text[i + 1];
      i += 2;
      bareParts++;
    } else if (c === ' ' || c === '\t' || c === '\n' || c === ';' || c === '\r') {
      break;
    } else {
      value += c;
      i++;
      bareParts++;
    }
  }
  if (quotedParts !== 1 || bareParts !== 0) quote = '';
  return { value, end: Math.min(i, text.length), quote };
}

/** Every active assignment, in file order (a multi-line quoted value counts once). */
export function findAssignments(text: string): Assignment[] {
  const out: Assignment[] = [];
  ASSIGNMENT_START.lastIndex = 0;
  let resumeAt = 0;
  for (let m = ASSIGNMENT_START.exec(text); m; m = ASSIGNMENT_START.exec(text)) {
    if (m.index < resumeAt) continue; // inside an earlier multi-line value
    const scanned = scanValue(text, m.index + m[0].length);
    out.push({ name: m[2]!, value: scanned.value, quote: scanned.quote, start: m.index, end: scanned.end, lead: m[1]! });
    resumeAt = scanned.end;
    ASSIGNMENT_START.lastIndex = Math.max(ASSIGNMENT_START.lastIndex, scanned.end);
  }
  return out;
}

/** The assignment the shell keeps: the last one for that name. */
export function lastAssignment(text: string, name: string): Assignment | undefined {
  return findAssignments(text).filter((a) => a.name === name).at(-1);
}

/** Values of `flag` in a word list, in both `--flag=x` and `--flag x` styles. */
export function flagValues(words: string[], flag: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === flag) {
      const next = words[i + 1];
      if (next !== undefined && !next.startsWith('-')) {
        out.push(next);
        i++;
      }
    } else if (w.startsWith(flag + '=')) out.push(w.slice(flag.length + 1));
  }
  return out;
}

export const words = (value: string): string[] => value.split(/\s+/).filter((w) => w !== '');

export interface DockerRegistryLists {
  /** Registries searched and allowed (`--add-registry`), first searched first. */
  add: string[];
  /** `--block-registry` values; `all` blocks every registry not added. */
  block: string[];
  insecure: string[];
}

/** The registry lists docker would get from this file: OPTIONS first, then the three variables. */
export function readRegistryLists(text: string): DockerRegistryLists {
  const options = words(lastAssignment(text, OPTIONS)?.value ?? '');
  const of = (name: string) => [...flagValues(options, FLAG_OF[name]!), ...flagValues(words(lastAssignment(text, name)?.value ?? ''), FLAG_OF[name]!)];
  return { add: of(ADD_REGISTRY), block: of(BLOCK_REGISTRY), insecure: of(INSECURE_REGISTRY) };
}

function quoted(value: string, quote: Quote): string {
  if (quote === '"') return '"' + value.replace(/(["\\$`])/g, '\\$1') + '"';
  return "'" + value.replace(/'/g, `'\\''`) + "'";
}

/**
 * Sets `name` to `value` (single-quoted): the last active assignment is rewritten in place;
 * else the last commented-out `# NAME=…` line is uncommented; else a line is appended.
 */
export function setVariable(text: string, name: string, value: string): string {
  const line = `${name}=${quoted(value, "'")}`;
  const active = lastAssignment(text, name);
  if (active) return text.slice(0, active.start) + active.lead + line + text.slice(active.end);
  let commented: { start: number; end: number } | undefined;
  COMMENTED_ASSIGNMENT.lastIndex = 0;
  for (let m = COMMENTED_ASSIGNMENT.exec(text); m; m = COMMENTED_ASSIGNMENT.exec(text)) {
    if (m[1] === name) commented = { start: m.index, end: m.index + m[0].replace(/\r$/, '').length };
  }
  if (commented) return text.slice(0, commented.start) + line + text.slice(commented.end);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return text + (text === '' || text.endsWith('\n') ? '' : eol) + line + eol;
}

/**
 * The documented whitelist (seeds 000, 003): every registry blocked but the added ones.
 * `BLOCK_REGISTRY='--block-registry=all'`, `ADD_REGISTRY='--add-registry=r1 --add-registry=r2'`.
 */
export function setRegistryWhitelist(text: string, registries: string[]): string {
  const withBlock = setVariable(text, BLOCK_REGISTRY, `${FLAG_OF[BLOCK_REGISTRY]}=all`);
  return setVariable(withBlock, ADD_REGISTRY, registries.map((r) => `${FLAG_OF[ADD_REGISTRY]}=${r}`).join(' '));
}

/** Drops `flag value` / `flag=value` pairs for `registry` from a word list. */
function withoutFlagValue(ws: string[], flag: string, registry: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i]!;
    if (w === flag && ws[i + 1] === registry) i++;
    else if (w !== `${flag}=${registry}`) out.push(w);
  }
  return out;
}

/**
 * For `regctl secure`: once the registry serves TLS, its `--insecure-registry <host:port>` entry
 * is dropped from INSECURE_REGISTRY and OPTIONS. Other words keep their order and style.
 */
export function removeInsecureRegistry(text: string, registry: string): string {
  let out = text;
  for (const name of [INSECURE_REGISTRY, OPTIONS]) {
    const a = lastAssignment(out, name);
    if (!a) continue;
    const before = words(a.value);
    const after = withoutFlagValue(before, FLAG_OF[INSECURE_REGISTRY]!, registry);
    if (after.length === before.length) continue;
    out = out.slice(0, a.start) + a.lead + `${name}=${quoted(after.join(' '), a.quote)}` + out.slice(a.end);
  }
  return out;
}
