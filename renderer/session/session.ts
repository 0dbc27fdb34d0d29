/**
 * The session: composition root of the live pipeline in the renderer.
 *
 *   beat source (simulator by default) → rollingHrv (data time) → live values
 *   pacer schedule (pure, shared/pacer) evaluated at the session clock by whoever draws
 *   recording: beats and pacer changes appended to the main-process recorder once a second
 *
 * Two read paths: `frame()` for the Pixi ticker (cheap, no allocation beyond the phase object)
 * and `ui` (a Store updated at most 4 times a second) for React.
 */
import { BehaviorSubject, NEVER, Subscription, interval, share, type Observable } from 'rxjs';
import type { SootheApi, RecordEvent } from '../../shared/ipc/contract';
import type { RrInterval } from '../../shared/types/rr';
import type { BeatSource, SourceStatus } from '../../shared/types/beat-source';
import { changePacer, normalizePacer, pacerPhase, startPacer, type PacerPhase, type PacerSchedule, type PacerSettings } from '../../shared/pacer/phase';
import { RrSimulator } from '../../shared/sim/rr-simulator';
import { simulatedBeats } from '../../shared/rx/simulated-beats';
import { rollingHrv } from '../../shared/rx/rolling-hrv';
import { Store } from './store';

export interface UiSnapshot {
  readonly sourceLabel: string;
  readonly status: SourceStatus;
  readonly hrBpm: number | null;
  readonly lastRrMs: number | null;
  readonly rmssdMs: number | null;
  readonly rmssdFill: number;
  readonly beats: number;
  readonly pacer: PacerSettings;
  /** Recent intervals for the tachogram: beat times (s of session time) and RR (ms). */
  readonly tachogram: { readonly tS: readonly number[]; readonly rrMs: readonly number[] };
  readonly recording: { readonly sessionId: string | null; readonly error: string | null; readonly events: number };
  readonly sessionS: number;
}

export interface SessionOptions {
  readonly api: SootheApi;
  readonly clock: () => number;
  /** Data-time speed-up (demo/accelerated tests); 1 = real time. */
  readonly speed: number;
  readonly pacer: PacerSettings;
  readonly rmssdWindowMs: number;
  readonly seed: number;
}

const TACHOGRAM_WINDOW_MS = 120_000;
const UI_INTERVAL_MS = 250;

export function createSimulatorSource(sim: RrSimulator, clock: () => number, speed: number): BeatSource {
  const status$ = new BehaviorSubject<SourceStatus>({ state: 'streaming', detail: 'built-in simulator' });
  return {
    kind: 'simulator',
    label: 'Simulator',
    rr$: simulatedBeats(sim, { clock, speed }).pipe(share()),
    status$,
    diagnostics$: NEVER,
    stop: async () => status$.next({ state: 'stopped' }),
  };
}

export class Session {
  readonly ui: Store<UiSnapshot>;
  private schedule: PacerSchedule;
  private readonly t0: number;
  private readonly subs = new Subscription();
  private readonly sim: RrSimulator;
  private tach: { tS: number[]; rrMs: number[] } = { tS: [], rrMs: [] };
  private live: Omit<UiSnapshot, 'tachogram' | 'sessionS' | 'pacer'>;
  private uiTimer: ReturnType<typeof setInterval> | undefined;
  private readonly pendingRecord: RecordEvent[] = [];

  constructor(private readonly opts: SessionOptions) {
    this.t0 = opts.clock();
    this.schedule = startPacer(0, opts.pacer);
    this.sim = new RrSimulator({ seed: opts.seed });
    this.sim.setBreathing(this.schedule[0]?.settings.breathsPerMin ?? 6, true);
    this.live = {
      sourceLabel: 'Simulator',
      status: { state: 'connecting' },
      hrBpm: null,
      lastRrMs: null,
      rmssdMs: null,
      rmssdFill: 0,
      beats: 0,
      recording: { sessionId: null, error: null, events: 0 },
    };
    this.ui = new Store<UiSnapshot>(this.snapshot());
  }

  /** Session time, ms (data time of the simulator; the pacer's clock). */
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

  async start(): Promise<void> {
    const source = createSimulatorSource(this.sim, () => this.now(), 1);
    this.live = { ...this.live, sourceLabel: source.label };
    this.subs.add(source.status$.subscribe((status) => (this.live = { ...this.live, status })));
    this.attach(source.rr$);
    this.uiTimer = setInterval(() => this.ui.set(this.snapshot()), UI_INTERVAL_MS);
    await this.startRecording(source.label);
  }

  setPacer(patch: Partial<PacerSettings>): void {
    const settings = normalizePacer({ ...this.pacerSettings, ...patch });
    const at = this.now();
    this.schedule = changePacer(this.schedule, at, settings);
    this.sim.setBreathing(settings.breathsPerMin, true);
    this.pendingRecord.push({ kind: 'pacer', tMs: at, data: { ...settings } });
    this.ui.set(this.snapshot());
    // Remembered for next time; a failed save changes nothing in this session.
    void this.opts.api.invoke('settings:set', { pacer: settings });
  }

  async dispose(): Promise<void> {
    if (this.uiTimer) clearInterval(this.uiTimer);
    this.subs.unsubscribe();
    const id = this.live.recording.sessionId;
    if (id) {
      await this.flushRecording();
      await this.opts.api.invoke('recording:stop', id);
    }
  }

  private attach(rr$: Observable<RrInterval>): void {
    this.subs.add(
      rr$.subscribe((rr) => {
        this.tach.tS.push(rr.tMs / 1000);
        this.tach.rrMs.push(rr.rrMs);
        const cutoffS = (rr.tMs - TACHOGRAM_WINDOW_MS) / 1000;
        let drop = 0;
        while (drop < this.tach.tS.length && (this.tach.tS[drop] ?? 0) < cutoffS) drop++;
        if (drop > 0) {
          this.tach.tS.splice(0, drop);
          this.tach.rrMs.splice(0, drop);
        }
        this.live = { ...this.live, lastRrMs: rr.rrMs };
        this.pendingRecord.push({ kind: 'beat', tMs: rr.tMs, data: { rrMs: rr.rrMs, source: rr.source } });
      }),
    );
    this.subs.add(
      rr$.pipe(rollingHrv(this.opts.rmssdWindowMs)).subscribe((m) => {
        this.live = { ...this.live, hrBpm: m.hrBpm, rmssdMs: m.rmssdMs, rmssdFill: m.fill, beats: this.live.beats + 1 };
      }),
    );
  }

  private async startRecording(source: string): Promise<void> {
    const r = await this.opts.api.invoke('recording:start', { source, wallClockStartIso: new Date().toISOString() });
    if (!r.ok) {
      this.live = { ...this.live, recording: { ...this.live.recording, error: r.error } };
      return;
    }
    this.live = { ...this.live, recording: { ...this.live.recording, sessionId: r.value.sessionId } };
    this.pendingRecord.unshift({ kind: 'pacer', tMs: 0, data: { ...this.pacerSettings } });
    // Flush once a second; a failed write stops recording with a visible message and keeps the
    // events in memory (nothing is dropped silently).
    this.subs.add(interval(1000).subscribe(() => void this.flushRecording()));
  }

  private flushing = false;
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
      this.live = { ...this.live, recording: { ...this.live.recording, error: `Recording stopped: ${r.error}. The session goes on; nothing already written is lost.` } };
    }
  }

  private snapshot(): UiSnapshot {
    return {
      ...this.live,
      pacer: this.pacerSettings,
      tachogram: { tS: [...this.tach.tS], rrMs: [...this.tach.rrMs] },
      sessionS: this.now() / 1000,
    };
  }
}
