/**
 * The stages of `soothe analyze` after reading the file, timed one by one (ms): what
 * bench/hrv-stages.ts runs cold in a fresh process and bench/hrv.bench.ts runs warm.
 */
import { performance } from 'node:perf_hooks';
import { parseRrFile } from '../shared/parsers/rr-file';
import { detectArtifacts } from '../shared/hrv/detect-artifacts';
import { correctArtifacts } from '../shared/hrv/correct-artifacts';
import { computeTimeDomain } from '../shared/hrv/compute-time-domain';
import { computeFrequencyDomain } from '../shared/hrv/compute-frequency-domain';
import { estimateRsa } from '../shared/hrv/estimate-rsa';

export const STAGES = ['parse', 'detect', 'correct', 'time', 'welch', 'rsa'] as const;
export type StageTimes = Record<(typeof STAGES)[number], number>;

export function timeAnalyzeStages(text: string): StageTimes {
  const t: number[] = [performance.now()];
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
  estimateRsa(nn, f.nnGridMs && f.nnGridSpanS !== null ? { nnGridMs: f.nnGridMs, spanS: f.nnGridSpanS, nnWelchPsd: f.psd } : undefined);
  t.push(performance.now());
  return Object.fromEntries(STAGES.map((k, i) => [k, (t[i + 1] as number) - (t[i] as number)])) as StageTimes;
}
