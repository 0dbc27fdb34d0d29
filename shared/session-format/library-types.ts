/** What the session library sends over the contract (plain data; see main/services/sessions/library.ts). */
import type { SessionManifest, SessionSummary, StreamRecord } from './session-format';

export interface SessionListEntry {
  readonly id: string;
  /** The person's name for it, else empty (the UI shows the date). */
  readonly name: string;
  readonly notes: string;
  readonly type: SessionManifest['type'] | 'unknown';
  readonly source: string;
  readonly wallClockStartIso: string;
  readonly status: SessionManifest['status'] | 'unknown';
  readonly summary: SessionSummary | null;
  /** Why the session is damaged (empty when it is fine); it still opens as far as it can. */
  readonly damaged: readonly string[];
  readonly interrupted: boolean;
  readonly recording: boolean;
  /** Cut last lines dropped by recovery. */
  readonly droppedPartialLines: number;
}

export interface SessionDetail extends SessionListEntry {
  /** Derived events (events.ndjson), as far as readable. */
  readonly events: readonly StreamRecord[];
}

export type SessionExportFormat = 'csv' | 'json' | 'kubios' | 'edf';

export interface SessionExportFile {
  readonly fileName: string;
  readonly mime: string;
  /** File content, base64 (EDF is binary). */
  readonly base64: string;
  readonly bytes: number;
}
