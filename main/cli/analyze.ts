/**
 * `soothe analyze <file>`: HRV report of an RR file (plain ms/s, Kubios, CSV exports, or a Soothe
 * session folder / its events.ndjson). Metrics over the whole file after artifact correction.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeRr, CORRECTION_METHODS, type CorrectionMethod, type HrvReport } from '../../shared/hrv/analyze-rr';
import { parseRrFile, type RrFileFormat } from '../../shared/parsers/rr-file';

const FORMATS: readonly RrFileFormat[] = ['auto', 'rr-ms', 'rr-s', 'kubios', 'csv'];
const USAGE = 'soothe analyze <file> [--format auto|rr-ms|rr-s|kubios|csv] [--correction auto|none|very-low|low|medium|strong|very-strong] [--json]\n';

function round(v: number | null, digits = 6): number | null {
  if (v === null || !Number.isFinite(v)) return null;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export function toJson(r: HrvReport): unknown {
  return {
    beats: r.beats,
    artifacts: { method: r.artifacts.method, count: r.artifacts.count, percent: round(r.artifacts.percent), beats: r.artifacts.beats.map((b) => ({ index: b.index, type: b.type, originalRrMs: b.originalRrMs })) },
    time: {
      meanNnMs: round(r.time.meanNnMs),
      sdnnMs: round(r.time.sdnnMs),
      rmssdMs: round(r.time.rmssdMs),
      pnn50Pct: round(r.time.pnn50Pct),
      meanHrBpm: round(r.time.meanHrBpm),
      sd1Ms: round(r.time.sd1Ms),
      sd2Ms: round(r.time.sd2Ms),
    },
    frequency: {
      method: r.frequency.method,
      vlfMs2: round(r.frequency.vlfMs2),
      lfMs2: round(r.frequency.lfMs2),
      hfMs2: round(r.frequency.hfMs2),
      lfHf: round(r.frequency.lfHf),
      lfPeakHz: round(r.frequency.lfPeakHz),
      hfPeakHz: round(r.frequency.hfPeakHz),
      totalMs2: round(r.frequency.totalMs2),
      windowS: r.frequency.windowS,
      overlap: r.frequency.overlap,
      taper: r.frequency.taper,
      interpolation: r.frequency.interpolation,
      detrend: r.frequency.detrend,
    },
    coherence: { ratio: round(r.coherence.ratio), peakHz: round(r.coherence.peakHz) },
    rsa: { breathsPerMin: round(r.rsa.breathsPerMin, 3), peakToTroughBpm: round(r.rsa.peakToTroughBpm, 3), cycles: r.rsa.cycles },
    nnCount: r.nnCount,
  };
}

function fmt(v: number | null, digits: number, unit = ''): string {
  return v === null || !Number.isFinite(v) ? '—' : `${v.toFixed(digits)}${unit}`;
}

export function toText(file: string, r: HrvReport): string {
  const a = r.artifacts;
  const f = r.frequency;
  const lines = [
    `Soothe HRV report: ${file}`,
    `Soothe is a training tool, not a medical device.`,
    ``,
    `Beats: ${r.beats} RR intervals in, ${r.nnCount} NN intervals after correction`,
    `Artifacts (${a.method}): ${a.count} (${a.percent.toFixed(1)} %)${a.percent > 5 ? '  — over 5 %: treat the results as unreliable' : ''}`,
    ...a.beats.slice(0, 20).map((b) => `  #${b.index}  ${b.type.padEnd(10)} ${b.originalRrMs.toFixed(1)} ms`),
    ...(a.beats.length > 20 ? [`  … ${a.beats.length - 20} more (use --json for all)`] : []),
    ``,
    `Time domain`,
    `  mean NN   ${fmt(r.time.meanNnMs, 1, ' ms')}     mean HR ${fmt(r.time.meanHrBpm, 1, ' beats/min')}`,
    `  SDNN      ${fmt(r.time.sdnnMs, 1, ' ms')}     RMSSD   ${fmt(r.time.rmssdMs, 1, ' ms')}     pNN50 ${fmt(r.time.pnn50Pct, 1, ' %')}`,
    `  SD1       ${fmt(r.time.sd1Ms, 1, ' ms')}     SD2     ${fmt(r.time.sd2Ms, 1, ' ms')}`,
    ``,
    `Frequency domain (${f.method}${f.windowS !== null ? `, ${f.taper} window ${f.windowS} s, ${100 * (f.overlap ?? 0)} % overlap, ${f.interpolation}` : ''}; ${f.detrend})`,
    `  VLF ${fmt(f.vlfMs2, 1, ' ms²')}   LF ${fmt(f.lfMs2, 1, ' ms²')} (peak ${fmt(f.lfPeakHz, 3, ' Hz')})   HF ${fmt(f.hfMs2, 1, ' ms²')} (peak ${fmt(f.hfPeakHz, 3, ' Hz')})`,
    `  LF/HF ${fmt(f.lfHf, 3)}   total (0.0033–0.4 Hz) ${fmt(f.totalMs2, 1, ' ms²')}`,
    ``,
    `Coherence (HeartMath-style: peak ±0.015 Hz / (total − peak)): ${fmt(r.coherence.ratio, 3)} at ${fmt(r.coherence.peakHz, 3, ' Hz')}`,
    `Breathing (from RR): ${fmt(r.rsa.breathsPerMin, 1, ' breaths/min')}, RSA peak-to-trough ${fmt(r.rsa.peakToTroughBpm, 1, ' beats/min')}`,
  ];
  return lines.join('\n') + '\n';
}

async function readInput(file: string): Promise<{ text: string; soothe: boolean }> {
  const s = await stat(file);
  if (s.isDirectory()) return { text: await readFile(join(file, 'events.ndjson'), 'utf8'), soothe: true };
  return { text: await readFile(file, 'utf8'), soothe: false };
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'auto' },
      correction: { type: 'string', default: 'auto' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const file = positionals[0];
  if (!file || positionals.length > 1) {
    process.stderr.write(USAGE);
    return 2;
  }
  const format = values.format as RrFileFormat;
  const correction = values.correction as CorrectionMethod;
  if (!FORMATS.includes(format)) throw new Error(`--format must be one of ${FORMATS.join(', ')}`);
  if (!CORRECTION_METHODS.includes(correction)) throw new Error(`--correction must be one of ${CORRECTION_METHODS.join(', ')}`);
  const input = await readInput(file);
  let parsed;
  try {
    parsed = parseRrFile(input.text, input.soothe ? 'soothe' : format);
  } catch (e) {
    throw new Error(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  for (const w of parsed.warnings ?? []) process.stderr.write(`soothe analyze: ${file}: ${w}\n`);
  const report = analyzeRr(parsed.rrMs, { correction });
  process.stdout.write(values.json ? JSON.stringify(toJson(report)) + '\n' : toText(file, report));
  return 0;
}
