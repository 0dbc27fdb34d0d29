/**
 * Turning a file into a session (pure: text in, events out). Understands:
 *  - Soothe's own JSON export (everything comes back) and CSV export (beats with artifact
 *    labels, metrics, markers);
 *  - a Soothe events.ndjson;
 *  - every RR file `soothe analyze` reads (shared/parsers/rr-file.ts: plain ms/s, Kubios text,
 *    CSV exports of other apps): the intervals become beats placed end to end from time 0.
 */
import { parseRrFile, type RrFileFormat } from '../parsers/rr-file';
import { CSV_HEADER } from '../export/export-csv';
import { JSON_EXPORT_FORMAT, type SessionJsonExport } from '../export/export-json';
import { parseStream, type StreamRecord } from './session-format';

export interface ImportedSession {
  readonly fileName: string;
  /** What the beats came from, for the list ("import: polar.csv (csv)"). */
  readonly source: string;
  readonly name?: string;
  readonly notes?: string;
  readonly wallClockStartIso?: string;
  readonly events: StreamRecord[];
  /** The reader used. */
  readonly format: string;
}

/** RFC 4180 records: quoted cells may hold commas, quotes ("") and line breaks. */
function parseCsvRecords(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') q = false;
      else cur += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      row.push(cur);
      cur = '';
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cur);
      rows.push(row);
      row = [];
      cur = '';
    } else cur += c;
  }
  if (cur !== '' || row.length > 0) {
    row.push(cur);
    rows.push(row);
  }
  return rows;
}

const numOrNull = (s: string | undefined): number | null => (s === undefined || s.trim() === '' ? null : Number(s));

/** Reads Soothe's CSV export back into events. */
export function parseSootheCsv(text: string): StreamRecord[] {
  const rows = parseCsvRecords(text.replace(/^\uFEFF/, ''));
  const events: StreamRecord[] = [];
  let beatIndex = 0;
  rows.slice(1).forEach((c, k) => {
    if (c.length === 1 && (c[0] ?? '').trim() === '') return;
    const tMs = Number(c[0]);
    if (!Number.isFinite(tMs)) throw new Error(`record ${k + 2}: t_ms is not a number`);
    if (c[1] === 'beat') {
      const rrMs = Number(c[2]);
      if (!(rrMs > 0)) throw new Error(`record ${k + 2}: rr_ms is not a positive number`);
      events.push({ kind: 'beat', tMs, rrMs, ...(c[4] === '1' ? { afterGap: true } : {}) });
      if (c[3] && c[3] !== 'none') events.push({ kind: 'artifact', tMs, index: beatIndex, type: c[3], originalRrMs: rrMs });
      beatIndex++;
    } else if (c[1] === 'metric') {
      events.push({ kind: 'metric', tMs, rmssdMs: numOrNull(c[5]), coherence: numOrNull(c[6]), breathsPerMin: numOrNull(c[7]), artifactPct: numOrNull(c[8]) ?? 0 });
    } else if (c[1] === 'marker') {
      events.push({ kind: 'marker', tMs, label: c[9] ?? '' });
    }
  });
  return events;
}

/** Reads a file's text as a session. Throws (with the line) when it is none of the formats. */
export function importSessionFile(fileName: string, text: string, format: RrFileFormat = 'auto'): ImportedSession {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (format === 'auto' && trimmed.startsWith('{"format":"' + JSON_EXPORT_FORMAT)) {
    const j = JSON.parse(text) as SessionJsonExport;
    const m = j.manifest;
    return {
      fileName,
      source: m?.source ?? `import: ${fileName}`,
      ...(m?.name ? { name: m.name } : {}),
      ...(m?.notes ? { notes: m.notes } : {}),
      ...(m?.wallClockStartIso ? { wallClockStartIso: m.wallClockStartIso } : {}),
      events: [...j.events],
      format: 'soothe-json',
    };
  }
  if (format === 'auto' && trimmed.startsWith(CSV_HEADER)) {
    return { fileName, source: `import: ${fileName} (Soothe CSV)`, events: parseSootheCsv(text), format: 'soothe-csv' };
  }
  if ((format === 'auto' && trimmed.startsWith('{')) || format === 'soothe') {
    const parsed = parseStream(text.endsWith('\n') ? text : text + '\n');
    if (parsed.records.length === 0) throw new Error('no Soothe events in this file');
    return { fileName, source: `import: ${fileName} (Soothe events)`, events: parsed.records, format: 'soothe' };
  }
  const rr = parseRrFile(text, format);
  const events: StreamRecord[] = [];
  let tMs = 0;
  for (const rrMs of rr.rrMs) {
    tMs += rrMs;
    events.push({ kind: 'beat', tMs, rrMs, source: 'import' });
  }
  return { fileName, source: `import: ${fileName} (${rr.format})`, events, format: rr.format };
}
