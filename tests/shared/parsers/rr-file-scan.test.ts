import { describe, expect, it } from 'vitest';
import { parseRrFile } from '../../../shared/parsers/rr-file';
import { createRng } from '../../../shared/sim/prng';

// The plain one-interval-per-line reader scans numbers itself (no split, no regex per line). Its
// values must be exactly what Number() gives for the same text, and every line it does not read
// itself must go through the general rules unchanged.

describe('parseRrFile, plain lines', () => {
  it('reads decimals exactly as Number() does (up to 15 digits, comma or point, signs, padding)', () => {
    const rng = createRng(2024);
    const texts: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const intPart = String(100 + Math.floor(rng.uniform() * 1900));
      const fracDigits = Math.floor(rng.uniform() * 12);
      const frac = Array.from({ length: fracDigits }, () => String(Math.floor(rng.uniform() * 10))).join('');
      const sep = rng.uniform() < 0.2 ? ',' : '.';
      const lead = rng.uniform() < 0.1 ? '00' : '';
      const sign = rng.uniform() < 0.1 ? '+' : '';
      const pad = (): string => (rng.uniform() < 0.2 ? (rng.uniform() < 0.5 ? ' ' : '\t') : '');
      texts.push(`${pad()}${sign}${lead}${intPart}${fracDigits > 0 || rng.uniform() < 0.1 ? sep : ''}${frac}${pad()}`);
    }
    const eol = ['\n', '\r\n', '\r'];
    const text = texts.map((t, i) => t + eol[i % 3]).join('');
    const r = parseRrFile(text);
    expect(r.rrMs).toHaveLength(texts.length);
    texts.forEach((t, i) => expect(r.rrMs[i]).toBe(Number(t.trim().replace(',', '.'))));
    expect(r.lines?.slice(0, 4)).toEqual([1, 2, 3, 4]);
  });

  it('leaves longer numbers, exponents, quotes and other blanks to the general rules', () => {
    const r = parseRrFile('\uFEFF812.1234567890123456\n8.12e2\n"799"\n\u00a0805\u00a0\n\n 0000000000000000000812.5\n');
    expect(r.rrMs).toEqual([Number('812.1234567890123456'), 812, 799, 805, 812.5]);
    expect(r.lines).toEqual([1, 2, 3, 4, 6]);
  });

  it('still names the first bad line, whichever path read it', () => {
    expect(() => parseRrFile('800\n810\n812 813\n')).toThrow(/line 3: expected one RR interval/);
    expect(() => parseRrFile('800\r\n810\r\n-5\r\n')).toThrow(/line 3: interval must be positive, got -5/);
    expect(() => parseRrFile('800\n1e-400\n')).toThrow(/line 2: interval must be positive, got 0/);
    expect(() => parseRrFile('800\n\n20000\n90000\n')).toThrow(/line 3: interval 20000 ms is outside/);
    // Seconds are detected from the median and checked after conversion.
    expect(parseRrFile('0.8\n0.81\n0,79\n').rrMs).toEqual([800, 810, 790]);
    expect(() => parseRrFile('0.8\n0.81\n12\n0.79\n')).toThrow(/line 3: interval 12 s is outside/);
  });
});
