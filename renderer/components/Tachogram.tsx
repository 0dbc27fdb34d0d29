import { useMemo } from 'react';
import type uPlot from 'uplot';
import type { TachogramData } from '../session/session';
import { useUplot } from '../hooks/useUplot';

export const CHART_AXIS = { stroke: '#9fb3c8', grid: { stroke: 'rgba(159,179,200,0.12)' }, ticks: { stroke: 'rgba(159,179,200,0.25)' } } as const;

const options = (): Omit<uPlot.Options, 'width' | 'height'> => ({
  legend: { show: false },
  cursor: { show: false },
  scales: { x: { time: false } },
  axes: [
    { ...CHART_AXIS, label: 'session time (s)' },
    { ...CHART_AXIS, label: 'interval (ms)', size: 56, space: 24 },
  ],
  series: [
    {},
    { label: 'NN', stroke: '#7fc8c0', width: 2, points: { show: false } },
    // Artifacts: the measured value of each corrected beat, as a warm open ring (never red).
    { label: 'corrected beat', stroke: '#f3c98b', width: 0, paths: () => null, points: { show: true, size: 9, width: 2, stroke: '#f3c98b', fill: 'transparent' } },
  ],
});

/**
 * Live tachogram (NN interval per beat over the last two minutes) with corrected artifacts
 * marked at their measured value, drawn by uPlot: a well-kept, small charting library with real
 * axes. The chart is created once; each low-rate UI update only replaces its data.
 */
export function Tachogram({ data, ppg }: { readonly data: TachogramData; readonly ppg: boolean }) {
  const aligned = useMemo(() => [data.tS, data.nnMs, data.artifactMs] as unknown as uPlot.AlignedData, [data]);
  const host = useUplot(options, 160, aligned);
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
