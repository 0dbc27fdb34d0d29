#!/usr/bin/env node
// The `soothe` command. The CLI is bundled into dist/ by `npm install` (the prepare script).
// CommonJS on purpose: `soothe analyze`, a batch tool that scripts start once per file, runs from
// its own CommonJS bundle without starting the ES-module loader; other commands load the ES-module
// CLI (dist/node/cli.mjs).
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const dist = join(__dirname, '..', 'dist', 'node');
const entry = join(dist, process.argv[2] === 'analyze' ? 'analyze.cjs' : 'cli.mjs');
if (!existsSync(entry)) {
  process.stderr.write('soothe: the CLI is not built yet; run `npm install` (or `npm run build:node`) in the Soothe folder.\n');
  process.exit(2);
}
if (entry.endsWith('.cjs')) require(entry);
else import(pathToFileURL(entry).href);
