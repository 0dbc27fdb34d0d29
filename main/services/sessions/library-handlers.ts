/**
 * The 'sessions:*' contract handlers over a SessionLibrary (plain data in and out; every
 * argument checked, since it arrives from the renderer).
 */
import type { Invokes } from '../../../shared/ipc/contract';
import type { SessionDetail, SessionListEntry } from '../../../shared/session-format/library-types';
import { importSessionFile } from '../../../shared/session-format/import-session';
import type { SessionLibrary, SessionListItem } from './library';
import { exportFileName, exportSession, isExportFormat, EXPORT_MIME } from './export-session';

type SessionChannels = 'sessions:list' | 'sessions:get' | 'sessions:rename' | 'sessions:note' | 'sessions:delete' | 'sessions:export' | 'sessions:import';
export type SessionHandlers = { [K in SessionChannels]: (...a: Parameters<Invokes[K]>) => Promise<ReturnType<Invokes[K]>> };

/** Largest file accepted by 'sessions:import', characters. */
export const MAX_IMPORT_CHARS = 64 * 1024 * 1024;

export function toEntry(s: SessionListItem): SessionListEntry {
  const m = s.manifest;
  return {
    id: s.id,
    name: m?.name ?? '',
    notes: m?.notes ?? '',
    type: m?.type ?? 'unknown',
    source: m?.source ?? 'unknown',
    wallClockStartIso: s.wallClockStartIso,
    status: m?.status ?? 'unknown',
    summary: s.summary,
    damaged: s.damaged,
    interrupted: s.interrupted,
    recording: s.recording,
    droppedPartialLines: m?.recovery?.droppedPartialLines ?? 0,
  };
}

export function createSessionHandlers(lib: SessionLibrary): SessionHandlers {
  return {
    'sessions:list': async () => lib.list().map(toEntry),
    'sessions:get': async (id) => {
      const s = lib.get(id);
      const detail: SessionDetail = { ...toEntry(s), events: s.events };
      return detail;
    },
    'sessions:rename': async (id, name) => ({ name: lib.rename(id, name).name ?? '' }),
    'sessions:note': async (id, notes) => ({ notes: lib.note(id, notes).notes ?? '' }),
    'sessions:delete': async (id) => lib.delete(id),
    'sessions:export': async (id, format) => {
      if (!isExportFormat(format)) throw new Error('format must be csv, json, kubios or edf');
      const s = lib.get(id);
      const data = exportSession(s, format);
      return { fileName: exportFileName(s, format), mime: EXPORT_MIME[format], base64: Buffer.from(data).toString('base64'), bytes: data.length };
    },
    'sessions:import': async (fileName, text) => {
      if (typeof fileName !== 'string' || fileName.length > 300 || typeof text !== 'string') throw new Error('sessions:import needs a file name and its text');
      if (text.length > MAX_IMPORT_CHARS) throw new Error('the file is too large to import (64 MB at most)');
      const imp = importSessionFile(fileName, text);
      const { sessionId } = lib.importSession(imp, new Date().toISOString());
      return { sessionId, beats: imp.events.filter((e) => e.kind === 'beat').length };
    },
  };
}
