// `regctl ca`: every certificate checked by openssl itself (verify, x509 -text), files and
// modes on disk, the serial sequence, and each refusal leaving the directory untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { regctl } from '../support/run.js';
import { run } from '../support/world.js';
import { mode, openssl, opensslCA, snapshot, tempDir, verify, x509Text } from '../support/pki.js';

const DAY = 24 * 3600 * 1000;

/** In-process, on the real clock: openssl checks validity against it. */
const inProcess = (args: string[], env?: NodeJS.ProcessEnv) => run(args, { now: new Date(), env });

function notAfter(text: string): Date {
  return new Date(/Not After : (.*)/.exec(text)![1]!);
}
function notBefore(text: string): Date {
  return new Date(/Not Before: (.*)/.exec(text)![1]!);
}
function sanLine(text: string): string {
  return /X509v3 Subject Alternative Name: *\n\s*(.*)/.exec(text)![1]!.trim();
}

async function signer(dir: string, extra: string[] = []) {
  const r = await inProcess(['ca', 'create-signer-cert', '--cert', join(dir, 'ca.crt'), '--key', join(dir, 'ca.key'), '--serial', join(dir, 'ca.serial.txt'), ...extra]);
  assert.equal(r.code, 0, r.stderr);
  return { cert: join(dir, 'ca.crt'), key: join(dir, 'ca.key'), serial: join(dir, 'ca.serial.txt') };
}

function serverArgs(dir: string, hostnames: string, name = 'registry'): string[] {
  return [
    'ca', 'create-server-cert',
    '--signer-cert', join(dir, 'ca.crt'), '--signer-key', join(dir, 'ca.key'), '--signer-serial', join(dir, 'ca.serial.txt'),
    '--hostnames', hostnames, '--cert', join(dir, `${name}.crt`), '--key', join(dir, `${name}.key`),
  ];
}

test('create-signer-cert writes a self-signed CA: CA:TRUE, keyCertSign, CN from --name, serial 1, five years, key 0600, serial file "00" (spawned)', async (t) => {
  const dir = tempDir(t);
  const r = await regctl(['ca', 'create-signer-cert', '--cert', join(dir, 'ca.crt'), '--key', join(dir, 'ca.key'), '--serial', join(dir, 'ca.serial.txt'), '--name', 'my-registry-ca']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /created the signer "CN=my-registry-ca"/);
  const ca = { cert: join(dir, 'ca.crt'), key: join(dir, 'ca.key'), serial: join(dir, 'ca.serial.txt') };
  const text = x509Text(ca.cert);
  assert.match(text, /Issuer: CN = my-registry-ca/);
  assert.match(text, /Subject: CN = my-registry-ca/);
  assert.match(text, /Serial Number: 1 \(0x1\)/);
  assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
  assert.match(text, /Public-Key: \(2048 bit\)/);
  assert.match(text, /X509v3 Basic Constraints: critical\n\s*CA:TRUE/);
  assert.match(text, /X509v3 Key Usage: critical\n\s*Digital Signature, Key Encipherment, Certificate Sign/);
  assert.equal(Math.round((notAfter(text).getTime() - notBefore(text).getTime()) / DAY), 1825);
  assert.equal(verify(ca.cert, ca.cert).code, 0, 'openssl accepts it as its own trust anchor');
  assert.equal(mode(ca.key), '0600');
  assert.equal(mode(ca.cert), '0644');
  assert.equal(readFileSync(ca.serial, 'utf8'), '00\n');
  assert.match(readFileSync(ca.key, 'utf8'), /^-----BEGIN RSA PRIVATE KEY-----\n/);
});

test('create-signer-cert names the CA openshift-signer@<unix seconds> by default', async (t) => {
  const dir = tempDir(t);
  const before = Math.floor(Date.now() / 1000);
  const ca = await signer(dir);
  const cn = /Subject: CN = openshift-signer@(\d+)/.exec(x509Text(ca.cert));
  assert.ok(cn, 'default name');
  assert.ok(Number(cn[1]) >= before && Number(cn[1]) <= before + 60);
});

test('create-server-cert issues a certificate openssl verifies against the CA: DNS and IP SANs, serverAuth, CA:FALSE, CN = first sorted name, two years', async (t) => {
  const dir = tempDir(t);
  const ca = await signer(dir);
  const r = await inProcess([...serverArgs(dir, 'docker-registry.default.svc.cluster.local,172.30.124.220'), '--hostnames', 'docker-registry.default.svc,registry.example.com,fd00::5']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '', 'nothing on stdout');
  const crt = join(dir, 'registry.crt');
  const v = verify(ca.cert, crt);
  assert.equal(v.code, 0, v.stderr);
  assert.match(v.stdout, /registry\.crt: OK/);
  assert.equal(openssl(['verify', '-purpose', 'sslserver', '-CAfile', ca.cert, crt]).code, 0, 'valid for TLS servers');
  const text = x509Text(crt);
  assert.match(text, /Subject: CN = 172\.30\.124\.220\n/);
  assert.match(text, /Issuer: CN = openshift-signer@\d+/);
  assert.equal(
    sanLine(text),
    'DNS:docker-registry.default.svc, DNS:docker-registry.default.svc.cluster.local, DNS:registry.example.com, DNS:172.30.124.220, DNS:fd00::5, IP Address:172.30.124.220, IP Address:FD00:0:0:0:0:0:0:5',
  );
  assert.match(text, /X509v3 Extended Key Usage: *\n\s*TLS Web Server Authentication\n/);
  assert.match(text, /X509v3 Key Usage: critical\n\s*Digital Signature, Key Encipherment\n/);
  assert.match(text, /X509v3 Basic Constraints: critical\n\s*CA:FALSE/);
  assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
  assert.match(text, /Public-Key: \(2048 bit\)/);
  assert.equal(Math.round((notAfter(text).getTime() - notBefore(text).getTime()) / DAY), 730);
  assert.ok(Math.abs(notBefore(text).getTime() - Date.now()) < 120_000, 'valid from now');
  assert.equal(mode(join(dir, 'registry.key')), '0600');
  assert.equal(mode(crt), '0644');
  assert.match(r.stderr, /issued "CN=172\.30\.124\.220" \(serial 02/);
});

test('the certificate file holds the server certificate followed by the CA, and the key belongs to it', async (t) => {
  const dir = tempDir(t);
  const ca = await signer(dir);
  assert.equal((await inProcess(serverArgs(dir, 'registry.example.com'))).code, 0);
  const file = readFileSync(join(dir, 'registry.crt'), 'utf8');
  const blocks = file.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n/g)!;
  assert.equal(blocks.length, 2);
  assert.equal(blocks[1], readFileSync(ca.cert, 'utf8'));
  const certMod = openssl(['x509', '-in', join(dir, 'registry.crt'), '-noout', '-modulus']).stdout;
  const keyMod = openssl(['rsa', '-in', join(dir, 'registry.key'), '-noout', '-modulus']).stdout;
  assert.equal(certMod, keyMod);
});

test('the serial file advances as oc keeps it: 00 after the CA, then 02, 03, each certificate carrying its number', async (t) => {
  const dir = tempDir(t);
  const ca = await signer(dir);
  assert.equal(readFileSync(ca.serial, 'utf8'), '00\n');
  assert.equal((await inProcess(serverArgs(dir, 'a.example.com', 'a'))).code, 0);
  assert.equal(readFileSync(ca.serial, 'utf8'), '02\n');
  assert.match(x509Text(join(dir, 'a.crt')), /Serial Number: 2 \(0x2\)/);
  assert.equal((await inProcess(serverArgs(dir, 'b.example.com', 'b'))).code, 0);
  assert.equal(readFileSync(ca.serial, 'utf8'), '03\n');
  assert.match(x509Text(join(dir, 'b.crt')), /Serial Number: 3 \(0x3\)/);
  writeFileSync(ca.serial, 'FF\n');
  assert.equal((await inProcess(serverArgs(dir, 'c.example.com', 'c'))).code, 0);
  assert.equal(readFileSync(ca.serial, 'utf8'), '0100\n', 'hex, upper-case, even digits');
  assert.match(x509Text(join(dir, 'c.crt')), /Serial Number: 256 \(0x100\)/);
});

test("--signer-serial='' signs with a random serial and needs no serial file", async (t) => {
  const dir = tempDir(t);
  const ca = await signer(dir, ['--serial', '']);
  assert.equal(existsSync(ca.serial), false);
  const args = serverArgs(dir, 'a.example.com');
  args[args.indexOf('--signer-serial') + 1] = '';
  const r = await inProcess(args);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(verify(ca.cert, join(dir, 'registry.crt')).code, 0);
  assert.doesNotMatch(x509Text(join(dir, 'registry.crt')), /Serial Number: [12] /);
});

test('--key-size 4096 makes a 4096-bit key; --expire-days sets the lifetime and above two years warns as oc does', async (t) => {
  const dir = tempDir(t);
  await signer(dir);
  const r = await inProcess([...serverArgs(dir, 'a.example.com'), '--key-size', '4096', '--expire-days', '1000']);
  assert.equal(r.code, 0, r.stderr);
  const text = x509Text(join(dir, 'registry.crt'));
  assert.match(text, /Public-Key: \(4096 bit\)/);
  assert.equal(Math.round((notAfter(text).getTime() - notBefore(text).getTime()) / DAY), 1000);
  assert.match(r.stderr, /warning: Validity period of the certificate for "a\.example\.com" is greater than 2 years!/);
  assert.match(r.stderr, /By security reasons it is strongly recommended to change this period and make it smaller!/);
});

test('a signer that expires before the certificate would is warned of, with both dates, the same in --dry-run as in the run', async (t) => {
  const dir = tempDir(t);
  await signer(dir, ['--expire-days', '10']);
  const args = [...serverArgs(dir, 'a.example.com'), '--expire-days', '30'];
  const now = new Date(); // one clock for both, so the dates match
  const dry = await run([...args, '--dry-run'], { now });
  assert.equal(dry.code, 0, dry.stderr);
  const warning = (stderr: string) => stderr.split('\n').find((l) => l.includes('expires on'));
  assert.match(warning(dry.stderr) ?? '', /warning: the signer ".*" expires on \d{4}-\d\d-\d\dT[\d:]+Z, before this certificate would \(\d{4}-\d\d-\d\dT[\d:]+Z\): clients stop trusting it then/);
  const real = await run(args, { now });
  assert.equal(real.code, 0, real.stderr);
  assert.equal(warning(real.stderr), warning(dry.stderr));
});

test('a signer made by openssl signs too, and its subject is copied byte for byte into the issuer', async (t) => {
  const dir = tempDir(t);
  const ca = opensslCA(dir, 'corp-ca');
  const r = await inProcess(['ca', 'create-server-cert', '--signer-cert', ca.cert, '--signer-key', ca.key, '--signer-serial', '', '--hostnames', 'registry.corp', '--cert', join(dir, 'r.crt'), '--key', join(dir, 'r.key')]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(verify(ca.cert, join(dir, 'r.crt')).code, 0);
  const issuerDer = openssl(['x509', '-in', join(dir, 'r.crt'), '-noout', '-issuer', '-nameopt', 'RFC2253']).stdout.replace('issuer=', '');
  const subjectDer = openssl(['x509', '-in', ca.cert, '-noout', '-subject', '-nameopt', 'RFC2253']).stdout.replace('subject=', '');
  assert.equal(issuerDer, subjectDer);
});

test('an existing certificate that covers every name is kept: no file rewritten, no serial used', async (t) => {
  const dir = tempDir(t);
  await signer(dir);
  assert.equal((await inProcess(serverArgs(dir, 'a.example.com,10.0.0.1'))).code, 0);
  const before = snapshot(dir);
  const r = await inProcess(serverArgs(dir, '10.0.0.1'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /kept the existing certificate ".*registry\.crt": it covers every name/);
  assert.deepEqual(snapshot(dir), before);
});

test('an existing certificate missing a requested name is refused, naming the file; --overwrite replaces it, saving the old files in the backup directory', async (t) => {
  const dir = tempDir(t);
  const home = tempDir(t);
  await signer(dir);
  assert.equal((await inProcess(serverArgs(dir, 'a.example.com'))).code, 0);
  const before = snapshot(dir);
  const refused = await inProcess(serverArgs(dir, 'a.example.com,b.example.com'));
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /error: ".*registry\.crt" already exists: it does not cover b\.example\.com/);
  assert.match(refused.stderr, /hint: pass --overwrite/);
  assert.deepEqual(snapshot(dir), before, 'nothing written');

  const oldCert = readFileSync(join(dir, 'registry.crt'), 'utf8');
  const oldKey = readFileSync(join(dir, 'registry.key'), 'utf8');
  const r = await inProcess([...serverArgs(dir, 'a.example.com,b.example.com'), '--overwrite'], { HOME: home });
  assert.equal(r.code, 0, r.stderr);
  assert.match(sanLine(x509Text(join(dir, 'registry.crt'))), /DNS:b\.example\.com/);
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.bak')), [], 'no copies beside the files');
  const runs = readdirSync(join(home, '.regctl', 'backups'));
  assert.equal(runs.length, 1);
  const backups = join(home, '.regctl', 'backups', runs[0]!);
  const saved = readdirSync(backups);
  const certBak = saved.find((b) => b.endsWith('registry.crt'))!;
  const keyBak = saved.find((b) => b.endsWith('registry.key'))!;
  assert.equal(readFileSync(join(backups, certBak), 'utf8'), oldCert);
  assert.equal(readFileSync(join(backups, keyBak), 'utf8'), oldKey);
  assert.equal(mode(join(backups, keyBak)), '0600', 'the old key stays private');
  assert.equal(mode(join(dir, 'registry.key')), '0600');
  assert.match(r.stderr, new RegExp(`wrote .*registry\\.key \\(backup: ${backups}/`));
});

test('create-signer-cert keeps an existing valid signer, and refuses a half-present one without --overwrite', async (t) => {
  const dir = tempDir(t);
  const ca = await signer(dir);
  const before = snapshot(dir);
  const again = await inProcess(['ca', 'create-signer-cert', '--cert', ca.cert, '--key', ca.key, '--serial', ca.serial]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /kept the existing signer/);
  assert.deepEqual(snapshot(dir), before);

  const other = tempDir(t);
  writeFileSync(join(other, 'ca.crt'), readFileSync(ca.cert));
  const half = await inProcess(['ca', 'create-signer-cert', '--cert', join(other, 'ca.crt'), '--key', join(other, 'ca.key'), '--serial', join(other, 'ca.serial.txt')]);
  assert.equal(half.code, 1);
  assert.match(half.stderr, /error: ".*ca\.crt" already exists, but ".*ca\.key" and ".*ca\.serial\.txt" do not/);
  assert.deepEqual(readdirSync(other), ['ca.crt']);
});

test('--dry-run lists the files it would write and writes none, generates no key and leaves HOME alone', async (t) => {
  const dir = tempDir(t);
  const home = tempDir(t);
  await signer(dir);
  const before = snapshot(dir);
  const started = Date.now();
  const r = await inProcess([...serverArgs(dir, 'a.example.com'), '--key-size', '4096', '--dry-run'], { HOME: home });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, [`1. write the serial file ${dir}/ca.serial.txt`, `2. write the key ${dir}/registry.key (mode 0600)`, `3. write the certificate ${dir}/registry.crt (mode 0644)`, ''].join('\n'));
  assert.ok(Date.now() - started < 1000, 'no 4096-bit key generated');
  assert.deepEqual(snapshot(dir), before);
  assert.deepEqual(readdirSync(home), []);
  const signerDry = await inProcess(['ca', 'create-signer-cert', '--cert', join(dir, 'new.crt'), '--key', join(dir, 'new.key'), '--serial', '', '--dry-run'], { HOME: home });
  assert.equal(signerDry.code, 0, signerDry.stderr);
  assert.match(signerDry.stdout, /1\. write the CA key .*new\.key \(mode 0600\)\n2\. write the CA certificate .*new\.crt \(mode 0644\)\n$/);
  assert.deepEqual(snapshot(dir), before);
});

for (const [n, failing] of [[2, '--key'], [3, '--cert']] as const) {
  test(`a failure at file write ${n} (${failing}) undoes the writes before it: the files are as they were, and the report says so`, async (t) => {
    const dir = tempDir(t);
    await signer(dir);
    // A directory where the file should be: the directory check passes, the write fails.
    const args = serverArgs(dir, 'a.example.com');
    args[args.indexOf(failing) + 1] = join(dir, 'in-the-way');
    mkdirSync(join(dir, 'in-the-way'));
    const before = snapshot(dir);
    const r = await inProcess([...args, '--overwrite']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^error: cannot read ".*in-the-way": is a directory$/m);
    assert.match(r.stderr, /undone: .*ca\.serial\.txt restored/);
    if (n === 3) assert.match(r.stderr, /undone: .*registry\.key removed \(written by this run\)/);
    assert.match(r.stderr, /the cluster and the files are as they were before this run/);
    assert.deepEqual(snapshot(dir), before);
  });
}

// Each refusal: exit code, one line naming the flag or file, and not one byte written.
const refusals: { name: string; code: number; setup(dir: string): string[]; message: RegExp }[] = [
  {
    name: 'a signer that is not a CA',
    code: 2,
    setup: (dir) => {
      const leaf = opensslCA(dir, 'leaf', { ca: false });
      return ['--signer-cert', leaf.cert, '--signer-key', leaf.key];
    },
    message: /--signer-cert: ".*leaf\.crt" is not a CA certificate \(basicConstraints CA:FALSE\)/,
  },
  {
    name: 'an expired signer',
    code: 2,
    setup: (dir) => {
      const old = opensslCA(dir, 'old', { start: '20200101000000Z', end: '20200102000000Z' });
      return ['--signer-cert', old.cert, '--signer-key', old.key];
    },
    message: /--signer-cert: the signer "CN=old" in ".*old\.crt" expired on 2020-01-02T00:00:00Z/,
  },
  {
    name: 'an encrypted signer key',
    code: 2,
    setup: (dir) => {
      const enc = join(dir, 'enc.key');
      const r = openssl(['pkcs8', '-topk8', '-in', join(dir, 'ca.key'), '-out', enc, '-passout', 'pass:secret']);
      assert.equal(r.code, 0, r.stderr);
      return ['--signer-key', enc];
    },
    message: /--signer-key: ".*enc\.key" holds an encrypted private key/,
  },
  {
    name: 'a signer key that does not match the signer certificate',
    code: 2,
    setup: (dir) => {
      const other = join(dir, 'other.key');
      openssl(['genrsa', '-out', other, '2048']);
      return ['--signer-key', other];
    },
    message: /--signer-key: the private key in ".*other\.key" does not match the certificate in ".*ca\.crt"/,
  },
  {
    name: 'an unreadable signer certificate',
    code: 2,
    setup: (dir) => ['--signer-cert', join(dir, 'missing.crt')],
    message: /--signer-cert: cannot read ".*missing\.crt": no such file/,
  },
  { name: 'an invalid IP address', code: 2, setup: () => ['--hostnames', '10.0.0.300'], message: /--hostnames: "10\.0\.0\.300" is not a valid IP address/ },
  { name: 'an invalid host name', code: 2, setup: () => ['--hostnames', 'registry_host!'], message: /--hostnames: "registry_host!" is neither a valid host name nor an IP address/ },
  {
    name: 'a missing serial file',
    code: 2,
    setup: (dir) => ['--signer-serial', join(dir, 'nope.txt')],
    message: /--signer-serial: ".*nope\.txt" must be a valid file/,
  },
  {
    name: 'a serial file that is not hex',
    code: 2,
    setup: (dir) => {
      writeFileSync(join(dir, 'bad.txt'), 'twelve\n');
      return ['--signer-serial', join(dir, 'bad.txt')];
    },
    message: /--signer-serial: ".*bad\.txt" does not hold a hexadecimal serial number/,
  },
  { name: 'zero --expire-days', code: 2, setup: () => ['--expire-days', '0'], message: /--expire-days: expire-days must be valid number of days/ },
  { name: 'a key size regctl does not offer', code: 2, setup: () => ['--key-size', '1024'], message: /--key-size: 1024 is out of range|--key-size: .* not offered/ },
];

for (const c of refusals) {
  test(`create-server-cert refuses ${c.name}: exit ${c.code}, one line naming it, nothing written`, async (t) => {
    const dir = tempDir(t);
    await signer(dir);
    const extra = c.setup(dir);
    const before = snapshot(dir);
    const r = await inProcess([...serverArgs(dir, 'registry.example.com'), ...extra]);
    assert.equal(r.code, c.code, r.stderr);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
    assert.equal(errors.length, 1, r.stderr);
    assert.match(errors[0]!, c.message);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.deepEqual(snapshot(dir), before);
  });
}

test('regctl ca refuses -o: it writes files and prints no objects', async (t) => {
  const dir = tempDir(t);
  await signer(dir);
  const r = await inProcess([...serverArgs(dir, 'a.example.com'), '-o', 'yaml']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--output: regctl ca writes files and prints no objects/);
});

test('regctl --help lists secure and ca; regctl ca --help lists its two subcommands with oc\'s flags', async () => {
  const top = await inProcess(['--help']);
  assert.match(top.stdout, /\n  secure \[options\]/);
  assert.match(top.stdout, /\n  ca /);
  const ca = await inProcess(['ca', '--help']);
  assert.match(ca.stdout, /create-signer-cert/);
  assert.match(ca.stdout, /create-server-cert/);
  const server = await inProcess(['ca', 'create-server-cert', '--help']);
  for (const flag of ['--signer-cert', '--signer-key', '--signer-serial', '--hostnames', '--cert', '--key', '--overwrite', '--expire-days']) assert.ok(server.stdout.includes(flag), flag);
  const signer = await inProcess(['ca', 'create-signer-cert', '--help']);
  for (const flag of ['--cert', '--key', '--serial', '--name', '--overwrite', '--expire-days', '--signer-expire-days']) assert.ok(signer.stdout.includes(flag), flag);
});
