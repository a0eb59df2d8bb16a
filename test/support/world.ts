// Runs regctl in-process, as a user would type it, in a world the test controls: buffer
// streams (a terminal or not), a cluster (the fake, or a test API server through the real
// client), a stub prompter with scripted answers, a fixed clock and fixed randomness.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli.js';
import type { Cluster } from '../../src/cluster/types.js';
import type { World } from '../../src/context.js';
import { InterruptedError } from '../../src/errors.js';
import { bufferIO } from '../../src/output/io.js';
import { systemHost } from '../../src/world.js';

export const FIXED_NOW = new Date('2026-11-29T12:00:00Z');

export interface TestWorldOptions {
  /** The cluster every connect() returns; else the real client reads the kubeconfig the flags and env name. */
  cluster?: Cluster;
  env?: NodeJS.ProcessEnv;
  /** stdin and stdout are terminals (prompts allowed). */
  tty?: boolean;
  /** Answers to confirmations, in order; 'interrupt' is Ctrl-C. Running out fails the test. */
  answers?: (boolean | 'interrupt')[];
  now?: Date;
  /** Host commands run instead of on this machine (systemctl restart docker must never run in a test). */
  exec?: (command: string, args: string[], stdin?: string) => Promise<string>;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The confirmation questions asked. */
  asked: string[];
  /** Host commands the run executed. */
  ran: string[][];
}

/** A fresh HOME, so backups and caches never touch the real one. */
export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'regctl-home-'));
}

export function testWorld(opts: TestWorldOptions = {}): { world: World; io: ReturnType<typeof bufferIO>; asked: string[]; ran: string[][] } {
  const io = bufferIO({ tty: opts.tty });
  const asked: string[] = [];
  const ran: string[][] = [];
  const answers = [...(opts.answers ?? [])];
  const env = { HOME: opts.env?.HOME ?? tempHome(), KUBECONFIG: '/nonexistent/kubeconfig', REGCTL_POLL_INTERVAL_MS: '10', ...opts.env };
  let n = 0;
  const world: World = {
    io,
    env,
    connect: async (globals, e) => opts.cluster ?? (await import('../../src/cluster/index.js')).connect(globals, e),
    prompter: {
      async confirm(message) {
        asked.push(message);
        if (answers.length === 0) throw new Error(`test: unexpected question "${message}"`);
        const a = answers.shift()!;
        if (a === 'interrupt') throw new InterruptedError();
        return a;
      },
    },
    host: {
      ...systemHost,
      exec: async (command, args, stdin) => {
        ran.push([command, ...args]);
        if (!opts.exec) throw new Error(`test: unexpected host command ${command} ${args.join(' ')}`);
        return opts.exec(command, args, stdin);
      },
    },
    now: () => opts.now ?? FIXED_NOW,
    // Deterministic, and different on every call.
    randomBytes: (len) => {
      const call = n++;
      return Uint8Array.from({ length: len }, (_, i) => (call * 31 + i * 7 + 1) & 0xff);
    },
    sleep: () => new Promise((r) => setImmediate(r)),
  };
  return { world, io, asked, ran };
}

/** `regctl ARGS` in-process. */
export async function run(args: string[], opts: TestWorldOptions = {}): Promise<RunResult> {
  const { world, io, asked, ran } = testWorld(opts);
  const code = await runCli(args, world);
  return { code, stdout: io.stdout(), stderr: io.stderr(), asked, ran };
}
