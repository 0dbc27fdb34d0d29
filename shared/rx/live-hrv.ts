import { Observable, type OperatorFunction } from 'rxjs';
import type { RrInterval } from '../types/rr';
import { LiveHrvEngine, type LiveHrv, type LiveHrvOptions } from '../hrv/live-hrv-engine';

/**
 * The live HRV engine as an operator: artifact-corrected NN beats, RMSSD (60 s), coherence
 * (64 s every 5 s), spectrum (2–5 min), breathing/RSA and artifact share, one snapshot per beat.
 * State lives per subscription (a new engine for each subscriber), windows run on data time.
 */
export function liveHrv(options: Partial<LiveHrvOptions> = {}): OperatorFunction<RrInterval, LiveHrv> {
  return (source) =>
    new Observable<LiveHrv>((subscriber) => {
      const engine = new LiveHrvEngine(options);
      const sub = source.subscribe({
        next: (rr) => subscriber.next(engine.next(rr)),
        error: (e: unknown) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
      return () => {
        sub.unsubscribe();
        engine.reset();
      };
    });
}
