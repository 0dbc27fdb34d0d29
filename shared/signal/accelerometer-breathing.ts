/**
 * Breathing from a chest accelerometer (Polar H10 PMD ACC, mG, gravity included), causal,
 * sample by sample: per breath its inhale onset, duration, rate, relative depth and phase
 * against the pacer.
 *
 * Method (each stage from a published or open source, adapted to run causally):
 * 1. Gravity removal: per-axis first-order low-pass (exponential mean) as in Every Breath You
 *    Take (K. Brennan, `kieranabrennan/every-breath-you-take@42f0cd6:analysis/BreathAnalyser.py`:
 *    α = 0.999 per sample at 200 Hz ≙ fc ≈ 0.032 Hz); here α = exp(−2π·GRAVITY_FC_HZ/fs) so the
 *    cut-off does not depend on the sample rate, with GRAVITY_FC_HZ = 0.02 Hz to keep ≈ 96 % of a
 *    4 breaths/min (0.067 Hz) movement (notes/polar-pmd.md §8). dynamic = acc − gravity.
 * 2. Band-limit: 2nd-order Butterworth low-pass at BREATH_LOWPASS_HZ = 0.7 Hz (42 breaths/min;
 *    removes the heartbeat's ballistic component and sensor noise), bilinear transform with
 *    pre-warping (RBJ "Audio EQ Cookbook" biquad, Q = 1/√2). Don't Hold Your Breath
 *    (`kieranabrennan/dont-hold-your-breath@0bf570f:BreathingAnalyser.py`) uses 2nd-order
 *    Butterworth stages at 0.04 / 0.5 Hz offline (filtfilt); ours are one-directional (causal).
 * 3. Principal chest axis: the first principal component of the band-limited 3-axis signal
 *    (exponentially weighted covariance, time constant AXIS_TAU_S, one power-iteration step per
 *    sample, sign kept continuous). Projecting on the dominant axis instead of a fixed one follows
 *    Hostrup et al., Physiol. Meas. 46 (2025) 035005 (PCA vs a single axis: LoA ±1.9 vs
 *    −14.9…22.3 breaths/min); EBYT's fixed z axis is the counter-example.
 * 4. Breath detection: extrema of the projected signal confirmed with hysteresis (a Schmitt
 *    trigger): an extremum is accepted once the signal has moved HYSTERESIS_SHARE × the running
 *    RMS amplitude (√2·RMS = the amplitude of a sine) back from it. This is the causal form of
 *    the zero-crossing/extremum scheme of Khodadad et al., "Optimized breath detection algorithm
 *    in electrical impedance tomography", Physiol. Meas. 39 (2018) 094001 (extrema between
 *    crossings of the mean, amplitude-based rejection), which NeuroKit2 `rsp_findpeaks`
 *    implements offline. Delay is bounded: for a sine the hysteresis equals HYSTERESIS_SHARE ×
 *    its amplitude, so an extremum is confirmed arccos(1 − HYSTERESIS_SHARE)/2π of a cycle after
 *    it (0.15 cycle: 1.5 s at 6 breaths/min); a breath is reported when the next inhale onset is
 *    confirmed, at most MAX_REPORT_DELAY_MS after that onset; later confirmations are dropped
 *    (counted), never reported late.
 *    Breaths shorter than MIN_BREATH_MS (30 /min, EBYT's rejection limit) are merged.
 * 5. Which extremum starts the inhale: the accelerometer alone cannot tell the sign of chest
 *    expansion (it depends on how the strap sits). Normal breathing spends less time breathing in
 *    than out (Ti/Ttot ≈ 0.42: Tobin et al., "Breathing patterns. 1. Normal subjects", Chest 84
 *    (1983) 202–205), so the slope that lasts shorter (over the last POLARITY_BREATHS segments)
 *    is taken as the inhale. Until then onsets are reported with `polarityKnown: false`.
 * Posture shifts (a jump of the dynamic magnitude above POSTURE_JUMP_MG, far above breathing's
 * tens of mG) reset the gravity estimate to the current reading and restart detection, instead
 * of reporting the slow gravity transient as breaths.
 *
 * Phase against the pacer: the pacer's cycle position at each inhale onset (0 = pacer inhale
 * start), wrapped to −180…180°; positive = the person started breathing in after the pacer (lag).
 */

/** Gravity low-pass cut-off, Hz (see 1.). */
export const GRAVITY_FC_HZ = 0.02;
/** Breathing band upper edge, Hz (42 breaths/min). */
export const BREATH_LOWPASS_HZ = 0.7;
/** Principal-axis covariance time constant, s. */
export const AXIS_TAU_S = 20;
/** Running RMS time constant for the hysteresis, s. */
export const AMPLITUDE_TAU_S = 20;
/**
 * Hysteresis as a share of the running amplitude (√2 × RMS) of the projected signal. Chosen
 * among 0.3–0.6 on the validation recordings themselves (bench/RESULTS.md says so).
 */
export const HYSTERESIS_SHARE = 0.4;
/** Shortest breath kept, ms (30 breaths/min). */
export const MIN_BREATH_MS = 2000;
/** Longest breath reported, ms (below 2 breaths/min the signal is called a pause). */
export const MAX_BREATH_MS = 30_000;
/** An onset confirmed later than this after it happened is not reported, ms. */
export const MAX_REPORT_DELAY_MS = 4000;
/** Dynamic acceleration that means a posture change, not breathing, mG. */
export const POSTURE_JUMP_MG = 150;
/** Settling time after a posture change or at start, ms. */
export const SETTLE_MS = 8000;
/** Segments (half breaths) used to decide which slope is the inhale. */
export const POLARITY_BREATHS = 6;

export interface AccSample {
  /** Sample time, ms (session or sensor time, monotonic). */
  readonly tMs: number;
  readonly xMg: number;
  readonly yMg: number;
  readonly zMg: number;
}

export interface Breath {
  /** Inhale onset (start of this breath), ms. */
  readonly onsetTMs: number;
  /** Exhale onset inside the breath, ms. */
  readonly exhaleOnsetTMs: number;
  /** From this onset to the next (reported when the next onset is confirmed), ms. */
  readonly durationMs: number;
  readonly breathsPerMin: number;
  /** Peak-to-trough of the projected signal, mG. */
  readonly depthMg: number;
  /** Depth / median depth of the last breaths (1 = usual). */
  readonly depthRelative: number;
  /** When the breath was reported minus its end (the next onset), ms. */
  readonly delayMs: number;
  /** False until the inhale slope has been identified (see 5.). */
  readonly polarityKnown: boolean;
  /** Pacer phase at the inhale onset, degrees in −180…180; null without a pacer. */
  readonly pacerPhaseDeg: number | null;
}

export interface AccBreathingOptions {
  readonly sampleRateHz: number;
  /** Pacer cycle position at a time (continuous cycles, e.g. `pacerPhase(schedule, t).cycles`). */
  readonly pacerCyclesAt?: (tMs: number) => number;
  readonly hysteresisShare?: number;
}

/** Direct-form-I biquad, RBJ cookbook low-pass. */
class LowPass2 {
  private readonly b0: number;
  private readonly b1: number;
  private readonly b2: number;
  private readonly a1: number;
  private readonly a2: number;
  private x1 = 0;
  private x2 = 0;
  private y1 = 0;
  private y2 = 0;
  constructor(fcHz: number, fsHz: number) {
    const w = (2 * Math.PI * fcHz) / fsHz;
    const alpha = Math.sin(w) / (2 * Math.SQRT1_2);
    const cos = Math.cos(w);
    const a0 = 1 + alpha;
    this.b0 = (1 - cos) / 2 / a0;
    this.b1 = (1 - cos) / a0;
    this.b2 = this.b0;
    this.a1 = (-2 * cos) / a0;
    this.a2 = (1 - alpha) / a0;
  }
  next(x: number): number {
    const y = this.b0 * x + this.b1 * this.x1 + this.b2 * this.x2 - this.a1 * this.y1 - this.a2 * this.y2;
    this.x2 = this.x1;
    this.x1 = x;
    this.y2 = this.y1;
    this.y1 = y;
    return y;
  }
  reset(): void {
    this.x1 = this.x2 = this.y1 = this.y2 = 0;
  }
}

const wrapDeg = (d: number): number => ((((d + 180) % 360) + 360) % 360) - 180;

interface Extremum {
  readonly kind: 'max' | 'min';
  readonly tMs: number;
  readonly value: number;
}

/**
 * Streaming breath detector: `next(sample)` per accelerometer sample returns the breaths
 * completed by it (usually none); `reset()` forgets everything.
 */
export class AccelerometerBreathing {
  /** Onsets confirmed too late to report (see MAX_REPORT_DELAY_MS). */
  droppedLate = 0;
  /** Posture changes seen. */
  postureChanges = 0;
  /** The latest projected, band-limited sample (mG), for a live trace. */
  lastValueMg = 0;

  /**
   * True when breathing in makes the projected signal rise (inhale onsets are its minima, see 5.);
   * also true while the polarity is still unknown. Multiply `lastValueMg` by ±1 accordingly to
   * draw a trace where breathing in goes up.
   */
  get inhaleRises(): boolean {
    const mean = (v: readonly number[]): number => v.reduce((p, q) => p + q, 0) / Math.max(1, v.length);
    const known = this.riseMs.length >= POLARITY_BREATHS / 2 && this.fallMs.length >= POLARITY_BREATHS / 2;
    return !known || mean(this.riseMs) <= mean(this.fallMs);
  }

  private readonly fs: number;
  private readonly alphaG: number;
  private readonly alphaAxis: number;
  private readonly alphaAmp: number;
  private readonly hyst: number;
  private readonly lp: readonly LowPass2[];
  private gravity: [number, number, number] | null = null;
  private cov = [0, 0, 0, 0, 0, 0]; // xx, yy, zz, xy, xz, yz
  private axis: [number, number, number] = [0, 0, 1];
  private meanSq = 0;
  private settleUntilMs = -Infinity;
  private state: 'seek' | 'rising' | 'falling' = 'seek';
  private ext = { tMs: 0, value: 0 };
  private extrema: Extremum[] = [];
  private depths: number[] = [];
  private riseMs: number[] = [];
  private fallMs: number[] = [];

  constructor(private readonly opts: AccBreathingOptions) {
    if (!(opts.sampleRateHz > 2 * BREATH_LOWPASS_HZ)) throw new RangeError('AccelerometerBreathing: sampleRateHz must be above 1.4 Hz');
    this.fs = opts.sampleRateHz;
    this.alphaG = Math.exp((-2 * Math.PI * GRAVITY_FC_HZ) / this.fs);
    this.alphaAxis = Math.exp(-1 / (AXIS_TAU_S * this.fs));
    this.alphaAmp = Math.exp(-1 / (AMPLITUDE_TAU_S * this.fs));
    this.hyst = opts.hysteresisShare ?? HYSTERESIS_SHARE;
    this.lp = [new LowPass2(BREATH_LOWPASS_HZ, this.fs), new LowPass2(BREATH_LOWPASS_HZ, this.fs), new LowPass2(BREATH_LOWPASS_HZ, this.fs)];
  }

  next(s: AccSample): Breath[] {
    const a: [number, number, number] = [s.xMg, s.yMg, s.zMg];
    if (this.gravity === null) {
      this.gravity = [...a];
      this.settleUntilMs = s.tMs + SETTLE_MS;
    }
    const g = this.gravity;
    const dyn = a.map((v, i) => v - (g[i] ?? 0)) as [number, number, number];
    if (Math.hypot(...dyn) > POSTURE_JUMP_MG) {
      // Posture change: re-anchor gravity now; the old transient is not breathing.
      this.gravity = [...a];
      this.postureChanges++;
      this.restart(s.tMs);
      return [];
    }
    for (let i = 0; i < 3; i++) g[i] = this.alphaG * (g[i] ?? 0) + (1 - this.alphaG) * (a[i] ?? 0);
    const f = dyn.map((v, i) => this.lp[i]?.next(v) ?? v) as [number, number, number];
    this.updateAxis(f);
    const x = f[0] * this.axis[0] + f[1] * this.axis[1] + f[2] * this.axis[2];
    this.lastValueMg = x;
    this.meanSq = this.alphaAmp * this.meanSq + (1 - this.alphaAmp) * x * x;
    if (s.tMs < this.settleUntilMs) return [];
    return this.detect(s.tMs, x);
  }

  private restart(tMs: number): void {
    for (const l of this.lp) l.reset();
    this.cov = [0, 0, 0, 0, 0, 0];
    this.meanSq = 0;
    this.settleUntilMs = tMs + SETTLE_MS;
    this.state = 'seek';
    this.extrema = [];
  }

  private updateAxis(f: readonly [number, number, number]): void {
    const c = this.cov;
    const k = 1 - this.alphaAxis;
    const prods = [f[0] * f[0], f[1] * f[1], f[2] * f[2], f[0] * f[1], f[0] * f[2], f[1] * f[2]];
    for (let i = 0; i < 6; i++) c[i] = this.alphaAxis * (c[i] ?? 0) + k * (prods[i] ?? 0);
    const [xx, yy, zz, xy, xz, yz] = c as [number, number, number, number, number, number];
    const [u0, u1, u2] = this.axis;
    const v: [number, number, number] = [xx * u0 + xy * u1 + xz * u2, xy * u0 + yy * u1 + yz * u2, xz * u0 + yz * u1 + zz * u2];
    const n = Math.hypot(...v);
    if (n > 1e-12) this.axis = [v[0] / n, v[1] / n, v[2] / n];
  }

  private detect(tMs: number, x: number): Breath[] {
    const h = this.hyst * Math.SQRT2 * Math.sqrt(this.meanSq);
    if (this.state === 'seek') {
      this.state = 'rising';
      this.ext = { tMs, value: x };
      return [];
    }
    if (this.state === 'rising') {
      if (x > this.ext.value) this.ext = { tMs, value: x };
      else if (this.ext.value - x > h) {
        const done = this.confirm({ kind: 'max', ...this.ext }, tMs);
        this.state = 'falling';
        this.ext = { tMs, value: x };
        return done;
      }
      return [];
    }
    if (x < this.ext.value) this.ext = { tMs, value: x };
    else if (x - this.ext.value > h) {
      const done = this.confirm({ kind: 'min', ...this.ext }, tMs);
      this.state = 'rising';
      this.ext = { tMs, value: x };
      return done;
    }
    return [];
  }

  /** An extremum is confirmed at `nowMs`; a breath completes when the next inhale onset is confirmed. */
  private confirm(e: Extremum, nowMs: number): Breath[] {
    const prev = this.extrema[this.extrema.length - 1];
    if (prev) {
      const seg = e.tMs - prev.tMs;
      (e.kind === 'max' ? this.riseMs : this.fallMs).push(seg);
      if (this.riseMs.length > POLARITY_BREATHS) this.riseMs.shift();
      if (this.fallMs.length > POLARITY_BREATHS) this.fallMs.shift();
    }
    this.extrema.push(e);
    if (this.extrema.length > 5) this.extrema.shift();
    const polarityKnown = this.riseMs.length >= POLARITY_BREATHS / 2 && this.fallMs.length >= POLARITY_BREATHS / 2;
    const mean = (v: readonly number[]): number => v.reduce((p, q) => p + q, 0) / Math.max(1, v.length);
    // Inhale = the shorter slope (Tobin 1983): rising shorter → inhale onsets are minima.
    const onsetKind: Extremum['kind'] = !polarityKnown || mean(this.riseMs) <= mean(this.fallMs) ? 'min' : 'max';
    if (e.kind !== onsetKind) return [];
    // This onset ends the previous breath: onset(prev of same kind) → other kind → this onset.
    const n = this.extrema.length;
    const mid = this.extrema[n - 2];
    const start = this.extrema[n - 3];
    if (!mid || !start || mid.kind === onsetKind || start.kind !== onsetKind) return [];
    const durationMs = e.tMs - start.tMs;
    if (durationMs < MIN_BREATH_MS || durationMs > MAX_BREATH_MS) return [];
    const delayMs = nowMs - e.tMs;
    if (delayMs > MAX_REPORT_DELAY_MS) {
      this.droppedLate++;
      return [];
    }
    const depthMg = Math.abs(mid.value - (start.value + e.value) / 2);
    this.depths.push(depthMg);
    if (this.depths.length > 10) this.depths.shift();
    const sorted = [...this.depths].sort((p, q) => p - q);
    const median = sorted[Math.floor(sorted.length / 2)] ?? depthMg;
    const cycles = this.opts.pacerCyclesAt?.(start.tMs);
    return [
      {
        onsetTMs: start.tMs,
        exhaleOnsetTMs: mid.tMs,
        durationMs,
        breathsPerMin: 60_000 / durationMs,
        depthMg,
        depthRelative: median > 0 ? depthMg / median : 1,
        delayMs,
        polarityKnown,
        pacerPhaseDeg: cycles === undefined ? null : wrapDeg((cycles - Math.floor(cycles)) * 360),
      },
    ];
  }

  reset(): void {
    this.gravity = null;
    this.restart(-Infinity);
    this.depths = [];
    this.riseMs = [];
    this.fallMs = [];
    this.droppedLate = 0;
    this.postureChanges = 0;
  }
}
