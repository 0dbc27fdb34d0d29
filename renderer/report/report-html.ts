/**
 * The report as one self-contained HTML file (inline styles, the chart as an embedded PNG), for
 * sharing with a client or attaching to notes. Plain text is escaped; nothing is fetched.
 */
import type { SessionReport } from '../../shared/report/session-report';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
const f = (v: number | null, d = 0): string => (v === null ? '—' : v.toFixed(d));
const mmss = (s: number): string => `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}`;

export function reportToHtml(opts: { title: string; startedIso: string; report: SessionReport; chartPng: string | null; clientCode: string | null }): string {
  const r = opts.report;
  const rows = r.phases
    .map(
      (p) =>
        `<tr><td>${esc(p.title)}</td><td>${mmss(p.durationS)}</td><td>${f(p.meanHrBpm)}</td><td>${f(p.meanRmssdMs)}</td><td>${f(p.meanCoherence, 2)}</td><td>${f(p.meanBreathsPerMin, 1)}</td><td>${p.nearPacerShare === null ? '—' : `${Math.round(100 * p.nearPacerShare)} %`}</td><td>${p.artifacts} (${p.artifactPct.toFixed(1)} %)</td><td>${p.meanReward === null ? '—' : Math.round(100 * p.meanReward)}</td></tr>`,
    )
    .join('\n');
  const markers = r.markers.map((m) => `<li>${mmss(m.tS)} ${esc(m.label)}${m.category ? ` <small>(${esc(m.category)})</small>` : ''}</li>`).join('\n');
  const notes = r.notes.map((n) => `<p>${esc(n)}</p>`).join('\n');
  const ratings = r.ratings.map((x) => `<li>${esc(x.when)}: ${Object.entries(x.values).map(([k, v]) => `${esc(k)} ${v}/10`).join(', ')}</li>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(opts.title)}</title>
<style>
body{font-family:system-ui,sans-serif;color:#1d2b3a;margin:24px;max-width:1000px}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.4em}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ccd6e0;padding:4px 6px;text-align:left;font-variant-numeric:tabular-nums}
small{color:#5b6b7c}.disclaimer{color:#5b6b7c;font-size:.85rem;margin-top:2em}img{max-width:100%}
</style></head><body>
<h1>${esc(opts.title)}</h1>
<p>Started ${esc(new Date(opts.startedIso).toLocaleString())}${opts.clientCode ? ` · client ${esc(opts.clientCode)}` : ''} · ${mmss(r.durationS)} recorded</p>
<h2>Phases</h2>
<table><thead><tr><th>Phase</th><th>Duration</th><th>Mean HR (/min)</th><th>RMSSD (ms)</th><th>Coherence</th><th>Breathing (/min)</th><th>Near the pacer</th><th>Artifacts corrected</th><th>Reward</th></tr></thead>
<tbody>${rows}</tbody></table>
${opts.chartPng ? `<h2>Heart rate and RMSSD</h2><img alt="Heart rate and RMSSD over the session with markers" src="${opts.chartPng}">` : ''}
<h2>Markers</h2><ul>${markers || '<li>none</li>'}</ul>
<h2>Self-ratings</h2><ul>${ratings || '<li>none</li>'}</ul>
<h2>Notes</h2>${notes || '<p>none</p>'}
<p class="disclaimer">RMSSD and coherence are the means of the live values (60 s and 64 s windows, after artifact correction); "near the pacer" is the share of breathing-rate estimates within ±0.5 breaths/min of the pacer. Soothe is a training tool, not a medical device.</p>
</body></html>`;
}
