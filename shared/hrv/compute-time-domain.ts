/**
 * Time-domain HRV (Task Force of the ESC and NASPE 1996, Circulation 93:1043–1065) and Poincaré
 * descriptors (Brennan, Palaniswami & Kamen 2001, IEEE TBME 48(11):1342–1347):
 *   meanNN = mean(NN);  SDNN = sample SD of NN (ddof 1);  RMSSD = sqrt(mean(ΔNN²));
 *   pNN50 = 100 · #(|ΔNN| > 50 ms) / (N − 1), with ΔNN rounded to 1e-6 ms first so exact 50 ms
 *           differences (whole samples at 100 or 360 Hz) never count through floating-point noise;
 *   meanHR = 60000 / meanNN (beats/min);
 *   SD1 = sqrt(½ · var(ΔNN)), SD2 = sqrt(2 · SDNN² − ½ · var(ΔNN)), var with ddof 1.
 */
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

// One loop per function: see detect-artifacts.ts (optimisation on the stack in a short-lived process).

function sumOf(x: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i] as number;
  return sum;
}

function sumSquaredDeviations(x: ArrayLike<number>, mean: number): number {
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += ((x[i] as number) - mean) ** 2;
  return ss;
}

/** Σ ΔNN, Σ ΔNN², #(|ΔNN| > 50 ms) over successive differences. */
function differenceSums(x: ArrayLike<number>): { sumD: number; sumD2: number; nn50: number } {
  let sumD = 0;
  let sumD2 = 0;
  let nn50 = 0;
  for (let i = 1; i < x.length; i++) {
    const d = (x[i] as number) - (x[i - 1] as number);
    sumD += d;
    sumD2 += d * d;
    if (Math.abs(Math.round(d * ROUND_TO_PER_MS) / ROUND_TO_PER_MS) > PNN50_THRESHOLD_MS) nn50 += 1;
  }
  return { sumD, sumD2, nn50 };
}

function differenceSquaredDeviations(x: ArrayLike<number>, meanD: number): number {
  let ssD = 0;
  for (let i = 1; i < x.length; i++) ssD += ((x[i] as number) - (x[i - 1] as number) - meanD) ** 2;
  return ssD;
}

/** Time-domain metrics of `nnMs` (needs ≥ 3 intervals; NaN where undefined). */
export function computeTimeDomain(nnMs: ArrayLike<number>): TimeDomain {
  const n = nnMs.length;
  const mean = sumOf(nnMs) / n;
  const ss = sumSquaredDeviations(nnMs, mean);
  const { sumD, sumD2, nn50 } = differenceSums(nnMs);
  const nd = n - 1;
  const meanD = sumD / nd;
  const ssD = differenceSquaredDeviations(nnMs, meanD);
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
