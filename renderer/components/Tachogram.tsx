import { useMemo, useRef } from 'react';
import type uPlot from 'uplot';
import type { TachogramData } from '../session/session';
import { useUplot } from '../hooks/useUplot';

export const CHART_AXIS = { stroke: '#9fb3c8', grid: { stroke: 'rgba(159,179,200,0.12)' }, ticks: { stroke: 'rgba(159,179,200,0.25)' } } as const;

export interface ChartMarker {
  readonly tMs: number;
  readonly label: string;
}

/** Markers as thin warm vertical lines with their label, drawn after the series. */
function drawMarkers(u: uPlot, markers: readonly ChartMarker[]): void {
  const [xMin, xMax] = [u.scales.x?.min ?? 0, u.scales.x?.max ?? 0];
  const ctx = u.ctx;
  ctx.save();
  ctx.strokeStyle = 'rgba(243, 201, 139, 0.7)';
  ctx.fillStyle = 'rgba(243, 201, 139, 0.9)';
  ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
  for (const m of markers) {
    const tS = m.tMs / 1000;
    if (tS < xMin || tS > xMax) continue;
    const x = u.valToPos(tS, 'x', true);
    ctx.beginPath();
    ctx.moveTo(x, u.bbox.top);
    ctx.lineTo(x, u.bbox.top + u.bbox.height);
    ctx.stroke();
    if (m.label) ctx.fillText(m.label, x + 3 * devicePixelRatio, u.bbox.top + 11 * devicePixelRatio);
  }
  ctx.restore();
}

const options = (markers: { current: readonly ChartMarker[] }): Omit<uPlot.Options, 'width' | 'height'> => ({
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
  hooks: { draw: [(u: uPlot) => drawMarkers(u, markers.current)] },
});

/**
 * Live tachogram (NN interval per beat over the last two minutes) with corrected artifacts
 * marked at their measured value, drawn by uPlot: a well-kept, small charting library with real
 * axes. The chart is created once; each low-rate UI update only replaces its data.
 */
export function Tachogram({ data, ppg, markers = [] }: { readonly data: TachogramData; readonly ppg: boolean; readonly markers?: readonly ChartMarker[] }) {
  // The draw hook reads the latest markers; the chart redraws with each data update (4 Hz).
  const markersRef = useRef(markers);
  markersRef.current = markers;
  const aligned = useMemo(() => [data.tS, data.nnMs, data.artifactMs] as unknown as uPlot.AlignedData, [data]);
  const host = useUplot(() => options(markersRef), 160, aligned);
  const corrected = data.artifactMs.filter((v) => v !== null).length;
  return (
    <div
      ref={host}
      className="tachogram"
      role="img"
      data-testid="tachogram"
      data-corrected={corrected}
      data-markers={markers.length}
      aria-label={`Tachogram: ${ppg ? 'pulse' : 'RR'} intervals of the last two minutes, ${data.nnMs.length} beats, ${corrected} corrected`}
    />
  );
}
