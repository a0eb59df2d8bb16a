// The bundle's entry: build the real world, run the CLI, leave the exit code for Node to return.
import { runCli } from './cli.js';
import { systemWorld } from './world.js';

// `regctl ... | head` closes the pipe early: that is not an error (on either stream).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

const args = process.argv.slice(2);
// No top-level await: the bundle is CommonJS, so bin/regctl.js can run it from a V8 code cache.
void systemWorld(process.env, args.includes('--no-color'))
  .then((world) => runCli(args, world))
  .then((code) => {
    process.exitCode = code;
  });
