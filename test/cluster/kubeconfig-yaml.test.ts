// The kubeconfig reader's own YAML path against js-yaml, the reference: on what kubectl, oc and
// js-yaml write it answers exactly what js-yaml loads; on anything else it answers js-yaml's answer
// or nothing (and js-yaml reads the file), never something else.
import test from 'node:test';
import assert from 'node:assert/strict';
import { dump, load } from 'js-yaml';
import { readKubeconfigYaml } from '../../src/cluster/kubeconfig-yaml.js';

// As `oc login` and `kubectl config` write them (yaml.v2: a list at its key's column).
const KUBECTL = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM=
    server: https://api.crc.testing:6443
  name: api-crc-testing:6443
- cluster:
    insecure-skip-tls-verify: true
    server: https://10.0.0.5:8443
    tls-server-name: master.example.com
    proxy-url: http://proxy.example.com:3128
  name: legacy
contexts:
- context:
    cluster: api-crc-testing:6443
    namespace: default
    user: kubeadmin/api-crc-testing:6443
  name: default/api-crc-testing:6443/kubeadmin
- context:
    cluster: legacy
    user: system:admin/legacy
  name: legacy-admin
current-context: default/api-crc-testing:6443/kubeadmin
kind: Config
preferences: {}
users:
- name: kubeadmin/api-crc-testing:6443
  user:
    token: sha256~Zx_4b9kB1q6c-7vAbCdEfGhIjKlMnOpQrStUvWxYz0
- name: system:admin/legacy
  user:
    client-certificate: ../pki/admin.crt
    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo=
- name: eks
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      args:
      - eks
      - get-token
      command: aws
      env: null
      interactiveMode: IfAvailable
      provideClusterInfo: false
`;

// As the test API server and many hand-written ones do: lists indented under their key.
const INDENTED = `apiVersion: v1
kind: Config
clusters:
  - name: test
    cluster:
      server: https://127.0.0.1:35033
      certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t
users:
  - name: admin
    user:
      token: EUKgmrnvPQYnnAPsqHgpIsyMU4jcMn9V
contexts:
  - name: test
    context:
      cluster: test
      user: admin
      namespace: default
current-context: test
preferences: {}
`;

const THROWS = Symbol('js-yaml throws');
const reference = (text: string) => {
  try {
    return load(text);
  } catch {
    return THROWS;
  }
};

test('kubeconfig YAML: what kubectl, oc and the test API server write is read here, as js-yaml reads it', () => {
  for (const text of [KUBECTL, INDENTED]) {
    const fast = readKubeconfigYaml(text);
    assert.notEqual(fast, undefined);
    assert.deepEqual(fast, load(text));
  }
  // And what js-yaml itself writes, either way of indenting lists.
  const doc = load(KUBECTL) as object;
  for (const seqNoIndent of [true, false]) {
    const text = dump(doc, { seqNoIndent, lineWidth: -1 });
    assert.deepEqual(readKubeconfigYaml(text), doc, text);
  }
});

test('kubeconfig YAML: quotes, comments, numbers, YAML 1.1 words, flow collections, block scalars go to js-yaml', () => {
  const cases = [
    'a: "quoted"\n', "a: 'quoted'\n", '# comment\na: b\n', 'a: b # comment\n', 'a: 5000\n', 'a: 1.5\n', 'a: -x\n', 'a: yes\n', 'a: True\n',
    'a: ~\n', 'a: {b: c}\n', 'a: [b]\n', 'a: |\n  text\n', 'a: >\n  text\n', 'a: &x b\nc: *x\n', 'a: !!str 5\n', 'a:\tb\n', 'a: b\r\n',
    'a: b\n  c\n', 'a: b\na: c\n', 'yes: b\n', '1: b\n', '"a": b\n', '---\na: b\n', 'a: b \n', 'a:  b\n', 'a: b: c\n', 'a: café\n', '', '\n\n',
    '  a: b\n', 'a:\n  - b\n - c\n', '- a\n-b\n', '<<: {}\n', 'a: 2001-12-14\n', '__proto__: x\n',
  ];
  for (const text of cases) assert.equal(readKubeconfigYaml(text), undefined, JSON.stringify(text));
});

test('kubeconfig YAML: 4000 mutations of real kubeconfigs are read as js-yaml reads them, or left to it', () => {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
  const bits = [' ', '  ', '-', '- ', ':', ': ', '#', ' #', "'", '"', '{}', '[]', '{', '&a', '*a', '!', '|', '>', '?', '~', 'yes', 'no', 'on', 'null', 'true', 'False', '0', '1.5', '0x1f', '12:30', '2001-12-14', '.inf', '<<', '=', 'x', '\t', '\n', '\n  ', '\n- ', '\n    k: v'];
  let read = 0;
  for (let i = 0; i < 4000; i++) {
    const base = pick([KUBECTL, INDENTED]);
    let text = base;
    for (let n = 1 + Math.floor(next() * 3); n > 0; n--) {
      const at = Math.floor(next() * text.length);
      text = next() < 0.3 ? text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 4)) : text.slice(0, at) + pick(bits) + text.slice(at);
    }
    const fast = readKubeconfigYaml(text);
    if (fast === undefined) continue;
    read++;
    const ref = reference(text);
    assert.notEqual(ref, THROWS, `read what js-yaml refuses: ${JSON.stringify(text)}`);
    assert.deepEqual(fast, ref, JSON.stringify(text));
  }
  // The mutations are not all refused: the comparison above did happen.
  assert.ok(read > 500, `${read} of 4000 read`);
});
