// The subcommands' names and one-line summaries, in the order of the documents' procedures
// (`ca` last, as a tool the others use). Data only: a command module reads its summary here,
// and src/commands/index.ts pairs each name with its loader, so nothing imports in a circle.

export const SUMMARIES = {
  deploy: 'create the integrated registry: service account, role binding, DeploymentConfig (or DaemonSet/Deployment) and service, as `oc adm registry`',
  access: 'who may pull from and push to the registry: grant, revoke and check the documented roles (3.x system:registry, admin, system:image-builder; 4.x registry-viewer, registry-editor)',
  login: "log podman or docker in to the registry with the kubeconfig user's token: the route host when exposed, else the service address",
  secure: 'serve the registry over TLS: issue its certificate, store it in secret registry-certificates, mount it, switch env and probes to HTTPS, and make the nodes trust the CA',
  expose: "expose the registry outside the cluster: a passthrough route (3.x), the operator's routes (4.x), and the registry hostnames",
  'reuse-ip': "delete and re-create the registry's service and workload (with deploy's flags), keeping the service's cluster IP",
  whitelist: 'choose the registries nodes may pull from: /etc/sysconfig/docker on 3.x nodes, image.config.openshift.io/cluster on 4.x',
  'trust-ca': "trust other registries' CAs: 4.x image.config additionalTrustedCA (a ConfigMap key per registry, HOST..PORT), 3.x the registry's pullthrough (--pullthrough)",
  mirror: 'OpenShift 4.x: mirror image repositories (ImageContentSourcePolicy): nodes pull by digest from the mirrors first, then the source',
  'override-config': "manage the registry's config.yml: write the documented default, check a file, show the effective configuration, deploy it as ConfigMap registry-config",
  console: 'deploy the registry console (OpenShift 3.x): passthrough route, the registry-console template objects, optional certificate',
  status: 'check the registry against every documented problem (pods, storage, resources, TLS, route, config.yml, 4.x whitelist and mirrors, 3.x console): one line per check, with the command that fixes it',
  logs: "print the registry's logs from every pod of its workload (DeploymentConfig, DaemonSet, Deployment, or the 4.x operator's), follow them, or check it listens with TLS",
  metrics: 'registry metrics: enable them (3.x secret; cluster role prometheus-scraper, bound to --user) and query /extensions/v2/metrics for the imageregistry_* series',
  prefetch: "pre-fetch an image stream tag's layers into the registry through pullthrough (one ranged GET per layer, as the documents' curl loop)",
  ca: 'manage certificates and keys, as `oc adm ca`: a signer (CA) and server certificates signed by it',
} as const;

export type CommandName = keyof typeof SUMMARIES;

export function summary(name: CommandName): string {
  return SUMMARIES[name];
}
