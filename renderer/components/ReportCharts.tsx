import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import type { ReportEvent } from '../../shared/report/session-report';

/**
 * Heart rate and RMSSD over the session with phase and other markers as vertical lines, drawn by
 * uPlot (real axes). `onImage` receives the chart as a PNG data URL for the HTML export.
 */
export function ReportCharts({ events, onImage }: { readonly events: readonly ReportEvent[]; readonly onImage?: (dataUrl: string) => void }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const metrics = events.filter((e) => e.kind === 'metric');
    const beats = events.filter((e) => e.kind === 'beat' && typeof e.rrMs === 'number');
    // One x axis: the metric times; HR per metric time = mean of the beats since the previous metric.
    const xs: number[] = [];
    const hr: (number | null)[] = [];
    const rmssd: (number | null)[] = [];
    let bi = 0;
    for (const m of metrics) {
      let sum = 0;
      let n = 0;
      while (bi < beats.length && (beats[bi]?.tMs ?? 0) <= m.tMs) {
        sum += beats[bi]?.rrMs as number;
        n++;
        bi++;
      }
      xs.push(m.tMs / 1000);
      hr.push(n > 0 ? 60_000 / (sum / n) : null);
      rmssd.push(typeof m.rmssdMs === 'number' ? m.rmssdMs : null);
    }
    const markers = events.filter((e) => e.kind === 'marker');
    const axis = { stroke: '#4a5d73', grid: { stroke: 'rgba(74,93,115,0.15)' } };
    const drawMarkers = (u: uPlot): void => {
      const ctx = u.ctx;
      ctx.save();
      ctx.strokeStyle = '#c9954d';
      ctx.fillStyle = '#7a5a2e';
      ctx.font = `${11 * devicePixelRatio}px sans-serif`;
      for (const m of markers) {
        const x = u.valToPos(m.tMs / 1000, 'x', true);
        ctx.beginPath();
        ctx.moveTo(x, u.bbox.top);
        ctx.lineTo(x, u.bbox.top + u.bbox.height);
        ctx.stroke();
        ctx.fillText(String(m.label ?? ''), x + 3, u.bbox.top + 12 * devicePixelRatio);
      }
      ctx.restore();
    };
    const p = new uPlot(
      {
        width: el.clientWidth || 700,
        height: 220,
        legend: { live: false },
        cursor: { show: false },
        scales: { x: { time: false }, hr: {}, ms: {} },
        axes: [
          { ...axis, label: 'session time (s)' },
          { ...axis, scale: 'hr', label: 'heart rate (beats/min)' },
          { ...axis, scale: 'ms', side: 1, label: 'RMSSD (ms)', grid: { show: false } },
        ],
        series: [{}, { label: 'Heart rate', scale: 'hr', stroke: '#3f7f78', width: 2 }, { label: 'RMSSD', scale: 'ms', stroke: '#b07a35', width: 2 }],
        hooks: { draw: [drawMarkers] },
      },
      [xs, hr, rmssd],
      el,
    );
    onImage?.(p.ctx.canvas.toDataURL('image/png'));
    // Follows its container's width (a narrow or zoomed window: no sideways scrolling).
    const ro = new ResizeObserver(() => {
      if (el.clientWidth > 0 && el.clientWidth !== p.width) p.setSize({ width: el.clientWidth, height: p.height });
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      p.destroy();
    };
  }, [events, onImage]);
  return <div ref={host} className="report-chart" role="img" aria-label="Heart rate and RMSSD over the session, with markers" />;
}
