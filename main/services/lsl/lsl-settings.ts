/** Sanitises the persisted LSL settings (Settings.lsl): off unless explicitly on; a picked stream needs a name. */
import { DEFAULT_LSL_SETTINGS, type LslSettings } from '../../../shared/types/lsl';

const text = (v: unknown, max: number): string | null => (typeof v === 'string' && v.length > 0 && v.length <= max ? v : null);

export function sanitizeLslSettings(raw: unknown): LslSettings {
  if (typeof raw !== 'object' || raw === null) return DEFAULT_LSL_SETTINGS;
  const r = raw as Record<string, unknown>;
  const p = (typeof r.markerInlet === 'object' && r.markerInlet !== null ? r.markerInlet : null) as Record<string, unknown> | null;
  const name = p ? text(p.name, 200) : null;
  return {
    enabled: r.enabled === true,
    markerInlet: name ? { name, sourceId: (p && text(p.sourceId, 200)) ?? '' } : null,
  };
}
