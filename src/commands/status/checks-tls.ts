// tls: does the registry serve TLS, with a certificate that names every way clients reach it,
// that is not expiring, that chains to the CA nodes trust; do the probes use the same scheme;
// does a node still skip verification for it? Seed 003 "Securing the Registry" (steps 1-10,
// the names: service IP and hostname), seed 000 registry hostnames, seed 003 "Exposing the
// Registry" (passthrough: the route host in the certificate). Pure: the probe's result is an input.
import { X509Certificate } from 'node:crypto';
import { daysLeft, summarizeCertificate } from '../../pki/pem.js';
import { missingNames } from '../../pki/names.js';
import type { TlsProbeResult } from '../../registry/tls-probe.js';
import { readRegistryLists } from '../../templates/docker-sysconfig.js';
import { certificateBlocks } from '../../pki/pem.js';
import { workloadEnv, failure, pass, registryContainerOf, skip, warning, type Check } from './check.js';
import type { StatusLive } from './live.js';

type Obj = Record<string, any>;
const SRC = 'seed 003 "Securing the Registry"';

export interface TlsInputs {
  now: Date;
  /** What answered where the registry was probed; undefined when not probed (no TLS configured). */
  probe?: { target: string; result: TlsProbeResult };
  ca?: { path: string; pem: string };
  /** Registry hostnames configured on the master (imagePolicyConfig), host[:port]. */
  hostnames: string[];
  nodeConfig?: { path: string; text: string };
}

export function servesTls(live: StatusLive): boolean {
  if (live.info.platform === 'openshift4') return true;
  return live.workload ? workloadEnv(live.workload).REGISTRY_HTTP_TLS_CERTIFICATE !== undefined : false;
}

/** The names clients use: service IP, service DNS names, a passthrough route's host, configured hostnames. */
export function wantedNames(live: StatusLive, hostnames: string[]): string[] {
  const svc = live.service;
  const ip = (svc?.spec as Obj | undefined)?.clusterIP as string | undefined;
  const names = [`${live.loc.name}.${live.loc.namespace}.svc`, `${live.loc.name}.${live.loc.namespace}.svc.cluster.local`];
  if (live.info.platform !== 'openshift4') {
    if (ip && ip !== 'None') names.unshift(ip);
    for (const r of live.routes) if ((r.spec as Obj)?.tls?.termination === 'passthrough' && (r.spec as Obj)?.host) names.push((r.spec as Obj).host);
    names.push(...hostnames.map((h) => h.replace(/:\d+$/, '')));
  }
  return [...new Set(names)];
}

export function tlsChecks(live: StatusLive, inp: TlsInputs): Check[] {
  const w = live.workload;
  if (!w) return [];
  const v4 = live.info.platform === 'openshift4';
  const tls = servesTls(live);
  const out: Check[] = [];
  const container = registryContainerOf(w) ?? {};
  const probes = (['livenessProbe', 'readinessProbe'] as const).filter((p) => container[p]?.httpGet);
  const wrong = probes.filter((p) => (container[p].httpGet.scheme ?? 'HTTP') !== (tls ? 'HTTPS' : 'HTTP'));
  if (wrong.length) {
    out.push(failure('tls', `${wrong.join(' and ')} use ${tls ? 'HTTP' : 'HTTPS'} but the registry serves ${tls ? 'HTTPS' : 'HTTP'}: the pods are restarted or never ready`, tls ? 'regctl secure (sets the probes to HTTPS)' : `oc set probe ${w.kind.toLowerCase()}/${w.metadata.name} --liveness --readiness --get-url=http://:5000/healthz`, `${SRC} step 9`));
  } else if (probes.length) {
    out.push(pass('tls', `probes use ${tls ? 'HTTPS' : 'HTTP'}, as the registry serves`, `${SRC} step 9`));
  }
  if (!tls) {
    out.push(warning('tls', 'the registry serves plain HTTP: nodes must list it as an insecure registry', 'regctl secure', SRC));
    return out;
  }
  out.push(...nodeInsecureCheck(live, inp));
  const probe = inp.probe;
  if (!probe) return out;
  if (probe.result.kind === 'unreachable') {
    out.push(skip('tls', `could not reach ${probe.target} from here (${probe.result.message}): certificate not checked — run on a master or node, or give --registry-url after oc port-forward`, SRC));
    return out;
  }
  if (probe.result.kind === 'not-tls') {
    out.push(failure('tls', `${probe.result.message}: the registry is configured for TLS but does not serve it`, 'regctl logs --tls-check; regctl secure', `${SRC} step 10`));
    return out;
  }
  const chain = probe.result.chainPem.map((p) => new X509Certificate(p));
  const leaf = chain[0];
  if (!leaf) {
    out.push(failure('tls', `${probe.target} sent no certificate`, 'regctl secure --renew', SRC));
    return out;
  }
  const sum = summarizeCertificate(leaf);
  out.push(pass('tls', `served at ${probe.target} (${probe.result.protocol ?? 'TLS'}), certificate "${sum.commonName}" issued by "${sum.issuer}"`, `${SRC} step 10`));
  const missing = missingNames(sum, wantedNames(live, inp.hostnames));
  if (missing.length) {
    out.push(failure('tls', `the certificate does not name ${missing.join(', ')}: clients using ${missing.length === 1 ? 'it' : 'them'} refuse the registry`, v4 ? 'the service CA issues it: oc delete secret image-registry-tls -n openshift-image-registry (re-issued)' : `regctl secure --renew${missing.some((m) => !m.includes('.svc') && !/^\d/.test(m)) ? ` --hostnames=${missing.filter((m) => !m.includes('.svc') && !/^\d/.test(m)).join(',')}` : ''}`, `${SRC} step 1; seed 003 "Exposing the Registry"`));
  } else {
    out.push(pass('tls', `the certificate names ${wantedNames(live, inp.hostnames).join(', ')}`, `${SRC} step 1`));
  }
  const days = daysLeft(sum.notAfter, inp.now);
  const renew = v4 ? 'the service CA renews it by itself; oc delete secret image-registry-tls -n openshift-image-registry forces it' : 'regctl secure --renew';
  if (days < 0) out.push(failure('tls', `the certificate expired ${daysLeft(inp.now, sum.notAfter)} days ago (${sum.notAfter.toISOString().slice(0, 10)})`, renew, SRC));
  else if (days < 30) out.push(warning('tls', `the certificate expires in ${days} days (${sum.notAfter.toISOString().slice(0, 10)})`, renew, SRC));
  else out.push(pass('tls', `the certificate is valid for ${days} more days`, SRC));
  if (inp.ca) out.push(chainCheck(chain, inp.ca, v4));
  return out;
}

function chainCheck(chain: X509Certificate[], ca: { path: string; pem: string }, v4: boolean): Check {
  const roots = certificateBlocks(ca.pem).map((p) => new X509Certificate(p));
  const issuedBy = (c: X509Certificate, by: X509Certificate) => c.checkIssued(by) && c.verify(by.publicKey);
  let current = chain[0]!;
  for (let depth = 0; depth < 8; depth++) {
    if (roots.some((r) => issuedBy(current, r) || current.fingerprint256 === r.fingerprint256)) return pass('tls', `the chain verifies against ${ca.path}`, `${SRC} step 1 (signed by the cluster CA)`);
    const next = chain.find((c) => c !== current && issuedBy(current, c));
    if (!next) break;
    current = next;
  }
  return failure('tls', `the certificate does not chain to the CA in ${ca.path} (issuer "${summarizeCertificate(current).issuer}"): nodes trusting that CA refuse it`, v4 ? 'give --ca the service CA (oc get configmap -n openshift-config-managed service-ca -o jsonpath={.data.ca-bundle\\.crt})' : 'regctl secure --renew --signer-cert CA --signer-key KEY', `${SRC} step 1`);
}

/** Seed 003 step 7 (after securing, remove --insecure-registry for this registry on every node). */
function nodeInsecureCheck(live: StatusLive, inp: TlsInputs): Check[] {
  if (!inp.nodeConfig || live.info.platform === 'openshift4') return [];
  const svc = live.service?.spec as Obj | undefined;
  const ip = svc?.clusterIP as string | undefined;
  const port = (svc?.ports?.[0]?.port as number | undefined) ?? 5000;
  const entries = new Set([`${ip}:${port}`, `${live.loc.name}.${live.loc.namespace}.svc:${port}`, `${live.loc.name}.${live.loc.namespace}.svc.cluster.local:${port}`]);
  const insecure = readRegistryLists(inp.nodeConfig.text).insecure;
  const hits = insecure.filter((e) => entries.has(e) || (ip !== undefined && inCidr(ip, e)));
  if (hits.length === 0) return [pass('tls', `${inp.nodeConfig.path} does not skip verification for the registry`, `${SRC} step 7`)];
  return [warning('tls', `${inp.nodeConfig.path} still has --insecure-registry ${hits.join(', ')}: docker on this node does not verify the registry's certificate`, `regctl secure --trust-local --node-config ${inp.nodeConfig.path}`, `${SRC} step 7`)];
}

function inCidr(ip: string, entry: string): boolean {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(entry);
  const a = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (!m || !a) return false;
  const num = (x: RegExpExecArray) => ((+x[1]! << 24) | (+x[2]! << 16) | (+x[3]! << 8) | +x[4]!) >>> 0;
  const bits = Number(m[5]);
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (num(a) & mask) === (num(m) & mask);
}
