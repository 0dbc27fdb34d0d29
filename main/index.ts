/**
 * Electron entry: composition only. Every service is a plain Node module (main/services),
 * tested without Electron; this file creates the window and wires the IPC transport.
 */
import { app, BrowserWindow, shell } from 'electron';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createServices } from './services/services';
import { registerIpc } from './electron/ipc';
import { createMainWindow } from './electron/window';
import { BleChooserRelay } from './electron/ble-chooser';
import { listDisplays, openClientWindow } from './electron/client-window';
import type { Services } from './services/services';

const windows: BrowserWindow[] = [];

// One instance only: a second launch focuses the first (two recorders on one data folder would clash).
if (!app.requestSingleInstanceLock()) app.quit();

app.whenReady().then(() => {
  // Soothe's own Bluetooth picker: main relays the devices found ('ble:devices'), the renderer answers ('ble:select').
  let services: Services | null = null;
  const bleChooser = new BleChooserRelay((devices) => services?.events.emit('ble:devices', { devices }));
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  const indexHtml = join(__dirname, '../renderer/index.html');
  const preloadPath = join(__dirname, '../preload/index.cjs');
  const track = (w: BrowserWindow): void => {
    windows.push(w);
    w.on('closed', () => windows.splice(windows.indexOf(w), 1));
  };
  services = createServices({
    dataDir: app.getPath('userData'),
    version: app.getVersion(),
    shell: 'electron',
    bleSelect: (id) => bleChooser.select(id),
    listDisplays,
    openClientWindow: (displayId) =>
      openClientWindow({
        displayId,
        preloadPath,
        load: (win, query) => void (devUrl ? win.loadURL(`${devUrl}?${query}`) : win.loadFile(indexHtml, { search: query })),
        onCreated: track,
      }),
    printReportPdf: async (sessionId) => {
      const win = BrowserWindow.getFocusedWindow() ?? windows[0];
      if (!win) throw new Error('no window to print');
      const pdf = await win.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
      const dir = join(app.getPath('documents'), 'Soothe reports');
      await mkdir(dir, { recursive: true });
      const path = join(dir, `soothe-report-${sessionId}.pdf`);
      await writeFile(path, pdf);
      shell.showItemInFolder(path);
      return path;
    },
  });
  const appUrlPrefix = devUrl ?? 'file://';
  registerIpc(services, () => windows, appUrlPrefix);
  const open = (): void => {
    const w = createMainWindow({ preloadPath, ...(devUrl ? { devUrl } : {}), indexHtml });
    track(w);
    bleChooser.attach(w);
  };
  open();
  app.on('activate', () => {
    if (windows.length === 0) open();
  });
  app.on('second-instance', () => windows[0]?.focus());
  app.on('before-quit', () => void services?.dispose());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
