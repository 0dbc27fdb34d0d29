/**
 * JSON export: everything in one file: the manifest, every derived event, and the raw streams
 * (serial sample batches, BLE packets) exactly as recorded.
 */
import type { SessionManifest, StreamRecord } from '../session-format/session-format';

export const JSON_EXPORT_FORMAT = 'soothe-session-export/1';

export interface SessionJsonExport {
  readonly format: typeof JSON_EXPORT_FORMAT;
  readonly manifest: SessionManifest | null;
  readonly events: readonly StreamRecord[];
  /** Raw streams by file name (raw-serial.ndjson, raw-ble.ndjson). */
  readonly raw: Readonly<Record<string, readonly Readonly<Record<string, unknown>>[]>>;
}

export function exportJson(manifest: SessionManifest | null, events: readonly StreamRecord[], raw: SessionJsonExport['raw']): string {
  const out: SessionJsonExport = { format: JSON_EXPORT_FORMAT, manifest, events, raw };
  return JSON.stringify(out) + '\n';
}
