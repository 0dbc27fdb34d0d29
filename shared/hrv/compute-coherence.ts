/**
 * HeartMath coherence ratio (McCraty R., Atkinson M., Tomasino D., Bradley R.T. 2009, "The
 * coherent heart", Integral Review 5(2):10–115; definition as in the datasets'
 * `parameters.own_coherence`):
 *   peak  = highest PSD bin in 0.04–0.26 Hz;
 *   PeakPower  = ∫ PSD over [peak − 0.015, peak + 0.015] Hz (a 0.030 Hz window);
 *   TotalPower = ∫ PSD over [0.0033, 0.4] Hz;
 *   CR = PeakPower / (TotalPower − PeakPower).
 * Integrals: trapezoid over the bins inside each window, edges included.
 */
import type { Psd } from './compute-welch-psd';
import { findPeakHz, integrateBandPower } from './integrate-band-power';

export const COHERENCE_PEAK_SEARCH_HZ = [0.04, 0.26] as const;
export const COHERENCE_PEAK_HALF_WIDTH_HZ = 0.015;
export const COHERENCE_TOTAL_HZ = [0.0033, 0.4] as const;

export interface Coherence {
  readonly ratio: number | null;
  readonly peakHz: number | null;
  readonly peakPowerMs2: number;
  readonly totalPowerMs2: number;
}

export function computeCoherence(p: Psd): Coherence {
  const peakHz = findPeakHz(p, COHERENCE_PEAK_SEARCH_HZ[0], COHERENCE_PEAK_SEARCH_HZ[1], true);
  const totalPowerMs2 = integrateBandPower(p, COHERENCE_TOTAL_HZ[0], COHERENCE_TOTAL_HZ[1], true);
  if (peakHz === null) return { ratio: null, peakHz: null, peakPowerMs2: 0, totalPowerMs2 };
  const peakPowerMs2 = integrateBandPower(p, peakHz - COHERENCE_PEAK_HALF_WIDTH_HZ, peakHz + COHERENCE_PEAK_HALF_WIDTH_HZ, true);
  const rest = totalPowerMs2 - peakPowerMs2;
  return { ratio: rest > 0 ? peakPowerMs2 / rest : null, peakHz, peakPowerMs2, totalPowerMs2 };
}
