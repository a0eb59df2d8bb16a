// Standard streams and what they can do: colour and prompts only on a TTY, never with NO_COLOR,
// TERM=dumb or --no-color (clig.dev). Messages go to stderr, objects to stdout.
import { fstatSync, statSync, writeSync } from 'node:fs';
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
  /** A terminal's width. */
  columns?: number;
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

/**
 * Whether fd is a terminal. A pipe, a file or /dev/null (`devNull`, its device number) plainly is
 * not, and is told by fstat: node:tty (which loads node:net) loads only for a character device
 * that may be one.
 */
function isTerminal(fd: number, devNull: number | undefined): boolean {
  try {
    const st = fstatSync(fd);
    if (!st.isCharacterDevice() || st.rdev === devNull) return false;
  } catch {
    return false; // a closed descriptor
  }
  return isatty(fd);
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * A stream that is not a terminal, written with write(2): what process.stdout does for a file
 * or pipe, without building the stream (node:net and node:stream, 2–3 ms of every start-up).
 * A reader that went away (`regctl ... | head`) ends the run quietly, as it would for kubectl.
 */
function fdStream(fd: number): Stream {
  return {
    isTTY: false,
    write(chunk: string) {
      const bytes = Buffer.from(chunk);
      for (let off = 0; off < bytes.length; ) {
        try {
          off += writeSync(fd, bytes, off, bytes.length - off);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'EPIPE') process.exit(process.exitCode ?? 0);
          // A descriptor left non-blocking by whoever opened it: wait until the reader catches up.
          if (code !== 'EAGAIN') throw e;
          Atomics.wait(pause, 0, 0, 5);
        }
      }
      return true;
    },
  };
}

/** A terminal's stream: Node's own, which knows its width and serves prompts. */
function terminalStream(stream: NodeJS.WriteStream): Stream {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  return stream;
}

/** The process's standard streams. chalk is loaded only when stderr will show colour (start-up cost). */
export async function systemIO(env: NodeJS.ProcessEnv, noColor: boolean): Promise<IO> {
  const devNull = statSync('/dev/null', { throwIfNoEntry: false })?.rdev;
  const outIsTTY = isTerminal(1, devNull);
  const errIsTTY = isTerminal(2, devNull);
  const err = errIsTTY ? terminalStream(process.stderr) : fdStream(2);
  let color = NO_COLORS;
  if (colorEnabled(err, env, noColor)) {
    const { Chalk } = await import('chalk');
    color = new Chalk({ level: 1 });
  }
  return {
    out: outIsTTY ? terminalStream(process.stdout) : fdStream(1),
    err,
    // isTerminal(0), not process.stdin.isTTY: reading that getter builds the stdin stream, which
    // a run that never prompts does not need (start-up cost).
    canPrompt: isTerminal(0, devNull) && outIsTTY,
    color,
    errIsTTY,
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
