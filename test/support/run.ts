// Runs the built CLI (bin/regctl.js) as a user would: a child process, its exit code and
// both streams. `npm test` builds first; tests never import dist/ directly.
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/regctl.js', import.meta.url));

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function regctl(args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd,
      // No colour and no real kubeconfig unless a test gives one. The code cache (src/launcher.ts)
      // goes to one place for every test, outside the HOME a test may list for what a run wrote.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', KUBECONFIG: '/nonexistent/kubeconfig', XDG_CACHE_HOME: join(tmpdir(), 'regctl-test-code-cache'), ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    // A CLI that exits before reading its input (a usage error) closes the pipe: not a test failure.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}
