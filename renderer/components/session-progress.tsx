import { useMemo } from 'react';
import uPlot from 'uplot';
import type { SessionListEntry } from '../../shared/session-format/library-types';
import { weeklyProgress } from '../../shared/session-format/weekly-progress';
import { UPlotChart } from './session-charts';

const WEEK_S = 7 * 86_400;
/** x range: the weeks shown plus half a week each side, at least 8 weeks (a single week would otherwise span years). */
function weekRange(firstS: number, lastS: number): [number, number] {
  const pad = Math.max(WEEK_S / 2, (8 * WEEK_S - (lastS - firstS)) / 2);
  return [firstS - pad, lastS + pad];
}

const AXIS = { stroke: '#9fb3c8', grid: { stroke: 'rgba(159,179,200,0.12)' }, ticks: { stroke: 'rgba(159,179,200,0.25)' } };

/** Progress over weeks (uPlot, time axis): resting RMSSD and coherence; minutes practised as bars. */
export function SessionProgress({ sessions }: { readonly sessions: readonly SessionListEntry[] }) {
  const weeks = useMemo(() => weeklyProgress(sessions), [sessions]);
  const hrvData = useMemo<uPlot.AlignedData>(() => [weeks.map((w) => w.weekStartS), weeks.map((w) => w.restingRmssdMs), weeks.map((w) => w.meanCoherence)], [weeks]);
  const minutesData = useMemo<uPlot.AlignedData>(() => [weeks.map((w) => w.weekStartS), weeks.map((w) => w.minutesPractised)], [weeks]);
  const xRange = useMemo(() => weekRange(weeks[0]?.weekStartS ?? 0, weeks[weeks.length - 1]?.weekStartS ?? 0), [weeks]);
  const hrvOpts = useMemo(
    () =>
      (width: number): uPlot.Options => ({
        width,
        height: 160,
        scales: { x: { time: true, range: xRange }, coh: { auto: true } },
        axes: [
          { ...AXIS, label: 'week' },
          { ...AXIS, label: 'RMSSD (ms)', size: 60 },
          { ...AXIS, scale: 'coh', side: 1, label: 'coherence', size: 50, grid: { show: false } },
        ],
        series: [
          { label: 'week of' },
          { label: 'resting RMSSD (ms)', stroke: '#7fc8c0', width: 2, points: { show: true, size: 7 } },
          { label: 'coherence', stroke: '#b9a8e8', width: 2, scale: 'coh', points: { show: true, size: 7 } },
        ],
      }),
    [xRange],
  );
  const minutesOpts = useMemo(
    () =>
      (width: number): uPlot.Options => ({
        width,
        height: 130,
        scales: { x: { time: true, range: xRange }, y: { range: (_u, _min, max) => [0, Math.max(10, max * 1.1)] } },
        axes: [
          { ...AXIS, label: 'week' },
          { ...AXIS, label: 'minutes', size: 60 },
        ],
        series: [{ label: 'week of' }, { label: 'time practised (min)', stroke: '#f3c98b', fill: 'rgba(243,201,139,0.35)', width: 1, paths: uPlot.paths.bars?.({ size: [0.6, 40] }), points: { show: false } }],
      }),
    [xRange],
  );
  if (weeks.length === 0) return <p className="muted">Progress appears here after your first recorded session.</p>;
  const total = weeks.reduce((s, w) => s + w.minutesPractised, 0);
  return (
    <div className="session-progress">
      <UPlotChart options={hrvOpts} data={hrvData} testId="progress-hrv" label={`Resting RMSSD and coherence per week over ${weeks.length} week${weeks.length === 1 ? '' : 's'}`} />
      <UPlotChart options={minutesOpts} data={minutesData} testId="progress-minutes" label={`Time practised per week; ${total.toFixed(0)} minutes in all`} />
    </div>
  );
}
