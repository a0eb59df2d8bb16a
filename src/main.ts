// The bundle's entry: run the CLI and leave the exit code for Node to return.
import { main } from './cli.js';

// `regctl ... | head` closes the pipe early: that is not an error (on either stream).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

process.exitCode = await main(process.argv);
