// Making a node's container runtime trust the registry's CA: docker (certs.d), containerd
// (certs.d/HOST/hosts.toml with `ca`) and CRI-O / podman (containers/certs.d). The commands are
// printed for an administrator to paste, so every line runs as printed: no heredoc (the
// printed block is indented), each PEM line a separate printf argument.
import type { KubeObject } from '../objects.js';

export type NodeRuntime = 'docker' | 'containerd' | 'cri-o';

export const DOCKER_CERTS_D = '/etc/docker/certs.d';
export const CONTAINERD_CERTS_D = '/etc/containerd/certs.d';
export const CONTAINERS_CERTS_D = '/etc/containers/certs.d';

/** The runtimes the nodes report (status.nodeInfo.containerRuntimeVersion, e.g. `containerd://1.7.2`); undefined when unknown. */
export function nodeRuntimes(nodes: KubeObject[] | undefined): NodeRuntime[] | undefined {
  if (!nodes?.length) return undefined;
  const found = new Set<NodeRuntime>();
  for (const n of nodes) {
    const v = (n.status as { nodeInfo?: { containerRuntimeVersion?: string } } | undefined)?.nodeInfo?.containerRuntimeVersion ?? '';
    const scheme = v.split('://')[0]!.toLowerCase();
    if (scheme === 'docker') found.add('docker');
    else if (scheme === 'containerd') found.add('containerd');
    else if (scheme === 'cri-o' || scheme === 'crio') found.add('cri-o');
  }
  return found.size ? [...found] : undefined;
}

/** Which runtimes to give steps for: those the nodes report, else what the platform usually runs. */
export function runtimesToTrust(reported: NodeRuntime[] | undefined, platform: 'openshift3' | 'openshift4' | 'kubernetes'): NodeRuntime[] {
  if (reported?.length) return reported;
  return platform === 'kubernetes' ? ['containerd', 'cri-o', 'docker'] : ['docker'];
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** `printf` lines that write `content` to `file` (through sudo tee when `sudo`). */
export function printfLines(content: string, file: string, sudo = false): string[] {
  const lines = content.replace(/\n$/, '').split('\n');
  const sink = sudo ? `| sudo tee ${file} >/dev/null` : `> ${file}`;
  return [`printf '%s\\n' \\`, ...lines.map((l, i) => `  ${shellQuote(l)}${i === lines.length - 1 ? ` ${sink}` : ' \\'}`)];
}

/** containerd's hosts.toml for a registry served over TLS with its own CA. */
export function containerdHostsToml(host: string, caPath: string): string {
  return `server = "https://${host}"\n\n[host."https://${host}"]\n  capabilities = ["pull", "resolve", "push"]\n  ca = "${caPath}"\n`;
}

/**
 * The commands that make each runtime trust `caFile` (a file on the node) for each registry
 * address (`host` or `host:port`). `dockerCertsD` is docker's directory (--certs-d).
 */
export function trustCommands(o: { hosts: string[]; caFile: string; runtimes: NodeRuntime[]; dockerCertsD?: string }): string[] {
  const out: string[] = [];
  for (const rt of o.runtimes) {
    if (rt === 'docker') {
      const d = o.dockerCertsD ?? DOCKER_CERTS_D;
      out.push('# docker: certs.d/<host:port>/ca.crt (read on each pull; no restart needed for the CA)');
      for (const h of o.hosts) out.push(`sudo install -D -m 0644 ${o.caFile} ${d}/${h}/ca.crt`);
    } else if (rt === 'containerd') {
      out.push(`# containerd: certs.d/<host:port>/hosts.toml naming the CA (the CRI plugin's registry config_path must be ${CONTAINERD_CERTS_D})`);
      for (const h of o.hosts) {
        const dir = `${CONTAINERD_CERTS_D}/${h}`;
        out.push(`sudo install -D -m 0644 ${o.caFile} ${dir}/ca.crt`);
        out.push(...printfLines(containerdHostsToml(h, `${dir}/ca.crt`), `${dir}/hosts.toml`, true));
      }
    } else {
      out.push('# CRI-O and podman: containers/certs.d/<host:port>/ca.crt');
      for (const h of o.hosts) out.push(`sudo install -D -m 0644 ${o.caFile} ${CONTAINERS_CERTS_D}/${h}/ca.crt`);
    }
  }
  return out;
}
