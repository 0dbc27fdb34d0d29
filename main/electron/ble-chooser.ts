/**
 * Web Bluetooth in Electron has no built-in chooser: main receives `select-bluetooth-device`
 * with the devices found so far and must call back with one id (or '' to cancel). Soothe relays
 * the list to its own picker in the renderer (issue #4 wires the renderer side).
 */
import type { BrowserWindow } from 'electron';

export interface BleChoice {
  readonly deviceId: string;
  readonly name: string;
}

export function enableBleChooser(win: BrowserWindow, onDevices: (devices: readonly BleChoice[]) => void): (deviceId: string) => void {
  let pending: ((id: string) => void) | undefined;
  win.webContents.on('select-bluetooth-device', (event, devices, callback) => {
    event.preventDefault();
    pending = callback;
    onDevices(devices.map((d) => ({ deviceId: d.deviceId, name: d.deviceName || 'Unnamed device' })));
  });
  return (deviceId: string) => {
    pending?.(deviceId);
    pending = undefined;
  };
}
