import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ViewProps } from './view-props';
import type { SessionDetail } from '../../shared/session-format/library-types';
import { buildSessionReport, type ReportEvent } from '../../shared/report/session-report';
import { ReportCharts } from '../components/ReportCharts';
import { reportToHtml } from '../report/report-html';

const f = (v: number | null, d = 0): string => (v === null ? '—' : v.toFixed(d));
const mmss = (s: number): string => `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}`;

/** Which session to report on: `?session=<id>`, else the one being recorded. */
function sessionIdFromUrl(fallback: string | null): string | null {
  return new URLSearchParams(location.search).get('session') ?? fallback;
}

/**
 * The after-session report: per-phase table, charts with markers, notes and ratings; printable
 * (print stylesheet; Electron's print-to-PDF uses the same) and exportable as one HTML file.
 */
export function ReportView({ session, api }: ViewProps) {
  const [detail, setDetail] = useState<SessionDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [chartPng, setChartPng] = useState<string | null>(null);
  const id = sessionIdFromUrl(session.recordingId);

  useEffect(() => {
    let alive = true;
    void (async () => {
      if (!id) return setError('No session to report on yet.');
      if (id === session.recordingId) await session.flush();
      const r = await api.invoke('sessions:get', id);
      if (!alive) return;
      if (r.ok) setDetail(r.value);
      else setError(r.error);
    })();
    return () => {
      alive = false;
    };
  }, [api, id, session]);

  const events = useMemo(() => (detail?.events ?? []) as readonly ReportEvent[], [detail]);
  const report = useMemo(() => buildSessionReport(events), [events]);
  const clientCode = useMemo(() => {
    const c = events.find((e) => e.kind === 'client');
    return c && typeof c.code === 'string' ? c.code : null;
  }, [events]);
  const onImage = useCallback((png: string) => setChartPng(png), []);
  const title = detail ? detail.name || `Session of ${new Date(detail.wallClockStartIso).toLocaleDateString()}` : 'Session report';

  const exportHtml = (): void => {
    if (!detail) return;
    const html = reportToHtml({ title, startedIso: detail.wallClockStartIso, report, chartPng, clientCode });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
    a.download = `soothe-report-${detail.id}.html`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  };

  // The report replaces the screen it was opened from (whose button is gone): the focus moves to its title.
  const heading = useRef<HTMLHeadingElement>(null);
  const loaded = detail !== null;
  useEffect(() => {
    if (loaded) heading.current?.focus();
  }, [loaded]);

  if (error) return <p role="alert">{error}</p>;
  if (!detail) return <p aria-live="polite">Loading the report…</p>;
  return (
    <article className="report" aria-label="Session report" data-testid="report">
      <h2 tabIndex={-1} ref={heading}>
        {title}
      </h2>
      <p className="muted">
        Started {new Date(detail.wallClockStartIso).toLocaleString()}
        {clientCode ? ` · client ${clientCode}` : ''} · {mmss(report.durationS)} recorded
      </p>
      <div className="buttons no-print">
        <button
          type="button"
          onClick={() =>
            // Electron prints to a PDF file itself (printToPDF); the browser edition opens the print dialog.
            void api.invoke('report:print-pdf', detail.id).then((r) => {
              if (!r.ok) window.print();
            })
          }
        >
          Print or save as PDF
        </button>
        <button type="button" onClick={exportHtml}>
          Export as HTML
        </button>
      </div>
      <table className="report-table">
        <caption>Per phase</caption>
        <thead>
          <tr>
            <th scope="col">Phase</th>
            <th scope="col">Duration</th>
            <th scope="col">Mean HR (/min)</th>
            <th scope="col">RMSSD (ms)</th>
            <th scope="col">Coherence</th>
            <th scope="col">Breathing (/min)</th>
            <th scope="col">Near the pacer</th>
            <th scope="col">Artifacts corrected</th>
            <th scope="col">Reward</th>
          </tr>
        </thead>
        <tbody>
          {report.phases.map((p, i) => (
            <tr key={i} data-testid="report-phase">
              <th scope="row">{p.title}</th>
              <td>{mmss(p.durationS)}</td>
              <td>{f(p.meanHrBpm)}</td>
              <td>{f(p.meanRmssdMs)}</td>
              <td>{f(p.meanCoherence, 2)}</td>
              <td>{f(p.meanBreathsPerMin, 1)}</td>
              <td>{p.nearPacerShare === null ? '—' : `${Math.round(100 * p.nearPacerShare)} %`}</td>
              <td>
                {p.artifacts} ({p.artifactPct.toFixed(1)} %)
              </td>
              <td>{p.meanReward === null ? '—' : Math.round(100 * p.meanReward)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ReportCharts events={events} onImage={onImage} />
      <h3>Markers</h3>
      <ul data-testid="report-markers">
        {report.markers.map((m, i) => (
          <li key={i}>
            {mmss(m.tS)} {m.label}
          </li>
        ))}
      </ul>
      <h3>Self-ratings</h3>
      <ul>
        {report.ratings.length === 0 ? <li>none</li> : null}
        {report.ratings.map((r, i) => (
          <li key={i}>
            {r.when}:{' '}
            {Object.entries(r.values)
              .map(([k, v]) => `${k} ${v}/10`)
              .join(', ')}
          </li>
        ))}
      </ul>
      <h3>Notes</h3>
      {report.notes.length === 0 ? <p>none</p> : report.notes.map((n, i) => <p key={i}>{n}</p>)}
      <p className="muted">
        RMSSD and coherence are the means of the live values (60 s and 64 s windows, after artifact correction); “near the pacer” is the share of
        breathing-rate estimates within ±0.5 breaths/min of the pacer. Soothe is a training tool, not a medical device.
      </p>
    </article>
  );
}
