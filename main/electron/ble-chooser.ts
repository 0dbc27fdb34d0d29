/**
 * Web Bluetooth in Electron has no built-in chooser: while a page's `requestDevice()` scans,
 * main receives `select-bluetooth-device` (again each time the list of devices found changes)
 * with a callback to call once with the chosen id, or '' to cancel. Soothe relays the list to its
 * own picker in the renderer (event 'ble:devices', renderer/components/BlePicker.tsx) and answers
 * with what the person picked (invoke 'ble:select').
 *
 * Pattern: electron/electron docs/fiddles/features/web-bluetooth/main.js. Each emission carries a
 * new callback bound to the same request, so the latest one is kept; `preventDefault()` is
 * required, else Electron picks the first device itself.
 */
import type { BrowserWindow } from 'electron';
import type { BleDeviceChoice } from '../../shared/ipc/contract';

/** The part of a Bluetooth device Electron passes that we use. */
interface ElectronBleDevice {
  readonly deviceId: string;
  readonly deviceName: string;
}

export class BleChooserRelay {
  private pending: ((deviceId: string) => void) | null = null;

  /** @param onDevices called with the current list each time Electron reports it (deduplicated by id). */
  constructor(private readonly onDevices: (devices: readonly BleDeviceChoice[]) => void) {}

  /** Handles `select-bluetooth-device` for this window's pages. */
  attach(win: Pick<BrowserWindow, 'webContents'>): void {
    win.webContents.on('select-bluetooth-device', (event: { preventDefault(): void }, devices: readonly ElectronBleDevice[], callback: (deviceId: string) => void) => {
      event.preventDefault();
      this.pending = callback;
      const seen = new Set<string>();
      const list: BleDeviceChoice[] = [];
      for (const d of devices) {
        if (seen.has(d.deviceId)) continue;
        seen.add(d.deviceId);
        list.push({ deviceId: d.deviceId, name: d.deviceName || 'Unnamed device' });
      }
      this.onDevices(list);
    });
  }

  /**
   * Answers the pending chooser once: a device id, or '' to cancel (the page's `requestDevice()`
   * then rejects with NotFoundError "User cancelled"). Returns false when no chooser is pending.
   */
  select(deviceId: string): boolean {
    const answer = this.pending;
    if (!answer) return false;
    this.pending = null;
    answer(deviceId);
    return true;
  }

  /** True while a chooser waits for an answer. */
  get waiting(): boolean {
    return this.pending !== null;
  }
}
