// @vitest-environment node
import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettingsStore, DEFAULT_SETTINGS } from '../../main/services/settings-store';
import { Recorder } from '../../main/services/recorder';

describe('SettingsStore', () => {
  it('starts from defaults, persists changes and survives a corrupt file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'soothe-settings-'));
    const a = new SettingsStore(dir);
    expect(await a.get()).toEqual(DEFAULT_SETTINGS);
    await a.set({ pacer: { ...DEFAULT_SETTINGS.pacer, breathsPerMin: 5.5 } });
    expect((await new SettingsStore(dir).get()).pacer.breathsPerMin).toBe(5.5);
    writeFileSync(join(dir, 'settings.json'), '{"pacer": {"breathsPerMin": 99, "inhaleShare": "x"');
    expect(await new SettingsStore(dir).get()).toEqual(DEFAULT_SETTINGS);
    writeFileSync(join(dir, 'settings.json'), '{"pacer": {"breathsPerMin": 99, "inhaleShare": "x"}}');
    expect((await new SettingsStore(dir).get()).pacer).toEqual({ ...DEFAULT_SETTINGS.pacer, breathsPerMin: 10 });
  });
});

describe('Recorder', () => {
  it('writes a manifest and an NDJSON event stream a researcher can read without Soothe', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'soothe-rec-'));
    const rec = new Recorder(dir);
    const { sessionId } = await rec.start({ source: 'Simulator', wallClockStartIso: '2026-11-26T10:00:00.000Z' });
    await rec.append(sessionId, [
      { kind: 'beat', tMs: 812.5, data: { rrMs: 812.5 } },
      { kind: 'pacer', tMs: 900, data: { breathsPerMin: 6 } },
    ]);
    expect(await rec.stop(sessionId)).toEqual({ events: 2 });
    const sdir = join(dir, 'sessions', readdirSync(join(dir, 'sessions'))[0] ?? '');
    expect(JSON.parse(readFileSync(join(sdir, 'manifest.json'), 'utf8'))).toMatchObject({ format: 'soothe-session/1', source: 'Simulator' });
    expect(readFileSync(join(sdir, 'events.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      { kind: 'beat', tMs: 812.5, rrMs: 812.5 },
      { kind: 'pacer', tMs: 900, breathsPerMin: 6 },
    ]);
    await expect(rec.append(sessionId, [])).rejects.toThrow(/no open recording/);
  });
});

describe('SettingsStore under concurrent changes', () => {
  it('applies two simultaneous changes one after the other (neither is lost)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'soothe-settings-'));
    const store = new SettingsStore(dir);
    await Promise.all([store.set({ pacer: { ...DEFAULT_SETTINGS.pacer, breathsPerMin: 5 } }), store.set({ rmssdWindowMs: 30_000 })]);
    const fresh = await new SettingsStore(dir).get();
    expect(fresh.pacer.breathsPerMin).toBe(5);
    expect(fresh.rmssdWindowMs).toBe(30_000);
  });
});
