// The pure parts of the pki module: how names become CN and SANs, and the serial file format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalIP, certificateNames, missingNames } from '../../src/pki/names.js';
import { formatSerial, nextSerial, parseSerial, randomSerial, serialHex } from '../../src/pki/serial.js';

test('names are de-duplicated and sorted byte-wise; CN is the first; IPs are IP SANs and also DNS SANs after the names', () => {
  assert.deepEqual(certificateNames(['docker-registry.default.svc.cluster.local', '172.30.1.2', 'docker-registry.default.svc', '172.30.1.2']), {
    commonName: '172.30.1.2',
    dnsNames: ['docker-registry.default.svc', 'docker-registry.default.svc.cluster.local', '172.30.1.2'],
    ips: ['172.30.1.2'],
  });
  assert.equal(certificateNames(['b.example.com', 'B.example.com', 'a.example.com']).commonName, 'B.example.com', 'upper case sorts first, as Go does');
});

test('a certificate covers a name when it has it as a DNS SAN (or by wildcard, one label deep) and an IP only as an IP SAN', () => {
  const have = { dnsNames: ['registry.example.com', '*.apps.example.com', '10.0.0.1'], ips: ['10.0.0.1', 'FD00:0:0:0:0:0:0:5'] };
  assert.deepEqual(missingNames(have, ['REGISTRY.example.com', 'x.apps.example.com', '10.0.0.1', 'fd00::5']), []);
  assert.deepEqual(missingNames(have, ['a.b.apps.example.com', 'apps.example.com', '10.0.0.2', 'other.example.com']), ['a.b.apps.example.com', 'apps.example.com', '10.0.0.2', 'other.example.com']);
  assert.deepEqual(missingNames({ dnsNames: ['10.0.0.9'], ips: [] }, ['10.0.0.9']), ['10.0.0.9'], 'an IP written only as a DNS name does not count');
});

test('IPv6 addresses compare in one spelling', () => {
  assert.equal(canonicalIP('::1'), canonicalIP('0:0:0:0:0:0:0:1'));
  assert.equal(canonicalIP('FD00::5'), 'fd00:0:0:0:0:0:0:5');
  assert.equal(canonicalIP('::ffff:10.0.0.1'), canonicalIP('0:0:0:0:0:ffff:a00:1'));
});

test('the serial file holds the last serial issued, in upper-case hex with an even number of digits and a newline', () => {
  assert.equal(formatSerial(0n), '00\n');
  assert.equal(formatSerial(2n), '02\n');
  assert.equal(formatSerial(255n), 'FF\n');
  assert.equal(formatSerial(256n), '0100\n');
  assert.equal(parseSerial('0A\n'), 10n);
  assert.equal(parseSerial(' ff '), 255n);
  assert.equal(parseSerial('12x'), undefined);
  assert.equal(parseSerial(''), undefined);
});

test('the first certificate after a new CA gets serial 2 (1 is the CA), then each one the next', () => {
  assert.equal(nextSerial(0n), 2n);
  assert.equal(nextSerial(1n), 2n);
  assert.equal(nextSerial(2n), 3n);
});

test('serials are encoded positive: a leading 00 when the top bit is set', () => {
  assert.equal(serialHex(2n), '02');
  assert.equal(serialHex(0x80n), '0080');
  assert.equal(serialHex(0x1234n), '1234');
  const r = randomSerial(new Uint8Array([0xff, 1, 2, 3, 4, 5, 6, 7]));
  assert.ok(r > 1n && r < 2n ** 63n);
});
