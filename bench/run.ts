/**
 * `npm run bench`: runs every section (or those named: `npm run bench -- pipeline`) and writes
 * bench/RESULTS.md with the date and the machine. Sections not run keep their previous text.
 */
import { cpus, totalmem } from 'node:os';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SECTIONS } from './sections';

// Resolved from the project root (npm runs scripts there), not from the bundle's folder.
const RESULTS = join(process.cwd(), 'bench', 'RESULTS.md');

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  let previous = '';
  try {
    previous = await readFile(RESULTS, 'utf8');
  } catch {
    previous = '';
  }
  const old = new Map<string, string>();
  for (const m of previous.matchAll(/<!-- section:(\S+) -->\n([\s\S]*?)<!-- \/section -->/g)) old.set(m[1] ?? '', m[2] ?? '');
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;
  const parts: string[] = [];
  for (const s of SECTIONS) {
    let body = old.get(s.id);
    if (only.length === 0 || only.includes(s.id)) {
      process.stdout.write(`bench: ${s.id}…\n`);
      const md = await s.run();
      body = `## ${s.title}\n\nMeasured ${new Date().toISOString().slice(0, 10)} on ${machine}.\n\n${md.trim()}\n\n`;
      process.stdout.write(body);
    }
    if (body) parts.push(`<!-- section:${s.id} -->\n${body}<!-- /section -->`);
  }
  await writeFile(RESULTS, `# Benchmark results\n\nWritten by \`npm run bench\` (bench/run.ts). Medians and tails, never single runs.\n\n${parts.join('\n\n')}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
