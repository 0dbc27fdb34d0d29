import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { TachogramData } from '../session/session';

/**
 * Live tachogram (NN interval per beat over the last two minutes) with corrected artifacts
 * marked at their measured value, drawn by uPlot: a well-kept, small charting library with real
 * axes. The chart is created once; each low-rate UI update only replaces its data.
 */
export function Tachogram({ data, ppg }: { readonly data: TachogramData; readonly ppg: boolean }) {
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
          { ...axis, label: 'interval (ms)', size: 56, space: 24 },
        ],
        series: [
          {},
          { label: 'NN', stroke: '#7fc8c0', width: 2, points: { show: false } },
          // Artifacts: the measured value of each corrected beat, as a warm open ring (never red).
          { label: 'corrected beat', stroke: '#f3c98b', width: 0, paths: () => null, points: { show: true, size: 9, width: 2, stroke: '#f3c98b', fill: 'transparent' } },
        ],
      },
      [[], [], []],
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
    plot.current?.setData([data.tS as number[], data.nnMs as number[], data.artifactMs as (number | null)[]]);
  }, [data]);

  const corrected = data.artifactMs.filter((v) => v !== null).length;
  return (
    <div
      ref={host}
      className="tachogram"
      role="img"
      data-testid="tachogram"
      data-corrected={corrected}
      aria-label={`Tachogram: ${ppg ? 'pulse' : 'RR'} intervals of the last two minutes, ${data.nnMs.length} beats, ${corrected} corrected`}
    />
  );
}
