/**
 * @vitest-environment node
 *
 * Live, loopback only: Soothe's services with LSL on; the project's own inlet (not liblsl)
 * discovers Soothe's streams by unicast to 127.0.0.1, reads the full info, pulls samples in both
 * byte orders and checks values, timestamps and time correction. A second outlet host plays a
 * researcher's experiment (PsychoPy) whose clock is 1000 s off; Soothe follows its marker stream
 * and records the markers into the session with time correction applied.
 *
 * Every socket binds to 127.0.0.1; groups are joined on 127.0.0.1 only; every datagram goes to
 * 127.0.0.1; no broadcast or multicast destination is configured.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../main/services/services';
import { lslLocalClockS } from '../../../main/services/lsl/clock';
import { fetchFullInfo, measureTimeCorrection, resolveStreams, StreamInlet, type ResolvedStream } from '../../../main/services/lsl/inlet';
import { LslOutletHost, type LslOutlet } from '../../../main/services/lsl/outlet-host';
import { parseInfoXml } from '../../../shared/lsl/stream-info';
import type { LslStatus } from '../../../shared/types/lsl';

const LOOPBACK = '127.0.0.1';
const PSYCHOPY_CLOCK_OFFSET_S = 1000;

let dir = '';
let services: Services;
let psychopy: LslOutletHost;
let psychoMarkers: LslOutlet;
let status: LslStatus;
let streams: ResolvedStream[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const byName = (name: string): ResolvedStream => {
  const s = streams.find((x) => x.name === name);
  if (!s) throw new Error(`${name} not discovered`);
  return s;
};
async function until<T>(f: () => Promise<T> | T, ok: (v: T) => boolean, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (ok(v) || Date.now() > end) return v;
    await sleep(25);
  }
}
async function invoke<T>(fn: () => Promise<T>): Promise<T> {
  return fn();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'soothe-lsl-'));
  // the experiment's outlet, on its own loopback discovery port and a clock 1000 s ahead
  psychopy = await LslOutletHost.start({
    config: { multicastPort: 0, basePort: 0, listenAddress: LOOPBACK, interfaces: [LOOPBACK], addresses: [LOOPBACK] },
    clock: () => lslLocalClockS() + PSYCHOPY_CLOCK_OFFSET_S,
    hostname: 'stimulus-pc',
  });
  psychoMarkers = await psychopy.createOutlet({ name: 'PsychoPyMarkers', type: 'Markers', channelCount: 1, channelFormat: 'string', sourceId: 'psychopy-exp-1', nominalSrateHz: 0, desc: [] });
  services = createServices({
    dataDir: dir,
    version: 'test',
    shell: 'web',
    lslConfig: {
      multicastPort: 0,
      basePort: 0,
      listenAddress: LOOPBACK,
      interfaces: [LOOPBACK],
      addresses: [],
      knownPeers: [`${LOOPBACK}:${psychopy.discoveryPort}`],
    },
  });
  // ignore any lsl_api.cfg on this machine: the overrides above set every network field
  status = await invoke(() => services.handlers['lsl:enable'](true));
});

afterAll(async () => {
  await services?.dispose();
  await psychopy?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('Soothe as an LSL outlet, read by the project’s inlet over loopback', () => {
  it('is off by default and on after lsl:enable, persisted in the settings', async () => {
    const freshDir = mkdtempSync(join(tmpdir(), 'soothe-lsl-off-'));
    const fresh = createServices({ dataDir: freshDir, version: 'test', shell: 'web' });
    expect((await fresh.handlers['lsl:status']()).enabled).toBe(false);
    expect((await fresh.handlers['settings:get']()).lsl).toEqual({ enabled: false, markerInlet: null });
    await fresh.dispose();
    rmSync(freshDir, { recursive: true, force: true });
    expect(status.enabled).toBe(true);
    expect(status.discoveryPort).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')).lsl).toEqual({ enabled: true, markerInlet: null });
  });

  it('discovery by unicast to 127.0.0.1 finds every stream with its name, type and a stable source_id', async () => {
    streams = await resolveStreams({ query: "session_id='default'", targets: [{ address: LOOPBACK, port: status.discoveryPort! }], bindAddress: LOOPBACK, timeoutMs: 600 });
    expect(streams.map((s) => `${s.name}/${s.type}`).sort()).toEqual(['SootheHeartRate/HeartRate', 'SootheMarkers/Markers', 'SoothePacer/Pacer', 'SootheRR/RR', 'SootheReward/Reward']);
    for (const s of streams) {
      expect(s.v4address).toBe(LOOPBACK);
      expect(s.sourceId).toMatch(/^soothe-[0-9a-f]{10}-[a-z]+$/);
      expect(s.v4dataPort * s.v4servicePort).toBeGreaterThan(0);
    }
    // a restarted Soothe keeps its source ids (recorders reconnect through them)
    const againDir = mkdtempSync(join(tmpdir(), 'soothe-lsl-2-'));
    const again = createServices({ dataDir: againDir, version: 'test', shell: 'web', lslConfig: { multicastPort: 0, basePort: 0, listenAddress: LOOPBACK, interfaces: [LOOPBACK], addresses: [] } });
    const st2 = await again.handlers['lsl:enable'](true);
    expect(st2.streams.map((s) => s.sourceId).sort()).toEqual(streams.map((s) => s.sourceId).sort());
    await again.dispose();
    rmSync(againDir, { recursive: true, force: true });
  });

  it('fullinfo carries channel labels, units and types in <desc>', async () => {
    const pacer = await fetchFullInfo(byName('SoothePacer'));
    expect(parseInfoXml(pacer)).toMatchObject({ channelCount: 3, channelFormat: 'float32', nominalSrateHz: 10 });
    expect(pacer).toMatch(/<label>pacer_phase<\/label>\s*<unit>cycles<\/unit>/);
    expect(pacer).toMatch(/<label>pacer_rate<\/label>\s*<unit>breaths\/min<\/unit>/);
    expect(await fetchFullInfo(byName('SootheRR'))).toMatch(/<label>rr_interval<\/label>\s*<unit>ms<\/unit>\s*<type>RR<\/type>/);
    expect(await fetchFullInfo(byName('SootheHeartRate'))).toMatch(/<unit>bpm<\/unit>/);
  });

  it('session events become samples stamped at the time they happened (little- and big-endian inlets)', async () => {
    const rr = await StreamInlet.open(byName('SootheRR')); // rejects unless both test patterns match exactly
    const hrBe = await StreamInlet.open(byName('SootheHeartRate'), { bigEndian: true });
    const markers = await StreamInlet.open(byName('SootheMarkers'));
    expect(rr.byteOrder).toBe(1234);
    expect(hrBe.byteOrder).toBe(4321);
    const { sessionId } = await services.handlers['recording:start']({ source: 'test', wallClockStartIso: new Date().toISOString() });
    const t0 = lslLocalClockS();
    await sleep(300);
    const beats = [812.5, 845, 901.25];
    const beatTimesMs = [50, 895, 1796.25];
    const events = beats.map((rrMs, i) => ({ kind: 'beat', tMs: beatTimesMs[i]!, data: { rrMs } }));
    // a renderer push carries its session time at sending: 300 ms after start
    await services.handlers['lsl:push']({ sessionId, nowMs: 300, events: [...events, { kind: 'marker', tMs: 290, data: { label: 'Breathe', category: 'phase' } }, { kind: 'trainer', tMs: 295, data: { event: 'phase', phase: 'breathe' } }] });
    const got = await rr.pull(3);
    expect(got.map((s) => s.values[0])).toEqual(beats);
    const hr = await hrBe.pull(3);
    hr.forEach((s, i) => expect(s.values[0]).toBeCloseTo(60000 / beats[i]!, 3));
    // beat spacing is the RR spacing exactly; the absolute time is session origin + tMs
    expect(got[1]!.timestampS - got[0]!.timestampS).toBeCloseTo(0.845, 6);
    expect(got[2]!.timestampS - got[1]!.timestampS).toBeCloseTo(0.90125, 6);
    expect(Math.abs(got[0]!.timestampS - (t0 + events[0]!.tMs / 1000))).toBeLessThan(0.05);
    expect(hr[2]!.timestampS).toBeCloseTo(got[2]!.timestampS, 9);
    const m = await markers.pull(2);
    expect(m.map((s) => s.values[0])).toEqual(['phase:Breathe', 'phase:breathe']);
    rr.close();
    hrBe.close();
    markers.close();
    await services.handlers['recording:stop'](sessionId);
  });

  it('the pacer stream is sampled at 10 Hz on session time from the recorded pacer settings', async () => {
    const { sessionId } = await services.handlers['recording:start']({ source: 'test', wallClockStartIso: new Date().toISOString() });
    const pacer = await StreamInlet.open(byName('SoothePacer'));
    await services.handlers['recording:append'](sessionId, [{ kind: 'pacer', tMs: 0, data: { breathsPerMin: 6, inhaleShare: 0.4, pauseAfterInhaleS: 0, pauseAfterExhaleS: 0 } }]);
    const s = await pacer.pull(4, 6000); // the app's pacer stream waits 1.5 s for late pacer changes
    for (let i = 1; i < s.length; i++) expect(s[i]!.timestampS - s[i - 1]!.timestampS).toBeCloseTo(0.1, 6);
    for (const x of s) {
      expect(x.values[2]).toBeCloseTo(6, 5);
      expect(x.values[0]).toBeGreaterThanOrEqual(0);
      expect(x.values[0]).toBeLessThan(1);
    }
    pacer.close();
    await services.handlers['recording:stop'](sessionId);
  });

  it('time correction against Soothe is ~0 (same clock); against a clock 1000 s ahead it is −1000 s', async () => {
    const own = await measureTimeCorrection(byName('SootheRR'), { bindAddress: LOOPBACK });
    expect(Math.abs(own.correctionS)).toBeLessThan(0.002);
    expect(own.rttS).toBeLessThan(0.02);
    expect(own.probes.length).toBe(8);
    const [psy] = await resolveStreams({ query: "name='PsychoPyMarkers'", targets: [{ address: LOOPBACK, port: psychopy.discoveryPort }], bindAddress: LOOPBACK, minimum: 1 });
    const off = await measureTimeCorrection(psy!, { bindAddress: LOOPBACK });
    expect(off.correctionS).toBeCloseTo(-PSYCHOPY_CLOCK_OFFSET_S, 2);
  });
});

describe('Soothe as an LSL inlet for an experiment’s markers', () => {
  it('lists marker streams (not its own), follows the picked one and records its markers with time correction', async () => {
    const list = await services.handlers['lsl:marker-streams']();
    expect(list).toEqual([{ name: 'PsychoPyMarkers', sourceId: 'psychopy-exp-1', type: 'Markers', hostname: 'stimulus-pc', channelCount: 1 }]);
    // session time 0 is placed when recording:start arrives: between these two readings
    const startBeforeS = lslLocalClockS();
    const { sessionId, dir: sessionDir } = await services.handlers['recording:start']({ source: 'test', wallClockStartIso: new Date().toISOString() });
    const startAfterS = lslLocalClockS();
    await services.handlers['lsl:subscribe']({ name: 'PsychoPyMarkers', sourceId: 'psychopy-exp-1' });
    const st = await until(() => services.handlers['lsl:status'](), (s) => s.inlet?.state === 'connected' && psychoMarkers.consumerCount > 0);
    expect(st.inlet?.state).toBe('connected');
    expect(st.inlet?.correctionS).toBeCloseTo(-PSYCHOPY_CLOCK_OFFSET_S, 2);
    const sentAtS = lslLocalClockS();
    psychoMarkers.push(['stimulus-onset']); // stamped on the experiment's clock (+1000 s)
    await sleep(200);
    psychoMarkers.push(['response: left'], lslLocalClockS() + PSYCHOPY_CLOCK_OFFSET_S - 0.1); // happened 100 ms before sending
    await until(() => services.handlers['lsl:status'](), (s) => (s.inlet?.markers ?? 0) >= 2);
    await services.handlers['recording:stop'](sessionId);
    const events = readFileSync(join(sessionDir, 'events.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; tMs: number; text?: string; correctionS?: number; remoteTimeS?: number });
    const lsl = events.filter((e) => e.kind === 'lsl-marker');
    expect(lsl.map((e) => e.text)).toEqual(['stimulus-onset', 'response: left']);
    // the experiment stamped the marker 1000 s ahead; corrected, it lands when it was sent (±2 ms)
    expect(lsl[0]!.tMs).toBeGreaterThan((sentAtS - startAfterS) * 1000 - 2);
    expect(lsl[0]!.tMs).toBeLessThan((sentAtS - startBeforeS) * 1000 + 2);
    expect(lsl[0]!.remoteTimeS! - lsl[0]!.tMs / 1000).toBeGreaterThan(PSYCHOPY_CLOCK_OFFSET_S - 1); // the raw time is kept too
    expect(lsl[1]!.tMs - lsl[0]!.tMs).toBeGreaterThan(50);
    expect(lsl[1]!.tMs - lsl[0]!.tMs).toBeLessThan(200);
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')).lsl.markerInlet).toEqual({ name: 'PsychoPyMarkers', sourceId: 'psychopy-exp-1' });
  });

  it('reconnects when the experiment restarts its outlet (new uid, same source_id)', async () => {
    await psychopy.removeOutlet(psychoMarkers);
    await until(() => services.handlers['lsl:status'](), (s) => s.inlet?.state === 'searching');
    psychoMarkers = await psychopy.createOutlet({ name: 'PsychoPyMarkers', type: 'Markers', channelCount: 1, channelFormat: 'string', sourceId: 'psychopy-exp-1', nominalSrateHz: 0, desc: [] });
    const st = await until(() => services.handlers['lsl:status'](), (s) => s.inlet?.state === 'connected' && psychoMarkers.consumerCount > 0, 8000);
    expect(st.inlet?.state).toBe('connected');
    const off = await services.handlers['lsl:subscribe'](null);
    expect(off.inlet).toBeNull();
  });
});
