// @vitest-environment node
/** The recorder's stream routing and line shape, read back from the files. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Recorder } from '../../../main/services/recorder';

const lines = (path: string): unknown[] => readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);

describe('Recorder streams', () => {
  it('routes raw BLE packets and serial batches to their own files, keeps a data field named kind, and lists the streams', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'soothe-streams-'));
    const flushed: number[] = [];
    const rec = new Recorder(dataDir, { onFlush: (_id, n) => flushed.push(n), fsyncIntervalMs: 20 });
    const { sessionId, dir } = await rec.start({ source: 'live', wallClockStartIso: '2026-11-26T10:00:00.000Z' });
    await rec.append(sessionId, [
      { kind: 'device', tMs: 1, data: { event: 'source', kind: 'ble', label: 'Polar H10' } },
      { kind: 'raw-ble', tMs: 1012.25, data: { hex: '10 48 ff 03', characteristic: '2a37' } },
      { kind: 'beat', tMs: 1020, data: { rrMs: 800, source: 'ble', tMs: 5 } },
    ]);
    rec.recordSerialSamples({ tMs0: 0, fsHz: 100, firstIndex: 0, values: [500, 501, 502] });
    rec.recordSerialSamples({ tMs0: 30, fsHz: 100, firstIndex: 3, values: [503], afterGap: true });
    await new Promise((r) => setTimeout(r, 100));
    expect(flushed[flushed.length - 1]).toBe(5); // every event is covered by a completed fsync
    expect(rec.summary(sessionId)).toMatchObject({ beats: 1 });
    await rec.stop(sessionId);
    expect(lines(join(dir, 'events.ndjson'))).toEqual([
      { kind: 'device', tMs: 1, event: 'source', label: 'Polar H10', dataKind: 'ble' },
      { kind: 'beat', tMs: 1020, rrMs: 800, source: 'ble', dataTMs: 5 },
    ]);
    expect(lines(join(dir, 'raw-ble.ndjson'))).toEqual([{ kind: 'raw-ble', tMs: 1012.25, hex: '10 48 ff 03', characteristic: '2a37' }]);
    const serial = lines(join(dir, 'raw-serial.ndjson')) as { tMs: number }[];
    expect(serial).toEqual([
      { kind: 'raw-serial', tMs: expect.any(Number), tMs0: 0, fsHz: 100, firstIndex: 0, n: 3, values: [500, 501, 502] },
      { kind: 'raw-serial', tMs: expect.any(Number), tMs0: 30, fsHz: 100, firstIndex: 3, n: 1, afterGap: true, values: [503] },
    ]);
    expect(serial[1]?.tMs).toBeGreaterThanOrEqual(serial[0]?.tMs ?? Infinity); // arrival on a monotonic clock
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ status: 'complete', streams: ['events.ndjson', 'raw-ble.ndjson', 'raw-serial.ndjson'], summary: { beats: 1 } });
    expect(manifest.writer).toBeUndefined();
    await expect(rec.append(sessionId, [{ kind: 'beat', tMs: 1, data: {} }])).rejects.toThrow(/no open recording/);
  });

  it('refuses events without a kind or a finite time, and a folder that already holds a session', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'soothe-streams-'));
    const rec = new Recorder(dataDir);
    const { sessionId, dir } = await rec.start({ source: 'live', wallClockStartIso: '2026-11-26T10:00:00.000Z' });
    await expect(rec.append(sessionId, [{ kind: 'beat', tMs: Number.NaN, data: {} }])).rejects.toThrow(/finite tMs/);
    await expect(rec.append(sessionId, [{ tMs: 1, data: {} } as never])).rejects.toThrow(/string kind/);
    await rec.stop(sessionId);
    await expect(new Recorder(dataDir).startAt(dir, { source: 'x', wallClockStartIso: '2026-11-26T10:00:00.000Z' })).rejects.toThrow(/already holds a session/);
  });
});
