// The registry hostnames in an OpenShift 3.x master-config.yaml (seed 000, "Setting the Registry
// Hostname"): imagePolicyConfig.internalRegistryHostname / externalRegistryHostname.
// A text edit, not load-and-dump, so comments, key order and every other line stay as they
// were; the result is loaded back and checked before anyone writes it.
import { dump, load } from 'js-yaml';

export const DEFAULT_MASTER_CONFIG = '/etc/origin/master/master-config.yaml';
const SECTION = 'imagePolicyConfig';

export interface RegistryHostnames {
  internalRegistryHostname?: string;
  externalRegistryHostname?: string;
}

export interface HostnameEdit {
  text: string;
  /** `key: old → new` for each value that changes; empty when the file already says so. */
  changes: string[];
}

export class MasterConfigError extends Error {}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function scalar(value: string): string {
  return dump(value, { lineWidth: -1 }).trimEnd();
}

function parse(text: string): Obj {
  let doc: unknown;
  try {
    doc = load(text);
  } catch (e) {
    throw new MasterConfigError(`it is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (doc === undefined || doc === null) return {};
  if (!isObj(doc)) throw new MasterConfigError('it is not a YAML mapping (a master configuration starts with apiVersion: v1, kind: MasterConfig)');
  return doc;
}

export function setRegistryHostnames(text: string, want: RegistryHostnames): HostnameEdit {
  const before = parse(text);
  const section = before[SECTION];
  if (section !== undefined && section !== null && !isObj(section)) throw new MasterConfigError(`${SECTION} is not a mapping`);
  const current = (section ?? {}) as Obj;
  const wanted = Object.entries(want).filter((e): e is [string, string] => e[1] !== undefined);
  const changes = wanted.filter(([k, v]) => current[k] !== v).map(([k, v]) => `${SECTION}.${k}: ${current[k] === undefined ? '(unset)' : String(current[k])} → ${v}`);
  if (changes.length === 0) return { text, changes };

  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const trailing = lines.length > 0 && lines[lines.length - 1] === '';
  if (trailing) lines.pop();
  const head = lines.findIndex((l) => new RegExp(`^${SECTION}\\s*:`).test(l));

  if (head < 0) {
    lines.push(`${SECTION}:`, ...wanted.map(([k, v]) => `  ${k}: ${scalar(v)}`));
  } else if (!new RegExp(`^${SECTION}\\s*:\\s*(#.*)?$`).test(lines[head]!)) {
    // A flow mapping on one line (`imagePolicyConfig: {}`): rewrite that one entry as a block.
    const merged = { ...current, ...Object.fromEntries(wanted) };
    const body = dump(merged, { lineWidth: -1 }).trimEnd().split('\n').map((l) => `  ${l}`);
    lines.splice(head, 1, `${SECTION}:`, ...body);
  } else {
    // The block: the lines after the key that are indented, blank or comments.
    let end = head + 1;
    while (end < lines.length && (lines[end]!.trim() === '' || /^\s/.test(lines[end]!) || lines[end]!.startsWith('#'))) end++;
    while (end > head + 1 && (lines[end - 1]!.trim() === '' || lines[end - 1]!.startsWith('#'))) end--;
    const first = lines.slice(head + 1, end).find((l) => l.trim() !== '' && !l.trim().startsWith('#'));
    const indent = first ? /^(\s*)/.exec(first)![1]! : '  ';
    let insertAt = end;
    for (const [k, v] of wanted) {
      const at = lines.slice(head + 1, end).findIndex((l) => l.startsWith(`${indent}${k}:`) && !l.startsWith(`${indent} `));
      if (at >= 0) {
        const i = head + 1 + at;
        const comment = /\s+#.*$/.exec(lines[i]!.slice(indent.length + k.length + 1).replace(/'[^']*'|"[^"]*"/g, ''))?.[0] ?? '';
        lines[i] = `${indent}${k}: ${scalar(v)}${comment}`;
      } else {
        lines.splice(insertAt, 0, `${indent}${k}: ${scalar(v)}`);
        insertAt++;
        end++;
      }
    }
  }
  const out = lines.join(eol) + (trailing || head < 0 ? eol : '');

  // The edit must change exactly the wanted values and nothing else.
  const after = parse(out);
  const expected = { ...before, [SECTION]: { ...current, ...Object.fromEntries(wanted) } };
  if (JSON.stringify(sortKeys(after)) !== JSON.stringify(sortKeys(expected))) {
    throw new MasterConfigError(`regctl could not edit ${SECTION} without touching other settings; set ${wanted.map(([k, v]) => `${k}: ${v}`).join(', ')} by hand`);
  }
  return { text: out, changes };
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isObj(v)) return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
}

/** The units to restart after a master-config change, for each generation of 3.x (seeds 000, 003). */
export const MASTER_RESTART_COMMANDS = [
  'systemctl restart origin-master-api origin-master-controllers',
  '# OpenShift Enterprise 3.2 and older (one master unit): systemctl restart atomic-openshift-master',
];
