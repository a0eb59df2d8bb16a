// The real peers for TLS round trips: the Debian docker-registry (distribution v2) on
// 127.0.0.1 with a temp config and storage, and a tiny OCI image layout for skopeo to copy.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOCKER_REGISTRY_BIN as DOCKER_REGISTRY, freePort } from './registry-server.js';

export { DOCKER_REGISTRY, freePort };
export { writeOciLayout } from './oci-image.js';
export const SKOPEO = '/usr/bin/skopeo';

export interface RunningRegistry {
  port: number;
  log(): string;
  stop(): Promise<void>;
}

/** Starts docker-registry with TLS from the given files; resolves once it says it listens. */
export async function startRegistry(dir: string, tls: { cert: string; key: string }, timeoutMs = 20_000): Promise<RunningRegistry> {
  const port = await freePort();
  const root = join(dir, 'registry-root');
  mkdirSync(root, { recursive: true });
  const config = join(dir, 'registry-config.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: info',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${root}`,
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '  tls:',
      `    certificate: ${tls.cert}`,
      `    key: ${tls.key}`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(DOCKER_REGISTRY, ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  // Wait for "listening on 127.0.0.1:PORT, tls", bounded.
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      clearInterval(poll);
      void stop().then(() => reject(new Error(`docker-registry did not start within ${timeoutMs} ms:\n${output}`)));
    }, timeoutMs);
    const poll = setInterval(() => {
      if (output.includes(`listening on 127.0.0.1:${port}, tls`)) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve();
      } else if (child.exitCode !== null) {
        clearInterval(poll);
        clearTimeout(timer);
        reject(new Error(`docker-registry exited:\n${output}`));
      }
    }, 50);
  });
  return { port, log: () => output, stop };
}

/** skopeo with a permissive policy of its own and no user auth file; bounded in time. */
export function skopeo(dir: string, args: string[]): { code: number; stdout: string; stderr: string } {
  const policy = join(dir, 'policy.json');
  writeFileSync(policy, JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
  const r = spawnSync(SKOPEO, ['--policy', policy, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH, HOME: dir, REGISTRY_AUTH_FILE: join(dir, 'auth.json') },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr + (r.error ? String(r.error) : '') };
}
