// Every benchmark section, in the order RESULTS.md shows them. Add one import + one entry per section.
import type { BenchSection } from './types';
import { pipelineBench } from './pipeline.bench';
import { hrvBench } from './hrv.bench';
import { pacerFrameBench } from './pacer-frame.bench';
import { ppgBench, ppgPtyBench } from './ppg.bench';
import { bleBench } from './ble.bench';
import { recordingBench } from './recording.bench';
import { lslBench } from './lsl.bench';
import { respAccBench } from './resp-acc.bench';
import { ecgBench, ecgConsoleBench } from './ecg.bench';
import { trainerBench, trainerLongMemoryBench } from './trainer.bench';

export const SECTIONS: readonly BenchSection[] = [pipelineBench, pacerFrameBench, ppgBench, ppgPtyBench, hrvBench, bleBench, recordingBench, lslBench, respAccBench, ecgBench, ecgConsoleBench, trainerBench, trainerLongMemoryBench];
