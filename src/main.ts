// The bundle's entry: build the real world, run the CLI, leave the exit code for Node to return.
import { runCli } from './cli.js';
import { systemWorld } from './world.js';

const args = process.argv.slice(2);
// No top-level await: the bundle is CommonJS, so the launcher (src/launcher.ts) can run it from a V8 code cache.
void systemWorld(process.env, args.includes('--no-color'))
  .then((world) => runCli(args, world))
  .then((code) => {
    process.exitCode = code;
  });
