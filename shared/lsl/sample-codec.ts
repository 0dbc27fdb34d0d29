/**
 * LSL sample encoding, protocol 1.10 (liblsl `src/sample.cpp` `save_streambuf`/`load_streambuf`,
 * `assign_test_pattern`; ../shared/notes/lsl-protocol.md §6.4–6.5, checked on the captures).
 *
 *   tag: u8              1 = deduced timestamp (nothing follows), 2 = f64 timestamp follows
 *   timestamp: f64       seconds on the outlet's clock (tag 2 only)
 *   values               numeric: channelCount fixed-width values in the negotiated byte order;
 *                        string: per channel a width byte W (1, 2, 4, 8), the UTF-8 length as a
 *                        W-byte unsigned int, then the bytes (liblsl writes W=1 up to 255 bytes, else 4)
 *
 * No framing: samples follow each other on the TCP stream. Pure: works on Uint8Array/DataView.
 */
import type { LslChannelFormat } from './stream-info';

export const TAG_DEDUCED_TIMESTAMP = 1;
export const TAG_TRANSMITTED_TIMESTAMP = 2;
/** Timestamp of both test-pattern samples, s. */
export const TEST_PATTERN_TIMESTAMP_S = 123456.789;

export type LslValue = number | bigint | string;

export interface LslSample {
  /** Outlet clock, s; null = deduced (previous + 1/nominal rate). */
  readonly timestampS: number | null;
  readonly values: readonly LslValue[];
}

const VALUE_BYTES: Record<LslChannelFormat, number> = { float32: 4, double64: 8, string: 0, int32: 4, int16: 2, int8: 1, int64: 8 };

export function valueBytes(format: LslChannelFormat): number {
  return VALUE_BYTES[format];
}

/** UTF-8 without TextEncoder (shared/ has no DOM or Node typings). */
export function utf8Encode(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** UTF-8 decoding; malformed sequences become U+FFFD. */
export function utf8Decode(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; ) {
    const x = b[i] ?? 0;
    const n = x < 0x80 ? 1 : x >= 0xf0 ? 4 : x >= 0xe0 ? 3 : x >= 0xc0 ? 2 : 0;
    if (n === 0 || i + n > b.length) {
      s += '\ufffd';
      i += 1;
      continue;
    }
    let c = n === 1 ? x : x & (0xff >> (n + 1));
    let bad = false;
    for (let k = 1; k < n; k++) {
      const y = b[i + k] ?? 0;
      if ((y & 0xc0) !== 0x80) bad = true;
      c = (c << 6) | (y & 63);
    }
    s += bad ? '\ufffd' : String.fromCodePoint(c);
    i += bad ? 1 : n;
  }
  return s;
}

/**
 * The values of liblsl's test-pattern sample for channel k (sign + for even k, − for odd k).
 * @param offset 4 for the first test sample, 2 for the second (strings ignore it).
 */
export function testPatternValues(format: LslChannelFormat, channelCount: number, offset: number): LslValue[] {
  const out: LslValue[] = [];
  for (let k = 0; k < channelCount; k++) {
    const sign = k % 2 === 0 ? 1 : -1;
    switch (format) {
      case 'float32':
        out.push(sign * (k + offset));
        break;
      case 'double64':
        out.push(sign * (k + offset + 16777217));
        break;
      case 'int32':
        out.push(sign * ((k + offset + 65537) % 2147483647));
        break;
      case 'int16':
        out.push(sign * ((k + offset + 257) % 32767));
        break;
      case 'int8':
        out.push(sign * ((k + offset + 1) % 127));
        break;
      case 'int64':
        out.push(BigInt(sign) * BigInt(k + offset + 2147483649));
        break;
      case 'string':
        out.push(String(sign * (k + 10)));
        break;
    }
  }
  return out;
}

/** Encoded size of one sample, bytes. */
export function encodedSampleBytes(format: LslChannelFormat, values: readonly LslValue[], withTimestamp: boolean, utf8?: readonly Uint8Array[]): number {
  let n = 1 + (withTimestamp ? 8 : 0);
  if (format !== 'string') return n + values.length * VALUE_BYTES[format];
  for (let k = 0; k < values.length; k++) {
    const len = (utf8?.[k] ?? utf8Encode(String(values[k] ?? ''))).length;
    n += (len <= 0xff ? 1 : 4) + 1 + len;
  }
  return n;
}

/**
 * One sample in protocol-1.10 bytes.
 * @param timestampS outlet clock, s; null writes tag 1 (deduced).
 * @param littleEndian the negotiated byte order (`Byte-Order: 1234` = little-endian).
 */
export function encodeSample(format: LslChannelFormat, timestampS: number | null, values: readonly LslValue[], littleEndian: boolean): Uint8Array {
  const utf8 = format === 'string' ? values.map((v) => utf8Encode(String(v))) : undefined;
  const out = new Uint8Array(encodedSampleBytes(format, values, timestampS !== null, utf8));
  const dv = new DataView(out.buffer);
  let o = 0;
  out[o++] = timestampS === null ? TAG_DEDUCED_TIMESTAMP : TAG_TRANSMITTED_TIMESTAMP;
  if (timestampS !== null) {
    dv.setFloat64(o, timestampS, littleEndian);
    o += 8;
  }
  for (let k = 0; k < values.length; k++) {
    const v = values[k] ?? 0;
    switch (format) {
      case 'float32':
        dv.setFloat32(o, Number(v), littleEndian);
        break;
      case 'double64':
        dv.setFloat64(o, Number(v), littleEndian);
        break;
      case 'int32':
        dv.setInt32(o, Number(v), littleEndian);
        break;
      case 'int16':
        dv.setInt16(o, Number(v), littleEndian);
        break;
      case 'int8':
        dv.setInt8(o, Number(v));
        break;
      case 'int64':
        dv.setBigInt64(o, typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v))), littleEndian);
        break;
      case 'string': {
        const b = utf8?.[k] ?? new Uint8Array(0);
        if (b.length <= 0xff) {
          out[o++] = 1;
          out[o++] = b.length;
        } else {
          out[o++] = 4;
          dv.setUint32(o, b.length, littleEndian);
          o += 4;
        }
        out.set(b, o);
        o += b.length;
        continue;
      }
    }
    o += VALUE_BYTES[format];
  }
  return out;
}

/** Both test-pattern samples (offset 4, then 2), as liblsl sends them right after the response header. */
export function encodeTestPatterns(format: LslChannelFormat, channelCount: number, littleEndian: boolean): Uint8Array {
  const a = encodeSample(format, TEST_PATTERN_TIMESTAMP_S, testPatternValues(format, channelCount, 4), littleEndian);
  const b = encodeSample(format, TEST_PATTERN_TIMESTAMP_S, testPatternValues(format, channelCount, 2), littleEndian);
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * Decodes one sample at `offset`, or returns null when the bytes end before it does.
 * @throws Error on an unknown tag or string width (the stream is then unusable).
 */
export function decodeSample(
  bytes: Uint8Array,
  offset: number,
  format: LslChannelFormat,
  channelCount: number,
  littleEndian: boolean,
): { sample: LslSample; bytes: number } | null {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = offset;
  if (o + 1 > bytes.length) return null;
  const tag = bytes[o++];
  let timestampS: number | null = null;
  if (tag === TAG_TRANSMITTED_TIMESTAMP) {
    if (o + 8 > bytes.length) return null;
    timestampS = dv.getFloat64(o, littleEndian);
    o += 8;
  } else if (tag !== TAG_DEDUCED_TIMESTAMP) {
    throw new Error(`LSL sample with unknown tag ${tag} at byte ${offset}`);
  }
  const values: LslValue[] = [];
  const w = VALUE_BYTES[format];
  for (let k = 0; k < channelCount; k++) {
    if (format === 'string') {
      if (o + 1 > bytes.length) return null;
      const width = bytes[o++] ?? 0;
      if (o + width > bytes.length) return null;
      let len: number;
      if (width === 1) len = bytes[o] ?? 0;
      else if (width === 2) len = dv.getUint16(o, littleEndian);
      else if (width === 4) len = dv.getUint32(o, littleEndian);
      else if (width === 8) len = Number(dv.getBigUint64(o, littleEndian));
      else throw new Error(`LSL string with length width ${width} at byte ${o - 1}`);
      o += width;
      if (o + len > bytes.length) return null;
      values.push(utf8Decode(bytes.subarray(o, o + len)));
      o += len;
      continue;
    }
    if (o + w > bytes.length) return null;
    switch (format) {
      case 'float32':
        values.push(dv.getFloat32(o, littleEndian));
        break;
      case 'double64':
        values.push(dv.getFloat64(o, littleEndian));
        break;
      case 'int32':
        values.push(dv.getInt32(o, littleEndian));
        break;
      case 'int16':
        values.push(dv.getInt16(o, littleEndian));
        break;
      case 'int8':
        values.push(dv.getInt8(o));
        break;
      case 'int64':
        values.push(dv.getBigInt64(o, littleEndian));
        break;
    }
    o += w;
  }
  return { sample: { timestampS, values }, bytes: o - offset };
}

/**
 * Chunk-proof streaming decoder (carry-over buffer): feed TCP chunks, get whole samples, with
 * deduced timestamps resolved as liblsl's inlet does (previous + 1/nominal rate; irregular: previous).
 */
export class SampleStreamDecoder {
  private carry: Uint8Array = new Uint8Array(0);
  private lastTimestampS = 0;

  constructor(
    private readonly format: LslChannelFormat,
    private readonly channelCount: number,
    private readonly littleEndian: boolean,
    private readonly nominalSrateHz: number,
  ) {}

  next(chunk: Uint8Array): (LslSample & { readonly timestampS: number })[] {
    const buf = this.carry.length === 0 ? chunk : concatBytes(this.carry, chunk);
    const out: (LslSample & { readonly timestampS: number })[] = [];
    let o = 0;
    for (;;) {
      const r = decodeSample(buf, o, this.format, this.channelCount, this.littleEndian);
      if (!r) break;
      o += r.bytes;
      const t = r.sample.timestampS ?? this.lastTimestampS + (this.nominalSrateHz > 0 ? 1 / this.nominalSrateHz : 0);
      this.lastTimestampS = t;
      out.push({ timestampS: t, values: r.sample.values });
    }
    this.carry = buf.slice(o);
    return out;
  }

  /** Bytes held back because they do not yet form a whole sample. */
  get pendingBytes(): number {
    return this.carry.length;
  }
}

export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Protocol 1.00 (legacy; liblsl `src/portable_archive/portable_oarchive.hpp`, notes §6.6): a Boost
// "portable binary archive", always little-endian. Numbers are portable ints: a size byte s
// (0 = the value 0) then s little-endian bytes with the high zero bytes dropped; floating-point
// values and timestamps are written as the unsigned integer of their bit pattern. Only float32,
// double64 and string streams are encoded (Soothe's formats); integer formats would need the
// archive's signed form.

/** The unsigned portable int of little-endian bytes (high zero bytes dropped). */
function portableUnsigned(le: Uint8Array): number[] {
  let n = le.length;
  while (n > 0 && le[n - 1] === 0) n--;
  return [n, ...le.subarray(0, n)];
}

function portableLength(len: number): number[] {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(len), true);
  return portableUnsigned(b);
}

/** True when this stream format can be served with protocol 1.00 by this implementation. */
export function v100Supported(format: LslChannelFormat): boolean {
  return format === 'float32' || format === 'double64' || format === 'string';
}

/** The archive header: magic 0x7f, archive version 9, the shortinfo XML as a string, then Boost's class info (00 00). */
export function encodeV100Header(shortinfoXml: string): Uint8Array {
  const xml = utf8Encode(shortinfoXml);
  return Uint8Array.from([0x7f, 0x01, 0x09, ...portableLength(xml.length), ...xml, 0x00, 0x00]);
}

/** One sample in the 1.00 archive form (tag as portable int, timestamp and values as bit patterns). */
export function encodeSampleV100(format: LslChannelFormat, timestampS: number | null, values: readonly LslValue[]): Uint8Array {
  if (!v100Supported(format)) throw new Error(`protocol 1.00 is not implemented for ${format}`);
  const out: number[] = [1, timestampS === null ? TAG_DEDUCED_TIMESTAMP : TAG_TRANSMITTED_TIMESTAMP];
  const b8 = new Uint8Array(8);
  const dv = new DataView(b8.buffer);
  if (timestampS !== null) {
    dv.setFloat64(0, timestampS, true);
    out.push(...portableUnsigned(b8));
  }
  for (const v of values) {
    if (format === 'string') {
      const s = utf8Encode(String(v));
      out.push(...portableLength(s.length), ...s);
    } else if (format === 'float32') {
      dv.setFloat32(0, Number(v), true);
      out.push(...portableUnsigned(b8.subarray(0, 4)));
    } else {
      dv.setFloat64(0, Number(v), true);
      out.push(...portableUnsigned(b8));
    }
  }
  return Uint8Array.from(out);
}

/** Both test patterns in the 1.00 form. */
export function encodeTestPatternsV100(format: LslChannelFormat, channelCount: number): Uint8Array {
  const a = encodeSampleV100(format, TEST_PATTERN_TIMESTAMP_S, testPatternValues(format, channelCount, 4));
  const b = encodeSampleV100(format, TEST_PATTERN_TIMESTAMP_S, testPatternValues(format, channelCount, 2));
  return concatBytes(a, b);
}
