/**
 * The WebAssembly kernels `soothe analyze` installs (main/hrv/assembly → dist/wasm/hrv-kernels.wasm)
 * against the JavaScript implementations they stand in for: every number must be the same to the
 * bit (toEqual compares with Object.is), on random, tied, tiny and artifact-laden inputs, on the
 * reference datasets when present, and through the built CLI.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWasmHrvKernels } from '../../../main/hrv/wasm-kernels';
import { analyzeRr } from '../../../shared/hrv/analyze-rr';
import { accumulateWelchPow2 } from '../../../shared/hrv/compute-fft';
import { timeDomainSumsJs } from '../../../shared/hrv/compute-time-domain';
import { correctArtifactsJs } from '../../../shared/hrv/correct-artifacts';
import { DEFAULT_LIPPONEN, detectLipponenJs } from '../../../shared/hrv/detect-artifacts';
import { interpolateCubicSplineOnGrid } from '../../../shared/hrv/interpolate-cubic-spline';
import { setHrvKernels, type HrvKernels } from '../../../shared/hrv/kernels';
import { computeRollingQuantiles } from '../../../shared/hrv/rolling-quantile';
import { countPrematureJs, PREMATURE_RATIO } from '../../../shared/hrv/premature-beats';
import { computeBeatTimesSJs, resampleTachogramWithSpan } from '../../../shared/hrv/resample-tachogram';
import { parseRrFile, type RrFileFormat } from '../../../shared/parsers/rr-file';
import { createRng } from '../../../shared/sim/prng';
import { RrSimulator } from '../../../shared/sim/rr-simulator';
import { ARTIFACT_IDS, DATASETS_DIR, HAVE_DATASETS, readDataset, RR_IDS, type ArtifactDataset, type RrDataset } from '../../shared/hrv/datasets';

const run = promisify(execFile);
const ROOT = process.cwd();
const WASM = resolve(ROOT, 'dist/wasm/hrv-kernels.wasm');
let k: HrvKernels;
let dir = '';

beforeAll(async () => {
  // A build product (npm install and npm test build it): build it when a bare checkout lacks it.
  if (!existsSync(WASM) || !existsSync(resolve(ROOT, 'dist/node/cli.mjs'))) await run(process.execPath, ['scripts/build-node.mjs'], { cwd: ROOT });
  k = createWasmHrvKernels(readFileSync(WASM));
  dir = mkdtempSync(join(tmpdir(), 'soothe-kernels-'));
  writeFileSync(join(dir, 'long.txt'), rrWithArtifacts(21, 20_000).map((v) => v.toFixed(3)).join('\n') + '\n');
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

afterEach(() => setHrvKernels(null));

/** A simulated RR series (ms) with missed, extra and ectopic beats put in at known places. */
function rrWithArtifacts(seed: number, n: number): number[] {
  const sim = new RrSimulator({ seed, ectopicPerBeat: 0.01 });
  const rr = Array.from({ length: n }, () => sim.next().rrMs);
  const rng = createRng(seed + 1);
  for (let i = 50; i < n - 50; i += 97) {
    const kind = Math.floor(rng.uniform() * 3);
    if (kind === 0) rr[i] = rr[i]! + rr[i + 1]!; // missed beat
    else if (kind === 1) rr.splice(i, 1, rr[i]! * 0.4, rr[i]! * 0.6); // extra beat
    else {
      rr[i] = rr[i]! * 0.7; // premature beat with its compensatory pause
      rr[i + 1] = rr[i + 1]! * 1.3;
    }
  }
  return rr.slice(0, n);
}

function randomSeries(seed: number, n: number, ties = false): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => (ties ? Math.floor(rng.uniform() * 6) : 800 + 120 * rng.gaussian()));
}

describe('WebAssembly HRV kernels = the JavaScript definitions, bit for bit', () => {
  it('rolling quantiles: lengths 1–5000, windows 1–181, ties, one and two quantiles', () => {
    let compared = 0;
    for (const n of [1, 2, 5, 11, 12, 91, 92, 200, 5000]) {
      for (const w of [1, 3, 11, 91, 181]) {
        for (const qs of [[0.5], [0.25, 0.75]]) {
          for (const ties of [false, true]) {
            const v = randomSeries(n * 7 + w, n, ties);
            expect(k.rollingQuantiles!(v, w, qs), `n ${n} w ${w} qs ${qs.join('/')} ties ${ties}`).toEqual(computeRollingQuantiles(v, w, qs));
            compared += 1;
          }
        }
      }
    }
    expect(compared).toBe(180);
    // What the kernel leaves to JavaScript: even windows (an error there), three quantiles.
    expect(k.rollingQuantiles!([1, 2, 3], 4, [0.5])).toBeNull();
    expect(k.rollingQuantiles!([1, 2, 3], 3, [0.1, 0.5, 0.9])).toBeNull();
  });

  it('Lipponen–Tarvainen detection and the corrections: simulated artifacts, tiny series, gate on and off', () => {
    let flagged = 0;
    for (const seed of [1, 2, 3]) {
      for (const n of [1, 2, 3, 5, 40, 3000]) {
        const rr = rrWithArtifacts(seed, n);
        for (const confirm of [true, false]) {
          const o = { ...DEFAULT_LIPPONEN, confirm };
          const js = detectLipponenJs(rr, o);
          const wasm = k.detectLipponen!(rr, o);
          expect(wasm, `seed ${seed} n ${n} confirm ${confirm}`).toEqual(js);
          expect(k.correctArtifacts!(rr, js)).toEqual(correctArtifactsJs(rr, js));
          flagged += js.types.filter((t) => t !== 0).length;
        }
      }
    }
    // The series do carry artifacts for the comparison to mean something.
    expect(flagged).toBeGreaterThan(100);
  });

  it('time-domain sums, including successive differences of exactly 50 ms', () => {
    const series = [randomSeries(4, 2), randomSeries(5, 3), randomSeries(6, 10_000), [800, 850, 800, 850.001, 800, 749.999], rrWithArtifacts(7, 2000)];
    for (const x of series) expect(k.timeDomainSums!(x, 50, 1e6)).toEqual(timeDomainSumsJs(x));
    expect(timeDomainSumsJs([800, 850, 800, 850.001, 800, 749.999]).nn50).toBe(3);
  });

  it('the 4 Hz tachogram (beat times and spline in one call), of the NN values and of other values at their times', () => {
    for (const n of [4, 5, 300, 20_000]) {
      const nn = rrWithArtifacts(n, n);
      const other = randomSeries(n + 2, n);
      for (const values of [nn, other]) {
        setHrvKernels(null);
        const js = resampleTachogramWithSpan(nn, 4, values);
        expect(k.tachogram!(nn, values, 4), `n ${n}`).toEqual(js);
      }
    }
    expect(k.tachogram!([800, 810, 790], [800, 810, 790], 4)).toBeNull(); // under 4 beats: JavaScript
  });

  it('beat times and premature-beat counts', () => {
    for (const rr of [[], [800], [800, 810], rrWithArtifacts(8, 5000), Array.from({ length: 300 }, (_, i) => (i % 2 ? 1400 : 600))]) {
      expect(k.beatTimesS!(rr)).toEqual(computeBeatTimesSJs(rr));
      expect(k.countPremature!(rr, PREMATURE_RATIO)).toBe(countPrematureJs(rr));
    }
    expect(countPrematureJs(Array.from({ length: 300 }, (_, i) => (i % 2 ? 1400 : 600)))).toBe(149);
  });

  it('not-a-knot spline on the 4 Hz grid: 4 to 20 000 knots; a non-increasing knot is the same error', () => {
    for (const n of [4, 5, 17, 1000, 20_000]) {
      const rng = createRng(n);
      const x = new Float64Array(n);
      for (let i = 1; i < n; i++) x[i] = x[i - 1]! + 0.4 + rng.uniform();
      const y = randomSeries(n + 1, n);
      const count = Math.floor(x[n - 1]! * 4) + 1;
      expect(k.splineOnGrid!(x, y, count, 4), `n ${n}`).toEqual(interpolateCubicSplineOnGrid(x, y, count, 4));
    }
    const bad = Float64Array.from([0, 1, 1, 2, 3]);
    expect(() => k.splineOnGrid!(bad, [1, 2, 3, 4, 5], 10, 4)).toThrow('x must be strictly increasing (index 2)');
    expect(() => interpolateCubicSplineOnGrid(bad, [1, 2, 3, 4, 5], 10, 4)).toThrow('x must be strictly increasing (index 2)');
    expect(k.splineOnGrid!(Float64Array.from([0, 1, 2]), [1, 2, 3], 9, 4)).toBeNull(); // the parabola case stays in JavaScript
  });

  it('Welch accumulation: even and odd segment counts, zero padding, transform sizes 4–4096', () => {
    const cases = [
      { n: 5000, l: 1024, step: 512, nfft: 1024 },
      { n: 4700, l: 1024, step: 512, nfft: 1024 }, // an odd last segment (half-size transform)
      { n: 3000, l: 1000, step: 500, nfft: 1024 }, // zero-padded
      { n: 3000, l: 3000, step: 3000, nfft: 4096 }, // one segment (the sliding-coherence shape)
      { n: 64, l: 4, step: 2, nfft: 4 },
      { n: 64, l: 7, step: 4, nfft: 8 },
    ];
    for (const c of cases) {
      const x = randomSeries(c.n, c.n);
      const segments = Math.floor((c.n - c.l) / c.step) + 1;
      const w = Float64Array.from({ length: c.l }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / c.l));
      const js = new Float64Array(c.nfft / 2 + 1);
      const wasm = new Float64Array(c.nfft / 2 + 1);
      accumulateWelchPow2(x, c.l, c.step, segments, w, c.nfft, js);
      expect(k.welchPow2!(x, c.l, c.step, segments, w, c.nfft, wasm)).toBe(true);
      expect(wasm, JSON.stringify(c)).toEqual(js);
      expect(js.some((v) => v > 0)).toBe(true);
    }
  });

  it('plain RR files: every line form the JavaScript parser reads the same, uncommon forms declined, errors unchanged', () => {
    const files: [string, RrFileFormat][] = [
      ['800\n810.5\n\n790\n', 'auto'],
      ['0.8\r\n0.81\r\n0.79\r\n', 'auto'],
      ['\uFEFF 812\t\n\t799 \r790\r', 'auto'],
      ['812,5\n+799\n790', 'auto'],
      ['0.8\n0.9', 'rr-s'],
      ['800\n810\n', 'rr-ms'],
      ['1e3\n800\n', 'auto'], // exponent: declined, read by JavaScript
      ['"812"\n799\n', 'auto'],
      ['812.0000000000000001\n799\n', 'auto'], // more than 15 digits
      ['812\n799 ms\n', 'auto'],
      ['800\n810\nhello\n', 'auto'],
      ['800\n-810\n790\n', 'auto'],
      ['800\n\u00a0810\n', 'auto'],
      ['800\n-\n', 'auto'],
      ['', 'auto'],
      ['800\n20000\n', 'auto'],
      ['0.8\n0.81\n0.05\n0.79\n', 'auto'], // seconds, one interval out of range: the error names line 3
    ];
    const read = (text: string, format: RrFileFormat): unknown => {
      try {
        const r = parseRrFile(text, format);
        // Lines are kept by the JavaScript reader only (they name a line in an error).
        return { rrMs: Array.from(r.rrMs), format: r.format, warnings: r.warnings };
      } catch (e) {
        return (e as Error).message;
      }
    };
    for (const [text, format] of files) {
      setHrvKernels(null);
      const js = read(text, format);
      setHrvKernels(k);
      expect(read(text, format), JSON.stringify(text)).toEqual(js);
    }
    // A long file read in several chunks: line endings of every kind, blank lines, both decimal marks.
    const rng = createRng(3);
    const ends = ['\n', '\r\n', '\r', '\n\n', ' \t\n'];
    let long = '';
    for (let i = 0; i < 40_000; i++) {
      const v = (700 + rng.uniform() * 400).toFixed(i % 4);
      long += (i % 9 === 0 ? v.replace('.', ',') : v) + ends[i % ends.length];
    }
    expect(long.length).toBeGreaterThan(200_000);
    setHrvKernels(null);
    const js = read(long, 'auto');
    setHrvKernels(k);
    expect(read(long, 'auto')).toEqual(js);
    expect(k.scanPlainRr!(long, 10, 100, 10_000)?.values.length).toBe(40_000);
    expect(k.scanPlainRr!('800\n810.5\n\n790\n', 10, 100, 10_000)).toMatchObject({ below: 0, allValidMs: true });
    expect(k.scanPlainRr!('1e3\n', 10, 100, 10_000)).toBeNull();
    expect(k.scanPlainRr!('800\n\u00e9\n', 10, 100, 10_000)).toBeNull();
  });

  it('a whole analysis (2 h with artifacts) is the same report with the kernels installed', () => {
    const rr = rrWithArtifacts(11, 8000);
    setHrvKernels(null);
    const js = analyzeRr(rr);
    // Count the calls, to know the kernels did the work rather than declining it.
    const calls: Record<string, number> = {};
    const counted = Object.fromEntries(
      Object.entries(k).map(([name, f]) => [name, typeof f !== 'function' ? f : (...a: unknown[]) => {
        const r = (f as (...a: unknown[]) => unknown)(...a);
        if (r !== null && r !== false) calls[name] = (calls[name] ?? 0) + 1;
        return r;
      }]),
    ) as unknown as HrvKernels;
    setHrvKernels(counted);
    const wasm = analyzeRr(rr);
    expect(js.artifacts.count).toBeGreaterThan(50);
    expect(wasm).toEqual(js);
    expect(calls).toMatchObject({ detectLipponen: 1, correctArtifacts: 1, timeDomainSums: 1, welchPow2: 1, countPremature: 1, tachogram: 1, nnPeakToTroughSum: 1 });
  });

  it.skipIf(!HAVE_DATASETS)(`reference datasets (${DATASETS_DIR}): the same detection, corrections and report`, () => {
    for (const id of ARTIFACT_IDS) {
      const d = readDataset<ArtifactDataset>(`artifacts/${id}_artifacts.json`);
      for (const rr of [d.corrupted_rr_ms, d.clean_rr_ms]) {
        setHrvKernels(null);
        const js = analyzeRr(rr);
        setHrvKernels(k);
        expect(analyzeRr(rr), id).toEqual(js);
      }
    }
    for (const id of RR_IDS) {
      const d = readDataset<RrDataset>(`rr/${id}.json`);
      setHrvKernels(null);
      const js = analyzeRr(d.rr_ms);
      setHrvKernels(k);
      expect(analyzeRr(d.rr_ms), id).toEqual(js);
    }
  });
});

describe('soothe analyze with and without the kernels (built CLI)', () => {
  async function soothe(args: string[], kernels: string | null): Promise<{ code: number; stdout: string; stderr: string }> {
    const env = { ...process.env };
    delete env.SOOTHE_KERNELS;
    if (kernels !== null) env.SOOTHE_KERNELS = kernels;
    try {
      const r = await run(process.execPath, [resolve(ROOT, 'bin/soothe.cjs'), ...args], { cwd: ROOT, env });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (e) {
      const x = e as { code: number; stdout: string; stderr: string };
      return { code: x.code, stdout: x.stdout, stderr: x.stderr };
    }
  }

  it('prints the same bytes (JSON, CSV, text, errors) as SOOTHE_KERNELS=js', async () => {
    const long = join(dir, 'long.txt');
    const secs = join(dir, 'secs.txt');
    writeFileSync(secs, rrWithArtifacts(22, 3000).map((v) => (v / 1000).toFixed(4)).join('\r\n'));
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, '800\n810\n20000\n');
    for (const args of [['analyze', long, '--json'], ['analyze', secs], ['analyze', long, secs, bad, '--csv'], ['analyze', bad]]) {
      const js = await soothe(args, 'js');
      const wasm = await soothe(args, null);
      expect(wasm, args.join(' ')).toEqual(js);
    }
    expect((await soothe(['analyze', long, '--json'], 'js')).stdout).toMatch(/"artifacts":\{"method":"Lipponen/);
  });

  it('SOOTHE_KERNELS other than js or wasm is refused by name', async () => {
    const r = await soothe(['analyze', join(dir, 'long.txt')], 'fast');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('SOOTHE_KERNELS must be js or wasm');
  });
});
