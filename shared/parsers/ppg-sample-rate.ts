/**
 * Which sample rate to use for a PPG stream, and why (pure: arrival times are passed in).
 *
 * Order of preference (issue 5):
 *   1. a time-stamp column in the data (the device's own clock): fs = 1 / median step;
 *   2. the rate the user configured;
 *   3. the rate measured from line arrival times over the first seconds (said so in `message`).
 * When a configured rate and a measured one (time stamps or arrivals) differ by more than
 * RATE_DISAGREE_FRACTION, `warning` says so.
 */

/** Relative difference between configured and measured rates that triggers a warning. */
export const RATE_DISAGREE_FRACTION = 0.1;
/** Shortest span of arrivals used to measure a rate, ms. */
export const MIN_MEASURE_SPAN_MS = 2000;

export type RateSource = 'timestamps' | 'configured' | 'measured' | 'none';

export interface SampleRateDecision {
  readonly fsHz: number | null;
  readonly source: RateSource;
  /** Rate measured from time stamps or arrivals, when available. */
  readonly measuredHz: number | null;
  readonly message: string;
  readonly warning?: string;
}

export interface SampleRateInput {
  readonly configuredHz?: number | null;
  /** Device time stamps of consecutive samples, s. */
  readonly timestampsS?: readonly number[];
  /** Arrival time of each sample line, ms (any origin, monotonic clock). */
  readonly arrivalMs?: readonly number[];
}

/** Samples per second from arrival times: (n − 1) / span; null below MIN_MEASURE_SPAN_MS. */
export function measureArrivalRate(arrivalMs: readonly number[]): number | null {
  if (arrivalMs.length < 3) return null;
  const span = (arrivalMs[arrivalMs.length - 1] as number) - (arrivalMs[0] as number);
  if (!(span >= MIN_MEASURE_SPAN_MS)) return null;
  return ((arrivalMs.length - 1) * 1000) / span;
}

/** Samples per second from device time stamps: 1 / median positive step; null if unusable. */
export function rateFromTimestamps(tS: readonly number[]): number | null {
  const steps: number[] = [];
  for (let i = 1; i < tS.length; i++) {
    const d = (tS[i] as number) - (tS[i - 1] as number);
    if (d > 0 && Number.isFinite(d)) steps.push(d);
  }
  if (steps.length < 2) return null;
  steps.sort((a, b) => a - b);
  const m = steps[steps.length >> 1] as number;
  return 1 / m;
}

const fmt = (hz: number): string => (hz >= 100 ? hz.toFixed(0) : hz.toFixed(1));

export function decideSampleRate(input: SampleRateInput): SampleRateDecision {
  const conf = input.configuredHz && input.configuredHz > 0 ? input.configuredHz : null;
  const fromTs = input.timestampsS ? rateFromTimestamps(input.timestampsS) : null;
  const fromArrival = input.arrivalMs ? measureArrivalRate(input.arrivalMs) : null;
  const measured = fromTs ?? fromArrival;
  let warning: string | undefined;
  if (conf !== null && measured !== null && Math.abs(conf - measured) / measured > RATE_DISAGREE_FRACTION) {
    warning = `configured ${fmt(conf)} Hz but the data arrive at ${fmt(measured)} Hz (${fromTs !== null ? 'from the time stamps' : 'measured from line arrivals'}): check the sketch's rate`;
  }
  const w = warning ? { warning } : {};
  if (fromTs !== null) return { fsHz: fromTs, source: 'timestamps', measuredHz: fromTs, message: `${fmt(fromTs)} Hz from the time-stamp column`, ...w };
  if (conf !== null) return { fsHz: conf, source: 'configured', measuredHz: fromArrival, message: `${fmt(conf)} Hz as configured`, ...w };
  if (fromArrival !== null) {
    return { fsHz: fromArrival, source: 'measured', measuredHz: fromArrival, message: `${fmt(fromArrival)} Hz measured from the arrival rate of lines (no rate configured, no time stamps)` };
  }
  return { fsHz: null, source: 'none', measuredHz: null, message: 'sample rate not known yet (measuring the arrival rate)' };
}
