// The one wait loop: ask, show where it stands (redrawn on a terminal, a line per change
// elsewhere), sleep, and give up at the deadline with what it was waiting for.
import { OperationError } from '../errors.js';
import type { IO } from './io.js';
import { progress } from './progress.js';

export type PollState<T> = { done: true; value: T; text?: string } | { done: false; text: string };

export interface PollOptions<T> {
  /** What is awaited, for the progress line: `deployment "x"`. */
  what: string;
  io: IO;
  timeoutMs: number;
  intervalMs: number;
  now(): number;
  sleep(ms: number): Promise<void>;
  check(): Promise<PollState<T>>;
  /** The error at the deadline (default: "... did not ... within"). */
  timeout?(last: string): Error;
}

export async function poll<T>(o: PollOptions<T>): Promise<T> {
  const start = o.now();
  const bar = progress(o.io, () => o.now() - start);
  for (;;) {
    const s = await o.check();
    if (s.done) {
      bar.done(s.text);
      return s.value;
    }
    bar.update(`waiting for ${o.what}: ${s.text}`);
    if (o.now() - start >= o.timeoutMs) {
      bar.done();
      throw o.timeout?.(s.text) ?? new OperationError(`gave up waiting for ${o.what} after ${Math.round(o.timeoutMs / 1000)}s: ${s.text}`);
    }
    await o.sleep(o.intervalMs);
  }
}

/** The poll interval: REGCTL_POLL_INTERVAL_MS (tests) or the caller's default. */
export function pollInterval(env: NodeJS.ProcessEnv, defaultMs: number): number {
  const n = Number(env.REGCTL_POLL_INTERVAL_MS);
  return Number.isFinite(n) && n > 0 ? n : defaultMs;
}

/** A clock that counts the time slept, for waits whose world has a sleep but no clock (a plan's `after`). */
export function sleptClock(sleep: (ms: number) => Promise<void>): { now: () => number; sleep: (ms: number) => Promise<void> } {
  let slept = 0;
  return {
    now: () => slept,
    sleep: async (ms) => {
      slept += ms;
      await sleep(ms);
    },
  };
}
