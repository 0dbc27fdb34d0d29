/**
 * Time-domain HRV (Task Force of the ESC and NASPE 1996, Circulation 93:1043–1065) and Poincaré
 * descriptors (Brennan, Palaniswami & Kamen 2001, IEEE TBME 48(11):1342–1347):
 *   meanNN = mean(NN);  SDNN = sample SD of NN (ddof 1);  RMSSD = sqrt(mean(ΔNN²));
 *   pNN50 = 100 · #(|ΔNN| > 50 ms) / (N − 1), with ΔNN rounded to 1e-6 ms first so exact 50 ms
 *           differences (whole samples at 100 or 360 Hz) never count through floating-point noise;
 *   meanHR = 60000 / meanNN (beats/min);
 *   SD1 = sqrt(½ · var(ΔNN)), SD2 = sqrt(2 · SDNN² − ½ · var(ΔNN)), var with ddof 1.
 */
import { hrvKernels, type TimeDomainSums } from './kernels';
export interface TimeDomain {
  readonly n: number;
  readonly meanNnMs: number;
  readonly sdnnMs: number;
  readonly rmssdMs: number;
  readonly pnn50Pct: number;
  readonly meanHrBpm: number;
  readonly sd1Ms: number;
  readonly sd2Ms: number;
}

export const PNN50_THRESHOLD_MS = 50;
const ROUND_TO_PER_MS = 1e6;

// Two passes, each its own function (see detect-artifacts.ts): sums that need no mean, then the
// squared deviations from the means. Every sum adds the same terms in the same order as one loop
// per sum would.

/** Σ NN, Σ ΔNN, Σ ΔNN², #(|ΔNN| > 50 ms). */
function rawSums(x: ArrayLike<number>): { sum: number; sumD: number; sumD2: number; nn50: number } {
  const n = x.length;
  let sum = 0;
  if (n > 0) sum += x[0] as number;
  let sumD = 0;
  let sumD2 = 0;
  let nn50 = 0;
  for (let i = 1; i < n; i++) {
    const v = x[i] as number;
    sum += v;
    const d = v - (x[i - 1] as number);
    sumD += d;
    sumD2 += d * d;
    if (Math.abs(Math.round(d * ROUND_TO_PER_MS) / ROUND_TO_PER_MS) > PNN50_THRESHOLD_MS) nn50 += 1;
  }
  return { sum, sumD, sumD2, nn50 };
}

/** Σ (NN − mean)², Σ (ΔNN − meanΔ)² (squares as products: the WebAssembly kernel's exact operations). */
function deviationSums(x: ArrayLike<number>, mean: number, meanD: number): { ss: number; ssD: number } {
  const n = x.length;
  let ss = 0;
  if (n > 0) {
    const e = (x[0] as number) - mean;
    ss += e * e;
  }
  let ssD = 0;
  for (let i = 1; i < n; i++) {
    const v = x[i] as number;
    const e = v - mean;
    ss += e * e;
    const g = v - (x[i - 1] as number) - meanD;
    ssD += g * g;
  }
  return { ss, ssD };
}

/** Both passes (the JavaScript definition of the installed kernels' timeDomainSums). */
export function timeDomainSumsJs(nnMs: ArrayLike<number>): TimeDomainSums {
  const { sum, sumD, sumD2, nn50 } = rawSums(nnMs);
  return { sum, sumD, sumD2, nn50, ...deviationSums(nnMs, sum / nnMs.length, sumD / (nnMs.length - 1)) };
}

/** Time-domain metrics of `nnMs` (needs ≥ 3 intervals; NaN where undefined). */
export function computeTimeDomain(nnMs: ArrayLike<number>): TimeDomain {
  const n = nnMs.length;
  const { sum, sumD2, nn50, ss, ssD } = (n >= 2 ? hrvKernels()?.timeDomainSums?.(nnMs, PNN50_THRESHOLD_MS, ROUND_TO_PER_MS) : null) ?? timeDomainSumsJs(nnMs);
  const mean = sum / n;
  const nd = n - 1;
  const varD = ssD / (nd - 1);
  const sdnn = Math.sqrt(ss / (n - 1));
  return {
    n,
    meanNnMs: mean,
    sdnnMs: sdnn,
    rmssdMs: Math.sqrt(sumD2 / nd),
    pnn50Pct: (100 * nn50) / nd,
    meanHrBpm: 60_000 / mean,
    sd1Ms: Math.sqrt(0.5 * varD),
    sd2Ms: Math.sqrt(Math.max(0, 2 * sdnn * sdnn - 0.5 * varD)),
  };
}
