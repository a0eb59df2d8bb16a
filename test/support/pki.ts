// Real certificate tooling for tests: the openssl command line, temp dirs, file snapshots.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDir(t: { after(fn: () => void): void }, prefix = 'regctl-pki-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function openssl(args: string[], opts: { cwd?: string; input?: string } = {}): Run {
  const r = spawnSync('openssl', args, { cwd: opts.cwd, input: opts.input ?? '', encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** `openssl x509 -text -noout` of the first certificate in a file. */
export function x509Text(path: string): string {
  const r = openssl(['x509', '-in', path, '-text', '-noout']);
  if (r.code !== 0) throw new Error(`openssl x509 failed: ${r.stderr}`);
  return r.stdout;
}

export function verify(caFile: string, certFile: string): Run {
  return openssl(['verify', '-CAfile', caFile, certFile]);
}

/** A CA made by openssl itself, with chosen dates (`YYYYMMDDHHMMSSZ`), e.g. an expired one. */
export function opensslCA(dir: string, name: string, opts: { start?: string; end?: string; ca?: boolean } = {}): { cert: string; key: string } {
  const conf = join(dir, `${name}.cnf`);
  writeFileSync(
    conf,
    [
      '[ ca ]', 'default_ca = d', '[ d ]', `database = ${name}.index`, 'new_certs_dir = .', `serial = ${name}.srl`, 'default_md = sha256',
      'policy = p', 'unique_subject = no', 'x509_extensions = ext', '[ p ]', 'commonName = supplied', '[ ext ]',
      opts.ca === false ? 'basicConstraints = critical,CA:FALSE' : 'basicConstraints = critical,CA:TRUE',
      opts.ca === false ? 'keyUsage = critical,digitalSignature' : 'keyUsage = critical,keyCertSign,digitalSignature', '',
    ].join('\n'),
  );
  writeFileSync(join(dir, `${name}.index`), '');
  writeFileSync(join(dir, `${name}.srl`), '01\n');
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  const csr = join(dir, `${name}.csr`);
  let r = openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${name}`]);
  if (r.code !== 0) throw new Error(r.stderr);
  const dates = ['-startdate', opts.start ?? '20200101000000Z', '-enddate', opts.end ?? '20991231000000Z'];
  r = openssl(['ca', '-batch', '-config', conf, '-selfsign', '-keyfile', key, '-in', csr, '-out', cert, '-notext', ...dates], { cwd: dir });
  if (r.code !== 0) throw new Error(r.stderr);
  return { cert, key };
}

/** Every file under dir with its mode and contents: compare before and after to prove nothing was written. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = statSync(p);
    out[name] = st.isDirectory() ? 'dir' : `${(st.mode & 0o777).toString(8)} ${readFileSync(p, 'base64')}`;
  }
  return out;
}

export function mode(path: string): string {
  return (statSync(path).mode & 0o777).toString(8).padStart(4, '0');
}
