/**
 * Reads the public ECG recording with reference R-peaks where it lives (never copied into the
 * project): ../shared/datasets/ppg/nk_rest5_signal.csv (column `ecg`, 100 Hz) and
 * ../shared/datasets/rr/nk_rest5.json (`r_peaks_samples`: NeuroKit2 0.2.9 `ecg_peaks`, offline).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const SIGNAL = resolve(process.cwd(), '../shared/datasets/ppg/nk_rest5_signal.csv');
const PEAKS = resolve(process.cwd(), '../shared/datasets/rr/nk_rest5.json');

export interface EcgRecording {
  readonly id: string;
  readonly fs: number;
  readonly ecg: number[];
  /** Reference R-peaks, sample indices. */
  readonly rPeaks: number[];
}

/** null when a file is missing, with the message naming it. */
export function ecgRecordingMissing(): string | null {
  for (const f of [SIGNAL, PEAKS]) if (!existsSync(f)) return `${f} is absent`;
  return null;
}

export function loadNkRest5Ecg(): EcgRecording {
  const lines = readFileSync(SIGNAL, 'utf8').trim().split(/\r?\n/);
  const col = (lines[0] ?? '').split(',').indexOf('ecg');
  if (col < 0) throw new Error(`${SIGNAL} has no ecg column`);
  const ecg = lines.slice(1).map((l) => Number(l.split(',')[col]));
  const meta = JSON.parse(readFileSync(PEAKS, 'utf8')) as { ecg_sampling_rate_hz: number; r_peaks_samples: number[] };
  return { id: 'nk_rest5', fs: meta.ecg_sampling_rate_hz, ecg, rPeaks: meta.r_peaks_samples };
}

/** Linear resampling to another rate (e.g. 100 Hz → the H10's 130 Hz), values scaled by `gain`. */
export function resampleLinear(xs: readonly number[], fromHz: number, toHz: number, gain = 1): number[] {
  const n = Math.floor(((xs.length - 1) * toHz) / fromHz) + 1;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const pos = (i * fromHz) / toHz;
    const k = Math.floor(pos);
    const f = pos - k;
    const a = xs[k] as number;
    const b = xs[Math.min(k + 1, xs.length - 1)] as number;
    out[i] = (a + f * (b - a)) * gain;
  }
  return out;
}

export interface RPeakScore {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly sensitivity: number;
  readonly ppv: number;
  /** |detected − reference| of matched peaks, ms, sorted. */
  readonly absErrorsMs: number[];
  /** detected − reference of matched peaks, ms, sorted. */
  readonly signedErrorsMs: number[];
}

/** Greedy one-to-one matching in time order within ±tolMs (ANSI/AAMI EC57 uses 150 ms). */
export function scoreRPeaks(detectedMs: readonly number[], referenceMs: readonly number[], tolMs: number): RPeakScore {
  const det = [...detectedMs].sort((a, b) => a - b);
  const ref = [...referenceMs].sort((a, b) => a - b);
  let i = 0;
  let j = 0;
  const signed: number[] = [];
  while (i < det.length && j < ref.length) {
    const d = (det[i] as number) - (ref[j] as number);
    if (Math.abs(d) <= tolMs) {
      signed.push(d);
      i++;
      j++;
    } else if (d < 0) i++;
    else j++;
  }
  const tp = signed.length;
  signed.sort((a, b) => a - b);
  return { tp, fp: det.length - tp, fn: ref.length - tp, sensitivity: tp / ref.length, ppv: tp / det.length, absErrorsMs: signed.map(Math.abs).sort((a, b) => a - b), signedErrorsMs: signed };
}
