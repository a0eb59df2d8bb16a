// `regctl secure` flags → options: every flag checked, nothing read.
import { UsageError } from '../../errors.js';
import { parseRsaKeySize, parseValidityDays } from '../../pki/validity.js';
import type { RegistryWorkloadKind } from '../../registry/find.js';
import { DOCKER_CERTS_D } from '../../registry/trust.js';
import { parseAbsolutePath, parseHostnames, parseInteger } from '../../validate.js';

export const DEFAULT_CERTS_D = DOCKER_CERTS_D;
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
  replaceHostnames?: boolean;
  expireDays: string;
  signerExpireDays: string;
  keySize: string;
  renew?: boolean;
  daemonset?: boolean;
  deployment?: boolean;
  wait?: boolean;
  timeout: string;
  trustLocal?: boolean;
  trustScript?: string;
  certsD: string;
  nodeConfig?: string;
  restart?: boolean;
}

export type CertSource =
  | { kind: 'signer'; certPath: string; keyPath: string; serialPath: string }
  | { kind: 'pair'; certPath: string; keyPath: string }
  /** The CA regctl creates once per cluster and reuses; `dir` undefined: ~/.regctl/pki/<server host>. */
  | { kind: 'regctl-ca'; dir?: string };

export interface SecureOptions {
  source: CertSource;
  /** Names beyond the service's own three. */
  hostnames: string[];
  /** Issue for the service names and --hostnames only, dropping the names the current certificate and the routes have. */
  replaceHostnames: boolean;
  days: number;
  signerDays: number;
  keyBits: number;
  renew: boolean;
  workloadKind?: RegistryWorkloadKind;
  wait: boolean;
  timeoutSeconds: number;
  trustLocal: boolean;
  /** Write the node-trust script to this file instead of printing it. */
  trustScript?: string;
  certsD: string;
  /** With trustLocal: this node's docker sysconfig, whose --insecure-registry entry goes. */
  nodeConfig: string;
  /** With trustLocal: restart docker after editing nodeConfig. */
  restart: boolean;
}

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
  if (f.trustScript === '') throw new UsageError('--trust-script: the file name is empty');
  if (f.trustScript !== undefined && f.trustLocal) throw new UsageError('--trust-script writes the commands for the other nodes; --trust-local runs them here: give one');
  if (f.replaceHostnames && pairGiven) throw new UsageError('--replace-hostnames chooses the names of a certificate regctl issues; --cert brings its own');
  return {
    source,
    hostnames: parseHostnames('--hostnames', f.hostnames ?? []),
    replaceHostnames: f.replaceHostnames === true,
    days: parseValidityDays('--expire-days', f.expireDays),
    signerDays: parseValidityDays('--signer-expire-days', f.signerExpireDays),
    keyBits: parseRsaKeySize('--key-size', f.keySize),
    renew: f.renew === true,
    workloadKind: f.daemonset ? 'DaemonSet' : f.deployment ? 'Deployment' : undefined,
    wait: f.wait === true,
    timeoutSeconds: parseInteger('--timeout', f.timeout, 1, 86400),
    trustLocal: f.trustLocal === true,
    trustScript: f.trustScript,
    certsD: parseAbsolutePath('--certs-d', f.certsD),
    nodeConfig: f.nodeConfig ?? DEFAULT_NODE_CONFIG,
    restart: f.restart === true,
  };
}
