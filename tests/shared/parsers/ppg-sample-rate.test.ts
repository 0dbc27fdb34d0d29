import { describe, expect, it } from 'vitest';
import { decideSampleRate, measureArrivalRate, rateFromTimestamps } from '../../../shared/parsers/ppg-sample-rate';

const arrivals = (hz: number, seconds: number, jitterMs = 0): number[] =>
  Array.from({ length: Math.round(hz * seconds) + 1 }, (_, i) => 1000 + (i * 1000) / hz + (i % 3 === 1 ? jitterMs : 0));

describe('sample rate', () => {
  it('prefers the time-stamp column', () => {
    const d = decideSampleRate({ configuredHz: 100, timestampsS: Array.from({ length: 50 }, (_, i) => i * 0.004), arrivalMs: arrivals(100, 3) });
    expect(d.source).toBe('timestamps');
    expect(d.fsHz).toBeCloseTo(250, 6);
    expect(d.warning).toMatch(/configured 100 Hz.*250 Hz/);
  });
  it('uses the configured rate, and warns when arrivals disagree', () => {
    expect(decideSampleRate({ configuredHz: 50, arrivalMs: arrivals(50, 3, 4) })).toMatchObject({ fsHz: 50, source: 'configured' });
    expect(decideSampleRate({ configuredHz: 50, arrivalMs: arrivals(50, 3) }).warning).toBeUndefined();
    expect(decideSampleRate({ configuredHz: 100, arrivalMs: arrivals(50, 3) }).warning).toMatch(/configured 100 Hz/);
  });
  it('measures from arrivals when nothing else is known, and says so', () => {
    const d = decideSampleRate({ arrivalMs: arrivals(25, 4) });
    expect(d.source).toBe('measured');
    expect(d.fsHz).toBeCloseTo(25, 6);
    expect(d.message).toMatch(/measured from the arrival rate/);
  });
  it('needs at least 2 s of arrivals', () => {
    expect(measureArrivalRate(arrivals(100, 1))).toBeNull();
    expect(decideSampleRate({ arrivalMs: arrivals(100, 1) })).toMatchObject({ fsHz: null, source: 'none' });
  });
  it('ignores repeated and backwards time stamps', () => {
    expect(rateFromTimestamps([0, 0.01, 0.01, 0.02, 0.015, 0.03, 0.04])).toBeCloseTo(100, 6);
    expect(rateFromTimestamps([1, 1, 1])).toBeNull();
  });
});
