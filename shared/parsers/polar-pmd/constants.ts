/**
 * Polar Measurement Data (PMD): UUIDs and code tables.
 *
 * Sources (see ../shared/notes/polar-pmd.md §2–§3): Polar BLE SDK 8.0.0,
 * `polarofficial/polar-ble-sdk@8fb5311c:…/api/ble/model/gatt/client/pmd/` (`BlePMDClient.kt`,
 * `PmdMeasurementType.kt`, `PmdControlPointCommand.kt`, `PmdControlPointResponse.kt`,
 * `PmdSetting.kt`); "Polar Measurement Data Specification for 3rd Party"
 * (`polar-ble-sdk@52ef4c4b:technical_documentation/Polar_Measurement_Data_Specification.pdf`),
 * and `online_measurement.pdf` v1.0 (2024). Web Bluetooth needs the UUIDs in lower case.
 */

export const PMD_SERVICE_UUID = 'fb005c80-02e7-f387-1cad-8acd2d8df0c8';
/** Control point: read (features), write with response (commands), indicate (responses). */
export const PMD_CONTROL_POINT_UUID = 'fb005c81-02e7-f387-1cad-8acd2d8df0c8';
/** Data: notifications carrying measurement frames. */
export const PMD_DATA_UUID = 'fb005c82-02e7-f387-1cad-8acd2d8df0c8';

/** Measurement types (SDK `PmdMeasurementType`; the type byte is masked with 0x3F when parsed). */
export const PMD_MEASUREMENT = {
  ECG: 0,
  PPG: 1,
  ACC: 2,
  PPI: 3,
  GYRO: 5,
  MAG: 6,
  SKIN_TEMP: 7,
  SDK_MODE: 9,
  LOCATION: 10,
  PRESSURE: 11,
  TEMPERATURE: 12,
  OFFLINE_RECORDING: 13,
  OFFLINE_HR: 14,
} as const;
export type PmdMeasurementName = keyof typeof PMD_MEASUREMENT;

export function measurementName(type: number): PmdMeasurementName | null {
  for (const [name, code] of Object.entries(PMD_MEASUREMENT)) if (code === type) return name as PmdMeasurementName;
  return null;
}

/** Control-point op codes (host → device). */
export const PMD_OP = {
  GET_MEASUREMENT_SETTINGS: 0x01,
  REQUEST_MEASUREMENT_START: 0x02,
  STOP_MEASUREMENT: 0x03,
  GET_SDK_MODE_MEASUREMENT_SETTINGS: 0x04,
  GET_MEASUREMENT_STATUS: 0x05,
  GET_SDK_MODE_STATUS: 0x06,
  GET_OFFLINE_RECORDING_TRIGGER_STATUS: 0x07,
  SET_OFFLINE_RECORDING_TRIGGER_MODE: 0x08,
  SET_OFFLINE_RECORDING_TRIGGER_SETTINGS: 0x09,
} as const;
export type PmdOpName = keyof typeof PMD_OP;

export function opName(op: number): PmdOpName | null {
  for (const [name, code] of Object.entries(PMD_OP)) if (code === op) return name as PmdOpName;
  return null;
}

/** Response status codes (SDK `PmdControlPointResponse.PmdControlPointResponseCode`; 14–255 RFU in the 2022 spec, 14 = DISK_FULL in the SDK). */
export const PMD_STATUS_NAMES: readonly string[] = [
  'SUCCESS',
  'ERROR_INVALID_OP_CODE',
  'ERROR_INVALID_MEASUREMENT_TYPE',
  'ERROR_NOT_SUPPORTED',
  'ERROR_INVALID_LENGTH',
  'ERROR_INVALID_PARAMETER',
  'ERROR_ALREADY_IN_STATE',
  'ERROR_INVALID_RESOLUTION',
  'ERROR_INVALID_SAMPLE_RATE',
  'ERROR_INVALID_RANGE',
  'ERROR_INVALID_MTU',
  'ERROR_INVALID_NUMBER_OF_CHANNELS',
  'ERROR_INVALID_STATE',
  'ERROR_DEVICE_IN_CHARGER',
  'ERROR_DISK_FULL',
];
export const PMD_STATUS = {
  SUCCESS: 0,
  ERROR_INVALID_PARAMETER: 5,
  ERROR_ALREADY_IN_STATE: 6,
  ERROR_INVALID_MTU: 10,
} as const;

/** Unknown codes are kept as numbers, never thrown on (the SDK would throw). */
export const statusName = (status: number): string => PMD_STATUS_NAMES[status] ?? `UNKNOWN_STATUS_${status}`;

/** Settings TLV types and the size of one value in bytes (SDK `PmdSetting.PmdSettingType`). */
export const PMD_SETTING = {
  SAMPLE_RATE: { type: 0, bytes: 2 },
  RESOLUTION: { type: 1, bytes: 2 },
  RANGE: { type: 2, bytes: 2 },
  RANGE_MILLIUNIT: { type: 3, bytes: 4 },
  /** One byte: Verity firmware rejects a 2-byte CHANNELS (bleakheart #10). */
  CHANNELS: { type: 4, bytes: 1 },
  /** float32 LE; only in START responses. */
  FACTOR: { type: 5, bytes: 4 },
  SECURITY: { type: 6, bytes: 16 },
} as const;
export type PmdSettingName = keyof typeof PMD_SETTING;

export function settingName(type: number): PmdSettingName | null {
  for (const [name, s] of Object.entries(PMD_SETTING)) if (s.type === type) return name as PmdSettingName;
  return null;
}

/** ns from 1970-01-01Z to 2000-01-01Z, the PMD epoch (SDK documentation/TimeSystemExplained.md). */
export const PMD_EPOCH_OFFSET_NS = 946_684_800_000_000_000n;

/** Result of every PMD decoder: a value, or a reason (never a throw, never an invented value). */
export type PmdResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };
