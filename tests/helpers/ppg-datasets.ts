/** Reads the public PPG recordings where they live (../shared/datasets/ppg from the project root); never copied into the project. */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const PPG_DATASET_DIR = resolve(process.cwd(), '../shared/datasets/ppg');

export interface PpgRecording {
  readonly id: string;
  readonly fs: number;
  readonly ppg: number[];
  /** Expected PPG peak times (s): ECG R-peaks + delay when `ecgTruth`, else NeuroKit2's PPG peaks. */
  readonly expectedS: number[];
  readonly toleranceS: number;
  readonly ecgTruth: boolean;
}

/** The ids present on disk, or a message naming what is missing. */
export function availablePpgRecordings(): { ids: string[]; missing: string | null } {
  if (!existsSync(PPG_DATASET_DIR)) return { ids: [], missing: `${PPG_DATASET_DIR} is absent` };
  const ids = ['nk_rest5', 'systole_ppg'].filter((id) => existsSync(`${PPG_DATASET_DIR}/${id}_signal.csv`) && existsSync(`${PPG_DATASET_DIR}/${id}_beats.json`));
  return { ids, missing: ids.length ? null : `no *_signal.csv/*_beats.json pairs in ${PPG_DATASET_DIR}` };
}

export function loadPpgRecording(id: string): PpgRecording {
  const lines = readFileSync(`${PPG_DATASET_DIR}/${id}_signal.csv`, 'utf8').trim().split(/\r?\n/);
  const header = (lines[0] ?? '').split(',');
  const col = header.indexOf('ppg');
  const ppg = lines.slice(1).map((l) => Number(l.split(',')[col]));
  const beats = JSON.parse(readFileSync(`${PPG_DATASET_DIR}/${id}_beats.json`, 'utf8')) as {
    ppg_sampling_rate_hz: number;
    neurokit2_ppg_peaks: { times_s: number[] };
    ground_truth: { kind: string; expected_ppg_peak_times_s?: number[]; tolerance_s?: number };
  };
  const ecgTruth = beats.ground_truth.kind === 'ecg_r_peaks';
  return {
    id,
    fs: beats.ppg_sampling_rate_hz,
    ppg,
    expectedS: ecgTruth ? (beats.ground_truth.expected_ppg_peak_times_s ?? []) : beats.neurokit2_ppg_peaks.times_s,
    toleranceS: beats.ground_truth.tolerance_s ?? 0.15,
    ecgTruth,
  };
}

export interface BeatScore {
  tp: number;
  fp: number;
  fn: number;
  sensitivity: number;
  ppv: number;
  f1: number;
  /** Absolute errors of matched consecutive intervals vs the expected ones, ms, sorted. */
  intervalErrorsMs: number[];
}

/** Greedy one-to-one matching within ±tol (the rule of ../shared/tools/ppg_check.py). */
export function scoreBeats(detectedS: readonly number[], expectedS: readonly number[], tol: number): BeatScore {
  const exp = [...expectedS].sort((a, b) => a - b);
  const lo = (exp[0] ?? 0) - tol;
  const hi = (exp[exp.length - 1] ?? 0) + tol;
  const det = detectedS.filter((t) => t >= lo && t <= hi).sort((a, b) => a - b);
  const pairs: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < det.length && j < exp.length) {
    const dt = (det[i] as number) - (exp[j] as number);
    if (Math.abs(dt) <= tol) {
      pairs.push([det[i] as number, exp[j] as number]);
      i++;
      j++;
    } else if (dt < 0) i++;
    else j++;
  }
  const tp = pairs.length;
  const fp = det.length - tp;
  const fn = exp.length - tp;
  const errs: number[] = [];
  for (let k = 1; k < pairs.length; k++) {
    const [d0, e0] = pairs[k - 1] as [number, number];
    const [d1, e1] = pairs[k] as [number, number];
    if (Math.abs(e1 - e0 - (d1 - d0)) < 0.5 && e1 - e0 < 2) errs.push(Math.abs(d1 - d0 - (e1 - e0)) * 1000);
  }
  errs.sort((a, b) => a - b);
  return { tp, fp, fn, sensitivity: tp / (tp + fn), ppv: tp / (tp + fp), f1: (2 * tp) / (2 * tp + fp + fn), intervalErrorsMs: errs };
}

export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}
