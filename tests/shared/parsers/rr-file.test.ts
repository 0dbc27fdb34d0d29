import { describe, expect, it } from 'vitest';
import { parseRrFile, RrFileError } from '../../../shared/parsers/rr-file';

describe('parseRrFile', () => {
  it('reads one interval per line in ms, and in s (detected)', () => {
    expect(parseRrFile('800\n810.5\n\n790\n')).toMatchObject({ rrMs: [800, 810.5, 790], format: 'rr-ms' });
    const s = parseRrFile('0.8\r\n0.81\r\n0.79\r\n');
    expect(s.format).toBe('rr-s');
    expect(s.rrMs[1]).toBeCloseTo(810, 9);
    expect(parseRrFile('0.8\n0.9', 'rr-s').rrMs).toEqual([800, 900]);
  });

  it('reads a Kubios-style text export with a header and time + RR columns', () => {
    const text = 'Kubios HRV RR interval data\nRecorded: 2024-01-01\n\n  Time (s)   RR (s)\n  0.812  0.812\n  1.620  0.808\n  2.451  0.831\n';
    const r = parseRrFile(text);
    expect(r.format).toBe('kubios');
    expect(r.rrMs.map((v) => Math.round(v))).toEqual([812, 808, 831]);
  });

  it('reads Polar Sensor Logger (;), HRV Logger and generic CSV exports by header', () => {
    const polar = 'Phone timestamp;RR-interval [ms]\n2024-01-01T10:00:00.000;812\n2024-01-01T10:00:00.812;799\n';
    expect(parseRrFile(polar)).toMatchObject({ rrMs: [812, 799], format: 'csv' });
    const hrvLogger = 'date,rr,since start\n2024-01-01 10:00:00,812,812\n2024-01-01 10:00:01,799,1611\n';
    expect(parseRrFile(hrvLogger).rrMs).toEqual([812, 799]);
    const ours = 'beat_index,r_peak_sample,r_peak_time_s,rr_ms\n1,107,1.07,580.0\n2,167,1.67,600.0\n';
    expect(parseRrFile(ours).rrMs).toEqual([580, 600]);
    expect(parseRrFile('time,RR (s)\n0.8,0.8\n1.6,0.8\n').rrMs).toEqual([800, 800]);
  });

  it("reads a Soothe session's events.ndjson (beats only)", () => {
    const text = '{"kind":"beat","tMs":800,"rrMs":800}\n{"kind":"pacer","tMs":900,"phase":0.1}\n{"kind":"beat","tMs":1610,"rrMs":810}\n';
    expect(parseRrFile(text)).toMatchObject({ rrMs: [800, 810], format: 'soothe' });
  });

  it('names the line of bad input', () => {
    expect(() => parseRrFile('')).toThrow(/no RR intervals/);
    expect(() => parseRrFile('800\n810\nhello\n')).toThrow(/line 3: .*hello/);
    expect(() => parseRrFile('800\n-810\n790\n')).toThrow(/line 2: interval must be positive/);
    expect(() => parseRrFile('800\n810\n\n95000\n')).toThrow(/line 4: interval 95000 ms is outside/);
    expect(() => parseRrFile('date,rr\nx,800\ny,abc\n')).toThrow(/line 3: column "rr" is not a number/);
    try {
      parseRrFile('800\nabc');
    } catch (e) {
      expect(e).toBeInstanceOf(RrFileError);
      expect((e as RrFileError).line).toBe(2);
    }
  });
});
