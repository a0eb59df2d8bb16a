// Issuing a server certificate (RSA 2048 keygen, sign, write key + cert) N times with regctl's
// pki module, with the regctl CLI, and with the openssl command line (genrsa, req, x509 with an
// extension file), in one run against the same CA. Prints medians and ratios.
//   node bench/pki.mjs [N]        (default 15; the CLI line needs `npm run build` first)
import { register } from 'tsx/esm/api';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

register();
const { prepareSignerCert, prepareServerCert } = await import('../src/pki/ca.ts');
const { writeFiles } = await import('../src/host/keyfiles.ts');

const N = Number(process.argv[2] ?? 15);
const dir = mkdtempSync(join(tmpdir(), 'regctl-bench-pki-'));
const bin = fileURLToPath(new URL('../bin/regctl.js', import.meta.url));
const hostnames = ['172.30.1.2', 'docker-registry.default.svc', 'docker-registry.default.svc.cluster.local'];

const ca = { certPath: join(dir, 'ca.crt'), keyPath: join(dir, 'ca.key'), serialPath: join(dir, 'ca.serial.txt') };
writeFiles((await prepareSignerCert({ ...ca, name: 'bench-ca', days: 1825, keyBits: 2048, overwrite: false }, new Date())).files, new Date());
// openssl keeps its own serial file (the next serial), so the two do not share a counter.
writeFileSync(join(dir, 'openssl.srl'), '1000\n');
writeFileSync(
  join(dir, 'ext.cnf'),
  `basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:docker-registry.default.svc,DNS:docker-registry.default.svc.cluster.local,DNS:172.30.1.2,IP:172.30.1.2
`,
);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
}

async function regctlModule(i) {
  const p = await prepareServerCert(
    { signer: ca, hostnames, certPath: join(dir, `m${i}.crt`), keyPath: join(dir, `m${i}.key`), days: 730, keyBits: 2048, overwrite: false },
    new Date(),
    (n) => new Uint8Array(n),
  );
  writeFiles(p.files, new Date());
}

function regctlCli(i) {
  run(process.execPath, [bin, 'ca', 'create-server-cert', '--signer-cert', ca.certPath, '--signer-key', ca.keyPath, '--signer-serial', ca.serialPath,
    '--hostnames', hostnames.join(','), '--cert', join(dir, `c${i}.crt`), '--key', join(dir, `c${i}.key`)]);
}

function opensslCli(i) {
  const key = join(dir, `o${i}.key`);
  const csr = join(dir, `o${i}.csr`);
  run('openssl', ['genrsa', '-out', key, '2048']);
  run('openssl', ['req', '-new', '-key', key, '-subj', '/CN=172.30.1.2', '-out', csr]);
  run('openssl', ['x509', '-req', '-in', csr, '-CA', ca.certPath, '-CAkey', ca.keyPath, '-CAserial', join(dir, 'openssl.srl'),
    '-days', '730', '-sha256', '-extfile', join(dir, 'ext.cnf'), '-out', join(dir, `o${i}.crt`)]);
}

async function time(fn) {
  const samples = [];
  for (let i = 0; i < N; i++) {
    const t0 = process.hrtime.bigint();
    await fn(i);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const cliBuilt = existsSync(new URL('../dist/regctl.cjs', import.meta.url));
// Interleave nothing: each runs N times in turn; RSA prime search varies, so medians.
const results = {
  'regctl pki module': await time(regctlModule),
  ...(cliBuilt ? { 'regctl CLI (node start-up included)': await time(regctlCli) } : {}),
  'openssl genrsa + req + x509': await time(opensslCli),
};
rmSync(dir, { recursive: true, force: true });

const base = results['openssl genrsa + req + x509'];
console.log(`issue one server certificate (RSA 2048, SHA-256, 4 SANs, key + cert written), median of ${N}:`);
for (const [name, ms] of Object.entries(results)) {
  console.log(`  ${name.padEnd(38)} ${ms.toFixed(1).padStart(8)} ms   openssl/this = ${(base / ms).toFixed(2)}`);
}
