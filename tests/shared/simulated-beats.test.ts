import { describe, expect, it, beforeEach } from 'vitest';
import { TestScheduler } from 'rxjs/testing';
import { take, map } from 'rxjs';
import { simulatedBeats } from '../../shared/rx/simulated-beats';
import { RrSimulator } from '../../shared/sim/rr-simulator';

describe('simulatedBeats (virtual time)', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((a, e) => expect(a).toEqual(e));
  });

  it('emits each beat at the first tick after its data time comes due', () => {
    scheduler.run(({ expectObservable }) => {
      const sim = new RrSimulator({ seed: 1 });
      const ref = new RrSimulator({ seed: 1 });
      const expected = Array.from({ length: 3 }, () => ref.next());
      const beats$ = simulatedBeats(sim, { clock: () => scheduler.now(), tickMs: 50, scheduler }).pipe(
        take(3),
        map((b) => Math.round(b.tMs)),
      );
      // Beat k is emitted at the first 50 ms tick at or after its time.
      const at = expected.map((b) => Math.ceil(b.tMs / 50) * 50);
      const values = expected.map((b) => Math.round(b.tMs));
      const marble = `${at[0]}ms a ${(at[1] ?? 0) - (at[0] ?? 0) - 1}ms b ${(at[2] ?? 0) - (at[1] ?? 0) - 1}ms (c|)`;
      expectObservable(beats$).toBe(marble, { a: values[0], b: values[1], c: values[2] });
    });
  });

  it('plays faster than real time with speed > 1', () => {
    scheduler.run(({ expectObservable }) => {
      const sim = new RrSimulator({ seed: 1 });
      const beats$ = simulatedBeats(sim, { clock: () => scheduler.now(), speed: 10, tickMs: 100, scheduler }).pipe(take(1), map(() => 'x'));
      const first = new RrSimulator({ seed: 1 }).next().tMs;
      const t = Math.ceil(first / 10 / 100) * 100;
      expectObservable(beats$).toBe(`${t}ms (x|)`);
    });
  });

  it('stops its timer on unsubscribe', () => {
    scheduler.run(({ expectObservable }) => {
      const sim = new RrSimulator({ seed: 1 });
      const beats$ = simulatedBeats(sim, { clock: () => scheduler.now(), scheduler });
      expectObservable(beats$, '500ms !').toBe('');
    });
  });
});
