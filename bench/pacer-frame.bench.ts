import type { BenchSection } from './types';
import { measurePacerFrames } from './browser-frames';

export const pacerFrameBench: BenchSection = {
  id: 'pacer-frames',
  title: 'Pacer frame time in headless Chromium (60 s)',
  run: () => measurePacerFrames({ durationS: 60 }),
};
