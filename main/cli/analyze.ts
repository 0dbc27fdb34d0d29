/**
 * `soothe analyze <file>…`: HRV report of an RR file (plain ms/s, Kubios, CSV exports, or a Soothe
 * session folder / its events.ndjson). Metrics over the whole file after artifact correction.
 * Several files (batch analysis for a study): one process reads them one after another, so start-up
 * and the JIT warm-up are paid once; `--json` then prints one JSON object per line with its `file`,
 * `--csv` one table row per file. A file that cannot be read or analysed gets its error (on stderr,
 * and as a row/line with `error`) and the others go on; the exit code is then 1.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeRr, CORRECTION_METHODS, type CorrectionMethod, type HrvReport } from '../../shared/hrv/analyze-rr';
import { parseRrFile, type RrFileFormat } from '../../shared/parsers/rr-file';
import { installHrvKernels } from '../hrv/install-kernels';

const FORMATS: readonly RrFileFormat[] = ['auto', 'rr-ms', 'rr-s', 'kubios', 'csv'];
const USAGE =
  'soothe analyze <file|session-dir>... [--format auto|rr-ms|rr-s|kubios|csv] [--correction auto|none|very-low|low|medium|strong|very-strong] [--json | --csv]\n' +
  '  several files: --json prints one JSON object per line (with "file"), --csv one row per file\n';

/** Columns of `--csv` (one row per file) after file and error: paths into the `--json` object. */
const CSV_COLUMNS: readonly (readonly [string, string])[] = [
  ['beats', 'beats'], ['nn_count', 'nnCount'], ['artifacts', 'artifacts.count'], ['artifact_pct', 'artifacts.percent'],
  ['mean_nn_ms', 'time.meanNnMs'], ['sdnn_ms', 'time.sdnnMs'], ['rmssd_ms', 'time.rmssdMs'], ['pnn50_pct', 'time.pnn50Pct'], ['mean_hr_bpm', 'time.meanHrBpm'], ['sd1_ms', 'time.sd1Ms'], ['sd2_ms', 'time.sd2Ms'],
  ['vlf_ms2', 'frequency.vlfMs2'], ['lf_ms2', 'frequency.lfMs2'], ['hf_ms2', 'frequency.hfMs2'], ['lf_hf', 'frequency.lfHf'], ['lf_peak_hz', 'frequency.lfPeakHz'], ['hf_peak_hz', 'frequency.hfPeakHz'], ['total_ms2', 'frequency.totalMs2'],
  ['coherence_ratio', 'coherence.ratio'], ['coherence_peak_hz', 'coherence.peakHz'], ['rsa_breaths_per_min', 'rsa.breathsPerMin'], ['rsa_peak_to_trough_bpm', 'rsa.peakToTroughBpm'],
  ['premature_pct', 'ectopy.prematurePct'], ['frequent_ectopy', 'ectopy.frequent'],
];

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvRow(file: string, r: HrvReport | null, error: string | null): string {
  const json = r ? toJson(r) : null;
  const at = (path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], json);
  return [file, error, ...(json ? CSV_COLUMNS.map(([, path]) => at(path)) : [])].map(csvCell).join(',');
}

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
    ectopy: { prematureCount: r.premature.count, prematurePct: round(r.premature.percent, 3), frequent: r.premature.frequent },
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
    `Premature-beat pattern (interval > 20 % shorter than both neighbours): ${r.premature.count} (${fmt(r.premature.percent, 1, ' %')})`,
    ...(r.premature.frequent
      ? [
          `  — frequent: these metrics mostly describe ectopic beats, not breathing-related heart rate variability;`,
          `    treat them as unreliable. (A statement about the data, not a diagnosis.)`,
        ]
      : []),
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

/**
 * The file's text (a session folder: its events.ndjson). Synchronous on purpose: files are read
 * one after another anyway, and the first asynchronous file operation would start libuv's thread
 * pool, a measurable part of a one-shot run.
 */
function readInput(file: string): { text: string; soothe: boolean } {
  if (statSync(file).isDirectory()) return { text: readFileSync(join(file, 'events.ndjson'), 'utf8'), soothe: true };
  return { text: readFileSync(file, 'utf8'), soothe: false };
}

async function analyzeFile(file: string, format: RrFileFormat, correction: CorrectionMethod): Promise<{ report: HrvReport; warnings: readonly string[] }> {
  const input = readInput(file);
  let parsed;
  try {
    parsed = parseRrFile(input.text, input.soothe ? 'soothe' : format);
  } catch (e) {
    throw new Error(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { report: analyzeRr(parsed.rrMs, { correction }), warnings: parsed.warnings ?? [] };
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'auto' },
      correction: { type: 'string', default: 'auto' },
      json: { type: 'boolean', default: false },
      csv: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length === 0 || (values.json && values.csv)) {
    process.stderr.write(USAGE);
    return 2;
  }
  const format = values.format as RrFileFormat;
  const correction = values.correction as CorrectionMethod;
  if (!FORMATS.includes(format)) throw new Error(`--format must be one of ${FORMATS.join(', ')}`);
  if (!CORRECTION_METHODS.includes(correction)) throw new Error(`--correction must be one of ${CORRECTION_METHODS.join(', ')}`);
  // The hot loops compiled ahead of time (WebAssembly): same numbers, no JIT warm-up.
  installHrvKernels();
  // One file: the report, or an error as the exit (the single-file behaviour since issue 3).
  if (positionals.length === 1 && !values.csv) {
    const file = positionals[0] as string;
    const { report, warnings } = await analyzeFile(file, format, correction);
    for (const w of warnings) process.stderr.write(`soothe analyze: ${file}: ${w}\n`);
    process.stdout.write(values.json ? JSON.stringify(toJson(report)) + '\n' : toText(file, report));
    return 0;
  }
  let failed = 0;
  if (values.csv) process.stdout.write(['file', 'error', ...CSV_COLUMNS.map(([name]) => name)].join(',') + '\n');
  for (const [i, file] of positionals.entries()) {
    let result: { report: HrvReport; warnings: readonly string[] } | null = null;
    let error: string | null = null;
    try {
      result = await analyzeFile(file, format, correction);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      failed += 1;
      process.stderr.write(`soothe analyze: ${error}\n`);
    }
    for (const w of result?.warnings ?? []) process.stderr.write(`soothe analyze: ${file}: ${w}\n`);
    if (values.csv) process.stdout.write(csvRow(file, result?.report ?? null, error) + '\n');
    else if (values.json) process.stdout.write(JSON.stringify(result ? { file, ...(toJson(result.report) as object) } : { file, error }) + '\n');
    else process.stdout.write((i > 0 ? '\n' : '') + (result ? toText(file, result.report) : `${file}: ${error}\n`));
  }
  return failed > 0 ? 1 : 0;
}
