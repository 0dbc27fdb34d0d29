// @vitest-environment node
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { EVENT_CHANNELS, INVOKE_CHANNELS } from '../../shared/ipc/contract';

// The Electron binary cannot exist here: a thin fake of the two objects the preload touches.
const exposed: Record<string, unknown> = {};
const ipcRenderer = {
  invoke: vi.fn(async (..._args: unknown[]) => ({ ok: true, value: 'x' })),
  on: vi.fn(),
  removeListener: vi.fn(),
  send: vi.fn(),
  sendSync: vi.fn(),
};
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer,
}));

describe('preload', () => {
  beforeEach(async () => {
    vi.resetModules();
    await import('../../main/preload/index');
  });

  it('exposes exactly the contract: one function per invoke and per event, nothing generic', () => {
    expect(Object.keys(exposed)).toEqual(['soothe']);
    const api = exposed.soothe as { invoke: Record<string, unknown>; on: Record<string, unknown> };
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
    expect(Object.keys(api.invoke).sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(Object.keys(api.on).sort()).toEqual([...EVENT_CHANNELS].sort());
    for (const f of [...Object.values(api.invoke), ...Object.values(api.on)]) expect(typeof f).toBe('function');
    expect(Object.isFrozen(api) && Object.isFrozen(api.invoke)).toBe(true);
    expect(JSON.stringify(Object.keys(api))).not.toMatch(/ipcRenderer|send/);
  });

  it('fixes the channel inside each function and never hands Electron’s event to the page', async () => {
    const api = exposed.soothe as { invoke: Record<string, (...a: unknown[]) => Promise<unknown>>; on: Record<string, (l: (p: unknown) => void) => () => void> };
    await api.invoke['settings:set']?.({ rmssdWindowMs: 30_000 });
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith('settings:set', { rmssdWindowMs: 30_000 });
    const seen: unknown[] = [];
    const off = api.on['app:notice']?.((p) => seen.push(p));
    const [channel, wrapped] = ipcRenderer.on.mock.calls.at(-1) as [string, (e: unknown, p: unknown) => void];
    expect(channel).toBe('app:notice');
    wrapped({ sender: 'secret-electron-event' }, { level: 'info', message: 'hi' });
    expect(seen).toEqual([{ level: 'info', message: 'hi' }]);
    off?.();
    expect(ipcRenderer.removeListener).toHaveBeenCalledWith('app:notice', wrapped);
    expect(ipcRenderer.send).not.toHaveBeenCalled();
    expect(ipcRenderer.sendSync).not.toHaveBeenCalled();
  });
});
