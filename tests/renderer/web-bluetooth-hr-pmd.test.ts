/**
 * The strap adapter's Polar H10 raw streams across link losses, against an in-memory H10 (what the
 * Chromium emulation cannot time precisely: a second link loss while a stream is being started
 * again, a START the strap refuses after reconnection). The ordinary case runs in Chromium:
 * tests/e2e/ble-pmd-reconnect.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { POLAR_PMD_SERVICE, WebBluetoothHr, type BleCharacteristic, type PmdState } from '../../renderer/devices/web-bluetooth-hr';
import { describePmdStatus } from '../../shared/parsers/polar-pmd/control-point';
import type { SourceDiagnostic } from '../../shared/types/beat-source';
import { FakeStrap } from '../helpers/fake-web-bluetooth';

type Listener = (ev: unknown) => void;
const hex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
const bytes = (h: string): Uint8Array => Uint8Array.from((h.match(/../g) ?? []).map((x) => Number.parseInt(x, 16)));

/** One PMD characteristic of one connection (Chromium gives new objects after a reconnection). */
class PmdChar implements BleCharacteristic {
  value: DataView | undefined;
  private readonly listeners = new Set<Listener>();
  constructor(private readonly onWrite: ((cmd: string, answer: (h: string) => void) => void) | null = null) {}
  addEventListener(_t: string, l: Listener): void {
    this.listeners.add(l);
  }
  removeEventListener(_t: string, l: Listener): void {
    this.listeners.delete(l);
  }
  async startNotifications(): Promise<void> {}
  async stopNotifications(): Promise<void> {}
  async readValue(): Promise<DataView> {
    const v = new DataView(bytes('0f05000000000000000000000000000000').buffer); // features: ECG and ACC
    this.fire(v);
    return v;
  }
  async writeValueWithResponse(value: Uint8Array<ArrayBuffer>): Promise<void> {
    this.onWrite?.(hex(value), (h) => queueMicrotask(() => this.fire(new DataView(bytes(h).buffer))));
  }
  fire(v: DataView): void {
    this.value = v;
    for (const l of this.listeners) l({ type: 'characteristicvaluechanged' });
  }
}

/** A strap with heart rate and an H10's PMD service; its streams end with the link. */
class H10Strap extends FakeStrap {
  readonly writes: string[] = [];
  readonly streaming = new Set<number>();
  /** START answers are held back while true (a slow strap). */
  holdStart = false;
  /** START is answered with this status (0 = success). */
  startStatus = 0;
  private cp = this.newCp();
  private data = new PmdChar();

  constructor() {
    super();
    const hrOnly = this.gatt.getPrimaryService.bind(this.gatt);
    this.gatt.getPrimaryService = async (uuid: string) => {
      if (uuid !== POLAR_PMD_SERVICE) return hrOnly(uuid);
      if (!this.connected) throw Object.assign(new Error('GATT Server is disconnected.'), { name: 'NetworkError' });
      const cp = this.cp;
      const data = this.data;
      return { getCharacteristic: async (c: string) => (c.startsWith('fb005c81') ? cp : data) };
    };
  }

  private newCp(): PmdChar {
    return new PmdChar((cmd, answer) => {
      this.writes.push(cmd);
      const type = Number.parseInt(cmd.slice(2, 4), 16);
      // Settings as an H10 answers them (vectors cp-resp-*-h10; the same bytes as tests/helpers/ble-strap-emulator.ts).
      if (cmd.startsWith('01')) answer(type === 0 ? 'f0010000000001820001010e00' : 'f0010200000004190032006400c800010110000203020004000800');
      else if (cmd.startsWith('02')) {
        if (this.holdStart) return;
        if (this.startStatus === 0) this.streaming.add(type);
        answer(`f002${cmd.slice(2, 4)}${this.startStatus.toString(16).padStart(2, '0')}00`);
      } else if (cmd.startsWith('03')) {
        this.streaming.delete(type);
        answer(`f003${cmd.slice(2, 4)}0000`);
      }
    });
  }

  override loseLink(): void {
    this.streaming.clear();
    this.cp = this.newCp();
    this.data = new PmdChar();
    super.loseLink();
  }
}

function watch(src: WebBluetoothHr) {
  const pmd: PmdState[] = [];
  const diag: SourceDiagnostic[] = [];
  src.pmd$.subscribe((s) => pmd.push(s));
  src.diagnostics$.subscribe((d) => diag.push(d));
  return { pmd, diag, last: (): PmdState => pmd[pmd.length - 1] as PmdState };
}

describe('WebBluetoothHr: H10 raw streams across link losses', () => {
  let src: WebBluetoothHr | null = null;
  afterEach(async () => {
    await src?.stop();
    src = null;
  });
  const open = async (strap: H10Strap) => {
    src = new WebBluetoothHr(strap, { clock: () => 0, reconnectBaseDelayMs: 5, reconnectMaxDelayMs: 5 });
    const got = watch(src);
    await src.connect();
    await vi.waitFor(() => expect(got.last().available).toBe(true));
    return { src, got };
  };

  it('lost again while ECG is being started again: no refusal is shown, and the next reconnection starts it', async () => {
    const strap = new H10Strap();
    const { src: s, got } = await open(strap);
    expect(await s.startPmd('ecg')).toBe(true);
    expect([...strap.streaming]).toEqual([0]);

    strap.holdStart = true;
    strap.loseLink();
    // Reconnected: settings asked, START written, the answer held back...
    await vi.waitFor(() => expect(strap.writes.filter((w) => w.startsWith('0200'))).toHaveLength(2));
    await vi.waitFor(() => expect(got.last().ecg).toBe('starting'));
    // ...and the link goes again before it comes.
    strap.loseLink();
    strap.holdStart = false;
    await vi.waitFor(() => expect(got.last().ecg).toBe('on'));
    expect([...strap.streaming]).toEqual([0]);
    expect(strap.writes.filter((w) => w.startsWith('0200'))).toHaveLength(3);
    expect(got.pmd.some((p) => p.ecg === 'error')).toBe(false);
    expect(got.diag.filter((d) => d.message.startsWith('after reconnection'))).toEqual([{ kind: 'info', message: 'after reconnection, started again: raw ECG', tMs: 0 }]);
    expect(got.last().message).toBe('The link was lost for a moment; raw ECG started again.');
  });

  it('a START refused after reconnection is said in plain words; heart rate goes on', async () => {
    const strap = new H10Strap();
    const { src: s, got } = await open(strap);
    expect(await s.startPmd('breathing')).toBe(true);
    strap.startStatus = 0x0a; // ERROR_INVALID_MTU
    strap.loseLink();
    const expected = `After reconnection, breathing from chest movement could not be started again: ${describePmdStatus(10, 2)} Start it again when you are ready.`;
    await vi.waitFor(() => expect(got.last().message).toBe(expected));
    expect(got.last().acc).toBe('error');
    expect(got.diag.filter((d) => d.kind === 'quality').map((d) => d.message)).toContain(expected);
    // Heart rate still arrives on the reconnected link.
    const rr: number[] = [];
    s.rr$.subscribe((b) => rr.push(b.rrMs));
    strap.hrm.notify(bytes('103c0004'));
    expect(rr).toEqual([1000]);
  });

  it('nothing is started again when no stream was on', async () => {
    const strap = new H10Strap();
    const { got } = await open(strap);
    strap.loseLink();
    await vi.waitFor(() => expect(got.last().available).toBe(true));
    expect(strap.writes).toEqual([]);
    expect(got.diag.some((d) => d.message.startsWith('after reconnection'))).toBe(false);
  });
});
