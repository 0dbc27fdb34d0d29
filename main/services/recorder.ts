/**
 * Session recorder: one folder per session, append-only NDJSON streams and an atomically
 * rewritten JSON manifest (format: shared/session-format/session-format.ts, docs/session-format.md).
 *
 * Crash safety:
 *  - every append is written to the file at once (write(2), in order, one line per event), so
 *    the data leave the process immediately; dirty files are fsync'ed every FSYNC_INTERVAL_MS;
 *  - the manifest says `status: 'recording'` and names the writing process until `stop()`; a
 *    session left in that state by a dead process is recovered on the next start
 *    (main/services/sessions/library.ts): its cut last line is dropped and counted and it is
 *    marked interrupted;
 *  - the manifest is replaced with temp file + fsync + rename, so it is the old or the new one,
 *    never half of each. Nothing outside the session's own folder is ever written.
 * A write error (ENOSPC: disk full, EIO, …) stops that recording: the file is cut back to its
 * last complete line, the error is returned to the caller with a clear message, and what was
 * written stays readable. Other sessions are never touched.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, fsync, fsyncSync, ftruncateSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { RecordEvent } from '../../shared/ipc/contract';
import type { SerialSamplesBatch } from '../../shared/types/serial-ppg';
import {
  EVENTS_FILE,
  MANIFEST_FILE,
  RAW_SERIAL_FILE,
  RAW_STREAM_OF_KIND,
  SESSION_FORMAT,
  SessionSummarizer,
  type SessionManifest,
  type SessionSummary,
  type SessionType,
} from '../../shared/session-format/session-format';

export { SESSION_FORMAT };

/** Dirty streams are fsync'ed at least this often, ms (the issue asks for ≤ 1 s). */
export const FSYNC_INTERVAL_MS = 500;

interface StreamFile {
  readonly fd: number;
  /** Bytes known to be complete lines on disk (the cut-back point after a failed write). */
  bytes: number;
  dirty: boolean;
}

interface ActiveSession {
  readonly id: string;
  readonly dir: string;
  manifest: SessionManifest;
  readonly files: Map<string, StreamFile>;
  /** performance.now() at the session origin (the main process's monotonic clock). */
  readonly originMs: number;
  events: number;
  /** Events handed to write(2) and covered by the last completed fsync. */
  durableEvents: number;
  error: string | null;
  readonly summary: SessionSummarizer;
  lastTMs: number;
}

export interface RecorderOptions {
  /** Called after each completed fsync with the number of events then safely on disk. */
  readonly onFlush?: (sessionId: string, durableEvents: number) => void;
  /** Injected for tests of full-disk handling: the write used for stream appends. */
  readonly write?: (fd: number, buf: Uint8Array, offset: number, length: number) => number;
  readonly fsyncIntervalMs?: number;
}

export interface StartMeta {
  readonly source: string;
  readonly wallClockStartIso: string;
  readonly type?: SessionType;
  readonly name?: string;
}

/** Writes a JSON file so that a crash leaves either the old or the new content. */
export function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    const buf = Buffer.from(JSON.stringify(value, null, 2) + '\n');
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  fsyncDir(dirname(path));
}

/** Makes a folder's entries (new files, renames) durable; best effort (not every OS allows it). */
export function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Windows cannot open a folder for fsync; its rename is durable enough there.
  }
}

const describeError = (e: unknown): string => {
  const code = (e as { code?: string }).code;
  if (code === 'ENOSPC') return 'the disk is full (ENOSPC)';
  if (code === 'EDQUOT') return 'the disk quota is used up (EDQUOT)';
  if (code === 'EIO') return 'the disk reported an input/output error (EIO)';
  return e instanceof Error ? e.message : String(e);
};

/**
 * One stream line: { kind, tMs, ...data }. A data field named `kind` or `tMs` would hide the
 * event's own, so it is stored as `dataKind` / `dataTMs` (docs/session-format.md).
 */
export function toLine(e: RecordEvent): Record<string, unknown> {
  const { kind, tMs, ...rest } = e.data as { kind?: unknown; tMs?: unknown };
  return { kind: e.kind, tMs: e.tMs, ...rest, ...(kind !== undefined ? { dataKind: kind } : {}), ...(tMs !== undefined ? { dataTMs: tMs } : {}) };
}

export class Recorder {
  private readonly sessions = new Map<string, ActiveSession>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly write: NonNullable<RecorderOptions['write']>;

  constructor(
    private readonly dataDir: string,
    private readonly opts: RecorderOptions = {},
  ) {
    this.write = opts.write ?? ((fd, buf, off, len) => writeSync(fd, buf, off, len));
  }

  /** Session ids being written by this process (the library never recovers these). */
  activeIds(): string[] {
    return [...this.sessions.keys()];
  }

  /** Starts a session in <dataDir>/sessions/<new id>. */
  async start(meta: StartMeta): Promise<{ sessionId: string; dir: string }> {
    const stamp = meta.wallClockStartIso.replace(/[:.]/g, '-');
    const sessionId = `${stamp}-${randomUUID().slice(0, 8)}`;
    return this.startAt(join(this.dataDir, 'sessions', sessionId), meta, sessionId);
  }

  /** Starts a session in exactly `dir` (soothe record --out); refuses a folder that already holds one. */
  async startAt(dir: string, meta: StartMeta, sessionId: string = randomUUID()): Promise<{ sessionId: string; dir: string }> {
    mkdirSync(dir, { recursive: true });
    const manifest: SessionManifest = {
      format: SESSION_FORMAT,
      sessionId,
      ...(meta.name ? { name: meta.name } : {}),
      type: meta.type ?? 'live',
      source: meta.source,
      wallClockStartIso: meta.wallClockStartIso,
      timeBase: 'tMs = ms since the session origin on a monotonic clock; wallClockStartIso = wall clock at the origin',
      status: 'recording',
      writer: { pid: process.pid, host: hostname() },
      streams: [EVENTS_FILE],
    };
    let fd: number;
    try {
      fd = openSync(join(dir, EVENTS_FILE), 'wx');
    } catch (e) {
      if ((e as { code?: string }).code === 'EEXIST') throw new Error(`${dir} already holds a session; choose a new folder`);
      throw new Error(`could not start the recording in ${dir}: ${describeError(e)}`);
    }
    try {
      writeJsonAtomic(join(dir, MANIFEST_FILE), manifest);
    } catch (e) {
      closeSync(fd);
      throw new Error(`could not start the recording in ${dir}: ${describeError(e)}`);
    }
    fsyncDir(dir);
    fsyncDir(dirname(dir)); // the session folder itself survives a power loss
    const s: ActiveSession = {
      id: sessionId,
      dir,
      manifest,
      files: new Map([[EVENTS_FILE, { fd, bytes: 0, dirty: false }]]),
      originMs: performance.now(),
      events: 0,
      durableEvents: 0,
      error: null,
      summary: new SessionSummarizer(),
      lastTMs: 0,
    };
    this.sessions.set(sessionId, s);
    this.ensureTimer();
    return { sessionId, dir };
  }

  /** Main-process monotonic time of a session, ms since its origin. */
  sessionNowMs(sessionId: string): number {
    const s = this.sessions.get(sessionId);
    return s ? performance.now() - s.originMs : 0;
  }

  async append(sessionId: string, events: readonly RecordEvent[]): Promise<{ written: number }> {
    return this.appendSync(sessionId, events);
  }

  /** Appends events now (synchronous write, in order). Raw kinds go to their own stream file. */
  appendSync(sessionId: string, events: readonly RecordEvent[]): { written: number } {
    const s = this.sessions.get(sessionId);
    if (!s) throw new Error(`no open recording ${sessionId}`);
    if (s.error) throw new Error(s.error);
    if (events.length === 0) return { written: 0 };
    const byFile = new Map<string, string>();
    for (const e of events) {
      if (typeof e?.kind !== 'string' || !Number.isFinite(e.tMs)) throw new Error('each event needs a string kind and a finite tMs');
      const file = RAW_STREAM_OF_KIND[e.kind] ?? EVENTS_FILE;
      const line = JSON.stringify(toLine(e)) + '\n';
      byFile.set(file, (byFile.get(file) ?? '') + line);
      if (file === EVENTS_FILE) s.summary.add(e.kind, e.tMs, e.data);
      if (e.tMs > s.lastTMs) s.lastTMs = e.tMs;
    }
    for (const [file, text] of byFile) this.writeStream(s, file, text);
    s.events += events.length;
    return { written: events.length };
  }

  /** Records a raw serial sample batch (main-process arrival time `rxMs`, the sensor's own indices and times). */
  recordSerialSamples(batch: SerialSamplesBatch): void {
    for (const s of this.sessions.values()) {
      if (s.error) continue;
      const rxMs = performance.now() - s.originMs;
      try {
        this.appendSync(s.id, [
          {
            kind: 'raw-serial',
            tMs: rxMs,
            data: { tMs0: batch.tMs0, fsHz: batch.fsHz, firstIndex: batch.firstIndex, n: batch.values.length, ...(batch.afterGap ? { afterGap: true } : {}), values: batch.values },
          },
        ]);
      } catch {
        // The session's error is set and reported on its next append from the renderer.
      }
    }
  }

  private writeStream(s: ActiveSession, file: string, text: string): void {
    let f = s.files.get(file);
    if (!f) {
      try {
        f = { fd: openSync(join(s.dir, file), 'a'), bytes: 0, dirty: false };
        fsyncDir(s.dir);
      } catch (e) {
        this.fail(s, e);
        throw new Error(s.error ?? 'recording stopped');
      }
      s.files.set(file, f);
      s.manifest = { ...s.manifest, streams: [...s.manifest.streams, file] };
      try {
        writeJsonAtomic(join(s.dir, MANIFEST_FILE), s.manifest);
      } catch (e) {
        this.fail(s, e);
        throw new Error(s.error ?? 'recording stopped');
      }
    }
    const buf = Buffer.from(text);
    let off = 0;
    try {
      while (off < buf.length) off += this.write(f.fd, buf, off, buf.length - off);
    } catch (e) {
      // Cut a partly written batch back to the last complete line, so the file stays clean.
      try {
        ftruncateSync(f.fd, f.bytes);
      } catch {
        // The reader drops an unterminated last line anyway.
      }
      this.fail(s, e);
      throw new Error(s.error ?? 'recording stopped');
    }
    f.bytes += buf.length;
    f.dirty = true;
  }

  private fail(s: ActiveSession, e: unknown): void {
    const why = describeError(e);
    s.error = `${why}; the recording stopped at ${(s.lastTMs / 1000).toFixed(1)} s and what was written before is kept in ${s.dir}`;
    for (const f of s.files.values()) {
      try {
        fsyncSync(f.fd);
      } catch {
        // best effort
      }
    }
    const code = (e as { code?: string }).code;
    s.manifest = { ...s.manifest, status: 'failed', stopReason: code === 'ENOSPC' ? 'disk-full' : why, wallClockEndIso: new Date().toISOString(), summary: s.summary.result() };
    try {
      writeJsonAtomic(join(s.dir, MANIFEST_FILE), s.manifest);
    } catch {
      // Disk still full: the old manifest (status 'recording') stays and recovery finishes the job.
    }
  }

  /** fsyncs every dirty stream now; resolves when the data are on disk. */
  async flush(sessionId?: string): Promise<void> {
    const list = sessionId ? [this.sessions.get(sessionId)].filter((s): s is ActiveSession => !!s) : [...this.sessions.values()];
    await Promise.all(list.map((s) => this.flushSession(s)));
  }

  private async flushSession(s: ActiveSession): Promise<void> {
    const events = s.events;
    const dirty = [...s.files.values()].filter((f) => f.dirty);
    for (const f of dirty) f.dirty = false;
    await Promise.all(
      dirty.map(
        (f) =>
          new Promise<void>((res) =>
            fsync(f.fd, (err) => {
              if (err) f.dirty = true;
              res();
            }),
          ),
      ),
    );
    if (events > s.durableEvents && !dirty.some((f) => f.dirty)) {
      s.durableEvents = events;
      this.opts.onFlush?.(s.id, events);
    }
  }

  private ensureTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.opts.fsyncIntervalMs ?? FSYNC_INTERVAL_MS);
    this.timer.unref?.();
  }

  async stop(sessionId: string): Promise<{ events: number }> {
    const s = this.sessions.get(sessionId);
    if (!s) throw new Error(`no open recording ${sessionId}`);
    this.sessions.delete(sessionId);
    if (this.sessions.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
    for (const f of s.files.values()) {
      try {
        fsyncSync(f.fd);
      } catch {
        // reported below through the manifest write, if the disk is gone
      }
      closeSync(f.fd);
    }
    if (!s.error) {
      const { writer: _writer, ...rest } = s.manifest;
      void _writer;
      s.manifest = { ...rest, status: 'complete', wallClockEndIso: new Date().toISOString(), summary: s.summary.result() };
      writeJsonAtomic(join(s.dir, MANIFEST_FILE), s.manifest);
    }
    return { events: s.events };
  }

  /** The running summary of an open session (for status lines). */
  summary(sessionId: string): SessionSummary | null {
    return this.sessions.get(sessionId)?.summary.result() ?? null;
  }

  async closeAll(): Promise<void> {
    for (const id of [...this.sessions.keys()]) await this.stop(id);
  }
}

export { RAW_SERIAL_FILE };
