/**
 * PMD data frames (notifications on the PMD data characteristic): raw and delta-compressed.
 *
 * Layout (SDK `PmdDataFrame.kt`, `online_measurement.pdf` §4.1 Table 6, notes/polar-pmd.md §4):
 * ```
 * byte 0      measurement type (& 0x3F)
 * bytes 1..8  uint64 LE, ns since 2000-01-01T00:00:00Z of the LAST sample in the frame
 * byte 9      frame type: bit 7 = delta-compressed, bits 0..6 = frame type number
 * bytes 10..  payload
 * ```
 * Raw frames handled here (H10 and the common SDK types):
 * - ECG type 0: int24 LE per sample, µV (every H10 capture).
 * - ACC type 0: 3 × int8; type 1: 3 × int16 LE (H10); type 2: 3 × int24 LE; mG.
 * Delta frames (SDK `BlePMDClient.parseDeltaFramesAll`, PMD spec 2022 p.6): a reference sample of
 * `channels × ceil(resolution/8)` bytes (sign-extended from bit resolution−1), then blocks
 * `[deltaBits u8][sampleCount u8][ceil(deltaBits·channels·sampleCount/8) bytes]`, bits read
 * LSB-first, each delta sign-extended from bit deltaBits−1 and added to the previous sample.
 * Units of delta ACC: type 0x80 → raw × FACTOR × 1000 in float32, truncated toward zero (SDK);
 * type 0x81 → mG as is when FACTOR is 1.
 *
 * Timestamps exceed 2^53, so they are BigInt. Every problem (short header, a payload that is not
 * a whole number of samples, a truncated delta block, an unknown measurement or frame type) is
 * rejected with a reason; nothing is padded or guessed.
 */
import { PMD_EPOCH_OFFSET_NS, measurementName, type PmdMeasurementName, type PmdResult } from './constants';

export const PMD_FRAME_HEADER_BYTES = 10;

export interface PmdFrameHeader {
  readonly measurementType: number;
  readonly measurement: PmdMeasurementName | null;
  /** ns since 2000-01-01T00:00:00Z of the frame's last sample. */
  readonly timestampNs: bigint;
  readonly compressed: boolean;
  /** Frame type number (bits 0..6 of byte 9). */
  readonly frameType: number;
}

/** What a delta frame needs from the START settings. */
export interface PmdDeltaContext {
  readonly channels: number;
  /** Bits per reference sample (RESOLUTION setting). */
  readonly resolution: number;
  /** FACTOR from the START response (1 when none was given). */
  readonly factor?: number;
}

export interface PmdDeltaBlock {
  readonly deltaBits: number;
  readonly sampleCount: number;
}

export type PmdFrame =
  | (PmdFrameHeader & { readonly kind: 'ecg'; readonly microVolts: readonly number[] })
  | (PmdFrameHeader & {
      readonly kind: 'acc';
      /** [x, y, z] per sample, mG (gravity included: issue #403). */
      readonly milliG: readonly (readonly [number, number, number])[];
      /** Raw counts of a delta frame before FACTOR (null for raw frames). */
      readonly rawCounts: readonly (readonly number[])[] | null;
      readonly blocks: readonly PmdDeltaBlock[];
    });

/** A delta payload that ends inside a block: the whole samples before the cut, and why it is rejected. */
export interface PmdPartialDelta {
  readonly samples: readonly (readonly number[])[];
  readonly declared: PmdDeltaBlock;
}

/** Header only (≥ 10 bytes). */
export function parsePmdFrameHeader(bytes: Uint8Array): PmdResult<PmdFrameHeader> {
  if (bytes.length < PMD_FRAME_HEADER_BYTES) return { ok: false, reason: `frame too short (${bytes.length} bytes): the header has ${PMD_FRAME_HEADER_BYTES}` };
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const measurementType = v.getUint8(0) & 0x3f;
  const ft = v.getUint8(9);
  return { ok: true, value: { measurementType, measurement: measurementName(measurementType), timestampNs: v.getBigUint64(1, true), compressed: (ft & 0x80) !== 0, frameType: ft & 0x7f } };
}

const signExtend = (value: number, bits: number): number => (bits <= 0 ? 0 : bits >= 32 ? value | 0 : (value << (32 - bits)) >> (32 - bits));

/**
 * Decodes a delta-compressed payload (the bytes after the 10-byte header).
 * @returns every sample (reference first) and the blocks, or a reason (with the whole samples
 *   decoded before a truncated block in `partial`).
 */
export function decodePmdDeltaPayload(
  payload: Uint8Array,
  channels: number,
  resolution: number,
): PmdResult<{ samples: number[][]; blocks: PmdDeltaBlock[] }> & { readonly partial?: PmdPartialDelta } {
  if (!(channels >= 1) || !(resolution >= 1 && resolution <= 32)) return { ok: false, reason: `delta frame needs channels ≥ 1 and resolution 1–32 bits (got ${channels}, ${resolution})` };
  const refBytes = Math.ceil(resolution / 8);
  if (payload.length < channels * refBytes) return { ok: false, reason: `delta frame shorter than its reference sample (${payload.length} < ${channels * refBytes} bytes)` };
  const ref: number[] = [];
  for (let c = 0; c < channels; c++) {
    let v = 0;
    for (let k = 0; k < refBytes; k++) v += (payload[c * refBytes + k] ?? 0) * 2 ** (8 * k);
    ref.push(signExtend(v, resolution));
  }
  const samples: number[][] = [ref];
  const blocks: PmdDeltaBlock[] = [];
  let at = channels * refBytes;
  while (at < payload.length) {
    if (at + 2 > payload.length) return { ok: false, reason: `delta block header truncated at payload byte ${at}`, partial: { samples, declared: { deltaBits: payload[at] ?? 0, sampleCount: 0 } } };
    const deltaBits = payload[at] ?? 0;
    const sampleCount = payload[at + 1] ?? 0;
    if (deltaBits > 32) return { ok: false, reason: `delta width ${deltaBits} bits is impossible (at payload byte ${at})` };
    const bitCount = deltaBits * channels * sampleCount;
    const bytesNeeded = Math.ceil(bitCount / 8);
    const start = at + 2;
    const available = payload.length - start;
    // Whole samples only, even when the block is cut: a partial is reported, never padded.
    const wholeSamples = bytesNeeded > available ? Math.floor((available * 8) / Math.max(1, deltaBits * channels)) : sampleCount;
    let bit = 0;
    const readBits = (): number => {
      let v = 0;
      for (let k = 0; k < deltaBits; k++, bit++) {
        const byte = payload[start + (bit >> 3)] ?? 0;
        if ((byte >> (bit & 7)) & 1) v += 2 ** k;
      }
      return signExtend(v, deltaBits);
    };
    for (let s = 0; s < wholeSamples; s++) {
      const prev = samples[samples.length - 1] ?? ref;
      const next: number[] = [];
      for (let c = 0; c < channels; c++) next.push((prev[c] ?? 0) + readBits());
      samples.push(next);
    }
    if (bytesNeeded > available) {
      return {
        ok: false,
        reason: `delta block truncated: declares ${sampleCount} samples of ${deltaBits} bits × ${channels} channels (${bytesNeeded} bytes), ${available} bytes left`,
        partial: { samples, declared: { deltaBits, sampleCount } },
      };
    }
    blocks.push({ deltaBits, sampleCount });
    at = start + bytesNeeded;
  }
  return { ok: true, value: { samples, blocks } };
}

const readIntLE = (v: DataView, at: number, bytes: number): number => (bytes === 1 ? v.getInt8(at) : bytes === 2 ? v.getInt16(at, true) : signExtend(v.getUint8(at) | (v.getUint8(at + 1) << 8) | (v.getUint8(at + 2) << 16), 24));

/** ACC delta counts → mG as the SDK does: float32 FACTOR × 1000, float32 product, truncated. */
export function accCountsToMilliG(count: number, factor: number): number {
  return Math.trunc(Math.fround(count * Math.fround(Math.fround(factor) * 1000)));
}

/**
 * Decodes one data notification. ECG raw type 0 and ACC raw types 0–2 need no context; delta
 * frames need `delta` (channels and resolution from the START settings).
 */
export function decodePmdFrame(bytes: Uint8Array, delta?: PmdDeltaContext): PmdResult<PmdFrame> & { readonly partial?: PmdPartialDelta } {
  const h = parsePmdFrameHeader(bytes);
  if (!h.ok) return h;
  const head = h.value;
  const payload = bytes.subarray(PMD_FRAME_HEADER_BYTES);
  const v = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const frameName = `${head.measurement ?? `type ${head.measurementType}`} frame type 0x${(head.frameType | (head.compressed ? 0x80 : 0)).toString(16).padStart(2, '0')}`;
  if (head.measurement === 'ECG' && !head.compressed && head.frameType === 0) {
    if (payload.length % 3 !== 0) return { ok: false, reason: `${frameName}: payload of ${payload.length} bytes is not a whole number of 3-byte samples` };
    const microVolts: number[] = [];
    for (let i = 0; i < payload.length; i += 3) microVolts.push(readIntLE(v, i, 3));
    return { ok: true, value: { ...head, kind: 'ecg', microVolts } };
  }
  if (head.measurement === 'ACC' && !head.compressed && head.frameType <= 2) {
    const size = head.frameType + 1;
    if (payload.length % (3 * size) !== 0) return { ok: false, reason: `${frameName}: payload of ${payload.length} bytes is not a whole number of ${3 * size}-byte samples` };
    const milliG: [number, number, number][] = [];
    for (let i = 0; i < payload.length; i += 3 * size) milliG.push([readIntLE(v, i, size), readIntLE(v, i + size, size), readIntLE(v, i + 2 * size, size)]);
    return { ok: true, value: { ...head, kind: 'acc', milliG, rawCounts: null, blocks: [] } };
  }
  if (head.measurement === 'ACC' && head.compressed && head.frameType <= 1) {
    if (!delta) return { ok: false, reason: `${frameName}: a delta frame needs the stream's channels and resolution` };
    if (delta.channels !== 3) return { ok: false, reason: `${frameName}: ACC needs 3 channels, settings say ${delta.channels}` };
    const d = decodePmdDeltaPayload(payload, 3, delta.resolution);
    if (!d.ok) return { ok: false, reason: `${frameName}: ${d.reason}`, ...(d.partial ? { partial: d.partial } : {}) };
    const factor = delta.factor ?? 1;
    const toMg = (c: number): number => (head.frameType === 0 ? accCountsToMilliG(c, factor) : factor === 1 ? c : Math.trunc(Math.fround(c * Math.fround(factor))));
    const milliG = d.value.samples.map((s) => [toMg(s[0] ?? 0), toMg(s[1] ?? 0), toMg(s[2] ?? 0)] as [number, number, number]);
    return { ok: true, value: { ...head, kind: 'acc', milliG, rawCounts: d.value.samples, blocks: d.value.blocks } };
  }
  return { ok: false, reason: `${frameName}: not a frame type Soothe decodes (ECG raw type 0; ACC raw types 0–2 and delta types 0–1)` };
}

/**
 * Per-sample timestamps as the SDK computes them (`PmdTimeStampUtils.getTimeStamps`), exactly in
 * BigInt: with the previous frame's timestamp P, sample i of n at round(P + (T−P)(i+1)/n);
 * for a first frame, round(T − (1e9/rate)(n−1−i)). The last sample is at T. Rounds half up
 * (the SDK's Kotlin rounds half to even; ties need (T−P)(i+1)/n to end in exactly .5).
 */
export function pmdSampleTimestampsNs(timestampNs: bigint, sampleCount: number, previousNs: bigint | null, sampleRateHz: number): bigint[] {
  const n = BigInt(sampleCount);
  const out: bigint[] = [];
  const roundDiv = (num: bigint, den: bigint): bigint => {
    const neg = num < 0n !== den < 0n;
    const a = num < 0n ? -num : num;
    const b = den < 0n ? -den : den;
    const q = (2n * a + b) / (2n * b);
    return neg ? -q : q;
  };
  for (let i = 0; i < sampleCount; i++) {
    const k = BigInt(i);
    if (previousNs !== null) out.push(previousNs + roundDiv((timestampNs - previousNs) * (k + 1n), n));
    else {
      // 1e9 / rate with the rate as a rational: rate may be fractional (e.g. 130.045 measured).
      const scale = 1_000_000n;
      const rate = BigInt(Math.round(sampleRateHz * 1_000_000));
      out.push(timestampNs - roundDiv(1_000_000_000n * scale * (n - 1n - k), rate));
    }
  }
  return out;
}

/** ns since the PMD epoch → ISO 8601 UTC, to the millisecond (for display and exports). */
export function pmdTimestampToIso(timestampNs: bigint): string {
  const unixMs = (timestampNs + PMD_EPOCH_OFFSET_NS) / 1_000_000n;
  return new Date(Number(unixMs)).toISOString();
}

/**
 * Decodes frames and counts what it rejected, by reason; keeps the previous timestamp per
 * (measurement, frame type) for sample times, flags a non-increasing timestamp. `reset()` on
 * stop or disconnect.
 */
export class PmdFrameDecoder {
  readonly rejected = new Map<string, number>();
  decoded = 0;
  private readonly previous = new Map<string, bigint>();

  /**
   * @param rates sample rate per measurement (Hz) from the START settings, for first-frame sample times
   * @param delta per-measurement delta context
   */
  constructor(
    private rates: Partial<Record<PmdMeasurementName, number>> = {},
    private delta: Partial<Record<PmdMeasurementName, PmdDeltaContext>> = {},
  ) {}

  /** Sample rates (Hz) and delta contexts from the START settings of the streams now running. */
  setRates(rates: Partial<Record<PmdMeasurementName, number>>, delta: Partial<Record<PmdMeasurementName, PmdDeltaContext>> = this.delta): void {
    this.rates = rates;
    this.delta = delta;
  }

  next(bytes: Uint8Array): PmdResult<{ frame: PmdFrame; sampleTimestampsNs: bigint[]; nonIncreasing: boolean }> {
    const head = parsePmdFrameHeader(bytes);
    const ctx = head.ok && head.value.measurement ? this.delta[head.value.measurement] : undefined;
    const r = decodePmdFrame(bytes, ctx);
    if (!r.ok) {
      const key = r.reason.replace(/\d+/g, 'N');
      this.rejected.set(key, (this.rejected.get(key) ?? 0) + 1);
      return { ok: false, reason: r.reason };
    }
    const f = r.value;
    const key = `${f.measurementType}:${f.compressed ? 1 : 0}:${f.frameType}`;
    const prev = this.previous.get(key) ?? null;
    const n = f.kind === 'ecg' ? f.microVolts.length : f.milliG.length;
    const rate = (f.measurement ? this.rates[f.measurement] : undefined) ?? (f.measurement === 'ECG' ? 130 : 25);
    const nonIncreasing = prev !== null && f.timestampNs <= prev;
    const sampleTimestampsNs = pmdSampleTimestampsNs(f.timestampNs, n, nonIncreasing ? null : prev, rate);
    this.previous.set(key, f.timestampNs);
    this.decoded++;
    return { ok: true, value: { frame: f, sampleTimestampsNs, nonIncreasing } };
  }

  /** Total rejected frames. */
  get rejectedCount(): number {
    let n = 0;
    for (const v of this.rejected.values()) n += v;
    return n;
  }

  reset(): void {
    this.previous.clear();
  }
}
