/**
 * Kubios-compatible RR text: a few header lines, then one RR interval per line in seconds
 * (6 decimals: µs). Kubios HRV reads plain RR text files ("RR interval data in text format":
 * one column, seconds or ms, header lines skipped), and so does `soothe analyze` (format kubios).
 * Every recorded beat is written as measured; Kubios applies its own artifact correction.
 */
import { labelledBeats, type StreamRecord } from '../session-format/session-format';

export function exportKubios(events: readonly StreamRecord[], meta: { readonly sessionId: string; readonly wallClockStartIso: string }): string {
  const beats = labelledBeats(events);
  const lines = [
    'Soothe RR interval export for Kubios HRV',
    `Session: ${meta.sessionId}`,
    `Start: ${meta.wallClockStartIso}`,
    `Beats: ${beats.length}`,
    'RR interval (s)',
    ...beats.map((b) => (b.rrMs / 1000).toFixed(6)),
  ];
  return lines.join('\r\n') + '\r\n';
}
