// A YAML document as a tree that remembers where each value is (1-based lines) and how each
// scalar was written, so a config check can name the line and judge a value the way the
// registry's Go YAML decoder (yaml.v2, YAML 1.1 scalars) would.
import { parseEvents, getScalarValue, EVENT_ID, type Event, type ScalarEvent } from 'js-yaml';

export interface ScalarNode {
  kind: 'scalar';
  line: number;
  /** The decoded text ("0.1", "true", "168h"). */
  text: string;
  /** Quoted or block scalars are always strings; plain ones are resolved. */
  plain: boolean;
  /** The value yaml.v2 would decode into an interface{}. */
  value: unknown;
}
export interface MapEntry {
  key: string;
  keyLine: number;
  value: YNode;
}
export interface MapNode {
  kind: 'map';
  line: number;
  entries: MapEntry[];
}
export interface SeqNode {
  kind: 'seq';
  line: number;
  items: YNode[];
}
export type YNode = ScalarNode | MapNode | SeqNode;

export class YamlSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUES = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSES = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);

/** A plain scalar as yaml.v2 resolves it: null, bool (YAML 1.1 spellings), int, float or string. */
export function resolvePlain(text: string): unknown {
  if (NULLS.has(text)) return null;
  if (TRUES.has(text)) return true;
  if (FALSES.has(text)) return false;
  const t = text.replace(/_/g, '');
  if (/^[-+]?(0|[1-9][0-9]*)$/.test(t)) return Number(t);
  if (/^[-+]?0x[0-9a-fA-F]+$/.test(t)) return (t.startsWith('-') ? -1 : 1) * parseInt(t.replace(/^[-+]?0x/, ''), 16);
  if (/^[-+]?0[0-7]+$/.test(t)) return (t.startsWith('-') ? -1 : 1) * parseInt(t.replace(/^[-+]?0/, ''), 8);
  if (/^[-+]?0b[01]+$/.test(t)) return (t.startsWith('-') ? -1 : 1) * parseInt(t.replace(/^[-+]?0b/, ''), 2);
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(t)) return Number(t);
  if (/^[-+]?\.(inf|Inf|INF)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^\.(nan|NaN|NAN)$/.test(t)) return NaN;
  return text;
}

function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** Parses one YAML document; null when it is empty. Throws YamlSyntaxError with the line. */
export function parseYamlSource(text: string): YNode | null {
  let events: Event[];
  try {
    events = parseEvents(text, {});
  } catch (e) {
    const err = e as { reason?: string; mark?: { line: number }; message: string };
    throw new YamlSyntaxError(err.reason ?? err.message, (err.mark?.line ?? 0) + 1);
  }
  const lineOf = lineIndex(text);
  const anchors = new Map<string, YNode>();
  let i = 0;
  let documents = 0;
  let root: YNode | null = null;

  const anchorName = (e: { anchorStart: number; anchorEnd: number }) => (e.anchorStart >= 0 ? text.slice(e.anchorStart + 1, e.anchorEnd) : undefined);
  const tagOf = (e: { tagStart: number; tagEnd: number }) => (e.tagStart >= 0 ? text.slice(e.tagStart, e.tagEnd) : undefined);

  function scalar(e: ScalarEvent): ScalarNode {
    const t = getScalarValue(text, e);
    const tag = tagOf(e);
    const plain = e.style === 1 && (tag === undefined || tag === '!');
    let value: unknown = plain ? resolvePlain(t) : t;
    if (tag === '!!int' || tag === '!!float') value = Number(t);
    if (tag === '!!bool') value = TRUES.has(t);
    return { kind: 'scalar', line: lineOf(e.valueStart >= 0 ? e.valueStart : e.anchorStart), text: t, plain, value };
  }

  function node(): YNode {
    const e = events[i++]!;
    let n: YNode;
    switch (e.type) {
      case EVENT_ID.SCALAR:
        n = scalar(e);
        break;
      case EVENT_ID.ALIAS: {
        const name = text.slice(e.anchorStart + 1, e.anchorEnd);
        const target = anchors.get(name);
        if (!target) throw new YamlSyntaxError(`unknown alias "*${name}"`, lineOf(e.anchorStart));
        return target;
      }
      case EVENT_ID.MAPPING: {
        const m: MapNode = { kind: 'map', line: lineOf(e.start), entries: [] };
        while (events[i]!.type !== EVENT_ID.POP) {
          const k = node();
          const v = node();
          const key = k.kind === 'scalar' ? k.text : JSON.stringify(toValue(k));
          // yaml.v2 takes a repeated key: each value is decoded in turn, the last one stays.
          m.entries.push({ key, keyLine: k.line, value: v });
        }
        i++;
        n = m;
        break;
      }
      case EVENT_ID.SEQUENCE: {
        const s: SeqNode = { kind: 'seq', line: lineOf(e.start), items: [] };
        while (events[i]!.type !== EVENT_ID.POP) s.items.push(node());
        i++;
        n = s;
        break;
      }
      default:
        throw new YamlSyntaxError('unexpected YAML structure', 1);
    }
    const a = 'anchorStart' in e ? anchorName(e) : undefined;
    if (a) anchors.set(a, n);
    return n;
  }

  while (i < events.length) {
    const e = events[i++]!;
    if (e.type !== EVENT_ID.DOCUMENT) continue;
    documents++;
    if (documents > 1) throw new YamlSyntaxError('more than one YAML document ("---"); the registry reads only one', 1);
    if (events[i]?.type === EVENT_ID.POP) root = null;
    else root = node();
    i++; // the document's POP
  }
  return root;
}

/**
 * The plain data the registry would decode. Numbers whose text a number cannot keep (`1.0`,
 * `0.10`, `010`) stay as written: the registry reads its versions as text.
 */
export function toValue(n: YNode | null | undefined): unknown {
  if (!n) return null;
  switch (n.kind) {
    case 'scalar':
      return typeof n.value === 'number' && String(n.value) !== n.text ? n.text : n.value;
    case 'seq':
      return n.items.map(toValue);
    case 'map': {
      const o: Record<string, unknown> = {};
      for (const e of n.entries) o[e.key] = toValue(e.value);
      return o;
    }
  }
}

/** A key's entry; of a repeated key, the last (the one yaml.v2 keeps). */
export function entry(n: YNode | undefined, key: string): MapEntry | undefined {
  return n?.kind === 'map' ? [...n.entries].reverse().find((e) => e.key === key) : undefined;
}

export function child(n: YNode | undefined, key: string): YNode | undefined {
  return entry(n, key)?.value;
}
