/**
 * @vitest-environment node
 *
 * The session publisher's streams that the live test does not reach: breathing (created once
 * measured), raw PPG at the sensor's rate (created while a serial sensor runs, removed when it
 * closes), reward, and the marker texts. Read with the project's inlet over loopback only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LslOutletHost } from '../../../main/services/lsl/outlet-host';
import { markerText, SessionPublisher } from '../../../main/services/lsl/session-publisher';
import { fetchFullInfo, resolveStreams, StreamInlet } from '../../../main/services/lsl/inlet';
import { parseInfoXml } from '../../../shared/lsl/stream-info';

const LOOPBACK = '127.0.0.1';
let host: LslOutletHost;
let pub: SessionPublisher;
let nowS = 5000;
const clock = () => nowS;

beforeAll(async () => {
  host = await LslOutletHost.start({ config: { multicastPort: 0, basePort: 0, listenAddress: LOOPBACK, interfaces: [LOOPBACK], addresses: [LOOPBACK] }, clock });
  pub = new SessionPublisher(host, { installId: 'abc', version: 'test' }, clock, 1000);
  await pub.open();
});

afterAll(async () => {
  await pub?.close();
  await host?.close();
});

const find = async (name: string) => {
  const [s] = await resolveStreams({ query: `name='${name}'`, targets: [{ address: LOOPBACK, port: host.discoveryPort }], bindAddress: LOOPBACK, minimum: 1, timeoutMs: 1000 });
  if (!s) throw new Error(`${name} not found`);
  return s;
};
const waitFor = async (f: () => boolean): Promise<void> => {
  for (let i = 0; i < 100 && !f(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('SessionPublisher', () => {
  it('marker texts: Soothe markers, phase changes, trainer and script events; nothing for other kinds', () => {
    expect(markerText({ kind: 'marker', tMs: 0, data: { label: 'Breathe', category: 'phase' } })).toBe('phase:Breathe');
    expect(markerText({ kind: 'marker', tMs: 0, data: { label: 'client tearful' } })).toBe('client tearful');
    expect(markerText({ kind: 'trainer', tMs: 0, data: { event: 'phase', phase: 'settle' } })).toBe('phase:settle');
    expect(markerText({ kind: 'trainer', tMs: 0, data: { event: 'soothing-start' } })).toBe('trainer:soothing-start');
    expect(markerText({ kind: 'script', tMs: 0, data: { action: 'start', title: 'Soothing rhythm' } })).toBe('script:start:Soothing rhythm');
    expect(markerText({ kind: 'beat', tMs: 0, data: { rrMs: 900 } })).toBeNull();
  });

  it('breathing appears once measured; reward samples carry the value at the event time', async () => {
    expect(pub.list().map((o) => o.info.name)).not.toContain('SootheBreathing');
    const reward = await StreamInlet.open(await find('SootheReward'));
    pub.publish([
      { kind: 'metric', tMs: 10_000, data: { rmssdMs: 40, breathsPerMin: null } },
      { kind: 'reward', tMs: 10_500, data: { value: 0.625 } },
    ]);
    const r = await reward.pull(1);
    expect(r[0]).toEqual({ timestampS: 1010.5, values: [0.625] });
    expect(pub.list().map((o) => o.info.name)).not.toContain('SootheBreathing');
    pub.publish([{ kind: 'metric', tMs: 12_000, data: { rmssdMs: 41, breathsPerMin: 6.25 } }]);
    await waitFor(() => pub.list().some((o) => o.info.name === 'SootheBreathing'));
    const b = await find('SootheBreathing');
    expect(b.type).toBe('Respiration');
    expect(await fetchFullInfo(b)).toMatch(/<label>breathing_rate<\/label>\s*<unit>breaths\/min<\/unit>/);
    const inlet = await StreamInlet.open(b);
    pub.publish([{ kind: 'metric', tMs: 13_000, data: { breathsPerMin: 5.5 } }]);
    expect(await inlet.pull(1)).toEqual([{ timestampS: 1013, values: [5.5] }]);
    inlet.close();
    reward.close();
  });

  it('raw PPG: a stream at the sensor rate with a per-device source_id, evenly stamped, gone when the sensor closes', async () => {
    // first batch arrives when its last sample (index 49 at 100 Hz, t = 490 ms) is 2 ms old
    nowS = 100.492;
    pub.pushPpg({ tMs0: 0, fsHz: 100, values: Array.from({ length: 50 }, (_, k) => 500 + k), firstIndex: 0 }, '/dev/ttyACM0');
    await waitFor(() => pub.list().some((o) => o.info.name === 'SoothePPG'));
    const info = await find('SoothePPG');
    expect(info).toMatchObject({ type: 'PPG', nominalSrateHz: 100, sourceId: 'soothe-abc-ppg-dev-ttyACM0' });
    expect(parseInfoXml(await fetchFullInfo(info)).channelCount).toBe(1);
    const inlet = await StreamInlet.open(info);
    // the next batch arrived sooner after its last sample (1 ms): the offset moves 1 ms earlier
    nowS = 100.991;
    pub.pushPpg({ tMs0: 500, fsHz: 100, values: Array.from({ length: 50 }, (_, k) => 600 + k), firstIndex: 50 }, '/dev/ttyACM0');
    const s = await inlet.pull(50);
    expect(s[0]!.values[0]).toBe(600);
    expect(s[0]!.timestampS).toBeCloseTo(100.001 + 0.5, 9);
    for (let i = 1; i < s.length; i++) expect(s[i]!.timestampS - s[i - 1]!.timestampS).toBeCloseTo(0.01, 9);
    await pub.stopPpg();
    expect(pub.list().map((o) => o.info.name)).not.toContain('SoothePPG');
    const gone = await resolveStreams({ query: "name='SoothePPG'", targets: [{ address: LOOPBACK, port: host.discoveryPort }], bindAddress: LOOPBACK, timeoutMs: 200 });
    expect(gone).toEqual([]);
  });
});
