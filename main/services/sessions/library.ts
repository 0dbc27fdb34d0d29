/**
 * The session library: every folder under <dataDir>/sessions, listed, opened, recovered,
 * renamed, annotated, deleted, imported and exported. Damaged folders (a missing or broken
 * manifest, cut or corrupt lines) are listed with the reason and opened as far as they go;
 * nothing here throws on bad data, only on bad requests.
 */
import { existsSync, readFileSync, readdirSync, rmSync, statSync, openSync, readSync, closeSync, fstatSync, truncateSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import {
  EVENTS_FILE,
  MANIFEST_FILE,
  SESSION_FORMAT,
  parseStream,
  summarizeSession,
  validateManifest,
  type SessionManifest,
  type SessionSummary,
  type StreamRecord,
} from '../../../shared/session-format/session-format';
import type { ImportedSession } from '../../../shared/session-format/import-session';
import { writeJsonAtomic } from '../recorder';
import { deriveMetrics } from './beat-recording';

export interface SessionListItem {
  readonly id: string;
  readonly dir: string;
  /** Null when the manifest is missing or unreadable (then `damaged` says why). */
  readonly manifest: SessionManifest | null;
  readonly summary: SessionSummary | null;
  readonly damaged: readonly string[];
  readonly interrupted: boolean;
  /** Being written right now (this process or another live one). */
  readonly recording: boolean;
  /** Start time for sorting/display (manifest, else the folder's time). */
  readonly wallClockStartIso: string;
}

export interface OpenedSession extends SessionListItem {
  readonly events: StreamRecord[];
  /** Per stream file: lines read, bad lines, cut tail. */
  readonly streams: readonly { readonly file: string; readonly records: number; readonly badLineCount: number; readonly truncatedTail: boolean }[];
}

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export function sessionsRoot(dataDir: string): string {
  return join(dataDir, 'sessions');
}

function checkId(id: unknown): string {
  if (typeof id !== 'string' || !SAFE_ID.test(id) || id.includes('..')) throw new Error('not a session id');
  return id;
}

function readManifest(dir: string): { manifest: SessionManifest | null; problem: string | null } {
  const p = join(dir, MANIFEST_FILE);
  if (!existsSync(p)) return { manifest: null, problem: 'manifest.json is missing' };
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(p, 'utf8'));
  } catch {
    return { manifest: null, problem: 'manifest.json is not valid JSON' };
  }
  const r = validateManifest(v);
  return r.ok ? { manifest: r.manifest, problem: null } : { manifest: null, problem: r.reason };
}

/** Does a stream file end with a complete line? (reads only its last byte) */
function endsCleanly(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return true;
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, size - 1);
    return b[0] === 0x0a;
  } finally {
    closeSync(fd);
  }
}

function streamFiles(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.ndjson')).sort();
  } catch {
    return [];
  }
}

function writerAlive(m: SessionManifest): boolean {
  const w = m.writer;
  if (!w) return false;
  if (w.host !== hostname()) return true; // another machine's process: not ours to judge
  if (w.pid === process.pid) return false; // this process: the caller's active list decides
  try {
    process.kill(w.pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

export class SessionLibrary {
  /** `activeIds`: sessions this process's recorder is writing (never recovered or deleted). */
  constructor(
    readonly dataDir: string,
    private readonly activeIds: () => readonly string[] = () => [],
  ) {}

  dirOf(id: string): string {
    return join(sessionsRoot(this.dataDir), checkId(id));
  }

  private isActive(id: string, m: SessionManifest | null): boolean {
    if (this.activeIds().includes(id)) return true;
    return m?.status === 'recording' && writerAlive(m);
  }

  /** Every session folder, newest first. */
  list(): SessionListItem[] {
    const root = sessionsRoot(this.dataDir);
    let names: string[] = [];
    try {
      names = readdirSync(root).filter((n) => SAFE_ID.test(n) && statSync(join(root, n)).isDirectory());
    } catch {
      return [];
    }
    const items = names.map((id) => this.describe(id, false));
    return items.sort((a, b) => (a.wallClockStartIso < b.wallClockStartIso ? 1 : a.wallClockStartIso > b.wallClockStartIso ? -1 : 0));
  }

  private describe(id: string, full: boolean): OpenedSession {
    const dir = this.dirOf(id);
    return describeSessionDir(dir, full, (m) => this.isActive(id, m), id);
  }

  /** Opens one session: manifest, every derived event it can read, and what was damaged. */
  get(id: string): OpenedSession {
    if (!existsSync(this.dirOf(id))) throw new Error(`no session ${id}`);
    return this.describe(id, true);
  }

  /**
   * Recovers sessions a dead process left in 'recording': each stream's cut last line is dropped
   * (the file is cut back to its last newline) and counted, the summary is computed from what is
   * there, and the manifest says 'interrupted'. Returns the recovered ids.
   */
  recover(): string[] {
    const out: string[] = [];
    const root = sessionsRoot(this.dataDir);
    let names: string[] = [];
    try {
      names = readdirSync(root).filter((n) => SAFE_ID.test(n));
    } catch {
      return out;
    }
    for (const id of names) {
      try {
        const dir = join(root, id);
        const { manifest } = readManifest(dir);
        if (!manifest || manifest.status !== 'recording' || this.isActive(id, manifest)) continue;
        out.push(id);
        recoverSessionDir(dir, manifest);
      } catch {
        // A session that cannot be recovered stays as it is and is listed as damaged.
      }
    }
    return out;
  }

  private update(id: string, patch: (m: SessionManifest) => SessionManifest): SessionManifest {
    const dir = this.dirOf(id);
    const { manifest, problem } = readManifest(dir);
    if (!manifest) throw new Error(`session ${id} cannot be changed: ${problem}`);
    if (this.isActive(id, manifest)) throw new Error('this session is still being recorded');
    const next = patch(manifest);
    writeJsonAtomic(join(dir, MANIFEST_FILE), next);
    return next;
  }

  rename(id: string, name: string): SessionManifest {
    if (typeof name !== 'string' || name.length > 200) throw new Error('a name is text of at most 200 characters');
    return this.update(id, (m) => ({ ...m, name: name.trim() }));
  }

  note(id: string, notes: string): SessionManifest {
    if (typeof notes !== 'string' || notes.length > 20_000) throw new Error('notes are text of at most 20000 characters');
    return this.update(id, (m) => ({ ...m, notes }));
  }

  delete(id: string): { deleted: boolean } {
    const dir = this.dirOf(id);
    if (!existsSync(dir)) return { deleted: false };
    if (this.isActive(id, readManifest(dir).manifest)) throw new Error('this session is still being recorded');
    rmSync(dir, { recursive: true, force: true });
    return { deleted: true };
  }

  /** Writes an imported file as a new, complete session; returns its id. */
  importSession(imp: ImportedSession, wallClockNowIso: string): { sessionId: string; dir: string } {
    const start = imp.wallClockStartIso ?? wallClockNowIso;
    const stem = basename(imp.fileName).replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 40) || 'import';
    let sessionId = `${start.replace(/[:.]/g, '-')}-import-${stem}`;
    for (let k = 2; existsSync(join(sessionsRoot(this.dataDir), sessionId)); k++) sessionId = `${start.replace(/[:.]/g, '-')}-import-${stem}-${k}`;
    return writeSessionDir(join(sessionsRoot(this.dataDir), sessionId), sessionId, { ...imp, events: deriveMetrics(imp.events) }, start);
  }
}

/** Writes a whole session (imports): events first, then the manifest, each fsync'ed. */
export function writeSessionDir(dir: string, sessionId: string, imp: ImportedSession, wallClockStartIso: string): { sessionId: string; dir: string } {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, EVENTS_FILE), imp.events.map((e) => JSON.stringify(e) + '\n').join(''), { flag: 'wx' });
  const manifest: SessionManifest = {
    format: SESSION_FORMAT,
    sessionId,
    ...(imp.name ? { name: imp.name } : {}),
    ...(imp.notes ? { notes: imp.notes } : {}),
    type: 'import',
    source: imp.source,
    wallClockStartIso,
    timeBase: 'tMs = ms since the session origin; imported intervals are placed end to end from 0',
    status: 'complete',
    summary: summarizeSession(imp.events),
    streams: [EVENTS_FILE],
  };
  writeJsonAtomic(join(dir, MANIFEST_FILE), manifest);
  return { sessionId, dir };
}

/** Recovery of one folder (see SessionLibrary.recover). */
export function recoverSessionDir(dir: string, manifest: SessionManifest): SessionManifest {
  let dropped = 0;
  for (const f of streamFiles(dir)) {
    const p = join(dir, f);
    const buf = readFileSync(p);
    const lastNl = buf.lastIndexOf(0x0a);
    if (lastNl !== buf.length - 1) {
      if (buf.subarray(lastNl + 1).toString('utf8').trim() !== '') dropped++;
      truncateSync(p, lastNl + 1);
    }
  }
  const events = existsSync(join(dir, EVENTS_FILE)) ? parseStream(readFileSync(join(dir, EVENTS_FILE), 'utf8')).records : [];
  const { writer: _w, ...rest } = manifest;
  void _w;
  const next: SessionManifest = {
    ...rest,
    status: 'interrupted',
    stopReason: manifest.stopReason ?? 'interrupted',
    recovery: { atIso: new Date().toISOString(), droppedPartialLines: dropped },
    summary: summarizeSession(events),
  };
  writeJsonAtomic(join(dir, MANIFEST_FILE), next);
  return next;
}

/**
 * Reads a session folder (anywhere: `soothe export` takes a path). `full` parses every stream;
 * otherwise only the manifest, the files' last bytes, and events.ndjson when no summary is stored.
 */
export function describeSessionDir(dir: string, full: boolean, isActive: (m: SessionManifest | null) => boolean = () => false, id = basename(dir)): OpenedSession {
  const damaged: string[] = [];
  const { manifest, problem } = readManifest(dir);
  if (problem) damaged.push(problem);
  const files = streamFiles(dir);
  if (!files.includes(EVENTS_FILE)) damaged.push('events.ndjson is missing');
  const recording = isActive(manifest);
  let summary = manifest?.summary ?? null;
  let events: StreamRecord[] = [];
  const streams: { file: string; records: number; badLineCount: number; truncatedTail: boolean }[] = [];
  for (const f of files) {
    if (!full && !recording && !endsCleanly(join(dir, f))) damaged.push(`${f} ends in a cut line`);
  }
  if (full || (!summary && files.includes(EVENTS_FILE))) {
    for (const f of full ? files : [EVENTS_FILE]) {
      let text = '';
      try {
        text = readFileSync(join(dir, f), 'utf8');
      } catch {
        damaged.push(`${f} cannot be read`);
        continue;
      }
      const parsed = parseStream(text, f === EVENTS_FILE);
      streams.push({ file: f, records: parsed.records.length, badLineCount: parsed.badLineCount, truncatedTail: parsed.truncatedTail });
      if (parsed.badLineCount > 0) damaged.push(`${f}: ${parsed.badLineCount} unreadable line(s), skipped (first at line ${parsed.badLines[0]})`);
      if (parsed.truncatedTail && !recording && full) damaged.push(`${f} ends in a cut line (dropped)`);
      if (f === EVENTS_FILE) {
        events = parsed.records;
        if (!summary || recording) summary = summarizeSession(events);
      }
    }
  }
  let start = manifest?.wallClockStartIso;
  if (!start) {
    try {
      start = statSync(dir).mtime.toISOString();
    } catch {
      start = new Date(0).toISOString();
    }
  }
  return {
    id,
    dir,
    manifest,
    summary,
    damaged: [...new Set(damaged)],
    interrupted: manifest?.status === 'interrupted' || (manifest?.status === 'recording' && !recording) || manifest?.status === 'failed',
    recording,
    wallClockStartIso: start,
    events,
    streams,
  };
}
