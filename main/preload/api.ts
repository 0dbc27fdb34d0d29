/**
 * The API the preload exposes as `window.soothe`: exactly one function per contract message,
 * with the channel fixed inside it, and nothing generic (no `send(channel)`, no ipcRenderer).
 * Listener functions never pass Electron's `event` on and return their own unsubscribe.
 * Built from the contract's channel lists, so it cannot drift from the contract.
 */
import { EVENT_CHANNELS, INVOKE_CHANNELS, type EventChannel, type InvokeArgs, type InvokeChannel, type InvokeValue } from '../../shared/ipc/contract';
import type { Result } from '../../shared/ipc/result';

/** The two ipcRenderer methods the preload uses (a structural type, so tests need no Electron). */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export type PreloadInvokes = { readonly [K in InvokeChannel]: (...args: InvokeArgs<K>) => Promise<Result<InvokeValue<K>>> };
export type PreloadEvents = { readonly [K in EventChannel]: (listener: (payload: unknown) => void) => () => void };
export interface PreloadApi {
  readonly invoke: PreloadInvokes;
  readonly on: PreloadEvents;
}

export function buildPreloadApi(ipc: IpcRendererLike): PreloadApi {
  const invoke: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const channel of INVOKE_CHANNELS) invoke[channel] = (...args: unknown[]) => ipc.invoke(channel, ...args);
  const on: Record<string, (listener: (payload: unknown) => void) => () => void> = {};
  for (const channel of EVENT_CHANNELS) {
    on[channel] = (listener) => {
      const wrapped = (_event: unknown, payload: unknown): void => listener(payload);
      ipc.on(channel, wrapped);
      return () => {
        ipc.removeListener(channel, wrapped);
      };
    };
  }
  return Object.freeze({ invoke: Object.freeze(invoke), on: Object.freeze(on) }) as unknown as PreloadApi;
}
