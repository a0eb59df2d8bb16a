// The subcommands, in the order of the documents' procedures (`ca` last, as a tool the others
// use). Each module is imported only when its command runs (or for help and completion), so
// start-up parses one command, not all of them.
import type { Command } from 'commander';

export interface CommandModule {
  register(program: Command): void;
}

export interface CommandEntry {
  name: string;
  /** One line for `regctl --help`; the module's own command uses it too. */
  summary: string;
  /** What follows the name in `regctl --help` (default `[options]`), without loading the module. */
  args?: string;
  load(): Promise<CommandModule>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'deploy', summary: 'create the integrated registry: service account, role binding, DeploymentConfig (or DaemonSet/Deployment) and service, as `oc adm registry`', load: () => import('./deploy.js') },
  { name: 'secure', summary: 'serve the registry over TLS: issue its certificate, store it in secret registry-certificates, mount it, switch env and probes to HTTPS, and make the nodes trust the CA', load: () => import('./secure.js') },
  { name: 'expose', summary: 'expose the registry outside the cluster: a passthrough route (3.x), the operator\'s routes (4.x), and the registry hostnames', load: () => import('./expose.js') },
  { name: 'reuse-ip', summary: "delete and re-create the registry's service and workload (with deploy's flags), keeping the service's cluster IP", load: () => import('./reuse-ip.js') },
  { name: 'whitelist', summary: 'choose the registries nodes may pull from: /etc/sysconfig/docker on 3.x nodes, image.config.openshift.io/cluster on 4.x', load: () => import('./whitelist.js') },
  { name: 'mirror', summary: 'OpenShift 4.x: mirror image repositories (ImageContentSourcePolicy): nodes pull by digest from the mirrors first, then the source', load: () => import('./mirror.js') },
  { name: 'override-config', args: '[options] [file]', summary: "manage the registry's config.yml: write the documented default, check a file, show the effective configuration, deploy it as ConfigMap registry-config", load: () => import('./override-config.js') },
  { name: 'console', summary: 'deploy the registry console (OpenShift 3.x): passthrough route, the registry-console template objects, optional certificate', load: () => import('./console.js') },
  { name: 'ca', args: '', summary: 'manage certificates and keys, as `oc adm ca`: a signer (CA) and server certificates signed by it', load: () => import('./ca.js') },
];

export function summary(name: string): string {
  const c = COMMANDS.find((x) => x.name === name);
  if (!c) throw new Error(`internal: no command ${name}`);
  return c.summary;
}
