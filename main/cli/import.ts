/**
 * `soothe import <file> [--out <dataDir>] [--format …]`: an RR file (any format `soothe analyze`
 * reads) or a Soothe export becomes a session in the library.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../services/data-dir';
import { SessionLibrary } from '../services/sessions/library';
import { importSessionFile } from '../../shared/session-format/import-session';
import type { RrFileFormat } from '../../shared/parsers/rr-file';

const FORMATS: readonly RrFileFormat[] = ['auto', 'rr-ms', 'rr-s', 'kubios', 'csv', 'soothe'];
const USAGE = `soothe import <file> [--out <data folder>] [--format ${FORMATS.join('|')}]\n`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { out: { type: 'string' }, format: { type: 'string', default: 'auto' }, help: { type: 'boolean', default: false } },
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
  if (!FORMATS.includes(values.format as RrFileFormat)) throw new Error(`--format must be one of ${FORMATS.join(', ')}`);
  let imp;
  try {
    imp = importSessionFile(basename(file), readFileSync(file, 'utf8'), values.format as RrFileFormat);
  } catch (e) {
    throw new Error(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const lib = new SessionLibrary(values.out ?? defaultDataDir());
  const { sessionId, dir } = lib.importSession(imp, new Date().toISOString());
  const beats = imp.events.filter((e) => e.kind === 'beat').length;
  process.stdout.write(`imported ${beats} beats (${imp.format}) as session ${sessionId}\n${dir}\n`);
  return 0;
}
