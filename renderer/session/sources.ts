/**
 * Beat sources the session can switch between. Each one is a BeatSource (shared/types), so the
 * pipeline after it never learns which device produced the beats.
 */
import { BehaviorSubject, NEVER, Subject, share, type Observable } from 'rxjs';
import type { SootheApi } from '../../shared/ipc/contract';
import type { BeatSource, SourceDiagnostic, SourceStatus } from '../../shared/types/beat-source';
import type { RrInterval } from '../../shared/types/rr';
import type { SerialOpenRequest, SerialSamplesBatch, SerialStatus } from '../../shared/types/serial-ppg';
import { RrSimulator } from '../../shared/sim/rr-simulator';
import { simulatedBeats } from '../../shared/rx/simulated-beats';
import { SQI_ACCEPTABLE } from '../../shared/signal/ppg-peaks';

export interface SimulatorSource extends BeatSource {
  readonly sim: RrSimulator;
}

export function createSimulatorSource(seed: number, clock: () => number, startMs: number): SimulatorSource {
  const sim = new RrSimulator({ seed, startMs });
  const status$ = new BehaviorSubject<SourceStatus>({ state: 'streaming', detail: 'built-in simulator' });
  return {
    kind: 'simulator',
    label: 'Simulator',
    sim,
    rr$: simulatedBeats(sim, { clock }).pipe(share()),
    status$,
    diagnostics$: NEVER,
    stop: async () => status$.next({ state: 'stopped' }),
  };
}

/** A serial PPG sensor opened by the main-process service, seen through the contract. */
export interface SerialSource extends BeatSource {
  readonly samples$: Observable<SerialSamplesBatch>;
  readonly serialStatus$: Observable<SerialStatus | null>;
}

/**
 * Opens a serial PPG sensor. The service's data time starts at its `open()`; the renderer shifts
 * it by the session time at which the open was requested, so beats land on the session's clock.
 */
export async function openSerialSource(api: SootheApi, req: SerialOpenRequest, sessionNowMs: number): Promise<SerialSource> {
  const offsetMs = sessionNowMs;
  const serialStatus$ = new BehaviorSubject<SerialStatus | null>(null);
  const status$ = new BehaviorSubject<SourceStatus>({ state: 'connecting', detail: `Opening ${req.path}…` });
  const diagnostics$ = new Subject<SourceDiagnostic>();
  const rr$ = new Subject<RrInterval>();
  const samples$ = new Subject<SerialSamplesBatch>();
  const offs: (() => void)[] = [];
  const toStatus = (s: SerialStatus): SourceStatus => {
    switch (s.state) {
      case 'streaming':
        return {
          state: 'streaming',
          detail:
            s.recentSqi !== undefined && s.recentSqi !== null && s.recentSqi < SQI_ACCEPTABLE
              ? `${s.message} Signal quality is too low to trust HRV right now: keep the finger still and the sensor snug.`
              : s.message,
        };
      case 'opening':
      case 'detecting':
        return { state: 'connecting', detail: s.message };
      case 'waiting-for-device':
        return { state: 'reconnecting', detail: s.message, attempt: 1 };
      case 'closed':
        return { state: 'stopped', detail: s.message };
      default:
        return { state: 'error', message: s.message };
    }
  };
  let lastGaps = 0;
  offs.push(
    api.on('serial:status', (s) => {
      serialStatus$.next(s);
      status$.next(toStatus(s));
      if (s.counts.gaps > lastGaps) diagnostics$.next({ kind: 'gap', message: s.message });
      lastGaps = s.counts.gaps;
      if (s.warning) diagnostics$.next({ kind: 'quality', message: s.warning });
    }),
    api.on('serial:beats', (b) => {
      for (const rr of b.rr) rr$.next({ ...rr, tMs: rr.tMs + offsetMs });
    }),
    api.on('serial:samples', (b) => samples$.next({ ...b, tMs0: b.tMs0 + offsetMs })),
  );
  const opened = await api.invoke('serial:open', req);
  if (!opened.ok) {
    for (const off of offs) off();
    throw new Error(opened.error);
  }
  serialStatus$.next(opened.value);
  status$.next(toStatus(opened.value));
  return {
    kind: 'serial-ppg',
    label: `Pulse sensor on ${req.path}`,
    rr$: rr$.asObservable(),
    status$,
    diagnostics$: diagnostics$.asObservable(),
    samples$: samples$.asObservable(),
    serialStatus$,
    stop: async () => {
      for (const off of offs) off();
      await api.invoke('serial:close');
      status$.next({ state: 'stopped', detail: `${req.path} closed` });
      rr$.complete();
      samples$.complete();
    },
  };
}
