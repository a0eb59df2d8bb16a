// A real Debian `docker-registry` (distribution v2) on 127.0.0.1, a random free port, temp
// storage and plain HTTP. Started by a test, stopped by it (and killed if it outlives it).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DOCKER_REGISTRY_BIN = '/usr/bin/docker-registry';

export interface RegistryServer {
  /** `127.0.0.1:PORT` */
  host: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

/** `tls`: serve HTTPS with these PEM files (distribution's http.tls). */
export async function startRegistry(opts: { tls?: { certificate: string; key: string } } = {}): Promise<RegistryServer> {
  const dir = mkdtempSync(join(tmpdir(), 'regctl-registry-'));
  const port = await freePort();
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    ['version: 0.1', 'log:', '  level: error', 'storage:', '  filesystem:', `    rootdirectory: ${join(dir, 'data')}`, 'http:', `  addr: 127.0.0.1:${port}`, ...(opts.tls ? ['  tls:', `    certificate: ${opts.tls.certificate}`, `    key: ${opts.tls.key}`] : []), ''].join('\n'),
  );
  const child: ChildProcess = spawn(DOCKER_REGISTRY_BIN, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Bounded: at most 10 s for the port to open.
  for (let i = 0; i < 200 && !(await accepts(port)); i++) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!(await accepts(port))) {
    child.kill('SIGKILL');
    throw new Error(`docker-registry did not listen on 127.0.0.1:${port}: ${stderr}`);
  }
  return {
    host: `127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
