/**
 * Soothe's LSL streams: names, types, channels with labels and units in `<desc>` (XDF meta-data
 * conventions: desc/channels/channel/{label,unit,type}), and source ids that stay the same across
 * restarts of Soothe on the same machine and user, so LabRecorder and liblsl inlets reconnect to a
 * restarted Soothe (an inlet recovers only through name + type + source_id).
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import { channelsDesc, type LslXmlElement } from '../../../shared/lsl/stream-info';
import type { OutletSpec } from './outlet-host';

export type SootheStreamKey = 'rr' | 'hr' | 'pacer' | 'reward' | 'breathing' | 'ppg' | 'markers';

/** Pacer samples per second (the pacer is a pure function of time, sampled by the publisher). */
export const PACER_SRATE_HZ = 10;

/**
 * A per-install id: a hash of hostname and user name. Stable across restarts (no file needed),
 * different between two machines in one lab.
 */
export function installId(): string {
  let user = '';
  try {
    user = os.userInfo().username;
  } catch {
    user = ''; // no passwd entry (containers): the hostname alone still identifies the machine
  }
  return createHash('sha256').update(`${os.hostname()}\0${user}`).digest('hex').slice(0, 10);
}

/** Keeps a device name usable inside a source_id (`/dev/ttyACM0` → `dev-ttyACM0`). */
function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'device';
}

function acquisition(version: string, extra: readonly LslXmlElement[] = []): LslXmlElement {
  return {
    name: 'acquisition',
    children: [{ name: 'manufacturer', text: 'Soothe' }, { name: 'model', text: 'Soothe HRV biofeedback' }, { name: 'application_version', text: version }, ...extra],
  };
}

export interface StreamContext {
  readonly installId: string;
  readonly version: string;
  /** Serial PPG sensor: its device path and sample rate. */
  readonly ppg?: { readonly device: string; readonly fsHz: number };
}

/** The stream definition for one of Soothe's streams. */
export function sootheStreamSpec(key: SootheStreamKey, ctx: StreamContext): OutletSpec {
  const sid = (suffix: string): string => `soothe-${ctx.installId}-${suffix}`;
  const timing = (text: string): LslXmlElement => ({ name: 'timing', text });
  switch (key) {
    case 'rr':
      return {
        name: 'SootheRR',
        type: 'RR',
        channelCount: 1,
        channelFormat: 'float32',
        sourceId: sid('rr'),
        nominalSrateHz: 0,
        desc: [channelsDesc([{ label: 'rr_interval', unit: 'ms', type: 'RR' }]), timing('one sample per beat; timestamp = time of the beat that ends the interval'), acquisition(ctx.version)],
      };
    case 'hr':
      return {
        name: 'SootheHeartRate',
        type: 'HeartRate',
        channelCount: 1,
        channelFormat: 'float32',
        sourceId: sid('hr'),
        nominalSrateHz: 0,
        desc: [channelsDesc([{ label: 'heart_rate', unit: 'bpm', type: 'HeartRate' }]), timing('one sample per beat (60000 / RR); timestamp = beat time'), acquisition(ctx.version)],
      };
    case 'pacer':
      return {
        name: 'SoothePacer',
        type: 'Pacer',
        channelCount: 3,
        channelFormat: 'float32',
        sourceId: sid('pacer'),
        nominalSrateHz: PACER_SRATE_HZ,
        desc: [
          channelsDesc([
            { label: 'pacer_phase', unit: 'cycles', type: 'Pacer' },
            { label: 'pacer_volume', unit: 'normalized', type: 'Pacer' },
            { label: 'pacer_rate', unit: 'breaths/min', type: 'Pacer' },
          ]),
          timing('phase: fraction of the breathing cycle, 0 = start of the in-breath; volume: the guide\'s lung-volume cue, 0 empty to 1 full'),
          acquisition(ctx.version),
        ],
      };
    case 'reward':
      return {
        name: 'SootheReward',
        type: 'Reward',
        channelCount: 1,
        channelFormat: 'float32',
        sourceId: sid('reward'),
        nominalSrateHz: 0,
        desc: [channelsDesc([{ label: 'reward', unit: 'normalized', type: 'Reward' }]), timing('the feedback signal, 0 to 1, each time Soothe updates it'), acquisition(ctx.version)],
      };
    case 'breathing':
      return {
        name: 'SootheBreathing',
        type: 'Respiration',
        channelCount: 1,
        channelFormat: 'float32',
        sourceId: sid('breathing'),
        nominalSrateHz: 0,
        desc: [channelsDesc([{ label: 'breathing_rate', unit: 'breaths/min', type: 'Respiration' }]), timing('breathing rate measured from the heart rhythm (RSA), when measured'), acquisition(ctx.version)],
      };
    case 'ppg': {
      const device = ctx.ppg?.device ?? 'serial';
      return {
        name: 'SoothePPG',
        type: 'PPG',
        channelCount: 1,
        channelFormat: 'float32',
        sourceId: sid(`ppg-${slug(device)}`),
        nominalSrateHz: ctx.ppg?.fsHz ?? 0,
        desc: [channelsDesc([{ label: 'ppg', unit: 'a.u.', type: 'PPG' }]), acquisition(ctx.version, [{ name: 'serial_device', text: device }])],
      };
    }
    case 'markers':
      return {
        name: 'SootheMarkers',
        type: 'Markers',
        channelCount: 1,
        channelFormat: 'string',
        sourceId: sid('markers'),
        nominalSrateHz: 0,
        desc: [channelsDesc([{ label: 'marker', unit: '', type: 'Marker' }]), timing('session markers and phase changes, as text'), acquisition(ctx.version)],
      };
  }
}
