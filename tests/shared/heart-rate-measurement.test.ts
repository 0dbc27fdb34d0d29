import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseHeartRateMeasurement, type HeartRateMeasurement } from '../../shared/parsers/heart-rate-measurement';

const bytes = (hex: string): Uint8Array => Uint8Array.from(hex.trim().split(/\s+/).map((h) => Number.parseInt(h, 16)));
const ms = (rr1024: number): number => (rr1024 * 1000) / 1024;
const ok = (value: HeartRateMeasurement) => ({ ok: true, value });

interface CapturePacket {
  readonly hex: string;
  readonly expect?: Omit<HeartRateMeasurement, 'rrMs'>;
  readonly reject?: string;
}
interface Capture {
  readonly id: string;
  readonly device: string;
  readonly source: string;
  readonly packets: readonly CapturePacket[];
}
const captures = (JSON.parse(readFileSync(new URL('../fixtures/ble-hrm-captures.json', import.meta.url), 'utf8')) as { captures: Capture[] }).captures;

describe('parseHeartRateMeasurement', () => {
  it('reads uint8 heart rate with contact detected and one RR (Polar H7 packet)', () => {
    expect(parseHeartRateMeasurement(bytes('16 3c 11 04'))).toEqual(
      ok({ hrBpm: 60, hrFormat: 'uint8', contact: 'detected', energyKj: null, rrMs: [1016.6015625], rr1024: [1041] }),
    );
  });

  it('accepts a DataView with a byte offset (as Web Bluetooth hands it over)', () => {
    const buf = new Uint8Array([0xaa, 0xbb, 0x16, 0x3c, 0x11, 0x04, 0xcc]).buffer;
    expect(parseHeartRateMeasurement(new DataView(buf, 2, 4))).toEqual(parseHeartRateMeasurement(bytes('16 3c 11 04')));
  });

  it('accepts a Uint8Array that is a window on a larger buffer', () => {
    const whole = new Uint8Array([0xff, 0x01, 0x48, 0x00, 0x99]);
    expect(parseHeartRateMeasurement(whole.subarray(1, 4))).toEqual(
      ok({ hrBpm: 72, hrFormat: 'uint16', contact: 'not-supported', energyKj: null, rrMs: [], rr1024: [] }),
    );
  });

  describe('every combination of flag bits 0-4', () => {
    // HR 0x0148 = 328 as uint16 (0x48 = 72 as uint8), energy 0x0102 = 258 kJ, RR 0x0400 = 1024 (1000 ms) and 0x0155 = 341.
    for (let flags = 0; flags < 32; flags++) {
      const u16 = (flags & 0x01) !== 0;
      const energy = (flags & 0x08) !== 0;
      const rr = (flags & 0x10) !== 0;
      const packet = [flags, 0x48, ...(u16 ? [0x01] : []), ...(energy ? [0x02, 0x01] : []), ...(rr ? [0x00, 0x04, 0x55, 0x01] : [])];
      const contact = (flags & 0x04) === 0 ? 'not-supported' : (flags & 0x02) !== 0 ? 'detected' : 'not-detected';
      it(`flags 0x${flags.toString(16).padStart(2, '0')}: [${packet.map((b) => b.toString(16)).join(' ')}]`, () => {
        expect(parseHeartRateMeasurement(Uint8Array.from(packet))).toEqual(
          ok({
            hrBpm: u16 ? 328 : 72,
            hrFormat: u16 ? 'uint16' : 'uint8',
            contact,
            energyKj: energy ? 258 : null,
            rrMs: rr ? [1000, 333.0078125] : [],
            rr1024: rr ? [1024, 341] : [],
          }),
        );
      });
    }
  });

  it('reports HR 0 as sent (straps send it before they lock on)', () => {
    expect(parseHeartRateMeasurement(bytes('06 00'))).toEqual(
      ok({ hrBpm: 0, hrFormat: 'uint8', contact: 'detected', energyKj: null, rrMs: [], rr1024: [] }),
    );
    expect(parseHeartRateMeasurement(bytes('04 00'))).toEqual(
      ok({ hrBpm: 0, hrFormat: 'uint8', contact: 'not-detected', energyKj: null, rrMs: [], rr1024: [] }),
    );
  });

  it('reports RR 0xFFFF as 63 999.0234375 ms, unfiltered', () => {
    expect(parseHeartRateMeasurement(bytes('10 3c ff ff'))).toEqual(
      ok({ hrBpm: 60, hrFormat: 'uint8', contact: 'not-supported', energyKj: null, rrMs: [63999.0234375], rr1024: [65535] }),
    );
  });

  it('reports energy 0xFFFF (saturated: the client should reset it) as 65535 kJ', () => {
    expect(parseHeartRateMeasurement(bytes('18 3c ff ff 00 04'))).toEqual(
      ok({ hrBpm: 60, hrFormat: 'uint8', contact: 'not-supported', energyKj: 65535, rrMs: [1000], rr1024: [1024] }),
    );
  });

  it('reads six RR intervals in one packet, oldest first', () => {
    const rr1024 = [0x0300, 0x0310, 0x0320, 0x0330, 0x0340, 0x0350];
    const packet = bytes('16 5a 00 03 10 03 20 03 30 03 40 03 50 03');
    expect(parseHeartRateMeasurement(packet)).toEqual(
      ok({ hrBpm: 90, hrFormat: 'uint8', contact: 'detected', energyKj: null, rrMs: rr1024.map(ms), rr1024 }),
    );
    expect(ms(0x0300)).toBe(750);
  });

  it('reads the most RR values a 23-octet ATT_MTU allows (9 with uint8 HR and no energy)', () => {
    const packet = Uint8Array.from([0x10, 0x78, ...Array.from({ length: 9 }, () => [0x00, 0x02]).flat()]);
    const r = parseHeartRateMeasurement(packet);
    expect(r.ok && r.value.rr1024).toEqual(Array(9).fill(512));
    expect(r.ok && r.value.rrMs).toEqual(Array(9).fill(500));
  });

  it('treats the contact-detected bit without the supported bit as "not supported", as the spec defines value 1', () => {
    // Flags 0x12: bit 1 set, bit 2 clear. A real strap sends this (fixture unnamed-strap-appinventor).
    expect(parseHeartRateMeasurement(bytes('12 36 78 04'))).toEqual(
      ok({ hrBpm: 54, hrFormat: 'uint8', contact: 'not-supported', energyKj: null, rrMs: [1117.1875], rr1024: [1144] }),
    );
    expect(parseHeartRateMeasurement(bytes('02 36'))).toEqual(
      ok({ hrBpm: 54, hrFormat: 'uint8', contact: 'not-supported', energyKj: null, rrMs: [], rr1024: [] }),
    );
  });

  it('reads uint16 heart rate above 255 and energy, little-endian', () => {
    expect(parseHeartRateMeasurement(bytes('0f 2c 01 34 12'))).toEqual(
      ok({ hrBpm: 300, hrFormat: 'uint16', contact: 'detected', energyKj: 0x1234, rrMs: [], rr1024: [] }),
    );
  });

  it('keeps RR precision (no rounding): 1/1024 s steps', () => {
    const r = parseHeartRateMeasurement(bytes('10 3c 01 00 02 00 03 00'));
    expect(r.ok && r.value.rrMs).toEqual([0.9765625, 1.953125, 2.9296875]);
  });

  it('ignores trailing bytes when no field claims them (the spec defines none), inventing nothing', () => {
    expect(parseHeartRateMeasurement(bytes('00 3c 55'))).toEqual(
      ok({ hrBpm: 60, hrFormat: 'uint8', contact: 'not-supported', energyKj: null, rrMs: [], rr1024: [] }),
    );
  });

  describe('malformed packets are rejected with a reason, never thrown', () => {
    const cases: readonly [string, Uint8Array, string, RegExp][] = [
      ['empty', new Uint8Array(0), 'empty', /empty/],
      ['flags only', bytes('00'), 'truncated', /1 byte\(s\).*need 2/],
      ['uint16 HR cut after one byte', bytes('01 48'), 'truncated', /2 byte\(s\).*need 3.*uint16/],
      ['uint16 HR, flags only', bytes('11'), 'truncated', /need 3/],
      ['energy announced, one byte of it', bytes('08 48 02'), 'truncated', /3 byte\(s\).*need 4.*energy/],
      ['energy announced, none of it', bytes('08 48'), 'truncated', /need 4/],
      ['uint16 HR + energy, energy cut', bytes('09 48 00 02'), 'truncated', /need 5/],
      ['RR flag but no RR', bytes('10 48'), 'rr-flag-without-rr', /no RR/],
      ['RR flag, energy present, no RR', bytes('18 48 02 01'), 'rr-flag-without-rr', /no RR/],
      ['one RR byte', bytes('10 48 00'), 'odd-rr-bytes', /odd number of RR bytes \(1\)/],
      ['three RR bytes', bytes('16 48 00 04 55'), 'odd-rr-bytes', /\(3\)/],
      ['uint16 HR + energy + odd RR', bytes('19 48 00 02 01 00 04 01'), 'odd-rr-bytes', /\(3\)/],
      ['reserved bit 5', bytes('20 48'), 'reserved-flags', /reserved.*0x20/],
      ['reserved bit 7 with RR', bytes('96 48 00 04'), 'reserved-flags', /0x96/],
    ];
    for (const [name, packet, problem, reason] of cases) {
      it(name, () => {
        const r = parseHeartRateMeasurement(packet);
        expect(r.ok).toBe(false);
        if (r.ok) return;
        expect(r.problem).toBe(problem);
        expect(r.reason).toMatch(reason);
      });
    }

    it('cuts a full packet at every length: only whole RR values parse, the rest is rejected', () => {
      const full = bytes('1f 2c 01 34 12 00 04 55 01');
      const okLengths: number[] = [];
      for (let len = 0; len <= full.length; len++) {
        if (parseHeartRateMeasurement(full.subarray(0, len)).ok) okLengths.push(len);
      }
      expect(okLengths).toEqual([7, 9]);
      expect(parseHeartRateMeasurement(full.subarray(0, 7))).toEqual(
        ok({ hrBpm: 300, hrFormat: 'uint16', contact: 'detected', energyKj: 0x1234, rrMs: [1000], rr1024: [1024] }),
      );
    });
  });

  describe('real captures (tests/fixtures/ble-hrm-captures.json)', () => {
    it('has at least 25 packets from at least 5 sources, each with a source', () => {
      expect(captures.length).toBeGreaterThanOrEqual(5);
      expect(captures.flatMap((c) => c.packets).length).toBeGreaterThanOrEqual(25);
      for (const c of captures) expect(c.source.length).toBeGreaterThan(10);
    });
    for (const c of captures) {
      it(`${c.id} (${c.device})`, () => {
        for (const p of c.packets) {
          const r = parseHeartRateMeasurement(bytes(p.hex));
          if (p.reject !== undefined) {
            expect(r, p.hex).toMatchObject({ ok: false, problem: p.reject });
          } else {
            const e = p.expect;
            if (e === undefined) throw new Error(`capture ${c.id} packet ${p.hex} has neither expect nor reject`);
            expect(r, p.hex).toEqual(ok({ ...e, rrMs: e.rr1024.map(ms) }));
          }
        }
      });
    }

    it('decodes the Garmin HRM-Dual packet to the ms values the poster logged (1044, 52 rounded)', () => {
      const r = parseHeartRateMeasurement(bytes('10 38 2d 04 35 00'));
      expect(r.ok && r.value.rrMs.map(Math.round)).toEqual([1044, 52]);
      expect(r.ok && r.value.rrMs).toEqual([1043.9453125, 51.7578125]);
    });
  });
});
