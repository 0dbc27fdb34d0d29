// @vitest-environment node
/**
 * Electron's Bluetooth chooser relay: `select-bluetooth-device` → 'ble:devices' to the renderer,
 * 'ble:select' from the renderer → Electron's callback, through the real services and the real
 * IPC transport (only `electron` is mocked: its binary cannot run here).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => unknown) => handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

const { BleChooserRelay } = await import('../../main/electron/ble-chooser');
const { registerIpc } = await import('../../main/electron/ipc');
const { createServices, dispatch } = await import('../../main/services/services');

type ChooserListener = (event: { preventDefault(): void }, devices: { deviceId: string; deviceName: string }[], callback: (id: string) => void) => void;

function fakeWindow(id: number) {
  const listeners = new Map<string, ChooserListener>();
  const sent: [string, unknown][] = [];
  return {
    isDestroyed: () => false,
    webContents: {
      id,
      on: (name: string, l: ChooserListener) => listeners.set(name, l),
      send: (channel: string, payload: unknown) => sent.push([channel, payload]),
    },
    /** What Electron does while `requestDevice()` scans: one event per list update, a new callback each time. */
    scan(devices: { deviceId: string; deviceName: string }[], callback: (id: string) => void) {
      const preventDefault = vi.fn();
      listeners.get('select-bluetooth-device')?.({ preventDefault }, devices, callback);
      return preventDefault;
    },
    sent,
  };
}

const ownPage = { sender: { id: 3 }, senderFrame: { url: 'file:///app/renderer/index.html' } };
const dataDir = (): string => mkdtempSync(join(tmpdir(), 'soothe-ble-chooser-'));

describe('Electron Bluetooth chooser relay', () => {
  it('relays each device list to the renderer and answers the latest callback once with the pick', async () => {
    const win = fakeWindow(3);
    let services: ReturnType<typeof createServices> | null = null;
    const relay = new BleChooserRelay((devices) => services?.events.emit('ble:devices', { devices }));
    services = createServices({ dataDir: dataDir(), version: 'test', shell: 'electron', bleSelect: (id) => relay.select(id) });
    const unregister = registerIpc(services, () => [win] as never, 'file://');
    relay.attach(win as never);

    const first = vi.fn();
    const latest = vi.fn();
    const pd1 = win.scan([{ deviceId: 'AA', deviceName: 'Polar H10 1234' }], first);
    const pd2 = win.scan(
      [
        { deviceId: 'AA', deviceName: 'Polar H10 1234' },
        { deviceId: 'BB', deviceName: '' },
        { deviceId: 'AA', deviceName: 'Polar H10 1234' },
      ],
      latest,
    );
    // Without preventDefault Electron would pick the first device itself.
    expect(pd1).toHaveBeenCalledOnce();
    expect(pd2).toHaveBeenCalledOnce();
    expect(win.sent).toEqual([
      ['ble:devices', { devices: [{ deviceId: 'AA', name: 'Polar H10 1234' }] }],
      [
        'ble:devices',
        {
          devices: [
            { deviceId: 'AA', name: 'Polar H10 1234' },
            { deviceId: 'BB', name: 'Unnamed device' },
          ],
        },
      ],
    ]);
    expect(relay.waiting).toBe(true);

    expect(await handlers.get('ble:select')?.(ownPage, 'BB')).toEqual({ ok: true, value: { selected: true } });
    expect(latest).toHaveBeenCalledExactlyOnceWith('BB');
    expect(first).not.toHaveBeenCalled();
    // Answered once: a second answer reaches nobody.
    expect(await handlers.get('ble:select')?.(ownPage, 'AA')).toEqual({ ok: true, value: { selected: false } });
    expect(latest).toHaveBeenCalledOnce();
    unregister();
  });

  it("cancels with '' and refuses a foreign sender", async () => {
    const win = fakeWindow(3);
    const relay = new BleChooserRelay(() => undefined);
    const services = createServices({ dataDir: dataDir(), version: 'test', shell: 'electron', bleSelect: (id) => relay.select(id) });
    const unregister = registerIpc(services, () => [win] as never, 'file://');
    relay.attach(win as never);
    const cb = vi.fn();
    win.scan([{ deviceId: 'AA', deviceName: 'Wahoo TICKR' }], cb);
    expect(await handlers.get('ble:select')?.({ sender: { id: 9 }, senderFrame: { url: 'file:///x' } }, 'AA')).toEqual({ ok: false, error: 'refused: message from an untrusted sender' });
    expect(cb).not.toHaveBeenCalled();
    expect(await handlers.get('ble:select')?.(ownPage, '')).toEqual({ ok: true, value: { selected: true } });
    expect(cb).toHaveBeenCalledExactlyOnceWith('');
    expect(await handlers.get('ble:select')?.(ownPage, 42)).toEqual({ ok: false, error: 'ble:select needs a device id (or an empty string to cancel)' });
    unregister();
  });

  it("the browser edition's services answer ok:false: the browser's own chooser is used", async () => {
    const services = createServices({ dataDir: dataDir(), version: 'test', shell: 'web' });
    expect(await dispatch(services.handlers, 'ble:select', ['AA'])).toEqual({ ok: false, error: "the browser's own chooser is used" });
  });
});
