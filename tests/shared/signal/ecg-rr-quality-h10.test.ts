/**
 * The strap-RR quality check on real Polar H10 data (datasets rr/polar_h10: the strap's own RR
 * stream as a BLE app receives it, with each value's notification time, and the R-peaks NeuroKit2
 * found in the same strap's 130 Hz ECG). The wearer has frequent PVCs (bigeminy-like runs).
 * The strap's beat times are rebuilt from its notifications exactly as the app does
 * (shared/parsers/beat-times.ts), then checked against the ECG a minute at a time, as the app does.
 */
import { describe, expect, it } from 'vitest';
import { BeatTimes } from '../../../shared/parsers/beat-times';
import { compareStrapRrWithEcg, RR_AGREE_MS, type StrapRr } from '../../../shared/signal/ecg-rr-quality';
import { DATASETS_DIR, HAVE_DATASETS, readDataset } from '../hrv/datasets';

interface PolarH10 {
  ecg_sampling_rate_hz: number;
  r_peaks_samples: number[];
  device_rr_stream: { time_s: number[]; rr_ms: number[] };
}

describe.skipIf(!HAVE_DATASETS)(`strap RR vs ECG R-peaks on a real Polar H10 recording (${DATASETS_DIR}/rr/polar_h10.json)`, () => {
  const load = (): { strap: StrapRr[]; peaksMs: number[] } => {
    const d = readDataset<PolarH10>('rr/polar_h10.json');
    const chain = new BeatTimes();
    const strap: StrapRr[] = [];
    d.device_rr_stream.rr_ms.forEach((rr, i) => {
      for (const b of chain.next({ rrMs: [rr] }, (d.device_rr_stream.time_s[i] as number) * 1000).beats) strap.push({ tMs: b.tMs, rrMs: b.rrMs, afterGap: b.afterGap === true });
    });
    return { strap, peaksMs: d.r_peaks_samples.map((k) => (k / d.ecg_sampling_rate_hz) * 1000) };
  };

  it("the app's beat chain declares no gap: the strap's RR sequence runs on one to one with its ECG (no beat was lost) although its notifications arrive 0–2 s late", () => {
    const { strap } = load();
    expect(strap.filter((r) => r.afterGap)).toEqual([]);
    expect(strap).toHaveLength(798);
  });

  it('every minute: the strap RR are confirmed by the ECG (≥ 95 %, median difference ≤ 4 ms) although its arrival-anchored beat times wander by ±0.5 s', () => {
    const { strap, peaksMs } = load();
    // What the check has to cope with: the app's beat chain against the nearest R-peak.
    const wander = strap.map((r) => peaksMs.reduce((best, p) => (Math.abs(p - r.tMs) < Math.abs(best) ? p - r.tMs : best), Infinity));
    expect(Math.max(...wander) - Math.min(...wander)).toBeGreaterThan(800);
    for (let fromMs = 0; fromMs + 60_000 <= 600_000; fromMs += 60_000) {
      const q = compareStrapRrWithEcg(
        strap.filter((r) => r.tMs >= fromMs && r.tMs < fromMs + 60_000),
        peaksMs.filter((p) => p >= fromMs - 2000 && p < fromMs + 62_000),
      );
      expect(q.strapRr).toBeGreaterThan(60);
      expect(q.unconfirmedShare!).toBeLessThanOrEqual(0.05);
      // The ECG is sampled every 7.7 ms and the strap sends whole ms: a few ms apart is agreement.
      expect(q.rrDiffMedianMs!).toBeLessThanOrEqual(4);
      expect(q.confirmedRr).toBeGreaterThanOrEqual(q.comparedRr - q.joinedRr - 2);
    }
  });

  it('the whole record: the strap intervals that join two ECG intervals are found (the strap reports 10 fewer RR than the ECG has beats)', () => {
    const { strap, peaksMs } = load();
    const q = compareStrapRrWithEcg(strap, peaksMs);
    console.info(`H10 strap vs ECG, 10 min: ${q.strapRr} judged, ${q.confirmedRr} confirmed (±${RR_AGREE_MS} ms), ${q.joinedRr} joined, median |Δ| ${q.rrDiffMedianMs?.toFixed(1)} ms, p95 ${q.rrDiffP95Ms?.toFixed(1)} ms`);
    expect(q.joinedRr).toBeGreaterThanOrEqual(5);
    expect(q.joinedRr).toBeLessThanOrEqual(12);
    expect(q.unconfirmedShare!).toBeLessThanOrEqual(0.05);
  });
});
