import { useEffect, useRef } from 'react';
import type { Observable } from 'rxjs';

/** Samples arriving in chunks (a BLE frame's worth), on one clock, ms. */
export interface StripChunk {
  readonly tMs: readonly number[];
  readonly values: readonly number[];
}

export interface LiveStripProps {
  readonly source$: Observable<StripChunk>;
  /** Time span shown, ms (the right edge is the newest sample). */
  readonly windowMs: number;
  /** Samples kept (≥ window × rate). */
  readonly capacity: number;
  /** Accessible name of the picture. */
  readonly label: string;
  readonly height?: number;
  /** A reference curve in 0–1 at a time (e.g. the pacer's lung-volume cue), drawn faint behind the trace. */
  readonly reference?: (tMs: number) => number;
  /** Event times to tick on the strip (e.g. R-peaks). */
  readonly marks$?: Observable<number>;
  /** Redraws per second (at most; one per second when the person prefers reduced motion). */
  readonly redrawHz?: number;
  readonly testId?: string;
}

/**
 * A scrolling strip chart on a canvas. Samples go into typed ring buffers outside React and the
 * canvas is redrawn on a timer at a few Hz, so a 130 Hz ECG costs no React renders at all
 * (a render per sample would swamp a 2-core machine). The trace is scaled to its own range in the
 * window.
 */
export function LiveStrip({ source$, windowMs, capacity, label, height = 80, reference, marks$, redrawHz = 4, testId }: LiveStripProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const refFn = useRef(reference);
  refFn.current = reference;

  useEffect(() => {
    const t = new Float64Array(capacity);
    const v = new Float64Array(capacity);
    let n = 0; // total samples written
    const marks: number[] = [];
    let dirty = false;
    const sub = source$.subscribe((c) => {
      for (let i = 0; i < c.tMs.length; i++) {
        const k = n % capacity;
        t[k] = c.tMs[i] as number;
        v[k] = c.values[i] as number;
        n++;
      }
      dirty = true;
    });
    if (marks$)
      sub.add(
        marks$.subscribe((m) => {
          marks.push(m);
          if (marks.length > 64) marks.shift();
        }),
      );
    const reduced = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
    const everyMs = 1000 / Math.max(0.2, reduced ? Math.min(1, redrawHz) : redrawHz);
    let colours: { trace: string; ref: string; mark: string } | null = null; // read once (a style read forces a recalc)
    const draw = (): void => {
      const cv = canvas.current;
      if (!cv || !dirty || n === 0) return;
      dirty = false;
      const dpr = typeof devicePixelRatio === 'number' ? devicePixelRatio : 1;
      const w = Math.max(1, Math.round(cv.clientWidth * dpr));
      const h = Math.max(1, Math.round(height * dpr));
      if (cv.width !== w) cv.width = w;
      if (cv.height !== h) cv.height = h;
      const ctx = cv.getContext('2d');
      if (!ctx) return;
      if (!colours) {
        const css = getComputedStyle(cv);
        const colour = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
        colours = { trace: colour('--accent', '#7fc8c0'), ref: colour('--muted', '#9fb3c8'), mark: colour('--warm', '#f3c98b') };
      }
      ctx.clearRect(0, 0, w, h);
      const newest = t[(n - 1) % capacity] as number;
      const from = newest - windowMs;
      const first = Math.max(0, n - capacity);
      let lo = Infinity;
      let hi = -Infinity;
      let start = n;
      for (let i = n - 1; i >= first; i--) {
        const k = i % capacity;
        if ((t[k] as number) < from) break;
        start = i;
        const x = v[k] as number;
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
      const xOf = (tm: number): number => ((tm - from) / windowMs) * w;
      const pad = 4 * dpr;
      // Ticks get their own band at the top, so a tall trace never hides them.
      const top = marks$ ? 9 * dpr : pad;
      const ref = refFn.current;
      if (ref) {
        ctx.strokeStyle = colours.ref;
        ctx.globalAlpha = 0.5;
        ctx.lineWidth = 1.5 * dpr;
        ctx.beginPath();
        for (let px = 0; px <= w; px += 2 * dpr) {
          const y = h - pad - ref(from + (px / w) * windowMs) * (h - pad - top);
          if (px === 0) ctx.moveTo(px, y);
          else ctx.lineTo(px, y);
        }
        ctx.stroke();
        ctx.globalAlpha = 1;
      }
      ctx.strokeStyle = colours.mark;
      ctx.lineWidth = 1 * dpr;
      let ticks = 0;
      for (const m of marks) {
        if (m < from || m > newest) continue;
        ticks++;
        const x = xOf(m);
        ctx.beginPath();
        ctx.moveTo(x, 0);
        ctx.lineTo(x, 7 * dpr);
        ctx.stroke();
      }
      if (start >= n || !(hi > lo)) return;
      ctx.strokeStyle = colours.trace;
      ctx.lineWidth = 1.5 * dpr;
      ctx.beginPath();
      for (let i = start; i < n; i++) {
        const k = i % capacity;
        const x = xOf(t[k] as number);
        const y = h - pad - (((v[k] as number) - lo) / (hi - lo)) * (h - pad - top);
        if (i === start) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      }
      ctx.stroke();
      cv.dataset['samples'] = String(n - start);
      cv.dataset['marks'] = String(ticks);
    };
    const timer = setInterval(draw, everyMs);
    return () => {
      clearInterval(timer);
      sub.unsubscribe();
    };
  }, [source$, marks$, windowMs, capacity, height, redrawHz]);

  return <canvas ref={canvas} className="live-strip" role="img" aria-label={label} data-testid={testId} style={{ width: '100%', height: `${height}px`, display: 'block' }} />;
}
