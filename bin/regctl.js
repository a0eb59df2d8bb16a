#!/usr/bin/env node
// Launcher: with --verbose, stack traces point into src/ through the bundle's source map.
if (process.argv.includes('--verbose') || process.argv.includes('-v')) process.setSourceMapsEnabled(true);
await import('../dist/cli.js');
