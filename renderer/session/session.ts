/**
 * The session: composition root of the live pipeline in the renderer.
 *
 *   beat source (simulator by default | BLE strap | serial PPG) → RrInterval
 *     → liveHrv (artifact correction, RMSSD, coherence, spectrum, RSA; data time) → live values
 *   pacer schedule (pure, shared/pacer) evaluated at the session clock by whoever draws
 *   recording: raw beats, artifact labels, metrics, pacer changes and device events, appended to
 *   the main-process recorder once a second
 *
 * Two read paths: `pacerAt(now())` for the Pixi ticker (per frame, no allocation beyond the
 * phase object) and `ui` (a Store updated at most 4 times a second) for React.
 */
import { Subscription, interval, tap, type Observable } from 'rxjs';
import type { SootheApi, RecordEvent } from '../../shared/ipc/contract';
import type { BeatSource, SourceStatus } from '../../shared/types/beat-source';
import type { SerialSamplesBatch } from '../../shared/types/serial-ppg';
import { changePacer, normalizePacer, pacerPhase, startPacer, type PacerPhase, type PacerSchedule, type PacerSettings } from '../../shared/pacer/phase';
import { liveHrv } from '../../shared/rx/live-hrv';
import type { LiveHrv } from '../../shared/hrv/live-hrv-engine';
import { Store } from './store';
import { createSimulatorSource, type SimulatorSource } from './sources';
import { computeReward, normalizeRewardLevel, type Reward, type RewardLevel } from '../../shared/reward/compute-reward';
import { DEFAULT_REWARD_BASELINE, sanitizeBaseline, updateBaseline, type RewardBaseline } from '../../shared/reward/baseline';
import { computePacerSynchrony, type PacerSynchrony } from '../../shared/reward/pacer-synchrony';
import { chooseBreathing, summarizeMeasuredBreathing, type BreathingSource, type MeasuredBreath } from '../../shared/reward/measured-breathing';
import { advanceSlowing, slowingOptions, slowingPacerRate, type SlowingBreathingSource, type SlowingOptions, type SlowingState } from '../../shared/pacer/progressive-slowing';
import { DEFAULT_SOOTHING_PLAN, soothingScript, type SoothingPlan } from '../../shared/pacer/soothing-session';
import { scriptStateAt, type ScriptEvent, type ScriptState, type SessionScript } from '../../shared/session-script/script';
import { DEFAULT_SIMULATOR } from '../../shared/sim/rr-simulator';

export interface TachogramData {
  /** Beat times, s of session time (corrected NN beats). */
  readonly tS: readonly number[];
  readonly nnMs: readonly number[];
  /** The interval as measured where the corrector changed it, else null (drawn as marks). */
  readonly artifactMs: readonly (number | null)[];
}

export interface UiSnapshot {
  readonly sourceKind: BeatSource['kind'];
  readonly sourceLabel: string;
  readonly status: SourceStatus;
  readonly hrBpm: number | null;
  readonly lastRrMs: number | null;
  readonly rmssdMs: number | null;
  readonly rmssdFill: number;
  readonly coherence: number | null;
  readonly breathsPerMinMeasured: number | null;
  readonly rsaPeakToTroughBpm: number | null;
  readonly artifactPct: number;
  /** Premature beats (interval > 20 % shorter than both neighbours) in the last RMSSD window, percent. */
  readonly prematurePct: number;
  readonly unreliable: boolean;
  /** 'artifacts' (too many corrected beats) or 'ectopy' (frequent premature beats); null when reliable. */
  readonly unreliableReason: 'artifacts' | 'ectopy' | null;
  readonly beats: number;
  readonly diagnostics: { readonly malformed: number; readonly gaps: number; readonly last: string | null };
  /** Sensor contact as a strap reports it ('not-supported' | 'detected' | 'not-detected'), null when unknown. */
  readonly contact: string | null;
  readonly batteryPct: number | null;
  readonly pacer: PacerSettings;
  readonly tachogram: TachogramData;
  readonly recording: { readonly sessionId: string | null; readonly error: string | null; readonly events: number };
  readonly sessionS: number;
  readonly trainer: TrainerSnapshot;
}

/** Before/after self-ratings of a soothing session, 0–10 each. */
export interface Ratings {
  readonly calm: number;
  readonly safe: number;
  readonly selfCritical: number;
}

/** The trainer's state for React: reward and its inputs, slowing, the guided session. */
export interface TrainerSnapshot {
  readonly reward: Reward | null;
  readonly synchrony: PacerSynchrony | null;
  readonly level: RewardLevel;
  readonly baseline: RewardBaseline;
  /** `breathingSource`: where the last slowing step's breathing rate came from (chest accelerometer or RSA, issue 9). */
  readonly slowing: { readonly targetBreathsPerMin: number; readonly waitingForMeasure: boolean; readonly holding: boolean; readonly done: boolean; readonly breathingSource?: SlowingBreathingSource | null } | null;
  readonly soothing: { readonly phaseId: string | null; readonly title: string; readonly instructions: string; readonly remainingS: number; readonly finished: boolean } | null;
  /** False while the pacer rests (settle and rest phases): breathe freely. */
  readonly pacerVisible: boolean;
  /** Where the reward's breathing rate came from: measured from chest movement (H10) or estimated from RSA (issue 9). */
  readonly breathingSource?: BreathingSource | null;
  readonly ratings: { readonly before: Ratings | null; readonly after: Ratings | null };
}

/** A breath measured by a chest accelerometer (Polar H10), as the session keeps it for the reward, slowing and assessment (issue 9). */
export interface CapturedBreath extends MeasuredBreath {
  /** End of the in-breath, ms (session time); absent when the source does not report it. */
  readonly exhaleOnsetTMs?: number;
}

export interface SessionOptions {
  readonly api: SootheApi;
  readonly clock: () => number;
  /** Session-time speed-up (demo and accelerated tests); 1 = real time. */
  readonly speed: number;
  readonly pacer: PacerSettings;
  readonly rmssdWindowMs: number;
  readonly seed: number;
}

const TACHOGRAM_WINDOW_MS = 120_000;
const UI_INTERVAL_MS = 250;
const RECORD_FLUSH_MS = 1000;

type Live = Omit<UiSnapshot, 'tachogram' | 'sessionS' | 'pacer' | 'trainer'>;

/** The live values of a source before its first beat (a new source starts from these). */
const NO_SIGNAL = {
  hrBpm: null,
  lastRrMs: null,
  rmssdMs: null,
  rmssdFill: 0,
  coherence: null,
  breathsPerMinMeasured: null,
  rsaPeakToTroughBpm: null,
  artifactPct: 0,
  prematurePct: 0,
  unreliable: false,
  unreliableReason: null,
  diagnostics: { malformed: 0, gaps: 0, last: null },
  contact: null,
  batteryPct: null,
} as const satisfies Partial<Live>;

export class Session {
  readonly ui: Store<UiSnapshot>;
  /** Raw PPG samples while a serial sensor is the source (for the waveform view). */
  readonly ppg: Store<{ readonly tS: number[]; readonly values: number[]; readonly beatsS: number[] }> = new Store({ tS: [], values: [], beatsS: [] });
  private schedule: PacerSchedule;
  private readonly t0: number;
  private readonly subs = new Subscription();
  private sourceSubs = new Subscription();
  private source: BeatSource | null = null;
  /** Breaths measured by a chest accelerometer, the last two minutes (issue 9). */
  private chestBreaths: MeasuredBreath[] = [];
  private tach: { tS: number[]; nnMs: number[]; artifactMs: (number | null)[] } = { tS: [], nnMs: [], artifactMs: [] };
  private live: Live;
  private uiTimer: ReturnType<typeof setInterval> | undefined;
  private readonly pendingRecord: RecordEvent[] = [];
  private firstBeatMs: number | null = null;
  private flushing = false;
  // Trainer: reward, progressive slowing, the guided soothing session (issue 6).
  private trainer: TrainerSnapshot = {
    reward: null,
    synchrony: null,
    level: 1,
    baseline: DEFAULT_REWARD_BASELINE,
    slowing: null,
    soothing: null,
    pacerVisible: true,
    ratings: { before: null, after: null },
  };
  private lastRewardInputs: { rsa: unknown; coherence: unknown } = { rsa: null, coherence: null };
  private slowing: { state: SlowingState | null; o: SlowingOptions; source?: SlowingBreathingSource | null } | null = null;
  private soothing: { script: SessionScript; events: ScriptEvent[]; phaseId: string | null; baselineTaken: boolean } | null = null;
  private nnCapture: { tMs: number[]; nnMs: number[]; breaths: CapturedBreath[] } | null = null;

  constructor(private readonly opts: SessionOptions) {
    this.t0 = opts.clock();
    this.schedule = startPacer(0, opts.pacer);
    this.live = {
      ...NO_SIGNAL,
      sourceKind: 'simulator',
      sourceLabel: '—',
      status: { state: 'idle' },
      beats: 0,
      recording: { sessionId: null, error: null, events: 0 },
    };
    this.ui = new Store<UiSnapshot>(this.snapshot());
  }

  /** Session time, ms: the pacer's clock and every source's data-time origin. */
  now(): number {
    return (this.opts.clock() - this.t0) * this.opts.speed;
  }

  /** For the Pixi ticker, every frame. */
  pacerAt(tMs: number): PacerPhase {
    return pacerPhase(this.schedule, tMs);
  }

  get pacerSettings(): PacerSettings {
    return this.schedule[this.schedule.length - 1]?.settings ?? this.opts.pacer;
  }

  get rmssdWindowMs(): number {
    return this.opts.rmssdWindowMs;
  }

  /** Markers added during this session, oldest first (issue 7: hotkey M and the marker button). */
  readonly markers = new Store<readonly { readonly tMs: number; readonly label: string }[]>([]);

  /** Adds a marker at the current session time with an optional label; it is recorded and exported. */
  addMarker(label = '', category?: string, tMs = this.now()): { readonly tMs: number; readonly label: string } {
    const m = { tMs, label: label.trim().slice(0, 200) };
    this.record('marker', category ? { label: m.label, category } : { label: m.label }, m.tMs);
    this.markers.set([...this.markers.get(), m]);
    return m;
  }

  /** The pacer's full schedule (plain data): the client's screen evaluates the same phase from it. */
  get pacerSchedule(): PacerSchedule {
    return this.schedule;
  }

  /** Session-time speed-up (1 = real time). */
  get speed(): number {
    return this.opts.speed;
  }

  /** Writes what is pending to the recording now (before a report reads it back). */
  async flush(): Promise<void> {
    while (this.flushing) await new Promise((r) => setTimeout(r, 20));
    await this.flushRecording();
  }

  /** Id of the session being recorded, or null. */
  get recordingId(): string | null {
    return this.live.recording.sessionId;
  }

  /** Records an event of another part of the app (script control, notes, phase markers) on the session clock. */
  recordEvent(kind: string, data: Readonly<Record<string, unknown>>, tMs = this.now()): void {
    this.record(kind, data, tMs);
  }

  /** For the Pixi ticker: the latest reward, 0–1 (0 while collecting: the scene stays quiet). */
  get rewardTarget(): number {
    return this.trainer.reward?.value ?? 0;
  }

  /** For the Pixi ticker: false while the pacer rests (settle and rest phases). */
  get pacerVisible(): boolean {
    return this.trainer.pacerVisible;
  }

  /** Reward challenge level (1 gentle – 4); saved for next time. */
  setRewardLevel(level: RewardLevel): void {
    this.trainer = { ...this.trainer, level: normalizeRewardLevel(level) };
    this.record('trainer', { event: 'level', level: this.trainer.level });
    this.ui.set(this.snapshot());
    void this.opts.api.invoke('settings:set', { rewardLevel: this.trainer.level });
  }

  /**
   * Progressive slowing on/off. On: the pacer starts at the person's measured breathing rate (as
   * soon as it is known) and eases toward the current pacer rate, the target. Off: back to the target.
   */
  setProgressiveSlowing(on: boolean): void {
    if (on === (this.slowing !== null)) return;
    if (on) {
      const o = slowingOptions(this.pacerSettings.breathsPerMin);
      this.slowing = { state: null, o };
      this.record('trainer', { event: 'slowing', on: true, targetBreathsPerMin: o.targetBreathsPerMin });
      this.stepTrainerSlowing();
    } else {
      const target = this.slowing?.o.targetBreathsPerMin ?? this.pacerSettings.breathsPerMin;
      this.slowing = null;
      this.record('trainer', { event: 'slowing', on: false });
      this.applyPacer(normalizePacer({ ...this.pacerSettings, breathsPerMin: target }), false);
    }
    this.trainer = { ...this.trainer, slowing: this.slowingSnapshot() };
    this.ui.set(this.snapshot());
  }

  /** Start the guided soothing rhythm breathing session (settle, breathe, rest). */
  startSoothingSession(plan: SoothingPlan = DEFAULT_SOOTHING_PLAN): void {
    const script = soothingScript(plan);
    this.soothing = { script, events: [{ type: 'start', tMs: this.now() }], phaseId: null, baselineTaken: false };
    this.record('trainer', { event: 'soothing-start', settleS: script.phases[0]?.durationS ?? 0, breatheS: script.phases[1]?.durationS ?? 0, restS: script.phases[2]?.durationS ?? 0 });
    this.tickTrainer();
    this.ui.set(this.snapshot());
  }

  /** Skip to the next phase of the guided session (or end it from the last one). */
  skipSoothingPhase(): void {
    if (!this.soothing) return;
    this.soothing.events.push({ type: 'skip', tMs: this.now() });
    this.tickTrainer();
    this.ui.set(this.snapshot());
  }

  /** Leave the guided session: the pacer comes back and keeps going. */
  endSoothingSession(): void {
    if (!this.soothing) return;
    this.soothing = null;
    this.record('trainer', { event: 'soothing-end' });
    this.setPacerVisible(true);
    this.trainer = { ...this.trainer, soothing: null };
    this.ui.set(this.snapshot());
  }

  /**
   * The resonance assessment drives the pacer step by step: a rate paces (not saved as the
   * person's setting), null rests (the pacer shows "breathe freely"). Recorded as 'trainer' events.
   */
  setAssessmentPacer(breathsPerMin: number | null): void {
    if (breathsPerMin === null) {
      this.setPacerVisible(false);
      this.record('trainer', { event: 'assessment-rest' });
    } else {
      this.setPacerVisible(true);
      this.applyPacer(normalizePacer({ ...this.pacerSettings, breathsPerMin }), false);
      this.record('trainer', { event: 'assessment-step', breathsPerMin });
    }
    this.ui.set(this.snapshot());
  }

  /** The assessment's per-rate results and recommendation, recorded as a 'resonance' event. */
  recordAssessmentResult(data: Readonly<Record<string, unknown>>): void {
    this.record('resonance', data);
  }

  /** Keep every corrected beat, and every breath a chest accelerometer measures, from now on (for the assessment), until `takeNnCapture`. */
  startNnCapture(): void {
    this.nnCapture = { tMs: [], nnMs: [], breaths: [] };
  }

  /** The beats and measured breaths kept since `startNnCapture` and the pacer schedule they were paced by; stops keeping. */
  takeNnCapture(): { tMs: number[]; nnMs: number[]; breaths: CapturedBreath[]; schedule: PacerSchedule } {
    const c = this.nnCapture ?? { tMs: [], nnMs: [], breaths: [] };
    this.nnCapture = null;
    return { ...c, schedule: this.schedule };
  }

  /** Optional self-ratings before or after a session, recorded as 'rating' events. */
  recordRatings(when: 'before' | 'after', r: Ratings): void {
    const clamp = (x: number): number => Math.min(10, Math.max(0, Math.round(Number.isFinite(x) ? x : 0)));
    const ratings = { calm: clamp(r.calm), safe: clamp(r.safe), selfCritical: clamp(r.selfCritical) };
    this.record('rating', { when, ...ratings });
    this.trainer = { ...this.trainer, ratings: { ...this.trainer.ratings, [when]: ratings } };
    this.ui.set(this.snapshot());
  }

  async start(): Promise<void> {
    this.uiTimer = setInterval(() => {
      this.tickTrainer();
      this.ui.set(this.snapshot());
    }, UI_INTERVAL_MS);
    await this.loadTrainerSettings();
    this.subs.add(interval(RECORD_FLUSH_MS).subscribe(() => void this.flushRecording()));
    await this.startRecording();
    await this.useSimulator();
  }

  /** Back to the built-in simulator (the default source). */
  async useSimulator(): Promise<void> {
    const sim = createSimulatorSource(this.opts.seed, () => this.now(), this.now());
    if (this.trainer.pacerVisible) sim.sim.setBreathing(this.pacerSettings.breathsPerMin, true);
    else sim.sim.setBreathing(DEFAULT_SIMULATOR.breathsPerMin, false);
    await this.useSource(sim);
  }

  /** Switch to another source: the old one is stopped, metrics restart, the switch is recorded. */
  async useSource(source: BeatSource, ppgSamples$?: Observable<SerialSamplesBatch>): Promise<void> {
    const old = this.source;
    this.sourceSubs.unsubscribe();
    this.sourceSubs = new Subscription();
    this.source = source;
    if (old) await old.stop();
    this.tach = { tS: [], nnMs: [], artifactMs: [] };
    this.ppg.set({ tS: [], values: [], beatsS: [] });
    this.firstBeatMs = null;
    this.live = { ...this.live, ...NO_SIGNAL, sourceKind: source.kind, sourceLabel: source.label };
    this.record('device', { event: 'source', kind: source.kind, label: source.label });
    this.sourceSubs.add(
      source.status$.subscribe((status) => {
        this.live = { ...this.live, status };
        this.record('device', { event: 'status', ...status });
      }),
    );
    this.sourceSubs.add(
      source.diagnostics$.subscribe((d) => {
        const dg = this.live.diagnostics;
        this.live = {
          ...this.live,
          diagnostics: { malformed: dg.malformed + (d.kind === 'malformed' ? 1 : 0), gaps: dg.gaps + (d.kind === 'gap' ? 1 : 0), last: d.message },
        };
        this.record('device', { event: 'diagnostic', diagnosticKind: d.kind, message: d.message, ...(d.tMs !== undefined ? { atMs: d.tMs } : {}) });
      }),
    );
    this.sourceSubs.add(
      source.rr$
        .pipe(
          tap((rr) => {
            if (this.firstBeatMs === null) this.firstBeatMs = rr.tMs - rr.rrMs;
            this.live = { ...this.live, lastRrMs: rr.rrMs, beats: this.live.beats + 1 };
            if (rr.ppg) this.ppg.set({ ...this.ppg.get(), beatsS: [...this.ppg.get().beatsS, rr.tMs / 1000] });
            this.record('beat', { rrMs: rr.rrMs, source: rr.source, ...(rr.ppg ? { ppg: true } : {}), ...(rr.afterGap ? { afterGap: true } : {}) }, rr.tMs);
          }),
          liveHrv({ rmssdWindowMs: this.opts.rmssdWindowMs }),
        )
        .subscribe((m) => this.onMetrics(m)),
    );
    // Optional extras a strap offers (duck-typed: only some sources have them).
    const extras = source as Partial<{ contact$: Observable<string | null>; battery$: Observable<number | null> }>;
    if (extras.contact$) this.sourceSubs.add(extras.contact$.subscribe((contact) => (this.live = { ...this.live, contact })));
    if (extras.battery$) this.sourceSubs.add(extras.battery$.subscribe((batteryPct) => (this.live = { ...this.live, batteryPct })));
    // Raw BLE notifications, exactly as they arrived, go to the session's raw-ble stream (issue 7).
    const rawSource = source as Partial<{ raw$: Observable<{ readonly hex: string; readonly tMs: number; readonly characteristic?: string }> }>;
    if (rawSource.raw$) this.sourceSubs.add(rawSource.raw$.subscribe((p) => this.record('raw-ble', { hex: p.hex, ...(p.characteristic ? { characteristic: p.characteristic } : {}) }, p.tMs)));
    // Holes in a strap's beat chain, with their exact start and end in data time (issue 4).
    const gapSource = source as Partial<{ gaps$: Observable<{ readonly startMs: number; readonly endMs: number; readonly cause: string }> }>;
    if (gapSource.gaps$) this.sourceSubs.add(gapSource.gaps$.subscribe((g) => this.record('gap', { source: source.kind, startMs: g.startMs, endMs: g.endMs, cause: g.cause }, g.startMs)));
    // Breaths measured by a chest accelerometer (Polar H10 PMD), per breath (issue 9).
    const breathSource = source as Partial<{ breaths$: Observable<CapturedBreath & { readonly depthRelative: number }> }>;
    this.chestBreaths = [];
    if (breathSource.breaths$)
      this.sourceSubs.add(
        breathSource.breaths$.subscribe((b) => {
          this.chestBreaths = [...this.chestBreaths.filter((x) => x.onsetTMs > b.onsetTMs - 120_000), b];
          this.nnCapture?.breaths.push({ onsetTMs: b.onsetTMs, durationMs: b.durationMs, breathsPerMin: b.breathsPerMin, pacerPhaseDeg: b.pacerPhaseDeg, ...(b.exhaleOnsetTMs !== undefined ? { exhaleOnsetTMs: b.exhaleOnsetTMs } : {}) });
          this.record('breath', { source: 'chest-acc', durationMs: b.durationMs, breathsPerMin: b.breathsPerMin, depthRelative: b.depthRelative, pacerPhaseDeg: b.pacerPhaseDeg, ...(b.exhaleOnsetTMs !== undefined ? { exhaleOnsetTMs: b.exhaleOnsetTMs } : {}) }, b.onsetTMs);
        }),
      );
    if (ppgSamples$) this.sourceSubs.add(ppgSamples$.subscribe((b) => this.onPpgSamples(b)));
    // The switch shows at once, not at the next UI tick: the first screen names its source.
    this.ui.set(this.snapshot());
  }

  /** The simulator, when it is the source (its breathing follows the pacer). */
  private get simulator(): SimulatorSource | null {
    return this.source?.kind === 'simulator' ? (this.source as SimulatorSource) : null;
  }

  setPacer(patch: Partial<PacerSettings>): void {
    const settings = normalizePacer({ ...this.pacerSettings, ...patch });
    // While slowing, a new rate is the new target; the pacer keeps easing toward it.
    if (this.slowing && patch.breathsPerMin !== undefined) {
      this.slowing = { ...this.slowing, o: slowingOptions(settings.breathsPerMin, this.slowing.o) };
      this.applyPacer({ ...settings, breathsPerMin: this.pacerSettings.breathsPerMin }, false);
      this.stepTrainerSlowing();
    } else this.applyPacer(settings, false);
    this.ui.set(this.snapshot());
    // Remembered for next time; a failed save changes nothing in this session.
    void this.opts.api.invoke('settings:set', { pacer: settings });
  }

  private applyPacer(settings: PacerSettings, refresh = true): void {
    const at = this.now();
    this.schedule = changePacer(this.schedule, at, settings);
    if (this.trainer.pacerVisible) this.simulator?.sim.setBreathing(settings.breathsPerMin, true);
    this.record('pacer', { ...settings }, at);
    if (refresh) this.ui.set(this.snapshot());
  }

  async dispose(): Promise<void> {
    if (this.uiTimer) clearInterval(this.uiTimer);
    this.subs.unsubscribe();
    this.sourceSubs.unsubscribe();
    await this.source?.stop();
    const id = this.live.recording.sessionId;
    if (id) {
      await this.flushRecording();
      await this.opts.api.invoke('recording:stop', id);
    }
  }

  private onMetrics(m: LiveHrv): void {
    for (const nn of m.nn) {
      if (this.nnCapture) {
        this.nnCapture.tMs.push(nn.tMs);
        this.nnCapture.nnMs.push(nn.rrMs);
      }
      this.tach.tS.push(nn.tMs / 1000);
      this.tach.nnMs.push(nn.rrMs);
      this.tach.artifactMs.push(nn.fix === 'none' ? null : nn.originalRrMs);
    }
    const cutoffS = (m.tMs - TACHOGRAM_WINDOW_MS) / 1000;
    let drop = 0;
    while (drop < this.tach.tS.length && (this.tach.tS[drop] ?? 0) < cutoffS) drop++;
    if (drop > 0) {
      this.tach.tS.splice(0, drop);
      this.tach.nnMs.splice(0, drop);
      this.tach.artifactMs.splice(0, drop);
    }
    for (const l of m.labels) this.record('artifact', { index: l.index, type: l.type, originalRrMs: l.originalRrMs }, m.tMs);
    const fill = this.firstBeatMs === null ? 0 : Math.min(1, (m.tMs - this.firstBeatMs) / this.opts.rmssdWindowMs);
    const prev = this.live;
    this.live = {
      ...this.live,
      hrBpm: m.hrBpm,
      rmssdMs: m.rmssdMs,
      rmssdFill: fill,
      coherence: m.coherence?.ratio ?? null,
      breathsPerMinMeasured: m.rsa?.breathsPerMin ?? null,
      rsaPeakToTroughBpm: m.rsa?.peakToTroughBpm ?? null,
      artifactPct: m.artifactPct,
      prematurePct: m.prematurePct,
      unreliable: m.unreliable,
      unreliableReason: m.unreliableReason,
    };
    this.updateReward(m);
    if (m.rmssdMs !== prev.rmssdMs || m.coherence?.ratio !== prev.coherence) {
      this.record('metric', { rmssdMs: m.rmssdMs, coherence: m.coherence?.ratio ?? null, breathsPerMin: m.rsa?.breathsPerMin ?? null, artifactPct: m.artifactPct, prematurePct: m.prematurePct, unreliable: m.unreliable, unreliableReason: m.unreliableReason }, m.tMs);
    }
  }

  /** Trainer settings saved earlier: challenge level, baseline. */
  private async loadTrainerSettings(): Promise<void> {
    const r = await this.opts.api.invoke('settings:get');
    if (!r.ok) return;
    this.trainer = { ...this.trainer, level: normalizeRewardLevel(r.value.rewardLevel), baseline: sanitizeBaseline(r.value.rewardBaseline) };
  }

  /**
   * New reward when the engine has new RSA or coherence (every 5 s of data time). Unreliable
   * windows (too many corrected beats) keep the last reward: the scene neither jumps nor drops.
   */
  private updateReward(m: LiveHrv): void {
    if (m.rsa === this.lastRewardInputs.rsa && m.coherence === this.lastRewardInputs.coherence) return;
    this.lastRewardInputs = { rsa: m.rsa, coherence: m.coherence };
    if (this.slowing) this.stepTrainerSlowing();
    if (m.unreliable || !this.trainer.pacerVisible) {
      this.takeBaseline(m);
      return;
    }
    const tMs = this.tach.tS.map((t) => t * 1000);
    const synchrony = computePacerSynchrony(tMs, this.tach.nnMs, this.schedule, m.tMs - 60_000, m.tMs);
    // Breathing measured from chest movement wins over the RSA estimate (issue 9).
    const breathing = chooseBreathing(summarizeMeasuredBreathing(this.chestBreaths, m.tMs), m.rsa?.breathsPerMin ?? null);
    const reward = computeReward(
      {
        measuredBreathsPerMin: breathing.breathsPerMin,
        breathPhaseScore: breathing.phaseScore,
        pacerBreathsPerMin: this.pacerSettings.breathsPerMin,
        peakToTroughBpm: m.rsa?.peakToTroughBpm ?? null,
        synchrony: synchrony?.strength ?? null,
        coherence: m.coherence?.ratio ?? null,
        coherencePeakBreathsPerMin: m.coherence?.peakHz == null ? null : m.coherence.peakHz * 60,
      },
      this.trainer.baseline,
      this.trainer.level,
    );
    this.trainer = { ...this.trainer, reward, synchrony, breathingSource: breathing.source };
    if (reward.value !== null) {
      const { value, rateScore, amplitudeScore, synchronyScore, coherenceScore, level } = reward;
      this.record('reward', { value, rateScore, amplitudeScore, synchronyScore, coherenceScore, level, synchrony: synchrony?.strength ?? null, lagDeg: synchrony?.lagDeg ?? null, pacerBreathsPerMin: this.pacerSettings.breathsPerMin, breathingSource: breathing.source, breathsPerMin: breathing.breathsPerMin, phaseScore: reward.phaseScore }, m.tMs);
    }
  }

  /** The settle phase of a soothing session measures the person's own baseline (spontaneous breathing), once. */
  private takeBaseline(m: LiveHrv): void {
    const s = this.soothing;
    if (!s || s.baselineTaken || s.phaseId !== 'settle' || m.unreliable || !m.rsa || !m.coherence) return;
    s.baselineTaken = true;
    const baseline = updateBaseline(this.trainer.baseline, { peakToTroughBpm: m.rsa.peakToTroughBpm, coherence: m.coherence.ratio });
    this.trainer = { ...this.trainer, baseline };
    this.record('trainer', { event: 'baseline', ...baseline });
    void this.opts.api.invoke('settings:set', { rewardBaseline: baseline });
  }

  private slowingSnapshot(): TrainerSnapshot['slowing'] {
    const sl = this.slowing;
    if (!sl) return null;
    return { targetBreathsPerMin: sl.o.targetBreathsPerMin, waitingForMeasure: sl.state === null, holding: sl.state?.holding ?? false, done: sl.state?.done ?? false, breathingSource: sl.source ?? null };
  }

  /**
   * One step of progressive slowing with the latest breathing rate; changes the pacer in 0.1 steps.
   * Breaths measured by a chest accelerometer win over the RSA estimate, as in the reward (issue 9);
   * a step that starts slowing, changes the pacer, holds or changes source is recorded with its source.
   */
  private stepTrainerSlowing(): void {
    const sl = this.slowing;
    if (!sl || !this.trainer.pacerVisible) return;
    const t = this.now();
    const breathing = chooseBreathing(summarizeMeasuredBreathing(this.chestBreaths, t), this.live.breathsPerMinMeasured);
    const before = sl.state;
    const step = advanceSlowing(before, t, breathing, sl.o);
    if (step.state === null) return;
    sl.state = step.state;
    const rate = slowingPacerRate(step.state);
    const changed = Math.abs(rate - this.pacerSettings.breathsPerMin) > 1e-9;
    if (before === null || changed || before.holding !== step.state.holding || step.source !== sl.source) {
      this.record('trainer', { event: 'slowing-step', breathingSource: step.source, breathsPerMin: step.measuredBreathsPerMin, pacerBreathsPerMin: rate, holding: step.state.holding, done: step.state.done }, t);
    }
    sl.source = step.source;
    if (changed) this.applyPacer(normalizePacer({ ...this.pacerSettings, breathsPerMin: rate }), false);
    this.trainer = { ...this.trainer, slowing: this.slowingSnapshot() };
  }

  private setPacerVisible(visible: boolean): void {
    if (visible === this.trainer.pacerVisible) return;
    // A resting pacer shows no reward: the scene is simply quiet while the person breathes freely.
    this.trainer = { ...this.trainer, pacerVisible: visible, reward: visible ? this.trainer.reward : null, synchrony: visible ? this.trainer.synchrony : null };
    if (visible) this.simulator?.sim.setBreathing(this.pacerSettings.breathsPerMin, true);
    else this.simulator?.sim.setBreathing(DEFAULT_SIMULATOR.breathsPerMin, false);
  }

  /** The guided session's phase at the session clock; phase changes are recorded. */
  private tickTrainer(): void {
    const s = this.soothing;
    if (!s) return;
    const st: ScriptState = scriptStateAt(s.script, s.events, this.now());
    const phaseId = st.finished ? null : (st.phase?.id ?? null);
    if (phaseId !== s.phaseId) {
      s.phaseId = phaseId;
      this.record('trainer', { event: 'phase', phase: phaseId ?? 'finished' });
      this.setPacerVisible(st.phase?.pacer ?? true);
      if (phaseId === 'breathe' && this.slowing) {
        this.slowing = { ...this.slowing, state: null };
        this.stepTrainerSlowing();
      }
    }
    this.trainer = {
      ...this.trainer,
      soothing: { phaseId, title: st.phase?.title ?? 'Finished', instructions: st.phase?.instructions ?? '', remainingS: st.phaseRemainingS, finished: st.finished },
    };
  }

  private onPpgSamples(b: SerialSamplesBatch): void {
    const cur = this.ppg.get();
    const tS = cur.tS.slice();
    const values = cur.values.slice();
    b.values.forEach((v, k) => {
      tS.push((b.tMs0 + (k * 1000) / b.fsHz) / 1000);
      values.push(v);
    });
    const keepFrom = Math.max(0, tS.length - Math.round(b.fsHz * 8));
    this.ppg.set({ tS: tS.slice(keepFrom), values: values.slice(keepFrom), beatsS: cur.beatsS.filter((t) => t >= (tS[keepFrom] ?? 0)) });
  }

  private record(kind: string, data: Readonly<Record<string, unknown>>, tMs = this.now()): void {
    if (this.live.recording.sessionId === null && this.live.recording.error !== null) return;
    this.pendingRecord.push({ kind, tMs, data });
  }

  private async startRecording(): Promise<void> {
    const r = await this.opts.api.invoke('recording:start', { source: 'live', wallClockStartIso: new Date().toISOString() });
    if (!r.ok) {
      this.live = { ...this.live, recording: { ...this.live.recording, error: `Recording could not start: ${r.error}` } };
      return;
    }
    this.live = { ...this.live, recording: { ...this.live.recording, sessionId: r.value.sessionId } };
    this.record('pacer', { ...this.pacerSettings }, 0);
  }

  /** Appends what is pending; a failed write stops recording with a visible message and keeps the events (nothing is dropped silently). */
  private async flushRecording(): Promise<void> {
    const id = this.live.recording.sessionId;
    if (!id || this.flushing || this.pendingRecord.length === 0 || this.live.recording.error) return;
    this.flushing = true;
    const batch = this.pendingRecord.splice(0, this.pendingRecord.length);
    const r = await this.opts.api.invoke('recording:append', id, batch);
    this.flushing = false;
    if (r.ok) {
      this.live = { ...this.live, recording: { ...this.live.recording, events: this.live.recording.events + r.value.written } };
    } else {
      this.pendingRecord.unshift(...batch);
      this.live = { ...this.live, recording: { ...this.live.recording, error: `Recording stopped: ${r.error}. The session goes on; what was already written is kept.` } };
    }
  }

  private snapshot(): UiSnapshot {
    return {
      ...this.live,
      pacer: this.pacerSettings,
      tachogram: { tS: [...this.tach.tS], nnMs: [...this.tach.nnMs], artifactMs: [...this.tach.artifactMs] },
      sessionS: this.now() / 1000,
      trainer: this.trainer,
    };
  }
}
