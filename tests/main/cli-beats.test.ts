/** `soothe beats`: CSV with and without a header, one value per line, --json, errors. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../main/cli/beats';
import { syntheticPpg } from '../fixtures/synthetic-ppg';
import { scoreBeats } from '../helpers/ppg-datasets';

const FS = 100;
const synth = syntheticPpg({ fs: FS, durationS: 60, seed: 9 });
let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'soothe-beats-'));
  writeFileSync(join(dir, 'header.csv'), `sample,t_s,ppg\n${synth.samples.map((v, i) => `${i},${(i / FS).toFixed(2)},${v}`).join('\n')}\n`);
  writeFileSync(join(dir, 'noheader.csv'), `${synth.samples.map((v) => `${v + 7},${v}`).join('\r\n')}\r\n`);
  writeFileSync(join(dir, 'single.txt'), `${synth.samples.join('\n')}\n`);
  writeFileSync(join(dir, 'garbage.bin'), Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919) & 0xff)));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function capture(argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    return { code: await run(argv), out };
  } finally {
    spy.mockRestore();
  }
}

const truth = synth.beatTimesS.filter((t) => t > 0.5 && t < 59.5);

describe('soothe beats', () => {
  it('--json on a CSV with a header (column by name); fs from the time column when not given', async () => {
    for (const argv of [['--fs', '100', '--column', 'ppg', '--json'], ['--json']]) {
      const r = await capture([join(dir, 'header.csv'), ...argv]);
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out) as { fs: number; beatsS: number[]; ibiMs: number[] };
      expect(j.fs).toBe(100);
      expect(j.ibiMs.length).toBe(j.beatsS.length - 1);
      expect(scoreBeats(j.beatsS, truth, 0.05).f1).toBeGreaterThanOrEqual(0.99);
    }
  });
  it('CSV without a header, column by index', async () => {
    const r = await capture([join(dir, 'noheader.csv'), '--fs', '100', '--column', '1', '--json']);
    const j = JSON.parse(r.out) as { beatsS: number[] };
    expect(scoreBeats(j.beatsS, truth, 0.05).f1).toBeGreaterThanOrEqual(0.99);
  });
  it('one value per line, text output: time_s <tab> interval_ms', async () => {
    const r = await capture([join(dir, 'single.txt'), '--fs', '100']);
    const rows = r.out.trim().split('\n').filter((l) => !l.startsWith('#'));
    expect(rows[0]).toMatch(/^\d+\.\d{4}\t$/);
    expect(rows[1]).toMatch(/^\d+\.\d{4}\t\d+\.\d$/);
    expect(scoreBeats(rows.map((l) => Number(l.split('\t')[0])), truth, 0.05).f1).toBeGreaterThanOrEqual(0.99);
  });
  it('clear errors: no --fs, unknown column, garbage', async () => {
    await expect(run([join(dir, 'single.txt')])).rejects.toThrow(/--fs/);
    await expect(run([join(dir, 'header.csv'), '--fs', '100', '--column', 'green'])).rejects.toThrow(/no column "green"/);
    await expect(run([join(dir, 'garbage.bin'), '--fs', '100'])).rejects.toThrow(/no recognisable data/);
  });
});
