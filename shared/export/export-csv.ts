/**
 * CSV export of a session (RFC 4180, comma-separated, '.' decimals, one header row): one row
 * per beat, metric and marker in time order, so a researcher can filter by `type`.
 *
 *   t_ms        session time, ms (monotonic; see docs/session-format.md)
 *   type        beat | metric | marker
 *   rr_ms       beat: the interval as measured, ms (full precision)
 *   artifact    beat: artifact class from the live corrector (none, ectopic, missed, extra, long-short, outlier)
 *   after_gap   beat: 1 when the interval follows a gap in the data (do not difference across it)
 *   rmssd_ms, coherence, breaths_per_min, artifact_pct   metric rows (empty while collecting)
 *   label       marker: its label
 */
import { labelledBeats, sessionMarkers, type StreamRecord } from '../session-format/session-format';

export const CSV_HEADER = 't_ms,type,rr_ms,artifact,after_gap,rmssd_ms,coherence,breaths_per_min,artifact_pct,label';

const cell = (v: unknown): string => (typeof v === 'number' && Number.isFinite(v) ? String(v) : '');
const quote = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function exportCsv(events: readonly StreamRecord[]): string {
  const rows: { tMs: number; order: number; text: string }[] = [];
  labelledBeats(events).forEach((b, i) => rows.push({ tMs: b.tMs, order: i, text: `${b.tMs},beat,${b.rrMs},${b.artifact},${b.afterGap ? 1 : 0},,,,,` }));
  let k = rows.length;
  for (const e of events) {
    if (e.kind !== 'metric') continue;
    rows.push({ tMs: e.tMs, order: k++, text: `${e.tMs},metric,,,,${cell(e.rmssdMs)},${cell(e.coherence)},${cell(e.breathsPerMin)},${cell(e.artifactPct)},` });
  }
  for (const m of sessionMarkers(events)) rows.push({ tMs: m.tMs, order: k++, text: `${m.tMs},marker,,,,,,,,${quote(m.label)}` });
  rows.sort((a, b) => a.tMs - b.tMs || a.order - b.order);
  return [CSV_HEADER, ...rows.map((r) => r.text)].join('\r\n') + '\r\n';
}
