/**
 * Exports an opened session in one of the open formats (shared/export): CSV, JSON, Kubios RR
 * text, EDF+. JSON also carries the raw streams, read here from the session folder.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportCsv } from '../../../shared/export/export-csv';
import { exportJson } from '../../../shared/export/export-json';
import { exportKubios } from '../../../shared/export/export-kubios';
import { exportEdf } from '../../../shared/export/export-edf';
import { ecgFromRawBle, exportEcgCsv, type EcgSeries } from '../../../shared/export/ecg-series';
import { EVENTS_FILE, RAW_BLE_FILE, parseStream } from '../../../shared/session-format/session-format';
import type { OpenedSession } from './library';

export const EXPORT_FORMATS = ['csv', 'json', 'kubios', 'edf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_EXTENSION: Record<ExportFormat, string> = { csv: '.csv', json: '.json', kubios: '.txt', edf: '.edf' };
export const EXPORT_MIME: Record<ExportFormat, string> = { csv: 'text/csv', json: 'application/json', kubios: 'text/plain', edf: 'application/octet-stream' };

export function isExportFormat(v: unknown): v is ExportFormat {
  return typeof v === 'string' && (EXPORT_FORMATS as readonly string[]).includes(v);
}

export function exportSession(s: OpenedSession, format: ExportFormat): Uint8Array {
  const meta = { sessionId: s.id, wallClockStartIso: s.wallClockStartIso };
  switch (format) {
    case 'csv':
      return Buffer.from(exportCsv(s.events));
    case 'kubios':
      return Buffer.from(exportKubios(s.events, meta));
    case 'edf':
      return exportEdf(s.events, meta, sessionEcg(s) ?? undefined);
    case 'json': {
      const raw: Record<string, Readonly<Record<string, unknown>>[]> = {};
      for (const st of s.streams) {
        if (st.file === EVENTS_FILE) continue;
        try {
          raw[st.file] = parseStream(readFileSync(join(s.dir, st.file), 'utf8'), false).records;
        } catch {
          raw[st.file] = [];
        }
      }
      return Buffer.from(exportJson(s.manifest, s.events, raw));
    }
  }
}

/** The session's raw ECG (Polar H10), decoded from raw-ble.ndjson; null when it has none. */
export function sessionEcg(s: OpenedSession): EcgSeries | null {
  if (!s.streams.some((st) => st.file === RAW_BLE_FILE)) return null;
  let records: Readonly<Record<string, unknown>>[];
  try {
    records = parseStream(readFileSync(join(s.dir, RAW_BLE_FILE), 'utf8'), false).records;
  } catch {
    return null;
  }
  const ecg = ecgFromRawBle(records);
  return ecg.runs.length ? ecg : null;
}

/** The ECG CSV that goes beside a CSV export (shared/export/ecg-series.ts), or null without ECG. */
export function exportSessionEcgCsv(s: OpenedSession): Uint8Array | null {
  const ecg = sessionEcg(s);
  return ecg ? Buffer.from(exportEcgCsv(ecg)) : null;
}

/** Where the ECG CSV goes: beside the main file, "-ecg" before the extension. */
export function ecgCsvPath(out: string): string {
  return /\.csv$/i.test(out) ? out.replace(/\.csv$/i, '-ecg.csv') : `${out}-ecg.csv`;
}

/** A file name for the export: the session's name or id, safe on every OS. */
export function exportFileName(s: OpenedSession, format: ExportFormat): string {
  const base = (s.manifest?.name || s.id).replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'session';
  return `soothe-${base}${EXPORT_EXTENSION[format]}`;
}
