import { describe, expect, it } from 'vitest';
import { countPrematureBeats, isPremature } from '../../../shared/hrv/premature-beats';
import { LiveHrvEngine, type LiveHrv } from '../../../shared/hrv/live-hrv-engine';
import { analyzeRr } from '../../../shared/hrv/analyze-rr';
import type { RrInterval } from '../../../shared/types/rr';
import { DATASETS_DIR, HAVE_DATASETS, readDataset, type RrDataset } from './datasets';

/** Sinus rhythm at 6 breaths/min with a deep RSA swing (±20 % of 1000 ms over a 10-s breath). */
const sinus = (n: number): number[] => Array.from({ length: n }, (_, k) => 1000 + 200 * Math.sin((2 * Math.PI * k) / 10));
/** Bigeminy: every other beat 40 % early, followed by its compensatory pause. */
const bigeminy = (n: number): number[] => Array.from({ length: n }, (_, k) => (k % 2 ? 1400 : 600));

function asBeats(rr: readonly number[]): RrInterval[] {
  let t = 0;
  return rr.map((rrMs) => ({ rrMs, tMs: (t += rrMs), source: 'replay' }));
}

describe('premature-beat pattern', () => {
  it('a premature beat is > 20 % shorter than both neighbours; its pause is not counted', () => {
    expect(isPremature(1000, 790, 1210)).toBe(true);
    expect(isPremature(1000, 810, 1210)).toBe(false);
    expect(isPremature(1210, 1000, 790)).toBe(false);
    const rr = [1000, 1000, 1000, 600, 1400, ...Array.from({ length: 15 }, () => 1000)];
    const c = countPrematureBeats(rr);
    expect(c).toMatchObject({ count: 1, frequent: false });
    expect(c.percent).toBeCloseTo(100 / 18, 9); // 1 of the 18 intervals that have two neighbours
    expect(countPrematureBeats(rr.slice(0, 7)).frequent).toBe(true); // 1 of 5: above 10 %
  });

  it('deep slow-breathing RSA is not ectopy; bigeminy is', () => {
    expect(countPrematureBeats(sinus(300)).count).toBe(0);
    const b = countPrematureBeats(bigeminy(300));
    expect(b.percent).toBeCloseTo(50, 0);
    expect(b.frequent).toBe(true);
    expect(analyzeRr(bigeminy(300)).premature.frequent).toBe(true);
  });

  it('the live window turns unreliable ("ectopy") during a bigeminy run and recovers after it', () => {
    const engine = new LiveHrvEngine();
    const out: LiveHrv[] = asBeats([...sinus(120), ...bigeminy(120), ...sinus(200)]).map((b) => engine.next(b));
    const at = (i: number): LiveHrv => out[i]!;
    expect(at(110).unreliable).toBe(false);
    expect(at(110).prematurePct).toBe(0);
    expect(at(230).unreliableReason).toBe('ectopy');
    expect(at(230).prematurePct).toBeGreaterThan(40);
    expect(at(430).unreliable).toBe(false);
  });
});

describe.skipIf(!HAVE_DATASETS)(`premature-beat pattern on the datasets (${DATASETS_DIR})`, () => {
  it('polar_h10 (a wearer with bigeminy-like PVC runs) is frequent; the resting recordings are not', () => {
    const share = (id: string): ReturnType<typeof countPrematureBeats> => countPrematureBeats(readDataset<RrDataset>(`rr/${id}.json`).rr_ms);
    expect(share('polar_h10').frequent).toBe(true);
    expect(share('polar_h10').percent!).toBeGreaterThan(20);
    expect(share('nk_rest5').frequent).toBe(false);
    expect(share('nk_rest8').frequent).toBe(false);
  });
});
