// Progress for long waits, on stderr: one line redrawn in place on a terminal; elsewhere a
// line each time the state changes (so CI logs stay short).
import type { IO } from './io.js';

export interface Progress {
  update(text: string): void;
  done(text?: string): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function progress(io: IO, elapsed: () => number): Progress {
  let last = '';
  let frame = 0;
  const secs = () => `${Math.round(elapsed() / 1000)}s`;
  return {
    update(text) {
      if (io.errIsTTY) {
        io.err.write(`\r\x1b[K${io.color.cyan(FRAMES[frame++ % FRAMES.length]!)} ${text} ${io.color.dim(`(${secs()})`)}`);
      } else if (text !== last) {
        io.err.write(`${text} (${secs()})\n`);
      }
      last = text;
    },
    done(text) {
      if (io.errIsTTY) io.err.write('\r\x1b[K');
      if (text) io.err.write(`${text}\n`);
    },
  };
}
