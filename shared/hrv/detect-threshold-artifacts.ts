/**
 * Kubios HRV's fixed-threshold artifact correction (Kubios HRV user's guide, "RR interval
 * correction", threshold-based method; Tarvainen et al. 2014, Comput Methods Programs Biomed
 * 113(1):210–220): each RR interval is compared with a local average (here the 11-beat centred
 * median) and flagged when it differs by more than the threshold. Thresholds are given at
 * 60 beats/min and scaled with the mean heart rate of the series:
 *   thresholdMs = levelS · 1000 · (meanRrMs / 1000 ms)
 * levels: very-low 0.45 s, low 0.35 s, medium 0.25 s, strong 0.15 s, very-strong 0.05 s.
 * Flagged intervals are labelled 'outlier' and replaced by the local median (correct-artifacts.ts).
 */
import { hrvKernels } from './kernels';
import { computeRollingQuantiles } from './rolling-quantile';
import { CODE_OUTLIER, LIPPONEN_MEDIAN_WINDOW_BEATS, type ArtifactDetection } from './detect-artifacts';

export type ThresholdLevel = 'very-low' | 'low' | 'medium' | 'strong' | 'very-strong';

/** Threshold at 60 beats/min, s (Kubios HRV). */
export const KUBIOS_THRESHOLD_S: Readonly<Record<ThresholdLevel, number>> = {
  'very-low': 0.45,
  low: 0.35,
  medium: 0.25,
  strong: 0.15,
  'very-strong': 0.05,
};

export function detectThresholdArtifacts(rrMs: ArrayLike<number>, level: ThresholdLevel): ArtifactDetection {
  const n = rrMs.length;
  const types = new Uint8Array(n);
  const [med] = (hrvKernels()?.rollingQuantiles?.(rrMs, LIPPONEN_MEDIAN_WINDOW_BEATS, [0.5]) ?? computeRollingQuantiles(rrMs, LIPPONEN_MEDIAN_WINDOW_BEATS, [0.5])) as [Float64Array];
  let sum = 0;
  for (let k = 0; k < n; k++) sum += rrMs[k] as number;
  const meanRrMs = n > 0 ? sum / n : 0;
  const thresholdMs = KUBIOS_THRESHOLD_S[level] * meanRrMs; // levelS·1000 · meanRrMs/1000
  for (let k = 0; k < n; k++) if (Math.abs((rrMs[k] as number) - (med[k] as number)) > thresholdMs) types[k] = CODE_OUTLIER;
  return { types, medRrMs: med, th2Ms: new Float64Array(n).fill(thresholdMs) };
}
