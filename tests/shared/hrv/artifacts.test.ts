import { describe, expect, it } from 'vitest';
import { computeRollingQuantiles } from '../../../shared/hrv/rolling-quantile';
import { ARTIFACT_CODES, detectArtifacts } from '../../../shared/hrv/detect-artifacts';
import { detectThresholdArtifacts } from '../../../shared/hrv/detect-threshold-artifacts';
import { correctArtifacts } from '../../../shared/hrv/correct-artifacts';
import { computeTimeDomain } from '../../../shared/hrv/compute-time-domain';
import { analyzeRr } from '../../../shared/hrv/analyze-rr';
import { RrSimulator } from '../../../shared/sim/rr-simulator';
import { createRng } from '../../../shared/sim/prng';
import { ARTIFACT_IDS, DATASETS_DIR, HAVE_DATASETS, readDataset, scoreFlags, type ArtifactDataset } from './datasets';

function flagsOf(types: Uint8Array): number[] {
  const out: number[] = [];
  types.forEach((t, k) => {
    if (t) out.push(k);
  });
  return out;
}

/**
 * RMSSD over the successive differences whose two intervals both lie outside `spans` (seconds).
 * Interval k runs from t0 + sum(rr[0..k-1]) to t0 + sum(rr[0..k]).
 */
function rmssdAwayFrom(rr: ArrayLike<number>, t0: number, spans: readonly [number, number][]): { rmssdMs: number; n: number } {
  let t = t0;
  let prev: number | undefined;
  let sum = 0;
  let n = 0;
  for (let k = 0; k < rr.length; k++) {
    const start = t;
    t += rr[k]! / 1000;
    if (spans.some(([lo, hi]) => t > lo && start < hi)) {
      prev = undefined;
      continue;
    }
    if (prev !== undefined) {
      sum += (rr[k]! - prev) ** 2;
      n += 1;
    }
    prev = rr[k]!;
  }
  return { rmssdMs: Math.sqrt(sum / n), n };
}

function naiveQuantile(x: number[], w: number, q: number): number[] {
  const h = (w - 1) / 2;
  return x.map((_, i) => {
    const s = x.slice(Math.max(0, i - h), i + h + 1).sort((a, b) => a - b);
    const idx = q * (s.length - 1);
    const f = Math.floor(idx);
    return s[f]! + (s[Math.min(s.length - 1, f + 1)]! - s[f]!) * (idx - f);
  });
}

describe('computeRollingQuantiles', () => {
  it.each([1, 5, 11, 91])('equals sorting every centred window (w = %i), ties included', (w) => {
    const rng = createRng(w);
    const x = Array.from({ length: 400 }, () => Math.round(rng.uniform() * 20) * 10);
    const [q1, q2, q3] = computeRollingQuantiles(x, w, [0.25, 0.5, 0.75]);
    for (const [got, q] of [[q1, 0.25], [q2, 0.5], [q3, 0.75]] as const) {
      const want = naiveQuantile(x, w, q);
      want.forEach((v, i) => expect(got![i]).toBeCloseTo(v, 12));
    }
  });
});

/** A clean simulated series (no ectopy) and a copy with artifacts injected at known intervals. */
function injected(seed: number): { clean: number[]; corrupted: number[]; events: { type: string; rr_indices: number[] }[] } {
  const sim = new RrSimulator({ seed, ectopicPerBeat: 0, rsaSpontaneousMs: 40 });
  const clean = Array.from({ length: 600 }, () => sim.next().rrMs);
  const corrupted: number[] = [];
  const events: { type: string; rr_indices: number[] }[] = [];
  const rng = createRng(seed + 100);
  for (let k = 0; k < clean.length; k++) {
    const v = clean[k]!;
    const next = clean[k + 1];
    const at = corrupted.length;
    if (k > 20 && k < clean.length - 20 && k % 40 === 0 && next !== undefined) {
      const kind = (k / 40) % 4;
      if (kind === 0) {
        corrupted.push(v + next); // missed beat
        events.push({ type: 'missed', rr_indices: [at] });
        k += 1;
        continue;
      }
      if (kind === 1) {
        const part = 0.3 + 0.3 * rng.uniform(); // extra beat inside the interval
        corrupted.push(v * part, v * (1 - part));
        events.push({ type: 'extra', rr_indices: [at, at + 1] });
        continue;
      }
      if (kind === 2) {
        const early = (0.2 + 0.15 * rng.uniform()) * v; // ectopic: premature, compensated
        corrupted.push(v - early, next + early);
        events.push({ type: 'ectopic', rr_indices: [at, at + 1] });
        k += 1;
        continue;
      }
      corrupted.push(v * (2 + 0.8 * rng.uniform())); // uncompensated long spike
      events.push({ type: 'spike_long', rr_indices: [at] });
      continue;
    }
    corrupted.push(v);
  }
  return { clean, corrupted, events };
}

describe('detectArtifacts + correctArtifacts on seeded synthetic injections', () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: finds every injected artifact without false alarms and restores RMSSD`, () => {
      const { clean, corrupted, events } = injected(seed);
      const det = detectArtifacts(corrupted);
      const s = scoreFlags(flagsOf(det.types), { ground_truth_events: events, pre_existing_suspects: { corrupted_rr_indices: [] } });
      expect(s.sensitivity).toBe(1);
      expect(s.ppv).toBeGreaterThanOrEqual(0.95);
      const fixed = correctArtifacts(corrupted, det);
      const rmssdClean = computeTimeDomain(clean).rmssdMs;
      const rmssdFixed = computeTimeDomain(fixed.nnMs).rmssdMs;
      expect(Math.abs(rmssdFixed - rmssdClean) / rmssdClean).toBeLessThan(0.05);
      // Labels carry the original value and point into the input.
      for (const l of fixed.labels) expect(l.originalRrMs).toBe(corrupted[l.index]);
    });
  }

  it('corrections: extra beats merge, missed beats split, compensated ectopics keep their sum', () => {
    const base = Array.from({ length: 120 }, (_, i) => 800 + 30 * Math.sin(i / 3));
    const missed = [...base.slice(0, 50), base[50]! + base[51]!, ...base.slice(52)];
    const m = correctArtifacts(missed, detectArtifacts(missed));
    expect(m.labels.map((l) => [l.index, l.type])).toContainEqual([50, 'missed']);
    expect(m.nnMs.length).toBe(missed.length + 1);
    const extra = [...base.slice(0, 50), 300, base[50]! - 300, ...base.slice(51)];
    const e = correctArtifacts(extra, detectArtifacts(extra));
    expect(e.labels.map((l) => [l.index, l.type])).toContainEqual([50, 'extra']);
    expect(e.nnMs.length).toBe(extra.length - 1);
    const ect = [...base.slice(0, 50), base[50]! * 0.7, base[51]! + base[50]! * 0.3, ...base.slice(52)];
    const c = correctArtifacts(ect, detectArtifacts(ect));
    expect(c.labels.length).toBeGreaterThan(0);
    expect(c.nnMs[50]! + c.nnMs[51]!).toBeCloseTo(ect[50]! + ect[51]!, 9);
  });

  it('fixed thresholds scale with heart rate and flag only beyond the level', () => {
    const rr = Array.from({ length: 100 }, () => 500);
    rr[50] = 500 + 0.25 * 500 + 10; // medium at 120 beats/min: 0.25 s × 0.5 = 125 ms
    rr[70] = 500 + 0.25 * 500 - 10;
    const det = detectThresholdArtifacts(rr, 'medium');
    expect(flagsOf(det.types)).toEqual([50]);
    expect(ARTIFACT_CODES[det.types[50]!]).toBe('outlier');
    expect(flagsOf(detectThresholdArtifacts(rr, 'very-strong').types)).toEqual([50, 70]);
    const r = analyzeRr(rr, { correction: 'medium' });
    expect(r.artifacts.count).toBe(1);
    expect(r.nnMs[50]).toBe(500);
  });
});

describe.skipIf(!HAVE_DATASETS)(`artifacts on injected-artifact datasets (${DATASETS_DIR})`, () => {
  for (const id of ARTIFACT_IDS) {
    it(`${id}: the paper's flow alone reproduces NeuroKit2's single-pass Kubios flags exactly`, () => {
      const d = readDataset<ArtifactDataset>(`artifacts/${id}_artifacts.json`);
      for (const [series, nk] of [
        [d.corrupted_rr_ms, d.neurokit2_kubios.single_pass.artifacts_rr_index],
        [d.clean_rr_ms, d.neurokit2_kubios_on_clean_series.artifacts_rr_index],
      ] as const) {
        const det = detectArtifacts(series, { confirm: false });
        const mine: Record<string, number[]> = { ectopic: [], missed: [], extra: [], longshort: [] };
        det.types.forEach((t, k) => {
          if (t) mine[ARTIFACT_CODES[t] === 'long-short' ? 'longshort' : ARTIFACT_CODES[t]!]!.push(k);
        });
        expect(mine).toEqual({ ectopic: nk.ectopic ?? [], missed: nk.missed ?? [], extra: nk.extra ?? [], longshort: nk.longshort ?? [] });
      }
    });

    it(`${id}: sensitivity and PPV ≥ 0.95 (±1 interval), no more false alarms than NeuroKit2`, () => {
      const d = readDataset<ArtifactDataset>(`artifacts/${id}_artifacts.json`);
      const mine = scoreFlags(flagsOf(detectArtifacts(d.corrupted_rr_ms).types), d);
      const nk = scoreFlags(Object.values(d.neurokit2_kubios.single_pass.artifacts_rr_index).flat(), d);
      expect(mine.sensitivity).toBeGreaterThanOrEqual(0.95);
      expect(mine.ppv).toBeGreaterThanOrEqual(0.95);
      expect(mine.falseAlarms.length).toBeLessThanOrEqual(nk.falseAlarms.length);
    });

    it(`${id}: corrected RMSSD within 5 % of the clean series corrected the same way`, () => {
      // The "clean" series holds real artifacts too (pre_existing_suspects); the method corrects
      // those as well, so the like-for-like target is the clean series after the same correction.
      // Against the raw clean series: nk_rest8 is within 0.1 %; nk_rest5 is not (see below).
      const d = readDataset<ArtifactDataset>(`artifacts/${id}_artifacts.json`);
      const fixed = analyzeRr(d.corrupted_rr_ms).time.rmssdMs;
      const cleanFixed = analyzeRr(d.clean_rr_ms).time.rmssdMs;
      expect(Math.abs(fixed - cleanFixed) / cleanFixed).toBeLessThan(0.05);
      const cleanRaw = computeTimeDomain(d.clean_rr_ms).rmssdMs;
      const vsRaw = Math.abs(fixed - cleanRaw) / cleanRaw;
      if (id === 'nk_rest8') expect(vsRaw).toBeLessThan(0.05);
      // nk_rest5: its 8 real suspect intervals (a 1420 ms missed beat, short–long pairs) carry
      // half of its raw RMSSD (76.5 ms); corrected, both series give ≈ 37 ms. Documented, not hidden:
      if (id === 'nk_rest5') expect(vsRaw).toBeGreaterThan(0.4);
    });

    it(`${id}: corrected RMSSD within 5 % of the uncorrected clean original, away from the recording's own suspect intervals`, () => {
      // Like for like without correcting the clean series: both series are measured on the same
      // stretches of heart, leaving out the real abnormal intervals the recording's README lists
      // (rr/<id>.json suspect_intervals, chosen by its rule, not by Soothe) and 1 s either side.
      // The injected artifacts and their corrections all stay in.
      const d = readDataset<ArtifactDataset>(`artifacts/${id}_artifacts.json`);
      const rec = readDataset<{ suspect_intervals: { rr_indices: number[] } }>(`rr/${id}.json`);
      const fs = d.sampling_rate_hz;
      const pk = d.clean_peaks_samples;
      const spans = rec.suspect_intervals.rr_indices.map((k): [number, number] => [pk[k]! / fs - 1, pk[k + 1]! / fs + 1]);
      const clean = rmssdAwayFrom(d.clean_rr_ms, pk[0]! / fs, spans);
      const fixed = rmssdAwayFrom(analyzeRr(d.corrupted_rr_ms).nnMs, d.corrupted_peaks_samples[0]! / fs, spans);
      expect(clean.n).toBeGreaterThan(0.85 * d.clean_rr_ms.length);
      expect(Math.abs(fixed.n - clean.n)).toBeLessThanOrEqual(2);
      expect(Math.abs(fixed.rmssdMs - clean.rmssdMs) / clean.rmssdMs).toBeLessThan(0.05);
    });
  }
});
