/**
 * The PMD client against an in-memory H10 control point (what Chromium cannot be made to do in
 * the emulation: continuation indications, an answer before the write resolves, a refused
 * write, ALREADY_IN_STATE after an unclean stop, a silent strap). Browser behaviour is covered by
 * tests/e2e/ble-pmd.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PolarPmd, PmdError, PMD_RESPONSE_TIMEOUT_MS, type PmdCharacteristic, type PmdGatt } from '../../renderer/devices/polar-pmd';
import { describePmdStatus } from '../../shared/parsers/polar-pmd/control-point';

type Listener = (ev: unknown) => void;
const hex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
const bytes = (h: string): Uint8Array => Uint8Array.from((h.match(/../g) ?? []).map((x) => Number.parseInt(x, 16)));

class FakeChar implements PmdCharacteristic {
  value: DataView | undefined;
  readonly writes: string[] = [];
  private readonly listeners = new Set<Listener>();
  /** Answers per written command (hex → indications to send); indications go out before the write resolves when `early`. */
  constructor(
    private readonly answers: (cmd: string) => string[] = () => [],
    private readonly early = false,
    private readonly refuse = false,
  ) {}
  addEventListener(_t: string, l: Listener): void {
    this.listeners.add(l);
  }
  removeEventListener(_t: string, l: Listener): void {
    this.listeners.delete(l);
  }
  async startNotifications(): Promise<void> {}
  async stopNotifications(): Promise<void> {}
  async readValue(): Promise<DataView> {
    const v = new DataView(bytes('0f05000000000000000000000000000000').buffer);
    this.fire(v); // Chromium fires characteristicvaluechanged for a read too
    return v;
  }
  async writeValueWithResponse(value: Uint8Array<ArrayBuffer>): Promise<void> {
    if (this.refuse) throw Object.assign(new Error('GATT operation failed'), { name: 'NotSupportedError' });
    const cmd = hex(value);
    this.writes.push(cmd);
    const send = (): void => this.answers(cmd).forEach((a) => this.fire(new DataView(bytes(a).buffer)));
    if (this.early) send();
    else queueMicrotask(send);
  }
  fire(v: DataView): void {
    this.value = v;
    for (const l of this.listeners) l({ type: 'characteristicvaluechanged' });
  }
}

const gattWith = (cp: FakeChar, data = new FakeChar()): PmdGatt => ({
  connected: true,
  getPrimaryService: async () => ({ getCharacteristic: async (c: string) => (c.endsWith('81-02e7-f387-1cad-8acd2d8df0c8') ? cp : data) }),
});

/** An H10: ECG settings in two indications (more = 1), START answered ALREADY_IN_STATE while `running`. */
function h10(opts: { running?: boolean } = {}): (cmd: string) => string[] {
  let running = opts.running ?? false;
  return (cmd) => {
    if (cmd === '0100') return ['f00100000100018200', 'f00100000001010e00'];
    if (cmd.startsWith('0200')) {
      if (running) return ['f002000600'];
      running = true;
      return ['f00200000000'];
    }
    if (cmd === '0300') {
      running = false;
      return ['f003000000'];
    }
    return ['f0' + cmd.slice(0, 4) + '03'];
  };
}

describe('PolarPmd', () => {
  afterEach(() => vi.useRealTimers());

  it('joins continuation indications, ignores its own feature read, starts with every setting', async () => {
    const cp = new FakeChar(h10());
    const pmd = await PolarPmd.open(gattWith(cp), () => 0);
    expect(await pmd?.features()).toEqual(['ECG', 'ACC']);
    expect(await pmd?.start('ECG')).toEqual({ SAMPLE_RATE: 130, RESOLUTION: 14 });
    expect(cp.writes).toEqual(['0100', '02000001820001010e00']);
    expect([...(pmd?.running ?? [])]).toEqual([0]);
  });

  it('an answer that comes before the write resolves is not lost', async () => {
    const cp = new FakeChar(h10(), true);
    const pmd = await PolarPmd.open(gattWith(cp), () => 0);
    await expect(pmd?.start('ECG')).resolves.toEqual({ SAMPLE_RATE: 130, RESOLUTION: 14 });
  });

  it('ALREADY_IN_STATE after an unclean stop: STOP, then START once', async () => {
    const cp = new FakeChar(h10({ running: true }));
    const pmd = await PolarPmd.open(gattWith(cp), () => 0);
    await pmd?.start('ECG');
    expect(cp.writes).toEqual(['0100', '02000001820001010e00', '0300', '02000001820001010e00']);
  });

  it('ERROR_INVALID_MTU becomes a PmdError in plain words', async () => {
    const cp = new FakeChar(() => ['f001000a']);
    const pmd = await PolarPmd.open(gattWith(cp), () => 0);
    const e = await pmd?.start('ECG').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PmdError);
    expect((e as PmdError).status).toBe(10);
    expect((e as PmdError).message).toBe(describePmdStatus(10, 0));
  });

  it('a refused write (Windows authentication) and a silent strap get clear words', async () => {
    const refused = await PolarPmd.open(gattWith(new FakeChar(() => [], false, true)), () => 0);
    await expect(refused?.start('ACC')).rejects.toThrow(/refused the command \(NotSupportedError\)\. On Windows, pairing/);
    vi.useFakeTimers();
    const silent = await PolarPmd.open(gattWith(new FakeChar(() => [])), () => 0);
    const p = silent?.start('ECG').catch((x: unknown) => x);
    await vi.advanceTimersByTimeAsync(PMD_RESPONSE_TIMEOUT_MS + 1);
    expect(((await p) as Error).message).toMatch(/did not answer the ECG command in 10 s/);
  });

  it('close() stops what runs; no PMD service gives null', async () => {
    const cp = new FakeChar(h10());
    const pmd = await PolarPmd.open(gattWith(cp), () => 0);
    await pmd?.start('ECG');
    await pmd?.close();
    expect(cp.writes.at(-1)).toBe('0300');
    const none: PmdGatt = { connected: true, getPrimaryService: () => Promise.reject(Object.assign(new Error('No Services matching UUID'), { name: 'NotFoundError' })) };
    expect(await PolarPmd.open(none, () => 0)).toBeNull();
  });
});
