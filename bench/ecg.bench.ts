/**
 * ECG R-peak detector (issue 9): accuracy on the real ECG of nk_rest5 (../shared/datasets, never
 * copied) against NeuroKit2's offline R-peaks, at its own 100 Hz and resampled to the H10's 130 Hz;
 * the strap-RR quality check run on the same data; throughput.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { detectEcgRPeaks, EcgRPeakDetector } from '../shared/signal/ecg-rpeaks';
import { compareStrapRrWithEcg } from '../shared/signal/ecg-rr-quality';
import { ecgRecordingMissing, loadNkRest5Ecg, resampleLinear, scoreRPeaks } from '../tests/helpers/ecg-datasets';
import { createRng } from '../shared/sim/prng';
import { quantile, summarize, type BenchSection } from './types';

/** The 130 Hz signal with seeded white noise (SD = share × the median R amplitude) and a 0.3 Hz baseline sway of one R amplitude. */
function degraded(x: readonly number[], rAmplitude: number, noiseShare: number, seed: number): number[] {
  const rng = createRng(seed);
  return x.map((v, i) => v + noiseShare * rAmplitude * rng.gaussian() + rAmplitude * Math.sin((2 * Math.PI * 0.3 * i) / 130));
}

const f1 = (x: number | null): string => (x === null || Number.isNaN(x) ? '–' : x.toFixed(1));
const f3 = (x: number): string => x.toFixed(3);

export const ecgBench: BenchSection = {
  id: 'ecg',
  title: 'ECG R-peaks (streaming NeuroKit2 method) and the strap-RR quality check',
  async run() {
    const missing = ecgRecordingMissing();
    if (missing) return `Not measured: ${missing}.\n`;
    const rec = loadNkRest5Ecg();
    const refMs = rec.rPeaks.map((k) => (k * 1000) / rec.fs);
    const rows: string[] = [];
    const x130 = resampleLinear(rec.ecg, rec.fs, 130, 1000);
    const inputs: [string, number[], number][] = [
      ['nk_rest5 ECG, 100 Hz (as recorded)', rec.ecg, rec.fs],
      ['nk_rest5 ECG resampled to 130 Hz (H10 rate), linear', x130, 130],
    ];
    // Median R amplitude on the detector's cleaned signal, for the degraded copies below.
    const amps = detectEcgRPeaks(x130, 130).map((p) => p.amplitude).sort((a, b) => a - b);
    const rAmp = amps[amps.length >> 1] ?? 1;
    const robustness: [string, number[], number][] = [0.05, 0.1, 0.2].map((share, k) => [`130 Hz + white noise SD ${share * 100} % of R + 0.3 Hz sway of 1 R (seed ${k + 1})`, degraded(x130, rAmp, share, k + 1), 130]);
    for (const [name, x, fs] of [...inputs, ...robustness]) {
      const det = new EcgRPeakDetector({ sampleRateHz: fs });
      const peaks = detectEcgRPeaks(x, fs);
      for (const tol of robustness.some((r) => r[1] === x) ? [150] : [150, 50]) {
        const s = scoreRPeaks(peaks.map((p) => p.tMs), refMs, tol);
        rows.push(`| ${name} | ±${tol} | ${refMs.length} | ${s.tp} | ${s.fp} | ${s.fn} | ${f3(s.sensitivity)} | ${f3(s.ppv)} | ${f1(quantile(s.signedErrorsMs, 0.5))} | ${f1(quantile(s.absErrorsMs, 0.5))} | ${f1(quantile(s.absErrorsMs, 0.95))} | ${(det.maxLookAheadS * 1000).toFixed(0)} |`);
      }
    }
    const acc =
      '| input | match window ms | reference peaks | TP | FP | FN | sensitivity | PPV | timing error median (signed) ms | median abs ms | p95 abs ms | max look-ahead ms |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n' +
      rows.join('\n') +
      '\n';

    // Quality check: the reference's own RR (NeuroKit2, offline, 10 ms quantised) as the "strap".
    const strap = refMs.slice(1).map((t, i) => ({ tMs: t, rrMs: t - (refMs[i] as number) }));
    const qRows: string[] = [];
    for (const [name, x, fs] of inputs) {
      const q = compareStrapRrWithEcg(strap, detectEcgRPeaks(x, fs).map((p) => p.tMs));
      qRows.push(`| ${name} | ${q.strapRr} | ${q.matchedBeats} | ${q.comparedRr} | ${f1(q.offsetMs)} | ${f1(q.rrDiffMedianMs)} | ${f1(q.rrDiffP95Ms)} | ${q.unconfirmedShare === null ? '–' : (100 * q.unconfirmedShare).toFixed(1)} |`);
    }
    const qual =
      '| ECG input | RR judged | beats matched | RR compared | offset ms | RR difference median ms | p95 ms | not confirmed % |\n|---|---|---|---|---|---|---|---|\n' + qRows.join('\n') + '\n';

    // Throughput, 15 rounds per input.
    const load0 = loadavg()[0] ?? 0;
    const tput: string[] = [];
    for (const [name, x, fs] of inputs) {
      const rates: number[] = [];
      for (let r = 0; r < 15; r++) {
        const det = new EcgRPeakDetector({ sampleRateHz: fs });
        const t0 = performance.now();
        for (let i = 0; i < x.length; i++) det.push(x[i] as number, (i * 1000) / fs);
        rates.push(x.length / ((performance.now() - t0) / 1000));
      }
      const s = summarize(rates.map((v) => -v));
      tput.push(`| ${name} | ${(-s.median / 1e6).toFixed(2)} | ${(-s.p99 / 1e6).toFixed(2)} | ${(-s.median / fs).toFixed(0)}× |`);
    }
    const load1 = loadavg()[0] ?? 0;
    return [
      'Degraded rows add seeded noise and baseline sway to the 130 Hz copy (synthetic degradation of a real ECG, not movement artefacts recorded on an H10).',
      '',
      'Reference: NeuroKit2 0.2.9 `ecg_peaks(method="neurokit")` run offline (zero-phase filters, whole-recording statistics) on the same ECG — the method our causal detector adapts, so this measures what the causal form (forward filters, running QRS-length mean, bounded look-ahead) costs; it is not an independent annotation. Timing error = detected − reference, matched peaks. The 130 Hz row resamples the 100 Hz recording linearly; it is not H10 data.',
      '',
      acc,
      'Strap-RR quality check (`compareStrapRrWithEcg`) with the reference\'s RR intervals (10 ms quantised) standing in for the strap\'s:',
      '',
      qual,
      `Throughput (one core, samples per second, median and slow tail = 1st percentile of 15 rounds; load average ${load0.toFixed(2)} → ${load1.toFixed(2)} on 2 cores):`,
      '',
      '| input | median M samples/s | slow tail M samples/s | × real time |\n|---|---|---|---|\n' + tput.join('\n'),
      '',
    ].join('\n');
  },
};

/**
 * The therapist console while a Polar H10 streams raw ECG, in headless Chromium with the strap
 * emulator: main-thread busy time (CDP Performance.getMetrics TaskDuration and ScriptDuration)
 * over 20 s with heart rate only, then 20 s with raw ECG streaming (frames decoded, R-peaks,
 * the strap-RR check, the live ECG strip redrawn at 4 Hz). Both include the emulation itself
 * (each notification is delivered by page script through the read workaround).
 */
export const ecgConsoleBench: BenchSection = {
  id: 'ecg-console',
  title: 'Therapist console with a Polar H10 streaming raw ECG: main-thread cost in Chromium',
  async run() {
    const { HAVE_CHROMIUM, CHROMIUM_MISSING, launchChromium } = await import('../tests/helpers/chromium');
    const { WEB_BUILT, WEB_MISSING, startWebApp } = await import('../tests/helpers/web-app');
    const { BLE_CHROMIUM_ARGS, BleStrapEmulator } = await import('../tests/helpers/ble-strap-emulator');
    const { ecgFrameBytes, ECG_FRAME_SAMPLES } = await import('../tests/fixtures/h10-ecg-frames');
    if (!HAVE_CHROMIUM || !WEB_BUILT) return `Not measured: ${!HAVE_CHROMIUM ? CHROMIUM_MISSING : WEB_MISSING}.\n`;
    const app = await startWebApp();
    const browser = await launchChromium({ args: BLE_CHROMIUM_ARGS });
    const rows: string[] = [];
    const load0 = loadavg()[0] ?? 0;
    try {
      const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
      await page.goto(app.url.replace('/#', '/?view=therapist&speed=1#'));
      const emu = await BleStrapEmulator.start(browser, page, { name: 'Polar H10 0B0E0C0D', battery: 80, pmd: true });
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      const metrics = async (): Promise<Record<string, number>> => Object.fromEntries(((await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }).metrics.map((m) => [m.name, m.value]));
      emu.answerNextPrompt('select');
      await page.getByRole('button', { name: /^Connect/ }).click();
      await page.getByRole('button', { name: 'Stream raw ECG' }).waitFor({ timeout: 15_000 });
      const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));
      const period = async (label: string, withEcg: boolean, k0: number): Promise<number> => {
        const events: { atMs: number; send: () => Promise<void> }[] = [];
        let frames = 0;
        if (withEcg) for (let k = 0; ((k + 1) * ECG_FRAME_SAMPLES * 1000) / 130 <= 20_000; k++, frames++) events.push({ atMs: ((k + 1) * ECG_FRAME_SAMPLES * 1000) / 130, send: () => emu.sendPmdFrame(ecgFrameBytes(k0 + k)) });
        for (let m = 0; m < 20; m++) events.push({ atMs: 520 + m * 1000, send: () => emu.sendNotification(Uint8Array.of(0x10, 60, 0x00, 0x04)) });
        events.sort((a, b) => a.atMs - b.atMs);
        const before = await metrics();
        const t0 = performance.now();
        for (const e of events) {
          await sleep(e.atMs - (performance.now() - t0));
          await e.send();
        }
        await sleep(20_000 - (performance.now() - t0));
        const after = await metrics();
        const wallS = (performance.now() - t0) / 1000;
        const d = (name: string): number => (after[name] ?? 0) - (before[name] ?? 0);
        rows.push(`| ${label} | ${wallS.toFixed(1)} | ${frames} | ${((100 * d('TaskDuration')) / wallS).toFixed(1)} | ${((100 * d('ScriptDuration')) / wallS).toFixed(1)} | ${((100 * (d('LayoutDuration') + d('RecalcStyleDuration'))) / wallS).toFixed(2)} | ${(d('JSHeapUsedSize') / 1e6).toFixed(1)} |`);
        return frames;
      };
      await period('heart rate only (1 notification/s)', false, 0);
      await page.getByRole('button', { name: 'Stream raw ECG' }).click();
      await page.getByTestId('ecg-panel').waitFor({ timeout: 10_000 });
      await period('heart rate + raw ECG (130 Hz, 73-sample frames), ECG strip and check on screen', true, 0);
      await emu.stop();
    } finally {
      await browser.close();
      await app.stop();
    }
    const load1 = loadavg()[0] ?? 0;
    return [
      `Load average ${load0.toFixed(2)} → ${load1.toFixed(2)} on 2 cores shared with other work; one run each (numbers vary with the load).`,
      '',
      '| 20 s of | wall s | ECG frames | main thread busy % (TaskDuration) | script % | layout + style % | JS heap change MB |',
      '|---|---|---|---|---|---|---|',
      ...rows,
      '',
    ].join('\n');
  },
};
