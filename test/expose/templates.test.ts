// The pure pieces behind expose and reuse-ip: the master-config text edit, the operator's
// routes[] and hostname lists, merge patches, certificate names, TLS evidence, plans.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { MasterConfigError, setRegistryHostnames } from '../../src/templates/master-config.js';
import { mergePatch } from '../../src/plan/types.js';
import { addExternalHostnames, addOperatorRoute, passthroughRoute, registryConfigPatch } from '../../src/templates/route.js';
import { namesMissing } from '../../src/pki/names.js';
import { tlsEvidence } from '../../src/registry/find.js';
import type { KubeObject } from '../../src/plan/types.js';

test('master-config: a missing imagePolicyConfig section is appended; the rest of the file is byte for byte the same', () => {
  const text = '# the master\napiVersion: v1\nkind: MasterConfig\n';
  const r = setRegistryHostnames(text, { externalRegistryHostname: 'registry.example.com' });
  assert.equal(r.text, text + 'imagePolicyConfig:\n  externalRegistryHostname: registry.example.com\n');
  assert.deepEqual(r.changes, ['imagePolicyConfig.externalRegistryHostname: (unset) → registry.example.com']);
});

test('master-config: values already there change nothing', () => {
  const text = 'imagePolicyConfig:\n  internalRegistryHostname: r.svc:5000\nkind: MasterConfig\n';
  const r = setRegistryHostnames(text, { internalRegistryHostname: 'r.svc:5000' });
  assert.equal(r.text, text);
  assert.deepEqual(r.changes, []);
});

test('master-config: a one-line flow mapping becomes a block with the new key; its other keys stay', () => {
  const r = setRegistryHostnames('kind: MasterConfig\nimagePolicyConfig: {maxImagesBulkImportedPerRepository: 5}\nservingInfo:\n  bindAddress: 0.0.0.0:8443\n', { internalRegistryHostname: 'r.svc:5000' });
  assert.equal(r.text, 'kind: MasterConfig\nimagePolicyConfig:\n  maxImagesBulkImportedPerRepository: 5\n  internalRegistryHostname: r.svc:5000\nservingInfo:\n  bindAddress: 0.0.0.0:8443\n');
});

test('master-config: four-space indentation, CRLF line ends and comments inside the block are kept', () => {
  const text = 'imagePolicyConfig:\r\n    # keep me\r\n    externalRegistryHostname: old.example.com\r\n\r\nkind: MasterConfig\r\n';
  const r = setRegistryHostnames(text, { externalRegistryHostname: 'new.example.com', internalRegistryHostname: 'r.svc:5000' });
  assert.equal(r.text, 'imagePolicyConfig:\r\n    # keep me\r\n    externalRegistryHostname: new.example.com\r\n    internalRegistryHostname: r.svc:5000\r\n\r\nkind: MasterConfig\r\n');
  assert.deepEqual(load(r.text), { imagePolicyConfig: { externalRegistryHostname: 'new.example.com', internalRegistryHostname: 'r.svc:5000' }, kind: 'MasterConfig' });
});

test('master-config: not YAML, not a mapping, or an imagePolicyConfig that is not a mapping are refused', () => {
  assert.throws(() => setRegistryHostnames('a: [b\n', { externalRegistryHostname: 'x' }), (e: Error) => e instanceof MasterConfigError && /not valid YAML/.test(e.message));
  assert.throws(() => setRegistryHostnames('- a\n', { externalRegistryHostname: 'x' }), /not a YAML mapping/);
  assert.throws(() => setRegistryHostnames('imagePolicyConfig: 3\n', { externalRegistryHostname: 'x' }), /imagePolicyConfig is not a mapping/);
});

test('passthrough route: to the service by port name, passthrough TLS, host only when given', () => {
  const r = passthroughRoute({ namespace: 'default', service: 'docker-registry', targetPort: '5000-tcp', hostname: 'r.example.com', labels: { 'docker-registry': 'default' } });
  assert.equal(r.apiVersion, 'route.openshift.io/v1');
  assert.deepEqual(r.spec, { host: 'r.example.com', port: { targetPort: '5000-tcp' }, tls: { termination: 'passthrough' }, to: { kind: 'Service', name: 'docker-registry', weight: 100 } });
  assert.equal((passthroughRoute({ namespace: 'default', service: 'docker-registry' }).spec as any).host, undefined);
});

test('operator routes[]: added once, a new secret updates the entry, a name used by another host is a conflict', () => {
  const one = [{ name: 'a', hostname: 'a.example.com' }];
  assert.deepEqual(addOperatorRoute(one, { name: 'b', hostname: 'b.example.com' }), { kind: 'added', routes: [...one, { name: 'b', hostname: 'b.example.com' }] });
  assert.deepEqual(addOperatorRoute(one, { name: 'x', hostname: 'a.example.com' }), { kind: 'present' });
  assert.deepEqual(addOperatorRoute(one, { name: 'a', hostname: 'a.example.com', secretName: 's' }), { kind: 'added', routes: [{ name: 'a', hostname: 'a.example.com', secretName: 's' }] });
  assert.equal(addOperatorRoute(one, { name: 'a', hostname: 'c.example.com' }).kind, 'nameTaken');
  assert.deepEqual(registryConfigPatch({ defaultRoute: true }, { defaultRoute: true }), {});
  assert.deepEqual(registryConfigPatch({}, { defaultRoute: true }), { patch: { spec: { defaultRoute: true } } });
});

test('externalRegistryHostnames: appended without duplicates; undefined when nothing is new', () => {
  assert.deepEqual(addExternalHostnames(['a'], ['b', 'a']), ['a', 'b']);
  assert.equal(addExternalHostnames(['a'], ['a']), undefined);
  assert.deepEqual(addExternalHostnames(undefined, ['a']), ['a']);
});

test('merge patch as RFC 7386: objects merge, lists are replaced, null deletes', () => {
  assert.deepEqual(mergePatch({ spec: { a: 1, l: [1, 2], gone: true } }, { spec: { b: 2, l: [3], gone: null } }), { spec: { a: 1, b: 2, l: [3] } });
});

test('certificate names: DNS SANs and wildcards as a TLS client matches them; ports are ignored', () => {
  const dir = mkdtempSync(join(tmpdir(), 'regctl-names-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=r', '-days', '1', '-addext', 'subjectAltName=DNS:docker-registry.default.svc,DNS:*.apps.example.com,IP:172.30.0.5', '-keyout', join(dir, 'k'), '-out', join(dir, 'c')], { stdio: 'ignore' });
  const pem = readFileSync(join(dir, 'c'), 'utf8');
  assert.deepEqual(namesMissing(pem, ['docker-registry.default.svc:5000', 'registry.apps.example.com', '172.30.0.5', 'other.example.com', 'a.b.apps.example.com']), ['other.example.com', 'a.b.apps.example.com']);
  assert.equal(namesMissing('not a certificate', ['x']), undefined);
});

const workload = (container: Record<string, unknown>, volumes: unknown[] = []): KubeObject => ({
  apiVersion: 'apps.openshift.io/v1',
  kind: 'DeploymentConfig',
  metadata: { name: 'docker-registry', namespace: 'default' },
  spec: { template: { spec: { containers: [{ name: 'registry', ...container }], volumes } } },
});

test('TLS evidence: the certificate env or HTTPS probes; plain HTTP is none', () => {
  assert.equal(tlsEvidence(workload({ env: [{ name: 'REGISTRY_HTTP_TLS_CERTIFICATE', value: '/etc/secrets/registry.crt' }] })), 'REGISTRY_HTTP_TLS_CERTIFICATE=/etc/secrets/registry.crt');
  assert.equal(tlsEvidence(workload({ readinessProbe: { httpGet: { scheme: 'HTTPS', port: 5000 } } })), 'HTTPS probes');
  assert.equal(tlsEvidence(workload({ livenessProbe: { httpGet: { port: 5000 } }, env: [] })), undefined);
});
