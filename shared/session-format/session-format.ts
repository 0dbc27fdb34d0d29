/**
 * Soothe's on-disk session format, as plain data and pure readers (docs/session-format.md is the
 * prose description; this file is the reference).
 *
 *   <session>/manifest.json       SessionManifest (rewritten atomically: temp file + fsync + rename)
 *   <session>/events.ndjson       derived events, one JSON object per line: { kind, tMs, ...fields }
 *   <session>/raw-serial.ndjson   raw serial PPG sample batches (main process), one batch per line
 *   <session>/raw-ble.ndjson      raw BLE notifications, one packet per line
 *
 * Time base: every `tMs` is monotonic session time in ms since the session's origin; the manifest's
 * `wallClockStartIso` is the wall clock at that origin. Streams are append-only; a line is complete
 * when its newline is on disk. Readers drop an unterminated last line (a write cut by a crash) and
 * skip, but count, lines that are not JSON objects.
 */

export const SESSION_FORMAT = 'soothe-session/1';
export const MANIFEST_FILE = 'manifest.json';
export const EVENTS_FILE = 'events.ndjson';
export const RAW_SERIAL_FILE = 'raw-serial.ndjson';
export const RAW_BLE_FILE = 'raw-ble.ndjson';

/** Event kinds routed to a raw stream file instead of events.ndjson. */
export const RAW_STREAM_OF_KIND: Readonly<Record<string, string>> = { 'raw-serial': RAW_SERIAL_FILE, 'raw-ble': RAW_BLE_FILE };

export type SessionStatus = 'recording' | 'complete' | 'interrupted' | 'failed';
/** How the session came to be: the app, `soothe record`, or an imported file. */
export type SessionType = 'live' | 'record' | 'import';

export interface SessionSummary {
  /** Session time of the last event, ms. */
  readonly durationMs: number;
  readonly beats: number;
  readonly artifacts: number;
  readonly markers: number;
  readonly meanHrBpm: number | null;
  /** Mean of the recorded RMSSD metric values (each over its 60 s window), ms. */
  readonly meanRmssdMs: number | null;
  /** RMSSD of the first 2 minutes of beats (artifacts and gaps left out), ms; null under 60 s of beats. */
  readonly restingRmssdMs: number | null;
  readonly meanCoherence: number | null;
  readonly meanBreathsPerMin: number | null;
}

export interface SessionManifest {
  readonly format: string;
  readonly sessionId: string;
  /** Person-given name (rename); absent until named. */
  readonly name?: string;
  readonly notes?: string;
  readonly type: SessionType;
  /** What produced the beats ("live", "Simulator", "serial /dev/ttyACM0", an imported file name). */
  readonly source: string;
  readonly wallClockStartIso: string;
  readonly timeBase: string;
  readonly status: SessionStatus;
  /** Why recording ended early ('disk-full', 'interrupted', a message). */
  readonly stopReason?: string;
  readonly wallClockEndIso?: string;
  /** The writing process while status is 'recording' (recovery checks that it is gone). */
  readonly writer?: { readonly pid: number; readonly host: string };
  readonly recovery?: { readonly atIso: string; readonly droppedPartialLines: number };
  readonly summary?: SessionSummary;
  readonly streams: readonly string[];
}

/** One decoded line of a stream. */
export type StreamRecord = { readonly kind: string; readonly tMs: number } & Readonly<Record<string, unknown>>;

export interface ParsedStream {
  readonly records: StreamRecord[];
  /** Complete lines that are not a JSON object with a string kind and a numeric tMs (1-based line numbers, first 20). */
  readonly badLines: number[];
  readonly badLineCount: number;
  /** True when the text ended without a newline (a cut last line, dropped). */
  readonly truncatedTail: boolean;
}

/**
 * Parses an NDJSON stream as far as it goes: never throws. Lines without kind/tMs are counted
 * as bad (raw stream lines carry their own fields and are accepted when `requireKind` is false).
 */
export function parseStream(text: string, requireKind = true): ParsedStream {
  const records: StreamRecord[] = [];
  const badLines: number[] = [];
  let badLineCount = 0;
  const end = text.lastIndexOf('\n');
  const truncatedTail = text.length > 0 && end !== text.length - 1 && text.slice(end + 1).trim() !== '';
  const body = end < 0 ? '' : text.slice(0, end);
  let line = 0;
  let start = 0;
  while (start <= body.length && body.length > 0) {
    let nl = body.indexOf('\n', start);
    if (nl < 0) nl = body.length;
    line++;
    const s = body.slice(start, nl).trim();
    start = nl + 1;
    if (s === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(s);
    } catch {
      v = undefined;
    }
    const okShape = typeof v === 'object' && v !== null && !Array.isArray(v) && (!requireKind || (typeof (v as { kind?: unknown }).kind === 'string' && Number.isFinite((v as { tMs?: unknown }).tMs)));
    if (okShape) records.push(v as StreamRecord);
    else {
      badLineCount++;
      if (badLines.length < 20) badLines.push(line);
    }
  }
  return { records, badLines, badLineCount, truncatedTail };
}

/** Checks a parsed manifest's required fields; returns a reason when it is not usable. */
export function validateManifest(v: unknown): { ok: true; manifest: SessionManifest } | { ok: false; reason: string } {
  if (typeof v !== 'object' || v === null) return { ok: false, reason: 'manifest is not a JSON object' };
  const m = v as Partial<SessionManifest>;
  if (typeof m.format !== 'string' || !m.format.startsWith('soothe-session/')) return { ok: false, reason: 'manifest has no soothe-session format' };
  if (typeof m.sessionId !== 'string' || typeof m.wallClockStartIso !== 'string') return { ok: false, reason: 'manifest lacks sessionId or wallClockStartIso' };
  return {
    ok: true,
    manifest: {
      ...(m as SessionManifest),
      type: m.type ?? 'live',
      source: typeof m.source === 'string' ? m.source : 'unknown',
      status: m.status ?? 'complete',
      timeBase: m.timeBase ?? 'ms since session origin (monotonic)',
      streams: Array.isArray(m.streams) ? m.streams : [EVENTS_FILE],
    },
  };
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Window for the resting RMSSD: the first 2 minutes of beats, at least 60 s of them. */
export const RESTING_WINDOW_MS = 120_000;
export const RESTING_MIN_MS = 60_000;

/** Beats whose artifact labels are kept for the resting RMSSD (2 min at 300 beats/min). */
const RESTING_MAX_BEATS = 600;

/**
 * Key numbers of a session, one event at a time, in bounded memory (the recorder keeps one per
 * open session; the library and imports use `summarizeSession`).
 */
export class SessionSummarizer {
  private durationMs = 0;
  private beats = 0;
  private rrSum = 0;
  private artifacts = 0;
  private markers = 0;
  private base = 0;
  private readonly rmssd = { sum: 0, n: 0 };
  private readonly coh = { sum: 0, n: 0 };
  private readonly bpm = { sum: 0, n: 0 };
  /** The first beats (for the resting RMSSD): interval, time, after a gap, labelled. */
  private readonly first: { tMs: number; rrMs: number; gap: boolean }[] = [];
  private readonly firstArtifacts = new Set<number>();

  add(kind: string, tMs: number, e: Readonly<Record<string, unknown>>): void {
    if (tMs > this.durationMs) this.durationMs = tMs;
    if (kind === 'beat') {
      const rr = num(e.rrMs);
      if (rr === null) return;
      if (this.first.length < RESTING_MAX_BEATS) this.first.push({ tMs, rrMs: rr, gap: e.afterGap === true });
      this.beats++;
      this.rrSum += rr;
    } else if (kind === 'artifact') {
      const i = num(e.index);
      if (i === null) return;
      this.artifacts++;
      if (this.base + i < RESTING_MAX_BEATS) this.firstArtifacts.add(this.base + i);
    } else if (kind === 'device' && e.event === 'source') this.base = this.beats;
    else if (kind === 'marker') this.markers++;
    else if (kind === 'metric') {
      for (const [acc, v] of [
        [this.rmssd, e.rmssdMs],
        [this.coh, e.coherence],
        [this.bpm, e.breathsPerMin],
      ] as const) {
        const x = num(v);
        if (x !== null) {
          acc.sum += x;
          acc.n++;
        }
      }
    }
  }

  result(): SessionSummary {
    const avg = (a: { sum: number; n: number }): number | null => (a.n === 0 ? null : a.sum / a.n);
    let restingRmssdMs: number | null = null;
    const t0 = this.first[0]?.tMs;
    if (t0 !== undefined) {
      let sum = 0;
      let n = 0;
      let lastT = t0;
      for (let i = 1; i < this.first.length; i++) {
        const b = this.first[i];
        const p = this.first[i - 1];
        if (!b || !p || b.tMs - t0 > RESTING_WINDOW_MS) break;
        lastT = b.tMs;
        if (b.gap || this.firstArtifacts.has(i) || this.firstArtifacts.has(i - 1)) continue;
        sum += (b.rrMs - p.rrMs) ** 2;
        n++;
      }
      if (n > 0 && lastT - t0 >= RESTING_MIN_MS) restingRmssdMs = Math.sqrt(sum / n);
    }
    return {
      durationMs: this.durationMs,
      beats: this.beats,
      artifacts: this.artifacts,
      markers: this.markers,
      meanHrBpm: this.beats === 0 ? null : 60_000 / (this.rrSum / this.beats),
      meanRmssdMs: avg(this.rmssd),
      restingRmssdMs,
      meanCoherence: avg(this.coh),
      meanBreathsPerMin: avg(this.bpm),
    };
  }
}

/** Key numbers of a session from its events (pure; for the list and the progress charts). */
export function summarizeSession(events: readonly StreamRecord[]): SessionSummary {
  const s = new SessionSummarizer();
  for (const e of events) s.add(e.kind, e.tMs, e);
  return s.result();
}

/** A beat with its artifact label, as exports and charts use it. */
export interface LabelledBeat {
  readonly index: number;
  readonly tMs: number;
  readonly rrMs: number;
  readonly afterGap: boolean;
  readonly ppg: boolean;
  /** Artifact class from the live corrector ('none' when untouched). */
  readonly artifact: string;
}

export interface SessionMarker {
  readonly tMs: number;
  readonly label: string;
}

/** Beats in order with their labels (artifact events refer to a beat by 0-based index since the source started). */
export function labelledBeats(events: readonly StreamRecord[]): LabelledBeat[] {
  const beats: LabelledBeat[] = [];
  const labels = new Map<number, string>();
  // Artifact indices count beats since the current source started; a 'device' source event restarts them.
  let base = 0;
  for (const e of events) {
    if (e.kind === 'device' && e.event === 'source') base = beats.length;
    else if (e.kind === 'beat') {
      const rr = num(e.rrMs);
      if (rr !== null) beats.push({ index: beats.length, tMs: e.tMs, rrMs: rr, afterGap: e.afterGap === true, ppg: e.ppg === true, artifact: 'none' });
    } else if (e.kind === 'artifact') {
      const i = num(e.index);
      if (i !== null && typeof e.type === 'string') labels.set(base + i, e.type);
    }
  }
  return beats.map((b) => ({ ...b, artifact: labels.get(b.index) ?? 'none' }));
}

export function sessionMarkers(events: readonly StreamRecord[]): SessionMarker[] {
  return events.filter((e) => e.kind === 'marker').map((e) => ({ tMs: e.tMs, label: typeof e.label === 'string' ? e.label : '' }));
}
