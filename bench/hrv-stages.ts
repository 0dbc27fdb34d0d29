/**
 * `node dist/node/hrv-stages.mjs <file>` (run by bench/hrv.bench.ts in a fresh process): the
 * stages of `soothe analyze` timed cold, as a user's one-shot process runs them. Its own small
 * bundle, so start-up and module loading match the CLI's. Prints one JSON line of ms per stage;
 * the first is the time from process start (performance.timeOrigin) to our first line.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseRrFile } from '../shared/parsers/rr-file';
import { detectArtifacts } from '../shared/hrv/detect-artifacts';
import { correctArtifacts } from '../shared/hrv/correct-artifacts';
import { computeTimeDomain } from '../shared/hrv/compute-time-domain';
import { computeFrequencyDomain } from '../shared/hrv/compute-frequency-domain';
import { estimateRsa } from '../shared/hrv/estimate-rsa';

const t: number[] = [performance.now()];
const text = readFileSync(process.argv[2] ?? '', 'utf8');
t.push(performance.now());
const rr = parseRrFile(text).rrMs;
t.push(performance.now());
const det = detectArtifacts(rr);
t.push(performance.now());
const nn = correctArtifacts(rr, det).nnMs;
t.push(performance.now());
computeTimeDomain(nn);
t.push(performance.now());
const f = computeFrequencyDomain(nn);
t.push(performance.now());
estimateRsa(nn, f.nnGridMs ? { nnGridMs: f.nnGridMs, nnWelchPsd: f.psd } : undefined);
t.push(performance.now());
const ms = [t[0]!, ...t.slice(1).map((v, i) => v - t[i]!)];
const names = ['start-up to first line', 'read', 'parse', 'detect', 'correct', 'time', 'welch', 'rsa'];
process.stdout.write(JSON.stringify(Object.fromEntries(names.map((k, i) => [k, ms[i]]))) + '\n');
