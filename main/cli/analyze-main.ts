/**
 * `soothe analyze` as its own CommonJS bundle (dist/node/analyze.cjs, chosen by bin/soothe.cjs):
 * a batch tool is started once per file by many scripts, and this entry skips the ES-module
 * loader and the chunk loading of the full CLI at start-up (bench/RESULTS.md, section hrv).
 */
import { run } from './analyze';
import { exitWith } from './exit';

exitWith(run(process.argv.slice(3)));
