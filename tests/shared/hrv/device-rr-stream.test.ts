/**
 * The metrics on what a strap itself sends: the Polar H10's own RR stream (integer ms over the
 * standard Heart Rate Service, datasets rr/polar_h10.json → device_rr_stream) against the
 * independent reference values computed on exactly that stream (`device_rr_stream.reference`).
 */
import { describe, expect, it } from 'vitest';
import { computeTimeDomain } from '../../../shared/hrv/compute-time-domain';
import { computeFrequencyDomain } from '../../../shared/hrv/compute-frequency-domain';
import { DATASETS_DIR, HAVE_DATASETS, expectTimeDomainNear, expectWelchNear, readDataset } from './datasets';

interface DeviceStream {
  device_rr_stream: { rr_ms: number[]; reference: { own_time_domain: Record<string, number>; own_welch: Record<string, number> } };
}

describe.skipIf(!HAVE_DATASETS)(`the Polar H10's own RR stream vs its references (${DATASETS_DIR}/rr/polar_h10.json)`, () => {
  it('time domain', () => {
    const s = readDataset<DeviceStream>('rr/polar_h10.json').device_rr_stream;
    const ref = s.reference.own_time_domain;
    const t = computeTimeDomain(s.rr_ms);
    expect(s.rr_ms).toHaveLength(ref.n_rr!);
    // Integer-ms RR: successive differences of exactly 50 ms are possible; the reference counts none here.
    expectTimeDomainNear(t, ref);
  });
  it('Welch (4 Hz spline, 256 s Hann, 50 %)', () => {
    const s = readDataset<DeviceStream>('rr/polar_h10.json').device_rr_stream;
    const w = s.reference.own_welch;
    const r = computeFrequencyDomain(s.rr_ms);
    expectWelchNear(r.frequency, w);
  });
});
