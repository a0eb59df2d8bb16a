// What each 4.x node receives, rendered as the machine-config operator renders it (REFERENCE.md §5),
// read back with a TOML parser and JSON.parse so the assertions are about meaning, not spacing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as toml from 'smol-toml';
import { BASE_POLICY_JSON, BASE_REGISTRIES_CONF, formatNodeFiles, POLICY_JSON, REGISTRIES_CONF, SEARCH_DROP_IN } from '../../src/templates/node-registries.js';
import type { RegistrySources } from '../../src/templates/image-config.js';
import { renderNodeFiles } from '../../src/node-files/render.js';
import { editRegistriesConfig, NO_MIRRORS } from '../../src/node-files/registries.js';
import { NEWEST, rulesFor } from '../../src/node-files/release.js';

const NEWEST_RULES = rulesFor(NEWEST);
const nodeRegistryFiles = (sources: RegistrySources) => renderNodeFiles({ rules: NEWEST_RULES, sources, mirrors: NO_MIRRORS }, toml).files;
const registryEntries = (insecure: string[], blocked: string[]) => editRegistriesConfig(NEWEST_RULES, insecure, blocked, NO_MIRRORS);

/** Parsed TOML as plain objects (smol-toml returns null-prototype tables). */
const parseToml = (text: string) => JSON.parse(JSON.stringify(toml.parse(text)));

function files(sources: RegistrySources) {
  const out = nodeRegistryFiles(sources);
  return Object.fromEntries(out.map((f) => [f.path, f.content]));
}

describe('node files: registries.conf', () => {
  test('with no insecure or blocked registries the base template is left as it is', () => {
    const f = files({ allowedRegistries: ['a.io'] });
    assert.equal(f[REGISTRIES_CONF], BASE_REGISTRIES_CONF);
  });

  test('a blocked host becomes [[registry]] with location, an empty prefix and blocked = true (seed 004 example)', () => {
    const conf = parseToml(files({ blockedRegistries: ['untrusted.com'] })[REGISTRIES_CONF]!);
    assert.deepEqual(conf['unqualified-search-registries'], ['registry.access.redhat.com', 'docker.io']);
    assert.deepEqual(conf.registry, [{ prefix: '', location: 'untrusted.com', blocked: true }]);
  });

  test('a wildcard goes in prefix, without a location', () => {
    assert.deepEqual(registryEntries(['*.insecure.com'], []), [{ prefix: '*.insecure.com', insecure: true }]);
  });

  test('blocked scopes come first; insecure and blocked flags propagate to scopes nested inside', () => {
    const entries = registryEntries(['*.example.com', 'reg.io'], ['a.example.com/ns', 'reg.io/team', 'other.io']);
    assert.deepEqual(entries, [
      { prefix: '', location: 'a.example.com/ns', insecure: true, blocked: true },
      { prefix: '', location: 'reg.io/team', insecure: true, blocked: true },
      { prefix: '', location: 'other.io', blocked: true },
      { prefix: '*.example.com', insecure: true },
      { prefix: '', location: 'reg.io', insecure: true },
    ]);
  });

  test('a blocked wildcard blocks a nested insecure entry too', () => {
    assert.deepEqual(registryEntries(['x.bad.io'], ['*.bad.io']), [
      { prefix: '*.bad.io', blocked: true },
      { prefix: '', location: 'x.bad.io', insecure: true, blocked: true },
    ]);
  });
});

describe('node files: the search-registries drop-in', () => {
  test('is written only when search registries are set, holding them in order', () => {
    assert.equal(files({})[SEARCH_DROP_IN], undefined);
    const dropIn = parseToml(files({ containerRuntimeSearchRegistries: ['reg1.io', 'reg2.io'] })[SEARCH_DROP_IN]!);
    assert.deepEqual(dropIn, { 'unqualified-search-registries': ['reg1.io', 'reg2.io'], 'short-name-mode': '', 'additional-layer-store-auth-helper': '' });
  });
});

describe('node files: policy.json', () => {
  test('with neither list the template is left as it is, docker-daemon included', () => {
    assert.equal(files({ insecureRegistries: ['a.io'] })[POLICY_JSON], BASE_POLICY_JSON);
    assert.deepEqual(JSON.parse(BASE_POLICY_JSON).transports['docker-daemon'], { '': [{ type: 'insecureAcceptAnything' }] });
  });

  test('an allow list rejects by default and accepts each scope, for docker and atomic, keeping docker-daemon', () => {
    const policy = JSON.parse(files({ allowedRegistries: ['quay.io', 'example.com'] })[POLICY_JSON]!);
    const accept = [{ type: 'insecureAcceptAnything' }];
    assert.deepEqual(policy, {
      default: [{ type: 'reject' }],
      transports: {
        atomic: { 'example.com': accept, 'quay.io': accept },
        docker: { 'example.com': accept, 'quay.io': accept },
        'docker-daemon': { '': accept },
      },
    });
  });

  test('a block list accepts by default and rejects each scope', () => {
    const policy = JSON.parse(files({ blockedRegistries: ['untrusted.com'] })[POLICY_JSON]!);
    assert.deepEqual(policy.default, [{ type: 'insecureAcceptAnything' }]);
    assert.deepEqual(policy.transports.docker, { 'untrusted.com': [{ type: 'reject' }] });
  });

  test('scopes with three or more slashes are left out of atomic, which cannot express them', () => {
    const policy = JSON.parse(files({ allowedRegistries: ['reg.io/a/b/c', 'reg.io/a/b'] })[POLICY_JSON]!);
    assert.deepEqual(Object.keys(policy.transports.docker), ['reg.io/a/b', 'reg.io/a/b/c']);
    assert.deepEqual(Object.keys(policy.transports.atomic), ['reg.io/a/b']);
  });

  test('allowed and blocked together cannot be rendered', () => {
    assert.throws(() => files({ allowedRegistries: ['a.io'], blockedRegistries: ['b.io'] }), /only one of AllowedRegistries or BlockedRegistries/);
  });
});

test('the preview prints each file under a ==> path <== header', () => {
  const out = formatNodeFiles(nodeRegistryFiles({ containerRuntimeSearchRegistries: ['reg1.io'] }));
  assert.deepEqual(
    out.split('\n').filter((l) => l.startsWith('==>')),
    [`==> ${REGISTRIES_CONF} <==`, `==> ${POLICY_JSON} <==`, `==> ${SEARCH_DROP_IN} <==`],
  );
});
