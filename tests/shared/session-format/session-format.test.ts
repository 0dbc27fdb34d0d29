import { describe, expect, it } from 'vitest';
import { labelledBeats, parseStream, summarizeSession, type StreamRecord } from '../../../shared/session-format/session-format';
import { weekStartMs, weeklyProgress } from '../../../shared/session-format/weekly-progress';
import { importSessionFile } from '../../../shared/session-format/import-session';
import { exportCsv } from '../../../shared/export/export-csv';
import { talTime, utf8 } from '../../../shared/export/export-edf';
import type { SessionListEntry } from '../../../shared/session-format/library-types';

describe('parseStream', () => {
  it('keeps complete lines, counts bad ones and drops a cut tail', () => {
    const p = parseStream('{"kind":"beat","tMs":1,"rrMs":800}\nnot json\n{"kind":"x"}\n\n{"kind":"beat","tMs":2,"rrMs":810}\n{"kind":"beat","tM');
    expect(p.records.map((r) => r.tMs)).toEqual([1, 2]);
    expect(p).toMatchObject({ badLines: [2, 3], badLineCount: 2, truncatedTail: true });
    expect(parseStream('')).toEqual({ records: [], badLines: [], badLineCount: 0, truncatedTail: false });
    expect(parseStream('{"a":1}\n', false).records).toEqual([{ a: 1 }]);
  });
});

describe('labelledBeats and summarizeSession', () => {
  const ev: StreamRecord[] = [
    { kind: 'device', tMs: 0, event: 'source' },
    ...Array.from({ length: 100 }, (_, i) => ({ kind: 'beat', tMs: (i + 1) * 1000, rrMs: i % 2 ? 1010 : 990 })),
    { kind: 'artifact', tMs: 6000, index: 3, type: 'ectopic', originalRrMs: 1010 },
    { kind: 'marker', tMs: 5000, label: 'settling' },
    { kind: 'metric', tMs: 70_000, rmssdMs: 20, coherence: 2, breathsPerMin: 6, artifactPct: 1, unreliable: false },
    { kind: 'metric', tMs: 80_000, rmssdMs: 30, coherence: null, breathsPerMin: null, artifactPct: 1, unreliable: false },
    { kind: 'device', tMs: 100_500, event: 'source' },
    { kind: 'beat', tMs: 101_000, rrMs: 500 },
    { kind: 'artifact', tMs: 101_000, index: 0, type: 'missed', originalRrMs: 500 },
  ];
  it('labels beats by index since their source started', () => {
    const b = labelledBeats(ev);
    expect(b.length).toBe(101);
    expect(b.filter((x) => x.artifact !== 'none').map((x) => [x.index, x.artifact])).toEqual([
      [3, 'ectopic'],
      [100, 'missed'],
    ]);
  });
  it('summarizes: resting RMSSD over the first 2 min without artifacts, means of the metrics', () => {
    const s = summarizeSession(ev);
    expect(s).toMatchObject({ durationMs: 101_000, beats: 101, artifacts: 2, markers: 1, meanRmssdMs: 25, meanCoherence: 2, meanBreathsPerMin: 6 });
    expect(s.restingRmssdMs).toBeCloseTo(20, 9); // every successive difference is 20 ms
  });
});

describe('weeklyProgress', () => {
  it('groups by Monday 00:00 UTC weeks', () => {
    expect(new Date(weekStartMs(Date.parse('2026-11-26T10:00:00Z'))).toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(new Date(weekStartMs(Date.parse('2026-11-23T00:00:00Z'))).toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(new Date(weekStartMs(Date.parse('2026-11-22T23:59:59Z'))).toISOString()).toBe('2026-11-16T00:00:00.000Z');
    const entry = (iso: string, min: number, rmssd: number | null, recording = false): SessionListEntry => ({
      id: iso,
      name: '',
      notes: '',
      type: 'live',
      source: 'x',
      wallClockStartIso: iso,
      status: 'complete',
      summary: { durationMs: min * 60_000, beats: 1, artifacts: 0, markers: 0, meanHrBpm: 60, meanRmssdMs: 1, restingRmssdMs: rmssd, meanCoherence: 1, meanBreathsPerMin: 6 },
      damaged: [],
      interrupted: false,
      recording,
      droppedPartialLines: 0,
    });
    const w = weeklyProgress([entry('2026-11-24T08:00:00Z', 10, 40), entry('2026-11-26T08:00:00Z', 20, 50), entry('2026-11-17T08:00:00Z', 5, null), entry('2026-11-26T09:00:00Z', 99, 99, true)]);
    expect(w).toEqual([
      { weekStartS: Date.parse('2026-11-16T00:00:00Z') / 1000, sessions: 1, minutesPractised: 5, restingRmssdMs: null, meanCoherence: 1 },
      { weekStartS: Date.parse('2026-11-23T00:00:00Z') / 1000, sessions: 2, minutesPractised: 30, restingRmssdMs: 45, meanCoherence: 1 },
    ]);
  });
});

describe('import and CSV', () => {
  it('reads RR files as beats end to end, and a Soothe CSV with quoted labels back', () => {
    expect(importSessionFile('rr.txt', '800\n810\n790\n').events).toEqual([
      { kind: 'beat', tMs: 800, rrMs: 800, source: 'import' },
      { kind: 'beat', tMs: 1610, rrMs: 810, source: 'import' },
      { kind: 'beat', tMs: 2400, rrMs: 790, source: 'import' },
    ]);
    const csv = exportCsv([
      { kind: 'beat', tMs: 800, rrMs: 800 },
      { kind: 'marker', tMs: 900, label: 'a, "quoted"\nlabel' },
    ]);
    const back = importSessionFile('x.csv', csv);
    expect(back.format).toBe('soothe-csv');
    expect(back.events.find((e) => e.kind === 'marker')).toEqual({ kind: 'marker', tMs: 900, label: 'a, "quoted"\nlabel' });
    expect(() => importSessionFile('bad.txt', 'hello\nworld\n')).toThrow(/line 1/);
  });
});

describe('EDF+ helpers', () => {
  it('formats TAL times and encodes UTF-8', () => {
    expect(talTime(0)).toBe('+0');
    expect(talTime(12.5)).toBe('+12.5');
    expect(talTime(-0.25)).toBe('-0.25');
    expect(talTime(0.8125, false)).toBe('0.8125');
    expect(Array.from(utf8('aé€😀'))).toEqual([0x61, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]);
  });
});
