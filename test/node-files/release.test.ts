// Which release's rules apply: from the ClusterVersion, or --openshift-version offline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../src/errors.js';
import { clusterVersionInfo, parseOpenShiftVersion, releaseOfVersion, rulesFor } from '../../src/node-files/release.js';

test('the ClusterVersion gives the version (desired, else the latest history entry) and the payload image', () => {
  assert.deepEqual(clusterVersionInfo({ status: { desired: { version: '4.12.30', image: 'quay.io/x/ocp-release@sha256:1' } } }), { version: '4.12.30', releaseImage: 'quay.io/x/ocp-release@sha256:1' });
  assert.deepEqual(clusterVersionInfo({ status: { history: [{ version: '4.9.1' }] } }), { version: '4.9.1', releaseImage: undefined });
});

test('a known release keeps its rules; newer and older ones get the nearest, with a note', () => {
  assert.deepEqual(releaseOfVersion('4.12.30'), { release: { minor: 12, name: '4.12' } });
  assert.equal(releaseOfVersion('4.18.5').release.name, '4.16');
  assert.match(releaseOfVersion('4.18.5').note!, /OpenShift 4\.18\.5 is newer than regctl knows: rendering with the rules of 4\.16/);
  assert.equal(releaseOfVersion('4.2.0').release.name, '4.4');
  assert.match(releaseOfVersion(undefined).note!, /reports no OpenShift 4 version/);
});

test('--openshift-version takes X.Y or X.Y.Z within 4.4–4.16', () => {
  assert.equal(parseOpenShiftVersion('--openshift-version', '4.13').minor, 13);
  assert.equal(parseOpenShiftVersion('--openshift-version', '4.10.3').minor, 10);
  assert.throws(() => parseOpenShiftVersion('--openshift-version', '4.17'), (e) => e instanceof UsageError && /not 4\.17/.test(e.message));
  assert.throws(() => parseOpenShiftVersion('--openshift-version', 'latest'), /is not an OpenShift 4 release/);
});

test('the switches change where the upstream code changed', () => {
  const at = (minor: number) => rulesFor({ minor, name: `4.${minor}` });
  assert.deepEqual([8, 9, 10, 11, 12, 13, 14, 16].map((m) => [at(m).wildcards, at(m).nestedMirrors, at(m).mirrorSets, at(m).payloadRule, at(m).atomicSkipsDeepScopes]), [
    [false, false, false, 'registry', false],
    [true, false, false, 'registry', false],
    [true, false, false, 'registry', false],
    [true, true, false, 'repository', false],
    [true, true, false, 'repository', false],
    [true, true, true, 'repository', false],
    [true, true, true, 'repository', true],
    [true, true, true, 'repository', true],
  ]);
  assert.deepEqual([6, 7].map((m) => at(m).searchDropIn), [false, true]);
});
