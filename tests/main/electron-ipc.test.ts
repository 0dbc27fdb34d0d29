// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';

const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => unknown) => handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

const { registerIpc, isTrustedSender } = await import('../../main/electron/ipc');
const { createServices } = await import('../../main/services/services');
const { INVOKE_CHANNELS } = await import('../../shared/ipc/contract');
const { mkdtempSync } = await import('node:fs');
const { tmpdir } = await import('node:os');
const { join } = await import('node:path');

const fakeWindow = (id: number) => ({ isDestroyed: () => false, webContents: { id, send: vi.fn() } });

describe('Electron IPC transport', () => {
  const win = fakeWindow(7);
  const services = createServices({ dataDir: mkdtempSync(join(tmpdir(), 'soothe-ipc-')), version: 'test', shell: 'electron' });
  const unregister = registerIpc(services, () => [win] as never, 'file://');

  it('registers a handler for every contract channel and no other', () => {
    expect([...handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
  });

  it('answers our own window showing our own page', async () => {
    const result = await handlers.get('app:info')?.({ sender: { id: 7 }, senderFrame: { url: 'file:///app/renderer/index.html' } });
    expect(result).toMatchObject({ ok: true, value: { shell: 'electron' } });
  });

  it('refuses another window, and our window after it navigated elsewhere', async () => {
    expect(await handlers.get('settings:get')?.({ sender: { id: 8 }, senderFrame: { url: 'file:///app/renderer/index.html' } })).toEqual({
      ok: false,
      error: 'refused: message from an untrusted sender',
    });
    expect(isTrustedSender({ sender: { id: 7 }, senderFrame: { url: 'https://evil.example/' } } as never, [win] as never, 'file://')).toBe(false);
    expect(isTrustedSender({ sender: { id: 7 }, senderFrame: null } as never, [win] as never, 'file://')).toBe(false);
  });

  it('unregisters every handler', () => {
    unregister();
    expect(handlers.size).toBe(0);
  });
});
