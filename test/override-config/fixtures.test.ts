// The config corpus (test/fixtures/registry-config): each file's header says which findings
// `override-config --check` must report (severity, path, line) and what the real upstream
// registry does with it. What regctl calls valid, the registry serves; what regctl rejects for
// an upstream reason, the registry refuses too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkRegistryConfig } from '../../src/registry-config/check.js';
import { regctl } from '../support/run.js';
import { haveDockerRegistry, serveRegistry } from '../support/registry-config-server.js';
import { upstreamConfig } from '../support/upstream-config.js';

const DIR = fileURLToPath(new URL('../fixtures/registry-config/', import.meta.url));

interface Fixture {
  name: string;
  path: string;
  text: string;
  expected: string[];
  upstream?: { accepts: true } | { rejects: string };
}

function fixtures(): Fixture[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.yml'))
    .sort()
    .map((name) => {
      const path = join(DIR, name);
      const text = readFileSync(path, 'utf8');
      const expected: string[] = [];
      let upstream: Fixture['upstream'];
      for (const line of text.split('\n')) {
        const e = /^# expect: (error|warning) (\S+)(?: line (\d+))?/.exec(line);
        if (e) expected.push(`${e[1]} ${e[2] === '(root)' ? '' : e[2]}${e[3] ? ' line ' + e[3] : ''}`);
        const u = /^# upstream: (accepts|rejects (.*))$/.exec(line);
        if (u) upstream = u[1] === 'accepts' ? { accepts: true } : { rejects: u[2]! };
      }
      return { name, path, text, expected, upstream };
    });
}

const key = (f: { severity: string; path: string; line?: number }) => `${f.severity} ${f.path}${f.line !== undefined ? ' line ' + f.line : ''}`;

const all = fixtures();

test('the corpus has the documents\' examples and a broken variant for each rule', () => {
  const names = all.map((f) => f.name);
  for (const n of ['default.yml', 's3.yml', 's3-cloudfront.yml', 'notifications.yml']) assert.ok(names.includes(n), n);
  assert.ok(all.length >= 40, `only ${all.length} fixtures`);
});

for (const f of all) {
  const what = f.expected.length === 0 ? 'checks clean' : `reports ${f.expected.join(', ')}`;
  test(`--check ${f.name} ${what}`, () => {
    const r = checkRegistryConfig(f.text);
    assert.deepEqual(r.findings.map(key).sort(), [...f.expected].sort(), JSON.stringify(r.findings, null, 2));
    for (const finding of r.findings) assert.ok(finding.fix.length > 0, `${finding.path} has a fix`);
  });
}

test('the built CLI exits 1 exactly for the fixtures with errors, 0 for warnings only, and -o json carries the same findings', async () => {
  for (const f of all) {
    const errors = f.expected.filter((e) => e.startsWith('error')).length;
    const human = await regctl(['override-config', '--check', f.path]);
    assert.equal(human.code, errors ? 1 : 0, `${f.name}: ${human.stderr}`);
    for (const e of f.expected) {
      const m = / line (\d+)$/.exec(e);
      if (m) assert.match(human.stdout, new RegExp(`${f.name}:${m[1]}: ${e.split(' ')[0]}: `), f.name);
    }
    const json = await regctl(['override-config', '--check', f.path, '-o', 'json']);
    assert.equal(json.code, human.code, f.name);
    const data = JSON.parse(json.stdout) as { valid: boolean; errors: number; findings: { severity: string; path: string; line?: number }[] };
    assert.equal(data.valid, errors === 0, f.name);
    assert.equal(data.errors, errors, f.name);
    assert.deepEqual(data.findings.map(key).sort(), [...f.expected].sort(), f.name);
  }
});

const skip = haveDockerRegistry ? false : 'needs /usr/bin/docker-registry (Debian package docker-registry)';

for (const f of all.filter((x) => x.upstream && 'accepts' in x.upstream)) {
  test(`the real registry serves the upstream part of ${f.name} (GET /v2/ is 200)`, { skip }, async () => {
    const r = await serveRegistry((port, root) => upstreamConfig(f.text, port, root));
    assert.equal(r.status, 200, r.output);
  });
}

for (const f of all.filter((x) => x.upstream && 'rejects' in x.upstream)) {
  const reason = (f.upstream as { rejects: string }).rejects;
  test(`the real registry refuses ${f.name} too: "${reason}"`, { skip }, async () => {
    assert.ok(f.expected.some((e) => e.startsWith('error')), 'regctl rejects it');
    const r = await serveRegistry((port, root) => upstreamConfig(f.text, port, root));
    assert.equal(r.status, undefined, `it served: ${r.output}`);
    assert.notEqual(r.exitCode, 0);
    assert.ok(r.output.toLowerCase().includes(reason.toLowerCase()), `expected "${reason}" in:\n${r.output}`);
  });
}

test('every fixture regctl accepts (no errors) and that names no upstream verdict is still served by the real registry', { skip }, async () => {
  for (const f of all.filter((x) => !x.expected.some((e) => e.startsWith('error')))) {
    const r = await serveRegistry((port, root) => upstreamConfig(f.text, port, root));
    assert.equal(r.status, 200, `${f.name}: ${r.output}`);
  }
});
