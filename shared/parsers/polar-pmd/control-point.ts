/**
 * PMD control point: commands the host writes, and what the device sends back.
 *
 * Host → device (ATT write with response), SDK `PmdControlPointCommand.kt`:
 * ```
 * [opCode u8][measurementByte u8][parameters…]   measurementByte = (recordingType << 7) | type
 *                                                (recordingType 0 = online streaming)
 * ```
 * Device → host (SDK `PmdControlPointResponse.kt`, PMD spec 2022 p.3, notes/polar-pmd.md §3):
 * ```
 * 0x0F + feature bitmap            answer to an ATT *read* of the control point (17 bytes on H10)
 * 0xF0 op type status [more] [params…]   indication answering a command; error responses may be
 *                                  4 bytes (real H10 `f0 01 00 0a`); more ≠ 0: continuation follows
 * 0x01 type…                       ONLINE_MEASUREMENT_STOPPED, the device stopped these streams
 * ```
 * Feature bitmap: byte 1 bits 0,1,2,3,5,6,7 = ECG, PPG, ACC, PPI, GYRO, MAG, SKIN_TEMP; byte 2
 * bits 1–6 = SDK_MODE, LOCATION, PRESSURE, TEMPERATURE, OFFLINE_RECORDING, OFFLINE_HR
 * (SDK `PmdMeasurementType.fromByteArray`).
 */
import { PMD_OP, measurementName, opName, statusName, type PmdMeasurementName, type PmdOpName, type PmdResult } from './constants';
import { encodePmdSettings, parsePmdSettings, type PmdSelectedSettings, type PmdSettings } from './settings';

export interface PmdCommand {
  readonly opCode: number;
  readonly opName: PmdOpName | null;
  readonly measurementType: number;
  /** 0 = online (streaming), 1 = offline recording. */
  readonly recordingType: 0 | 1;
  /** Settings of a START request (empty for other commands). */
  readonly settings: PmdSettings;
}

/** Bytes for a command. `settings` only for REQUEST_MEASUREMENT_START. */
export function encodePmdCommand(opCode: number, measurementType: number, settings: PmdSelectedSettings = {}, recordingType: 0 | 1 = 0): Uint8Array<ArrayBuffer> {
  const tlv = opCode === PMD_OP.REQUEST_MEASUREMENT_START ? encodePmdSettings(settings) : new Uint8Array(0);
  const out = new Uint8Array(2 + tlv.length);
  out[0] = opCode;
  out[1] = (recordingType << 7) | (measurementType & 0x3f);
  out.set(tlv, 2);
  return out;
}

/** Reads a command as the device would (used by the emulated H10 in tests and for logs). */
export function parsePmdCommand(bytes: Uint8Array): PmdResult<PmdCommand> {
  if (bytes.length < 2) return { ok: false, reason: `command too short (${bytes.length} bytes): op code and measurement byte needed` };
  const opCode = bytes[0] ?? 0;
  const m = bytes[1] ?? 0;
  const settings = parsePmdSettings(bytes.subarray(2));
  if (!settings.ok) return { ok: false, reason: `command parameters: ${settings.reason}` };
  return { ok: true, value: { opCode, opName: opName(opCode), measurementType: m & 0x3f, recordingType: (m >> 7) as 0 | 1, settings: settings.value } };
}

export type PmdControlPointMessage =
  | { readonly kind: 'feature-read'; readonly supported: readonly PmdMeasurementName[] }
  | {
      readonly kind: 'response';
      readonly opCode: number;
      readonly measurementType: number;
      readonly status: number;
      readonly statusName: string;
      readonly more: boolean;
      /** Bytes after the header (from index 5); may be a settings TLV, a reserved byte, or opaque. */
      readonly parameters: Uint8Array;
    }
  | { readonly kind: 'online-measurement-stopped'; readonly measurementTypes: readonly number[] };

const FEATURE_BITS: readonly (readonly [number, number, PmdMeasurementName])[] = [
  [1, 0, 'ECG'],
  [1, 1, 'PPG'],
  [1, 2, 'ACC'],
  [1, 3, 'PPI'],
  [1, 5, 'GYRO'],
  [1, 6, 'MAG'],
  [1, 7, 'SKIN_TEMP'],
  [2, 1, 'SDK_MODE'],
  [2, 2, 'LOCATION'],
  [2, 3, 'PRESSURE'],
  [2, 4, 'TEMPERATURE'],
  [2, 5, 'OFFLINE_RECORDING'],
  [2, 6, 'OFFLINE_HR'],
];

/** Any value the control point delivers (read answer, indication). Unknown first bytes are rejected with a reason. */
export function parsePmdControlPointMessage(bytes: Uint8Array): PmdResult<PmdControlPointMessage> {
  const first = bytes[0];
  if (first === undefined) return { ok: false, reason: 'empty control-point value' };
  if (first === 0x0f) {
    if (bytes.length < 2) return { ok: false, reason: 'feature read too short: no bitmap' };
    const supported = FEATURE_BITS.filter(([byte, bit]) => ((bytes[byte] ?? 0) >> bit) & 1).map(([, , name]) => name);
    return { ok: true, value: { kind: 'feature-read', supported } };
  }
  if (first === 0xf0) {
    if (bytes.length < 4) return { ok: false, reason: `response too short (${bytes.length} bytes): op code, type and status needed` };
    const status = bytes[3] ?? 0;
    const more = status === 0 && (bytes[4] ?? 0) !== 0;
    return {
      ok: true,
      value: {
        kind: 'response',
        opCode: bytes[1] ?? 0,
        measurementType: (bytes[2] ?? 0) & 0x3f,
        status,
        statusName: statusName(status),
        more,
        parameters: status === 0 ? bytes.slice(5) : new Uint8Array(0),
      },
    };
  }
  if (first === 0x01) return { ok: true, value: { kind: 'online-measurement-stopped', measurementTypes: [...bytes.subarray(1)].map((b) => b & 0x3f) } };
  return { ok: false, reason: `unknown control-point message 0x${first.toString(16).padStart(2, '0')}` };
}

/** Settings from a response's parameters; ≤ 1 byte is "none" (a reserved byte, not a TLV). */
export function responseSettings(parameters: Uint8Array): PmdResult<PmdSettings> {
  return parsePmdSettings(parameters);
}

/** Plain words for a failed PMD command, with a way forward (shown to the person). */
export function describePmdStatus(status: number, measurement: number): string {
  const what = measurementName(measurement) === 'ECG' ? 'raw ECG' : measurementName(measurement) === 'ACC' ? 'chest movement' : `stream ${measurement}`;
  switch (statusName(status)) {
    case 'ERROR_INVALID_MTU':
      return `The strap refused to stream ${what}: the Bluetooth packets of this connection are too small (the H10 needs an MTU of at least 70, and browsers cannot ask for it). Heart rate from the standard service goes on. The desktop app on macOS, Windows or Linux usually negotiates a large enough MTU; a phone browser often does not.`;
    case 'ERROR_ALREADY_IN_STATE':
      return `The strap was still streaming ${what} from an earlier connection; Soothe stops and restarts it.`;
    case 'ERROR_INVALID_PARAMETER':
      return `The strap did not accept the settings for ${what}. Heart rate from the standard service goes on.`;
    case 'ERROR_NOT_SUPPORTED':
    case 'ERROR_INVALID_MEASUREMENT_TYPE':
      return `This strap does not offer ${what}. Heart rate from the standard service goes on.`;
    case 'ERROR_DEVICE_IN_CHARGER':
      return 'The sensor is on its charger; take it off to stream.';
    default:
      return `The strap answered ${statusName(status)} for ${what}. Heart rate from the standard service goes on.`;
  }
}
