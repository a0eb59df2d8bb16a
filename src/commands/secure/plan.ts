// The whole of `regctl secure`, pure: local certificate files first (a new CA, the serial), then
// the Secret, the service account links, the workload, and the node side (--trust-local here,
// --trust-script to a file, else commands printed for every node). A step is left out when the
// live state already has what it would make, so a second run plans nothing.
import type { ClusterInfo } from '../../cluster/types.js';
import { sameData } from '../../objects.js';
import { fileStep } from '../../pki/files.js';
import { recreatable } from '../../plan/execute.js';
import { emptyPlan, type KubeObject, type Plan, type Step } from '../../plan/types.js';
import { printfLines, runtimesToTrust, trustCommands } from '../../registry/trust.js';
import { readRegistryLists, removeInsecureRegistry } from '../../templates/docker-sysconfig.js';
import { REGISTRY_NAME } from '../../templates/registry.js';
import { CERTS_SECRET, certsDirs, linkSecretStep, registryAddresses, registryCertificatesSecret, secureWorkload } from '../../templates/secure.js';
import { serviceEndpoint, type SecureCert } from './certificate.js';
import type { SecureLive } from './live.js';
import type { SecureOptions } from './options.js';

/** What is on this machine now, for the files the plan may write. */
export interface SecureLocal {
  /** Current content of the CA files --trust-local would write. */
  trustFiles?: Record<string, string | undefined>;
  /** This node's docker sysconfig (symlinks resolved), when --trust-local and it exists. */
  nodeConfig?: { path: string; text: string };
  /** The current content of --trust-script FILE. */
  trustScript?: string;
}

/** The file the printed commands write the CA to first, in the directory they are run from. */
export const CA_FILE = 'registry-ca.crt';

/** How the registry may appear in docker's --insecure-registry list: by address or by service name. */
export function insecureEntries(namespace: string, clusterIP: string, port: number): string[] {
  return [...registryAddresses({ clusterIP, port, namespace }), `${REGISTRY_NAME}.${namespace}.svc:${port}`];
}

function desiredSecret(live: SecureLive, cert: SecureCert): KubeObject {
  const labels = (live.workload.metadata.labels ?? {}) as Record<string, string>;
  const secret = registryCertificatesSecret({ namespace: live.namespace, labels, certPem: cert.certPem, keyPem: cert.keyPem });
  // Labels someone added to an existing Secret stay.
  if (live.secret) secret.metadata.labels = { ...(live.secret.metadata.labels ?? {}), ...(secret.metadata.labels ?? {}) };
  return secret;
}

function sameSecret(a: KubeObject, b: KubeObject): boolean {
  return (a as { type?: string }).type === (b as { type?: string }).type && sameData(a, b);
}


/** The commands that make a node trust the registry: the CA written once, then each runtime's files. */
export function nodeTrustScript(o: Pick<SecureOptions, 'certsD' | 'nodeConfig'>, live: Pick<SecureLive, 'namespace' | 'service' | 'runtimes'> & { info: Pick<ClusterInfo, 'platform'> }, caPem: string): string[] {
  const { clusterIP, port } = serviceEndpoint(live.service as KubeObject);
  const runtimes = runtimesToTrust(live.runtimes, live.info.platform);
  const lines = [
    `# On every node (${live.runtimes ? `runtime${runtimes.length > 1 ? 's' : ''} reported by the nodes: ${runtimes.join(', ')}` : 'node runtimes not readable: steps for each'}), trust the registry's CA:`,
    ...printfLines(caPem, CA_FILE),
    ...trustCommands({ hosts: registryAddresses({ clusterIP, port, namespace: live.namespace }), caFile: CA_FILE, runtimes, dockerCertsD: o.certsD }),
  ];
  if (runtimes.includes('docker')) {
    lines.push(`# docker: remove "--insecure-registry" for ${insecureEntries(live.namespace, clusterIP, port).join(' or ')} from ${o.nodeConfig} (if listed), then:`);
    lines.push('sudo systemctl daemon-reload && sudo systemctl restart docker');
  }
  lines.push(`rm -f ${CA_FILE}`);
  return lines;
}

export function planSecure(o: SecureOptions, live: SecureLive, cert: SecureCert, local: SecureLocal = {}): Plan {
  const plan = emptyPlan('secure', live.info.platform === 'kubernetes' ? 'kubectl' : 'oc');
  const ns = live.namespace;
  for (const sa of live.missingServiceAccounts) plan.warnings.push(`service account ${sa} not found in ${ns}: the secret is not linked to it`);
  plan.steps.push(...cert.files.map(fileStep));

  const secret = desiredSecret(live, cert);
  if (!live.secret) plan.steps.push({ kind: 'create', describe: `create secret ${CERTS_SECRET} in ${ns} (registry.crt, registry.key)`, object: secret });
  else if (!sameSecret(live.secret, secret)) plan.steps.push({ kind: 'update', describe: `replace secret ${CERTS_SECRET} in ${ns} with the new certificate`, object: secret, live: live.secret });
  for (const sa of live.serviceAccounts) {
    const link = linkSecretStep(sa);
    if (link?.kind === 'patch') plan.steps.push({ ...link, after: link.after && recreatable(link.after) });
  }
  const secured = secureWorkload(live.workload);
  if (secured !== live.workload) {
    plan.steps.push({
      kind: 'update',
      describe: `${live.workload.kind.toLowerCase()} ${live.workload.metadata.name}: mount secret ${CERTS_SECRET} at /etc/secrets, set REGISTRY_HTTP_TLS_CERTIFICATE and REGISTRY_HTTP_TLS_KEY, probes to HTTPS`,
      object: recreatable(secured),
      live: live.workload,
    });
  }

  const { clusterIP, port } = serviceEndpoint(live.service);
  if (o.trustLocal) {
    for (const dir of certsDirs({ certsD: o.certsD, clusterIP, port, namespace: ns })) {
      const path = `${dir}/ca.crt`;
      if (local.trustFiles?.[path] === cert.caPem) continue;
      plan.steps.push({ kind: 'writeFile', describe: `trust the registry CA for docker here: ${path}`, path, content: cert.caPem, mode: 0o644 });
    }
    if (local.nodeConfig) {
      // Seed 003 step 12: the --insecure-registry entry for this registry goes; others stay.
      const entries = insecureEntries(ns, clusterIP, port);
      const listed = readRegistryLists(local.nodeConfig.text).insecure.filter((r) => entries.includes(r));
      const text = entries.reduce((t, r) => removeInsecureRegistry(t, r), local.nodeConfig.text);
      if (text !== local.nodeConfig.text) {
        plan.steps.push({ kind: 'writeFile', describe: `remove --insecure-registry ${listed.join(', ')} from ${local.nodeConfig.path}`, path: local.nodeConfig.path, content: text });
        if (o.restart) {
          plan.steps.push({ kind: 'exec', describe: 'reload systemd units (systemctl daemon-reload)', command: 'systemctl', args: ['daemon-reload'] });
          plan.steps.push({ kind: 'exec', describe: 'restart docker (systemctl restart docker)', command: 'systemctl', args: ['restart', 'docker'] });
        } else {
          plan.notes.push(`# docker reads ${local.nodeConfig.path} when it starts; to apply the change (or run again with --restart):`, 'sudo systemctl daemon-reload && sudo systemctl restart docker');
        }
      }
    }
  } else if (o.trustScript) {
    const script = ['#!/bin/sh', '# Written by regctl secure: run it on every node (as a user who may sudo).', 'set -e', ...nodeTrustScript(o, live, cert.caPem), ''].join('\n');
    if (local.trustScript !== script) plan.steps.push({ kind: 'writeFile', describe: `write the node trust script ${o.trustScript} (mode 0755)`, path: o.trustScript, content: script, mode: 0o755 });
    plan.notes.push(`# copy ${o.trustScript} to every node and run it there: sh ${o.trustScript}`);
  } else {
    plan.notes.push(...nodeTrustScript(o, live, cert.caPem));
  }
  plan.nothing = `the registry in ${ns} already serves TLS from secret ${CERTS_SECRET}: nothing to change`;
  plan.done = `registry "${REGISTRY_NAME}" in ${ns} now serves TLS for ${cert.names.join(', ')}`;
  return plan;
}
