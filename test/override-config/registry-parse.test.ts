// The registry's own reading of config.yml, case by case from the upstream parser tests
// (distribution v2.6.2 configuration/configuration_test.go; openshift/image-registry
// pkg/dockerregistry/server/configuration/configuration_test.go, release-3.11 and 4.x), each
// with the environment the test sets and the exact error the registry gives. Where a case is
// upstream-only, the real Debian docker-registry (distribution 2.8) is run with the same file
// and environment and must say the same (or serve).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readAsRegistry } from '../../src/registry-config/registry-parse.js';
import type { RegistryRelease } from '../../src/registry-config/go-schema.js';
import { checkRegistryConfig, goParseURL } from '../../src/registry-config/check.js';
import { haveDockerRegistry, serveRegistry } from '../support/registry-config-server.js';

/** configYamlV0_1 of distribution's configuration_test.go. */
const BASE = `version: 0.1
log:
  fields:
    environment: test
loglevel: info
storage:
  s3:
    region: us-east-1
    bucket: my-bucket
    rootdirectory: /registry
    encrypt: true
    secure: false
    accesskey: SAMPLEACCESSKEY
    secretkey: SUPERSECRET
    host: ~
    port: 42
auth:
  silly:
    realm: silly
    service: silly
notifications:
  endpoints:
    - name: endpoint-1
      url:  http://example.com
      headers:
        Authorization: [Bearer <example>]
      ignoredmediatypes:
        - application/octet-stream
reporting:
  bugsnag:
    apikey: BugsnagApiKey
http:
  clientcas:
    - /path/to/ca.pem
  headers:
    X-Content-Type-Options: [nosniff]
`;

/** inmemoryConfigYamlV0_1: storage given as a string. */
const INMEMORY = `version: 0.1
loglevel: info
storage: inmemory
auth:
  silly:
    realm: silly
    service: silly
http:
  headers:
    X-Content-Type-Options: [nosniff]
`;

/** image-registry's configYamlV0_1 (its configuration_test.go). */
const OPENSHIFT = `
version: 0.1
http:
  addr: :5000
  relativeurls: true
storage:
  inmemory: {}
openshift:
  version: 1.0
  server:
    addr: :5000
  metrics:
    enabled: true
    secret: TopSecretToken
  auth:
    realm: myrealm
  audit:
    enabled: true
  pullthrough:
    enabled: true
    mirror: true
`;

const SERVICE = { DOCKER_REGISTRY_SERVICE_HOST: 'docker-registry.default.svc', DOCKER_REGISTRY_SERVICE_PORT: '5000' };

interface Case {
  name: string;
  config: string;
  env?: Record<string, string>;
  /** The error each release stops with, word for word; null: it starts. */
  expect: Partial<Record<RegistryRelease, string | null>>;
  /** What it logs and carries on. */
  warnings?: string[];
  /** The storage the registry ends up with (driver: parameters), when it starts. */
  storage?: Record<string, Record<string, unknown>>;
  /** More about the configuration it ends up with. */
  more?: (docker: any, openshift: any) => void;
  /** Also run the real docker-registry 2.8 (it starts: served; it refuses: its output has the message). */
  real?: boolean;
}

const params = (m: Map<string, Map<string, unknown> | null> | null) => Object.fromEntries([...(m ?? new Map())].map(([k, v]) => [k, Object.fromEntries(v ?? new Map())]));
const upstream = (msg: string | null) => ({ '2.8': msg === null ? null : msg[0]!.toLowerCase() + msg.slice(1), '3.11': msg, '4.x': msg });

const CASES: Case[] = [
  { name: 'TestParseSimple: the canonical config', config: BASE, expect: upstream(null), storage: { s3: { region: 'us-east-1', bucket: 'my-bucket', rootdirectory: '/registry', encrypt: true, secure: false, accesskey: 'SAMPLEACCESSKEY', secretkey: 'SUPERSECRET', host: null, port: 42 } } },
  { name: 'TestParseInmemory: "storage: inmemory" (a driver as a string)', config: INMEMORY, expect: upstream(null), storage: { inmemory: {} }, real: true },
  { name: 'TestParseIncomplete: no storage at all', config: 'version: 0.1', expect: upstream('No storage configuration provided'), real: true },
  {
    name: 'TestParseIncomplete: storage and auth from the environment',
    config: 'version: 0.1',
    // (plus the service, without which the real registry's silly auth refuses to start)
    env: { REGISTRY_STORAGE: 'filesystem', REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY: '/tmp/testroot', REGISTRY_AUTH: 'silly', REGISTRY_AUTH_SILLY_REALM: 'silly', REGISTRY_AUTH_SILLY_SERVICE: 'silly' },
    expect: upstream(null),
    storage: { filesystem: { rootdirectory: '/tmp/testroot' } },
    more: (d) => assert.deepEqual(params(d.Auth), { silly: { realm: 'silly', service: 'silly' } }),
    real: true,
  },
  { name: 'TestParseWithSameEnvStorage: REGISTRY_STORAGE replaces the driver before its parameters are set', config: BASE, env: { REGISTRY_STORAGE: 's3', REGISTRY_STORAGE_S3_REGION: 'us-east-1' }, expect: upstream(null), storage: { s3: { region: 'us-east-1' } } },
  {
    name: 'TestParseWithDifferentEnvStorageParams: values read as YAML (secure: true is a bool)',
    config: BASE,
    env: { REGISTRY_STORAGE_S3_REGION: 'us-west-1', REGISTRY_STORAGE_S3_SECURE: 'true', REGISTRY_STORAGE_S3_NEWPARAM: 'some Value' },
    expect: upstream(null),
    storage: { s3: { region: 'us-west-1', bucket: 'my-bucket', rootdirectory: '/registry', encrypt: true, secure: true, accesskey: 'SAMPLEACCESSKEY', secretkey: 'SUPERSECRET', host: null, port: 42, newparam: 'some Value' } },
  },
  { name: 'TestParseWithDifferentEnvStorageType: REGISTRY_STORAGE=inmemory over a file with s3', config: BASE, env: { REGISTRY_STORAGE: 'inmemory' }, expect: upstream(null), storage: { inmemory: {} }, real: true },
  {
    name: "TestParseWithDifferentEnvStorageTypeAndParams: REGISTRY_STORAGE=filesystem replaces the file's s3, then its rootdirectory",
    config: BASE,
    env: { REGISTRY_STORAGE: 'filesystem', REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY: '/tmp/testroot' },
    expect: upstream(null),
    storage: { filesystem: { rootdirectory: '/tmp/testroot' } },
    real: true,
  },
  { name: 'TestParseWithSameEnvLoglevel', config: BASE, env: { REGISTRY_LOGLEVEL: 'info' }, expect: upstream(null) },
  { name: 'TestParseWithDifferentEnvLoglevel', config: BASE, env: { REGISTRY_LOGLEVEL: 'error' }, expect: upstream(null), more: (d) => assert.equal(d.Loglevel || d.Log.Level, 'error') },
  { name: 'TestParseInvalidLoglevel: in the file', config: 'version: 0.1\nloglevel: derp\nstorage: inmemory', expect: upstream('Invalid loglevel derp Must be one of [error, warn, info, debug]'), real: true },
  { name: 'TestParseInvalidLoglevel: REGISTRY_LOGLEVEL=derp', config: BASE, env: { REGISTRY_LOGLEVEL: 'derp' }, expect: upstream('Invalid loglevel derp Must be one of [error, warn, info, debug]'), real: true },
  {
    name: 'TestParseWithDifferentEnvReporting',
    config: BASE,
    env: { REGISTRY_REPORTING_BUGSNAG_APIKEY: 'anotherBugsnagApiKey', REGISTRY_REPORTING_BUGSNAG_ENDPOINT: 'localhost:8080', REGISTRY_REPORTING_NEWRELIC_LICENSEKEY: 'NewRelicLicenseKey', REGISTRY_REPORTING_NEWRELIC_NAME: 'some NewRelic NAME' },
    expect: upstream(null),
    more: (d) => assert.deepEqual([d.Reporting.Bugsnag.APIKey, d.Reporting.Bugsnag.Endpoint, d.Reporting.NewRelic.LicenseKey, d.Reporting.NewRelic.Name], ['anotherBugsnagApiKey', 'localhost:8080', 'NewRelicLicenseKey', 'some NewRelic NAME']),
  },
  { name: 'TestParseInvalidVersion: 0.2', config: BASE.replace('version: 0.1', 'version: 0.2'), expect: upstream('Unsupported version: "0.2"'), real: true },
  {
    name: 'TestParseExtraneousVars: unknown variables are logged and ignored; other prefixes are not read',
    config: BASE,
    env: { REGISTRY_REPORTING_BUGSNAG_ENDPOINT: 'localhost:8080', registry_REPORTING_NEWRELIC_LICENSEKEY: 'NewRelicLicenseKey', REPORTING_NEWRELIC_NAME: 'some NewRelic NAME', REGISTRY_DUCKS: 'quack', REGISTRY_REPORTING_ASDF: 'ghjk' },
    expect: upstream(null),
    warnings: ['Ignoring unrecognized environment variable REGISTRY_DUCKS', 'Ignoring unrecognized environment variable REGISTRY_REPORTING_ASDF'],
    more: (d) => assert.deepEqual([d.Reporting.Bugsnag.Endpoint, d.Reporting.NewRelic.LicenseKey], ['localhost:8080', '']),
  },
  { name: 'TestParseEnvVarImplicitMaps', config: BASE, env: { REGISTRY_STORAGE_MAINTENANCE_READONLY_ENABLED: 'true' }, expect: upstream(null), more: (d) => assert.deepEqual(Object.fromEntries(d.Storage.get('maintenance').get('readonly')), { enabled: true }) },
  { name: 'TestParseEnvWrongTypeMap: REGISTRY_STORAGE_S3 as a plain string', config: BASE, env: { REGISTRY_STORAGE_S3: 'somestring' }, expect: upstream('yaml: unmarshal errors:\n  line 1: cannot unmarshal !!str `somestring` into configuration.Parameters'), real: true },
  { name: 'TestParseEnvWrongTypeStruct: REGISTRY_STORAGE_LOG as a plain string', config: BASE, env: { REGISTRY_STORAGE_LOG: 'somestring' }, expect: upstream('yaml: unmarshal errors:\n  line 1: cannot unmarshal !!str `somestring` into configuration.Parameters'), real: true },
  { name: 'TestParseEnvWrongTypeSlice: REGISTRY_LOG_HOOKS as a plain string', config: BASE, env: { REGISTRY_LOG_HOOKS: 'somestring' }, expect: upstream('yaml: unmarshal errors:\n  line 1: cannot unmarshal !!str `somestring` into []configuration.LogHook'), real: true },
  {
    name: 'TestParseEnvMany: sections replaced whole, maps grown',
    config: BASE,
    env: { REGISTRY_VERSION: '0.1', REGISTRY_LOG_LEVEL: 'debug', REGISTRY_LOG_FORMATTER: 'json', REGISTRY_LOG_FIELDS: 'abc: xyz', REGISTRY_LOG_HOOKS: '- type: asdf', REGISTRY_LOGLEVEL: 'debug', REGISTRY_STORAGE: 's3', REGISTRY_AUTH_PARAMS: 'param1: value1', REGISTRY_AUTH_PARAMS_VALUE2: 'value2' },
    expect: upstream(null),
    storage: { s3: {} },
    more: (d) => {
      assert.deepEqual(params(d.Auth), { silly: { realm: 'silly', service: 'silly' }, params: { param1: 'value1', value2: 'value2' } });
      assert.deepEqual(d.Log.Hooks.map((h: any) => h.Type), ['asdf']);
    },
  },
  // The registry's order: a driver's variable on a file with another driver is a second driver.
  { name: "a driver's variable on a file with another driver", config: BASE, env: { REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY: '/tmp/x' }, expect: upstream('multiple storage drivers specified in configuration or environment: filesystem, s3'), real: true },
  { name: 'a repeated key: each value is decoded in turn, so a bad first one is refused', config: 'version: 0.1\nloglevel: derp\nloglevel: info\nstorage: inmemory', expect: upstream('Invalid loglevel derp Must be one of [error, warn, info, debug]'), real: true },
  { name: 'a repeated key: the last value stays', config: 'version: 0.1\nloglevel: error\nloglevel: debug\nstorage: inmemory', expect: upstream(null), more: (d) => assert.equal(d.Loglevel || d.Log.Level, 'debug'), real: true },
  { name: 'two drivers in the file', config: 'version: 0.1\nstorage:\n  filesystem: {}\n  s3: {}\n', expect: upstream('Must provide exactly one storage type. Provided: [filesystem s3]'), real: true },
  { name: 'image-registry TestDockerConfigurationError: relativeurls: "true"', config: OPENSHIFT.replace('relativeurls: true', 'relativeurls: "true"'), env: SERVICE, expect: upstream('yaml: unmarshal errors:\n  line 5: cannot unmarshal !!str `true` into bool'), real: true },
  { name: 'a long value is cut to 7 characters in the message', config: INMEMORY, env: { REGISTRY_HTTP_RELATIVEURLS: 'definitely' + 'not' }, expect: upstream('yaml: unmarshal errors:\n  line 1: cannot unmarshal !!str `definit...` into bool'), real: true },
  {
    name: 'image-registry TestConfigurationParser',
    config: OPENSHIFT,
    expect: { '3.11': null, '4.x': null },
    more: (d, os) => {
      assert.equal(d.HTTP.RelativeURLs, true);
      assert.deepEqual([os.Version, os.Metrics.Enabled, os.Metrics.Secret, os.Auth.Realm, os.Audit.Enabled, os.Pullthrough.Enabled, os.Pullthrough.Mirror], ['1.0', true, 'TopSecretToken', 'myrealm', true, true, true]);
    },
  },
  {
    name: 'image-registry TestConfigurationParser with REGISTRY_OPENSHIFT_* overrides',
    config: OPENSHIFT,
    env: { REGISTRY_OPENSHIFT_SERVER_ADDR: ':5000', REGISTRY_OPENSHIFT_METRICS_ENABLED: 'false' },
    expect: { '3.11': null, '4.x': null },
    more: (_d, os) => assert.deepEqual([os.Metrics.Enabled, os.Server.Addr], [false, ':5000']),
  },
  {
    name: 'image-registry TestConfigurationWithEmptyOpenshiftOverwriteEnv: no openshift section, its values from the environment',
    config: 'version: 0.1\nstorage:\n  inmemory: {}\n',
    env: { REGISTRY_OPENSHIFT_SERVER_ADDR: ':5000', REGISTRY_OPENSHIFT_METRICS_ENABLED: 'true', REGISTRY_OPENSHIFT_METRICS_SECRET: 'TopSecretToken' },
    expect: { '3.11': null, '4.x': null },
    more: (_d, os) => assert.deepEqual([os.Server.Addr, os.Metrics.Enabled, os.Metrics.Secret], [':5000', true, 'TopSecretToken']),
  },
  { name: 'image-registry TestExtraConfigurationError: metrics.enabled: "true"', config: OPENSHIFT.replace('enabled: true\n    secret', 'enabled: "true"\n    secret'), expect: { '3.11': 'yaml: unmarshal errors:\n  line 13: cannot unmarshal !!str `true` into bool', '4.x': 'yaml: unmarshal errors:\n  line 13: cannot unmarshal !!str `true` into bool' } },
  { name: 'image-registry TestExtraConfigurationVersionError: openshift version 2.0', config: OPENSHIFT.replace('version: 1.0', 'version: 2.0'), expect: { '3.11': 'Unsupported openshift configuration version', '4.x': 'Unsupported openshift configuration version' } },
  { name: 'openshift version written as 1 (no minor): the registry panics', config: OPENSHIFT.replace('version: 1.0', 'version: 1'), expect: { '3.11': 'runtime error: index out of range', '4.x': 'runtime error: index out of range [1] with length 1' } },
  { name: 'REGISTRY_OPENSHIFT_VERSION is dropped by image-registry', config: OPENSHIFT, env: { REGISTRY_OPENSHIFT_VERSION: '2.0' }, expect: { '3.11': null, '4.x': null } },
  { name: 'without a server address or the service variables the registry refuses to start', config: 'version: 0.1\nstorage: inmemory\n', expect: { '3.11': 'configuration error in openshift.server.addr: REGISTRY_OPENSHIFT_SERVER_ADDR variable must be set when running outside of Kubernetes cluster' } },
  {
    name: '"auth: openshift" as a string: the middleware migration takes it (realm defaults to origin)',
    config: 'version: 0.1\nstorage: inmemory\nauth: openshift\n',
    env: SERVICE,
    expect: { '3.11': null, '4.x': null },
    more: (d, os) => {
      assert.deepEqual(params(d.Auth), { openshift: {} });
      assert.equal(os.Auth.Realm, 'origin');
      assert.equal(os.Server.Addr, 'docker-registry.default.svc:5000');
      assert.deepEqual([...d.Middleware.keys()].sort(), ['registry', 'repository', 'storage']);
    },
  },
  {
    name: 'a repository middleware option of the wrong type',
    config: 'version: 0.1\nstorage: inmemory\nmiddleware:\n  repository:\n    - name: openshift\n      options:\n        pullthrough: 1\n',
    env: SERVICE,
    expect: { '3.11': 'configuration error in openshift.pullthrough.enabled: config option "pullthrough": invalid value: 1 is not a boolean', '4.x': 'configuration error in openshift.pullthrough.enabled: config option "pullthrough": invalid value: 1 is not a boolean' },
  },
  {
    name: 'a middleware variable that is not a duration (Go 1.10 prints it unquoted, later Go quoted)',
    config: 'version: 0.1\nstorage: inmemory\n',
    env: { ...SERVICE, REGISTRY_MIDDLEWARE_REPOSITORY_OPENSHIFT_PROJECTCACHETTL: '5x' },
    expect: {
      '3.11': 'configuration error in openshift.quota.cachettl: invalid value of environment variable REGISTRY_MIDDLEWARE_REPOSITORY_OPENSHIFT_PROJECTCACHETTL: parse duration error: time: unknown unit x in duration 5x',
      '4.x': 'configuration error in openshift.quota.cachettl: invalid value of environment variable REGISTRY_MIDDLEWARE_REPOSITORY_OPENSHIFT_PROJECTCACHETTL: parse duration error: time: unknown unit "x" in duration "5x"',
    },
  },
  {
    name: 'pullthrough: false is logged and forced on',
    config: 'version: 0.1\nstorage: inmemory\nopenshift:\n  version: 1.0\n  pullthrough:\n    enabled: false\n',
    env: SERVICE,
    expect: { '3.11': null },
    warnings: ["pullthrough can't be disabled anymore"],
    more: (_d, os) => assert.equal(os.Pullthrough.Enabled, true),
  },
];

for (const c of CASES) {
  for (const [release, expected] of Object.entries(c.expect) as [RegistryRelease, string | null][]) {
    test(`${release}: ${c.name} ${expected === null ? 'starts' : `stops: ${expected.split('\n').pop()!.trim()}`}`, () => {
      // OpenShift's registry runs as the docker-registry service: Kubernetes gives it the service variables.
      const v = readAsRegistry(c.config, { release, env: release === '2.8' || c.name.includes('without a server address') ? c.env : { ...SERVICE, ...c.env } });
      assert.equal(v.error?.message ?? null, expected, JSON.stringify(v.error));
      if (expected !== null) return;
      if (c.storage) assert.deepEqual(params(v.docker!.Storage), c.storage);
      if (c.warnings) assert.deepEqual(v.warnings.map((w) => w.message), c.warnings);
      c.more?.(v.docker, v.openshift);
    });
  }
}

test('--check carries the registry\'s own words and points at the line (or the variable)', () => {
  const bad = checkRegistryConfig(OPENSHIFT.replace('relativeurls: true', 'relativeurls: "true"'), { release: '3.11' });
  const f = bad.findings.find((x) => x.registry);
  assert.deepEqual([f?.path, f?.line, f?.message, f?.registry], ['http.relativeurls', 5, 'cannot unmarshal !!str `true` into bool', 'error parsing configuration file: yaml: unmarshal errors:\n  line 5: cannot unmarshal !!str `true` into bool']);
  const env = checkRegistryConfig(INMEMORY + 'openshift:\n  version: 1.0\n', { env: { REGISTRY_LOGLEVEL: 'derp' } });
  assert.deepEqual(env.findings.filter((x) => x.registry).map((x) => [x.path, x.line, x.registry]), [['env.REGISTRY_LOGLEVEL', undefined, 'error parsing configuration file: Invalid loglevel derp Must be one of [error, warn, info, debug]']]);
  // What the registry accepts, the check does not refuse: storage from the environment, a driver and auth given as strings.
  const accepted = checkRegistryConfig('version: 0.1\nauth: openshift\nopenshift:\n  version: 1.0\nmiddleware:\n  registry: [{name: openshift}]\n  repository: [{name: openshift}]\n  storage: [{name: openshift}]\n', {
    env: { REGISTRY_STORAGE: 'filesystem', REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY: '/registry', REGISTRY_STORAGE_DELETE_ENABLED: 'true' },
  });
  assert.equal(accepted.errors, 0, JSON.stringify(accepted.findings, null, 2));
  // Unknown keys are the release's: 3.11's distribution (v2.6.2) has no http.draintimeout, 4.x's has.
  const drain = OPENSHIFT.replace('  relativeurls: true\n', '  relativeurls: true\n  draintimeout: 10s\n');
  const unknown = (release: RegistryRelease) => checkRegistryConfig(drain, { release }).findings.filter((f) => f.message.startsWith('unknown key')).map((f) => f.path);
  assert.deepEqual(unknown('3.11'), ['http.draintimeout']);
  assert.deepEqual(unknown('4.x'), []);
});

const skip = haveDockerRegistry ? false : 'needs /usr/bin/docker-registry (Debian package docker-registry)';

for (const c of CASES.filter((x) => x.real)) {
  const expected = c.expect['2.8'];
  test(`the real docker-registry 2.8 agrees: ${c.name}`, { skip }, async () => {
    const r = await serveRegistry(
      () => c.config,
      15_000,
      (port, root) => ({ ...Object.fromEntries(Object.entries(c.env ?? {}).map(([k, v]) => [k, v === '/tmp/testroot' ? root : v])), REGISTRY_HTTP_ADDR: `127.0.0.1:${port}` }),
    );
    if (expected === null || expected === undefined) {
      assert.ok(r.status === 200 || r.status === 401, `it did not serve: ${r.output}`);
      return;
    }
    assert.equal(r.status, undefined, `it served: ${r.output}`);
    if (expected.startsWith('multiple storage drivers') || expected.startsWith('must provide exactly one storage type')) {
      // Go prints the drivers in map order, which varies from run to run.
      const head = expected.split(':')[0]!;
      assert.ok(r.output.includes(head) && r.output.includes('filesystem') && r.output.includes('s3'), r.output);
    } else {
      assert.ok(r.output.includes(expected), `expected ${JSON.stringify(expected)} in:\n${r.output}`);
    }
  });
}

test('tokenrealm as image-registry judges it, wherever the value comes from (the openshift section, the auth section it migrates from, the variable)', () => {
  const base = 'version: 0.1\nstorage: inmemory\nauth:\n  openshift:\n    realm: openshift\n';
  const realm = (text: string, env: Record<string, string> = {}, release: RegistryRelease = '4.x') =>
    checkRegistryConfig(text, { env, release }).findings.filter((f) => /tokenrealm/.test(f.message)).map((f) => [f.path, f.line, f.registry]);
  assert.deepEqual(realm(base.replace('realm: openshift', 'tokenrealm: https://r.example.com/token')), [
    ['auth.openshift.tokenrealm', 5, 'error setting up token auth: tokenrealm config option may not contain a path ("/token" was specified)'],
  ]);
  // A bare host name is a path to Go's url.Parse.
  assert.deepEqual(realm(base, { REGISTRY_OPENSHIFT_AUTH_TOKENREALM: 'registry.example.com' }), [
    ['env.REGISTRY_OPENSHIFT_AUTH_TOKENREALM', undefined, 'error setting up token auth: tokenrealm config option may not contain a path ("registry.example.com" was specified)'],
  ]);
  assert.deepEqual(realm(base + 'openshift:\n  version: 1.0\n  auth:\n    tokenrealm: https://r.example.com?x=1\n'), [
    ['openshift.auth.tokenrealm', 9, 'error setting up token auth: tokenrealm config option may not contain query parameters or a fragment'],
  ]);
  assert.deepEqual(realm(base.replace('realm: openshift', 'tokenrealm: https://r.example.com:5000')), []);
  // Only served with the openshift auth.
  assert.deepEqual(realm(base.replace('openshift:\n    realm', 'silly:\n    tokenrealm: https://r.example.com/x\n    realm')), []);
  assert.deepEqual(goParseURL('https://r.example.com:x', '4.x'), { error: 'parse "https://r.example.com:x": invalid port ":x" after host' });
  assert.deepEqual(goParseURL('https://r.example.com:x', '3.11'), { error: 'parse https://r.example.com:x: invalid port ":x" after host' });
  assert.deepEqual(goParseURL(':5000', '4.x'), { error: 'parse ":5000": missing protocol scheme' });
});

test('the log formatter the registry ends up with, from the file or REGISTRY_LOG_FORMATTER', () => {
  const formatter = (text: string, env: Record<string, string> = {}) => checkRegistryConfig(text, { env }).findings.filter((f) => /formatter/.test(f.message)).map((f) => [f.path, f.line, f.registry]);
  const text = 'version: 0.1\nlog:\n  formatter: json\nstorage: inmemory\n';
  assert.deepEqual(formatter(text), []);
  assert.deepEqual(formatter(text, { REGISTRY_LOG_FORMATTER: 'xml' }), [['env.REGISTRY_LOG_FORMATTER', undefined, 'error configuring logger: unsupported logging formatter: "xml"']]);
  assert.deepEqual(formatter(text.replace('json', 'xml')), [['log.formatter', 3, 'error configuring logger: unsupported logging formatter: "xml"']]);
});

// Startup panics of distribution's app (registry/handlers/app.go), after the config parsed.
const STARTUP: [string, string, number][] = [
  ['redirect.disable quoted', 'version: 0.1\nstorage:\n  inmemory: {}\n  redirect:\n    disable: "yes"\n', 5],
  ['readonly.enabled quoted', 'version: 0.1\nstorage:\n  inmemory: {}\n  maintenance:\n    readonly:\n      enabled: "true"\n', 6],
  ['uploadpurging without dryrun', 'version: 0.1\nstorage:\n  inmemory: {}\n  maintenance:\n    uploadpurging:\n      enabled: true\n      age: 168h\n      interval: 24h\n', 5],
  ['uploadpurging interval not a duration', 'version: 0.1\nstorage:\n  inmemory: {}\n  maintenance:\n    uploadpurging:\n      enabled: true\n      age: 168h\n      interval: 24x\n      dryrun: false\n', 8],
];
for (const [name, text, line] of STARTUP) {
  test(`--check names the registry's startup panic, and the real docker-registry 2.8 panics the same: ${name}`, { skip }, async () => {
    const f = checkRegistryConfig(text).findings.find((x) => x.registry?.startsWith('panic: '));
    assert.equal(f?.line, line, JSON.stringify(f));
    const r = await serveRegistry(() => text, 15_000, (port) => ({ REGISTRY_HTTP_ADDR: `127.0.0.1:${port}` }));
    assert.equal(r.status, undefined, r.output);
    assert.ok(r.output.includes(f!.registry!), `expected ${JSON.stringify(f!.registry)} in:\n${r.output}`);
  });
}

test('REGISTRY_CONFIGURATION_PATH is how the registry finds its file: not reported though distribution logs it as unrecognized', () => {
  assert.equal(readAsRegistry(INMEMORY, { release: '2.8', env: { REGISTRY_CONFIGURATION_PATH: '/etc/docker/registry/config.yml' } }).warnings[0]?.message, 'Ignoring unrecognized environment variable REGISTRY_CONFIGURATION_PATH');
  const r = checkRegistryConfig(INMEMORY, { env: { REGISTRY_CONFIGURATION_PATH: '/etc/docker/registry/config.yml' } });
  assert.deepEqual(r.findings.filter((f) => f.path.startsWith('env.')), []);
});
