/** Settings the trainer adds (issue 6): sanitised on read and merged on write. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, SettingsStore, sanitizeSettings } from '../../main/services/settings-store';
import { DEFAULT_TRAINER } from '../../shared/types/settings';

describe('trainer settings', () => {
  it('fills defaults and cleans hostile or broken values', () => {
    const s = sanitizeSettings({ rewardLevel: 9, rewardBaseline: { peakToTroughBpm: -3, coherence: 'x' }, trainer: { pacerStyle: 'laser', audioVolume: 7, audioEnabled: 'yes' }, resonance: { breathsPerMin: 42 } });
    expect(s.rewardLevel).toBe(1);
    expect(s.rewardBaseline).toEqual({ peakToTroughBpm: 1, coherence: 0.5, updates: 0 });
    expect(s.trainer).toEqual({ ...DEFAULT_TRAINER, audioVolume: 1 });
    expect(s.resonance).toBeNull();
    expect(sanitizeSettings({ resonance: { breathsPerMin: 5.55, assessedAtIso: '2026-01-01', reasons: ['a', 3] } }).resonance).toEqual({ breathsPerMin: 5.6, assessedAtIso: '2026-01-01', reasons: ['a'] });
  });

  it('keeps a saved resonance rate and pacer default across restarts, and merges trainer patches', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'soothe-settings-'));
    const a = new SettingsStore(dir);
    await a.set({ pacer: { ...DEFAULT_SETTINGS.pacer, breathsPerMin: 5.5 }, resonance: { breathsPerMin: 5.5, assessedAtIso: 'now', reasons: ['largest swing'] } });
    await a.set({ trainer: { ...DEFAULT_TRAINER, pacerStyle: 'wave' } });
    const b = await new SettingsStore(dir).get();
    expect(b.pacer.breathsPerMin).toBe(5.5);
    expect(b.resonance?.breathsPerMin).toBe(5.5);
    expect(b.trainer?.pacerStyle).toBe('wave');
    writeFileSync(join(dir, 'settings.json'), '{"trainer": 5}');
    expect((await new SettingsStore(dir).get()).trainer).toEqual(DEFAULT_TRAINER);
  });
});
