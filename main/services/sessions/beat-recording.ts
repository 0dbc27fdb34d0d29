/**
 * Headless recording of beats (soothe record): each beat goes through the same live HRV engine
 * as the app (shared/hrv/live-hrv-engine.ts), and the same events the app's session writes
 * (renderer/session/session.ts: beat, artifact, metric) are appended to the recorder.
 */
import { LiveHrvEngine, type LiveHrv } from '../../../shared/hrv/live-hrv-engine';
import type { RecordEvent } from '../../../shared/ipc/contract';
import type { RrInterval } from '../../../shared/types/rr';
import type { StreamRecord } from '../../../shared/session-format/session-format';

export class BeatRecording {
  private readonly engine = new LiveHrvEngine();
  private last: { rmssdMs: number | null; coherence: number | null } = { rmssdMs: null, coherence: null };
  latest: LiveHrv | null = null;
  beats = 0;

  /** The events one beat produces, in the app's shapes. */
  next(rr: RrInterval, extra: Readonly<Record<string, unknown>> = {}): RecordEvent[] {
    const out: RecordEvent[] = [
      { kind: 'beat', tMs: rr.tMs, data: { rrMs: rr.rrMs, source: rr.source, ...(rr.ppg ? { ppg: true } : {}), ...(rr.afterGap ? { afterGap: true } : {}), ...extra } },
    ];
    this.beats++;
    const m = this.engine.next(rr);
    this.latest = m;
    for (const l of m.labels) out.push({ kind: 'artifact', tMs: m.tMs, data: { index: l.index, type: l.type, originalRrMs: l.originalRrMs } });
    const coherence = m.coherence?.ratio ?? null;
    if (m.rmssdMs !== this.last.rmssdMs || coherence !== this.last.coherence) {
      out.push({ kind: 'metric', tMs: m.tMs, data: { rmssdMs: m.rmssdMs, coherence, breathsPerMin: m.rsa?.breathsPerMin ?? null, artifactPct: m.artifactPct, unreliable: m.unreliable } });
      this.last = { rmssdMs: m.rmssdMs, coherence };
    }
    return out;
  }
}

/**
 * For imported beats without metrics (RR files from other apps): the artifact labels and
 * metrics the live engine would have recorded, inserted after each beat, so an import reviews
 * like a recorded session. Events that already carry metrics are returned as they are.
 */
export function deriveMetrics(events: readonly StreamRecord[]): StreamRecord[] {
  if (events.some((e) => e.kind === 'metric') || !events.some((e) => e.kind === 'beat')) return [...events];
  const br = new BeatRecording();
  const out: StreamRecord[] = [];
  for (const e of events) {
    out.push(e);
    if (e.kind !== 'beat' || typeof e.rrMs !== 'number') continue;
    for (const d of br.next({ rrMs: e.rrMs, tMs: e.tMs, source: 'replay', ...(e.afterGap === true ? { afterGap: true } : {}) }).slice(1)) out.push({ kind: d.kind, tMs: d.tMs, ...d.data });
  }
  return out;
}
