#!/usr/bin/env node
// The launcher is bin/soothe.cjs (package.json "bin"); this file keeps links made to the earlier
// ES-module launcher (e.g. an existing node_modules/.bin/soothe) working, with the same behaviour.
import { createRequire } from 'node:module';
createRequire(import.meta.url)('./soothe.cjs');
