// Standard streams and what they can do: colour and prompts only on a TTY, never with NO_COLOR,
// TERM=dumb or --no-color (clig.dev). Messages go to stderr, objects to stdout.
import { isatty } from 'node:tty';

/** The few colours messages use. Plain identity functions unless colour is on. */
export interface Colors {
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  cyan(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

const plain = (s: string) => s;
export const NO_COLORS: Colors = { red: plain, yellow: plain, green: plain, cyan: plain, bold: plain, dim: plain };

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
  color: Colors;
  /** stderr is a terminal: progress may redraw a line. */
  errIsTTY: boolean;
}

export function colorEnabled(stream: Stream, env: NodeJS.ProcessEnv, noColorFlag: boolean): boolean {
  if (noColorFlag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/** The process's streams. chalk is loaded only when stderr will show colour (start-up cost). */
export async function systemIO(env: NodeJS.ProcessEnv, noColor: boolean): Promise<IO> {
  const err = process.stderr;
  let color = NO_COLORS;
  if (colorEnabled(err, env, noColor)) {
    const { Chalk } = await import('chalk');
    color = new Chalk({ level: 1 });
  }
  return {
    out: process.stdout,
    err,
    // isatty(0), not process.stdin.isTTY: reading that getter builds the stdin stream, which a run
    // that never prompts does not need (start-up cost).
    canPrompt: isatty(0) && process.stdout.isTTY === true,
    color,
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
    color: NO_COLORS,
    errIsTTY: opts.tty === true,
    stdout: () => o,
    stderr: () => e,
  };
}
