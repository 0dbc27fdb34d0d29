/**
 * The client's screen in Electron: a second window, full screen on the chosen display, showing
 * only the pacer and the reward (`?view=client`). It talks to the services like any window; what
 * it shows arrives as 'client:state' events published by the therapist console.
 */
import { BrowserWindow, screen } from 'electron';
import type { DisplayInfo } from '../../shared/types/client-view';

export function listDisplays(): DisplayInfo[] {
  const primaryId = screen.getPrimaryDisplay().id;
  return screen.getAllDisplays().map((d, i) => ({
    id: d.id,
    label: d.label || `Display ${i + 1}`,
    primary: d.id === primaryId,
    width: d.size.width,
    height: d.size.height,
  }));
}

export function openClientWindow(opts: { displayId: number | undefined; preloadPath: string; load: (win: BrowserWindow, query: string) => void; onCreated: (win: BrowserWindow) => void }): boolean {
  const displays = screen.getAllDisplays();
  // Default: a display other than the therapist's (the primary), else the primary itself.
  const target = displays.find((d) => d.id === opts.displayId) ?? displays.find((d) => d.id !== screen.getPrimaryDisplay().id) ?? screen.getPrimaryDisplay();
  const win = new BrowserWindow({
    x: target.bounds.x,
    y: target.bounds.y,
    width: target.bounds.width,
    height: target.bounds.height,
    fullscreen: true,
    backgroundColor: '#0f1b2d',
    title: 'Soothe',
    autoHideMenuBar: true,
    webPreferences: { preload: opts.preloadPath, contextIsolation: true, sandbox: true, nodeIntegration: false },
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  opts.load(win, 'view=client');
  opts.onCreated(win);
  return true;
}
