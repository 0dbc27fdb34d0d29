/**
 * Parser for the Bluetooth GATT Heart Rate Measurement characteristic (UUID 0x2A37).
 *
 * Specification: Bluetooth SIG, *Heart Rate Service 1.0* (HRS_SPEC_V10, §3.1.1 "Heart Rate
 * Measurement"), and the *GATT Specification Supplement* (GSS), section "Heart Rate
 * Measurement" (the field table that replaced org.bluetooth.characteristic.heart_rate_measurement.xml).
 * https://www.bluetooth.com/specifications/specs/heart-rate-service-1-0/
 * https://www.bluetooth.com/specifications/gss/
 *
 * Byte layout (all multi-octet fields little-endian, LSO first):
 * ```
 * offset  size  field
 * 0       1     Flags
 *               bit 0    Heart Rate Value Format: 0 = uint8, 1 = uint16
 *               bits 1-2 Sensor Contact Status, read as a 2-bit value (bit 2 = "supported",
 *                        bit 1 = "detected"):
 *                          0b00, 0b01  feature not supported in the current connection
 *                          0b10        supported, contact NOT detected
 *                          0b11        supported, contact detected
 *                        So bit 1 without bit 2 means "not supported": the spec defines the
 *                        value 1 as "not supported", and we report it as such (one real strap
 *                        sends it; see tests/fixtures/ble-hrm-captures.json).
 *               bit 3    Energy Expended present (uint16, kJ)
 *               bit 4    RR-Interval present (one or more uint16, 1/1024 s)
 *               bits 5-7 Reserved for future use
 * 1       1|2   Heart Rate Measurement Value, beats per minute (uint8 or uint16 per bit 0)
 * +0|2    2     Energy Expended, kJ, cumulative since the last reset; 0xFFFF means "saturated:
 *               the client should reset it" (HRS 1.0 §3.1.1.3); present if bit 3
 * ...     2n    RR-Interval values, oldest first, each uint16 in units of 1/1024 s; present if
 *               bit 4; n is given by the remaining length (HRS 1.0 §3.1.1.4)
 * ```
 *
 * Malformed packets are rejected with a reason, never thrown and never padded:
 * - empty, or too short for the fields its flags announce;
 * - RR flag set but no RR bytes (the flag means "one or more values are present");
 * - an odd number of RR bytes (RR values are whole uint16s);
 * - reserved flag bits set: a future field would change where the RR list starts or ends, so
 *   reading RR values from such a packet could invent intervals.
 *
 * Values are reported as sent: HR 0 (straps send it before they lock on), RR 0xFFFF (64 s) and
 * energy 0xFFFF are not filtered here; plausibility belongs to the RR cleaning stage.
 */

/** Bytes as delivered by Web Bluetooth (`DataView`), Node or tests (`Uint8Array`). */
export type HeartRateMeasurementBytes = DataView | Uint8Array;

export type SensorContact = 'not-supported' | 'detected' | 'not-detected';

export interface HeartRateMeasurement {
  /** Heart rate the strap computed itself, beats/min. 0 before the strap has locked on. */
  readonly hrBpm: number;
  readonly hrFormat: 'uint8' | 'uint16';
  readonly contact: SensorContact;
  /** Energy expended since the strap's last reset, kJ; null when the packet has none. 65535 = saturated. */
  readonly energyKj: number | null;
  /** RR intervals in milliseconds (rr1024 × 1000 / 1024, not rounded), oldest first. */
  readonly rrMs: readonly number[];
  /** The same RR intervals in the spec's raw unit, 1/1024 s. */
  readonly rr1024: readonly number[];
}

export type HeartRateMeasurementProblem = 'empty' | 'truncated' | 'rr-flag-without-rr' | 'odd-rr-bytes' | 'reserved-flags';

export type HeartRateMeasurementResult =
  | { readonly ok: true; readonly value: HeartRateMeasurement }
  | { readonly ok: false; readonly problem: HeartRateMeasurementProblem; readonly reason: string };

const FLAG_HR_UINT16 = 0x01;
const FLAG_CONTACT_DETECTED = 0x02;
const FLAG_CONTACT_SUPPORTED = 0x04;
const FLAG_ENERGY = 0x08;
const FLAG_RR = 0x10;
const FLAGS_RESERVED = 0xe0;

/** Milliseconds per RR unit: the spec's resolution is 1/1024 s. */
const MS_PER_RR1024 = 1000 / 1024;

const hex = (b: number): string => `0x${b.toString(16).padStart(2, '0')}`;

const reject = (problem: HeartRateMeasurementProblem, reason: string): HeartRateMeasurementResult => ({ ok: false, problem, reason });

function toBytes(data: HeartRateMeasurementBytes): Uint8Array {
  if (data instanceof Uint8Array) return data;
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Parses one Heart Rate Measurement notification (0x2A37).
 *
 * @param data the characteristic value exactly as received (`event.target.value` in Web Bluetooth)
 * @returns `{ ok: true, value }` with heart rate in bpm, energy in kJ and RR in ms and 1/1024 s,
 *   or `{ ok: false, problem, reason }` for a malformed packet. Never throws.
 *
 * @example
 * parseHeartRateMeasurement(Uint8Array.of(0x16, 0x3c, 0x11, 0x04))
 * // { ok: true, value: { hrBpm: 60, hrFormat: 'uint8', contact: 'detected', energyKj: null,
 * //                      rrMs: [1016.6015625], rr1024: [1041] } }
 */
export function parseHeartRateMeasurement(data: HeartRateMeasurementBytes): HeartRateMeasurementResult {
  const b = toBytes(data);
  const n = b.length;
  const flags = b[0];
  if (flags === undefined) return reject('empty', 'empty packet: no flags byte');
  if ((flags & FLAGS_RESERVED) !== 0) {
    return reject('reserved-flags', `reserved flag bits set (flags ${hex(flags)}): the layout after the heart rate is unknown`);
  }
  const hrFormat = (flags & FLAG_HR_UINT16) !== 0 ? 'uint16' : 'uint8';
  const hasEnergy = (flags & FLAG_ENERGY) !== 0;
  const hasRr = (flags & FLAG_RR) !== 0;
  const hrSize = hrFormat === 'uint16' ? 2 : 1;
  const fixedSize = 1 + hrSize + (hasEnergy ? 2 : 0);
  if (n < fixedSize) {
    const fields = `flags, ${hrFormat} heart rate${hasEnergy ? ', energy expended' : ''}`;
    return reject('truncated', `packet too short: ${n} byte(s), flags ${hex(flags)} need ${fixedSize} (${fields})`);
  }
  const u16 = (i: number): number => (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8);
  const hrBpm = hrFormat === 'uint16' ? u16(1) : (b[1] ?? 0);
  const energyKj = hasEnergy ? u16(1 + hrSize) : null;
  const rrBytes = n - fixedSize;
  const rr1024: number[] = [];
  const rrMs: number[] = [];
  if (hasRr) {
    if (rrBytes === 0) return reject('rr-flag-without-rr', `RR flag set (flags ${hex(flags)}) but the packet carries no RR interval`);
    if (rrBytes % 2 !== 0) return reject('odd-rr-bytes', `odd number of RR bytes (${rrBytes}): RR intervals are 2 bytes each`);
    for (let i = fixedSize; i < n; i += 2) {
      const raw = u16(i);
      rr1024.push(raw);
      rrMs.push(raw * MS_PER_RR1024);
    }
  }
  // Bytes after the announced fields without the RR flag are ignored: the spec defines none, and
  // they carry no value we could read without guessing.
  let contact: SensorContact = 'not-supported';
  if ((flags & FLAG_CONTACT_SUPPORTED) !== 0) contact = (flags & FLAG_CONTACT_DETECTED) !== 0 ? 'detected' : 'not-detected';
  return { ok: true, value: { hrBpm, hrFormat, contact, energyKj, rrMs, rr1024 } };
}
