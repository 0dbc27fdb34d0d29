/**
 * Audio guidance for the pacer (Web Audio API): a soft, warm tone that rises in pitch and
 * swells on the in-breath and falls and fades on the out-breath, quiet during pauses, so the
 * breath can be followed with the eyes closed.
 *
 * Graph: two sine oscillators (a root and a quiet fifth above, for warmth) → breath gain (the
 * swell) → low-pass filter (soft, no edge) → master gain (the volume control) → analyser →
 * speakers. Parameters follow the pacer with setTargetAtTime every 50 ms (a 0.1 s time constant),
 * so the sound is smooth whatever the frame rate and keeps going when the screen is dimmed and
 * animation frames slow down. The pacer phase comes from the same pure function as the picture.
 */
import type { PacerPhase } from '../../shared/pacer/phase';

const ROOT_HZ = 196; // G3: low and calm
const RISE = 0.25; // pitch rises by up to 25 % (about a major third) at the top of the in-breath
const TICK_MS = 50;
const SMOOTH_S = 0.1;

export interface AudioState {
  /** AudioContext state ('running' | 'suspended' | 'closed'), or 'off'. */
  readonly state: string;
  /** RMS of the output over the last analyser frame (0 = silent). */
  readonly level: number;
}

export class BreathAudio {
  private ctx: AudioContext | null = null;
  private master: GainNode | null = null;
  private breath: GainNode | null = null;
  private oscs: OscillatorNode[] = [];
  private analyser: AnalyserNode | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;
  private volume = 0.5;
  private readonly buf = new Float32Array(1024);

  constructor(private readonly phaseNow: () => PacerPhase, private readonly guidingNow: () => boolean = () => true) {}

  /** Start (or resume) the sound. Browsers may require a user gesture; Electron and our tests allow autoplay. */
  async start(volume: number): Promise<void> {
    this.volume = volume;
    if (!this.ctx) {
      const ctx = new AudioContext();
      const master = ctx.createGain();
      master.gain.value = this.masterGain();
      const filter = ctx.createBiquadFilter();
      filter.type = 'lowpass';
      filter.frequency.value = 900;
      const breath = ctx.createGain();
      breath.gain.value = 0;
      const analyser = ctx.createAnalyser();
      analyser.fftSize = this.buf.length;
      for (const [mult, gain] of [
        [1, 1],
        [1.5, 0.25],
      ] as const) {
        const o = ctx.createOscillator();
        o.type = 'sine';
        o.frequency.value = ROOT_HZ * mult;
        const g = ctx.createGain();
        g.gain.value = gain;
        o.connect(g).connect(breath);
        o.start();
        this.oscs.push(o);
      }
      breath.connect(filter).connect(master).connect(analyser).connect(ctx.destination);
      this.ctx = ctx;
      this.master = master;
      this.breath = breath;
      this.analyser = analyser;
    }
    await this.ctx.resume();
    if (!this.timer) this.timer = setInterval(() => this.tick(), TICK_MS);
    this.tick();
  }

  setVolume(volume: number): void {
    this.volume = Math.min(1, Math.max(0, volume));
    if (this.ctx && this.master) this.master.gain.setTargetAtTime(this.masterGain(), this.ctx.currentTime, SMOOTH_S);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const ctx = this.ctx;
    this.ctx = null;
    this.master = this.breath = this.analyser = null;
    this.oscs = [];
    if (ctx) await ctx.close();
  }

  get status(): AudioState {
    if (!this.ctx || !this.analyser) return { state: 'off', level: 0 };
    this.analyser.getFloatTimeDomainData(this.buf);
    let ss = 0;
    for (const x of this.buf) ss += x * x;
    return { state: this.ctx.state, level: Math.sqrt(ss / this.buf.length) };
  }

  /** Perceived loudness is roughly logarithmic: square the slider for a gentle low end. */
  private masterGain(): number {
    return 0.25 * this.volume * this.volume;
  }

  private tick(): void {
    const ctx = this.ctx;
    if (!ctx || !this.breath) return;
    const p = this.phaseNow();
    const guiding = this.guidingNow();
    const t = ctx.currentTime;
    // Swell: loud while air moves (in and out), softer at the turning points, quiet in pauses.
    const moving = p.stage === 'inhale' || p.stage === 'exhale' ? Math.sin(Math.PI * p.stageProgress) : 0;
    const swell = guiding ? 0.25 + 0.55 * moving + 0.2 * p.volume : 0.08;
    this.breath.gain.setTargetAtTime(swell, t, SMOOTH_S);
    const pitch = 1 + RISE * p.volume;
    this.oscs.forEach((o, i) => o.frequency.setTargetAtTime(ROOT_HZ * (i === 0 ? 1 : 1.5) * pitch, t, SMOOTH_S));
  }
}
