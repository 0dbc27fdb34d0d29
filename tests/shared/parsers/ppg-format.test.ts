import { describe, expect, it } from 'vitest';
import { detectPpgFormat, NO_DATA_MESSAGE, PpgLineParser, type PpgFormat } from '../../../shared/parsers/ppg-format';
import { PPG_LINE_EXAMPLES as EX } from '../../fixtures/ppg-lines';

const detect = (lines: readonly string[], opts = {}): PpgFormat => {
  const d = detectPpgFormat(lines, opts);
  if (!d.ok) throw new Error(d.message);
  return d.format;
};
const values = (format: PpgFormat, lines: readonly string[]): number[] => {
  const p = new PpgLineParser(format);
  return lines.map((l) => p.parse(l)).flatMap((r) => (r.type === 'sample' ? [r.value] : []));
};

describe('detectPpgFormat + PpgLineParser on what sketches print', () => {
  it('PulseSensor Processing visualizer S/B/Q', () => {
    const f = detect(EX.pulsesensorProcessing);
    expect(f.kind).toBe('pulsesensor-processing');
    const p = new PpgLineParser(f);
    expect(p.parse('S530')).toEqual({ type: 'sample', value: 530 });
    expect(p.parse('B72')).toEqual({ type: 'device-beat', bpm: 72 });
    expect(p.parse('Q833')).toEqual({ type: 'device-beat', ibiMs: 833 });
  });
  it('PulseSensor Serial Plotter BPM,IBI,Signal', () => {
    const f = detect(EX.pulsesensorPlotter);
    expect(f.kind).toBe('pulsesensor-plotter');
    expect(values(f, EX.pulsesensorPlotter)).toEqual([512, 515, 530, 541, 560, 583, 590, 577, 560]);
  });
  it('three numeric columns that change every line are not the Serial Plotter (BPM and IBI repeat)', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `${i * 10},${400 + ((i * 37) % 200)},${500 + ((i * 37) % 200)}`);
    expect(detect(lines).kind).toBe('delimited');
  });
  it('one integer per line, and a banner before it', () => {
    expect(detect(EX.singleValue).kind).toBe('single-value');
    const f = detect(EX.sparkfunPlotter);
    expect(f.kind).toBe('single-value');
    expect(new PpgLineParser(f).parse('Initializing...')).toEqual({ type: 'ignored' });
    expect(values(f, EX.sparkfunPlotter)[0]).toBe(104251);
  });
  it('tab-separated ir/red: first column', () => {
    const f = detect(EX.max30100RawTab);
    expect(f).toMatchObject({ kind: 'delimited', delimiter: '\t', valueColumn: 0 });
    expect(values(f, EX.max30100RawTab)[0]).toBe(50312);
  });
  it('header Timestamp,Red,IR: value IR, time column with units from arrivals', () => {
    const arrivalMs = EX.headerTimestampRedIr.map((_, i) => 5000 + i * 10);
    const f = detect([...EX.headerTimestampRedIr, ...EX.headerTimestampRedIr.slice(1).map((l) => l.replace(/^1/, '2'))].slice(0, 10), { arrivalMs: [...arrivalMs] });
    expect(f).toMatchObject({ kind: 'delimited', delimiter: ',', valueColumn: 2, timeColumn: 0 });
    const p = new PpgLineParser(f);
    expect(p.parse('1010,51240,60130')).toEqual({ type: 'sample', value: 60130, tS: 1.01 });
    expect(p.parse('Timestamp,Red,IR')).toEqual({ type: 'ignored' });
  });
  it('user override of the column (name or index)', () => {
    expect(detect(EX.headerTimestampRedIr, { column: 'red' })).toMatchObject({ valueColumn: 1 });
    expect(detect(EX.max30100RawTab, { column: 1 })).toMatchObject({ valueColumn: 1 });
    const bad = detectPpgFormat(EX.headerTimestampRedIr, { column: 'green' });
    expect(bad.ok).toBe(false);
  });
  it('SparkFun Example5 IR=…, BPM=…, with " No finger?"', () => {
    const f = detect(EX.sparkfunHeartRate);
    expect(f).toMatchObject({ kind: 'key-value', valueKey: 'ir' });
    expect(values(f, EX.sparkfunHeartRate)).toEqual([104251, 104263, 104280, 104301, 104290, 104270, 104255, 1203]);
  });
  it('SparkFun Example8 red=…, ir=… (HR/SPO2 fields ignored)', () => {
    const f = detect(EX.sparkfunSpo2);
    expect(f).toMatchObject({ kind: 'key-value', valueKey: 'ir' });
    expect(values(f, EX.sparkfunSpo2).at(-1)).toBe(60123);
  });
  it('SparkFun Example1 " R[..] IR[..] G[..]"', () => {
    const f = detect(EX.sparkfunBasic);
    expect(f).toMatchObject({ kind: 'key-value', valueKey: 'ir' });
    expect(values(f, EX.sparkfunBasic)[0]).toBe(1893);
  });
  it('PulseSensor GettingStarted "Signal 530"', () => {
    const f = detect(EX.pulsesensorGettingStarted);
    expect(f).toMatchObject({ kind: 'key-value', valueKey: 'signal' });
    expect(values(f, EX.pulsesensorGettingStarted)[0]).toBe(530);
  });
  it('PulseSensor JSON lines: signal with a millisecond time stamp', () => {
    const f = detect(EX.pulsesensorJson);
    expect(f).toEqual({ kind: 'key-value', valueKey: 'signal', timeKey: 'timestampms', timeUnitS: 1e-3 });
    expect(new PpgLineParser(f).parse(EX.pulsesensorJson[1])).toEqual({ type: 'sample', value: 541, tS: 1.02 });
  });
  it('Grove wiki triples: counter, millis, interval', () => {
    const f = detect(EX.groveWiki);
    expect(f).toEqual({ kind: 'beat-interval', layout: 'counter-millis-interval' });
    const p = new PpgLineParser(f);
    const beats = EX.groveWiki.map((l) => p.parse(l)).filter((r) => r.type === 'device-beat');
    expect(beats).toEqual([
      { type: 'device-beat', ibiMs: 833, tS: 1.833 },
      { type: 'device-beat', ibiMs: 817, tS: 2.65 },
      { type: 'device-beat', ibiMs: 841, tS: 3.491 },
      { type: 'device-beat', ibiMs: 829, tS: 4.32 },
    ]);
  });
  it('one interval per line: told from samples by the arrival rate', () => {
    const slow = EX.groveInterval.map((_, i) => i * 830);
    expect(detect(EX.groveInterval, { arrivalMs: slow })).toEqual({ kind: 'beat-interval', layout: 'interval' });
    const fast = EX.groveInterval.map((_, i) => i * 20);
    expect(detect(EX.groveInterval, { arrivalMs: fast }).kind).toBe('single-value');
    expect(detect(EX.groveInterval, { kind: 'beat-interval' })).toEqual({ kind: 'beat-interval', layout: 'interval' });
  });
});

describe('garbage, binary noise and wrong baud rate', () => {
  const noise = (n: number, seed: number): string[] => {
    let a = seed;
    const lines: string[] = [];
    let cur = '';
    for (let i = 0; i < n; i++) {
      a = (a * 1103515245 + 12345) >>> 0;
      const c = (a >>> 16) & 0xff;
      if (c === 10) {
        lines.push(cur);
        cur = '';
      } else cur += String.fromCharCode(c);
    }
    return lines;
  };
  it('random bytes give the diagnostic, never a crash', () => {
    for (let seed = 1; seed < 20; seed++) {
      const d = detectPpgFormat(noise(20_000, seed));
      expect(d.ok).toBe(false);
      if (!d.ok) expect(d.message).toBe(NO_DATA_MESSAGE);
    }
  });
  it('text that is not data gives the diagnostic', () => {
    const d = detectPpgFormat(Array.from({ length: 40 }, () => 'Hello from the bootloader'));
    expect(d).toMatchObject({ ok: false, message: NO_DATA_MESSAGE });
  });
  it('too few lines: asks for more', () => {
    expect(detectPpgFormat(['530', '531'])).toMatchObject({ ok: false, needMoreLines: true });
  });
  it('a parser marks non-data lines malformed and keeps going', () => {
    const p = new PpgLineParser({ kind: 'single-value' });
    expect(p.parse('\u0000\u00ff\u0013')).toEqual({ type: 'malformed' });
    expect(p.parse('12,,')).toEqual({ type: 'malformed' });
    expect(p.parse('530')).toEqual({ type: 'sample', value: 530 });
  });
});
