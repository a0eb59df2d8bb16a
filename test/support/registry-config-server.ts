// Runs the real distribution registry (Debian `docker-registry`) on 127.0.0.1 with a given
// config, to learn whether it starts and answers GET /v2/, or refuses and why. Every wait is
// bounded and the process is always killed.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOCKER_REGISTRY_BIN as DOCKER_REGISTRY, freePort } from './registry-server.js';

export const haveDockerRegistry = existsSync(DOCKER_REGISTRY);

export interface ServeResult {
  /** The status of GET /v2/ once the server answered; undefined if it never did. */
  status?: number;
  /** The exit code when the server stopped by itself (refused the config). */
  exitCode?: number | null;
  output: string;
}

/** Writes `config` (YAML text for the port and storage root) and serves it, with `env` (also given the port and root) in its environment. */
export async function serveRegistry(config: (port: number, root: string) => string, timeoutMs = 15_000, env?: (port: number, root: string) => Record<string, string>): Promise<ServeResult> {
  const dir = mkdtempSync(join(tmpdir(), 'regctl-registry-'));
  const port = await freePort();
  const file = join(dir, 'config.yml');
  writeFileSync(file, config(port, join(dir, 'root')));
  const child = spawn(DOCKER_REGISTRY, ['serve', file], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, ...env?.(port, join(dir, 'root')) } });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) => child.on('exit', (code) => ((exited = code), resolve())));
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline && exited === undefined) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/v2/`, { signal: AbortSignal.timeout(1000) });
        await res.arrayBuffer();
        return { status: res.status, output };
      } catch {
        await Promise.race([exit, new Promise((r) => setTimeout(r, 100))]);
      }
    }
    await Promise.race([exit, new Promise((r) => setTimeout(r, 500))]);
    return { exitCode: exited, output };
  } finally {
    if (exited === undefined) {
      child.kill('SIGKILL');
      await Promise.race([exit, new Promise((r) => setTimeout(r, 2000))]);
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
