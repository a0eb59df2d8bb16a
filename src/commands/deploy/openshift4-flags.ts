// The OpenShift 4 flags of `deploy` and the checks on them that need no cluster. Imported at
// start-up (they are part of `deploy --help`); everything else for 4.x loads only when used.
import { type Command, Option } from 'commander';
import type { Platform } from '../../cluster/types.js';
import { UsageError } from '../../errors.js';
import { CREDENTIALS_SECRET, DEFAULT_CLAIM_SIZE, LOG_LEVELS } from '../../templates/operator.js';
import { collect } from '../../validate.js';

/** The flags `deploy` reads on OpenShift 4 (shared ones included). */
export interface OpenShift4Flags {
  pvc?: string | true;
  claimSize?: string;
  emptyDir?: boolean;
  s3?: string;
  gcs?: string;
  azure?: string;
  swift?: string;
  region?: string;
  regionEndpoint?: string;
  encrypt?: boolean;
  keyId?: string;
  projectId?: string;
  accountName?: string;
  authUrl?: string;
  tenant?: string;
  domain?: string;
  credentials?: string[];
  credentialsFile?: string;
  showCredentials?: boolean;
  blockStorage?: boolean;
  logLevel?: string;
  remove?: boolean;
  unmanaged?: boolean;
  replicas?: string;
  selector?: string;
  requests?: string;
  limits?: string;
  platform?: string;
  wait?: boolean;
  timeout?: string;
  cloudfrontBaseUrl?: string;
  cloudfrontKeypairId?: string;
  cloudfrontPrivateKey?: string;
  cloudfrontDuration?: string;
  proxyHttp?: string;
  proxyHttps?: string;
  /** `--no-proxy <hosts>`: commander names a `--no-` option by what it negates (true when not given). */
  proxy?: string | boolean;
  readOnly?: string | boolean;
  disableRedirect?: string | boolean;
  rotateHttpSecret?: boolean;
  toleration?: string[];
  affinityFile?: string;
  maxRunningReads?: string;
  maxQueuedReads?: string;
  maxWaitReads?: string;
  maxRunningWrites?: string;
  maxQueuedWrites?: string;
  maxWaitWrites?: string;
  /** Attribute names of the flags given on the command line (set by a preAction hook), so defaults are not mistaken for choices. */
  givenFlags?: string[];
}

/** Flags that only mean something to the Image Registry Operator. */
export const OPENSHIFT4_ONLY = [
  'emptyDir', 's3', 'gcs', 'azure', 'swift', 'region', 'regionEndpoint', 'encrypt', 'keyId', 'projectId',
  'accountName', 'authUrl', 'tenant', 'domain', 'cloudfrontBaseUrl', 'cloudfrontKeypairId', 'cloudfrontPrivateKey', 'cloudfrontDuration', 'credentials', 'credentialsFile', 'showCredentials', 'blockStorage',
  'logLevel', 'remove', 'unmanaged', 'proxyHttp', 'proxyHttps', 'proxy', 'readOnly', 'disableRedirect', 'rotateHttpSecret',
  'toleration', 'affinityFile', 'maxRunningReads', 'maxQueuedReads', 'maxWaitReads', 'maxRunningWrites', 'maxQueuedWrites', 'maxWaitWrites',
] as const;

/** Flags of `oc adm registry` that have no meaning where the operator owns the registry. */
const OPENSHIFT3_ONLY = [
  'serviceAccount', 'images', 'latestImages', 'type', 'ports', 'labels', 'volume', 'mountHost', 'nfs', 'clusterIp',
  'daemonset', 'deployment', 'enforceQuota', 'fsGroup', 'supplementalGroups', 'tlsCertificate', 'tlsKey',
] as const;

/** deploy.ts's defaults: without the preAction hook's record, a value equal to its default counts as not given. */
const DEFAULTS: Record<string, unknown> = {
  serviceAccount: 'registry', type: 'docker-registry', replicas: '1', ports: '5000', labels: 'docker-registry=default',
  volume: '/registry', timeout: '300', proxy: true,
};

export const STORAGE_FLAGS = ['pvc', 'emptyDir', 's3', 'gcs', 'azure', 'swift'] as const;

const GROUP = 'OpenShift 4 (Image Registry Operator) options:';

export function flagName(attribute: string): string {
  if (attribute === 'proxy') return '--no-proxy';
  return '--' + attribute.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

export function isGiven(f: OpenShift4Flags, attribute: string): boolean {
  if (f.givenFlags) return f.givenFlags.includes(attribute);
  const v = (f as Record<string, unknown>)[attribute];
  if (v === undefined || v === false) return false;
  if (Array.isArray(v)) return v.length > 0;
  return !(attribute in DEFAULTS) || v !== DEFAULTS[attribute];
}


/** Registers the 4.x flags on `deploy` (in their own help group) and records which flags were given. */
export function addOpenShift4Flags(cmd: Command): Command {
  const opt = (flags: string, description: string) => new Option(flags, description).helpGroup(GROUP);
  cmd
    .addOption(opt('--empty-dir', 'store images in an emptyDir: non-production only, one replica, images lost when the pod restarts'))
    .addOption(opt('--claim-size <size>', `with --pvc: size of the claim regctl creates when it does not exist (4.x default ${DEFAULT_CLAIM_SIZE}; 3.x and Kubernetes: only when given)`))
    .addOption(opt('--s3 <bucket>', 'store images in this AWS S3 (or S3-compatible) bucket'))
    .addOption(opt('--gcs <bucket>', 'store images in this Google Cloud Storage bucket'))
    .addOption(opt('--azure <container>', 'store images in this Azure blob container'))
    .addOption(opt('--swift <container>', 'store images in this OpenStack Swift container'))
    .addOption(opt('--region <region>', 'the bucket\'s region (--s3, --gcs) or the Swift region name (--swift)'))
    .addOption(opt('--region-endpoint <url>', 'with --s3: the endpoint of an S3-compatible service'))
    .addOption(opt('--encrypt', 'with --s3: store images encrypted'))
    .addOption(opt('--key-id <id>', 'KMS key ID for encryption (--s3 with --encrypt, --gcs)'))
    .addOption(opt('--cloudfront-base-url <url>', 'with --s3: serve blobs through this CloudFront distribution'))
    .addOption(opt('--cloudfront-keypair-id <id>', 'with --cloudfront-base-url: the CloudFront key pair ID'))
    .addOption(opt('--cloudfront-private-key <secret:key>', 'with --cloudfront-base-url: the key pair\'s private key, as a key of a secret in openshift-config'))
    .addOption(opt('--cloudfront-duration <duration>', 'with --cloudfront-base-url: how long signed URLs stay valid (e.g. 20m)'))
    .addOption(opt('--project-id <id>', 'with --gcs: the GCP project of the bucket'))
    .addOption(opt('--account-name <name>', 'with --azure: the storage account name'))
    .addOption(opt('--auth-url <url>', 'with --swift: the Keystone authentication URL'))
    .addOption(opt('--tenant <tenant>', 'with --swift: the tenant (project) name'))
    .addOption(opt('--domain <domain>', 'with --swift: the Keystone domain name'))
    .addOption(opt('--credentials <key=value>', 'a storage credential for the secret ' + CREDENTIALS_SECRET + ' (repeatable), e.g. accesskey=... secretkey=... for --s3').argParser(collect))
    .addOption(opt('--credentials-file <file>', 'credentials from a file: KEY=VALUE lines, or the GCP service-account key file (JSON) for --gcs'))
    .addOption(opt('--show-credentials', 'print credential values with -o yaml|json (redacted otherwise)'))
    .addOption(opt('--block-storage', 'the claim is block storage (ReadWriteOnce): rolloutStrategy Recreate and one replica'))
    .addOption(opt('--log-level <level>', 'registry log level').choices([...LOG_LEVELS]))
    .addOption(opt('--proxy-http <url>', 'proxy for pullthrough over HTTP (spec.proxy.http; \'\' clears it)'))
    .addOption(opt('--proxy-https <url>', 'proxy for pullthrough over HTTPS (spec.proxy.https; \'\' clears it)'))
    .addOption(opt('--no-proxy <hosts>', 'comma-separated hosts reached without the proxy (spec.proxy.noProxy; \'\' clears it)'))
    .addOption(opt('--read-only [bool]', 'maintenance: the registry serves pulls and refuses pushes (--read-only=false ends it)'))
    .addOption(opt('--disable-redirect [bool]', 'pulls go through the registry instead of redirecting clients to the storage (--disable-redirect=false undoes it)'))
    .addOption(opt('--max-running-reads <n>', 'concurrent pulls the registry serves (0: no limit; \'\' clears it)'))
    .addOption(opt('--max-queued-reads <n>', 'pulls queued beyond --max-running-reads'))
    .addOption(opt('--max-wait-reads <duration>', 'how long a queued pull waits (e.g. 30s)'))
    .addOption(opt('--max-running-writes <n>', 'concurrent pushes the registry serves (0: no limit; \'\' clears it)'))
    .addOption(opt('--max-queued-writes <n>', 'pushes queued beyond --max-running-writes'))
    .addOption(opt('--max-wait-writes <duration>', 'how long a queued push waits (e.g. 1m)'))
    .addOption(opt('--rotate-http-secret', 'a new random httpSecret (uploads in progress fail; the pods restart)'))
    .addOption(opt('--toleration <key[=value]:effect>', 'a taint the registry pods tolerate, kubectl\'s syntax (repeatable; the list replaces the live one; \'\' clears it)').argParser(collect))
    .addOption(opt('--affinity-file <file>', 'the registry pods\' affinity (a core Affinity, YAML or JSON; an empty file clears it)'))
    .addOption(opt('--remove', 'set managementState Removed: the operator removes the registry (asks first)'))
    .addOption(opt('--unmanaged', 'set managementState Unmanaged: the operator stops reconciling the registry'));
  cmd.hook('preAction', (thisCommand) => {
    const given = thisCommand.options
      .map((o) => o.attributeName())
      .filter((n) => ['cli', 'env'].includes(thisCommand.getOptionValueSource(n) ?? ''));
    thisCommand.setOptionValueWithSource('givenFlags', given, 'implied');
  });
  cmd.addHelpText(
    'after',
    `
OpenShift 4 examples (the operator owns the registry; regctl patches configs.imageregistry.operator.openshift.io/cluster):
  # Bare metal / vSphere: Removed -> Managed, on a claim the operator creates (image-registry-storage)
  regctl deploy --pvc --wait

  # Two replicas on a 200Gi ReadWriteMany claim that regctl creates
  regctl deploy --pvc=registry-storage --claim-size=200Gi --replicas=2

  # S3 with credentials (stored in the secret ${CREDENTIALS_SECRET})
  regctl deploy --s3=my-bucket --region=us-east-1 --credentials accesskey=AKIA... --credentials secretkey=...

  # Print the Config as regctl will set it, without a cluster
  regctl deploy --platform=openshift4 --empty-dir -o yaml`,
  );
  return cmd;
}

/** On 3.x and Kubernetes: refuse the operator's flags, one line naming the flag (and the cluster, when connected). */
export function rejectOpenShift4Flags(f: OpenShift4Flags, platform: Platform, server?: string): void {
  if (platform === 'openshift4') return;
  const given = OPENSHIFT4_ONLY.filter((a) => isGiven(f, a));
  if (given.length) {
    if (server) throw new UsageError(`${flagName(given[0]!)} configures the OpenShift 4 Image Registry Operator; the cluster at ${server} is ${platform}`);
    throw new UsageError(
      `${flagName(given[0]!)} configures the OpenShift 4 Image Registry Operator; it does not apply to ${platform}`,
      f.platform === undefined ? "to render the operator's Config without a cluster, add --platform openshift4" : undefined,
    );
  }
}

export function rejectOpenShift3Flags(f: OpenShift4Flags): void {
  const given = OPENSHIFT3_ONLY.filter((a) => isGiven(f, a));
  if (given.length) {
    throw new UsageError(
      `${flagName(given[0]!)} is an OpenShift 3.x / Kubernetes flag; on OpenShift 4 the Image Registry Operator deploys the registry (storage: --pvc, --empty-dir, --s3, --gcs, --azure, --swift)`,
    );
  }
}

/** Whether any flag only the operator understands was given (to validate as 4.x before discovery). */
export function givesOpenShift4Flags(f: OpenShift4Flags): boolean {
  return OPENSHIFT4_ONLY.some((a) => isGiven(f, a)) || f.pvc === true || f.pvc === '';
}
