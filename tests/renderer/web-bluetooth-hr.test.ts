import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BluetoothUnavailableError,
  MESSAGES,
  WebBluetoothHr,
  describeBluetoothError,
  reconnectDelayMs,
} from '../../renderer/devices/web-bluetooth-hr';
import type { SourceDiagnostic, SourceStatus } from '../../shared/types/beat-source';
import type { RrInterval } from '../../shared/types/rr';
import { FakeStrap, fakeBluetooth } from '../helpers/fake-web-bluetooth';

const bytes = (hex: string): Uint8Array => Uint8Array.from(hex.split(' ').map((h) => Number.parseInt(h, 16)));

function collect(src: WebBluetoothHr) {
  const rr: RrInterval[] = [];
  const status: SourceStatus[] = [];
  const diag: SourceDiagnostic[] = [];
  const hr: number[] = [];
  src.rr$.subscribe((x) => rr.push(x));
  src.status$.subscribe((x) => status.push(x));
  src.diagnostics$.subscribe((x) => diag.push(x));
  src.deviceHr$.subscribe((x) => hr.push(x));
  return { rr, status, diag, hr };
}

describe('WebBluetoothHr', () => {
  let now = 0;
  const clock = (): number => now;
  /** Advance the fake timers and the session clock together. */
  const advance = async (ms: number): Promise<void> => {
    now += ms;
    await vi.advanceTimersByTimeAsync(ms);
  };

  beforeEach(() => {
    vi.useFakeTimers();
    now = 0;
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  describe('request()', () => {
    it('asks for any strap offering the Heart Rate service, no name filter, with the optional services', async () => {
      const bt = fakeBluetooth(new FakeStrap());
      await WebBluetoothHr.request(bt);
      expect(bt.requests).toEqual([
        {
          filters: [{ services: ['heart_rate'] }],
          optionalServices: ['battery_service', 'device_information', 'fb005c80-02e7-f387-1cad-8acd2d8df0c8'],
        },
      ]);
    });

    it('no navigator.bluetooth, or getAvailability() false: the unavailable message', async () => {
      await expect(WebBluetoothHr.request(undefined)).rejects.toBeInstanceOf(BluetoothUnavailableError);
      const e = await WebBluetoothHr.request(fakeBluetooth(new FakeStrap(), false)).catch((x: unknown) => x);
      expect(describeBluetoothError(e)).toBe(MESSAGES.unavailable);
      expect(MESSAGES.unavailable).toMatch(/^This browser or computer has no Bluetooth we can use.*chrome:\/\/flags\/#enable-web-bluetooth/);
    });

    it('chooser cancelled: NotFoundError → the cancelled message', async () => {
      const cancel = Object.assign(new Error('User cancelled the requestDevice() chooser.'), { name: 'NotFoundError' });
      const e = await WebBluetoothHr.request(fakeBluetooth(cancel)).catch((x: unknown) => x);
      expect(describeBluetoothError(e)).toBe(MESSAGES.cancelled);
    });
  });

  it('streams exact RR and HR from real-capture packets, reads battery and device information', async () => {
    const strap = new FakeStrap({ battery: 87, info: { manufacturer: 'Polar Electro Oy', model: 'H10', firmware: '3.1.1\0' } });
    const src = new WebBluetoothHr(strap, { clock });
    const got = collect(src);
    const battery: (number | null)[] = [];
    src.battery$.subscribe((b) => battery.push(b));
    await src.connect();
    expect(src.label).toBe('Polar H10 FAKE0001');
    expect(got.status.map((s) => s.state)).toEqual(['idle', 'connecting', 'streaming']);
    // Polar H7 capture (tests/fixtures/ble-hrm-captures.json, polar-h7-corebluetooth).
    for (const hex of ['16 4d 16 03', '16 4e 1b 03 12 03', '16 4f 02 03']) {
      await advance(1000);
      strap.hrm.notify(bytes(hex));
    }
    expect(got.hr).toEqual([77, 78, 79]);
    expect(got.rr.map((r) => r.rrMs)).toEqual([771.484375, 776.3671875, 767.578125, 751.953125]);
    // The two-RR packet overshoots 1 s of arrival time, so it is clamped to end at its arrival.
    expect(got.rr.map((r) => r.tMs)).toEqual([1000, 1232.421875, 2000, 2751.953125]);
    expect(got.rr.every((r) => r.source === 'ble' && r.afterGap === undefined)).toBe(true);
    expect(battery.at(-1)).toBe(87);
    let info: unknown = null;
    src.deviceInfo$.subscribe((i) => (info = i));
    expect(info).toEqual({ manufacturer: 'Polar Electro Oy', model: 'H10', firmware: '3.1.1' });
    await src.stop();
  });

  it('counts and skips a malformed packet; the stream goes on', async () => {
    const strap = new FakeStrap();
    const src = new WebBluetoothHr(strap, { clock });
    const got = collect(src);
    await src.connect();
    await advance(1000);
    strap.hrm.notify(bytes('10 3e b1 03 de')); // odd RR bytes (WebBluetoothCG #493, as posted)
    await advance(1000);
    strap.hrm.notify(bytes('10 3b 53 04'));
    expect(src.malformedCount).toBe(1);
    expect(got.diag).toEqual([{ kind: 'malformed', message: expect.stringMatching(/^heart-rate packet skipped: odd number of RR bytes/), tMs: 1000 }]);
    expect(got.rr).toEqual([{ rrMs: 1081.0546875, tMs: 2000, source: 'ble' }]);
    // A packet dropped after the first beat: the next interval is not joined to the previous one.
    await advance(1000);
    strap.hrm.notify(bytes('10 3e b1 03 de'));
    await advance(1000);
    strap.hrm.notify(bytes('10 3b 53 04'));
    expect(src.malformedCount).toBe(2);
    expect(got.rr.at(-1)).toEqual({ rrMs: 1081.0546875, tMs: 4000, source: 'ble', afterGap: true });
    expect(got.diag.at(-1)).toEqual({ kind: 'gap', message: 'malformed packet dropped: no beats from 2.000 s to 2.919 s (0.919 s); intervals are not joined across the gap', tMs: 2000 });
    await src.stop();
  });

  it('says "no skin contact" once when contact is lost, and when it is back', async () => {
    const strap = new FakeStrap();
    const src = new WebBluetoothHr(strap, { clock });
    const got = collect(src);
    await src.connect();
    for (const hex of ['16 3c 11 04', '04 00', '04 00', '16 3c 11 04']) {
      await advance(1000);
      strap.hrm.notify(bytes(hex));
    }
    expect(got.diag.filter((d) => d.kind === 'contact')).toEqual([
      { kind: 'contact', message: MESSAGES.noContact, tMs: 2000 },
      { kind: 'contact', message: MESSAGES.contactBack, tMs: 4000 },
    ]);
    expect(got.hr).toEqual([60, 60]); // HR 0 (no lock) is not emitted
    await src.stop();
  });

  it('a strap that sends HR but never RR gets the kind no-RR message after 15 s', async () => {
    const strap = new FakeStrap();
    const src = new WebBluetoothHr(strap, { clock });
    const got = collect(src);
    await src.connect();
    for (let i = 0; i < 16; i++) {
      await advance(1000);
      strap.hrm.notify(bytes('00 48'));
    }
    expect(got.diag).toEqual([{ kind: 'quality', message: MESSAGES.noRr, tMs: 15_000 }]);
    expect(got.status.at(-1)).toEqual({ state: 'streaming', detail: MESSAGES.noRr });
    expect(MESSAGES.noRr).toMatch(/^Your strap sends heart rate but no beat intervals; HRV needs RR/);
    await src.stop();
  });

  it('no message when RR arrives in time', async () => {
    const strap = new FakeStrap();
    const src = new WebBluetoothHr(strap, { clock });
    const got = collect(src);
    await src.connect();
    await advance(1000);
    strap.hrm.notify(bytes('10 3c 00 04'));
    await advance(20_000);
    expect(got.diag).toEqual([]);
    await src.stop();
  });

  it('link loss: reconnecting with backoff 1, 2, 4 s, resubscribes, marks the gap with exact start and end', async () => {
    const strap = new FakeStrap({ failReconnects: 2 });
    const src = new WebBluetoothHr(strap, { clock });
    const got = collect(src);
    await src.connect();
    await advance(1000);
    strap.hrm.notify(bytes('10 3c 00 04')); // beat at 1000
    await advance(500);
    strap.loseLink(); // at 1500
    expect(got.status.at(-1)).toMatchObject({ state: 'reconnecting', attempt: 1 });
    await advance(999);
    expect(strap.connectCalls).toBe(1);
    await advance(1); // attempt 1 at 2500: fails
    expect(strap.connectCalls).toBe(2);
    expect(got.status.at(-1)).toMatchObject({ state: 'reconnecting', attempt: 2 });
    await advance(2000); // attempt 2 at 4500: fails
    expect(strap.connectCalls).toBe(3);
    await advance(3999);
    expect(strap.connectCalls).toBe(3);
    await advance(1); // attempt 3 at 8500: succeeds
    expect(strap.connectCalls).toBe(4);
    expect(got.status.at(-1)).toEqual({ state: 'streaming', detail: 'Polar H10 FAKE0001' });
    expect(strap.hrm.notifying).toBe(true);
    await advance(1000);
    strap.hrm.notify(bytes('10 3c 00 04 00 04')); // arrives at 9500: beats at 8500, 9500
    expect(got.rr).toEqual([
      { rrMs: 1000, tMs: 1000, source: 'ble' },
      { rrMs: 1000, tMs: 8500, source: 'ble', afterGap: true },
      { rrMs: 1000, tMs: 9500, source: 'ble' },
    ]);
    expect(got.diag.map((d) => [d.kind, d.tMs])).toEqual([
      ['info', 1500],
      ['info', 8500],
      ['gap', 1000],
    ]);
    expect(got.diag[2]?.message).toBe('link lost: no beats from 1.000 s to 7.500 s (6.500 s); intervals are not joined across the gap');
    expect(got.status.filter((s) => s.state === 'reconnecting').map((s) => (s.state === 'reconnecting' ? s.attempt : 0))).toEqual([1, 2, 3]);
    await src.stop();
  });

  it('stop() releases the strap, completes rr$ and ends with status stopped; no reconnect afterwards', async () => {
    const strap = new FakeStrap();
    const src = new WebBluetoothHr(strap, { clock });
    const got = collect(src);
    let completed = false;
    src.rr$.subscribe({ complete: () => (completed = true) });
    await src.connect();
    await src.stop();
    expect(completed).toBe(true);
    expect(strap.connected).toBe(false);
    expect(got.status.at(-1)).toMatchObject({ state: 'stopped' });
    strap.loseLink();
    await advance(60_000);
    expect(strap.connectCalls).toBe(1);
  });

  it('first connection failure: status error with a kind message, and the promise rejects', async () => {
    const strap = new FakeStrap();
    strap.gatt.connect = async () => {
      throw Object.assign(new Error('Connection Error: Connection attempt failed.'), { name: 'NetworkError' });
    };
    const src = new WebBluetoothHr(strap, { clock });
    const got = collect(src);
    await expect(src.connect()).rejects.toMatchObject({ name: 'NetworkError' });
    expect(got.status.at(-1)).toEqual({ state: 'error', message: MESSAGES.network });
  });
});

describe('reconnectDelayMs', () => {
  it('doubles from 1 s and caps at 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => reconnectDelayMs(n))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });
});

describe('describeBluetoothError', () => {
  const err = (name: string, message = ''): Error => Object.assign(new Error(message), { name });
  it.each([
    [err('NotFoundError', 'User cancelled the requestDevice() chooser.'), MESSAGES.cancelled],
    [err('NotFoundError', 'Bluetooth adapter not available.'), MESSAGES.unavailable],
    [err('NotFoundError', 'No Services matching UUID 0000180d-0000-1000-8000-00805f9b34fb found in Device.'), MESSAGES.noHrService],
    [err('NotFoundError', 'No devices found.'), MESSAGES.notFound],
    [err('SecurityError', 'Must be handling a user gesture to show a permission request.'), MESSAGES.insecure],
    [err('NotAllowedError'), MESSAGES.denied],
    [err('NetworkError', 'GATT Server is disconnected.'), MESSAGES.network],
    [err('NotSupportedError', 'GATT Error: Not supported.'), MESSAGES.notSupported],
    [err('InvalidStateError'), MESSAGES.busy],
    [new BluetoothUnavailableError(), MESSAGES.unavailable],
  ])('%s', (e, message) => {
    expect(describeBluetoothError(e)).toBe(message);
  });
  it('anything else: says what happened and how to go on', () => {
    expect(describeBluetoothError('boom')).toBe('Bluetooth error: boom. Press Connect to try again.');
  });
});
