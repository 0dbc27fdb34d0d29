// @vitest-environment node
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClientStore } from '../../main/services/clients';

describe('ClientStore', () => {
  it('creates, updates, lists, exports and deletes pseudonymous client records', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'soothe-clients-'));
    const store = new ClientStore(dir);
    expect(await store.list()).toEqual([]);
    const a = await store.save({ code: 'C-014', resonanceBreathsPerMin: 5.5, notes: 'prefers the wave' });
    expect(a).toMatchObject({ code: 'C-014', resonanceBreathsPerMin: 5.5, pacer: null, sessionIds: [] });
    await store.save({ code: 'C-014', sessionIds: ['s1'] });
    const b = await store.save({ code: 'C-014', sessionIds: ['s1', 's2'], pacer: { breathsPerMin: 5.5, inhaleShare: 0.4, pauseAfterInhaleS: 0, pauseAfterExhaleS: 0 } });
    expect(b.sessionIds).toEqual(['s1', 's2']);
    expect(b.notes).toBe('prefers the wave');
    expect(b.createdIso).toBe(a.createdIso);
    await store.save({ code: 'C-002' });
    expect((await store.list()).map((c) => c.code)).toEqual(['C-002', 'C-014']);
    expect(JSON.parse(await store.exportJson('C-014'))).toMatchObject({ code: 'C-014', sessionIds: ['s1', 's2'] });
    expect(await store.remove('C-002')).toBe(true);
    expect(await store.remove('C-002')).toBe(false);
    expect((await store.list()).map((c) => c.code)).toEqual(['C-014']);
  });

  it('refuses codes that are not plain pseudonyms (no paths, no spaces) and skips damaged files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'soothe-clients-'));
    const store = new ClientStore(dir);
    await expect(store.save({ code: '../../etc/passwd' })).rejects.toThrow(/client code/);
    await expect(store.save({ code: 'Jane Doe' })).rejects.toThrow(/client code/);
    await store.save({ code: 'ok1' });
    writeFileSync(join(dir, 'clients', 'broken.json'), '{"code": ');
    expect((await store.list()).map((c) => c.code)).toEqual(['ok1']);
    expect(readdirSync(join(dir, 'clients')).sort()).toEqual(['broken.json', 'ok1.json']);
  });
});
