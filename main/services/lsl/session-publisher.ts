/**
 * Publishes a Soothe session on LSL: maps the session's recorded events (the same RecordEvents the
 * recorder writes: beat, metric, reward, pacer, marker, trainer, script) to Soothe's streams, and
 * samples the pacer — a pure function of session time (shared/pacer/phase.ts) — at PACER_SRATE_HZ.
 *
 * Timestamps: an event's `tMs` is session data time; `sessionOriginS` is session time 0 on the
 * LSL clock, so a beat is stamped `sessionOriginS + tMs / 1000` (the time the beat happened, not
 * the time it was sent). Raw PPG batches carry the serial service's own time base and are mapped
 * by their arrival (see pushPpg).
 */
import type { RecordEvent } from '../../../shared/ipc/contract';
import { changePacer, normalizePacer, pacerPhase, startPacer, DEFAULT_PACER, type PacerSchedule, type PacerSettings } from '../../../shared/pacer/phase';
import type { SerialSamplesBatch } from '../../../shared/types/serial-ppg';
import type { LslOutlet, LslOutletHost } from './outlet-host';
import { PACER_SRATE_HZ, sootheStreamSpec, type SootheStreamKey, type StreamContext } from './soothe-streams';
import type { LslClock } from './clock';

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/** The marker text for an event, or null when the event is not a marker. */
export function markerText(e: RecordEvent): string | null {
  const d = e.data;
  if (e.kind === 'marker') {
    const label = str(d['label']) ?? str(d['text']) ?? 'marker';
    const category = str(d['category']);
    return category ? `${category}:${label}` : label;
  }
  if (e.kind === 'trainer') {
    const ev = str(d['event']);
    if (ev === 'phase') return `phase:${str(d['phase']) ?? '?'}`;
    return ev ? `trainer:${ev}` : null;
  }
  if (e.kind === 'script') {
    const action = str(d['action']);
    return action ? `script:${action}${str(d['title']) ? `:${d['title'] as string}` : ''}` : null;
  }
  if (e.kind === 'session') return str(d['event']) ? `session:${d['event'] as string}` : null;
  return null;
}

export class SessionPublisher {
  private readonly outlets = new Map<SootheStreamKey, LslOutlet>();
  private readonly creating = new Map<SootheStreamKey, Promise<LslOutlet>>();
  private schedule: PacerSchedule | null = null;
  private pacerSettings: PacerSettings = DEFAULT_PACER;
  /** Next pacer sample time, ms of session time. */
  private nextPacerMs = 0;
  private ppgOffsetS: number | null = null;
  private ppgKey = '';
  private closed = false;
  published = 0;

  constructor(
    private readonly host: LslOutletHost,
    private readonly ctx: StreamContext,
    private readonly clock: LslClock,
    /** Session time 0 on the LSL clock, s. */
    public sessionOriginS: number,
  ) {}

  /** Creates the streams every session has (RR, heart rate, pacer, reward, markers). */
  async open(): Promise<void> {
    for (const k of ['rr', 'hr', 'pacer', 'reward', 'markers'] as const) await this.outlet(k);
  }

  /** A new session: its own time origin and pacer schedule. */
  resetSession(sessionOriginS: number): void {
    this.sessionOriginS = sessionOriginS;
    this.schedule = null;
    this.pacerSettings = DEFAULT_PACER;
    this.nextPacerMs = 0;
  }

  /** The outlets currently served. */
  list(): LslOutlet[] {
    return [...this.outlets.values()];
  }

  private outlet(key: SootheStreamKey, ctx: StreamContext = this.ctx): Promise<LslOutlet> {
    const have = this.outlets.get(key);
    if (have) return Promise.resolve(have);
    let p = this.creating.get(key);
    if (!p) {
      p = this.host.createOutlet(sootheStreamSpec(key, ctx)).then((o) => {
        this.outlets.set(key, o);
        this.creating.delete(key);
        return o;
      });
      this.creating.set(key, p);
    }
    return p;
  }

  private toLslS(tMs: number): number {
    return this.sessionOriginS + tMs / 1000;
  }

  /** Publishes the LSL samples for a batch of session events (in order). */
  publish(events: readonly RecordEvent[]): void {
    if (this.closed) return;
    const rr: { values: number[]; timestampS: number }[] = [];
    const hr: { values: number[]; timestampS: number }[] = [];
    const reward: { values: number[]; timestampS: number }[] = [];
    const breathing: { values: number[]; timestampS: number }[] = [];
    const markers: { values: string[]; timestampS: number }[] = [];
    for (const e of events) {
      const t = this.toLslS(e.tMs);
      if (e.kind === 'beat') {
        const rrMs = num(e.data['rrMs']);
        if (rrMs !== null && rrMs > 0) {
          rr.push({ values: [rrMs], timestampS: t });
          hr.push({ values: [60000 / rrMs], timestampS: t });
        }
      } else if (e.kind === 'reward') {
        const v = num(e.data['value']);
        if (v !== null) reward.push({ values: [v], timestampS: t });
      } else if (e.kind === 'metric') {
        const b = num(e.data['breathsPerMin']);
        if (b !== null) breathing.push({ values: [b], timestampS: t });
      } else if (e.kind === 'pacer') {
        this.changePacer(e);
      }
      const m = markerText(e);
      if (m !== null) markers.push({ values: [m], timestampS: t });
    }
    this.push('rr', rr);
    this.push('hr', hr);
    this.push('reward', reward);
    this.push('markers', markers);
    if (breathing.length > 0) void this.outlet('breathing').then((o) => this.sendTo(o, breathing));
  }

  private push(key: SootheStreamKey, samples: { values: (number | string)[]; timestampS: number }[]): void {
    if (samples.length === 0) return;
    const o = this.outlets.get(key);
    if (o) this.sendTo(o, samples);
    else void this.outlet(key).then((x) => this.sendTo(x, samples));
  }

  private sendTo(o: LslOutlet, samples: { values: (number | string)[]; timestampS: number }[]): void {
    if (this.closed) return;
    o.pushChunk(samples);
    this.published += samples.length;
  }

  private changePacer(e: RecordEvent): void {
    const d = e.data;
    const s = normalizePacer({
      breathsPerMin: num(d['breathsPerMin']) ?? this.pacerSettings.breathsPerMin,
      inhaleShare: num(d['inhaleShare']) ?? this.pacerSettings.inhaleShare,
      pauseAfterInhaleS: num(d['pauseAfterInhaleS']) ?? this.pacerSettings.pauseAfterInhaleS,
      pauseAfterExhaleS: num(d['pauseAfterExhaleS']) ?? this.pacerSettings.pauseAfterExhaleS,
    });
    this.pacerSettings = s;
    if (!this.schedule) {
      this.schedule = startPacer(e.tMs, s);
      this.nextPacerMs = Math.ceil((e.tMs * PACER_SRATE_HZ) / 1000) * (1000 / PACER_SRATE_HZ);
    } else this.schedule = changePacer(this.schedule, e.tMs, s);
  }

  /**
   * Pushes the pacer's samples on its 10 Hz grid up to `untilMs` of session time (callers keep
   * this behind the newest pacer change they may still receive).
   */
  advancePacer(untilMs: number): void {
    if (!this.schedule || this.closed) return;
    const out: { values: number[]; timestampS: number }[] = [];
    const stepMs = 1000 / PACER_SRATE_HZ;
    // a long pause (machine asleep) must not flood the stream: at most 60 s of samples at once
    if (untilMs - this.nextPacerMs > 60_000) this.nextPacerMs = untilMs - 60_000;
    for (; this.nextPacerMs <= untilMs; this.nextPacerMs += stepMs) {
      const p = pacerPhase(this.schedule, this.nextPacerMs);
      out.push({ values: [p.cycles - Math.floor(p.cycles), p.volume, this.pacerSettings.breathsPerMin], timestampS: this.toLslS(this.nextPacerMs) });
    }
    this.push('pacer', out);
  }

  /**
   * Raw PPG samples from a serial sensor (at its rate). Their times are the serial service's
   * data times; the offset to the LSL clock is the smallest (arrival − sample time) seen, since
   * a sample can only arrive after it was taken (reset on a new serial session).
   */
  pushPpg(batch: SerialSamplesBatch, device: string): void {
    if (this.closed || batch.values.length === 0 || !(batch.fsHz > 0)) return;
    const key = `${device}@${batch.fsHz}`;
    const lastMs = batch.tMs0 + ((batch.values.length - 1) * 1000) / batch.fsHz;
    const offset = this.clock() - lastMs / 1000;
    if (this.ppgKey !== key || batch.firstIndex === 0 || this.ppgOffsetS === null) {
      this.ppgOffsetS = offset;
      if (this.ppgKey !== key) {
        const old = this.outlets.get('ppg');
        this.outlets.delete('ppg');
        if (old) void this.host.removeOutlet(old);
      }
      this.ppgKey = key;
    } else this.ppgOffsetS = Math.min(this.ppgOffsetS, offset);
    const origin = this.ppgOffsetS;
    const samples = batch.values.map((v, k) => ({ values: [v], timestampS: origin + (batch.tMs0 + (k * 1000) / batch.fsHz) / 1000 }));
    const o = this.outlets.get('ppg');
    if (o) this.sendTo(o, samples);
    else void this.outlet('ppg', { ...this.ctx, ppg: { device, fsHz: batch.fsHz } }).then((x) => this.sendTo(x, samples));
  }

  /** Stops the PPG stream (sensor closed). */
  async stopPpg(): Promise<void> {
    const o = this.outlets.get('ppg');
    this.outlets.delete('ppg');
    this.ppgKey = '';
    this.ppgOffsetS = null;
    if (o) await this.host.removeOutlet(o);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.creating.values()]);
    for (const o of this.outlets.values()) await this.host.removeOutlet(o);
    this.outlets.clear();
  }
}
