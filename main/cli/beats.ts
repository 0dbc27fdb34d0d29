/**
 * `soothe beats <file> --fs <Hz> [--column <name|index>] [--json]`: PPG beats in a recorded file.
 * The file is CSV/TSV (with or without a header) or one value per line, or any line format the
 * serial service recognises (shared/parsers/ppg-format.ts). Prints beat times (s) and
 * inter-beat intervals (ms): pulse intervals from PPG, not ECG RR.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { detectPpgFormat, PpgLineParser } from '../../shared/parsers/ppg-format';
import { rateFromTimestamps } from '../../shared/parsers/ppg-sample-rate';
import { detectPpgBeats } from '../../shared/signal/ppg-peaks';

const HELP = `soothe beats <file> --fs <Hz> [--column <name|index>] [--json]

Detects pulse beats in a recorded PPG signal (MSPTD, Bishop & Ercole 2018).
  <file>             CSV/TSV with or without a header, or one value per line
  --fs <Hz>          sampling rate (optional when the file has a time column)
  --column <c>       value column: header name or 0-based index (default: ppg/ir/signal/... or the first non-time column)
  --json             print {"fs", "beatsS": [...], "ibiMs": [...], "sqi": [...]}
Output (text): one beat per line: time_s <tab> interval_ms (blank for the first beat).
`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      fs: { type: 'string' },
      column: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const file = positionals[0];
  if (!file || positionals.length > 1) {
    process.stderr.write(`soothe beats: give exactly one file\n\n${HELP}`);
    return 2;
  }
  const lines = (await readFile(file, 'utf8')).split(/\r?\n/);
  const column = values.column === undefined ? undefined : /^\d+$/.test(values.column) ? Number(values.column) : values.column;
  const det = detectPpgFormat(lines.slice(0, 200), column === undefined ? {} : { column });
  if (!det.ok) throw new Error(`${file}: ${det.message}`);
  if (det.format.kind === 'beat-interval') throw new Error(`${file}: holds beat intervals, not a PPG waveform`);
  const parser = new PpgLineParser(det.format);
  const xs: number[] = [];
  const ts: number[] = [];
  for (const l of lines) {
    const p = parser.parse(l);
    if (p.type === 'sample') {
      xs.push(p.value);
      if (p.tS !== undefined) ts.push(p.tS);
    }
  }
  let fs = values.fs === undefined ? null : Number(values.fs);
  if (fs === null && ts.length === xs.length) {
    const r = rateFromTimestamps(ts);
    fs = r === null ? null : Number(r.toPrecision(9));
  }
  if (fs === null || !(fs >= 5 && fs <= 10_000)) throw new Error('--fs <Hz> is required (5..10000) when the file has no time column');
  if (xs.length < fs * 3) throw new Error(`${file}: only ${xs.length} samples (${(xs.length / fs).toFixed(1)} s); need at least 3 s`);
  const beats = detectPpgBeats(xs, fs);
  const round = (v: number, d: number): number => Number(v.toFixed(d));
  if (values.json) {
    const ibi = beats.slice(1).map((b, i) => round((b.tS - (beats[i]?.tS ?? 0)) * 1000, 3));
    process.stdout.write(`${JSON.stringify({ fs, format: det.description, beatsS: beats.map((b) => round(b.tS, 5)), ibiMs: ibi, sqi: beats.map((b) => round(b.sqi, 3)) })}\n`);
  } else {
    const out = beats.map((b, i) => `${b.tS.toFixed(4)}\t${i === 0 ? '' : ((b.tS - (beats[i - 1]?.tS ?? 0)) * 1000).toFixed(1)}`);
    process.stdout.write(`# ${beats.length} beats, fs ${fs} Hz, ${det.description}; intervals are PPG pulse intervals (ms)\n${out.join('\n')}\n`);
  }
  return 0;
}
