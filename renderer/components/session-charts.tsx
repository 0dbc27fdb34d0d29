import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { labelledBeats, sessionMarkers, type SessionMarker, type StreamRecord } from '../../shared/session-format/session-format';

/**
 * A recorded session's charts, drawn by uPlot (real axes, no hand-drawn ones): tachogram with
 * artifacts, heart rate, RMSSD and coherence, pacer rate; markers as labelled vertical lines on
 * every chart (drawn in a uPlot draw hook at the x axis's own positions).
 */

const AXIS = { stroke: '#9fb3c8', grid: { stroke: 'rgba(159,179,200,0.12)' }, ticks: { stroke: 'rgba(159,179,200,0.25)' } };
const ACCENT = '#7fc8c0';
const WARM = '#f3c98b';
const LAVENDER = '#b9a8e8';

/** uPlot plugin: markers as dashed vertical lines with their labels. */
export function markersPlugin(markers: readonly SessionMarker[]): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        const ctx = u.ctx;
        ctx.save();
        ctx.strokeStyle = WARM;
        ctx.fillStyle = WARM;
        ctx.lineWidth = 1.5 * devicePixelRatio;
        ctx.setLineDash([4 * devicePixelRatio, 4 * devicePixelRatio]);
        ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
        ctx.textAlign = 'left';
        ctx.textBaseline = 'top';
        const top = u.bbox.top;
        const bottom = u.bbox.top + u.bbox.height;
        markers.forEach((m, i) => {
          const x = u.valToPos(m.tMs / 1000, 'x', true);
          if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
          ctx.beginPath();
          ctx.moveTo(x, top);
          ctx.lineTo(x, bottom);
          ctx.stroke();
          // Labels on three staggered rows, so markers close together stay readable.
          ctx.fillText(m.label || 'marker', x + 3 * devicePixelRatio, top + (2 + 13 * (i % 3)) * devicePixelRatio);
        });
        ctx.restore();
      },
    },
  };
}

interface ChartProps {
  readonly options: (width: number) => uPlot.Options;
  readonly data: uPlot.AlignedData;
  readonly label: string;
  readonly testId: string;
}

/** One uPlot chart that follows its container's width; rebuilt when its data change. */
export function UPlotChart({ options, data, label, testId }: ChartProps) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const p = new uPlot(options(el.clientWidth || 600), data, el);
    const ro = new ResizeObserver(() => p.setSize({ width: el.clientWidth, height: p.height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      p.destroy();
    };
  }, [options, data]);
  return <div ref={host} role="img" aria-label={label} data-testid={testId} className="session-chart" />;
}

const base = (width: number, height: number, yLabel: string, markers: readonly SessionMarker[], endS: number): uPlot.Options => ({
  width,
  height,
  legend: { show: true },
  cursor: { drag: { x: true, y: false } },
  // Every chart spans the whole session, so the same moment lines up from chart to chart.
  scales: { x: { time: false, range: [0, Math.max(1, endS)] } },
  axes: [
    { ...AXIS, label: 'session time (s)' },
    { ...AXIS, label: yLabel, size: 60 },
  ],
  series: [{ label: 'time (s)' }],
  plugins: [markersPlugin(markers)],
});

export interface SessionChartData {
  readonly tachogram: uPlot.AlignedData;
  readonly hr: uPlot.AlignedData;
  readonly hrv: uPlot.AlignedData;
  readonly pacer: uPlot.AlignedData;
  readonly markers: SessionMarker[];
  /** Session time of the last event, s. */
  readonly endS: number;
  readonly beats: number;
  readonly artifacts: number;
}

/** The charts' series from a session's events (pure). */
export function sessionChartData(events: readonly StreamRecord[]): SessionChartData {
  const beats = labelledBeats(events);
  const tS = beats.map((b) => b.tMs / 1000);
  const metrics = events.filter((e) => e.kind === 'metric');
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const pacer = events.filter((e) => e.kind === 'pacer' && typeof e.breathsPerMin === 'number');
  const endS = events.reduce((m, e) => Math.max(m, e.tMs), 0) / 1000;
  const pacerT = pacer.map((e) => e.tMs / 1000);
  const pacerV = pacer.map((e) => e.breathsPerMin as number);
  if (pacer.length > 0 && endS > (pacerT[pacerT.length - 1] ?? 0)) {
    pacerT.push(endS);
    pacerV.push(pacerV[pacerV.length - 1] ?? 0);
  }
  return {
    tachogram: [tS, beats.map((b) => b.rrMs), beats.map((b) => (b.artifact === 'none' ? null : b.rrMs))],
    hr: [tS, beats.map((b) => 60_000 / b.rrMs)],
    hrv: [metrics.map((e) => e.tMs / 1000), metrics.map((e) => num(e.rmssdMs)), metrics.map((e) => num(e.coherence))],
    pacer: [pacerT, pacerV],
    markers: sessionMarkers(events),
    endS,
    beats: beats.length,
    artifacts: beats.filter((b) => b.artifact !== 'none').length,
  };
}

export function SessionCharts({ data }: { readonly data: SessionChartData }) {
  const m = data.markers;
  const markerWords = m.length === 0 ? 'no markers' : `${m.length} marker${m.length === 1 ? '' : 's'}`;
  // Built once per marker list, so a chart is rebuilt only when its data change.
  const { tachOpts, hrOpts, hrvOpts, pacerOpts } = useMemo(() => {
    const tachOpts = (w: number): uPlot.Options => {
      const o = base(w, 180, 'interval (ms)', m, data.endS);
      return {
        ...o,
        series: [
          ...o.series,
          { label: 'RR (ms)', stroke: ACCENT, width: 1.5, points: { show: false } },
          { label: 'artifact (as measured)', stroke: WARM, width: 0, paths: () => null, points: { show: true, size: 8, width: 2, stroke: WARM, fill: 'transparent' } },
        ],
      };
    };
    const hrOpts = (w: number): uPlot.Options => {
      const o = base(w, 140, 'beats/min', m, data.endS);
      return { ...o, series: [...o.series, { label: 'heart rate (beats/min)', stroke: ACCENT, width: 1.5, points: { show: false } }] };
    };
    const hrvOpts = (w: number): uPlot.Options => {
      const o = base(w, 160, 'RMSSD (ms)', m, data.endS);
      return {
        ...o,
        scales: { ...o.scales, coh: { auto: true } },
        axes: [...(o.axes ?? []), { ...AXIS, scale: 'coh', side: 1, label: 'coherence', size: 50, grid: { show: false } }],
        series: [
          ...o.series,
          { label: 'RMSSD (ms)', stroke: ACCENT, width: 1.5, points: { show: false } },
          { label: 'coherence', stroke: LAVENDER, width: 1.5, scale: 'coh', points: { show: false } },
        ],
      };
    };
    const pacerOpts = (w: number): uPlot.Options => {
      const o = base(w, 130, 'breaths/min', m, data.endS);
      return { ...o, scales: { ...o.scales, y: { range: (_u, _min, max) => [0, Math.max(10, Math.ceil(max) + 1)] } }, series: [...o.series, { label: 'pacer (breaths/min)', stroke: WARM, width: 1.5, paths: uPlot.paths.stepped?.({ align: 1 }), points: { show: false } }] };
    };
    return { tachOpts, hrOpts, hrvOpts, pacerOpts };
  }, [m, data.endS]);
  return (
    <div className="session-charts">
      <UPlotChart options={tachOpts} data={data.tachogram} testId="session-tachogram" label={`Tachogram: ${data.beats} beats, ${data.artifacts} labelled as artifacts, ${markerWords}`} />
      <UPlotChart options={hrOpts} data={data.hr} testId="session-hr" label={`Heart rate over the session, ${markerWords}`} />
      <UPlotChart options={hrvOpts} data={data.hrv} testId="session-hrv" label={`RMSSD and coherence over the session, ${markerWords}`} />
      <UPlotChart options={pacerOpts} data={data.pacer} testId="session-pacer" label={`Pacer rate over the session, ${markerWords}`} />
    </div>
  );
}
