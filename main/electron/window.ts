/**
 * Window creation with Electron's security recommendations (docs/tutorial/security.md):
 * context isolation, sandbox, no Node in the page, no navigation away, no new windows.
 */
import { BrowserWindow, shell } from 'electron';
import { join } from 'node:path';

export function createMainWindow(opts: { preloadPath: string; devUrl?: string; indexHtml: string }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 520,
    backgroundColor: '#0f1b2d',
    title: 'Soothe',
    show: false,
    webPreferences: {
      preload: opts.preloadPath,
      contextIsolation: true, // page scripts cannot reach the preload's objects
      sandbox: true, // renderer has no Node; the preload is bundled
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  // Links to the web open in the system browser; the app window itself never navigates away.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  if (opts.devUrl) void win.loadURL(opts.devUrl);
  else void win.loadFile(opts.indexHtml);
  return win;
}

export const rendererIndex = (outDir: string): string => join(outDir, '..', 'renderer', 'index.html');
