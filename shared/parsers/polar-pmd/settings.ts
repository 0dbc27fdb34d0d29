/**
 * PMD settings: the TLV list in GET_MEASUREMENT_SETTINGS responses and START requests.
 *
 * Layout (SDK `PmdSetting.kt`, PMD spec 2022 p.9–10), repeated until the bytes end:
 * ```
 * [settingType u8][count u8][count × value]   value size per type: SAMPLE_RATE, RESOLUTION,
 *                                             RANGE u16; RANGE_MILLIUNIT i32; CHANNELS u8;
 *                                             FACTOR float32; SECURITY 16 bytes (all LE)
 * ```
 * A block of ≤ 1 byte means "no settings": START responses end with a reserved byte
 * (`f0 02 00 00 00 00`) that is not a TLV (SDK `parsePmdSettingsData`).
 * A START request carries one value per setting, every setting the device listed (the H10
 * answers ERROR_INVALID_PARAMETER otherwise, polar-ble-sdk #124).
 */
import { PMD_SETTING, settingName, type PmdResult, type PmdSettingName } from './constants';

/** Setting name → values, in the order the device listed them. */
export type PmdSettings = Partial<Record<PmdSettingName, number[]>>;
/** One value per setting, for a START request; key order = TLV order. */
export type PmdSelectedSettings = Partial<Record<Exclude<PmdSettingName, 'SECURITY' | 'FACTOR'>, number>>;

const readValue = (b: Uint8Array, at: number, name: PmdSettingName): number => {
  const v = new DataView(b.buffer, b.byteOffset + at);
  switch (name) {
    case 'RANGE_MILLIUNIT':
      return v.getInt32(0, true);
    case 'FACTOR':
      return v.getFloat32(0, true);
    case 'CHANNELS':
      return v.getUint8(0);
    default:
      return v.getUint16(0, true);
  }
};

/** Parses a settings TLV list. An unknown type or a value that runs past the end is rejected with a reason. */
export function parsePmdSettings(bytes: Uint8Array): PmdResult<PmdSettings> {
  const out: PmdSettings = {};
  if (bytes.length <= 1) return { ok: true, value: out };
  let i = 0;
  while (i < bytes.length) {
    if (i + 2 > bytes.length) return { ok: false, reason: `settings truncated at byte ${i}: a type and a count need 2 bytes` };
    const type = bytes[i] ?? 0;
    const count = bytes[i + 1] ?? 0;
    const name = settingName(type);
    if (!name) return { ok: false, reason: `unknown setting type ${type} at byte ${i}` };
    const size = PMD_SETTING[name].bytes;
    const end = i + 2 + count * size;
    if (end > bytes.length) return { ok: false, reason: `setting ${name} declares ${count} value(s) of ${size} bytes, only ${bytes.length - i - 2} bytes left` };
    if (name === 'SECURITY') {
      out.SECURITY = []; // a key, not numbers: its presence is what matters for streaming
    } else {
      const values: number[] = [];
      for (let k = 0; k < count; k++) values.push(readValue(bytes, i + 2 + k * size, name));
      out[name] = [...(out[name] ?? []), ...values];
    }
    i = end;
  }
  return { ok: true, value: out };
}

/** Encodes one value per setting, in the key order given (the order is free for the device). */
export function encodePmdSettings(selected: PmdSelectedSettings): Uint8Array {
  const bytes: number[] = [];
  for (const [key, value] of Object.entries(selected) as [keyof PmdSelectedSettings, number][]) {
    const { type, bytes: size } = PMD_SETTING[key];
    bytes.push(type, 1);
    const b = new DataView(new ArrayBuffer(size));
    if (size === 1) b.setUint8(0, value);
    else if (size === 2) b.setUint16(0, value, true);
    else b.setInt32(0, value, true);
    bytes.push(...new Uint8Array(b.buffer));
  }
  return Uint8Array.from(bytes);
}

/**
 * The START selection from a GET response: every listed setting, one value each, picked by
 * `prefer` (e.g. { SAMPLE_RATE: 25, RANGE: 2 }) when offered, else the first value offered.
 */
export function selectPmdSettings(available: PmdSettings, prefer: PmdSelectedSettings = {}): PmdSelectedSettings {
  const out: PmdSelectedSettings = {};
  for (const [key, values] of Object.entries(available) as [PmdSettingName, number[]][]) {
    if (key === 'SECURITY' || key === 'FACTOR') continue;
    const want = prefer[key];
    const v = want !== undefined && values.includes(want) ? want : values[0];
    if (v !== undefined) out[key] = v;
  }
  return out;
}
