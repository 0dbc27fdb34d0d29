/**
 * Polar PMD decoders against every public vector in ../shared/datasets/polar-pmd/vectors.json
 * (specification examples, SDK unit-test bytes, real captures; see its `source` fields), plus
 * byte-literal cases for what the vectors do not cover: truncation, unknown types, counting.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePmdCommand, encodePmdCommand, parsePmdControlPointMessage, responseSettings, describePmdStatus } from '../../../shared/parsers/polar-pmd/control-point';
import { parsePmdSettings, encodePmdSettings, selectPmdSettings } from '../../../shared/parsers/polar-pmd/settings';
import { decodePmdFrame, decodePmdDeltaPayload, pmdSampleTimestampsNs, pmdTimestampToIso, PmdFrameDecoder, accCountsToMilliG } from '../../../shared/parsers/polar-pmd/data-frame';
import { opName } from '../../../shared/parsers/polar-pmd/constants';

const VECTORS_PATH = resolve(process.cwd(), '../shared/datasets/polar-pmd/vectors.json');
const HAVE_VECTORS = existsSync(VECTORS_PATH);
if (!HAVE_VECTORS) console.warn(`skipping Polar PMD vector tests: ${VECTORS_PATH} is missing (the public vectors live in ../shared/datasets beside the checkout)`);

interface Vector {
  readonly id: string;
  readonly kind: string;
  readonly hex: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly expected: Readonly<Record<string, unknown>>;
}
const vectors: Vector[] = HAVE_VECTORS ? (JSON.parse(readFileSync(VECTORS_PATH, 'utf8')) as { vectors: Vector[] }).vectors : [];
const bytesOf = (hex: string): Uint8Array => Uint8Array.from((hex.replace(/\s+/g, '').match(/../g) ?? []).map((h) => Number.parseInt(h, 16)));
const hexOf = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
const byKind = (kind: string): Vector[] => vectors.filter((v) => v.kind === kind);

/** Compares a list given as [first…, '...', last…] (as the JSON abbreviates long timestamp lists). */
function expectAbbreviated(got: readonly string[], expected: readonly string[]): void {
  const gap = expected.indexOf('...');
  if (gap < 0) return void expect(got).toEqual(expected);
  expect(got.slice(0, gap)).toEqual(expected.slice(0, gap));
  const tail = expected.slice(gap + 1);
  expect(got.slice(got.length - tail.length)).toEqual(tail);
}

describe.skipIf(!HAVE_VECTORS)('Polar PMD public vectors', () => {
  it('holds the 33 public vectors', () => {
    expect(vectors.length).toBe(33);
  });

  it.each(byKind('cp-command').map((v) => [v.id, v] as const))('command %s', (_id, v) => {
    const bytes = bytesOf(v.hex);
    const r = parsePmdCommand(bytes);
    if (!r.ok) throw new Error(r.reason);
    expect(r.value.opCode).toBe(v.expected.opCode);
    expect(r.value.measurementType).toBe(v.expected.measurementType);
    expect(r.value.recordingType).toBe(0);
    const name = v.expected.opName;
    if (typeof name === 'string' && /^[A-Z_]+$/.test(name)) expect(opName(r.value.opCode)).toBe(name);
    // Settings as one value each, and the encoder writes the same bytes in the given order.
    const single = Object.fromEntries(Object.entries(r.value.settings).map(([k, vs]) => [k, vs?.[0]]));
    expect(single).toEqual(v.settings);
    expect(hexOf(encodePmdCommand(r.value.opCode, r.value.measurementType, v.settings as never))).toBe(v.hex);
    if (typeof v.expected.settingsTlv === 'string') expect(hexOf(bytes.subarray(2))).toBe(v.expected.settingsTlv.replace(/[\s|]/g, ''));
  });

  it.each(byKind('cp-feature-read').map((v) => [v.id, v] as const))('feature read %s', (_id, v) => {
    const r = parsePmdControlPointMessage(bytesOf(v.hex));
    expect(r).toEqual({ ok: true, value: { kind: 'feature-read', supported: v.expected.supported } });
  });

  it.each(byKind('cp-response').map((v) => [v.id, v] as const))('response %s', (_id, v) => {
    const r = parsePmdControlPointMessage(bytesOf(v.hex));
    if (!r.ok || r.value.kind !== 'response') throw new Error(`not a response: ${JSON.stringify(r)}`);
    const { parameters, ...rest } = r.value;
    expect({ ...rest, parameters: hexOf(parameters) }).toEqual({
      kind: 'response',
      opCode: v.expected.opCode,
      measurementType: v.expected.measurementType,
      status: v.expected.status,
      statusName: v.expected.statusName,
      more: v.expected.more,
      parameters: v.expected.parameters,
    });
    const want = v.expected.settings as Record<string, number[]> | undefined;
    if (want) {
      const s = responseSettings(parameters);
      if (!s.ok) throw new Error(s.reason);
      expect(Object.keys(s.value)).toEqual(Object.keys(want));
      for (const [k, vals] of Object.entries(want)) {
        const got = s.value[k as keyof typeof s.value] ?? [];
        // FACTOR is float32: the JSON gives it rounded to a few digits.
        vals.forEach((x, i) => (k === 'FACTOR' ? expect(got[i]).toBeCloseTo(x, 9) : expect(got[i]).toBe(x)));
      }
    }
  });

  it.each(byKind('cp-device-command').map((v) => [v.id, v] as const))('device message %s', (_id, v) => {
    expect(parsePmdControlPointMessage(bytesOf(v.hex))).toEqual({ ok: true, value: { kind: 'online-measurement-stopped', measurementTypes: v.expected.measurementTypes } });
  });

  it.each(byKind('settings-tlv').map((v) => [v.id, v] as const))('settings %s', (_id, v) => {
    expect(parsePmdSettings(bytesOf(v.hex))).toEqual({ ok: true, value: v.expected });
  });

  it.each(byKind('delta-payload').map((v) => [v.id, v] as const))('delta payload %s', (_id, v) => {
    const r = decodePmdDeltaPayload(bytesOf(v.hex), v.settings.channels as number, v.settings.resolution as number);
    if (!r.ok) throw new Error(r.reason);
    expect(r.value.samples.length).toBe(v.expected.sampleCount);
    expect(r.value.samples).toEqual(v.expected.samples);
    expect(r.value.blocks.map((b) => [b.deltaBits, b.sampleCount])).toEqual(v.expected.blocks);
  });

  it.each(byKind('data-frame').map((v) => [v.id, v] as const))('data frame %s', (_id, v) => {
    const s = v.settings;
    const e = v.expected;
    const delta = e.compressed ? { channels: 3, resolution: (s.RESOLUTION as number | undefined) ?? 16, factor: (s.factor as number | undefined) ?? 1 } : undefined;
    const r = decodePmdFrame(bytesOf(v.hex), delta);
    if (!r.ok) throw new Error(r.reason);
    const f = r.value;
    expect(f.measurementType).toBe(e.measurementType);
    expect(typeof f.timestampNs).toBe('bigint');
    expect(f.timestampNs.toString()).toBe(e.timestampNs);
    expect(f.frameType).toBe(e.frameType);
    expect(f.compressed).toBe(e.compressed);
    expect(pmdTimestampToIso(f.timestampNs).slice(0, 19)).toBe((e.timestampUtc2000Epoch as string).slice(0, 19));
    const n = f.kind === 'ecg' ? f.microVolts.length : f.milliG.length;
    if (e.sampleCount !== undefined) expect(n).toBe(e.sampleCount);
    if (f.kind === 'ecg') expect(f.microVolts).toEqual(e.microVolts);
    if (f.kind === 'acc') {
      if (e.samplesMilliG) expect(f.milliG).toEqual(e.samplesMilliG);
      if (e.rawCounts) expect(f.rawCounts).toEqual(e.rawCounts);
      const truncated = e['milliG_factor_2.44e-4_x1000_truncated'];
      if (truncated) expect(f.milliG).toEqual(truncated);
      if (e.blocks) expect(f.blocks.map((b) => [b.deltaBits, b.sampleCount])).toEqual(e.blocks);
    }
    const tsKey = Object.keys(e).find((k) => k.startsWith('sampleTimestampsNs'));
    if (tsKey) {
      const prev = typeof s.previousFrameTimestampNs === 'string' ? BigInt(s.previousFrameTimestampNs) : null;
      const rate = (s.SAMPLE_RATE as number | undefined) ?? Number(/rate(\d+)/.exec(tsKey)?.[1] ?? 130);
      expectAbbreviated(
        pmdSampleTimestampsNs(f.timestampNs, n, prev, rate).map(String),
        e[tsKey] as string[],
      );
    }
  });

  it.each(byKind('data-frame-partial').map((v) => [v.id, v] as const))('partial frame %s: whole samples only', (_id, v) => {
    const e = v.expected;
    const bytes = bytesOf(v.hex);
    if (!e.compressed) {
      // Cut by its source at a sample boundary: a valid, shorter frame.
      const r = decodePmdFrame(bytes);
      if (!r.ok) throw new Error(r.reason);
      expect(r.value.timestampNs.toString()).toBe(e.timestampNs);
      if (r.value.kind === 'ecg') expect(r.value.microVolts).toEqual(e.microVolts);
      else expect(r.value.milliG).toEqual(e.samplesMilliG);
      return;
    }
    // A delta block cut short: rejected with a reason; the whole samples before the cut are reported.
    const r = decodePmdFrame(bytes, { channels: 3, resolution: v.settings.RESOLUTION as number, factor: v.settings.factor as number });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toMatch(/delta block truncated: declares 29 samples of 8 bits/);
    expect(r.partial?.declared).toEqual({ deltaBits: (e.declaredBlock as number[])[0], sampleCount: (e.declaredBlock as number[])[1] });
    expect(r.partial?.samples).toEqual(e.rawCounts_first6);
    expect((r.partial?.samples ?? []).map((s) => s.map((c) => accCountsToMilliG(c, v.settings.factor as number)))).toEqual(e.milliG_first6);
  });
});

describe('Polar PMD decoders: byte literals', () => {
  it('rejects short, ragged and unknown frames with a reason, and counts them by reason', () => {
    const dec = new PmdFrameDecoder({ ECG: 130 });
    const ts = [0x10, 0x27, 0, 0, 0, 0, 0, 0]; // 10 000 ns
    expect(dec.next(Uint8Array.of(0x00, 1, 2, 3))).toEqual({ ok: false, reason: 'frame too short (4 bytes): the header has 10' });
    expect(dec.next(Uint8Array.of(0x00, ...ts, 0x00, 1, 2, 3, 4))).toEqual({ ok: false, reason: 'ECG frame type 0x00: payload of 4 bytes is not a whole number of 3-byte samples' });
    expect(dec.next(Uint8Array.of(0x01, ...ts, 0x00, 1, 2, 3))).toEqual({ ok: false, reason: 'PPG frame type 0x00: not a frame type Soothe decodes (ECG raw type 0; ACC raw types 0–2 and delta types 0–1)' });
    expect(dec.next(Uint8Array.of(0x04, ...ts, 0x00))).toMatchObject({ ok: false, reason: expect.stringMatching(/^type 4 frame type 0x00: not a frame type/) });
    expect(dec.next(Uint8Array.of(0x02, ...ts, 0x81, 1, 0, 2, 0, 3, 0))).toEqual({ ok: false, reason: "ACC frame type 0x81: a delta frame needs the stream's channels and resolution" });
    expect(dec.rejectedCount).toBe(5);
    expect(dec.decoded).toBe(0);
    // A good frame: int24 LE µV, the sign extended (0xffff80 = −128).
    const ok = dec.next(Uint8Array.of(0x00, ...ts, 0x00, 0x80, 0xff, 0xff, 0x01, 0x00, 0x00));
    expect(ok).toMatchObject({ ok: true, value: { frame: { kind: 'ecg', microVolts: [-128, 1], timestampNs: 10_000n }, nonIncreasing: false } });
    // The same timestamp again: flagged, and sample times fall back to the nominal rate.
    expect(dec.next(Uint8Array.of(0x00, ...ts, 0x00, 0x01, 0x00, 0x00))).toMatchObject({ ok: true, value: { nonIncreasing: true } });
  });

  it('reads timestamps beyond 2^53 exactly (BigInt)', () => {
    // 0xFFFF_FFFF_FFFF_FFFF ns: no Number can hold it.
    const r = decodePmdFrame(Uint8Array.of(0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0, 0, 0));
    expect(r).toMatchObject({ ok: true, value: { timestampNs: 18_446_744_073_709_551_615n } });
    // 599 616 000 000 000 000 ns = 2019-01-01T00:00:00Z, the H10's default clock (notes §7 P7).
    expect(pmdTimestampToIso(599_616_000_000_000_000n)).toBe('2019-01-01T00:00:00.000Z');
    // Consecutive frames: sample times spread evenly, the last on the frame time, all exact.
    expect(pmdSampleTimestampsNs(599_622_174_321_294_204n, 3, 599_622_173_760_485_265n, 130)).toEqual([599_622_173_947_421_578n, 599_622_174_134_357_891n, 599_622_174_321_294_204n]);
  });

  it('rejects control-point values it cannot read, keeps unknown status codes as numbers', () => {
    expect(parsePmdControlPointMessage(new Uint8Array(0))).toEqual({ ok: false, reason: 'empty control-point value' });
    expect(parsePmdControlPointMessage(Uint8Array.of(0xf0, 0x02, 0x00))).toEqual({ ok: false, reason: 'response too short (3 bytes): op code, type and status needed' });
    expect(parsePmdControlPointMessage(Uint8Array.of(0x7e, 1))).toEqual({ ok: false, reason: 'unknown control-point message 0x7e' });
    expect(parsePmdControlPointMessage(Uint8Array.of(0xf0, 0x02, 0x00, 0x63))).toMatchObject({ ok: true, value: { status: 99, statusName: 'UNKNOWN_STATUS_99', more: false } });
    expect(parsePmdControlPointMessage(Uint8Array.of(0xf0, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01))).toMatchObject({ ok: true, value: { more: true } });
    expect(parsePmdSettings(Uint8Array.of(0x00, 0x02, 0x19, 0x00))).toEqual({ ok: false, reason: 'setting SAMPLE_RATE declares 2 value(s) of 2 bytes, only 2 bytes left' });
    expect(parsePmdSettings(Uint8Array.of(0x09, 0x01, 0x00))).toEqual({ ok: false, reason: 'unknown setting type 9 at byte 0' });
    expect(describePmdStatus(10, 2)).toMatch(/too small .* MTU of at least 70/);
  });

  it('builds a START from a GET response: every setting, preferred values where offered', () => {
    const acc = parsePmdSettings(Uint8Array.of(0x00, 0x04, 0x19, 0x00, 0x32, 0x00, 0x64, 0x00, 0xc8, 0x00, 0x01, 0x01, 0x10, 0x00, 0x02, 0x03, 0x02, 0x00, 0x04, 0x00, 0x08, 0x00));
    if (!acc.ok) throw new Error(acc.reason);
    const sel = selectPmdSettings(acc.value, { SAMPLE_RATE: 25, RANGE: 2 });
    expect(sel).toEqual({ SAMPLE_RATE: 25, RESOLUTION: 16, RANGE: 2 });
    expect(hexOf(encodePmdCommand(2, 2, sel))).toBe('02020001190001011000020102 00'.replace(/ /g, ''));
    expect(hexOf(encodePmdSettings({ CHANNELS: 3 }))).toBe('040103');
    expect(selectPmdSettings({ SAMPLE_RATE: [130], RESOLUTION: [14] }, { SAMPLE_RATE: 200 })).toEqual({ SAMPLE_RATE: 130, RESOLUTION: 14 });
  });
});
