/**
 * Reading RR-interval files (pure: takes the file's text, returns intervals in ms).
 *
 * Formats (`format`):
 *  - 'rr-ms' / 'rr-s': one interval per line, ms or s (Elite HRV's .txt export is this: one RR in
 *    ms per line). 'auto' picks s when the median value is below 10 (no RR is 10 ms; none is 10 s).
 *  - 'kubios': a Kubios HRV text export or an RR file prepared for Kubios: header/metadata lines
 *    (anything before the first numeric row) are skipped, then a column of RR in s or ms, or two
 *    columns time + RR (the last numeric column is taken as RR; unit detected as above).
 *  - 'csv': a CSV/TSV/semicolon table with a header row; the RR column is the first whose header
 *    matches rr / ibi / interval (Polar Sensor Logger "RR-interval [ms]" with ';', HRV Logger's RR
 *    export "date,rr,since start", Elite HRV / generic "RR", our datasets' "rr_ms"); the unit comes
 *    from the header ("[ms]", "(s)", "_ms", "_s") or is detected as above.
 *  - 'soothe': a Soothe session's events.ndjson (lines {"kind":"beat","tMs":…,"rrMs":…}); other
 *    kinds are ignored. (The CLI reads it from a session folder; see main/cli/analyze.ts.)
 * Bad input gets an RrFileError naming the 1-based line: empty file, text where a number is due,
 * non-positive intervals, intervals outside the physiological range below.
 */

import { hrvKernels } from '../hrv/kernels';

/** Shortest interval accepted, ms (600 beats/min: no heart, so a unit or parsing error). */
export const MIN_RR_MS = 100;
/** Longest interval accepted, ms (a 10 s pause is beyond any usable recording). */
export const MAX_RR_MS = 10_000;
/** Median below this (as read) means the file is in seconds. */
const SECONDS_BELOW = 10;

export type RrFileFormat = 'auto' | 'rr-ms' | 'rr-s' | 'kubios' | 'csv' | 'soothe';

export interface RrFile {
  /** Intervals, ms (a Float64Array when installed kernels read the file). */
  readonly rrMs: readonly number[] | Float64Array;
  /** Format actually used. */
  readonly format: Exclude<RrFileFormat, 'auto'>;
  /**
   * 1-based source line of each interval; absent when installed kernels read the file (lines only
   * serve to name one in an error, and then the JavaScript reader reads the file again).
   */
  readonly lines?: readonly number[];
  /** What was read around rather than refused (e.g. a recording's torn last line). */
  readonly warnings?: readonly string[];
}

export class RrFileError extends Error {
  constructor(
    readonly line: number | null,
    message: string,
  ) {
    super(line === null ? message : `line ${line}: ${message}`);
    this.name = 'RrFileError';
  }
}

const NUMBER = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$/;

function toNumber(s: string): number | null {
  const t = s.trim().replace(/^"(.*)"$/, '$1').trim();
  if (!NUMBER.test(t)) return null;
  return Number(t.replace(',', '.'));
}

/** Whether the median (the ⌊n/2⌋-th smallest value) is below `limit`: counting, no sort. */
function medianBelow(v: ArrayLike<number>, limit: number): boolean {
  let below = 0;
  for (let i = 0; i < v.length; i++) if ((v[i] as number) < limit) below += 1;
  return below > Math.floor(v.length / 2);
}

/** Facts about `values` gathered while reading them (saves passes over a long file). */
interface ValueStats {
  /** How many values are below SECONDS_BELOW. */
  readonly below: number;
  /** Whether every value is a valid interval in ms as it stands. */
  readonly allValidMs: boolean;
}

function finish(values: number[] | Float64Array, lines: readonly number[] | null, unit: 'ms' | 's' | 'auto', format: RrFile['format'], stats?: ValueStats): RrFile {
  if (values.length === 0) throw new RrFileError(null, 'no RR intervals found (empty file?)');
  const seconds =
    unit === 's' || (unit === 'auto' && (stats ? stats.below > Math.floor(values.length / 2) : medianBelow(values, SECONDS_BELOW)));
  if (!seconds && stats?.allValidMs) return lines ? { rrMs: values, format, lines } : { rrMs: values, format };
  const rrMs = !seconds ? values : values instanceof Float64Array ? new Float64Array(values.length) : new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    const ms = seconds ? v * 1000 : v;
    if (!(ms > 0) || ms < MIN_RR_MS || ms > MAX_RR_MS) {
      const line = lines?.[i] ?? null;
      if (!(ms > 0)) throw new RrFileError(line, `interval must be positive, got ${v}`);
      throw new RrFileError(line, `interval ${v}${seconds ? ' s' : ' ms'} is outside ${MIN_RR_MS}–${MAX_RR_MS} ms (wrong unit or not an RR file?)`);
    }
    rrMs[i] = ms;
  }
  const f = format === 'rr-ms' && seconds ? 'rr-s' : format;
  return lines ? { rrMs, format: f, lines } : { rrMs, format: f };
}

function splitLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
}

const CR = 13;
const LF = 10;
/** Exact powers of ten (every one up to 1e22 is a double). */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
/** Most digits whose integer value is exact in a double (< 2^53). */
const MAX_FAST_DIGITS = 15;

/** Where scanPlainNumber stopped (set by every call; avoids allocating a result object). */
let scanEnd = 0;

/**
 * Reads [ \t]*[+-]?digits[.,]digits[ \t]* from text[from] on (up to len), stopping at the first other
 * character (its index goes to scanEnd). Returns the number when at most 15 digits were read,
 * else NaN (the caller then takes the general path). Exact: the digits form an integer below
 * 2^53 and 10^f is exact, so one division rounds correctly, as Number() does (Clinger 1990, "How
 * to read floating point numbers accurately", PLDI, the fast path).
 */
function scanPlainNumber(text: string, from: number, len: number): number {
  // Never read past the end (an out-of-range charCodeAt would deoptimise this loop): −1 there.
  let i = from;
  let c = i < len ? text.charCodeAt(i) : -1;
  while (c === 32 || c === 9) c = ++i < len ? text.charCodeAt(i) : -1;
  let negative = false;
  if (c === 43 || c === 45) {
    negative = c === 45;
    c = ++i < len ? text.charCodeAt(i) : -1;
  }
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  while (c >= 48 && c <= 57) {
    mantissa = mantissa * 10 + (c - 48);
    digits += 1;
    c = ++i < len ? text.charCodeAt(i) : -1;
  }
  if (c === 46 || c === 44) {
    c = ++i < len ? text.charCodeAt(i) : -1;
    while (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits += 1;
      fraction += 1;
      c = ++i < len ? text.charCodeAt(i) : -1;
    }
  }
  while (c === 32 || c === 9) c = ++i < len ? text.charCodeAt(i) : -1;
  scanEnd = i;
  if (digits === 0 || digits > MAX_FAST_DIGITS) return Number.NaN;
  const v = fraction === 0 ? mantissa : mantissa / (POW10[fraction] as number);
  return negative ? -v : v;
}

/**
 * One interval per line. Lines end at \r\n, \n or \r (as splitLines); a line in the plain form
 * is read by scanPlainNumber in one pass without making a string, any other line by toNumber.
 */
function parsePlain(text: string, unit: 'ms' | 's' | 'auto', format: RrFile['format']): RrFile {
  // Installed kernels (shared/hrv/kernels.ts) read the common form in one compiled pass.
  const scan = hrvKernels()?.scanPlainRr?.(text, SECONDS_BELOW, MIN_RR_MS, MAX_RR_MS);
  if (scan) {
    try {
      return finish(scan.values, null, unit, format, { below: scan.below, allValidMs: scan.allValidMs });
    } catch (e) {
      // An error names its line: the JavaScript reader below reads the file again and raises it.
      if (!(e instanceof RrFileError)) throw e;
    }
  }
  const values: number[] = [];
  const lines: number[] = [];
  let below = 0;
  let allValidMs = true;
  const len = text.length;
  let pos = len > 0 && text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let line = 1; pos <= len; line++) {
    let v = scanPlainNumber(text, pos, len);
    let end = scanEnd;
    const stop = end < len ? text.charCodeAt(end) : -1;
    if (Number.isNaN(v) || !(stop === -1 || stop === LF || stop === CR)) {
      // General path: the whole line as before (blank lines end up here too).
      while (end < len) {
        const c = text.charCodeAt(end);
        if (c === LF || c === CR) break;
        end += 1;
      }
      const s = text.slice(pos, end).trim();
      if (s === '') v = Number.NaN;
      else {
        const parsed = toNumber(s);
        if (parsed === null) throw new RrFileError(line, `expected one RR interval (a number), got "${s.slice(0, 40)}"`);
        v = parsed;
      }
    }
    if (!Number.isNaN(v)) {
      values.push(v);
      lines.push(line);
      if (v < SECONDS_BELOW) below += 1;
      if (!(v > 0) || v < MIN_RR_MS || v > MAX_RR_MS) allValidMs = false;
    }
    pos = end + (end + 1 < len && text.charCodeAt(end) === CR && text.charCodeAt(end + 1) === LF ? 2 : 1);
  }
  return finish(values, lines, unit, format, { below, allValidMs });
}

/** The first line (as splitLines cuts them) that is not blank, trimmed; '' when there is none. */
function firstNonBlankLine(text: string): string {
  const len = text.length;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (pos <= len) {
    let end = pos;
    while (end < len) {
      const c = text.charCodeAt(end);
      if (c === LF || c === CR) break;
      end += 1;
    }
    const s = text.slice(pos, end).trim();
    if (s !== '') return s;
    pos = end + (text.charCodeAt(end) === CR && text.charCodeAt(end + 1) === LF ? 2 : 1);
  }
  return '';
}

function splitRow(s: string): string[] {
  if (s.includes('\t')) return s.split('\t');
  if (s.includes(';')) return s.split(';');
  if (s.includes(',')) return s.split(',');
  return s.trim().split(/\s+/);
}

function parseKubios(text: string): RrFile {
  const values: number[] = [];
  const lines: number[] = [];
  let started = false;
  splitLines(text).forEach((raw, i) => {
    const s = raw.trim();
    if (s === '') return;
    const cells = splitRow(s).map((c) => c.trim()).filter((c) => c !== '');
    const nums = cells.map(toNumber);
    const numeric = nums.length > 0 && nums.every((v) => v !== null);
    if (!numeric) {
      if (started) throw new RrFileError(i + 1, `expected RR data, got "${s.slice(0, 40)}"`);
      return; // header / metadata before the data
    }
    started = true;
    values.push(nums[nums.length - 1] as number);
    lines.push(i + 1);
  });
  return finish(values, lines, 'auto', 'kubios');
}

const RR_HEADER = /(^|[^a-z])(rr|ibi|nn|interval|rri)([^a-z]|$)|rr[-_ ]?interval|^rr/i;

function parseCsv(text: string): RrFile {
  const all = splitLines(text);
  const headerAt = all.findIndex((l) => l.trim() !== '');
  if (headerAt < 0) throw new RrFileError(null, 'no RR intervals found (empty file?)');
  const header = splitRow(all[headerAt] as string).map((h) => h.trim().replace(/^"(.*)"$/, '$1'));
  if (header.every((h) => toNumber(h) !== null)) return parseKubios(text); // no header: numeric table
  const col = header.findIndex((h) => RR_HEADER.test(h));
  if (col < 0) throw new RrFileError(headerAt + 1, `no RR column in the header (looked for rr, ibi, interval): "${all[headerAt]?.slice(0, 60)}"`);
  const name = header[col] as string;
  const unit: 'ms' | 's' | 'auto' = /\[ms\]|\(ms\)|_ms\b|\bms\b/i.test(name) ? 'ms' : /\[s\]|\(s\)|_s\b|\bsec/i.test(name) ? 's' : 'auto';
  const delim = (all[headerAt] as string).includes('\t') ? '\t' : (all[headerAt] as string).includes(';') ? ';' : ',';
  const values: number[] = [];
  const lines: number[] = [];
  for (let i = headerAt + 1; i < all.length; i++) {
    const s = (all[i] as string).trim();
    if (s === '') continue;
    const cell = s.split(delim)[col];
    const v = cell === undefined ? null : toNumber(cell);
    if (v === null) throw new RrFileError(i + 1, `column "${name}" is not a number: "${(cell ?? '').slice(0, 40)}"`);
    values.push(v);
    lines.push(i + 1);
  }
  return finish(values, lines, unit, 'csv');
}

/**
 * A Soothe session's events.ndjson. A recording interrupted mid-write (power loss, a crash before
 * the app's recovery has run) can end in a torn line with no newline after it: that last line is
 * left out with a warning, as the app's own recovery drops it; a bad line anywhere else is an error.
 */
function parseSoothe(text: string): RrFile {
  const values: number[] = [];
  const lines: number[] = [];
  const warnings: string[] = [];
  const all = splitLines(text);
  let last = all.length - 1;
  while (last >= 0 && (all[last] as string).trim() === '') last -= 1;
  const endsTorn = !/[\r\n]$/.test(text);
  all.forEach((raw, i) => {
    const s = raw.trim();
    if (s === '') return;
    let e: unknown;
    try {
      e = JSON.parse(s);
    } catch {
      if (i === last && endsTorn) {
        warnings.push(`line ${i + 1}: incomplete last line left out (the recording was interrupted while writing it)`);
        return;
      }
      throw new RrFileError(i + 1, 'not a JSON event');
    }
    if (typeof e !== 'object' || e === null || (e as { kind?: unknown }).kind !== 'beat') return;
    const rr = (e as { rrMs?: unknown }).rrMs;
    if (typeof rr !== 'number') throw new RrFileError(i + 1, 'beat event without a numeric rrMs');
    values.push(rr);
    lines.push(i + 1);
  });
  const r = finish(values, lines, 'ms', 'soothe');
  return warnings.length ? { ...r, warnings } : r;
}

function detect(text: string): Exclude<RrFileFormat, 'auto'> {
  const first = firstNonBlankLine(text);
  if (first.startsWith('{')) return 'soothe';
  if (toNumber(first) !== null) return 'rr-ms'; // plain numbers (unit detected)
  if (/kubios/i.test(text.slice(0, 2000))) return 'kubios';
  const cells = splitRow(first);
  if (cells.length > 1 && cells.some((c) => RR_HEADER.test(c.trim().replace(/^"(.*)"$/, '$1')))) return 'csv';
  if (cells.length > 1 && cells.every((c) => toNumber(c) !== null)) return 'kubios';
  return 'rr-ms'; // reports the offending line
}

/** Parse an RR file's text. */
export function parseRrFile(text: string, format: RrFileFormat = 'auto'): RrFile {
  const f = format === 'auto' ? detect(text) : format;
  switch (f) {
    case 'rr-ms':
      return parsePlain(text, format === 'auto' ? 'auto' : 'ms', 'rr-ms');
    case 'rr-s':
      return parsePlain(text, 's', 'rr-s');
    case 'kubios':
      return parseKubios(text);
    case 'csv':
      return parseCsv(text);
    case 'soothe':
      return parseSoothe(text);
  }
}
