// Standard streams and what they can do: colour and prompts only on a TTY, never with NO_COLOR,
// TERM=dumb or --no-color (clig.dev). Messages go to stderr, objects to stdout.
import { Chalk, type ChalkInstance } from 'chalk';

export interface Stream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface IO {
  out: Stream;
  err: Stream;
  /** stdin and stdout are both terminals. */
  canPrompt: boolean;
  /** Colours for messages on stderr. */
  color: ChalkInstance;
  /** stderr is a terminal: progress may redraw a line. */
  errIsTTY: boolean;
}

export function colorEnabled(stream: Stream, env: NodeJS.ProcessEnv, noColorFlag: boolean): boolean {
  if (noColorFlag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

export function systemIO(env: NodeJS.ProcessEnv, noColor: boolean): IO {
  const err = process.stderr;
  return {
    out: process.stdout,
    err,
    canPrompt: process.stdin.isTTY === true && process.stdout.isTTY === true,
    color: new Chalk({ level: colorEnabled(err, env, noColor) ? 1 : 0 }),
    errIsTTY: err.isTTY === true,
  };
}

/** Buffers instead of streams, for tests. */
export function bufferIO(opts: { tty?: boolean } = {}): IO & { stdout(): string; stderr(): string } {
  let o = '';
  let e = '';
  return {
    out: { write: (s: string) => (o += s), isTTY: opts.tty },
    err: { write: (s: string) => (e += s), isTTY: opts.tty },
    canPrompt: opts.tty === true,
    color: new Chalk({ level: 0 }),
    errIsTTY: opts.tty === true,
    stdout: () => o,
    stderr: () => e,
  };
}
