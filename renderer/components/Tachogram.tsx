import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

interface Props {
  readonly tS: readonly number[];
  readonly rrMs: readonly number[];
}

/**
 * Live tachogram (RR interval per beat over the last two minutes), drawn by uPlot: a
 * well-kept, small charting library with real axes; the chart is created once and only its
 * data is replaced on each low-rate UI update.
 */
export function Tachogram({ tS, rrMs }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const axis = { stroke: '#9fb3c8', grid: { stroke: 'rgba(159,179,200,0.12)' }, ticks: { stroke: 'rgba(159,179,200,0.25)' } };
    const p = new uPlot(
      {
        width: el.clientWidth || 600,
        height: 160,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false } },
        axes: [
          { ...axis, label: 'session time (s)' },
          { ...axis, label: 'RR (ms)', size: 56 },
        ],
        series: [{}, { stroke: '#7fc8c0', width: 2, points: { show: false } }],
      },
      [[], []],
      el,
    );
    plot.current = p;
    const ro = new ResizeObserver(() => p.setSize({ width: el.clientWidth, height: 160 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      p.destroy();
      plot.current = null;
    };
  }, []);

  useEffect(() => {
    plot.current?.setData([tS as number[], rrMs as number[]]);
  }, [tS, rrMs]);

  return <div ref={host} className="tachogram" role="img" aria-label={`Tachogram: RR intervals of the last two minutes, ${rrMs.length} beats`} />;
}
