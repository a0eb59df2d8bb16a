// The pure pieces under override-config: Go durations, the YAML line map, env overrides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGoDuration } from '../../src/registry-config/go-duration.js';
import { parseYamlSource, child, entry, toValue } from '../../src/registry-config/yaml-source.js';
import { effectiveConfig } from '../../src/registry-config/env.js';
import { parseSetting } from '../../src/registry-config/settings.js';

test('Go durations: what time.ParseDuration accepts, with its error messages', () => {
  assert.deepEqual(parseGoDuration('1m'), { ns: 60e9 });
  assert.deepEqual(parseGoDuration('1h30m'), { ns: 5400e9 });
  assert.deepEqual(parseGoDuration('1.5s'), { ns: 1.5e9 });
  assert.deepEqual(parseGoDuration('0'), { ns: 0 });
  assert.deepEqual(parseGoDuration('500ms'), { ns: 500e6 });
  assert.deepEqual(parseGoDuration('168x'), { error: 'time: unknown unit "x" in duration "168x"' });
  assert.deepEqual(parseGoDuration('5'), { error: 'time: missing unit in duration "5"' });
  assert.deepEqual(parseGoDuration(''), { error: 'time: invalid duration ""' });
  assert.deepEqual(parseGoDuration('1d'), { error: 'time: unknown unit "d" in duration "1d"' });
  assert.deepEqual(parseGoDuration('m'), { error: 'time: invalid duration "m"' });
});

test('the YAML tree knows the line of nested keys and of list items, and reads scalars as the Go decoder does', () => {
  const root = parseYamlSource('a:\n  b:\n    - name: x\n\n    - name: z\n      on: yes\nv: 1.0\nq: "true"\n')!;
  const list = child(child(root, 'a'), 'b');
  assert.equal(list?.kind, 'seq');
  if (list?.kind !== 'seq') return;
  assert.deepEqual(list.items.map((i) => i.line), [3, 5]);
  assert.equal(entry(list.items[1], 'on')?.keyLine, 6);
  assert.deepEqual(toValue(root), { a: { b: [{ name: 'x' }, { name: 'z', on: true }] }, v: '1.0', q: 'true' });
});

test('effective config: variables override existing keys case-insensitively, create new ones lower-cased, and skip the middleware section', () => {
  const e = effectiveConfig(
    { log: { level: 'debug' }, middleware: { repository: [{ name: 'openshift', options: { pullthrough: true } }] } },
    { REGISTRY_LOG_LEVEL: 'info', REGISTRY_HTTP_TLS_CERTIFICATE: '/etc/secrets/registry.crt', REGISTRY_MIDDLEWARE_REPOSITORY_OPENSHIFT_PULLTHROUGH: 'false', REGISTRY_MIDDLEWARE_STORAGE_CLOUDFRONT: 'x', PATH: '/bin' },
  );
  assert.deepEqual(e.config, {
    log: { level: 'info' },
    http: { tls: { certificate: '/etc/secrets/registry.crt' } },
    middleware: { repository: [{ name: 'openshift', options: { pullthrough: false } }] },
  });
  assert.deepEqual(e.ignored, ['REGISTRY_MIDDLEWARE_STORAGE_CLOUDFRONT']);
});

test('--set keys map to the documented variables', () => {
  assert.deepEqual(parseSetting('pullthrough=false'), { key: 'pullthrough', env: 'REGISTRY_MIDDLEWARE_REPOSITORY_OPENSHIFT_PULLTHROUGH', value: 'false' });
  assert.deepEqual(parseSetting('openshift.server.addr=docker-registry.default.svc:5000'), { key: 'server.addr', env: 'REGISTRY_OPENSHIFT_SERVER_ADDR', value: 'docker-registry.default.svc:5000' });
  assert.deepEqual(parseSetting('requests.write.maxwaitinqueue=2m'), { key: 'requests.write.maxwaitinqueue', env: 'REGISTRY_OPENSHIFT_REQUESTS_WRITE_MAXWAITINQUEUE', value: '2m' });
  assert.deepEqual(parseSetting('metrics.enabled=TRUE'), { key: 'metrics.enabled', env: 'REGISTRY_OPENSHIFT_METRICS_ENABLED', value: 'true' });
});

test('credentials: the documents\' secrets count once filled in; <...> placeholders and key file paths elsewhere do not', async () => {
  const { configCredentials, keyFiles } = await import('../../src/registry-config/credentials.js');
  const { initialConfig } = await import('../../src/templates/registry-config.js');
  assert.deepEqual(configCredentials(initialConfig({ storage: 's3' })), []);
  assert.deepEqual(configCredentials(initialConfig({ storage: 'filesystem' })), []);
  assert.deepEqual(configCredentials(initialConfig({ storage: 'filesystem', metricsSecret: 'abc123' })), ['openshift.metrics.secret']);
  assert.deepEqual(
    configCredentials('storage:\n  s3:\n    accesskey: AKIA\n    secretkey: s3cr3t\nhttp:\n  secret: hmac\n'),
    ['storage.s3.accesskey', 'storage.s3.secretkey', 'http.secret'],
  );
  assert.deepEqual(configCredentials('storage:\n  azure:\n    accountkey: k\n'), ['storage.azure.accountkey']);
  assert.deepEqual(configCredentials('storage:\n  swift:\n    password: p\n'), ['storage.swift.password']);
  assert.deepEqual(configCredentials('storage:\n  gcs:\n    keyfile: /etc/gcs/key.json\n'), ['storage.gcs.keyfile']);
  assert.deepEqual(
    keyFiles(parseYamlSource('middleware:\n  storage:\n    - name: cloudfront\n      options:\n        privatekey: /etc/docker/cf.pem\n    - name: openshift\n')).map((k) => [k.path, k.file, k.line]),
    [['middleware.storage[0].options.privatekey', '/etc/docker/cf.pem', 5]],
  );
});

test('--show applies variables by the Go field names, under the YAML keys, as the registry does', () => {
  const e = effectiveConfig(
    { storage: { s3: { bucket: 'b' }, delete: { enabled: true } }, log: { level: 'info' } },
    {
      REGISTRY_STORAGE: 'filesystem',
      REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY: '/registry',
      REGISTRY_COMPATIBILITY_SCHEMA1_TRUSTKEY: '/etc/key.json',
      REGISTRY_HEALTH_FILECHECKERS: '- file: /tmp/down',
      REGISTRY_LOG_LEVEL: 'debug',
      REGISTRY_DUCKS: 'quack',
      REGISTRY_LOG_LEVEL_X: 'y',
    },
  );
  assert.deepEqual(e.config, {
    storage: { filesystem: { rootdirectory: '/registry' } },
    log: { level: 'debug' },
    compatibility: { schema1: { signingkeyfile: '/etc/key.json' } },
    health: { file: [{ file: '/tmp/down' }] },
  });
  assert.deepEqual(e.ignored, ['REGISTRY_DUCKS', 'REGISTRY_LOG_LEVEL_X']);
});
