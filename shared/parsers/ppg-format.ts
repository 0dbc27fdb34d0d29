/**
 * Line formats printed by DIY PPG sensor sketches, recognised from the first lines, and a
 * per-line parser. Catalogue and sources: ../shared/notes/platform-facts.md §1c; example lines
 * with their origin are in tests/fixtures/ppg-lines.ts.
 *
 * | kind                     | example line(s)                              | source                                   |
 * |--------------------------|----------------------------------------------|------------------------------------------|
 * | pulsesensor-processing   | `S530` sample, `B72` BPM, `Q833` IBI ms      | PulseSensor Playground PROCESSING_VISUALIZER |
 * | pulsesensor-plotter      | `72,833,530` = BPM,IBI,Signal                | PulseSensor Playground SERIAL_PLOTTER    |
 * | single-value             | `530`, `104251`                              | analogRead sketches, SparkFun Example4, DFRobot |
 * | delimited                | `50312\t41230`, `1234,51234,60123` (+header) | MAX3010x raw-data sketches               |
 * | key-value                | `IR=104251, BPM=72.29, Avg BPM=71`, `red=51234, ir=60123`, ` R[1523] IR[1893] G[102]`, `Signal 530` | SparkFun MAX3010x examples, PulseSensor GettingStarted |
 * | beat-interval            | `833` per beat; or `3` / `123456` / `833` (counter, millis, interval) | Grove ear-clip (community / Seeed wiki) |
 *
 * Pure: no clock, no I/O. Arrival times, when known, are passed in (ms, any origin).
 */

export const NO_DATA_MESSAGE = 'no recognisable data: check the baud rate and format';

export type Delimiter = ',' | '\t' | ';' | ' ';

export type PpgFormat =
  | { readonly kind: 'pulsesensor-processing' }
  | { readonly kind: 'pulsesensor-plotter' }
  | { readonly kind: 'single-value' }
  | {
      readonly kind: 'delimited';
      readonly delimiter: Delimiter;
      /** Column holding the PPG value, 0-based. */
      readonly valueColumn: number;
      /** Column holding a time stamp, 0-based, if any; times are multiplied by `timeUnitS`. */
      readonly timeColumn?: number;
      readonly timeUnitS?: number;
      readonly columnNames?: readonly string[];
    }
  | { readonly kind: 'key-value'; readonly valueKey: string; readonly timeKey?: string; readonly timeUnitS?: number }
  | { readonly kind: 'beat-interval'; readonly layout: 'interval' | 'counter-millis-interval' };

export type PpgFormatKind = PpgFormat['kind'];

export type PpgLine =
  /** One PPG sample; `tS` when the line carries a time stamp (seconds, the device's clock). */
  | { readonly type: 'sample'; readonly value: number; readonly tS?: number }
  /** A beat reported by the device itself (PulseSensor `B`/`Q`, Grove): IBI ms and/or BPM. */
  | { readonly type: 'device-beat'; readonly ibiMs?: number; readonly bpm?: number; readonly tS?: number }
  /** Text the format allows but that carries no data (banners, headers, "No finger?"). */
  | { readonly type: 'ignored' }
  | { readonly type: 'malformed' };

export type FormatDetection =
  | { readonly ok: true; readonly format: PpgFormat; readonly description: string; readonly dataLines: number }
  | { readonly ok: false; readonly message: string; readonly needMoreLines: boolean };

export interface DetectOptions {
  /** Arrival time of each line, ms (same length as `lines`); lets slow beat-interval streams and time units be told apart. */
  readonly arrivalMs?: readonly number[];
  /** User override of the value column (name or 0-based index) or key. */
  readonly column?: string | number;
  /** User override of the format kind. */
  readonly kind?: PpgFormatKind;
}

/** Fewest data lines before a decision. */
export const MIN_DATA_LINES = 8;
/** Share of non-empty lines that must be data (the rest may be banners); below it: wrong baud / garbage. */
const MIN_DATA_FRACTION = 0.5;
/** Plausible beat interval, ms (30–240 bpm). */
const IBI_MIN_MS = 250;
const IBI_MAX_MS = 2000;
/** A stream whose lines arrive slower than this is beats, not samples, ms. */
const BEAT_STREAM_MIN_LINE_GAP_MS = 250;

const NUM = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const PROCESSING = /^([SBQ])(-?\d+)$/;
const KV_PAIR = /"?([A-Za-z][A-Za-z0-9_ ]*?)"?\s*[=:[]\s*([+-]?\d+(?:\.\d+)?)/g;
const KV_SPACE = /^([A-Za-z][A-Za-z_]*)\s+([+-]?\d+(?:\.\d+)?)$/;
const PRINTABLE = /^[\x20-\x7e\t]*$/;

const VALUE_NAMES = ['ppg', 'pleth', 'ir', 'signal', 'sig', 'raw', 'value', 'sample', 's', 'pulse', 'green', 'g', 'red', 'r'];
const NOT_VALUE_NAMES = /^(avg ?bpm|bpm|hr|heart ?rate|ibi|spo2|hrvalid|spo2valid|beat|quality|seq|ml|temp)$/i;
const TIME_NAMES: Record<string, number | null> = {
  t_s: 1, time_s: 1, sec: 1, secs: 1, seconds: 1, s_time: 1,
  ms: 1e-3, millis: 1e-3, time_ms: 1e-3, t_ms: 1e-3, timestampms: 1e-3, timestamp_ms: 1e-3,
  us: 1e-6, micros: 1e-6, time_us: 1e-6,
  t: null, time: null, timestamp: null, ts: null,
};

const isNum = (s: string): boolean => NUM.test(s);

export function splitFields(line: string, d: Delimiter): string[] {
  return d === ' ' ? line.trim().split(/\s+/) : line.split(d).map((f) => f.trim());
}

function numericDelimiter(line: string): Delimiter | null {
  for (const d of [',', '\t', ';', ' '] as const) {
    if (!line.includes(d)) continue;
    const f = splitFields(line, d);
    if (f.length >= 2 && f.every(isNum)) return d;
  }
  return null;
}

function kvPairs(line: string): [string, number][] {
  const pairs: [string, number][] = [];
  const sp = KV_SPACE.exec(line.trim());
  if (sp) return [[(sp[1] ?? '').toLowerCase(), Number(sp[2])]];
  for (const m of line.matchAll(KV_PAIR)) pairs.push([(m[1] ?? '').trim().toLowerCase(), Number(m[2])]);
  return pairs;
}

function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Lines per second from arrival times (null when under 1 s of arrivals). */
function arrivalRate(arrivalMs: readonly number[] | undefined, idx: readonly number[]): number | null {
  if (!arrivalMs || idx.length < 3) return null;
  const a = arrivalMs[idx[0] as number];
  const b = arrivalMs[idx[idx.length - 1] as number];
  if (a === undefined || b === undefined || b - a < 1000) return null;
  return ((idx.length - 1) * 1000) / (b - a);
}

function isIncreasing(xs: readonly number[]): boolean {
  for (let i = 1; i < xs.length; i++) if (!((xs[i] as number) > (xs[i - 1] as number))) return false;
  return xs.length >= 3;
}

/** Unit (s per count) of a time column, chosen so its rate matches the arrival rate within 30 %. */
function timeUnitFromArrival(times: readonly number[], lineRate: number | null): number | null {
  if (lineRate === null) return null;
  const step = median(times.slice(1).map((t, i) => t - (times[i] as number)));
  if (!(step > 0)) return null;
  for (const unit of [1e-3, 1, 1e-6]) {
    const rate = 1 / (step * unit);
    if (Math.abs(rate - lineRate) / lineRate < 0.3) return unit;
  }
  return null;
}

function pickByName(names: readonly string[], exclude: ReadonlySet<number>, column: string | number | undefined): number | null {
  if (typeof column === 'number') return column >= 0 && column < names.length ? column : null;
  if (typeof column === 'string') {
    const i = names.findIndex((n) => n.toLowerCase() === column.toLowerCase());
    if (i >= 0) return i;
    const k = Number(column);
    return Number.isInteger(k) && k >= 0 && k < names.length ? k : null;
  }
  for (const want of VALUE_NAMES) {
    const i = names.findIndex((n, j) => !exclude.has(j) && n.toLowerCase() === want);
    if (i >= 0) return i;
  }
  return null;
}

/**
 * Recognises the format from the first lines of a stream (or file). Returns the format, or the
 * diagnostic {@link NO_DATA_MESSAGE} (with `needMoreLines` when it may still become clear).
 */
export function detectPpgFormat(lines: readonly string[], opts: DetectOptions = {}): FormatDetection {
  const idx: number[] = [];
  let garbage = 0;
  for (let i = 0; i < lines.length; i++) {
    const l = (lines[i] ?? '').trim();
    if (l.length === 0) continue;
    if (!PRINTABLE.test(l)) garbage++;
    idx.push(i);
  }
  const text = idx.map((i) => (lines[i] ?? '').trim());
  const nonEmpty = text.length;
  const fail = (needMore: boolean): FormatDetection => ({ ok: false, message: NO_DATA_MESSAGE, needMoreLines: needMore });
  if (nonEmpty === 0) return fail(true);

  const processing = text.filter((l) => PROCESSING.test(l));
  const single: number[] = [];
  const singleIdx: number[] = [];
  const byDelim = new Map<Delimiter, { rows: string[][]; idx: number[] }>();
  const kv: { pairs: [string, number][]; i: number }[] = [];
  text.forEach((l, j) => {
    if (isNum(l)) {
      single.push(Number(l));
      singleIdx.push(idx[j] as number);
      return;
    }
    const d = numericDelimiter(l);
    if (d) {
      const e = byDelim.get(d) ?? { rows: [], idx: [] };
      e.rows.push(splitFields(l, d));
      e.idx.push(idx[j] as number);
      byDelim.set(d, e);
      return;
    }
    if (PROCESSING.test(l)) return;
    const p = kvPairs(l);
    if (p.length > 0) kv.push({ pairs: p, i: idx[j] as number });
  });

  let bestDelim: Delimiter | null = null;
  let bestDelimCount = 0;
  for (const [d, e] of byDelim) {
    if (e.rows.length > bestDelimCount) {
      bestDelim = d;
      bestDelimCount = e.rows.length;
    }
  }
  const counts: [PpgFormatKind, number][] = [
    ['pulsesensor-processing', processing.length],
    ['single-value', single.length],
    ['delimited', bestDelimCount],
    ['key-value', kv.length],
  ];
  counts.sort((a, b) => b[1] - a[1]);
  let [kind, dataLines] = counts[0] as [PpgFormatKind, number];
  if (opts.kind) {
    kind = opts.kind === 'pulsesensor-plotter' ? 'delimited' : opts.kind === 'beat-interval' ? 'single-value' : opts.kind;
    dataLines = counts.find((c) => c[0] === kind)?.[1] ?? 0;
  }
  if (garbage > nonEmpty * (1 - MIN_DATA_FRACTION) || dataLines < nonEmpty * MIN_DATA_FRACTION) {
    return fail(nonEmpty < MIN_DATA_LINES * 2 && garbage === 0);
  }
  if (dataLines < MIN_DATA_LINES) return fail(true);

  switch (kind) {
    case 'pulsesensor-processing': {
      if (!processing.some((l) => l.startsWith('S'))) return fail(true);
      return { ok: true, format: { kind }, description: 'PulseSensor Playground, Processing visualizer lines (S = signal, B = BPM, Q = IBI ms)', dataLines };
    }
    case 'single-value': {
      if (opts.kind !== 'single-value') {
        const layout = groveTriples(single) ? 'counter-millis-interval' : null;
        if (layout) return { ok: true, format: { kind: 'beat-interval', layout }, description: 'beat intervals (Grove ear-clip wiki sketch: counter, millis, interval ms per beat)', dataLines };
        const rate = arrivalRate(opts.arrivalMs, singleIdx);
        const allIbi = single.every((v) => v >= IBI_MIN_MS && v <= IBI_MAX_MS);
        const slow = rate !== null && rate < 1000 / BEAT_STREAM_MIN_LINE_GAP_MS;
        if (allIbi && (slow || opts.kind === 'beat-interval')) {
          return { ok: true, format: { kind: 'beat-interval', layout: 'interval' }, description: 'one beat interval (ms) per line (Grove ear-clip style)', dataLines };
        }
      }
      return { ok: true, format: { kind: 'single-value' }, description: 'one PPG value per line', dataLines };
    }
    case 'delimited': {
      const d = bestDelim ?? ',';
      const rows = byDelim.get(d)?.rows ?? [];
      const rowIdx = byDelim.get(d)?.idx ?? [];
      const width = median(rows.map((r) => r.length));
      const good = rows.filter((r) => r.length === width);
      const goodIdx = rowIdx.filter((_, j) => rows[j]?.length === width);
      const cols = Array.from({ length: width }, (_, c) => good.map((r) => Number(r[c])));
      // PulseSensor Serial Plotter: BPM (0–250), IBI (ms; 750 before the first beat), Signal.
      if (width === 3 && opts.column === undefined && opts.kind !== 'delimited') {
        const [bpm, ibi] = cols;
        // BPM and IBI are updated once per beat, so they repeat from line to line (a time stamp or a waveform does not).
        const repeats = (col: readonly number[]): boolean => col.slice(1).filter((v, i) => v !== col[i]).length <= (col.length - 1) / 4;
        if (bpm && ibi && !findHeader(text, d, 3) && repeats(bpm) && repeats(ibi) && bpm.every((v) => v >= 0 && v <= 250 && Number.isInteger(v)) && ibi.every((v) => v >= IBI_MIN_MS && v <= 3000 && Number.isInteger(v))) {
          return { ok: true, format: { kind: 'pulsesensor-plotter' }, description: 'PulseSensor Playground Serial Plotter lines (BPM,IBI,Signal)', dataLines };
        }
      }
      const header = findHeader(text, d, width);
      const names = header ?? Array.from({ length: width }, (_, c) => String(c));
      const lineRate = arrivalRate(opts.arrivalMs, goodIdx);
      let timeColumn: number | undefined;
      let timeUnitS: number | undefined;
      for (let c = 0; c < width && timeColumn === undefined; c++) {
        const col = cols[c] ?? [];
        if (!isIncreasing(col)) continue;
        const name = (header?.[c] ?? '').toLowerCase();
        const named = header ? TIME_NAMES[name] : undefined;
        if (named !== undefined) {
          const unit = named ?? timeUnitFromArrival(col, lineRate) ?? 1e-3;
          timeColumn = c;
          timeUnitS = unit;
        } else if (!header || name === '') {
          const unit = timeUnitFromArrival(col, lineRate);
          if (unit !== null) {
            timeColumn = c;
            timeUnitS = unit;
          }
        }
      }
      const exclude = new Set<number>();
      for (let c = 0; c < width; c++) {
        if (isIncreasing(cols[c] ?? []) || NOT_VALUE_NAMES.test(names[c] ?? '')) exclude.add(c);
      }
      if (timeColumn !== undefined) exclude.add(timeColumn);
      let valueColumn = header || opts.column !== undefined ? pickByName(names, exclude, opts.column) : typeof opts.column === 'number' ? opts.column : null;
      if (opts.column !== undefined && valueColumn === null) {
        return { ok: false, message: `no column "${String(opts.column)}" (columns: ${names.join(', ')})`, needMoreLines: false };
      }
      if (valueColumn === null) {
        valueColumn = 0;
        while (exclude.has(valueColumn) && valueColumn < width - 1) valueColumn++;
      }
      const format: PpgFormat = {
        kind: 'delimited',
        delimiter: d,
        valueColumn,
        ...(timeColumn !== undefined ? { timeColumn, timeUnitS: timeUnitS ?? 1e-3 } : {}),
        ...(header ? { columnNames: header } : {}),
      };
      const dname = d === '\t' ? 'tab' : d === ' ' ? 'space' : d === ',' ? 'comma' : 'semicolon';
      const tdesc = timeColumn !== undefined ? `, time stamps in column "${names[timeColumn] ?? timeColumn}"` : '';
      return { ok: true, format, description: `${width} ${dname}-separated columns, value = column "${names[valueColumn] ?? valueColumn}"${tdesc}`, dataLines };
    }
    case 'key-value': {
      const keys = new Map<string, number>();
      for (const { pairs } of kv) for (const [k] of pairs) keys.set(k, (keys.get(k) ?? 0) + 1);
      const names = [...keys.keys()];
      let valueKey: string | undefined;
      if (opts.column !== undefined) {
        valueKey = names.find((k) => k === String(opts.column).toLowerCase());
        if (!valueKey) return { ok: false, message: `no key "${String(opts.column)}" (keys: ${names.join(', ')})`, needMoreLines: false };
      } else {
        valueKey = VALUE_NAMES.find((n) => keys.has(n)) ?? names.find((n) => !NOT_VALUE_NAMES.test(n) && TIME_NAMES[n] === undefined);
      }
      if (!valueKey) return fail(false);
      const timeKey = names.find((n) => TIME_NAMES[n] !== undefined);
      let timeUnitS: number | undefined;
      if (timeKey) {
        const col = kv.map((r) => r.pairs.find((p) => p[0] === timeKey)?.[1] ?? Number.NaN).filter(Number.isFinite);
        timeUnitS = TIME_NAMES[timeKey] ?? timeUnitFromArrival(col, arrivalRate(opts.arrivalMs, kv.map((r) => r.i))) ?? 1e-3;
      }
      const format: PpgFormat = { kind: 'key-value', valueKey, ...(timeKey ? { timeKey, timeUnitS: timeUnitS ?? 1e-3 } : {}) };
      return { ok: true, format, description: `labelled values (key=value), value = "${valueKey}"${timeKey ? `, time = "${timeKey}"` : ''}`, dataLines };
    }
    default:
      return { ok: true, format: { kind: 'beat-interval', layout: 'interval' }, description: 'one beat interval (ms) per line', dataLines };
  }
}

/** A header line: the last all-non-numeric line with `width` fields before the data. */
function findHeader(text: readonly string[], d: Delimiter, width: number): string[] | null {
  for (const l of text) {
    const f = splitFields(l, d);
    if (f.length === width && f.every((x) => x.length > 0 && !isNum(x))) return f.map((x) => x.replace(/^"|"$/g, ''));
    if (f.length === width && f.every(isNum)) return null;
  }
  return null;
}

/** Seeed wiki layout: per beat a counter (0–20), millis() (increasing) and the interval (ms). */
function groveTriples(v: readonly number[]): boolean {
  for (let phase = 0; phase < 3; phase++) {
    let triples = 0;
    let ok = true;
    for (let i = phase; i + 2 < v.length; i += 3) {
      const c = v[i] as number;
      const m = v[i + 1] as number;
      const ibi = v[i + 2] as number;
      if (!(Number.isInteger(c) && c >= 0 && c <= 20 && m > 20 && ibi >= IBI_MIN_MS && ibi <= IBI_MAX_MS * 1.5)) {
        ok = false;
        break;
      }
      triples++;
    }
    if (ok && triples >= 3) return true;
  }
  return false;
}

/** Parses lines of a known format. Stateful only for the Grove counter/millis/interval triples. */
export class PpgLineParser {
  readonly format: PpgFormat;
  private triple: number[] = [];

  constructor(format: PpgFormat) {
    this.format = format;
  }

  parse(rawLine: string): PpgLine {
    const line = rawLine.trim();
    if (line.length === 0) return { type: 'ignored' };
    if (!PRINTABLE.test(line)) return { type: 'malformed' };
    const f = this.format;
    switch (f.kind) {
      case 'pulsesensor-processing': {
        const m = PROCESSING.exec(line);
        if (!m) return isNum(line) || numericDelimiter(line) ? { type: 'malformed' } : { type: 'ignored' };
        const v = Number(m[2]);
        if (m[1] === 'S') return { type: 'sample', value: v };
        if (m[1] === 'B') return { type: 'device-beat', bpm: v };
        return { type: 'device-beat', ibiMs: v };
      }
      case 'pulsesensor-plotter': {
        const r = splitFields(line, ',');
        if (r.length !== 3 || !r.every(isNum)) return textOrMalformed(line);
        return { type: 'sample', value: Number(r[2]) };
      }
      case 'single-value':
        return isNum(line) ? { type: 'sample', value: Number(line) } : textOrMalformed(line);
      case 'delimited': {
        const r = splitFields(line, f.delimiter);
        const v = r[f.valueColumn];
        if (v === undefined || !isNum(v)) {
          if (f.columnNames && r.length === f.columnNames.length && r.every((x) => !isNum(x))) return { type: 'ignored' };
          return textOrMalformed(line);
        }
        if (f.timeColumn !== undefined) {
          const t = r[f.timeColumn];
          if (t === undefined || !isNum(t)) return { type: 'malformed' };
          return { type: 'sample', value: Number(v), tS: Number(t) * (f.timeUnitS ?? 1e-3) };
        }
        return { type: 'sample', value: Number(v) };
      }
      case 'key-value': {
        const pairs = kvPairs(line);
        const v = pairs.find((p) => p[0] === f.valueKey);
        if (!v) return pairs.length > 0 ? { type: 'malformed' } : textOrMalformed(line);
        const t = f.timeKey ? pairs.find((p) => p[0] === f.timeKey) : undefined;
        return t ? { type: 'sample', value: v[1], tS: t[1] * (f.timeUnitS ?? 1e-3) } : { type: 'sample', value: v[1] };
      }
      case 'beat-interval': {
        if (!isNum(line)) return textOrMalformed(line);
        const v = Number(line);
        if (f.layout === 'interval') return v >= IBI_MIN_MS && v <= IBI_MAX_MS * 1.5 ? { type: 'device-beat', ibiMs: v } : { type: 'malformed' };
        // counter, millis, interval: resynchronise on a counter value.
        if (this.triple.length === 0 && !(Number.isInteger(v) && v >= 0 && v <= 20)) return { type: 'malformed' };
        this.triple.push(v);
        if (this.triple.length < 3) return { type: 'ignored' };
        const [, millis, ibi] = this.triple as [number, number, number];
        this.triple = [];
        if (!(ibi >= IBI_MIN_MS && ibi <= IBI_MAX_MS * 1.5)) return { type: 'malformed' };
        return { type: 'device-beat', ibiMs: ibi, tS: millis / 1000 };
      }
    }
  }
}

/** Printable text with letters (banners such as "Initializing...") is ignored; anything else is malformed. */
function textOrMalformed(line: string): PpgLine {
  return /[A-Za-z]{3,}/.test(line) && PRINTABLE.test(line) ? { type: 'ignored' } : { type: 'malformed' };
}
