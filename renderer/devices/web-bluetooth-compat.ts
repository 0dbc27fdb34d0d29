/**
 * Compile-time check (web typecheck only): the real Web Bluetooth types fit the structural
 * interfaces web-bluetooth-hr.ts is written against, so the app can pass `navigator.bluetooth`.
 */
import type { BleBluetooth, BleCharacteristic, BleDevice } from './web-bluetooth-hr';

export type WebBluetoothFits = [Bluetooth extends BleBluetooth ? true : never, BluetoothDevice extends BleDevice ? true : never, BluetoothRemoteGATTCharacteristic extends BleCharacteristic ? true : never];
export const webBluetoothFits: WebBluetoothFits = [true, true, true];
