// The registry's config.yml as the documents give it (seed 000, "Overriding the Registry
// Configuration"), with the reference's notes as comments, for a user to edit. Pure text.

export type ConfigStorage = 'filesystem' | 's3' | 'gcs' | 'azure' | 'swift';
export const CONFIG_STORAGES: readonly ConfigStorage[] = ['filesystem', 's3', 'gcs', 'azure', 'swift'];

/** Where the override is mounted and how the registry finds it (seed 000, steps 4 and 5). */
export const CONFIG_MAP_NAME = 'registry-config';
export const CONFIG_KEY = 'config.yml';
export const CONFIG_MOUNT_DIR = '/etc/docker/registry/';
export const CONFIG_PATH = '/etc/docker/registry/config.yml';
export const CONFIG_PATH_ENV = 'REGISTRY_CONFIGURATION_PATH';

export interface InitConfigOptions {
  storage: ConfigStorage;
  /** Set: metrics enabled with this secret (`--metrics`). */
  metricsSecret?: string;
}

// Each driver's documented keys (seed 001 for S3; the upstream driver references for the rest).
const STORAGE_SECTIONS: Record<ConfigStorage, string> = {
  filesystem: `  filesystem:
    rootdirectory: /registry          # the registry-storage volume's mount path`,
  s3: `  s3:                                 # configured the same way with or without CloudFront
    accesskey: <access-key>           # your Amazon access key
    secretkey: <secret-key>           # your Amazon secret key
    region: us-east-1
    # regionendpoint: http://myobjects.local   # only for S3-compatible storage
    bucket: <bucket>
    encrypt: true
    # keyid: <kms-key-id>
    secure: true
    v4auth: true
    chunksize: 5242880
    rootdirectory: /registry`,
  gcs: `  gcs:
    bucket: <bucket>
    keyfile: /etc/registry/gcs/keyfile.json   # a service account key, mounted from a secret
    rootdirectory: /registry`,
  azure: `  azure:
    accountname: <account-name>
    accountkey: <account-key>
    container: <container>
    realm: core.windows.net`,
  swift: `  swift:
    authurl: <https://keystone.example.com/v3>
    username: <username>
    password: <password>
    container: <container>
    region: <region>
    tenant: <tenant>
    domain: <domain>
    authversion: 3`,
};

/** The initial config.yml of seed 000, with `storage` swapped for the chosen driver. */
export function initialConfig(o: InitConfigOptions): string {
  const metrics = o.metricsSecret
    ? `  metrics:
    enabled: true                     # query /extensions/v2/metrics with this secret as the password
    secret: ${o.metricsSecret}`
    : `  metrics:
    enabled: false                    # true to serve Prometheus metrics at /extensions/v2/metrics
    secret: <secret>                  # bearer token metrics clients must send`;
  return `# The integrated registry's configuration (OpenShift 3.x, "Overriding the Registry Configuration").
# Check it with:  regctl override-config --check config.yml
# Deploy it with: regctl override-config config.yml
# Upstream options may also be set with REGISTRY_* environment variables; the middleware
# section may not, except the repository options noted below (regctl override-config --set).
version: 0.1
log:
  level: debug                        # error, warn, info or debug
http:
  addr: :5000                         # only the tls section should be altered
storage:
  cache:
    blobdescriptor: inmemory
${STORAGE_SECTIONS[o.storage]}
  delete:
    enabled: true                     # mandatory: image pruning fails with "operation unsupported" without it
auth:
  openshift:                          # the only supported auth; do not alter
    realm: openshift
middleware:                           # the three openshift entries are mandatory; do not change them
  registry:
    - name: openshift
  repository:
    - name: openshift
      options:
        acceptschema2: true           # REGISTRY_MIDDLEWARE_REPOSITORY_OPENSHIFT_ACCEPTSCHEMA2
        pullthrough: true             # REGISTRY_MIDDLEWARE_REPOSITORY_OPENSHIFT_PULLTHROUGH
        enforcequota: false           # REGISTRY_MIDDLEWARE_REPOSITORY_OPENSHIFT_ENFORCEQUOTA
        projectcachettl: 1m           # REGISTRY_MIDDLEWARE_REPOSITORY_OPENSHIFT_PROJECTCACHETTL (0m: no cache)
        blobrepositorycachettl: 10m   # REGISTRY_MIDDLEWARE_REPOSITORY_OPENSHIFT_BLOBREPOSITORYCACHETTL
  storage:
    # - name: cloudfront              # S3 only, and listed before openshift
    #   options:
    #     baseurl: https://<distribution>.cloudfront.net/
    #     privatekey: /etc/docker/cloudfront-<keypairid>.pem
    #     keypairid: <keypairid>
    - name: openshift
openshift:
  version: 1.0                        # mandatory; 1.0 is the only supported value
${metrics}
`;
}

/**
 * The config.yml built into the 3.11 registry image (openshift/image-registry
 * images/dockerregistry/config.yml, shared/REFERENCE.md §2.1): what runs when nothing is mounted.
 */
export const IMAGE_DEFAULT_CONFIG = `version: 0.1
log:
  level: info
http:
  addr: :5000
storage:
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: /registry
  delete:
    enabled: true
auth:
  openshift: {}
openshift:
  version: 1.0
  auth:
    realm: openshift
  audit:
    enabled: false
  metrics:
    enabled: false
  requests:
    read:
      maxrunning: 0
      maxinqueue: 0
      maxwaitinqueue: 0
    write:
      maxrunning: 0
      maxinqueue: 0
      maxwaitinqueue: 0
  quota:
    enabled: false
    cachettl: 1m
  cache:
    blobrepositoryttl: 10m
  pullthrough:
    enabled: true
    mirror: true
  compatibility:
    acceptschema2: true
`;
