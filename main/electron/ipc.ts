/**
 * Electron transport for the contract: typed handlers on ipcMain with a sender check.
 * Every message is refused unless it comes from one of Soothe's own windows showing Soothe's
 * own page (a navigated or injected frame must not reach the services; GitHub Desktop's
 * trusted-ipc-sender.ts follows the same rule).
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { INVOKE_CHANNELS, type EventChannel } from '../../shared/ipc/contract';
import { fail } from '../../shared/ipc/result';
import { dispatch, type Services } from '../services/services';

export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, windows: readonly BrowserWindow[], appUrlPrefix: string): boolean {
  const ours = windows.some((w) => !w.isDestroyed() && w.webContents.id === event.sender.id);
  const url = event.senderFrame?.url ?? '';
  return ours && url.startsWith(appUrlPrefix);
}

export function registerIpc(services: Services, windows: () => readonly BrowserWindow[], appUrlPrefix: string): () => void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, (event, ...args: unknown[]) => {
      if (!isTrustedSender(event, windows(), appUrlPrefix)) return fail('refused: message from an untrusted sender');
      return dispatch(services.handlers, channel, args);
    });
  }
  const unsubscribe = services.events.subscribe((channel: EventChannel, payload) => {
    for (const w of windows()) if (!w.isDestroyed()) send(w.webContents, channel, payload);
  });
  return () => {
    unsubscribe();
    for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(channel);
  };
}

function send(wc: WebContents, channel: EventChannel, payload: unknown): void {
  wc.send(channel, payload);
}
