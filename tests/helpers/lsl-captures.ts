/** Reads the real liblsl captures where they live (../shared/datasets/lsl-captures); never copied into the project. */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const LSL_CAPTURES_DIR = resolve(process.cwd(), '../shared/datasets/lsl-captures');

/** null when the captures are present, else a message naming what is missing. */
export const lslCapturesMissing: string | null = existsSync(`${LSL_CAPTURES_DIR}/index.json`) ? null : `${LSL_CAPTURES_DIR}/index.json is absent`;

export interface CapturedSample {
  readonly offset: number;
  readonly length: number;
  readonly tag: number;
  readonly timestamp: number | null;
  readonly values: (number | string)[];
}

export interface CapturedTcp {
  readonly kind: string;
  readonly request_file: string;
  readonly response_file: string;
  readonly uid?: string;
  readonly stream?: { readonly body_offset?: number; readonly test_patterns: CapturedSample[]; readonly first_samples: CapturedSample[]; readonly channel_format?: string };
}

export interface CapturedScenario {
  readonly outlet_streams: { name: string; type: string; uid: string; source_id: string; channel_count: number; nominal_srate: number; hostname: string; created_at: number }[];
  readonly udp: Record<string, { file: string; query?: string; return_port?: number; query_id?: string; wave_id?: number; t0?: number; t1?: number; t2?: number }>;
  readonly tcp: CapturedTcp[];
}

export function loadLslIndex(): Record<string, CapturedScenario> {
  return JSON.parse(readFileSync(`${LSL_CAPTURES_DIR}/index.json`, 'utf8')) as Record<string, CapturedScenario>;
}

export function captureBytes(scenario: string, file: string): Buffer {
  return readFileSync(`${LSL_CAPTURES_DIR}/${scenario}/${file}`);
}

/** The channel description the capture's SootheFixtureHR outlet had (02-fullinfo). */
export const FIXTURE_HR_DESC = [
  {
    name: 'channels',
    children: [
      { name: 'channel', children: [{ name: 'label', text: 'heart_rate' }, { name: 'unit', text: 'bpm' }, { name: 'type', text: 'HR' }] },
      { name: 'channel', children: [{ name: 'label', text: 'rr_interval' }, { name: 'unit', text: 'ms' }, { name: 'type', text: 'HR' }] },
    ],
  },
  { name: 'acquisition', children: [{ name: 'manufacturer', text: 'Soothe' }] },
];
