// The real world's randomness: the kernel's generator, read without loading node:crypto.
import test from 'node:test';
import assert from 'node:assert/strict';
import { systemRandomBytes } from '../../src/host/random.js';

test('systemRandomBytes: the length asked for, different every call, every byte value in use', () => {
  const a = systemRandomBytes(70_000);
  const b = systemRandomBytes(70_000);
  assert.equal(a.length, 70_000);
  assert.ok(!Buffer.from(a).equals(Buffer.from(b)));
  assert.equal(new Set(a).size, 256);
  assert.equal(systemRandomBytes(0).length, 0);
});
