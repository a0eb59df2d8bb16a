// The 3.x node file: /etc/sysconfig/docker as RHEL 7 ships it and as people edit it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readRegistryLists, removeInsecureRegistry, setRegistryWhitelist } from '../../src/templates/docker-sysconfig.js';
import { STOCK } from './fixtures.js';

/** Lines that differ between two texts, as [before, after] pairs (same line count assumed). */
function changedLines(a: string, b: string): [string, string][] {
  const x = a.split('\n');
  const y = b.split('\n');
  assert.equal(x.length, y.length, 'line count changed');
  return x.flatMap((l, i) => (l === y[i] ? [] : [[l, y[i]!] as [string, string]]));
}

describe('docker sysconfig: setting the whitelist', () => {
  test('on the stock file: uncomments BLOCK_REGISTRY, rewrites ADD_REGISTRY, and changes no other line', () => {
    const out = setRegistryWhitelist(STOCK, ['registry.access.redhat.com', '172.30.1.1:5000']);
    assert.deepEqual(changedLines(STOCK, out), [
      ["ADD_REGISTRY='--add-registry registry.access.redhat.com'", "ADD_REGISTRY='--add-registry=registry.access.redhat.com --add-registry=172.30.1.1:5000'"],
      ["# BLOCK_REGISTRY='--block-registry'", "BLOCK_REGISTRY='--block-registry=all'"],
    ]);
  });

  test('a commented ADD_REGISTRY is uncommented in place', () => {
    const text = "OPTIONS=''\n#ADD_REGISTRY='--add-registry registry.access.redhat.com'\n# BLOCK_REGISTRY='--block-registry'\n";
    assert.equal(setRegistryWhitelist(text, ['r1.io']), "OPTIONS=''\nADD_REGISTRY='--add-registry=r1.io'\nBLOCK_REGISTRY='--block-registry=all'\n");
  });

  test('variables the file lacks are appended at the end, after a missing final newline', () => {
    assert.equal(setRegistryWhitelist("OPTIONS='--selinux-enabled'", ['r1.io']), "OPTIONS='--selinux-enabled'\nBLOCK_REGISTRY='--block-registry=all'\nADD_REGISTRY='--add-registry=r1.io'\n");
  });

  test('an active assignment wins over a commented one, and a trailing comment is kept', () => {
    const text = "# ADD_REGISTRY='--add-registry a'\nADD_REGISTRY=\"--add-registry b\"  # ours\nBLOCK_REGISTRY='--block-registry docker.io'\n";
    assert.equal(
      setRegistryWhitelist(text, ['c.io']),
      "# ADD_REGISTRY='--add-registry a'\nADD_REGISTRY='--add-registry=c.io'  # ours\nBLOCK_REGISTRY='--block-registry=all'\n",
    );
  });

  test('of several active assignments the last (the one the shell keeps) is rewritten', () => {
    const text = "ADD_REGISTRY='--add-registry a'\nADD_REGISTRY='--add-registry b'\n";
    assert.equal(setRegistryWhitelist(text, ['c.io']).split('\n')[1], "ADD_REGISTRY='--add-registry=c.io'");
  });

  test('setting the same whitelist twice changes nothing the second time', () => {
    const once = setRegistryWhitelist(STOCK, ['r1.io', 'r2.io']);
    assert.equal(setRegistryWhitelist(once, ['r1.io', 'r2.io']), once);
  });

  test('CRLF line endings are kept', () => {
    const out = setRegistryWhitelist("OPTIONS=''\r\n# BLOCK_REGISTRY='--block-registry'\r\n", ['r1.io']);
    assert.equal(out, "OPTIONS=''\r\nBLOCK_REGISTRY='--block-registry=all'\r\nADD_REGISTRY='--add-registry=r1.io'\r\n");
  });

  test('a multi-line quoted OPTIONS value is read as one assignment and left untouched', () => {
    const text = "OPTIONS='--selinux-enabled\n  --add-registry opt.io'\n# BLOCK_REGISTRY=''\n";
    const out = setRegistryWhitelist(text, ['r1.io']);
    assert.ok(out.startsWith("OPTIONS='--selinux-enabled\n  --add-registry opt.io'\n"));
    assert.deepEqual(readRegistryLists(out).add, ['opt.io', 'r1.io']);
  });
});

describe('docker sysconfig: reading the lists', () => {
  test('reads --flag=x and --flag x alike, OPTIONS first, commented lines ignored', () => {
    const text = [
      "OPTIONS='--selinux-enabled --insecure-registry 172.30.0.0/16 --add-registry=opt.io'",
      "ADD_REGISTRY='--add-registry registry.access.redhat.com --add-registry=reg.example.com'",
      "BLOCK_REGISTRY='--block-registry all'",
      "INSECURE_REGISTRY=\"--insecure-registry=host:5000\"",
      "# INSECURE_REGISTRY='--insecure-registry commented.io'",
      '',
    ].join('\n');
    assert.deepEqual(readRegistryLists(text), {
      add: ['opt.io', 'registry.access.redhat.com', 'reg.example.com'],
      block: ['all'],
      insecure: ['172.30.0.0/16', 'host:5000'],
    });
  });

  test('the stock file allows registry.access.redhat.com and blocks nothing', () => {
    assert.deepEqual(readRegistryLists(STOCK), { add: ['registry.access.redhat.com'], block: [], insecure: [] });
  });

  test('a bare --block-registry with no value yields nothing', () => {
    assert.deepEqual(readRegistryLists("BLOCK_REGISTRY='--block-registry'\n").block, []);
  });
});

describe('docker sysconfig: removing an insecure registry (for regctl secure)', () => {
  test('removes the entry in both styles from INSECURE_REGISTRY and OPTIONS, keeping the other words', () => {
    const text = [
      "OPTIONS='--selinux-enabled --insecure-registry=172.30.1.1:5000 --log-driver=journald'",
      "INSECURE_REGISTRY='--insecure-registry 172.30.1.1:5000 --insecure-registry other:5000'",
      '',
    ].join('\n');
    assert.equal(
      removeInsecureRegistry(text, '172.30.1.1:5000'),
      ["OPTIONS='--selinux-enabled --log-driver=journald'", "INSECURE_REGISTRY='--insecure-registry other:5000'", ''].join('\n'),
    );
  });

  test('the last entry leaves an empty INSECURE_REGISTRY, not a bare flag', () => {
    assert.equal(removeInsecureRegistry('INSECURE_REGISTRY="--insecure-registry=r:5000"\n', 'r:5000'), 'INSECURE_REGISTRY=""\n');
  });

  test('an unknown registry, a CIDR or a commented line leaves the text unchanged', () => {
    const text = "OPTIONS='--insecure-registry 172.30.0.0/16'\n# INSECURE_REGISTRY='--insecure-registry 172.30.1.1:5000'\n";
    assert.equal(removeInsecureRegistry(text, '172.30.1.1:5000'), text);
  });
});
