// regctl's YAML writer against js-yaml's dump(), the reference: the same bytes for every value,
// whether the writer handles it or hands it over. Awkward strings as values, keys and items;
// seeded random strings over YAML's special characters; and what commands really print.
import test from 'node:test';
import assert from 'node:assert/strict';
import { dump, load } from 'js-yaml';
import { DUMP_OPTIONS, toYaml, writeYaml } from '../../src/output/yaml.js';
import { run } from '../support/world.js';

const reference = (v: unknown) => dump(v, DUMP_OPTIONS);

const AWKWARD = [
  'yes', 'no', 'on', 'off', 'y', 'n', 'Y', 'true', 'True', 'TRUE', 'false', 'null', 'Null', '~', '', '=', '<<', '1e3', '0x10', '0o10',
  '1_000', '12:30', '190:20:30', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '.5', '+1', '-1', '-', '- a', 'a: b', 'a:b', 'a::b',
  'a:', 'ab: ', 'a #b', 'a#b', '#a', ' a', 'a ', 'a  b', '10Gi', '5000/tcp', 'docker.io/openshift/origin-docker-registry:v3.11',
  '@a', '`a', '%a', '!a', '&a', '*a', '|a', '>a', "'a", '"a', "it's", '?a', '? a', ':a', ': a', '-a', '.inf', '.NaN', 'NaN', '0',
  '00', '0777', '1.0', '1.', '-.5', '0b101', '{a}', '[a]', 'a,b', 'a]', '---', '--- a', '...', 'a...', 'e1', '1e', 'registry.json',
  'a\nb', 'a\n', 'a\n\n', ' a\nb', '\n a', 'a\n\nb', 'a\n  \nb', 'a\n---\nb', 'key: value\nother: 1\n', '   ', '\n', '\ta', 'a\tb',
  'a\r\nb', 'é', 'caf\u00e9', '\u2028', 'x'.repeat(1100),
];

test('yaml: awkward strings as values, keys and sequence items are written as js-yaml writes them', () => {
  const values: Record<string, string> = {};
  AWKWARD.forEach((s, i) => (values[`k${i}`] = s));
  const keys = Object.fromEntries(AWKWARD.map((s) => [s, 1]));
  for (const v of [values, keys, AWKWARD, { nested: { list: AWKWARD.map((s) => ({ name: s, value: [s] })) } }]) assert.equal(toYaml(v), reference(v));
  for (const s of AWKWARD) {
    for (const v of [{ s }, [s], { [s]: s }, [[s]], { a: { b: [{ c: s }] } }]) assert.equal(toYaml(v), reference(v), JSON.stringify(v));
  }
});

test('yaml: shapes: empty collections, nesting, numbers, booleans, null, undefined, non-ASCII and floats', () => {
  const shapes: unknown[] = [
    {}, [], [[]], [{}], { a: [] }, { a: {} }, { a: [[1, 2], { b: [3] }, []] }, [[['x']]], [{ a: 1, b: { c: [] } }],
    { n: [0, -3, 5000, Number.MAX_SAFE_INTEGER, -0, 1.5, 1e21, NaN, Infinity] }, { t: true, f: false, z: null },
    { a: undefined, b: 1 }, [undefined], { u: 'café' }, { 'ключ': 1 }, Object.create(null), { d: new Date(0) },
  ];
  for (const v of shapes) assert.equal(toYaml(v), reference(v), JSON.stringify(v));
});

test('yaml: random strings over YAML special characters read back as themselves, in the reference bytes', () => {
  let seed = 42;
  const next = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const alphabet = ['a', 'Z', '0', '1', '.', '-', '+', ':', '#', ' ', '\n', "'", '"', '?', ',', '[', '{', '&', '*', '!', '|', '>', '%', '@', '`', '~', '_', '/', '=', '<', 'e', 'x', 'y', 'n', 'o'];
  for (let i = 0; i < 3000; i++) {
    const s = Array.from({ length: 1 + Math.floor(next() * 8) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    const v = { value: s, [s]: [s, { s }] };
    const text = toYaml(v);
    assert.equal(text, reference(v), JSON.stringify(s));
    assert.deepEqual(load(text), v);
  }
});

test('yaml: what the commands print is written by regctl, not handed to js-yaml, and matches it', async () => {
  const runs = [
    ['deploy', '-o', 'json'],
    ['deploy', '--platform=kubernetes', '--pvc=registry-storage', '-o', 'json'],
    ['deploy', '--platform=openshift4', '--replicas=2', '-o', 'json'],
    ['deploy', '--mount-host=/data', '--ports=5000', '-o', 'json'],
  ];
  for (const args of runs) {
    const r = await run(args);
    assert.equal(r.code, 0, r.stderr);
    const list = JSON.parse(r.stdout);
    assert.ok(list.items.length > 0);
    assert.equal(writeYaml(list), reference(list), args.join(' '));
  }
  // A config.yml in a ConfigMap and a certificate: multi-line text as literal blocks.
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', data: { 'config.yml': 'version: 0.1\nlog:\n  level: info\nhttp:\n  addr: :5000\n', 'ca.crt': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' } };
  assert.equal(writeYaml(configMap), reference(configMap));
});

test('yaml: which plain scalars read back as strings is decided as js-yaml decides it', async () => {
  const { DUMP_SCHEMA, strTag } = await import('js-yaml');
  const { readsAsString } = await import('../../src/output/yaml.js');
  const isString = (s: string) => DUMP_SCHEMA.resolveImplicitScalarTag(s).tag.tagName === strTag.tagName;
  // Every string of up to three characters over what numbers, timestamps, booleans and nulls are made of.
  const chars = [...'0159+-._:~<xXoObBeEtTzZiInNaAfFyYsluLUmM /%'];
  const strings = [''].concat(chars);
  for (const a of chars) for (const b of chars) strings.push(a + b, ...chars.map((c) => a + b + c));
  // Words, their cases, and the forms of numbers and timestamps.
  for (const w of ['null', 'true', 'false', 'yes', 'no', 'on', 'off', 'nan', 'inf', 'NaN']) strings.push(w, w.toUpperCase(), w[0]!.toUpperCase() + w.slice(1), `${w}x`, `.${w}`, `-.${w}`, `+.${w}`);
  strings.push('5000', '0777', '0o17', '0x1F', '0b101', '1_000', '190:20:30', '1.5e+3', '1e3', '6.8523015e+5', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 Z', '100m', '256Mi', '5000-tcp', '25%', '172.30.0.2', '3.11', '-1', '+12', '.5', '<<', '~');
  for (const s of strings.filter((x) => x !== '' && !x.startsWith(' ') && !x.endsWith(' '))) assert.equal(readsAsString(s), isString(s), JSON.stringify(s));
});
