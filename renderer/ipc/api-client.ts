/**
 * The renderer's SootheApi, over whichever transport this window has:
 * - Electron: the preload's `window.soothe` (one method per contract message);
 * - browser edition: a WebSocket to 127.0.0.1 with the per-run token from the URL fragment.
 * Everything above this file sees only SootheApi.
 */
import type { EventChannel, EventPayload, InvokeArgs, InvokeChannel, InvokeValue, SootheApi, WireMessage } from '../../shared/ipc/contract';
import type { Result } from '../../shared/ipc/result';
import type { PreloadApi } from '../../main/preload/api';

declare global {
  interface Window {
    soothe?: PreloadApi;
  }
}

export function createPreloadApi(preload: PreloadApi): SootheApi {
  return {
    invoke: <K extends InvokeChannel>(channel: K, ...args: InvokeArgs<K>) =>
      (preload.invoke[channel] as (...a: InvokeArgs<K>) => Promise<Result<InvokeValue<K>>>)(...args),
    on: <K extends EventChannel>(channel: K, listener: (payload: EventPayload<K>) => void) =>
      preload.on[channel](listener as (p: unknown) => void),
  };
}

export interface WebSocketApi extends SootheApi {
  readonly ready: Promise<void>;
  close(): void;
}

export function createWebSocketApi(wsUrl: string, onLost: (reason: string) => void): WebSocketApi {
  const ws = new WebSocket(wsUrl);
  let nextId = 1;
  const pending = new Map<number, (r: Result<unknown>) => void>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const ready = new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener('error', () => reject(new Error('Could not reach Soothe’s services (is `npm run web` still running, and is the address complete?)')), { once: true });
  });
  ws.addEventListener('message', (ev: MessageEvent<string>) => {
    let msg: WireMessage;
    try {
      msg = JSON.parse(ev.data) as WireMessage;
    } catch {
      return;
    }
    if ('id' in msg) {
      pending.get(msg.id)?.(msg.result);
      pending.delete(msg.id);
    } else {
      for (const l of listeners.get(msg.event) ?? []) l(msg.payload);
    }
  });
  ws.addEventListener('close', (ev) => {
    for (const resolve of pending.values()) resolve({ ok: false, error: 'connection to Soothe’s services closed' });
    pending.clear();
    onLost(ev.reason || `connection closed (code ${ev.code})`);
  });
  return {
    ready,
    close: () => ws.close(),
    invoke: async <K extends InvokeChannel>(channel: K, ...args: InvokeArgs<K>): Promise<Result<InvokeValue<K>>> => {
      await ready;
      if (ws.readyState !== WebSocket.OPEN) return { ok: false, error: 'not connected to Soothe’s services' };
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve as (r: Result<unknown>) => void);
        ws.send(JSON.stringify({ id, channel, args }));
      });
    },
    on: <K extends EventChannel>(channel: K, listener: (payload: EventPayload<K>) => void) => {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener as (p: unknown) => void);
      listeners.set(channel, set);
      return () => set.delete(listener as (p: unknown) => void);
    },
  };
}

/** Picks the transport for this window. */
export async function connectApi(onLost: (reason: string) => void): Promise<SootheApi> {
  if (window.soothe) return createPreloadApi(window.soothe);
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (!token) throw new Error('This page needs the full address that `npm run web` printed (it ends with #token=…).');
  const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws?token=${encodeURIComponent(token)}`;
  const api = createWebSocketApi(wsUrl, onLost);
  await api.ready;
  return api;
}
