/**
 * Replay: a recorded session played back as a BeatSource (kind 'replay'), so its beats go
 * through the same pipeline as a live sensor (artifact correction, HRV, charts, recording), for
 * demos, teaching and re-analysis.
 *
 * Beats keep their recorded intervals and spacing in data time (the HRV windows need that);
 * `speed` only decides how fast they are delivered: beat k is due when the session clock has
 * advanced (beat k's recorded time − the first beat's start) / speed since the replay began.
 */
import { BehaviorSubject, NEVER, Observable, share } from 'rxjs';
import type { BeatSource, SourceStatus } from '../../shared/types/beat-source';
import type { RrInterval } from '../../shared/types/rr';
import { labelledBeats, type StreamRecord } from '../../shared/session-format/session-format';

export interface ReplayOptions {
  /** Session clock, ms (Session.now). */
  readonly clock: () => number;
  /** Delivery speed: 1 = as recorded, 10 = ten times faster. */
  readonly speed: number;
  /** Human name of the recording ("Morning practice", or its date). */
  readonly name: string;
  /** How often due beats are checked, ms of wall time (default 50). */
  readonly tickMs?: number;
}

export interface ReplaySource extends BeatSource {
  /** Beats in the recording. */
  readonly total: number;
}

export function createReplaySource(events: readonly StreamRecord[], opts: ReplayOptions): ReplaySource {
  const beats = labelledBeats(events);
  const first = beats[0];
  const originMs = first ? first.tMs - first.rrMs : 0;
  const status$ = new BehaviorSubject<SourceStatus>({ state: 'streaming', detail: `replaying ${beats.length} beats at ${opts.speed}×` });
  const speed = opts.speed > 0 ? opts.speed : 1;
  let stopped = false;
  const rr$ = new Observable<RrInterval>((sub) => {
    const startMs = opts.clock();
    let k = 0;
    const tick = (): void => {
      const elapsedDataMs = (opts.clock() - startMs) * speed;
      while (k < beats.length && !stopped) {
        const b = beats[k];
        if (!b || b.tMs - originMs > elapsedDataMs) break;
        sub.next({ rrMs: b.rrMs, tMs: startMs + (b.tMs - originMs), source: 'replay', ...(b.ppg ? { ppg: true } : {}), ...(b.afterGap ? { afterGap: true } : {}) });
        k++;
      }
      if (k >= beats.length && !stopped) {
        status$.next({ state: 'stopped', detail: `replay finished (${beats.length} beats)` });
        clearInterval(timer);
        sub.complete();
      }
    };
    const timer = setInterval(tick, opts.tickMs ?? 50);
    return () => clearInterval(timer);
  }).pipe(share());
  return {
    kind: 'replay',
    label: `Replay: ${opts.name}${speed !== 1 ? ` (${speed}×)` : ''}`,
    total: beats.length,
    rr$,
    status$,
    diagnostics$: NEVER,
    stop: async () => {
      stopped = true;
      status$.next({ state: 'stopped', detail: 'replay stopped' });
    },
  };
}
