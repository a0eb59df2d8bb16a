// The --cert file rules (openshift-docs "Securing the Registry Console"), on files openssl made:
// certificates first, then one unencrypted key that belongs to the first certificate.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkCockpitCert, certFileName, certWarnings } from '../../src/pki/cockpit.js';
import { UsageError } from '../../src/errors.js';
import { CONSOLE_HOST, makeCerts, type CertFiles } from './certs.js';

let c: CertFiles;
before(() => {
  c = makeCerts();
});

const check = (path: string) => checkCockpitCert('--cert', path, readFileSync(path, 'utf8'));
const refused = (path: string, message: RegExp) =>
  assert.throws(() => check(path), (e: unknown) => e instanceof UsageError && e.exitCode === 2 && message.test(e.message), `expected ${message}`);

test('a server certificate, its CA, then the key: accepted, the first certificate is the server one', () => {
  const file = c.combine('console.cert', [c.serverCrt, c.caCrt, c.serverKey]);
  const ok = check(file);
  assert.match(ok.certificate.subject, new RegExp(`CN=${CONSOLE_HOST}`));
  assert.equal(ok.content, readFileSync(file, 'utf8'));
});

test('the key before the certificates is refused: cockpit-ws wants certificates first', () => {
  refused(c.combine('key-first.cert', [c.serverKey, c.serverCrt]), /--cert: in ".*key-first\.cert" the private key comes before a certificate; put the certificates first/);
  refused(c.combine('key-between.cert', [c.serverCrt, c.serverKey, c.caCrt]), /the private key comes before a certificate/);
});

test('an encrypted key is refused, PKCS#8 or traditional (cockpit-ws cannot ask for a passphrase)', () => {
  refused(c.combine('enc.cert', [c.serverCrt, c.encryptedKey]), /--cert: ".*enc\.cert" holds an encrypted private key/);
  refused(c.combine('enc-trad.cert', [c.serverCrt, c.encryptedTraditionalKey]), /holds an encrypted private key/);
});

test('a key that does not belong to the first certificate is refused', () => {
  refused(c.combine('mismatch.cert', [c.serverCrt, c.otherKey]), /--cert: in ".*mismatch\.cert" the private key does not belong to the first certificate/);
  // The CA first and the server certificate second: the key matches the second, not the first.
  refused(c.combine('ca-first.cert', [c.caCrt, c.serverCrt, c.serverKey]), /does not belong to the first certificate/);
});

test('a file without a key, without a certificate, or with two keys is refused', () => {
  refused(c.combine('nokey.cert', [c.serverCrt]), /contains no private key; append the unencrypted key/);
  refused(c.combine('nocert.cert', [c.serverKey]), /contains no PEM certificate/);
  refused(c.combine('twokeys.cert', [c.serverCrt, c.serverKey, c.otherKey]), /contains 2 private keys/);
});

test('the certificate is checked against the console host: a warning (not a refusal) when it lacks the name', () => {
  const { certificate } = check(c.combine('console.cert', [c.serverCrt, c.serverKey]));
  const now = new Date();
  assert.deepEqual(certWarnings(certificate, CONSOLE_HOST, now), []);
  const w = certWarnings(certificate, 'console.other.example.com', now);
  assert.equal(w.length, 1);
  assert.match(w[0]!, /does not name console\.other\.example\.com \(its names: registry-console-default\.apps\.example\.com\)/);
  assert.match(certWarnings(certificate, CONSOLE_HOST, new Date(Date.now() + 10 * 86400_000))[0]!, /expired on/);
});

test('the secret key is the file name, ending in .cert as cockpit-ws requires', () => {
  assert.equal(certFileName('/path/to/console.cert'), 'console.cert');
  assert.equal(certFileName('/path/to/console.pem'), 'console.cert');
  assert.equal(certFileName('server.crt'), 'server.cert');
  assert.equal(certFileName('bundle'), 'bundle.cert');
  assert.throws(() => certFileName('/tmp/my cert.cert'), /--cert: "my cert\.cert" cannot be a secret key/);
});

test('a file the check accepts serves TLS for the console host: openssl s_server loads it, a client trusting the CA verifies the name', { timeout: 30_000 }, async () => {
  const { spawn } = await import('node:child_process');
  const { createServer } = await import('node:net');
  const tls = await import('node:tls');
  const file = c.combine('served.cert', [c.serverCrt, c.caCrt, c.serverKey]);
  check(file);
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  // The same file as certificate and key, as cockpit-ws reads it.
  const server = spawn('openssl', ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', file, '-key', file, '-naccept', '1'], { stdio: ['pipe', 'pipe', 'pipe'] });
  // Bounds the wait for the server, so a broken openssl fails the test instead of hanging it.
  const bound = setTimeout(() => server.kill(), 20_000);
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const seen = (d: Buffer) => {
        out += d;
        if (/ACCEPT/.test(out)) resolve();
      };
      server.stdout.on('data', seen);
      server.stderr.on('data', seen);
      server.once('exit', (code) => reject(new Error(`openssl s_server exited ${code}: ${out}`)));
    });
    const peer = await new Promise<string>((resolve, reject) => {
      const sock = tls.connect({ host: '127.0.0.1', port, servername: CONSOLE_HOST, ca: readFileSync(c.caCrt) }, () => {
        const cn = sock.getPeerCertificate().subject.CN;
        sock.end();
        resolve(String(Array.isArray(cn) ? cn[0] : cn));
      });
      sock.once('error', reject);
    });
    assert.equal(peer, CONSOLE_HOST);
  } finally {
    clearTimeout(bound);
    server.kill();
  }
});
