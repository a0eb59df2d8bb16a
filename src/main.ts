// The bundle's entry: run the CLI and leave the exit code for Node to return.
import { main } from './cli.js';

process.exitCode = await main(process.argv);
