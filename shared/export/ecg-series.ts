/**
 * The raw ECG of a session (Polar H10 PMD frames, recorded byte for byte in raw-ble.ndjson with
 * `characteristic: "fb005c82"`), decoded for the exports: µV per sample with its session time.
 *
 * Time: each frame's samples get the SDK's per-sample sensor timestamps
 * (shared/parsers/polar-pmd/data-frame.ts `pmdSampleTimestampsNs`, from the previous frame's
 * timestamp); sensor time is put on the session clock with one offset per run,
 * offset = arrival of the run's first frame − its last sample's sensor time (as the live app does
 * when the stream starts). A run ends where the sensor timestamps jump by more than
 * GAP_PERIODS sample periods (a lost frame, a stop and restart) or go backwards.
 */
import { decodePmdFrame, pmdSampleTimestampsNs } from '../parsers/polar-pmd/data-frame';

/** The H10's ECG sample rate, Hz (its only one; the frames do not carry it). */
export const H10_ECG_HZ = 130;
/** PMD data characteristic, as recorded in raw-ble records. */
export const PMD_DATA_CHARACTERISTIC = 'fb005c82';
/** A jump of more than this many sample periods between frames starts a new run. */
export const GAP_PERIODS = 1.5;

export interface EcgRun {
  /** Session time of each sample, ms. */
  readonly tMs: readonly number[];
  readonly microVolts: readonly number[];
}

export interface EcgSeries {
  readonly sampleRateHz: number;
  readonly runs: readonly EcgRun[];
  /** Frames that could not be decoded (counted, skipped). */
  readonly skippedFrames: number;
}

/** Bytes of a recorded hex string ("0a 1b 2c", spaces optional). */
export function hexToBytes(hex: string): Uint8Array | null {
  const h = hex.replace(/\s+/g, '');
  if (h.length % 2 !== 0 || /[^0-9a-fA-F]/.test(h)) return null;
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The ECG runs in a session's raw-ble records (any order; sorted by arrival). */
export function ecgFromRawBle(records: readonly Readonly<Record<string, unknown>>[]): EcgSeries {
  const frames = records
    .filter((r) => r['characteristic'] === PMD_DATA_CHARACTERISTIC && typeof r['hex'] === 'string' && typeof r['tMs'] === 'number')
    .map((r) => ({ tMs: r['tMs'] as number, hex: r['hex'] as string }))
    .sort((a, b) => a.tMs - b.tMs);
  const periodNs = 1e9 / H10_ECG_HZ;
  const runs: { tMs: number[]; microVolts: number[] }[] = [];
  let skipped = 0;
  let prevNs: bigint | null = null;
  // Anchor of the current run: a sensor time (exact, BigInt) and its session time.
  let anchorNs = 0n;
  let anchorMs = 0;
  let run: { tMs: number[]; microVolts: number[] } | null = null;
  for (const f of frames) {
    const bytes = hexToBytes(f.hex);
    const d = bytes ? decodePmdFrame(bytes) : null;
    if (!d || !d.ok) {
      skipped++;
      continue;
    }
    const frame = d.value;
    if (frame.kind !== 'ecg') continue;
    const n = frame.microVolts.length;
    if (n === 0) continue;
    const expectedNs = prevNs === null ? null : Number(frame.timestampNs - prevNs) / n;
    const contiguous = expectedNs !== null && expectedNs > 0 && expectedNs <= GAP_PERIODS * periodNs;
    const stamps = pmdSampleTimestampsNs(frame.timestampNs, n, contiguous ? prevNs : null, H10_ECG_HZ);
    if (!contiguous || !run) {
      anchorNs = frame.timestampNs;
      anchorMs = f.tMs;
      run = { tMs: [], microVolts: [] };
      runs.push(run);
    }
    for (let i = 0; i < n; i++) {
      // Differences in BigInt first: ns since 2000 exceed a double's exact range.
      run.tMs.push(anchorMs + Number((stamps[i] as bigint) - anchorNs) / 1e6);
      run.microVolts.push(frame.microVolts[i] as number);
    }
    prevNs = frame.timestampNs;
  }
  return { sampleRateHz: H10_ECG_HZ, runs, skippedFrames: skipped };
}

/** Header of the ECG CSV (`soothe export --format csv` writes it beside the main file). */
export const ECG_CSV_HEADER = 't_ms,ecg_uv,run';

/** One row per ECG sample: session time (ms, 3 decimals), µV as sent by the strap, run number from 1. */
export function exportEcgCsv(series: EcgSeries): string {
  const rows: string[] = [ECG_CSV_HEADER];
  series.runs.forEach((r, k) => {
    for (let i = 0; i < r.tMs.length; i++) rows.push(`${(r.tMs[i] as number).toFixed(3)},${r.microVolts[i] as number},${k + 1}`);
  });
  return rows.join('\r\n') + '\r\n';
}
