// `regctl secure`: "Securing the Registry" (seed 003; SPEC.md "secure") in one command.
// flags → options (validated, no I/O) → live objects read → certificate work (every fallible
// step, before the first change) → planSecure (pure) → print (-o), describe (--dry-run) or run.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Cluster } from '../cluster/types.js';
import type { Context } from '../context.js';
import { OperationError, UsageError } from '../errors.js';
import { commands, info, success, warn } from '../output/messages.js';
import { formatObjects } from '../output/printers.js';
import type { KubeObject, ObjectRef } from '../plan/types.js';
import type { Plan, Step } from '../plan/legacy-execute.js';
import { action } from '../runtime.js';
import { REGISTRY_NAME } from '../templates/registry.js';
import {
  CERTS_SECRET,
  certsDirs,
  linkSecretStep,
  nodeTrustScript,
  registryCertificatesSecret,
  secretPems,
  secureWorkload,
  workloadServiceAccount,
} from '../templates/secure.js';
import { readRegistryLists, removeInsecureRegistry } from '../templates/docker-sysconfig.js';
import { collect, parseAbsolutePath, parseHostnames, parseInteger } from '../validate.js';
import { parseDays, parseKeySize } from './ca.js';
import { summary } from './catalog.js';
import { summarizeCertificate } from '../pki/pem.js';
import { describePlan, executePlan } from '../plan/legacy-execute.js';
import { BackupDir, defaultBackupRoot } from '../host/backup.js';
import { waitForRollout } from '../cluster/rollout.js';
import { formatSerial } from '../pki/serial.js';
import { checkWritableDir, readFilesIfPresent, readNodeConfig } from '../host/node-files.js';

export const DEFAULT_CERTS_D = '/etc/docker/certs.d';
export const DEFAULT_NODE_CONFIG = '/etc/sysconfig/docker';
/** A certificate with fewer days left than this is reported for renewal. */
export const RENEW_BEFORE_DAYS = 30;

export interface SecureFlags {
  signerCert?: string;
  signerKey?: string;
  signerSerial?: string;
  cert?: string;
  key?: string;
  certDir?: string;
  hostnames?: string[];
  expireDays: string;
  signerExpireDays: string;
  keySize: string;
  renew?: boolean;
  daemonset?: boolean;
  deployment?: boolean;
  wait?: boolean;
  timeout: string;
  trustLocal?: boolean;
  certsD: string;
  nodeConfig?: string;
  restart?: boolean;
}

export type CertSource =
  | { kind: 'signer'; certPath: string; keyPath: string; serialPath: string }
  | { kind: 'pair'; certPath: string; keyPath: string }
  /** The CA regctl creates once per cluster and reuses; `dir` undefined: ~/.regctl/pki/<server host>. */
  | { kind: 'regctl-ca'; dir?: string };

export type WorkloadKind = 'DeploymentConfig' | 'Deployment' | 'DaemonSet';

export interface SecureOptions {
  source: CertSource;
  /** Names beyond the service's own three. */
  hostnames: string[];
  days: number;
  signerDays: number;
  keyBits: number;
  renew: boolean;
  workloadKind?: WorkloadKind;
  wait: boolean;
  timeoutSeconds: number;
  trustLocal: boolean;
  certsD: string;
  /** With trustLocal: this node's docker sysconfig, whose --insecure-registry entry goes. */
  nodeConfig: string;
  /** With trustLocal: restart docker after editing nodeConfig. */
  restart: boolean;
}

/** What planSecure needs from the cluster (and this machine's trust files). */
export interface SecureLive {
  namespace: string;
  service: KubeObject;
  workload: KubeObject;
  secret?: KubeObject;
  /** The service accounts to link that exist (the pods' own and `default`). */
  serviceAccounts: KubeObject[];
  /** Those of them that do not exist (nothing to link). */
  missingServiceAccounts?: string[];
  /** Current content of the files --trust-local would write. */
  localFiles?: Record<string, string | undefined>;
  /** This node's docker sysconfig (symlinks resolved), when --trust-local and it exists. */
  nodeConfig?: { path: string; text: string };
}

/** The certificate decided on before planning, and the local files that go with it. */
export interface SecureCert {
  certPem: string;
  keyPem: string;
  /** The CA that nodes must trust. */
  caPem: string;
  /** A new regctl CA, an advanced serial file: written first. `keepMode`: an existing file keeps its mode. */
  files: { path: string; content: string; mode: number; keepMode?: boolean; what: string }[];
}


export function register(program: Command): void {
  program
    .command('secure')
    .description(summary('secure'))
    .option('--signer-cert <file>', 'sign with this CA certificate (else a CA regctl creates once in --cert-dir)')
    .option('--signer-key <file>', 'the key of --signer-cert')
    .option('--signer-serial <file>', "the CA's serial file, read and advanced (without it: a random serial)")
    .option('--cert <file>', 'use this certificate (it must cover the names) instead of issuing one')
    .option('--key <file>', 'the key of --cert')
    .option('--cert-dir <dir>', "where regctl keeps its CA for this cluster (default ~/.regctl/pki/<API server host>)")
    .option('--hostnames <names>', 'more names for the certificate, e.g. the route host (comma separated, repeatable)', collect)
    .option('--expire-days <days>', 'validity of the registry certificate in days', '730')
    .option('--signer-expire-days <days>', 'validity of a CA regctl creates, in days', '1825')
    .option('--key-size <bits>', 'RSA key size: 2048, 3072, 4096', '2048')
    .option('--renew', 'issue a new certificate even if the current one is fine')
    .option('--daemonset', 'secure the DaemonSet docker-registry')
    .option('--deployment', 'secure the apps/v1 Deployment docker-registry')
    .option('--wait', 'wait for the rollout and for "listening on :5000, tls" in the registry log')
    .option('--timeout <seconds>', 'how long --wait waits', '300')
    .option('--trust-local', 'install the CA for docker on this machine (<certs.d>/<ip>:<port>/ca.crt and the service name)')
    .option('--certs-d <dir>', "docker's certificates directory", DEFAULT_CERTS_D)
    .option('--node-config <file>', "with --trust-local: this node's docker sysconfig, from which the registry's --insecure-registry entry is removed (backed up)", DEFAULT_NODE_CONFIG)
    .option('--restart', 'with --trust-local: restart docker after editing --node-config (systemctl daemon-reload, restart docker)')
    .addHelpText(
      'after',
      `
Examples:
  # Everything, with a CA regctl keeps in ~/.regctl/pki/<cluster>, and wait for TLS
  regctl secure --wait

  # Sign with the master's CA, as the document does, and add the route host
  regctl secure --signer-cert=/etc/origin/master/ca.crt --signer-key=/etc/origin/master/ca.key \\
      --signer-serial=/etc/origin/master/ca.serial.txt --hostnames=docker-registry.apps.example.com

  # Review the Secret and the DeploymentConfig first
  regctl secure -o yaml`,
    )
    .action(action<SecureFlags>(runSecure));
}

/** Complete + Validate: flag combinations and values, nothing read yet. */
export function toOptions(f: SecureFlags): SecureOptions {
  const signerGiven = f.signerCert !== undefined || f.signerKey !== undefined || f.signerSerial !== undefined;
  const pairGiven = f.cert !== undefined || f.key !== undefined;
  if (signerGiven && pairGiven) throw new UsageError('--cert/--key and --signer-cert/--signer-key cannot be used together: use a certificate you have, or have one signed');
  if (f.certDir !== undefined && (signerGiven || pairGiven)) throw new UsageError('--cert-dir holds the CA regctl makes; it cannot be used with --signer-cert or --cert');
  let source: CertSource;
  if (pairGiven) {
    if (!f.cert) throw new UsageError('--key needs --cert');
    if (!f.key) throw new UsageError('--cert needs --key');
    source = { kind: 'pair', certPath: f.cert, keyPath: f.key };
  } else if (signerGiven) {
    if (!f.signerCert) throw new UsageError('--signer-key and --signer-serial need --signer-cert');
    if (!f.signerKey) throw new UsageError('--signer-cert needs --signer-key');
    source = { kind: 'signer', certPath: f.signerCert, keyPath: f.signerKey, serialPath: f.signerSerial ?? '' };
  } else {
    source = { kind: 'regctl-ca', dir: f.certDir };
  }
  if (f.daemonset && f.deployment) throw new UsageError('--daemonset and --deployment cannot be used together');
  if (f.restart && !f.trustLocal) throw new UsageError('--restart restarts docker on this machine after --trust-local; give --trust-local too');
  if (f.nodeConfig === '') throw new UsageError('--node-config: the file name is empty');
  return {
    source,
    hostnames: parseHostnames('--hostnames', f.hostnames ?? []),
    days: parseDays('--expire-days', f.expireDays),
    signerDays: parseDays('--signer-expire-days', f.signerExpireDays),
    keyBits: parseKeySize('--key-size', f.keySize),
    renew: f.renew === true,
    workloadKind: f.daemonset ? 'DaemonSet' : f.deployment ? 'Deployment' : undefined,
    wait: f.wait === true,
    timeoutSeconds: parseInteger('--timeout', f.timeout, 1, 86400),
    trustLocal: f.trustLocal === true,
    certsD: parseAbsolutePath('--certs-d', f.certsD),
    nodeConfig: f.nodeConfig ?? DEFAULT_NODE_CONFIG,
    restart: f.restart === true,
  };
}

/** The service's cluster IP and (first) port: the address clients use. */
export function serviceEndpoint(service: KubeObject): { clusterIP: string; port: number } {
  const spec = (service as { spec?: { clusterIP?: string; ports?: { port: number }[] } }).spec;
  const clusterIP = spec?.clusterIP;
  if (!clusterIP || clusterIP === 'None') {
    throw new OperationError(`service "${service.metadata.name}" has no cluster IP, so no certificate can name it`, 'recreate it with regctl deploy (or regctl reuse-ip)');
  }
  return { clusterIP, port: spec?.ports?.[0]?.port ?? 5000 };
}

/** How the registry may appear in docker's --insecure-registry list: by address or by service name. */
export function insecureEntries(namespace: string, clusterIP: string, port: number): string[] {
  const host = clusterIP.includes(':') ? `[${clusterIP}]` : clusterIP;
  return [`${host}:${port}`, `${REGISTRY_NAME}.${namespace}.svc:${port}`, `${REGISTRY_NAME}.${namespace}.svc.cluster.local:${port}`];
}

/** The names the certificate must cover: the service IP, its two DNS names, and --hostnames. */
export function secureNames(o: Pick<SecureOptions, 'hostnames'>, namespace: string, clusterIP: string): string[] {
  return [...new Set([clusterIP, `${REGISTRY_NAME}.${namespace}.svc`, `${REGISTRY_NAME}.${namespace}.svc.cluster.local`, ...o.hostnames])];
}

function refOf(o: KubeObject): ObjectRef {
  return { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace };
}

/** The object as it will be, without the server's bookkeeping (for -o yaml). */
function asDesired(o: KubeObject): KubeObject {
  const { uid: _u, resourceVersion: _r, creationTimestamp: _c, generation: _g, managedFields: _m, selfLink: _s, ...metadata } = o.metadata;
  const { status: _status, ...rest } = o;
  return { ...rest, metadata } as KubeObject;
}

export function desiredSecret(live: SecureLive, cert: SecureCert): KubeObject {
  const labels = (live.workload.metadata.labels ?? {}) as Record<string, string>;
  return registryCertificatesSecret({ namespace: live.namespace, labels, certPem: cert.certPem, keyPem: cert.keyPem });
}

function sameData(a: KubeObject | undefined, b: KubeObject): boolean {
  const da = (a as { data?: Record<string, string> } | undefined)?.data ?? {};
  const db = (b as { data?: Record<string, string> }).data ?? {};
  return a !== undefined && (a as { type?: string }).type === (b as { type?: string }).type && JSON.stringify(da) === JSON.stringify(db) && Object.keys(da).length === Object.keys(db).length;
}

/** The local certificate files (a new CA, the serial) as plan steps. */
export function certFileSteps(cert: SecureCert): Step[] {
  return cert.files.map((f) => ({
    kind: 'writeFile',
    describe: `write the ${f.what} ${f.path}${f.keepMode ? '' : ` (mode ${f.mode.toString(8).padStart(4, '0')})`}`,
    path: f.path,
    content: f.content,
    // Without a mode the executor keeps an existing file's own (oc sets the serial's only on creation).
    ...(f.keepMode ? {} : { mode: f.mode }),
  }));
}

/**
 * The whole change, pure: local certificate files first, then the Secret, the service account
 * links, the workload, and (with --trust-local) the CA for docker on this machine. A step is
 * left out when the live state already has what it would make, so a second run plans nothing.
 */
export function planSecure(opts: SecureOptions, live: SecureLive, cert: SecureCert): Plan {
  const steps: Step[] = [...certFileSteps(cert)];
  const ns = live.namespace;
  const secret = desiredSecret(live, cert);
  if (!live.secret) steps.push({ kind: 'create', describe: `create secret ${CERTS_SECRET} in ${ns} (registry.crt, registry.key)`, object: secret });
  else if (!sameData(live.secret, secret)) {
    steps.push({ kind: 'replace', describe: `replace secret ${CERTS_SECRET} in ${ns} with the new certificate`, object: { ...secret, metadata: { ...secret.metadata, labels: { ...(live.secret.metadata.labels ?? {}), ...(secret.metadata.labels ?? {}) } } } });
  }
  for (const sa of live.serviceAccounts) {
    const link = linkSecretStep(sa);
    if (link) steps.push(link);
  }
  const secured = secureWorkload(live.workload);
  if (secured !== live.workload) {
    steps.push({
      kind: 'replace',
      describe: `${live.workload.kind.toLowerCase()} ${live.workload.metadata.name}: mount secret ${CERTS_SECRET} at /etc/secrets, set REGISTRY_HTTP_TLS_CERTIFICATE and REGISTRY_HTTP_TLS_KEY, probes to HTTPS`,
      object: asDesired(secured),
    });
  }
  if (opts.trustLocal) {
    const { clusterIP, port } = serviceEndpoint(live.service);
    for (const dir of certsDirs({ certsD: opts.certsD, clusterIP, port, namespace: ns })) {
      const path = `${dir}/ca.crt`;
      if (live.localFiles?.[path] === cert.caPem) continue;
      steps.push({ kind: 'writeFile', describe: `trust the registry CA for docker here: ${path}`, path, content: cert.caPem, mode: 0o644 });
    }
    if (live.nodeConfig) {
      // Seed 003 step 12: the --insecure-registry entry for this registry goes; others stay.
      const entries = insecureEntries(ns, clusterIP, port);
      const listed = readRegistryLists(live.nodeConfig.text).insecure.filter((r) => entries.includes(r));
      const text = entries.reduce((t, r) => removeInsecureRegistry(t, r), live.nodeConfig.text);
      if (text !== live.nodeConfig.text) {
        steps.push({ kind: 'writeFile', describe: `remove --insecure-registry ${listed.join(', ')} from ${live.nodeConfig.path}`, path: live.nodeConfig.path, content: text });
        if (opts.restart) {
          steps.push({ kind: 'exec', describe: 'reload systemd units (systemctl daemon-reload)', command: 'systemctl', args: ['daemon-reload'] });
          steps.push({ kind: 'exec', describe: 'restart docker (systemctl restart docker)', command: 'systemctl', args: ['restart', 'docker'] });
        }
      }
    }
  }
  return { command: 'secure', steps };
}

function leafAndChain(pem: string): { leaf: string; chain: string } {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/g) ?? [];
  const norm = (b: string) => (b.endsWith('\n') ? b : b + '\n');
  return { leaf: norm(blocks[0] ?? ''), chain: blocks.slice(1).map(norm).join('') };
}

export function defaultCertDir(env: NodeJS.ProcessEnv, server: string): string {
  let host = 'cluster';
  try {
    host = new URL(server).host.replace(/[^A-Za-z0-9.-]+/g, '_');
  } catch {
    /* keep the fallback */
  }
  return join(env.HOME ?? homedir(), '.regctl', 'pki', host);
}

/**
 * Decides the certificate, doing every fallible thing (reading, checking, key generation,
 * signing) and writing nothing: the files it needs written come back in `files`.
 */
export async function obtainCertificate(o: SecureOptions, live: SecureLive, names: string[], ctx: Context, server: string): Promise<SecureCert> {
  const pki = await import('../pki/ca.js');
  const now = ctx.now();
  const describe = (what: string, s: { notAfter: Date }) => info(ctx.io, `${what}, valid until ${s.notAfter.toISOString().slice(0, 10)}`);

  if (o.source.kind === 'pair') {
    const pair = pki.readPair('--cert', o.source.certPath, '--key', o.source.keyPath);
    const problems = pki.pairProblems(pair.summary, names, now);
    if (problems.length) {
      throw new UsageError(`--cert: "${o.source.certPath}" cannot serve the registry: ${problems.join('; ')}`, `issue one that covers ${names.join(',')}: regctl ca create-server-cert --hostnames=${names.join(',')} ... (or leave out --cert and let regctl issue it)`);
    }
    const soon = pki.pairProblems(pair.summary, names, now, RENEW_BEFORE_DAYS);
    for (const p of soon) warn(ctx.io, `--cert: "${o.source.certPath}": ${p}; replace it soon`);
    const { leaf, chain } = leafAndChain(pair.certPem);
    if (!chain) warn(ctx.io, `--cert: "${o.source.certPath}" holds no CA after the certificate; nodes will be told to trust the certificate itself`);
    describe(`using the certificate in ${o.source.certPath} (${pair.summary.subject})`, pair.summary);
    return { certPem: pair.certPem, keyPem: pair.keyPem, caPem: chain ? leafAndChain(chain).leaf : leaf, files: [] };
  }

  const current = secretPems(live.secret);
  if (current && !o.renew) {
    const check = (() => {
      try {
        const cert = new X509Certificate(leafAndChain(current.certPem).leaf);
        const matches = cert.checkPrivateKey(createPrivateKey(current.keyPem));
        return { cert, matches };
      } catch {
        return undefined;
      }
    })();
    if (check?.matches) {
      const summary = summarizeCertificate(check.cert);
      const problems = pki.pairProblems(summary, names, now, RENEW_BEFORE_DAYS);
      for (const p of problems) warn(ctx.io, `secret ${CERTS_SECRET}: the certificate ${p.replace(/^it /, '')}`);
      if (problems.length) commands(ctx.io, [`regctl secure --renew${o.hostnames.length ? ` --hostnames=${o.hostnames.join(',')}` : ''}   # issue a new one for ${names.join(', ')}`]);
      else describe(`keeping the certificate in secret ${CERTS_SECRET} (${summary.subject}; --renew issues a new one)`, summary);
      const { leaf, chain } = leafAndChain(current.certPem);
      return { certPem: current.certPem, keyPem: current.keyPem, caPem: chain ? leafAndChain(chain).leaf : leaf, files: [] };
    }
    warn(ctx.io, `secret ${CERTS_SECRET} holds no usable certificate and key; issuing a new one`);
  }

  const files: SecureCert['files'] = [];
  let issued: Awaited<ReturnType<typeof pki.issueWith>>;
  if (o.source.kind === 'signer') {
    const r = await pki.issueServerCert({ signer: { certPath: o.source.certPath, keyPath: o.source.keyPath, serialPath: o.source.serialPath }, hostnames: names, days: o.days, keyBits: o.keyBits }, now, ctx.randomBytes);
    if (r.serialFile) files.push(r.serialFile);
    issued = r;
  } else {
    const dir = o.source.dir ?? defaultCertDir(ctx.env, server);
    const ca = await pki.regctlCA(dir, { name: `regctl-signer@${Math.floor(now.getTime() / 1000)}`, days: o.signerDays, keyBits: o.keyBits }, now, ctx.randomBytes);
    files.push(...ca.files);
    files.push({ path: ca.serialPath, content: formatSerial(ca.nextSerial), mode: 0o644, what: 'serial file' });
    issued = await pki.issueWith(ca.signer, ca.nextSerial, { hostnames: names, days: o.days, keyBits: o.keyBits }, now);
    info(ctx.io, ca.created ? `creating a CA for this cluster in ${dir} (keep it: nodes trust it)` : `signing with the regctl CA in ${dir}`);
  }
  for (const w of issued.warnings) warn(ctx.io, w);
  info(ctx.io, `issued a certificate for ${names.join(', ')} (serial ${issued.serial.toString(16).toUpperCase()}), signed by "${issued.signer.summary.subject}"`);
  return { certPem: issued.certPem, keyPem: issued.keyPem, caPem: leafAndChain(issued.signer.chainPem).leaf, files };
}

const WORKLOADS: Record<WorkloadKind, string> = { DeploymentConfig: 'apps.openshift.io/v1', Deployment: 'apps/v1', DaemonSet: 'apps/v1' };

/** The registry's workload: the kind asked for, else the first that exists (DeploymentConfig, Deployment, DaemonSet). */
export async function findWorkload(cluster: Cluster, namespace: string, kind: WorkloadKind | undefined, groups: ReadonlySet<string>): Promise<KubeObject> {
  const kinds: WorkloadKind[] = kind ? [kind] : groups.has('apps.openshift.io') ? ['DeploymentConfig', 'Deployment', 'DaemonSet'] : ['Deployment', 'DaemonSet'];
  for (const k of kinds) {
    const w = await cluster.get({ apiVersion: WORKLOADS[k], kind: k, name: REGISTRY_NAME, namespace });
    if (w) return w;
  }
  throw new OperationError(
    `no ${kinds.join(', ').replace(/, (?=[^,]*$)/, ' or ')} "${REGISTRY_NAME}" in namespace ${namespace}`,
    kind ? 'leave out --daemonset/--deployment to find the registry by itself, or run regctl deploy' : 'run regctl deploy',
  );
}

export async function readLive(cluster: Cluster, o: SecureOptions): Promise<SecureLive> {
  const namespace = cluster.namespace;
  const [info_, service] = await Promise.all([cluster.info(), cluster.get({ apiVersion: 'v1', kind: 'Service', name: REGISTRY_NAME, namespace })]);
  if (info_.platform === 'openshift4') {
    throw new OperationError(`the cluster at ${cluster.server} is OpenShift 4: the Image Registry Operator serves the registry over TLS already (service CA); regctl secure is for 3.x and Kubernetes`);
  }
  if (!service) throw new OperationError(`service "${REGISTRY_NAME}" not found in namespace ${namespace}: there is no registry to secure`, 'run regctl deploy');
  const workload = await findWorkload(cluster, namespace, o.workloadKind, info_.groups);
  const saNames = [...new Set([workloadServiceAccount(workload), 'default'])];
  const [secret, ...sas] = await Promise.all([
    cluster.get({ apiVersion: 'v1', kind: 'Secret', name: CERTS_SECRET, namespace }),
    ...saNames.map((name) => cluster.get({ apiVersion: 'v1', kind: 'ServiceAccount', name, namespace })),
  ]);
  return {
    namespace,
    service,
    workload,
    secret,
    serviceAccounts: sas.filter((s): s is KubeObject => s !== undefined),
    missingServiceAccounts: saNames.filter((_, i) => sas[i] === undefined),
  };
}

async function confirmTLS(cluster: Cluster, live: SecureLive, ctx: Context, deadline: number): Promise<void> {
  const sel = live.workload.kind === 'DeploymentConfig' ? (live.workload as any).spec?.selector : (live.workload as any).spec?.selector?.matchLabels;
  const labelSelector = Object.entries((sel ?? {}) as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(',');
  const interval = Number(ctx.env.REGCTL_POLL_INTERVAL_MS ?? 1000);
  for (;;) {
    const pods = (await cluster.list('v1', 'Pod', { namespace: live.namespace, labelSelector })) as (KubeObject & { status?: { phase?: string } })[];
    const running = pods.filter((p) => p.status?.phase === 'Running').sort((a, b) => String(b.metadata.creationTimestamp ?? '').localeCompare(String(a.metadata.creationTimestamp ?? '')));
    for (const p of running) {
      const log = await cluster.logs(live.namespace, p.metadata.name, { tailLines: 500 }).catch(() => '');
      const line = log.split('\n').find((l) => /listening on [^ ]*, tls/.test(l));
      if (line) {
        success(ctx.io, `pod ${p.metadata.name} is serving TLS: ${/msg="([^"]*)"/.exec(line)?.[1] ?? line.trim()}`);
        return;
      }
    }
    if (Date.now() >= deadline) {
      throw new OperationError(`no registry pod logged "listening on :5000, tls" in time`, `look at the log: oc logs ${live.workload.kind.toLowerCase()}/${live.workload.metadata.name} -n ${live.namespace} | grep tls`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

export async function runSecure(flags: SecureFlags, ctx: Context): Promise<void> {
  const o = toOptions(flags);
  if (o.trustLocal) checkWritableDir('--certs-d', o.certsD);
  const cluster = await ctx.cluster();
  const live = await readLive(cluster, o);
  const { clusterIP, port } = serviceEndpoint(live.service);
  const names = secureNames(o, live.namespace, clusterIP);
  for (const sa of live.missingServiceAccounts ?? []) warn(ctx.io, `service account ${sa} not found in ${live.namespace}: the secret is not linked to it`);
  const cert = await obtainCertificate(o, live, names, ctx, cluster.server);
  const trustPaths = certsDirs({ certsD: o.certsD, clusterIP, port, namespace: live.namespace }).map((d) => `${d}/ca.crt`);
  if (o.trustLocal) {
    live.localFiles = readFilesIfPresent(trustPaths);
    live.nodeConfig = readNodeConfig(o.nodeConfig);
    if (!live.nodeConfig) info(ctx.io, `no ${o.nodeConfig} on this machine: no --insecure-registry entry to remove`);
  }
  const plan = planSecure(o, live, cert);

  const backups = new BackupDir(ctx.globals.backupDir ?? defaultBackupRoot(ctx.env), 'secure', ctx.now());
  const out = ctx.globals.output;
  if (out === 'yaml' || out === 'json') {
    // The printed certificate is signed by the CA: keep the CA (and the serial) it came from.
    const local = certFileSteps(cert);
    if (local.length) await executePlan({ command: 'secure', steps: local }, { io: ctx.io, backups });
    ctx.io.out.write(formatObjects([desiredSecret(live, cert), asDesired(secureWorkload(live.workload))], out));
    return;
  }
  if (ctx.globals.dryRun === 'client') {
    if (plan.steps.length === 0) info(ctx.io, `the registry in ${live.namespace} already serves TLS from secret ${CERTS_SECRET}: nothing to change`);
    else {
      info(ctx.io, `would run, in namespace ${live.namespace}:`);
      commands(ctx.io, describePlan(plan));
    }
    return;
  }
  if (plan.steps.length === 0) {
    info(ctx.io, `the registry in ${live.namespace} already serves TLS from secret ${CERTS_SECRET}: nothing to change`);
  } else {
    await executePlan(plan, { cluster, io: ctx.io, serverDryRun: ctx.globals.dryRun === 'server', backups, report: out === 'name' ? 'name' : 'verbose' });
  }
  if (ctx.globals.dryRun === 'server') return;
  if (o.wait) {
    const deadline = Date.now() + o.timeoutSeconds * 1000;
    await waitForRollout(cluster, { apiVersion: live.workload.apiVersion, kind: live.workload.kind, name: live.workload.metadata.name, namespace: live.namespace }, { timeoutSeconds: o.timeoutSeconds, io: ctx.io });
    await confirmTLS(cluster, live, ctx, deadline);
  }
  if (!o.trustLocal) {
    info(ctx.io, `docker on every node must trust the registry's CA; run there:`);
    commands(ctx.io, nodeTrustScript({ certsD: o.certsD, clusterIP, port, namespace: live.namespace, caPem: cert.caPem }));
  } else if (!o.restart && plan.steps.some((s) => s.kind === 'writeFile' && s.path === live.nodeConfig?.path)) {
    info(ctx.io, `docker reads ${live.nodeConfig!.path} when it starts; to apply the change (or run again with --restart):`);
    commands(ctx.io, ['sudo systemctl daemon-reload && sudo systemctl restart docker']);
  }
  if (plan.steps.length) success(ctx.io, `registry "${REGISTRY_NAME}" in ${live.namespace} now serves TLS for ${names.join(', ')}`);
}
