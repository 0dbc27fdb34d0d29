/**
 * Lab Streaming Layer: samples per second Soothe's outlet delivers to one inlet over loopback
 * (the project's own inlet, which checks the test patterns and decodes every sample), and the
 * time-correction round trip (liblsl's `LSL:timedata` probes) against the outlet's service port.
 * Everything binds to 127.0.0.1. Outlet and inlet share one Node thread here, so the throughput
 * is a lower bound for an inlet in another process (LabRecorder).
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToIo } from 'node:timers/promises';
import { LslOutletHost } from '../main/services/lsl/outlet-host';
import { measureTimeCorrection, resolveStreams, StreamInlet } from '../main/services/lsl/inlet';
import { summarize, type BenchSection } from './types';

const LOOPBACK = '127.0.0.1';
const RUN_MS = 1000;
const RUNS = 7;

async function throughput(host: LslOutletHost, chunk: number, channels: number): Promise<{ perS: number[]; dropped: number; bytesPerSample: number }> {
  const outlet = await host.createOutlet({ name: `Bench${chunk}x${channels}`, type: 'PPG', channelCount: channels, channelFormat: 'float32', sourceId: `bench-${chunk}-${channels}`, nominalSrateHz: 1000, desc: [] });
  const [info] = await resolveStreams({ query: `name='${outlet.info.name}'`, targets: [{ address: LOOPBACK, port: host.discoveryPort }], bindAddress: LOOPBACK, minimum: 1 });
  const inlet = await StreamInlet.open(info!, { maxBufferSamples: 1_000_000 });
  let received = 0;
  inlet.onSample(() => received++);
  const values = Array.from({ length: channels }, (_, k) => k + 0.5);
  const perS: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const start = received;
    const t0 = performance.now();
    let ts = 0;
    while (performance.now() - t0 < RUN_MS) {
      const samples = Array.from({ length: chunk }, () => ({ values, timestampS: (ts += 0.001) }));
      outlet.pushChunk(samples);
      await yieldToIo(); // let the socket write and the inlet read
    }
    // drain what is in flight before closing the run
    for (let i = 0; i < 50 && received < outlet.samplesPushed; i++) await new Promise((res) => setTimeout(res, 10));
    perS.push(((received - start) * 1000) / (performance.now() - t0));
  }
  const dropped = outlet.samplesDropped;
  inlet.close();
  await host.removeOutlet(outlet);
  return { perS, dropped, bytesPerSample: 9 + 4 * channels };
}

async function timeCorrection(host: LslOutletHost): Promise<{ rttUs: number[]; correctionUs: number[]; callMs: number[] }> {
  const outlet = await host.createOutlet({ name: 'BenchTime', type: 'Markers', channelCount: 1, channelFormat: 'string', sourceId: 'bench-time', nominalSrateHz: 0, desc: [] });
  const rttUs: number[] = [];
  const correctionUs: number[] = [];
  const callMs: number[] = [];
  for (let i = 0; i < 40; i++) {
    const t0 = performance.now();
    const r = await measureTimeCorrection({ v4address: LOOPBACK, v4servicePort: outlet.info.v4servicePort }, { bindAddress: LOOPBACK, intervalMs: 10, waitMs: 50 });
    callMs.push(performance.now() - t0);
    for (const p of r.probes) rttUs.push((p.t3S - p.t0S - (p.t2S - p.t1S)) * 1e6);
    correctionUs.push(Math.abs(r.correctionS) * 1e6);
  }
  await host.removeOutlet(outlet);
  return { rttUs, correctionUs, callMs };
}

export const lslBench: BenchSection = {
  id: 'lsl',
  title: 'LSL outlet: loopback throughput and time-correction round trip',
  async run() {
    const loadBefore = loadavg()[0] ?? 0;
    const host = await LslOutletHost.start({ config: { multicastPort: 0, basePort: 0, listenAddress: LOOPBACK, interfaces: [LOOPBACK], addresses: [LOOPBACK] } });
    const rows: string[] = [];
    for (const [chunk, channels] of [
      [1, 1],
      [10, 1],
      [100, 1],
      [100, 8],
    ] as const) {
      const r = await throughput(host, chunk, channels);
      const s = summarize(r.perS);
      const slowest = Math.min(...r.perS);
      rows.push(`| ${chunk} | ${channels} | ${r.bytesPerSample} | ${Math.round(s.median).toLocaleString('en')} | ${Math.round(slowest).toLocaleString('en')} | ${r.dropped} |`);
    }
    const tc = await timeCorrection(host);
    await host.close();
    const rtt = summarize(tc.rttUs);
    const corr = summarize(tc.correctionUs);
    const call = summarize(tc.callMs);
    const loadAfter = loadavg()[0] ?? 0;
    return [
      `Load average (1 min) ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after (a shared 2-core machine: other engineers' builds and tests run alongside).`,
      '',
      `Throughput: float32 samples with explicit timestamps (tag 2), pushed in chunks for ${RUN_MS} ms per run, ${RUNS} runs; the inlet verifies both test patterns and decodes every sample. Samples per second received by the inlet (median and slowest run; with ${RUNS} runs the p99 is the slowest):`,
      '',
      '| samples per push | channels | bytes/sample | median samples/s | slowest run samples/s | dropped |',
      '|---|---|---|---|---|---|',
      ...rows,
      '',
      `Time correction: ${tc.callMs.length} calls of 8 \`LSL:timedata\` probes each (10 ms apart instead of liblsl's 64 ms to save time), ${tc.rttUs.length} probes. Same host and clock, so the correction itself should be ~0.`,
      '',
      '| measure | median | p99 |',
      '|---|---|---|',
      `| probe round trip (t3 − t0) − (t2 − t1), µs | ${rtt.median.toFixed(1)} | ${rtt.p99.toFixed(1)} |`,
      `| \\|time correction\\| from the best probe, µs | ${corr.median.toFixed(1)} | ${corr.p99.toFixed(1)} |`,
      `| one time_correction() call, ms | ${call.median.toFixed(1)} | ${call.p99.toFixed(1)} |`,
    ].join('\n');
  },
};
