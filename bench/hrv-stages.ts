/**
 * `node dist/node/hrv-stages.cjs <file>` (run by bench/hrv.bench.ts in a fresh process): the
 * stages of `soothe analyze` timed cold, as a user's one-shot process runs them. Its own small
 * bundle, so start-up and module loading match the CLI's. Prints one JSON line of ms per stage;
 * 'start-up to first line' is the time from process start (performance.timeOrigin) to our first line.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { timeAnalyzeStages } from './hrv-stage-timer';
import { installHrvKernels } from '../main/hrv/install-kernels';

const startup = performance.now();
const t0 = performance.now();
const text = readFileSync(process.argv[2] ?? '', 'utf8');
const read = performance.now() - t0;
const t1 = performance.now();
const kernels = installHrvKernels();
const install = performance.now() - t1;
process.stdout.write(JSON.stringify({ 'start-up to first line': startup, read, kernels, 'install kernels': install, ...timeAnalyzeStages(text) }) + '\n');
