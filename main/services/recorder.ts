/**
 * Session recorder: one folder per session with a JSON manifest and an append-only NDJSON
 * event stream, readable without Soothe.
 *
 *   <dataDir>/sessions/<sessionId>/manifest.json   { format, sessionId, source, wallClockStartIso, ... }
 *   <dataDir>/sessions/<sessionId>/events.ndjson   one JSON object per line: { kind, tMs, ...data }
 *
 * Time base: `tMs` is data time in ms since the session's origin (the renderer's monotonic
 * clock at start); `wallClockStartIso` in the manifest anchors it to the wall clock.
 * Appends are written through immediately (the OS flushes to disk; issue #7 adds fsync cadence
 * and crash recovery). A write error (e.g. ENOSPC) is reported to the caller, never swallowed.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordEvent } from '../../shared/ipc/contract';

export const SESSION_FORMAT = 'soothe-session/1';

interface OpenSession {
  readonly dir: string;
  readonly handle: FileHandle;
  events: number;
}

export class Recorder {
  private readonly sessions = new Map<string, OpenSession>();

  constructor(private readonly dataDir: string) {}

  async start(meta: { source: string; wallClockStartIso: string }): Promise<{ sessionId: string; dir: string }> {
    const stamp = meta.wallClockStartIso.replace(/[:.]/g, '-');
    const sessionId = `${stamp}-${randomUUID().slice(0, 8)}`;
    const dir = join(this.dataDir, 'sessions', sessionId);
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, 'manifest.json'),
      JSON.stringify({ format: SESSION_FORMAT, sessionId, source: meta.source, wallClockStartIso: meta.wallClockStartIso, timeBase: 'ms since session origin (monotonic)' }, null, 2),
    );
    const handle = await open(join(dir, 'events.ndjson'), 'a');
    this.sessions.set(sessionId, { dir, handle, events: 0 });
    return { sessionId, dir };
  }

  async append(sessionId: string, events: readonly RecordEvent[]): Promise<{ written: number }> {
    const s = this.sessions.get(sessionId);
    if (!s) throw new Error(`no open recording ${sessionId}`);
    if (events.length === 0) return { written: 0 };
    let text = '';
    for (const e of events) text += JSON.stringify({ kind: e.kind, tMs: e.tMs, ...e.data }) + '\n';
    await s.handle.appendFile(text);
    s.events += events.length;
    return { written: events.length };
  }

  async stop(sessionId: string): Promise<{ events: number }> {
    const s = this.sessions.get(sessionId);
    if (!s) throw new Error(`no open recording ${sessionId}`);
    this.sessions.delete(sessionId);
    await s.handle.sync();
    await s.handle.close();
    return { events: s.events };
  }

  async closeAll(): Promise<void> {
    for (const id of [...this.sessions.keys()]) await this.stop(id);
  }
}
