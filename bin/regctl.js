#!/usr/bin/env node
// The regctl command. Everything it runs is in dist/ (npm run build): dist/launch.cjs, built from
// src/launcher.ts, picks the bundle the run needs and runs it from a V8 code cache.
'use strict';
require('../dist/launch.cjs').launch(require('node:path').join(__dirname, '..', 'dist'), process.argv.slice(2));
