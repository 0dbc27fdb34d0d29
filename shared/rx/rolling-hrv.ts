import { Observable, type OperatorFunction } from 'rxjs';
import type { RrInterval } from '../types/rr';
import { RollingRmssd, type RollingRmssdOutput } from '../hrv/rolling-rmssd';

/**
 * RMSSD and heart rate over a sliding window of data time, one output per beat.
 * State lives per subscription (two subscribers never share a window).
 */
export function rollingHrv(windowMs: number): OperatorFunction<RrInterval, RollingRmssdOutput> {
  return (source) =>
    new Observable<RollingRmssdOutput>((subscriber) => {
      const proc = new RollingRmssd(windowMs);
      return source.subscribe({
        next: (rr) => subscriber.next(proc.next(rr)),
        error: (e: unknown) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
    });
}
