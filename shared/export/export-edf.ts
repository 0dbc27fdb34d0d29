/**
 * EDF+ writer (European Data Format plus; Kemp & Olivan 2003, "European data format 'plus'
 * (EDF+), an EDF alike standard format for the exchange of physiological data", Clin
 * Neurophysiol 114:1755-61; spec: https://www.edfplus.info/specs/edfplus.html and
 * https://www.edfplus.info/specs/edf.html).
 *
 * Layout: a 256-byte header, 256 bytes per signal, then data records of RECORD_S seconds, each
 * holding every signal's samples as 16-bit little-endian two's complement integers.
 * Signals:
 *   RR   tachogram, ms, linearly interpolated between beats at RESAMPLE_HZ (beats the live
 *        corrector labelled as artifacts left out; the first/last value held at the ends)
 *   HR   60000 / RR, beats/min, same samples
 *   ECG  (only when the session holds a Polar H10's raw ECG) µV at its own rate, 130 Hz
 *        (130 samples per record: EDF+ lets each signal have its own samples per record, spec §2.1.3
 *        "nr of samples in each data record"); physical = digital, 1 µV per step, values beyond
 *        ±32767 µV clipped. Each run of contiguous samples (shared/export/ecg-series.ts) is written
 *        consecutively from the sample nearest its first sample's session time; the time between
 *        runs is 0 and a "ECG recorded" annotation (onset, duration) marks every run.
 *   EDF Annotations  Time-stamped Annotation Lists (TALs, spec §2.2):
 *        each record starts with its time-keeping TAL "+<record onset>\x14\x14\x00";
 *        every interval: "+<onset of the interval>\x15<its length>\x14RR\x14\x00" (onset = the
 *          beat that starts it, length = the interval, both s with 6 decimals; "RR artifact:<type>"
 *          when labelled), so the exact beats survive the resampling;
 *        every marker: "+<onset>\x14Marker: <label>\x14\x00".
 * Time 0 of the file is the session origin (tMs = 0); the header's start date and time are the
 * wall clock at the origin in UTC, rounded down to the second (EDF has no finer field).
 */
import { labelledBeats, sessionMarkers, type StreamRecord } from '../session-format/session-format';
import type { EcgSeries } from './ecg-series';

/** Sample rate of the RR and HR channels, Hz (4 Hz is the usual tachogram rate for HRV spectra). */
export const RESAMPLE_HZ = 4;
/** Data record duration, s. */
export const RECORD_S = 1;
const DIG_MIN = -32768;
const DIG_MAX = 32767;
const RR_PHYS = [0, 3000] as const; // ms
const HR_PHYS = [0, 300] as const; // beats/min
const ECG_PHYS = [DIG_MIN, DIG_MAX] as const; // µV, 1 µV per digital step
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

const field = (s: string, n: number): string => {
  // EDF header fields are printable US-ASCII (bytes 32..126), left-justified and space-padded.
  const a = s.replace(/[^\x20-\x7e]/g, '_').slice(0, n);
  return a + ' '.repeat(n - a.length);
};

/** A number formatted for an 8-character header field. */
const num8 = (v: number): string => field(String(v), 8);

/** Seconds as a TAL time: sign, up to 6 decimals, no exponent. */
export function talTime(s: number, signed = true): string {
  const t = Math.abs(s).toFixed(6).replace(/\.?0+$/, '');
  return signed ? (s < 0 ? '-' : '+') + t : t;
}

function toDigital(v: number, [lo, hi]: readonly [number, number]): number {
  const c = Math.min(hi, Math.max(lo, v));
  return Math.round(((c - lo) / (hi - lo)) * (DIG_MAX - DIG_MIN) + DIG_MIN);
}

/** UTF-8 bytes of a string (EDF+ annotations are UTF-8; shared/ has no TextEncoder type). */
export function utf8(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0x3f;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

export interface EdfMeta {
  readonly sessionId: string;
  readonly wallClockStartIso: string;
}

/** Builds an EDF+C file of a session's beats and markers, and its raw ECG when given one with samples. */
export function exportEdf(events: readonly StreamRecord[], meta: EdfMeta, ecg?: EcgSeries): Uint8Array {
  const beats = labelledBeats(events);
  const markers = sessionMarkers(events);
  let lastMs = 0;
  for (const e of events) if (e.tMs > lastMs) lastMs = e.tMs;
  const ecgRuns = (ecg?.runs ?? []).filter((r) => r.tMs.length > 0);
  const ecgHz = ecgRuns.length ? (ecg?.sampleRateHz ?? 0) : 0;
  for (const r of ecgRuns) lastMs = Math.max(lastMs, r.tMs[r.tMs.length - 1] as number);
  const nRecords = Math.max(1, Math.ceil(lastMs / 1000 / RECORD_S + 1e-9));
  const perRecord = RESAMPLE_HZ * RECORD_S;

  // Tachogram resampled by linear interpolation between clean beats.
  const clean = beats.filter((b) => b.artifact === 'none');
  const rrAt = new Float64Array(nRecords * perRecord);
  let j = 0;
  for (let i = 0; i < rrAt.length; i++) {
    const tMs = (i / RESAMPLE_HZ) * 1000;
    while (j + 1 < clean.length && (clean[j + 1]?.tMs ?? Infinity) <= tMs) j++;
    const a = clean[j];
    const b = clean[j + 1];
    if (!a) rrAt[i] = 0;
    else if (tMs <= a.tMs || !b) rrAt[i] = a.rrMs;
    else rrAt[i] = a.rrMs + ((b.rrMs - a.rrMs) * (tMs - a.tMs)) / (b.tMs - a.tMs);
  }

  // Annotations, grouped by the record their onset falls in (negative onsets go in record 0).
  const tals: string[][] = Array.from({ length: nRecords }, (_, r) => [`${talTime(r * RECORD_S)}\x14\x14\x00`]);
  const put = (onsetS: number, tal: string): void => {
    const r = Math.min(nRecords - 1, Math.max(0, Math.floor(onsetS / RECORD_S)));
    tals[r]?.push(tal);
  };
  for (const b of beats) {
    const onsetS = (b.tMs - b.rrMs) / 1000;
    const text = b.artifact === 'none' ? 'RR' : `RR artifact:${b.artifact}`;
    put(onsetS, `${talTime(onsetS)}\x15${talTime(b.rrMs / 1000, false)}\x14${text}\x14\x00`);
  }
  // Raw ECG, run by run.
  const ecgPerRecord = Math.round(ecgHz * RECORD_S);
  const ecgAt = new Int16Array(nRecords * ecgPerRecord);
  for (const r of ecgRuns) {
    const first = Math.round(((r.tMs[0] as number) / 1000) * ecgHz);
    for (let i = 0; i < r.microVolts.length; i++) {
      const k = first + i;
      if (k >= 0 && k < ecgAt.length) ecgAt[k] = Math.min(DIG_MAX, Math.max(DIG_MIN, Math.round(r.microVolts[i] as number)));
    }
    const onsetS = Math.max(0, first) / ecgHz;
    put(onsetS, `${talTime(onsetS)}\x15${talTime(r.microVolts.length / ecgHz, false)}\x14ECG recorded\x14\x00`);
  }
  for (const m of markers) {
    // TAL separators are control characters (0x00, 0x14, 0x15): none may appear in a label.
    const label = [...(m.label || 'marker')].map((ch) => ((ch.codePointAt(0) ?? 0) < 0x20 ? ' ' : ch)).join('');
    put(m.tMs / 1000, `${talTime(m.tMs / 1000)}\x14Marker: ${label}\x14\x00`);
  }
  const talBytes = tals.map((list) => utf8(list.join('')));
  const annBytes = Math.max(...talBytes.map((b) => b.length));
  const annSamples = Math.ceil(annBytes / 2);

  const signals = [
    { label: 'RR', transducer: 'beat-to-beat interval, linear interpolation', dim: 'ms', phys: RR_PHYS, samples: perRecord },
    { label: 'HR', transducer: 'heart rate = 60000 / RR', dim: 'bpm', phys: HR_PHYS, samples: perRecord },
    ...(ecgPerRecord > 0 ? [{ label: 'ECG', transducer: 'Polar H10 chest strap electrodes, raw ECG', dim: 'uV', phys: ECG_PHYS, samples: ecgPerRecord }] : []),
    { label: 'EDF Annotations', transducer: '', dim: '', phys: [-1, 1] as const, samples: annSamples },
  ];
  const ns = signals.length;
  const start = new Date(meta.wallClockStartIso);
  const valid = Number.isFinite(start.getTime());
  const d = valid ? start : new Date(0);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  let h = '';
  h += field('0', 8);
  h += field('X X X X', 80);
  h += field(`Startdate ${valid ? `${p2(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()}` : 'X'} ${meta.sessionId.replace(/\s/g, '_')} X Soothe`, 80);
  h += field(`${p2(d.getUTCDate())}.${p2(d.getUTCMonth() + 1)}.${p2(d.getUTCFullYear() % 100)}`, 8);
  h += field(`${p2(d.getUTCHours())}.${p2(d.getUTCMinutes())}.${p2(d.getUTCSeconds())}`, 8);
  h += num8(256 * (ns + 1));
  h += field('EDF+C', 44);
  h += num8(nRecords);
  h += num8(RECORD_S);
  h += field(String(ns), 4);
  for (const s of signals) h += field(s.label, 16);
  for (const s of signals) h += field(s.transducer, 80);
  for (const s of signals) h += field(s.dim, 8);
  for (const s of signals) h += num8(s.phys[0]);
  for (const s of signals) h += num8(s.phys[1]);
  for (let i = 0; i < ns; i++) h += num8(DIG_MIN);
  for (let i = 0; i < ns; i++) h += num8(DIG_MAX);
  for (let i = 0; i < ns; i++) h += field('', 80);
  for (const s of signals) h += num8(s.samples);
  for (let i = 0; i < ns; i++) h += field('', 32);

  const recordBytes = 2 * (2 * perRecord + ecgPerRecord + annSamples);
  const out = new Uint8Array(h.length + nRecords * recordBytes);
  out.set(utf8(h), 0);
  const view = new DataView(out.buffer);
  for (let r = 0; r < nRecords; r++) {
    let off = h.length + r * recordBytes;
    for (let k = 0; k < perRecord; k++, off += 2) view.setInt16(off, toDigital(rrAt[r * perRecord + k] ?? 0, RR_PHYS), true);
    for (let k = 0; k < perRecord; k++, off += 2) {
      const rr = rrAt[r * perRecord + k] ?? 0;
      view.setInt16(off, toDigital(rr > 0 ? 60_000 / rr : 0, HR_PHYS), true);
    }
    for (let k = 0; k < ecgPerRecord; k++, off += 2) view.setInt16(off, ecgAt[r * ecgPerRecord + k] ?? 0, true);
    out.set(talBytes[r] ?? new Uint8Array(0), off); // the rest of the block stays 0x00 (padding)
  }
  return out;
}
