// The Go types the registry decodes its config.yml into, per release: distribution's
// configuration.Configuration (v2.6.2 in OpenShift 3.11's image-registry, the v2.7-based fork
// in 4.x, v2.8 in Debian's docker-registry) and image-registry's openshift section. Field names
// matter twice: the YAML key (tag, or the lower-cased Go name) and the Go name the environment
// override matches (upper-cased: REGISTRY_COMPATIBILITY_SCHEMA1_TRUSTKEY, not ..._SIGNINGKEYFILE).

export type RegistryRelease = '3.11' | '4.x' | '2.8';
export const REGISTRY_RELEASES: readonly RegistryRelease[] = ['3.11', '4.x'];

export type GoType =
  | { k: 'struct'; name?: string; fields: GoField[] }
  | { k: 'map'; name?: string; elem: GoType }
  | { k: 'slice'; elem: GoType }
  | { k: 'ptr'; elem: GoType }
  | { k: 'string' | 'bool' | 'int' | 'duration' | 'iface' | 'loglevel' | 'version' }
  | { k: 'storage' | 'auth' };

export interface GoField {
  go: string;
  /** The YAML key. */
  yaml: string;
  /** The struct tag's yaml value as written (for Go's name of an anonymous struct type). */
  tag?: string;
  type: GoType;
}

const S: GoType = { k: 'string' };
const B: GoType = { k: 'bool' };
const I: GoType = { k: 'int' };
const D: GoType = { k: 'duration' };
const IFACE: GoType = { k: 'iface' };
const STRINGS: GoType = { k: 'slice', elem: S };
export const PARAMETERS: GoType = { k: 'map', name: 'configuration.Parameters', elem: IFACE };

/** Keys under `storage:` that configure the storage rather than name a driver (distribution's Storage.UnmarshalYAML). */
export const STORAGE_PARAMETERS: readonly string[] = ['maintenance', 'cache', 'delete', 'redirect'];

/** The storage drivers among the keys under `storage:`. */
export function storageDrivers(keys: Iterable<string>): string[] {
  return [...keys].filter((k) => !STORAGE_PARAMETERS.includes(k));
}
const HEADER: GoType = { k: 'map', name: 'http.Header', elem: STRINGS };

/** `Name type "yaml:tag"`; `yaml` defaults to the tag's name. */
function f(go: string, type: GoType, tag?: string): GoField {
  const yaml = tag === undefined || tag.split(',')[0] === '' ? go.toLowerCase() : tag.split(',')[0]!;
  return { go, yaml, tag, type };
}
const struct = (fields: (GoField | false)[], name?: string): GoType => ({ k: 'struct', name, fields: fields.filter((x): x is GoField => x !== false) });

export function distributionSchema(release: RegistryRelease): GoType {
  const v27 = release !== '3.11';
  const v28 = release === '2.8';
  const logHook = struct(
    [
      f('Disabled', B, 'disabled,omitempty'),
      f('Type', S, 'type,omitempty'),
      f('Levels', STRINGS, 'levels,omitempty'),
      f(
        'MailOptions',
        struct(
          [
            f('SMTP', struct([f('Addr', S, 'addr,omitempty'), f('Username', S, 'username,omitempty'), f('Password', S, 'password,omitempty'), f('Insecure', B, 'insecure,omitempty')]), 'smtp,omitempty'),
            f('From', S, 'from,omitempty'),
            f('To', STRINGS, 'to,omitempty'),
          ],
          'configuration.MailOptions',
        ),
        'options,omitempty',
      ),
    ],
    'configuration.LogHook',
  );
  const endpoint = struct(
    [
      f('Name', S, 'name'),
      f('Disabled', B, 'disabled'),
      f('URL', S, 'url'),
      f('Headers', HEADER, 'headers'),
      f('Timeout', D, 'timeout'),
      f('Threshold', I, 'threshold'),
      f('Backoff', D, 'backoff'),
      f('IgnoredMediaTypes', STRINGS, 'ignoredmediatypes'),
      v27 && f('Ignore', struct([f('MediaTypes', STRINGS, 'mediatypes'), f('Actions', STRINGS, 'actions')], 'configuration.Ignore'), 'ignore'),
    ],
    'configuration.Endpoint',
  );
  const checker = (fields: GoField[], name: string) => ({ k: 'slice', elem: struct(fields, name) }) as GoType;
  return struct(
    [
      f('Version', { k: 'version' }, 'version'),
      f(
        'Log',
        struct([
          f('AccessLog', struct([f('Disabled', B, 'disabled,omitempty')]), 'accesslog,omitempty'),
          f('Level', { k: 'loglevel' }, v27 ? 'level,omitempty' : 'level'),
          f('Formatter', S, 'formatter,omitempty'),
          f('Fields', { k: 'map', elem: IFACE }, 'fields,omitempty'),
          f('Hooks', { k: 'slice', elem: logHook }, 'hooks,omitempty'),
        ]),
      ),
      f('Loglevel', { k: 'loglevel' }, 'loglevel,omitempty'),
      f('Storage', { k: 'storage' }, 'storage'),
      f('Auth', { k: 'auth' }, 'auth,omitempty'),
      f('Middleware', { k: 'map', elem: { k: 'slice', elem: struct([f('Name', S, 'name'), f('Disabled', B, 'disabled,omitempty'), f('Options', PARAMETERS, 'options')], 'configuration.Middleware') } }, 'middleware,omitempty'),
      f(
        'Reporting',
        struct(
          [
            f('Bugsnag', struct([f('APIKey', S, 'apikey,omitempty'), f('ReleaseStage', S, 'releasestage,omitempty'), f('Endpoint', S, 'endpoint,omitempty')], 'configuration.BugsnagReporting'), 'bugsnag,omitempty'),
            f('NewRelic', struct([f('LicenseKey', S, 'licensekey,omitempty'), f('Name', S, 'name,omitempty'), f('Verbose', B, 'verbose,omitempty')], 'configuration.NewRelicReporting'), 'newrelic,omitempty'),
          ],
          'configuration.Reporting',
        ),
        'reporting,omitempty',
      ),
      f(
        'HTTP',
        struct([
          f('Addr', S, 'addr,omitempty'),
          f('Net', S, 'net,omitempty'),
          f('Host', S, 'host,omitempty'),
          f('Prefix', S, 'prefix,omitempty'),
          f('Secret', S, 'secret,omitempty'),
          f('RelativeURLs', B, 'relativeurls,omitempty'),
          v27 && f('DrainTimeout', D, 'draintimeout,omitempty'),
          f(
            'TLS',
            struct([
              f('Certificate', S, 'certificate,omitempty'),
              f('Key', S, 'key,omitempty'),
              f('ClientCAs', STRINGS, 'clientcas,omitempty'),
              v28 && f('MinimumTLS', S, 'minimumtls,omitempty'),
              v28 && f('CipherSuites', STRINGS, 'ciphersuites,omitempty'),
              f('LetsEncrypt', struct([f('CacheFile', S, 'cachefile,omitempty'), f('Email', S, 'email,omitempty'), v27 && f('Hosts', STRINGS, 'hosts,omitempty')]), 'letsencrypt,omitempty'),
            ]),
            'tls,omitempty',
          ),
          f('Headers', HEADER, 'headers,omitempty'),
          f('Debug', struct([f('Addr', S, 'addr,omitempty'), v27 && f('Prometheus', struct([f('Enabled', B, 'enabled,omitempty'), f('Path', S, 'path,omitempty')]), 'prometheus,omitempty')]), 'debug,omitempty'),
          f('HTTP2', struct([f('Disabled', B, 'disabled,omitempty')]), 'http2,omitempty'),
        ]),
        'http,omitempty',
      ),
      f(
        'Notifications',
        struct([v27 && f('EventConfig', struct([f('IncludeReferences', B, 'includereferences')], 'configuration.Events'), 'events,omitempty'), f('Endpoints', { k: 'slice', elem: endpoint }, 'endpoints,omitempty')], 'configuration.Notifications'),
        'notifications,omitempty',
      ),
      f(
        'Redis',
        struct([
          f('Addr', S, 'addr,omitempty'),
          f('Password', S, 'password,omitempty'),
          f('DB', I, 'db,omitempty'),
          f('DialTimeout', D, 'dialtimeout,omitempty'),
          f('ReadTimeout', D, 'readtimeout,omitempty'),
          f('WriteTimeout', D, 'writetimeout,omitempty'),
          f('Pool', struct([f('MaxIdle', I, 'maxidle,omitempty'), f('MaxActive', I, 'maxactive,omitempty'), f('IdleTimeout', D, 'idletimeout,omitempty')]), 'pool,omitempty'),
        ]),
        'redis,omitempty',
      ),
      f(
        'Health',
        struct(
          [
            f('FileCheckers', checker([f('Interval', D, 'interval,omitempty'), f('File', S, 'file,omitempty'), f('Threshold', I, 'threshold,omitempty')], 'configuration.FileChecker'), 'file,omitempty'),
            f(
              'HTTPCheckers',
              checker(
                [f('Timeout', D, 'timeout,omitempty'), f('StatusCode', I), f('Interval', D, 'interval,omitempty'), f('URI', S, 'uri,omitempty'), f('Headers', HEADER, 'headers'), f('Threshold', I, 'threshold,omitempty')],
                'configuration.HTTPChecker',
              ),
              'http,omitempty',
            ),
            f('TCPCheckers', checker([f('Timeout', D, 'timeout,omitempty'), f('Interval', D, 'interval,omitempty'), f('Addr', S, 'addr,omitempty'), f('Threshold', I, 'threshold,omitempty')], 'configuration.TCPChecker'), 'tcp,omitempty'),
            f('StorageDriver', struct([f('Enabled', B, 'enabled,omitempty'), f('Interval', D, 'interval,omitempty'), f('Threshold', I, 'threshold,omitempty')]), 'storagedriver,omitempty'),
          ],
          'configuration.Health',
        ),
        'health,omitempty',
      ),
      v27 && f('Catalog', struct([f('MaxEntries', I, 'maxentries,omitempty')], 'configuration.Catalog'), 'catalog,omitempty'),
      f('Proxy', struct([f('RemoteURL', S, 'remoteurl'), f('Username', S, 'username'), f('Password', S, 'password')], 'configuration.Proxy'), 'proxy,omitempty'),
      f('Compatibility', struct([f('Schema1', struct([f('TrustKey', S, 'signingkeyfile,omitempty'), v27 && f('Enabled', B, 'enabled,omitempty')]), 'schema1,omitempty')]), 'compatibility,omitempty'),
      f(
        'Validation',
        struct([
          f('Enabled', B, 'enabled,omitempty'),
          v27 && f('Disabled', B, 'disabled,omitempty'),
          f('Manifests', struct([f('URLs', struct([f('Allow', STRINGS, 'allow,omitempty'), f('Deny', STRINGS, 'deny,omitempty')]), 'urls,omitempty')]), 'manifests,omitempty'),
        ]),
        'validation,omitempty',
      ),
      f('Policy', struct([f('Repository', struct([f('Classes', STRINGS, 'classes')]), 'repository,omitempty')]), 'policy,omitempty'),
    ],
    'configuration.v0_1Configuration',
  );
}

/** image-registry's `openshift` section (pkg/dockerregistry/server/configuration), the same in 3.11 and 4.x. */
export function openshiftSchema(): GoType {
  const limits = struct([f('MaxRunning', I, 'maxrunning'), f('MaxInQueue', I, 'maxinqueue'), f('MaxWaitInQueue', D, 'maxwaitinqueue')], 'configuration.RequestsLimits');
  const ptr = (t: GoType): GoType => ({ k: 'ptr', elem: t });
  const configuration = struct(
    [
      f('Version', { k: 'version' }, 'version'),
      f('Metrics', struct([f('Enabled', B, 'enabled'), f('Secret', S, 'secret')], 'configuration.Metrics'), 'metrics'),
      f('Requests', struct([f('Read', limits, 'read'), f('Write', limits, 'write')], 'configuration.Requests'), 'requests'),
      f('KubeConfig', S, 'kubeconfig'),
      f('Server', ptr(struct([f('Addr', S, 'addr')], 'configuration.Server')), 'server'),
      f('Auth', ptr(struct([f('Realm', S, 'realm'), f('TokenRealm', S, 'tokenrealm')], 'configuration.Auth')), 'auth'),
      f('Audit', ptr(struct([f('Enabled', B, 'enabled')], 'configuration.Audit')), 'audit'),
      f('Cache', ptr(struct([f('Disabled', B, 'disabled'), f('BlobRepositoryTTL', D, 'blobrepositoryttl')], 'configuration.Cache')), 'cache'),
      f('Quota', ptr(struct([f('Enabled', B, 'enabled'), f('CacheTTL', D, 'cachettl')], 'configuration.Quota')), 'quota'),
      f('Pullthrough', ptr(struct([f('Enabled', B, 'enabled'), f('Mirror', B, 'mirror')], 'configuration.Pullthrough')), 'pullthrough'),
      f('Compatibility', ptr(struct([f('AcceptSchema2', B, 'acceptschema2')], 'configuration.Compatibility')), 'compatibility'),
    ],
    'configuration.Configuration',
  );
  return struct([f('Openshift', configuration)], 'configuration.openshiftConfig');
}

/** What Go's reflect prints for a type, as yaml.v2 names it in "cannot unmarshal ... into T". */
export function goTypeName(t: GoType): string {
  switch (t.k) {
    case 'struct':
      if (t.name) return t.name;
      if (t.fields.length === 0) return 'struct {}';
      return `struct { ${t.fields.map((x) => `${x.go} ${goTypeName(x.type)}${x.tag !== undefined ? ' ' + JSON.stringify(`yaml:"${x.tag}"`) : ''}`).join('; ')} }`;
    case 'map':
      return t.name ?? `map[string]${goTypeName(t.elem)}`;
    case 'slice':
      return `[]${goTypeName(t.elem)}`;
    case 'ptr':
      return `*${goTypeName(t.elem)}`;
    case 'iface':
      return 'interface {}';
    case 'duration':
      return 'time.Duration';
    case 'loglevel':
      return 'configuration.Loglevel';
    case 'version':
      return 'configuration.Version';
    case 'storage':
      return 'configuration.Storage';
    case 'auth':
      return 'configuration.Auth';
    default:
      return t.k;
  }
}
