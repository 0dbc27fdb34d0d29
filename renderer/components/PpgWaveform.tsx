import { useEffect, useRef, useSyncExternalStore } from 'react';
import uPlot from 'uplot';
import type { Store } from '../session/store';

type PpgData = { readonly tS: number[]; readonly values: number[]; readonly beatsS: number[] };

/** The raw optical pulse wave of a serial sensor (last 8 s) with detected beats marked. */
export function PpgWaveform({ store }: { readonly store: Store<PpgData> }) {
  const data = useSyncExternalStore(store.subscribe, store.get);
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const axis = { stroke: '#9fb3c8', grid: { stroke: 'rgba(159,179,200,0.12)' } };
    const p = new uPlot(
      {
        width: el.clientWidth || 600,
        height: 120,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false } },
        axes: [{ ...axis, label: 'session time (s)' }, { ...axis, size: 60 }],
        series: [{}, { stroke: '#9fb3c8', width: 1.5, points: { show: false } }, { stroke: '#f3c98b', width: 0, paths: () => null, points: { show: true, size: 8, fill: '#f3c98b' } }],
      },
      [[], [], []],
      el,
    );
    plot.current = p;
    const ro = new ResizeObserver(() => p.setSize({ width: el.clientWidth, height: 120 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      p.destroy();
      plot.current = null;
    };
  }, []);

  useEffect(() => {
    // Beat marks: the waveform value at the sample nearest each beat.
    const marks: (number | null)[] = data.values.map(() => null);
    let j = 0;
    for (const b of data.beatsS) {
      while (j < data.tS.length - 1 && (data.tS[j + 1] ?? 0) <= b) j++;
      if (j < marks.length) marks[j] = data.values[j] ?? null;
    }
    plot.current?.setData([data.tS, data.values, marks]);
  }, [data]);

  return <div ref={host} role="img" data-testid="ppg-waveform" data-samples={data.values.length} aria-label={`Pulse wave, last 8 seconds, ${data.beatsS.length} beats marked`} />;
}
