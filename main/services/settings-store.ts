/**
 * Settings persisted as JSON in the user's data folder. Writes go to a temporary file that is
 * then renamed over the old one, so a crash mid-write never leaves a half-written settings file.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sanitizeLslSettings } from './lsl/lsl-settings';
import { DEFAULT_LSL_SETTINGS } from '../../shared/types/lsl';
import { DEFAULT_TRAINER, type ResonanceResult, type Settings, type TrainerSettings } from '../../shared/types/settings';
import { DEFAULT_PACER, normalizePacer } from '../../shared/pacer/phase';
import { DEFAULT_REWARD_BASELINE, sanitizeBaseline } from '../../shared/reward/baseline';
import { normalizeRewardLevel } from '../../shared/reward/compute-reward';

function sanitizeTrainer(raw: unknown): TrainerSettings {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const bool = (v: unknown, d: boolean): boolean => (typeof v === 'boolean' ? v : d);
  const vol = typeof r.audioVolume === 'number' && Number.isFinite(r.audioVolume) ? Math.min(1, Math.max(0, r.audioVolume)) : DEFAULT_TRAINER.audioVolume;
  return {
    pacerStyle: r.pacerStyle === 'wave' ? 'wave' : 'orb',
    audioEnabled: bool(r.audioEnabled, DEFAULT_TRAINER.audioEnabled),
    audioVolume: vol,
    progressiveSlowing: bool(r.progressiveSlowing, DEFAULT_TRAINER.progressiveSlowing),
    safetyNoteSeen: bool(r.safetyNoteSeen, DEFAULT_TRAINER.safetyNoteSeen),
  };
}

function sanitizeResonance(raw: unknown): ResonanceResult | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const rate = r.breathsPerMin;
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 3 || rate > 10) return null;
  return {
    breathsPerMin: Math.round(rate * 10) / 10,
    assessedAtIso: typeof r.assessedAtIso === 'string' ? r.assessedAtIso.slice(0, 40) : '',
    reasons: Array.isArray(r.reasons) ? r.reasons.filter((x): x is string => typeof x === 'string').slice(0, 12).map((x) => x.slice(0, 300)) : [],
  };
}

export const DEFAULT_SETTINGS: Settings = {
  pacer: DEFAULT_PACER,
  rmssdWindowMs: 60_000,
  reducedMotion: 'system',
  lsl: DEFAULT_LSL_SETTINGS,
  rewardLevel: 1,
  rewardBaseline: DEFAULT_REWARD_BASELINE,
  trainer: DEFAULT_TRAINER,
  resonance: null,
};

export function sanitizeSettings(raw: unknown): Settings {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const pacerRaw = (typeof r.pacer === 'object' && r.pacer !== null ? r.pacer : {}) as Record<string, unknown>;
  const num = (v: unknown, d: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : d);
  const rm = r.reducedMotion;
  return {
    pacer: normalizePacer({
      breathsPerMin: num(pacerRaw.breathsPerMin, DEFAULT_PACER.breathsPerMin),
      inhaleShare: num(pacerRaw.inhaleShare, DEFAULT_PACER.inhaleShare),
      pauseAfterInhaleS: num(pacerRaw.pauseAfterInhaleS, DEFAULT_PACER.pauseAfterInhaleS),
      pauseAfterExhaleS: num(pacerRaw.pauseAfterExhaleS, DEFAULT_PACER.pauseAfterExhaleS),
    }),
    rmssdWindowMs: Math.min(300_000, Math.max(10_000, num(r.rmssdWindowMs, DEFAULT_SETTINGS.rmssdWindowMs))),
    reducedMotion: rm === 'on' || rm === 'off' || rm === 'system' ? rm : 'system',
    lsl: sanitizeLslSettings(r.lsl),
    rewardLevel: normalizeRewardLevel(r.rewardLevel),
    rewardBaseline: sanitizeBaseline(r.rewardBaseline),
    trainer: sanitizeTrainer(r.trainer),
    resonance: sanitizeResonance(r.resonance),
  };
}

export class SettingsStore {
  private current: Settings | undefined;
  private readonly file: string;

  constructor(private readonly dir: string) {
    this.file = join(dir, 'settings.json');
  }

  async get(): Promise<Settings> {
    if (!this.current) {
      try {
        this.current = sanitizeSettings(JSON.parse(await readFile(this.file, 'utf8')));
      } catch {
        // Missing or unreadable settings: start from the defaults (the file is rewritten on the next change).
        this.current = DEFAULT_SETTINGS;
      }
    }
    return this.current;
  }

  /** Changes are applied one after another, so two quick changes never overwrite each other. */
  private queue: Promise<unknown> = Promise.resolve();

  set(patch: Partial<Settings>): Promise<Settings> {
    const next = this.queue.then(() => this.apply(patch));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async apply(patch: Partial<Settings>): Promise<Settings> {
    const base = await this.get();
    const merged = sanitizeSettings({ ...base, ...patch, pacer: { ...base.pacer, ...(patch.pacer ?? {}) }, trainer: { ...base.trainer, ...(patch.trainer ?? {}) } });
    await mkdir(this.dir, { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(merged, null, 2));
    await rename(tmp, this.file);
    this.current = merged;
    return merged;
  }
}
