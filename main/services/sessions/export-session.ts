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
import { EVENTS_FILE, parseStream } from '../../../shared/session-format/session-format';
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
      return exportEdf(s.events, meta);
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

/** A file name for the export: the session's name or id, safe on every OS. */
export function exportFileName(s: OpenedSession, format: ExportFormat): string {
  const base = (s.manifest?.name || s.id).replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'session';
  return `soothe-${base}${EXPORT_EXTENSION[format]}`;
}
