// The certificate `regctl secure` serves: the one in the Secret (kept while it is fine), the
// pair given with --cert, or a new one signed by --signer-cert or by the CA regctl keeps for the
// cluster. Everything that can fail (reading, checking) happens here, before the plan; a run
// generates the key and signs here too, while a preview (-o, --dry-run) shows a placeholder
// and generates nothing. Nothing is written: new CA files and the advanced serial come back
// as files for the plan to write first.
import { isIP } from 'node:net';
import { UsageError } from '../../errors.js';
import { pathExists, readInputFile } from '../../host/files.js';
import type { PlannedFile } from '../../pki/ca.js';
import { hostOf } from '../../pki/names.js';
import { isoDate } from '../../pki/pem.js';
import { formatSerial, nextSerial, parseSerial, serialHex } from '../../pki/serial.js';
import { leafAndChain, namesOf, regctlCADir, secretPems, trustAnchorOf, usableCertificate, CERTS_SECRET } from '../../registry/certificates.js';
import { REGISTRY_NAME } from '../../templates/registry.js';
import type { SecureLive } from './live.js';
import { RENEW_BEFORE_DAYS, type SecureOptions } from './options.js';

export interface SecureCert {
  certPem: string;
  keyPem: string;
  /** The CA that nodes must trust. */
  caPem: string;
  /** A new regctl CA, an advanced serial file: written first. */
  files: PlannedFile[];
  /** The names of the certificate the Secret will hold. */
  names: string[];
  /** A preview's stand-in for a certificate that is not generated. */
  placeholder: boolean;
  /** Said before the plan runs: which certificate, and why. */
  infos: string[];
  warnings: string[];
}

export interface CertWorld {
  now: Date;
  env: NodeJS.ProcessEnv;
  randomBytes(n: number): Uint8Array;
  /** -o and --dry-run: decide, but issue nothing (no key generated, no serial taken, no CA made). */
  preview: boolean;
}

/** The service's cluster IP and (first) port: the address clients use. */
export function serviceEndpoint(service: SecureLive['service']): { clusterIP: string; port: number } {
  const spec = (service as { spec?: { clusterIP?: string; ports?: { port: number }[] } }).spec;
  const clusterIP = spec?.clusterIP;
  if (!clusterIP || clusterIP === 'None') {
    throw new UsageError(`service "${service.metadata.name}" has no cluster IP, so no certificate can name it`, 'recreate it with regctl deploy (or regctl reuse-ip)');
  }
  return { clusterIP, port: spec?.ports?.[0]?.port ?? 5000 };
}

/** The service's own names: its IP and its two DNS names. */
export function serviceNames(namespace: string, clusterIP: string): string[] {
  return [clusterIP, `${REGISTRY_NAME}.${namespace}.svc`, `${REGISTRY_NAME}.${namespace}.svc.cluster.local`];
}

/** Names in use on the cluster: passthrough route hosts and the registry's server address. */
function namesInUse(live: SecureLive): string[] {
  return [...live.routeHosts, ...(live.serverAddr ? [hostOf(live.serverAddr)] : [])].filter((n) => n !== '');
}

/**
 * The names a new certificate gets: the service's, --hostnames, and (unless --replace-hostnames)
 * the current certificate's and those in use. `dropped`: names in use or certified now that it
 * would not cover.
 */
export function certificateNames(o: Pick<SecureOptions, 'hostnames' | 'replaceHostnames'>, live: SecureLive): { names: string[]; dropped: string[] } {
  const { clusterIP } = serviceEndpoint(live.service);
  const current = usableCertificate(secretPems(live.secret));
  const inUse = namesInUse(live);
  // An IP the service no longer has (it was re-created) is not carried over.
  const stale = (n: string) => isIP(n) !== 0 && n !== clusterIP && !inUse.includes(n);
  const old = [...new Set([...(current ? namesOf(current) : []), ...inUse])].filter((n) => !stale(n));
  const base = [...serviceNames(live.namespace, clusterIP), ...o.hostnames];
  const names = [...new Set(o.replaceHostnames ? base : [...base, ...old])];
  return { names, dropped: old.filter((n) => !names.includes(n)) };
}

/** The certificate code (node-forge) is loaded only where a certificate is read or made: a preview of a first run needs none. */
const loadPki = () => import('../../pki/ca.js');

export async function decideCertificate(o: SecureOptions, live: SecureLive, w: CertWorld): Promise<SecureCert> {
  const { clusterIP } = serviceEndpoint(live.service);
  const required = [...new Set([...serviceNames(live.namespace, clusterIP), ...o.hostnames])];
  const infos: string[] = [];
  const warnings: string[] = [];
  const validUntil = (s: { notAfter: Date }) => `valid until ${isoDate(s.notAfter)}`;

  if (o.source.kind === 'pair') {
    const pki = await loadPki();
    const pair = pki.readPair('--cert', o.source.certPath, '--key', o.source.keyPath);
    const problems = pki.pairProblems(pair.summary, required, w.now);
    if (problems.length) {
      throw new UsageError(`--cert: "${o.source.certPath}" cannot serve the registry: ${problems.join('; ')}`, `issue one that covers ${required.join(',')}: regctl ca create-server-cert --hostnames=${required.join(',')} ... (or leave out --cert and let regctl issue it)`);
    }
    for (const p of pki.pairProblems(pair.summary, required, w.now, RENEW_BEFORE_DAYS)) warnings.push(`--cert: "${o.source.certPath}": ${p}; replace it soon`);
    for (const p of pki.pairProblems(pair.summary, namesInUse(live), w.now).filter((x) => x.startsWith('it does not cover'))) {
      warnings.push(`--cert: "${o.source.certPath}": ${p.replace(/^it /, '')}, a name clients use (a passthrough route or the registry's address)`);
    }
    if (!leafAndChain(pair.certPem).chain) warnings.push(`--cert: "${o.source.certPath}" holds no CA after the certificate; nodes will be told to trust the certificate itself`);
    infos.push(`using the certificate in ${o.source.certPath} (${pair.summary.subject}), ${validUntil(pair.summary)}`);
    return { certPem: pair.certPem, keyPem: pair.keyPem, caPem: trustAnchorOf(pair.certPem), files: [], names: namesOf(pair.summary), placeholder: false, infos, warnings };
  }

  const current = secretPems(live.secret);
  const summary = usableCertificate(current);
  if (current && summary && !o.renew) {
    const pki = await loadPki();
    const problems = pki.pairProblems(summary, [...required, ...namesInUse(live)], w.now, RENEW_BEFORE_DAYS);
    for (const p of problems) warnings.push(`secret ${CERTS_SECRET}: the certificate ${p.replace(/^it /, '')}`);
    if (problems.length) {
      const { names } = certificateNames(o, live);
      infos.push('to issue a new one that keeps its names and adds the missing ones, run:', `    regctl secure --renew${o.hostnames.length ? ` --hostnames=${o.hostnames.join(',')}` : ''}   # for ${names.join(', ')}`);
    } else infos.push(`keeping the certificate in secret ${CERTS_SECRET} (${summary.subject}; --renew issues a new one), ${validUntil(summary)}`);
    return { certPem: current.certPem, keyPem: current.keyPem, caPem: trustAnchorOf(current.certPem), files: [], names: namesOf(summary), placeholder: false, infos, warnings };
  }
  if (current && !summary && !o.renew) warnings.push(`secret ${CERTS_SECRET} holds no usable certificate and key; issuing a new one`);

  const { names, dropped } = certificateNames(o, live);
  if (dropped.length) {
    const inUse = dropped.filter((n) => namesInUse(live).includes(n));
    warnings.push(`--replace-hostnames: the new certificate drops ${dropped.join(', ')}${inUse.length ? `; ${inUse.join(', ')} ${inUse.length > 1 ? 'are' : 'is'} in use (a passthrough route or the registry's address): clients connecting by ${inUse.length > 1 ? 'those names' : 'that name'} will refuse it` : ''}`);
  }
  const request = { hostnames: names, days: o.days, keyBits: o.keyBits };
  const files: PlannedFile[] = [];

  if (o.source.kind === 'signer') {
    const src = o.source;
    const [pki, { loadSigner }] = await Promise.all([loadPki(), import('../../pki/signer.js')]);
    const signer = loadSigner({ certFlag: '--signer-cert', certPath: src.certPath, certPem: readInputFile('--signer-cert', src.certPath), keyFlag: '--signer-key', keyPath: src.keyPath, keyPem: readInputFile('--signer-key', src.keyPath) }, w.now);
    if (w.preview) {
      infos.push(`would sign with "${signer.summary.subject}" (${src.certPath}) a certificate for ${names.join(', ')}`);
      const serial = src.serialPath ? [serialFile(src.serialPath, formatSerial(nextSerialIn(src.serialPath)), true)] : [];
      return { ...placeholder(names, signer.summary.subject, o), caPem: trustAnchorOf(signer.chainPem), files: serial, infos, warnings };
    }
    const r = await pki.issueServerCert({ signer: { certPath: src.certPath, keyPath: src.keyPath, serialPath: src.serialPath }, ...request }, w.now, w.randomBytes);
    if (r.serialFile) files.push(r.serialFile);
    warnings.push(...r.warnings);
    infos.push(`issued a certificate for ${names.join(', ')} (serial ${serialHex(r.serial)}), signed by "${r.signer.summary.subject}"`);
    return { certPem: r.certPem, keyPem: r.keyPem, caPem: trustAnchorOf(r.signer.chainPem), files, names, placeholder: false, infos, warnings };
  }

  const dir = o.source.dir ?? regctlCADir(w.env, live.server);
  const caExists = pathExists(`${dir}/ca.crt`) || pathExists(`${dir}/ca.key`);
  if (w.preview) {
    if (caExists) {
      const ca = await (await loadPki()).regctlCA(dir, { name: 'unused', days: o.signerDays, keyBits: o.keyBits }, w.now, w.randomBytes);
      infos.push(`would sign with the regctl CA in ${dir} a certificate for ${names.join(', ')}`);
      return { ...placeholder(names, ca.signer.summary.subject, o), caPem: trustAnchorOf(ca.signer.chainPem), files: [serialFile(ca.serialPath, formatSerial(ca.nextSerial), false)], infos, warnings };
    }
    infos.push(`would create a CA for this cluster in ${dir} and sign a certificate for ${names.join(', ')}`);
    const caPlaceholder = `(placeholder: the CA certificate regctl creates in ${dir})\n`;
    return {
      ...placeholder(names, `the new CA in ${dir}`, o),
      caPem: caPlaceholder,
      files: [
        { path: `${dir}/ca.key`, content: `(placeholder: the CA's ${o.keyBits}-bit RSA key)\n`, mode: 0o600, what: 'CA key' },
        { path: `${dir}/ca.crt`, content: caPlaceholder, mode: 0o644, what: 'CA certificate' },
        serialFile(`${dir}/ca.serial.txt`, formatSerial(1n), false),
      ],
      infos,
      warnings,
    };
  }
  const pki = await loadPki();
  const ca = await pki.regctlCA(dir, { name: `regctl-signer@${Math.floor(w.now.getTime() / 1000)}`, days: o.signerDays, keyBits: o.keyBits }, w.now, w.randomBytes);
  files.push(...ca.files, serialFile(ca.serialPath, formatSerial(ca.nextSerial), false));
  const issued = await pki.issueWith(ca.signer, ca.nextSerial, request, w.now);
  warnings.push(...issued.warnings);
  infos.push(ca.created ? `creating a CA for this cluster in ${dir} (keep it: nodes trust it)` : `signing with the regctl CA in ${dir}`);
  infos.push(`issued a certificate for ${names.join(', ')} (serial ${serialHex(issued.serial)}), signed by "${ca.signer.summary.subject}"`);
  return { certPem: issued.certPem, keyPem: issued.keyPem, caPem: trustAnchorOf(ca.signer.chainPem), files, names, placeholder: false, infos, warnings };
}

function serialFile(path: string, content: string, keepMode: boolean): PlannedFile {
  return { path, content, mode: 0o644, ...(keepMode ? { keepMode: true } : {}), what: 'serial file' };
}

/** The serial the signer's next certificate gets (what a run would write to --signer-serial). */
function nextSerialIn(path: string): bigint {
  if (!pathExists(path)) throw new UsageError(`--signer-serial: "${path}" must be a valid file`, `create it with: echo 00 > ${path}  (or pass --signer-serial='' for a random serial)`);
  const last = parseSerial(readInputFile('--signer-serial', path));
  if (last === undefined) throw new UsageError(`--signer-serial: "${path}" does not hold a hexadecimal serial number`);
  return nextSerial(last);
}

/** What a preview shows instead of a certificate and key it does not generate. */
function placeholder(names: string[], signer: string, o: Pick<SecureOptions, 'days' | 'keyBits'>): Pick<SecureCert, 'certPem' | 'keyPem' | 'names' | 'placeholder'> {
  return {
    certPem: `(placeholder: the certificate regctl secure issues when it runs, for ${names.join(', ')}, signed by ${signer}, valid ${o.days} days)\n`,
    keyPem: `(placeholder: the ${o.keyBits}-bit RSA key generated with it)\n`,
    names,
    placeholder: true,
  };
}
