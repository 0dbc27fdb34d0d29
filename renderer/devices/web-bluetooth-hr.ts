/**
 * Any standard Bluetooth heart-rate strap as a {@link BeatSource}, through Web Bluetooth.
 *
 * A strap is usable because it offers the Heart Rate service (0x180D), not because of its name:
 * Polar H7/H9/H10, Garmin HRM, Wahoo TICKR, Coospo, Decathlon... (docs/bluetooth.md).
 *
 * Shape follows muse-js `MuseClient` (STYLE.md §4): UUID constants, `connect()`, public
 * Observable fields. The Bluetooth object and the clock are injected, so tests pass fakes and the
 * app passes `navigator.bluetooth` and its session clock. Types here are structural (the few
 * members we use), so this file compiles without DOM types; `web-bluetooth-compat.ts` checks the
 * real Web Bluetooth types fit them.
 *
 * Flow: `WebBluetoothHr.request(bluetooth)` (from a click: the chooser needs a user gesture) →
 * `new WebBluetoothHr(device, { clock })` → `connect()`: GATT connect, Heart Rate service,
 * Heart Rate Measurement (0x2A37) notifications → parse (shared/parsers) → beat times → `rr$`.
 * Battery level and device information are read when the strap offers them. On link loss
 * (`gattserverdisconnected`) the status says 'reconnecting' and we retry with backoff
 * 1, 2, 4 … 30 s; the first interval after the hole carries `afterGap` and a 'gap' diagnostic
 * gives its exact start and end in data time. A link loss also ends a Polar H10's raw streams:
 * the ones the person had on (ECG, breathing from chest movement) are started again once the
 * PMD service is found on the reconnected strap, and an 'info' diagnostic says so.
 */
import {
  BehaviorSubject,
  Subject,
  Subscription,
  asyncScheduler,
  defer,
  distinctUntilChanged,
  from,
  fromEvent,
  map,
  retry,
  share,
  switchMap,
  timeout,
  timer,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import type { BeatSource, SourceDiagnostic, SourceStatus } from '../../shared/types/beat-source';
import type { RrInterval } from '../../shared/types/rr';
import { parseHeartRateMeasurement, type SensorContact } from '../../shared/parsers/heart-rate-measurement';
import { BeatTimes, type BeatGap, type BeatTimesOptions } from '../../shared/parsers/beat-times';
import { AccelerometerBreathing, type Breath } from '../../shared/signal/accelerometer-breathing';
import { EcgRPeakDetector, type EcgRPeak } from '../../shared/signal/ecg-rpeaks';
import { compareStrapRrWithEcg, type EcgRrQuality } from '../../shared/signal/ecg-rr-quality';
import { PolarPmd, PmdError, type PmdFrameEvent } from './polar-pmd';

// --- UUIDs (Bluetooth SIG Assigned Numbers; Web Bluetooth accepts these names) -------------------
export const HEART_RATE_SERVICE = 'heart_rate'; // 0x180D
export const HEART_RATE_MEASUREMENT = 'heart_rate_measurement'; // 0x2A37
export const BATTERY_SERVICE = 'battery_service'; // 0x180F
export const BATTERY_LEVEL = 'battery_level'; // 0x2A19
export const DEVICE_INFORMATION = 'device_information'; // 0x180A
export const MANUFACTURER_NAME = 'manufacturer_name_string'; // 0x2A29
export const MODEL_NUMBER = 'model_number_string'; // 0x2A24
export const FIRMWARE_REVISION = 'firmware_revision_string'; // 0x2A26
/** Polar Measurement Data service (ECG/ACC on H10): asked for now so a later feature needs no new permission. */
export const POLAR_PMD_SERVICE = 'fb005c80-02e7-f387-1cad-8acd2d8df0c8';

/** How long a connected strap may send heart rate without RR before we say so, ms. */
export const NO_RR_TIMEOUT_MS = 15_000;
/** How long to listen for a remembered strap's advertisements before asking through the chooser, ms. */
export const ADVERTISEMENT_WAIT_MS = 10_000;
/** Reconnect backoff: first delay and cap, ms (1, 2, 4, 8, 16, 30, 30 … s). */
export const RECONNECT_BASE_DELAY_MS = 1000;
export const RECONNECT_MAX_DELAY_MS = 30_000;
/** One reconnect attempt (GATT connect + discovery + subscribe) gives up after this, ms. */
export const RECONNECT_ATTEMPT_TIMEOUT_MS = 20_000;

/** The `requestDevice` options: any strap with the Heart Rate service, no name filter. */
export function requestOptions(): BleRequestOptions {
  return {
    filters: [{ services: [HEART_RATE_SERVICE] }],
    optionalServices: [BATTERY_SERVICE, DEVICE_INFORMATION, POLAR_PMD_SERVICE],
  };
}

// --- The Web Bluetooth members we use (structural; real objects satisfy them) ---------------------
type Listener = (ev: unknown) => void;
interface BleEventTarget {
  addEventListener(type: string, listener: Listener): void;
  removeEventListener(type: string, listener: Listener): void;
}
export interface BleCharacteristic extends BleEventTarget {
  readonly value?: DataView | undefined;
  startNotifications(): Promise<unknown>;
  stopNotifications(): Promise<unknown>;
  readValue(): Promise<DataView>;
  writeValueWithResponse?(value: Uint8Array<ArrayBuffer>): Promise<void>;
}
export interface BleService {
  getCharacteristic(characteristic: string): Promise<BleCharacteristic>;
}
export interface BleGattServer {
  readonly connected: boolean;
  connect(): Promise<unknown>;
  disconnect(): void;
  getPrimaryService(service: string): Promise<BleService>;
}
export interface BleDevice extends BleEventTarget {
  readonly id: string;
  readonly name?: string | undefined;
  readonly gatt?: BleGattServer | undefined;
  /** Chromium: listen for the device's advertisements ('advertisementreceived'); needed before a remembered device can connect. */
  watchAdvertisements?(options?: { signal?: AbortSignal }): Promise<void>;
}
// Mutable arrays because Web Bluetooth's RequestDeviceOptions declares them so.
export interface BleRequestOptions {
  filters: { services: string[] }[];
  optionalServices: string[];
}
export interface BleBluetooth {
  getAvailability?(): Promise<boolean>;
  requestDevice(options: BleRequestOptions): Promise<BleDevice>;
  /** Devices this origin was already allowed to use (Chromium with the permissions backend; not everywhere). */
  getDevices?(): Promise<BleDevice[]>;
}

/** One notification exactly as it arrived, for the recording (raw input is kept losslessly). */
export interface RawPacket {
  /** Payload bytes as lowercase hex pairs separated by spaces ("16 3c 11 04"). */
  readonly hex: string;
  /** Arrival on the session clock, ms. */
  readonly tMs: number;
  /** Which characteristic sent it (16-bit UUID in hex, e.g. '2a37'). */
  readonly characteristic: string;
}

/** Bytes → "16 3c 11 04" (the recording's raw format; lossless and easy to read). */
export function bytesToHex(v: DataView): string {
  const out: string[] = [];
  for (let i = 0; i < v.byteLength; i++) out.push(v.getUint8(i).toString(16).padStart(2, '0'));
  return out.join(' ');
}

export interface DeviceInfo {
  readonly manufacturer: string | null;
  readonly model: string | null;
  readonly firmware: string | null;
}

export interface WebBluetoothHrOptions {
  /** Session clock, ms (data-time origin of the session). Read once per notification. */
  readonly clock: () => number;
  /** Name to show; default the device's name (empty for some remembered devices, see SourcePanel). */
  readonly label?: string;
  /** Timers (backoff, no-RR timeout); default asyncScheduler. */
  readonly scheduler?: SchedulerLike;
  readonly noRrTimeoutMs?: number;
  readonly reconnectBaseDelayMs?: number;
  readonly reconnectMaxDelayMs?: number;
  readonly reconnectAttemptTimeoutMs?: number;
  readonly beatTimes?: BeatTimesOptions;
  /** The pacer's continuous cycle count at a session time (for breaths measured by an H10's accelerometer). */
  readonly pacerCyclesAt?: (tMs: number) => number;
}

/** One PMD stream's state, for the UI. */
export type PmdStreamState = 'off' | 'starting' | 'on' | 'stopping' | 'error';

/** Polar H10 raw streams (PMD) on this strap, for the UI. */
export interface PmdState {
  /** null until checked; false: the strap has no PMD service (standard heart rate only). */
  readonly available: boolean | null;
  readonly features: readonly string[];
  readonly ecg: PmdStreamState;
  readonly acc: PmdStreamState;
  /** The latest problem or notice, in plain words. */
  readonly message: string | null;
  readonly ecgSamples: number;
  readonly accSamples: number;
  readonly rejectedFrames: number;
  readonly lastBreath: Breath | null;
  /** R-peaks found in the raw ECG since it started (shared/signal/ecg-rpeaks.ts). */
  readonly rPeaks: number;
  /** The strap's own RR intervals checked against the ECG's R-peaks over the last minute; null until there is enough. */
  readonly ecgQuality: EcgRrQuality | null;
}

/** A frame's worth of raw ECG on the session clock (for live traces; the bytes are recorded on raw$). */
export interface EcgChunk {
  readonly tMs: readonly number[];
  readonly microVolts: readonly number[];
}

/** The chest accelerometer projected on its breathing axis and band-limited, per sample, mG (for a live trace). */
export interface ChestChunk {
  readonly tMs: readonly number[];
  readonly valueMg: readonly number[];
}

/** ECG sample rate asked of the H10, Hz (its only one). */
const ECG_RATE_HZ = 130;
/** Span of the strap-RR vs ECG quality check, ms, and how often it runs (ECG time), ms. */
const ECG_QUALITY_SPAN_MS = 60_000;
const ECG_QUALITY_EVERY_MS = 5_000;

const PMD_OFF: PmdState = { available: null, features: [], ecg: 'off', acc: 'off', message: null, ecgSamples: 0, accSamples: 0, rejectedFrames: 0, lastBreath: null, rPeaks: 0, ecgQuality: null };
/** ACC settings for breathing: the H10's lowest rate and range are plenty (notes/polar-pmd.md §8). */
const BREATHING_ACC = { SAMPLE_RATE: 25, RANGE: 2 } as const;

// --- Kind messages --------------------------------------------------------------------------------
export const MESSAGES = {
  unavailable:
    'This browser or computer has no Bluetooth we can use. Check that Bluetooth is switched on. ' +
    'Chrome or Edge on Linux needs Web Bluetooth enabled (chrome://flags/#enable-web-bluetooth, or ' +
    'chrome://flags/#enable-experimental-web-platform-features); Firefox and Safari have no Web Bluetooth. ' +
    'The Soothe desktop app works without any flag.',
  cancelled: 'No strap was chosen. When you are ready, press Connect again and pick your strap from the list.',
  notFound:
    'No heart-rate strap was found. Put the strap on (moisten the electrodes so it wakes up), make sure no phone or ' +
    'watch is connected to it, then press Connect again.',
  noHrService: 'This device does not offer the standard heart-rate service, so Soothe cannot read beats from it.',
  noRr:
    'Your strap sends heart rate but no beat intervals; HRV needs RR intervals. Chest straps such as Polar H10, ' +
    'Garmin HRM or Wahoo TICKR send them; some optical armbands and watches do not.',
  noData: 'Connected, but the strap sends nothing yet. Check that it is worn snugly with moistened electrodes.',
  noContact: 'No skin contact: moisten the electrodes and check the strap sits snugly below the chest.',
  contactBack: 'Skin contact is back.',
  insecure:
    'Bluetooth is not allowed here: Soothe must be opened from a secure address (https or localhost), and ' +
    'the connection must start from a button press.',
  denied:
    'Bluetooth permission was refused. On macOS, allow it under System Settings › Privacy & Security › Bluetooth; ' +
    'on Windows, under Settings › Privacy › Bluetooth (or Radios). Then press Connect again.',
  network:
    'The strap did not answer. Move closer, make sure no other app or phone is connected to it, then try again.',
  notSupported: 'The strap refused to send heart-rate updates. Switch it off and on (take it off for a minute), then try again.',
  busy: 'Bluetooth is busy or switched off. Switch Bluetooth on and try again.',
} as const;

/** Raised by {@link WebBluetoothHr.request} when there is no usable Bluetooth. */
export class BluetoothUnavailableError extends Error {
  override readonly name = 'BluetoothUnavailableError';
  constructor() {
    super(MESSAGES.unavailable);
  }
}

/**
 * A kind, actionable sentence for any error from Web Bluetooth (DOMException names per the Web
 * Bluetooth spec and Chromium's messages), for the UI to show as is.
 */
export function describeBluetoothError(e: unknown): string {
  const name = typeof e === 'object' && e !== null && 'name' in e ? String((e as { name: unknown }).name) : '';
  const message = typeof e === 'object' && e !== null && 'message' in e ? String((e as { message: unknown }).message) : String(e);
  switch (name) {
    case 'BluetoothUnavailableError':
      return MESSAGES.unavailable;
    case 'NotFoundError':
      if (/cancel/i.test(message)) return MESSAGES.cancelled;
      if (/adapter|bluetooth.*(not available|off)/i.test(message)) return MESSAGES.unavailable;
      if (/service/i.test(message)) return MESSAGES.noHrService;
      return MESSAGES.notFound;
    case 'SecurityError':
      return MESSAGES.insecure;
    case 'NotAllowedError':
      return MESSAGES.denied;
    case 'NetworkError':
    case 'TimeoutError':
      return MESSAGES.network;
    case 'NotSupportedError':
      return MESSAGES.notSupported;
    case 'InvalidStateError':
      return MESSAGES.busy;
    case 'AbortError':
      return 'The connection attempt was stopped. Press Connect to try again.';
    default:
      return `Bluetooth error: ${message || 'unknown'}. Press Connect to try again.`;
  }
}

/** Delay before reconnect attempt `attempt` (1-based), ms: base × 2^(attempt−1), capped. */
export function reconnectDelayMs(attempt: number, baseMs = RECONNECT_BASE_DELAY_MS, maxMs = RECONNECT_MAX_DELAY_MS): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

const fmtS = (ms: number): string => `${(ms / 1000).toFixed(3)} s`;

export class WebBluetoothHr implements BeatSource {
  /**
   * Opens the browser's (or Electron's) device chooser for any heart-rate strap. Call it
   * directly from a click handler: `requestDevice` needs a user gesture.
   * @throws BluetoothUnavailableError, or the DOMException from `requestDevice` (pass it to
   *   {@link describeBluetoothError}).
   */
  static async request(bluetooth: BleBluetooth | null | undefined): Promise<BleDevice> {
    if (!bluetooth) throw new BluetoothUnavailableError();
    if (bluetooth.getAvailability && !(await bluetooth.getAvailability())) throw new BluetoothUnavailableError();
    return bluetooth.requestDevice(requestOptions());
  }

  /**
   * Straps this page was already allowed to use, so the person can reconnect without the chooser.
   * Empty where `getDevices()` does not exist (then the chooser asks once) or fails. Every device
   * here was granted through {@link requestOptions} (Heart Rate service), so each one is a strap.
   */
  static async remembered(bluetooth: BleBluetooth | null | undefined): Promise<BleDevice[]> {
    if (!bluetooth?.getDevices) return [];
    try {
      return await bluetooth.getDevices();
    } catch {
      return [];
    }
  }

  /**
   * Waits until a remembered device (from `getDevices()`) is heard advertising, so Chromium knows
   * it is in range and `gatt.connect()` can reach it (Chromium's getDevices() guidance:
   * watchAdvertisements → 'advertisementreceived' → connect). Resolves true when heard, false on
   * timeout or where watchAdvertisements does not exist.
   */
  static async waitForAdvertisement(device: BleDevice, timeoutMs = ADVERTISEMENT_WAIT_MS): Promise<boolean> {
    if (!device.watchAdvertisements) return false;
    const abort = new AbortController();
    let listener: Listener = () => undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const heard = new Promise<boolean>((resolve) => {
        listener = () => resolve(true);
        device.addEventListener('advertisementreceived', listener);
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      await device.watchAdvertisements({ signal: abort.signal });
      return await heard;
    } catch {
      return false;
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      device.removeEventListener('advertisementreceived', listener);
      abort.abort();
    }
  }

  readonly kind = 'ble' as const;
  readonly label: string;

  private readonly status = new BehaviorSubject<SourceStatus>({ state: 'idle' });
  private readonly rr = new Subject<RrInterval>();
  private readonly diagnostics = new Subject<SourceDiagnostic>();
  private readonly deviceHr = new Subject<number>();
  private readonly contact = new BehaviorSubject<SensorContact | null>(null);
  private readonly battery = new BehaviorSubject<number | null>(null);
  private readonly info = new BehaviorSubject<DeviceInfo | null>(null);
  private readonly raw = new Subject<RawPacket>();
  private readonly gaps = new Subject<BeatGap>();
  private readonly pmdState = new BehaviorSubject<PmdState>(PMD_OFF);
  private readonly breaths = new Subject<Breath>();
  private readonly ecgChunks = new Subject<EcgChunk>();
  private readonly chestChunks = new Subject<ChestChunk>();
  private readonly rPeakSubject = new Subject<EcgRPeak>();

  readonly rr$: Observable<RrInterval> = this.rr.asObservable();
  readonly status$: Observable<SourceStatus> = this.status.asObservable();
  readonly diagnostics$: Observable<SourceDiagnostic> = this.diagnostics.asObservable();
  /** Heart rate the strap reports, bpm (0 = not locked on yet, not emitted). */
  readonly deviceHr$: Observable<number> = this.deviceHr.asObservable();
  /** Sensor contact as the strap reports it; null until the first packet. */
  readonly contact$: Observable<SensorContact | null> = this.contact.pipe(distinctUntilChanged());
  /** Battery level, percent; null when unknown or not offered. */
  readonly battery$: Observable<number | null> = this.battery.asObservable();
  readonly deviceInfo$: Observable<DeviceInfo | null> = this.info.asObservable();
  /** Every Heart Rate Measurement notification's bytes with its arrival time, malformed ones included. */
  readonly raw$: Observable<RawPacket> = this.raw.asObservable();
  /** Holes in the beat chain with their exact start and end in data time (link loss, lost or dropped packets). */
  readonly gaps$: Observable<BeatGap> = this.gaps.asObservable();
  /** Polar PMD (raw ECG, accelerometer) availability and stream states. */
  readonly pmd$: Observable<PmdState> = this.pmdState.asObservable();
  /** Breaths measured from the chest accelerometer (H10 PMD ACC), session time. */
  readonly breaths$: Observable<Breath> = this.breaths.asObservable();
  /** Raw ECG per PMD frame, µV on the session clock, while the ECG stream runs. */
  readonly ecg$: Observable<EcgChunk> = this.ecgChunks.asObservable();
  /** R-peaks detected in the raw ECG (session time), while it runs. */
  readonly rPeaks$: Observable<EcgRPeak> = this.rPeakSubject.asObservable();
  /** The breathing signal measured from chest movement (oriented so breathing in goes up once known), per accelerometer frame. */
  readonly chest$: Observable<ChestChunk> = this.chestChunks.asObservable();

  /** Packets rejected by the parser so far (also reported one by one on diagnostics$). */
  malformedCount = 0;

  private readonly beatTimes: BeatTimes;
  private readonly scheduler: SchedulerLike;
  private readonly life = new Subscription();
  private connection: Subscription | null = null;
  private reconnecting: Subscription | null = null;
  private characteristic: BleCharacteristic | null = null;
  private stopped = false;
  private packets = 0;
  private rrCount = 0;
  private linkLostAtMs: number | null = null;

  constructor(
    private readonly device: BleDevice,
    private readonly opts: WebBluetoothHrOptions,
  ) {
    this.label = opts.label ?? (device.name && device.name.length > 0 ? device.name : 'Heart-rate strap');
    this.beatTimes = new BeatTimes(opts.beatTimes);
    this.scheduler = opts.scheduler ?? asyncScheduler;
  }

  /**
   * Connects, subscribes to heart-rate notifications and starts watching for link loss.
   * Rejects (and sets status 'error' with a kind message) when the first connection fails.
   */
  async connect(): Promise<void> {
    if (this.stopped) throw new Error('WebBluetoothHr: stopped; create a new source to connect again');
    this.status.next({ state: 'connecting', detail: `Connecting to ${this.label}…` });
    try {
      await this.connectOnce();
    } catch (e) {
      this.status.next({ state: 'error', message: describeBluetoothError(e) });
      throw e;
    }
    this.life.add(fromEvent(this.device, 'gattserverdisconnected').subscribe(() => this.onLinkLost()));
    this.status.next({ state: 'streaming', detail: this.label });
    this.life.add(timer(this.opts.noRrTimeoutMs ?? NO_RR_TIMEOUT_MS, this.scheduler).subscribe(() => this.checkRrArrived()));
  }

  /** Stops streaming and releases the strap. Completes rr$, diagnostics$ and the other streams. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.life.unsubscribe();
    this.reconnecting?.unsubscribe();
    this.connection?.unsubscribe();
    // PMD streams are stopped before the link goes (an H10 left streaming stays on).
    const pmd = this.pmd;
    this.pmd = null;
    if (pmd && this.device.gatt?.connected) await pmd.close().catch(() => undefined);
    const ch = this.characteristic;
    this.characteristic = null;
    if (ch && this.device.gatt?.connected) await ch.stopNotifications().catch(() => undefined);
    this.device.gatt?.disconnect();
    this.status.next({ state: 'stopped', detail: `${this.label} disconnected` });
    for (const s of [this.rr, this.diagnostics, this.deviceHr, this.raw, this.gaps, this.breaths, this.ecgChunks, this.chestChunks, this.rPeakSubject]) s.complete();
    for (const s of [this.status, this.contact, this.battery, this.info, this.pmdState]) s.complete();
  }

  /** One GATT connection: connect, discover, subscribe. Extra services are read in the background. */
  private async connectOnce(): Promise<void> {
    const gatt = this.device.gatt;
    if (!gatt) throw Object.assign(new Error('device has no GATT server'), { name: 'NotSupportedError' });
    await gatt.connect();
    const service = await gatt.getPrimaryService(HEART_RATE_SERVICE);
    const ch = await service.getCharacteristic(HEART_RATE_MEASUREMENT);
    this.connection?.unsubscribe();
    // Listen before starting notifications so the first packet is not missed.
    const values$ = fromEvent(ch, 'characteristicvaluechanged').pipe(
      map(() => ({ value: ch.value, arrivalMs: this.opts.clock() })),
      share(),
    );
    const connection = values$.subscribe(({ value, arrivalMs }) => this.onPacket(value, arrivalMs));
    this.connection = connection;
    try {
      await ch.startNotifications();
    } catch (e) {
      connection.unsubscribe();
      throw e;
    }
    this.characteristic = ch;
    void this.readExtras(gatt).then(() => this.openPmd(gatt));
  }

  private pmd: PolarPmd | null = null;
  /** Raw streams that were on when the link was lost: started again after reconnection (kept until tried on a live link). */
  private readonly resumePmd = new Set<'ecg' | 'breathing'>();
  private breathing: AccelerometerBreathing | null = null;
  /** Session time minus sensor time, ms, from the first ACC frame of a stream (bleakheart/EBYT use one offset too). */
  private accOffsetMs: number | null = null;
  /** The same for the ECG stream. */
  private ecgOffsetMs: number | null = null;
  private ecgDetector: EcgRPeakDetector | null = null;
  /** Recent R-peak times and strap RR intervals (session time) for the quality check. */
  private recentPeaksMs: number[] = [];
  private recentRr: RrInterval[] = [];
  private nextQualityMs = 0;
  private lastEcgMs: number | null = null;

  private setPmd(patch: Partial<PmdState>): void {
    if (!this.stopped) this.pmdState.next({ ...this.pmdState.value, ...patch });
  }

  /** Looks for the PMD service (optional); a strap without it streams heart rate as before. */
  private async openPmd(gatt: BleGattServer): Promise<void> {
    if (this.stopped) return;
    const pmd = await PolarPmd.open(gatt, this.opts.clock).catch(() => null);
    if (!pmd || this.stopped || !gatt.connected) {
      pmd?.detach();
      if (!this.stopped) this.setPmd({ ...PMD_OFF, available: false });
      return;
    }
    // A late attempt of an earlier reconnection may get here twice: keep the first.
    if (this.pmd) {
      pmd.detach();
      return;
    }
    this.pmd = pmd;
    const features: readonly string[] = await pmd.features().catch(() => []);
    this.setPmd({ ...PMD_OFF, available: features.includes('ECG') || features.includes('ACC'), features });
    pmd.raw$.subscribe(({ bytes, arrivalMs }) => this.raw.next({ hex: bytesToHex(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)), tMs: arrivalMs, characteristic: 'fb005c82' }));
    pmd.rejected$.subscribe(({ reason, arrivalMs }) => {
      this.setPmd({ rejectedFrames: this.pmdState.value.rejectedFrames + 1 });
      this.diagnostics.next({ kind: 'malformed', message: `PMD frame skipped: ${reason}`, tMs: arrivalMs });
    });
    pmd.frames$.subscribe((f) => this.onPmdFrame(f));
    pmd.deviceStopped$.subscribe((names) => {
      const patch: Partial<PmdState> = { message: `The strap stopped ${names.join(' and ')} by itself. Start it again when you are ready.` };
      this.setPmd({ ...patch, ...(names.includes('ECG') ? { ecg: 'off' as const } : {}), ...(names.includes('ACC') ? { acc: 'off' as const } : {}) });
    });
    await this.resumePmdStreams(features);
  }

  /** After a reconnection: starts again, one after the other, the raw streams that were on when the link was lost. */
  private async resumePmdStreams(features: readonly string[]): Promise<void> {
    const wanted = [...this.resumePmd];
    if (wanted.length === 0) return;
    const pmd = this.pmd;
    const names = { ecg: 'raw ECG', breathing: 'breathing from chest movement' } as const;
    const started: string[] = [];
    const failed: string[] = [];
    for (const kind of wanted) {
      if (this.stopped || this.pmd !== pmd) return; // lost again: the next reconnection tries
      if (!features.includes(kind === 'ecg' ? 'ECG' : 'ACC')) failed.push(names[kind]);
      else if (await this.startPmd(kind)) started.push(names[kind]);
      else if (this.pmd === pmd) failed.push(names[kind]);
      if (this.pmd !== pmd) return;
      this.resumePmd.delete(kind);
    }
    const now = this.opts.clock();
    if (started.length) this.diagnostics.next({ kind: 'info', message: `after reconnection, started again: ${started.join(' and ')}`, tMs: now });
    if (failed.length) {
      const message = `After reconnection, ${failed.join(' and ')} could not be started again${this.pmdState.value.message ? `: ${this.pmdState.value.message}` : '.'} Start it again when you are ready.`;
      this.setPmd({ message });
      this.diagnostics.next({ kind: 'quality', message, tMs: now });
    } else if (started.length) this.setPmd({ message: `The link was lost for a moment; ${started.join(' and ')} started again.` });
  }

  private onPmdFrame(e: PmdFrameEvent): void {
    const f = e.frame;
    const nsToMs = (ns: bigint): number => Number(ns / 1000n) / 1000;
    if (f.kind === 'ecg') {
      this.onEcgFrame(e, f.microVolts, nsToMs);
      return;
    }
    const last = e.sampleTimestampsNs[e.sampleTimestampsNs.length - 1];
    if (last === undefined) return;
    this.accOffsetMs ??= e.arrivalMs - nsToMs(last);
    const offset = this.accOffsetMs;
    const det = (this.breathing ??= new AccelerometerBreathing({ sampleRateHz: BREATHING_ACC.SAMPLE_RATE, ...(this.opts.pacerCyclesAt ? { pacerCyclesAt: this.opts.pacerCyclesAt } : {}) }));
    let lastBreath = this.pmdState.value.lastBreath;
    const traceT: number[] = [];
    const traceV: number[] = [];
    f.milliG.forEach(([x, y, z], i) => {
      const ns = e.sampleTimestampsNs[i];
      if (ns === undefined) return;
      const tMs = nsToMs(ns) + offset;
      for (const b of det.next({ tMs, xMg: x, yMg: y, zMg: z })) {
        lastBreath = b;
        this.breaths.next(b);
      }
      traceT.push(tMs);
      traceV.push(det.inhaleRises ? det.lastValueMg : -det.lastValueMg);
    });
    if (traceT.length) this.chestChunks.next({ tMs: traceT, valueMg: traceV });
    this.setPmd({ accSamples: this.pmdState.value.accSamples + f.milliG.length, lastBreath });
  }

  /** Raw ECG frame: session times, R-peaks, and every few seconds the strap-RR quality check. */
  private onEcgFrame(e: PmdFrameEvent, microVolts: readonly number[], nsToMs: (ns: bigint) => number): void {
    const last = e.sampleTimestampsNs[e.sampleTimestampsNs.length - 1];
    if (last === undefined) return;
    this.ecgOffsetMs ??= e.arrivalMs - nsToMs(last);
    const offset = this.ecgOffsetMs;
    const det = (this.ecgDetector ??= new EcgRPeakDetector({ sampleRateHz: ECG_RATE_HZ }));
    // A lost frame (a jump of more than 1.5 sample periods): the detector starts afresh after it.
    const firstNs = e.sampleTimestampsNs[0];
    if (firstNs !== undefined && this.lastEcgMs !== null && nsToMs(firstNs) + offset - this.lastEcgMs > 1.5 * (1000 / ECG_RATE_HZ)) det.reset();
    const tMs: number[] = [];
    let found = 0;
    microVolts.forEach((uv, i) => {
      const ns = e.sampleTimestampsNs[i];
      if (ns === undefined) return;
      const t = nsToMs(ns) + offset;
      tMs.push(t);
      for (const p of det.push(uv, t)) {
        found++;
        this.recentPeaksMs.push(p.tMs);
        this.rPeakSubject.next(p);
      }
    });
    this.lastEcgMs = tMs[tMs.length - 1] ?? this.lastEcgMs;
    this.ecgChunks.next({ tMs, microVolts: microVolts.slice(0, tMs.length) });
    const patch: { ecgSamples: number; rPeaks: number; ecgQuality?: EcgRrQuality | null } = { ecgSamples: this.pmdState.value.ecgSamples + microVolts.length, rPeaks: this.pmdState.value.rPeaks + found };
    const now = tMs[tMs.length - 1];
    if (now !== undefined && now >= this.nextQualityMs) {
      this.nextQualityMs = now + ECG_QUALITY_EVERY_MS;
      const from = now - ECG_QUALITY_SPAN_MS;
      this.recentPeaksMs = this.recentPeaksMs.filter((t) => t >= from);
      this.recentRr = this.recentRr.filter((r) => r.tMs - r.rrMs >= from);
      const q = compareStrapRrWithEcg(this.recentRr, this.recentPeaksMs);
      patch.ecgQuality = q.strapRr > 0 ? q : null;
    }
    this.setPmd(patch);
  }

  /**
   * Starts a Polar H10 stream: 'ecg' (raw ECG, 130 Hz, recorded losslessly) or 'breathing' (the
   * chest accelerometer at 25 Hz ±2 g, turned into breaths). Failures are reported in plain words
   * on pmd$ and diagnostics$; heart rate from the standard service goes on.
   */
  async startPmd(kind: 'ecg' | 'breathing'): Promise<boolean> {
    const pmd = this.pmd;
    const key = kind === 'ecg' ? 'ecg' : 'acc';
    if (!pmd) {
      this.setPmd({ message: 'This strap does not offer raw streams (Polar Measurement Data); heart rate goes on.' });
      return false;
    }
    this.setPmd({ [key]: 'starting', message: null });
    try {
      if (kind === 'ecg') {
        this.ecgDetector = null;
        this.ecgOffsetMs = null;
        this.lastEcgMs = null;
        this.recentPeaksMs = [];
        this.recentRr = [];
        this.nextQualityMs = 0;
        this.setPmd({ rPeaks: 0, ecgQuality: null });
        await pmd.start('ECG');
      } else {
        this.breathing?.reset();
        this.accOffsetMs = null;
        const chosen = await pmd.start('ACC', BREATHING_ACC);
        this.breathing = new AccelerometerBreathing({ sampleRateHz: chosen.SAMPLE_RATE ?? BREATHING_ACC.SAMPLE_RATE, ...(this.opts.pacerCyclesAt ? { pacerCyclesAt: this.opts.pacerCyclesAt } : {}) });
      }
      if (this.pmd !== pmd) return false; // the link went meanwhile
      this.setPmd({ [key]: 'on' });
      return true;
    } catch (e) {
      if (this.pmd !== pmd) return false; // the link went meanwhile: not the strap's refusal
      const message = e instanceof PmdError ? e.message : `Raw stream could not start: ${e instanceof Error ? e.message : String(e)}. Heart rate goes on.`;
      this.setPmd({ [key]: 'error', message });
      this.diagnostics.next({ kind: 'quality', message, tMs: this.opts.clock() });
      return false;
    }
  }

  /** Stops a Polar H10 stream. */
  async stopPmd(kind: 'ecg' | 'breathing'): Promise<void> {
    const key = kind === 'ecg' ? 'ecg' : 'acc';
    const pmd = this.pmd;
    if (!pmd) return;
    this.setPmd({ [key]: 'stopping' });
    const problem = await pmd.stop(kind === 'ecg' ? 'ECG' : 'ACC');
    if (this.pmd !== pmd) return; // the link went meanwhile (and took the stream with it)
    this.setPmd({ [key]: 'off', message: problem });
  }

  private onPacket(value: DataView | undefined, arrivalMs: number): void {
    this.packets++;
    if (!value) return;
    this.raw.next({ hex: bytesToHex(value), tMs: arrivalMs, characteristic: '2a37' });
    const parsed = parseHeartRateMeasurement(value);
    if (!parsed.ok) {
      this.malformedCount++;
      this.diagnostics.next({ kind: 'malformed', message: `heart-rate packet skipped: ${parsed.reason}`, tMs: arrivalMs });
      // Its RR intervals (if any) are lost: do not join the next interval to the previous one.
      this.beatTimes.interrupt('dropped-packet');
      return;
    }
    const m = parsed.value;
    if (m.hrBpm > 0) this.deviceHr.next(m.hrBpm);
    const before = this.contact.value;
    this.contact.next(m.contact);
    if (m.contact === 'not-detected' && before !== 'not-detected') this.diagnostics.next({ kind: 'contact', message: MESSAGES.noContact, tMs: arrivalMs });
    if (before === 'not-detected' && m.contact === 'detected') this.diagnostics.next({ kind: 'contact', message: MESSAGES.contactBack, tMs: arrivalMs });
    const step = this.beatTimes.next(m, arrivalMs);
    if (step.gap) this.gaps.next(step.gap);
    for (const d of step.diagnostics) this.diagnostics.next(d);
    for (const b of step.beats) {
      this.rrCount++;
      if (this.pmdState.value.ecg === 'on' && this.recentRr.push(b) > 1000) this.recentRr.shift();
      this.rr.next(b);
    }
  }

  private checkRrArrived(): void {
    if (this.rrCount > 0 || this.stopped) return;
    const message = this.packets > 0 ? MESSAGES.noRr : MESSAGES.noData;
    this.diagnostics.next({ kind: 'quality', message, tMs: this.opts.clock() });
    if (this.status.value.state === 'streaming') this.status.next({ state: 'streaming', detail: message });
  }

  private onLinkLost(): void {
    if (this.stopped || this.reconnecting) return;
    this.connection?.unsubscribe();
    this.connection = null;
    this.characteristic = null;
    this.beatTimes.interrupt();
    if (this.pmd) {
      // The link took the PMD streams with it; the ones that were on start again after reconnection.
      const s = this.pmdState.value;
      const on = (st: PmdStreamState): boolean => st === 'on' || st === 'starting';
      if (on(s.ecg)) this.resumePmd.add('ecg');
      if (on(s.acc)) this.resumePmd.add('breathing');
      this.pmd.detach();
      this.pmd = null;
      this.setPmd({
        ...PMD_OFF,
        message: this.resumePmd.size ? 'The link was lost, so the raw streams stopped; they start again once the strap is reconnected.' : 'The link was lost; reconnecting.',
      });
    }
    const lostAt = this.opts.clock();
    this.linkLostAtMs = lostAt;
    this.diagnostics.next({ kind: 'info', message: `link to ${this.label} lost at ${fmtS(lostAt)}; reconnecting`, tMs: lostAt });
    let attempt = 0;
    const base = this.opts.reconnectBaseDelayMs ?? RECONNECT_BASE_DELAY_MS;
    const max = this.opts.reconnectMaxDelayMs ?? RECONNECT_MAX_DELAY_MS;
    const attemptTimeout = this.opts.reconnectAttemptTimeoutMs ?? RECONNECT_ATTEMPT_TIMEOUT_MS;
    const tryOnce$ = defer(() => {
      attempt++;
      const delay = reconnectDelayMs(attempt, base, max);
      this.status.next({ state: 'reconnecting', attempt, detail: `Connection to ${this.label} lost. Reconnecting (attempt ${attempt}, in ${Math.round(delay / 1000)} s)…` });
      return timer(delay, this.scheduler).pipe(switchMap(() => from(this.connectOnce()).pipe(timeout({ first: attemptTimeout, with: () => { throw Object.assign(new Error('reconnect attempt timed out'), { name: 'TimeoutError' }); }, scheduler: this.scheduler }))));
    });
    this.reconnecting = tryOnce$.pipe(retry()).subscribe({
      next: () => {
        this.reconnecting?.unsubscribe();
        this.reconnecting = null;
        const now = this.opts.clock();
        this.diagnostics.next({ kind: 'info', message: `reconnected to ${this.label} at ${fmtS(now)} after ${fmtS(now - lostAt)}`, tMs: now });
        this.status.next({ state: 'streaming', detail: this.label });
      },
    });
  }

  /** Time the link was last lost (session clock, ms), or null. */
  get lastLinkLossMs(): number | null {
    return this.linkLostAtMs;
  }

  private async readExtras(gatt: BleGattServer): Promise<void> {
    const read = async (service: string, characteristic: string): Promise<DataView | null> => {
      try {
        const s = await gatt.getPrimaryService(service);
        const c = await s.getCharacteristic(characteristic);
        return await c.readValue();
      } catch {
        return null; // not offered, or not allowed: both optional
      }
    };
    const level = await read(BATTERY_SERVICE, BATTERY_LEVEL);
    if (level && level.byteLength >= 1 && !this.stopped) this.battery.next(level.getUint8(0));
    const text = (v: DataView | null): string | null =>
      v && v.byteLength > 0 ? new TextDecoder().decode(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)).replace(/\0+$/, '').trim() || null : null;
    const manufacturer = text(await read(DEVICE_INFORMATION, MANUFACTURER_NAME));
    const model = text(await read(DEVICE_INFORMATION, MODEL_NUMBER));
    const firmware = text(await read(DEVICE_INFORMATION, FIRMWARE_REVISION));
    if ((manufacturer || model || firmware) && !this.stopped) this.info.next({ manufacturer, model, firmware });
  }
}
