// The pure edits behind `override-config FILE`: a DeploymentConfig as `regctl deploy` makes it,
// with the config mounted, unmounted again, and planned against live state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { registryObjects } from '../../src/templates/registry.js';
import { registryOptions } from '../support/registry-fixtures.js';
import {
  CONFIG_HASH_ANNOTATION,
  mountedConfigSource,
  planConfigChange,
  sha256,
  withConfigMounted,
  withConfigUnmounted,
  workloadEnv,
} from '../../src/templates/registry-config-plan.js';
import type { KubeObject } from '../../src/plan/types.js';

const OPTS = registryOptions();
const dc = () => registryObjects(OPTS).find((o) => o.kind === 'DeploymentConfig')!;
const podSpec = (w: KubeObject) => (w.spec as any).template.spec;

test('mounting keeps the storage volume, adds registry-config at /etc/docker/registry/ and the path variable, and hashes the config on the template', () => {
  const w = withConfigMounted(dc(), { configHash: sha256('version: 0.1\n') });
  assert.deepEqual(podSpec(w).volumes.map((v: any) => v.name), ['registry-storage', 'registry-config']);
  assert.deepEqual(podSpec(w).containers[0].volumeMounts.map((m: any) => m.mountPath), ['/registry', '/etc/docker/registry/']);
  assert.equal(workloadEnv(w).REGISTRY_CONFIGURATION_PATH, '/etc/docker/registry/config.yml');
  assert.equal((w.spec as any).template.metadata.annotations[CONFIG_HASH_ANNOTATION], sha256('version: 0.1\n'));
  assert.deepEqual(mountedConfigSource(w), { kind: 'ConfigMap', name: 'registry-config' });
  assert.equal(mountedConfigSource(dc()), undefined);
});

test('mounting twice is mounting once, and unmounting gives the original pod template back', () => {
  const once = withConfigMounted(dc(), { configHash: 'a' });
  assert.deepEqual(withConfigMounted(once, { configHash: 'a' }), once);
  assert.deepEqual((withConfigUnmounted(once).spec as any).template, (dc().spec as any).template);
});

test('--set variables replace the container\'s own in place and append new ones', () => {
  const w = withConfigMounted(dc(), { env: { REGISTRY_MIDDLEWARE_REPOSITORY_OPENSHIFT_ENFORCEQUOTA: 'true', REGISTRY_OPENSHIFT_METRICS_ENABLED: 'true' } });
  const names = podSpec(w).containers[0].env.map((e: any) => e.name);
  const before = podSpec(dc()).containers[0].env.map((e: any) => e.name);
  assert.deepEqual(names, [...before, 'REGISTRY_OPENSHIFT_METRICS_ENABLED']);
  assert.equal(workloadEnv(w).REGISTRY_MIDDLEWARE_REPOSITORY_OPENSHIFT_ENFORCEQUOTA, 'true');
});

test('the plan is empty when the cluster already runs the file, and saves what is in effect before replacing it', () => {
  const text = 'version: 0.1\n';
  const first = planConfigChange({ namespace: 'default', workload: dc() }, { text, savedAt: 't' });
  assert.deepEqual(first.plan.steps.map((s) => s.kind), ['apply', 'apply', 'replace']);
  const live = { namespace: 'default', workload: first.workload, configMap: first.configMap, current: { text, source: 'configmap/registry-config' } };
  assert.deepEqual(planConfigChange(live, { text, savedAt: 't' }).plan.steps, []);
  const next = planConfigChange(live, { text: 'version: 0.1\nlog: {level: info}\n', savedAt: 't2' });
  const save = next.plan.steps[0]!;
  assert.equal(save.kind, 'apply');
  assert.equal(save.kind === 'apply' && save.object.metadata.name, 'registry-config-previous');
  assert.equal(save.kind === 'apply' && (save.object.data as any)['config.yml'], text);
});
