// The one printer for human messages. Everything here goes to stderr, so stdout carries only
// the objects a user asked for (`regctl deploy -o yaml > registry.yaml` stays clean).
import type { IO } from './io.js';

export function info(io: IO, line: string): void {
  io.err.write(line + '\n');
}

export function warn(io: IO, line: string): void {
  io.err.write(io.color.yellow('warning: ') + line + '\n');
}

export function success(io: IO, line: string): void {
  io.err.write(io.color.green(line) + '\n');
}

/** A result line that belongs on stdout (what `oc` prints there, e.g. `service "x" created`). */
export function result(io: IO, line: string): void {
  io.out.write(line + '\n');
}

/** Indented follow-up lines, e.g. commands to run by hand. */
export function commands(io: IO, lines: string[]): void {
  for (const l of lines) io.err.write('    ' + io.color.cyan(l) + '\n');
}
