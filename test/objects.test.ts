// What plans compare objects by.
import test from 'node:test';
import assert from 'node:assert/strict';
import { sameData } from '../src/objects.js';

const secret = (data?: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, ...(data ? { data } : {}) });

test('sameData: the same keys and values in any order; a different value or key is different; no data is {}', () => {
  assert.ok(sameData(secret({ 'tls.crt': 'A', 'tls.key': 'B' }), secret({ 'tls.key': 'B', 'tls.crt': 'A' })));
  assert.ok(!sameData(secret({ 'tls.crt': 'A', 'tls.key': 'B' }), secret({ 'tls.crt': 'A', 'tls.key': 'C' })));
  assert.ok(!sameData(secret({ 'tls.crt': 'A' }), secret({ 'tls.crt': 'A', 'tls.key': 'B' })));
  assert.ok(!sameData(secret({ a: 'A' }), secret({ b: 'A' })));
  assert.ok(sameData(secret(), secret({})));
});
