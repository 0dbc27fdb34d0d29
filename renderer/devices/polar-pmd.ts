/**
 * Polar Measurement Data (PMD) over Web Bluetooth: raw ECG and the chest accelerometer of a
 * Polar H10, next to its standard heart-rate service. Protocol: shared/parsers/polar-pmd
 * (notes/polar-pmd.md §3.5 gives the sequence that works on real H10s):
 *
 * 1. optional service 0xFB005C80 (absent on other straps and on H10 firmware before 3.0.35:
 *    then {@link PolarPmd.open} returns null and the heart-rate stream simply goes on);
 * 2. indications on the control point, notifications on the data characteristic;
 * 3. read the control point → the features (ECG, ACC…);
 * 4. per stream: GET_MEASUREMENT_SETTINGS → pick one value of every setting → START;
 *    ERROR_ALREADY_IN_STATE (a stream left running by an unclean stop) → STOP, then START once;
 *    other errors (ERROR_INVALID_MTU above all: Web Bluetooth cannot set the MTU) → a
 *    {@link PmdError} with plain words;
 * 5. STOP every stream before disconnecting (an H10 left streaming stays on until its battery
 *    is empty: Polar KnownIssues H10 #2).
 *
 * Responses arrive only as control-point indications, never as reads (polar-ble-sdk #360); a
 * waiter is registered before each write, matched by op code. Chromium also fires
 * `characteristicvaluechanged` for our own feature read (0x0F …): ignored by the waiter.
 */
import { Subject, type Observable } from 'rxjs';
import { PMD_CONTROL_POINT_UUID, PMD_DATA_UUID, PMD_MEASUREMENT, PMD_OP, PMD_SERVICE_UUID, PMD_STATUS, measurementName, type PmdMeasurementName } from '../../shared/parsers/polar-pmd/constants';
import { encodePmdCommand, parsePmdControlPointMessage, describePmdStatus, responseSettings } from '../../shared/parsers/polar-pmd/control-point';
import { selectPmdSettings, type PmdSelectedSettings } from '../../shared/parsers/polar-pmd/settings';
import { PmdFrameDecoder, type PmdFrame } from '../../shared/parsers/polar-pmd/data-frame';

/** How long a control-point answer may take, ms (the SDK waits up to 30 s; the H10 answers in well under a second). */
export const PMD_RESPONSE_TIMEOUT_MS = 10_000;

type Listener = (ev: unknown) => void;
export interface PmdCharacteristic {
  readonly value?: DataView | undefined;
  addEventListener(type: string, listener: Listener): void;
  removeEventListener(type: string, listener: Listener): void;
  startNotifications(): Promise<unknown>;
  stopNotifications(): Promise<unknown>;
  readValue(): Promise<DataView>;
  writeValueWithResponse?(value: Uint8Array<ArrayBuffer>): Promise<void>;
  writeValue?(value: Uint8Array<ArrayBuffer>): Promise<void>;
}
export interface PmdGatt {
  readonly connected: boolean;
  getPrimaryService(service: string): Promise<{ getCharacteristic(c: string): Promise<PmdCharacteristic> }>;
}

/** A PMD command the strap refused, with its status code and the words for the person. */
export class PmdError extends Error {
  override readonly name = 'PmdError';
  constructor(
    readonly status: number,
    readonly measurementType: number,
    message: string,
  ) {
    super(message);
  }
}

export interface PmdFrameEvent {
  readonly frame: PmdFrame;
  readonly sampleTimestampsNs: readonly bigint[];
  /** Arrival on the caller's clock, ms. */
  readonly arrivalMs: number;
}

const toBytes = (v: DataView): Uint8Array => new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice();

export class PolarPmd {
  /**
   * The PMD service of a connected strap, with indications and notifications on; null when the
   * strap does not offer it (not a Polar H10, old firmware, or not allowed by the chooser).
   */
  static async open(gatt: PmdGatt, clock: () => number): Promise<PolarPmd | null> {
    let cp: PmdCharacteristic;
    let data: PmdCharacteristic;
    try {
      const service = await gatt.getPrimaryService(PMD_SERVICE_UUID);
      cp = await service.getCharacteristic(PMD_CONTROL_POINT_UUID);
      data = await service.getCharacteristic(PMD_DATA_UUID);
    } catch {
      return null;
    }
    const pmd = new PolarPmd(cp, data, clock);
    await pmd.subscribe();
    return pmd;
  }

  private readonly frames = new Subject<PmdFrameEvent>();
  private readonly raw = new Subject<{ readonly bytes: Uint8Array; readonly arrivalMs: number }>();
  private readonly rejected = new Subject<{ readonly reason: string; readonly arrivalMs: number }>();
  private readonly deviceStopped = new Subject<readonly PmdMeasurementName[]>();
  /** Decoded ECG and ACC frames with per-sample sensor times. */
  readonly frames$: Observable<PmdFrameEvent> = this.frames.asObservable();
  /** Every data notification's bytes as they arrived (for the lossless recording). */
  readonly raw$ = this.raw.asObservable();
  /** Data frames the decoder rejected (counted by reason in `decoder.rejected`). */
  readonly rejected$ = this.rejected.asObservable();
  /** Streams the strap stopped by itself (ONLINE_MEASUREMENT_STOPPED). */
  readonly deviceStopped$ = this.deviceStopped.asObservable();
  readonly decoder = new PmdFrameDecoder();
  /** Streams we started and have not stopped. */
  readonly running = new Set<number>();

  private waiters: { op: number; resolve: (b: Uint8Array) => void }[] = [];
  private continuation: { op: number; bytes: Uint8Array } | null = null;
  private rates: Partial<Record<PmdMeasurementName, number>> = {};
  private readonly onCp = (): void => {
    const v = this.cp.value;
    if (v) this.onControlPoint(toBytes(v));
  };
  private readonly onData = (): void => {
    const v = this.data.value;
    if (v) this.onFrame(toBytes(v), this.clock());
  };

  private constructor(
    private readonly cp: PmdCharacteristic,
    private readonly data: PmdCharacteristic,
    private readonly clock: () => number,
  ) {}

  private async subscribe(): Promise<void> {
    this.cp.addEventListener('characteristicvaluechanged', this.onCp);
    this.data.addEventListener('characteristicvaluechanged', this.onData);
    await this.cp.startNotifications();
    await this.data.startNotifications();
  }

  /** Measurements the strap offers (read of the control point). */
  async features(): Promise<readonly PmdMeasurementName[]> {
    const r = parsePmdControlPointMessage(toBytes(await this.cp.readValue()));
    return r.ok && r.value.kind === 'feature-read' ? r.value.supported : [];
  }

  /**
   * Starts a stream: settings from the strap, `prefer` where offered (e.g. ACC 25 Hz ±2 g for
   * breathing), every setting present. Rejects with a {@link PmdError} in plain words.
   */
  async start(measurement: 'ECG' | 'ACC', prefer: PmdSelectedSettings = {}): Promise<PmdSelectedSettings> {
    const type = PMD_MEASUREMENT[measurement];
    const get = await this.command(PMD_OP.GET_MEASUREMENT_SETTINGS, type);
    const available = responseSettings(get.parameters);
    if (!available.ok) throw new PmdError(-1, type, `The strap's ${measurement} settings could not be read (${available.reason}). Heart rate from the standard service goes on.`);
    const selected = selectPmdSettings(available.value, prefer);
    try {
      await this.command(PMD_OP.REQUEST_MEASUREMENT_START, type, selected);
    } catch (e) {
      if (!(e instanceof PmdError) || e.status !== PMD_STATUS.ERROR_ALREADY_IN_STATE) throw e;
      // Left running by an earlier, unclean stop: stop it and start again, once.
      await this.command(PMD_OP.STOP_MEASUREMENT, type);
      await this.command(PMD_OP.REQUEST_MEASUREMENT_START, type, selected);
    }
    this.running.add(type);
    if (selected.SAMPLE_RATE !== undefined) this.rates = { ...this.rates, [measurement]: selected.SAMPLE_RATE };
    this.decoder.setRates(this.rates);
    return selected;
  }

  /** Stops a stream (answers are awaited; errors are returned, not thrown). */
  async stop(measurement: 'ECG' | 'ACC'): Promise<string | null> {
    const type = PMD_MEASUREMENT[measurement];
    this.running.delete(type);
    try {
      await this.command(PMD_OP.STOP_MEASUREMENT, type);
      return null;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }

  /** Stops every running stream, then stops listening. Call before disconnecting. */
  async close(): Promise<void> {
    for (const type of [...this.running]) {
      const name = measurementName(type);
      if (name === 'ECG' || name === 'ACC') await this.stop(name);
    }
    this.detach();
  }

  /**
   * After a link loss: stops listening without sending anything (the link is gone, and with it
   * the strap's streams). Pending commands fail at once; the streams complete.
   */
  detach(): void {
    this.running.clear();
    this.cp.removeEventListener('characteristicvaluechanged', this.onCp);
    this.data.removeEventListener('characteristicvaluechanged', this.onData);
    for (const w of this.waiters) w.resolve(new Uint8Array(0));
    this.waiters = [];
    this.decoder.reset();
    for (const s of [this.frames, this.raw, this.rejected, this.deviceStopped]) s.complete();
  }

  /** Sends a command and waits for its indication (continuations joined). */
  private async command(op: number, type: number, settings: PmdSelectedSettings = {}): Promise<{ parameters: Uint8Array }> {
    const bytes = encodePmdCommand(op, type, settings);
    // Register before writing: the indication may arrive before the write resolves.
    const answer = new Promise<Uint8Array>((resolve, reject) => {
      const waiter = { op, resolve };
      this.waiters.push(waiter);
      setTimeout(() => {
        if (!this.waiters.includes(waiter)) return;
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new PmdError(-1, type, `The strap did not answer the ${measurementName(type) ?? type} command in ${PMD_RESPONSE_TIMEOUT_MS / 1000} s. Heart rate from the standard service goes on.`));
      }, PMD_RESPONSE_TIMEOUT_MS);
    });
    const write = this.cp.writeValueWithResponse ?? this.cp.writeValue;
    if (!write) throw new PmdError(-1, type, 'This browser cannot write to Bluetooth characteristics.');
    try {
      await write.call(this.cp, bytes);
    } catch (e) {
      this.waiters = this.waiters.filter((w) => w.op !== op);
      const name = typeof e === 'object' && e !== null && 'name' in e ? String((e as { name: unknown }).name) : '';
      // Windows set-ups may refuse unpaired writes (ATT Insufficient Authentication, bleak #1943).
      throw new PmdError(-1, type, `The strap refused the command (${name || 'error'}). On Windows, pairing the strap in Settings › Bluetooth & devices may help. Heart rate from the standard service goes on.`);
    }
    const response = await answer;
    const r = parsePmdControlPointMessage(response);
    if (!r.ok || r.value.kind !== 'response') throw new PmdError(-1, type, 'The strap gave an answer Soothe cannot read. Heart rate from the standard service goes on.');
    if (r.value.status !== 0) throw new PmdError(r.value.status, type, describePmdStatus(r.value.status, type));
    return { parameters: r.value.parameters };
  }

  private onControlPoint(bytes: Uint8Array): void {
    const r = parsePmdControlPointMessage(bytes);
    if (!r.ok || r.value.kind === 'feature-read') return;
    if (r.value.kind === 'online-measurement-stopped') {
      for (const t of r.value.measurementTypes) this.running.delete(t);
      this.deviceStopped.next(r.value.measurementTypes.map((t) => measurementName(t)).filter((n): n is PmdMeasurementName => n !== null));
      return;
    }
    const { opCode, more } = r.value;
    if (this.continuation && this.continuation.op === opCode) {
      // A continuation: append its parameters to the first part (SDK sendPmdCommand).
      const joined = new Uint8Array(this.continuation.bytes.length + r.value.parameters.length);
      joined.set(this.continuation.bytes);
      joined.set(r.value.parameters, this.continuation.bytes.length);
      this.continuation = { op: opCode, bytes: joined };
    } else this.continuation = { op: opCode, bytes };
    if (more) return;
    const full = this.continuation.bytes;
    this.continuation = null;
    const i = this.waiters.findIndex((w) => w.op === opCode);
    if (i < 0) return;
    const [w] = this.waiters.splice(i, 1);
    w?.resolve(full);
  }

  private onFrame(bytes: Uint8Array, arrivalMs: number): void {
    this.raw.next({ bytes, arrivalMs });
    const r = this.decoder.next(bytes);
    if (!r.ok) {
      this.rejected.next({ reason: r.reason, arrivalMs });
      return;
    }
    this.frames.next({ frame: r.value.frame, sampleTimestampsNs: r.value.sampleTimestampsNs, arrivalMs });
  }
}
