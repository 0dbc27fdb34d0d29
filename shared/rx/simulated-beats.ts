import { Observable, type SchedulerLike, asyncScheduler } from 'rxjs';
import type { RrInterval } from '../types/rr';
import type { RrSimulator } from '../sim/rr-simulator';

/**
 * Emits a simulator's beats as their data time comes due on `clock` (ms), checked every
 * `tickMs` of scheduler time. `speed` > 1 plays the simulated session faster than real time
 * (data time = speed × elapsed clock time), for demos and accelerated tests.
 *
 * The clock is injected: production passes performance.now, tests a virtual clock.
 */
export function simulatedBeats(
  sim: RrSimulator,
  opts: { readonly clock: () => number; readonly speed?: number; readonly tickMs?: number; readonly scheduler?: SchedulerLike },
): Observable<RrInterval> {
  const speed = opts.speed ?? 1;
  const tickMs = opts.tickMs ?? 50;
  const scheduler = opts.scheduler ?? asyncScheduler;
  return new Observable<RrInterval>((subscriber) => {
    const t0 = opts.clock();
    const dataStart = sim.lastBeatMs;
    let pending = sim.next();
    const emitDue = (): void => {
      const dataNow = dataStart + (opts.clock() - t0) * speed;
      while (pending.tMs <= dataNow && !subscriber.closed) {
        subscriber.next(pending);
        pending = sim.next();
      }
    };
    const action = scheduler.schedule(function tick() {
      emitDue();
      this.schedule(undefined, tickMs);
    }, tickMs);
    return () => action.unsubscribe();
  });
}
