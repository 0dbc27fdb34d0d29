/**
 * `soothe export <session-dir> --format csv|json|kubios|edf --out <file>`: a session in an open format.
 * With a Polar H10's raw ECG in the session, EDF+ gets an ECG channel and CSV a second file,
 * <file>-ecg.csv (docs/session-format.md).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { describeSessionDir } from '../services/sessions/library';
import { EXPORT_FORMATS, ecgCsvPath, exportSession, exportSessionEcgCsv, isExportFormat } from '../services/sessions/export-session';

const USAGE = `soothe export <session-dir> --format ${EXPORT_FORMATS.join('|')} --out <file>\n`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { format: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', default: false } },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const dir = positionals[0];
  if (!dir || positionals.length > 1 || !values.out || !values.format) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (!isExportFormat(values.format)) throw new Error(`--format must be one of ${EXPORT_FORMATS.join(', ')}`);
  if (!existsSync(dir)) throw new Error(`${dir}: no such session folder`);
  const s = describeSessionDir(dir, true);
  if (s.events.length === 0 && s.damaged.length > 0) throw new Error(`${dir}: nothing readable (${s.damaged.join('; ')})`);
  writeFileSync(values.out, exportSession(s, values.format));
  // A session with a Polar H10's raw ECG: its samples go to a second CSV beside the first.
  const ecgCsv = values.format === 'csv' ? exportSessionEcgCsv(s) : null;
  const ecgNote = ecgCsv ? `; raw ECG to ${ecgCsvPath(values.out)}` : '';
  if (ecgCsv) writeFileSync(ecgCsvPath(values.out), ecgCsv);
  const beats = s.events.filter((e) => e.kind === 'beat').length;
  const markers = s.events.filter((e) => e.kind === 'marker').length;
  process.stdout.write(`exported ${beats} beats and ${markers} markers to ${values.out}${ecgNote}${s.damaged.length ? ` (damaged session, read as far as possible: ${s.damaged.join('; ')})` : ''}\n`);
  return 0;
}
