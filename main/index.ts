/**
 * Electron entry: composition only. Every service is a plain Node module (main/services),
 * tested without Electron; this file creates the window and wires the IPC transport.
 */
import type { BrowserWindow } from 'electron';
import { app } from 'electron';
import { join } from 'node:path';
import { createServices } from './services/services';
import { registerIpc } from './electron/ipc';
import { createMainWindow } from './electron/window';
import { BleChooserRelay } from './electron/ble-chooser';
import type { Services } from './services/services';

const windows: BrowserWindow[] = [];

// One instance only: a second launch focuses the first (two recorders on one data folder would clash).
if (!app.requestSingleInstanceLock()) app.quit();

app.whenReady().then(() => {
  // Soothe's own Bluetooth picker: main relays the devices found ('ble:devices'), the renderer answers ('ble:select').
  let services: Services | null = null;
  const bleChooser = new BleChooserRelay((devices) => services?.events.emit('ble:devices', { devices }));
  services = createServices({ dataDir: app.getPath('userData'), version: app.getVersion(), shell: 'electron', bleSelect: (id) => bleChooser.select(id) });
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  const indexHtml = join(__dirname, '../renderer/index.html');
  const appUrlPrefix = devUrl ?? 'file://';
  registerIpc(services, () => windows, appUrlPrefix);
  const open = (): void => {
    const w = createMainWindow({ preloadPath: join(__dirname, '../preload/index.cjs'), ...(devUrl ? { devUrl } : {}), indexHtml });
    windows.push(w);
    bleChooser.attach(w);
    w.on('closed', () => windows.splice(windows.indexOf(w), 1));
  };
  open();
  app.on('activate', () => {
    if (windows.length === 0) open();
  });
  app.on('second-instance', () => windows[0]?.focus());
  app.on('before-quit', () => void services.dispose());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
