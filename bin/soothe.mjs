#!/usr/bin/env node
// The `soothe` command. The CLI is bundled into dist/ by `npm install` (the prepare script).
import { existsSync } from 'node:fs';
const cli = new URL('../dist/node/cli.mjs', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('soothe: the CLI is not built yet; run `npm install` (or `npm run build:node`) in the Soothe folder.\n');
  process.exit(2);
}
await import(cli.href);
