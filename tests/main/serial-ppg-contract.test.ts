/** The serial:* channels through the services module (the code both transports call). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServices, dispatch, type Services } from '../../main/services/services';
import { EVENT_CHANNELS, INVOKE_CHANNELS } from '../../shared/ipc/contract';

let services: Services | null = null;
let dir = '';
afterEach(async () => {
  await services?.dispose();
  services = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('serial:* contract channels', () => {
  it('are listed', () => {
    expect(INVOKE_CHANNELS).toEqual(expect.arrayContaining(['serial:list', 'serial:open', 'serial:close']));
    expect(EVENT_CHANNELS).toEqual(expect.arrayContaining(['serial:samples', 'serial:beats', 'serial:status']));
  });

  it('list answers a Result; open of a missing path fails cleanly; close with nothing open says so', async () => {
    dir = mkdtempSync(join(tmpdir(), 'soothe-serial-'));
    services = createServices({ dataDir: dir, version: 'test', shell: 'web' });
    const list = await dispatch(services.handlers, 'serial:list', []);
    expect(list.ok).toBe(true);
    const bad = await dispatch(services.handlers, 'serial:open', [{ path: join(dir, 'no-such-tty') }]);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatch(/cannot open/);
    const noPath = await dispatch(services.handlers, 'serial:open', [{}]);
    expect(noPath.ok).toBe(false);
    const badBaud = await dispatch(services.handlers, 'serial:open', [{ path: '/dev/null', baudRate: 7 }]);
    expect(badBaud.ok).toBe(false);
    expect(await dispatch(services.handlers, 'serial:close', [])).toEqual({ ok: true, value: { closed: false } });
  });
});
