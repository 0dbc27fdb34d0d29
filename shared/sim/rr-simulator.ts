/**
 * A physiological RR-interval simulator: a beat source like any sensor.
 *
 * Model (integrate-and-fire on a modulated interval; each beat's RR is evaluated at its time):
 *   RR(t) = RR0 + RSA(t) + Mayer(t) + VLF(t) + e,  with an occasional premature (ectopic) beat.
 * - RSA: respiratory sinus arrhythmia at the simulated breathing rate. Peak-to-trough amplitude
 *   follows a resonance curve (Lehrer & Gevirtz 2014; Vaschillo et al. 2002: cardiovascular
 *   resonance near 0.1 Hz, i.e. 5.5–6 breaths/min), A(f) = A_spont·(1 + G / (1 + ((f − f_res)/w)²)),
 *   so slow breathing near resonance gives a large, smooth oscillation and fast, irregular
 *   breathing a small one. Heart rate rises on the in-breath (RR is shortest at the end of
 *   inhalation, ~0° HR–respiration phase at resonance: Shaffer & Meehan 2020).
 * - Mayer wave: ~0.1 Hz baroreflex oscillation of a few ms.
 * - VLF: an Ornstein–Uhlenbeck drift (time constant ~60 s).
 * - e: white beat-to-beat noise.
 * - Ectopic beats: with probability `ectopicPerBeat`, a premature beat (RR × 0.65–0.75) followed by a
 *   compensatory pause so the pair keeps its sum (as a real PVC/PAC with full compensation).
 * The simulated person breathes at a rate that eases toward a target (`setBreathing`), with
 * breath-to-breath rate jitter that is larger in spontaneous than in paced breathing.
 */
import { createRng, type Rng } from './prng';
import type { RrInterval } from '../types/rr';

export interface RrSimulatorOptions {
  readonly seed: number;
  /** Resting heart rate, beats/min. */
  readonly restingHrBpm: number;
  /** Breathing rate at start, breaths/min. */
  readonly breathsPerMin: number;
  /** Peak-to-trough RSA at spontaneous breathing, ms. */
  readonly rsaSpontaneousMs: number;
  /** Resonance gain G (dimensionless): extra RSA at the resonance rate. */
  readonly resonanceGain: number;
  /** Resonance breathing rate, breaths/min. */
  readonly resonanceBreathsPerMin: number;
  /** Half-width of the resonance curve, breaths/min. */
  readonly resonanceWidthBreathsPerMin: number;
  /** SD of white beat-to-beat noise, ms. */
  readonly noiseSdMs: number;
  /** Probability per beat of a premature (ectopic) beat. */
  readonly ectopicPerBeat: number;
  /** Time constant with which breathing follows a new target rate, s. */
  readonly breathingAdaptS: number;
  /** Data time of the first beat, ms. */
  readonly startMs: number;
}

export const DEFAULT_SIMULATOR: RrSimulatorOptions = {
  seed: 1,
  restingHrBpm: 68,
  breathsPerMin: 13,
  rsaSpontaneousMs: 45,
  resonanceGain: 3.5,
  resonanceBreathsPerMin: 5.5,
  resonanceWidthBreathsPerMin: 1.6,
  noiseSdMs: 7,
  ectopicPerBeat: 0.003,
  breathingAdaptS: 20,
  startMs: 0,
};

const MAYER_HZ = 0.1;
const MAYER_AMPLITUDE_MS = 6;
const VLF_TAU_S = 60;
const VLF_SD_MS = 20;

/** Peak-to-trough RSA (ms) the model gives at breathing rate `f` (breaths/min). */
export function rsaAmplitudeMs(o: RrSimulatorOptions, f: number): number {
  const x = (f - o.resonanceBreathsPerMin) / o.resonanceWidthBreathsPerMin;
  return o.rsaSpontaneousMs * (1 + o.resonanceGain / (1 + x * x));
}

export class RrSimulator {
  private readonly o: RrSimulatorOptions;
  private rng!: Rng;
  private tMs = 0;
  private breathPhase = 0; // cycles, fraction = position in the breath (0 = start of inhale)
  private breathRate = 0; // breaths/min now
  private targetRate = 0;
  private paced = false;
  private vlfMs = 0;
  private pendingCompensationMs = 0;

  constructor(options: Partial<RrSimulatorOptions> = {}) {
    this.o = { ...DEFAULT_SIMULATOR, ...options };
    this.reset();
  }

  reset(): void {
    this.rng = createRng(this.o.seed);
    this.tMs = this.o.startMs;
    this.breathPhase = 0;
    this.breathRate = this.o.breathsPerMin;
    this.targetRate = this.o.breathsPerMin;
    this.paced = false;
    this.vlfMs = 0;
    this.pendingCompensationMs = 0;
  }

  /** Ask the simulated person to breathe at `breathsPerMin`; `paced` means following a pacer. */
  setBreathing(breathsPerMin: number, paced = true): void {
    this.targetRate = breathsPerMin;
    this.paced = paced;
  }

  /** Current breathing rate of the simulated person, breaths/min. */
  get breathsPerMin(): number {
    return this.breathRate;
  }

  /** The time of the last emitted beat, ms. */
  get lastBeatMs(): number {
    return this.tMs;
  }

  /** The next interval. */
  next(): RrInterval {
    const o = this.o;
    const rr0 = 60_000 / o.restingHrBpm;
    const tS = this.tMs / 1000;
    const amp = rsaAmplitudeMs(o, this.breathRate);
    const rsa = (amp / 2) * Math.cos(2 * Math.PI * this.breathPhase);
    const mayer = MAYER_AMPLITUDE_MS * Math.sin(2 * Math.PI * MAYER_HZ * tS);
    let rr = rr0 + rsa + mayer + this.vlfMs + o.noiseSdMs * this.rng.gaussian();
    if (this.pendingCompensationMs > 0) {
      rr += this.pendingCompensationMs;
      this.pendingCompensationMs = 0;
    } else if (this.rng.uniform() < o.ectopicPerBeat) {
      const prematurity = 0.25 + 0.1 * this.rng.uniform();
      this.pendingCompensationMs = rr * prematurity;
      rr -= rr * prematurity;
    }
    rr = Math.max(250, rr);
    this.advance(rr);
    return { rrMs: rr, tMs: this.tMs, source: 'simulator' };
  }

  private advance(rrMs: number): void {
    const dtS = rrMs / 1000;
    this.tMs += rrMs;
    // Breathing rate eases toward its target, with jitter (less when following a pacer).
    const alpha = 1 - Math.exp(-dtS / this.o.breathingAdaptS);
    this.breathRate += (this.targetRate - this.breathRate) * alpha;
    const jitter = (this.paced ? 0.03 : 0.12) * this.breathRate;
    const rateNow = Math.max(2, this.breathRate + jitter * this.rng.gaussian() * 0.3);
    this.breathPhase += (dtS * rateNow) / 60;
    // Ornstein–Uhlenbeck VLF drift, exact discretisation.
    const decay = Math.exp(-dtS / VLF_TAU_S);
    this.vlfMs = this.vlfMs * decay + VLF_SD_MS * Math.sqrt(1 - decay * decay) * this.rng.gaussian();
  }
}
