/**
 * Serial PPG sensors (issue 5), plain Node (no electron import): list ports, open a path at a
 * baud rate, frame → recognise the format → parse → samples, run the beat detector, batch
 * samples every BATCH_MS to a callback (the contract carries them as `serial:samples`), and
 * survive unplugging: a gap is marked and the port is reopened when the path comes back.
 *
 * bytes --LineFramer--> lines --detectPpgFormat (first lines)--> PpgLineParser --> samples
 *       --PpgBeatDetector--> beats --> RrInterval { source: 'serial-ppg', ppg: true }
 *
 * Data time: ms since `open()` on the injected clock. Within a segment, sample i is at
 * segmentStartMs + i · 1000 / fs (the sensor's rate, not arrival time). A new segment starts after
 * a reconnect (at the clock's time) or at a jump in the device's own time stamps (at the device
 * time); the detector restarts there and the first interval after it is `afterGap`.
 *
 * Memory is bounded whatever the device sends: the framer holds ≤ 4 KiB, the detection buffer
 * ≤ MAX_DETECT_LINES lines, samples waiting for a rate ≤ MAX_PENDING_SAMPLES, the detector a
 * fixed ring, and batches are flushed every BATCH_MS.
 */
import { existsSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { LineFramer } from '../../shared/parsers/line-framer';
import { detectPpgFormat, NO_DATA_MESSAGE, PpgLineParser, type PpgFormat } from '../../shared/parsers/ppg-format';
import { decideSampleRate, measureArrivalRate } from '../../shared/parsers/ppg-sample-rate';
import { PpgBeatDetector, SQI_ACCEPTABLE } from '../../shared/signal/ppg-peaks';
import type { RrInterval } from '../../shared/types/rr';
import {
  DEFAULT_BAUD,
  SERIAL_BAUD_RATES,
  type SerialBeat,
  type SerialBeatsBatch,
  type SerialListResult,
  type SerialOpenRequest,
  type SerialPortChoice,
  type SerialSamplesBatch,
  type SerialState,
  type SerialStatus,
} from '../../shared/types/serial-ppg';

/** Samples are sent to the renderer in batches this often, ms. */
export const BATCH_MS = 50;
/** How often a vanished device path is checked for its return, ms. */
export const REOPEN_POLL_MS = 500;
/** Without a recognised format after this long, the diagnostic is shown (and detection goes on), ms. */
export const DETECT_DIAGNOSTIC_MS = 4000;
/** Lines format recognition looks at: the first DETECT_HEAD_LINES (header, banners) and the latest ones. */
export const MAX_DETECT_LINES = 400;
export const DETECT_HEAD_LINES = 20;
/** Data lines wanted before a format is decided (or SLOW_STREAM_CHECK_MS of lines, if fewer). */
export const DETECT_MIN_LINES = 50;
/** Lines kept before the format is recognised, replayed once it is (bounded by count and bytes). */
export const MAX_REPLAY_LINES = 20_000;
export const MAX_REPLAY_BYTES = 512 * 1024;
/** Samples held while the rate is being measured. */
export const MAX_PENDING_SAMPLES = 20_000;
/** Arrival span used to measure the rate / check the configured one, ms. */
export const RATE_MEASURE_MS = 3000;
/** One number per line could be samples or beat intervals: the arrival rate decides, over this long, ms. */
export const SLOW_STREAM_CHECK_MS = 2000;
/** A jump in the device's time stamps longer than this many sample periods (and DEVICE_GAP_MIN_S) is a gap. */
export const DEVICE_GAP_PERIODS = 3;
export const DEVICE_GAP_MIN_S = 0.1;
/** After recognition, lines are checked in blocks of this many: over half malformed gives the diagnostic. */
export const MALFORMED_CHECK_LINES = 200;
/** Beats whose quality is summarised in the status. */
const RECENT_SQI_BEATS = 10;

/** USB vendor IDs of boards and USB-serial chips people plug PPG sensors into. */
export const USB_VENDOR_HINTS: Readonly<Record<string, string>> = {
  '2341': 'Arduino',
  '2a03': 'Arduino (arduino.org)',
  '1a86': 'CH340/CH9102 USB-serial (Arduino clones, ESP32/ESP8266 boards)',
  '0403': 'FTDI USB-serial',
  '10c4': 'Silicon Labs CP210x USB-serial (ESP32/ESP8266 boards)',
  '067b': 'Prolific PL2303 USB-serial',
  '239a': 'Adafruit',
  '1b4f': 'SparkFun',
  '16c0': 'Teensy (PJRC)',
  '303a': 'Espressif ESP32 (native USB)',
  '2e8a': 'Raspberry Pi Pico (RP2040)',
  '0483': 'STMicroelectronics (STM32)',
  '1915': 'Nordic Semiconductor (nRF52)',
  '2886': 'Seeed Studio',
};

interface ListedPort {
  path: string;
  manufacturer?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
  serialNumber?: string | undefined;
}

/** Lists serial ports; never rejects. `SerialPort.list()` needs udevadm on Linux (Debian package `udev`). */
export async function listSerialPorts(lister: () => Promise<ListedPort[]> = () => SerialPort.list()): Promise<SerialListResult> {
  const typeNote = 'Virtual ports (socat, /dev/pts/N) and some adapters are never listed: type their path.';
  try {
    const raw = await lister();
    const ports: SerialPortChoice[] = raw.map((p) => {
      const vid = p.vendorId?.toLowerCase().replace(/^0x/, '').padStart(4, '0');
      const pid = p.productId?.toLowerCase().replace(/^0x/, '').padStart(4, '0');
      const hint = vid ? USB_VENDOR_HINTS[vid] : undefined;
      return {
        path: p.path,
        ...(p.manufacturer ? { manufacturer: p.manufacturer } : {}),
        ...(vid && pid ? { vidPid: `${vid}:${pid}` } : {}),
        ...(p.serialNumber ? { serialNumber: p.serialNumber } : {}),
        ...(hint ? { hint } : {}),
      };
    });
    return { ports, note: typeNote };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const udev = /udevadm/.test(msg) ? ' (udevadm is missing: install the "udev" package)' : '';
    return { ports: [], note: `Could not list serial ports${udev}: ${msg}. ${typeNote}` };
  }
}

/** The part of a serial port the service uses (serialport's SerialPort satisfies it). */
export interface PortLike {
  on(event: 'data', cb: (chunk: Buffer) => void): unknown;
  on(event: 'close', cb: (err?: Error | null) => void): unknown;
  on(event: 'error', cb: (err: Error) => void): unknown;
  removeAllListeners(): unknown;
  close(cb?: (err?: Error | null) => void): void;
  readonly isOpen: boolean;
}
export type OpenPort = (path: string, baudRate: number) => Promise<PortLike>;

export const openSerialPort: OpenPort = (path, baudRate) =>
  new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, autoOpen: false });
    port.open((err) => (err ? reject(err) : resolve(port)));
  });

export interface SerialPpgCallbacks {
  onSamples?(batch: SerialSamplesBatch): void;
  onBeats?(batch: SerialBeatsBatch): void;
  onStatus?(status: SerialStatus): void;
}

export interface SerialPpgDeps {
  readonly openPort?: OpenPort;
  /** Monotonic clock, ms (default performance.now). */
  readonly clock?: () => number;
  /** Does the device path exist (default fs.existsSync)? */
  readonly pathExists?: (path: string) => boolean;
}

type Phase = 'detecting' | 'rate' | 'streaming';

/** One open serial PPG device. `start()`, then callbacks until `close()`. */
export class SerialPpgSession {
  readonly path: string;
  readonly baudRate: number;
  private readonly req: SerialOpenRequest;
  private readonly cb: SerialPpgCallbacks;
  private readonly openPort: OpenPort;
  private readonly clock: () => number;
  private readonly pathExists: (p: string) => boolean;
  private readonly framer = new LineFramer();
  private port: PortLike | null = null;
  private closed = false;
  private state: SerialState = 'opening';
  private message = 'opening';
  private warning: string | undefined;
  private phase: Phase = 'detecting';
  private startMs = 0;
  private detectStartMs = 0;
  private lastDetectTry = Number.NEGATIVE_INFINITY;
  private detectLines: string[] = [];
  private firstLineMs: number | null = null;
  private detectBytes = 0;
  private droppedBeforeDetect = 0;
  private readonly headLines: string[] = [];
  private readonly headArrivals: number[] = [];
  private detectArrivals: number[] = [];
  private format: PpgFormat | null = null;
  private formatText: string | undefined;
  private parser: PpgLineParser | null = null;
  private pending: { v: number; tS?: number; at: number }[] = [];
  private fs: number | null = null;
  private rateSource: string | undefined;
  private rateChecked = false;
  private measuringSaid = false;
  private checkLines = 0;
  private lastTs: number | null = null;
  private segTs0: number | null = null;
  private checkMalformed = 0;
  private rateArrivals: number[] = [];
  private detector: PpgBeatDetector | null = null;
  private segmentStartMs = 0;
  private segmentSamples = 0;
  private sampleIndex = 0;
  private batch: number[] = [];
  private batchT0 = 0;
  private batchFirst = 0;
  private batchAfterGap = false;
  private gapPending = false;
  private deviceBeatT = 0;
  private lastDeviceBeatMs: number | null = null;
  private recentSqi: number[] = [];
  private timer: ReturnType<typeof setInterval> | null = null;
  private pollTimer: ReturnType<typeof setTimeout> | null = null;
  private counts = { lines: 0, samples: 0, malformedLines: 0, droppedLines: 0, beats: 0, gaps: 0 };

  constructor(req: SerialOpenRequest, cb: SerialPpgCallbacks, deps: SerialPpgDeps = {}) {
    if (typeof req?.path !== 'string' || req.path.length === 0 || req.path.length > 4096) throw new Error('serial:open needs a device path');
    const baud = req.baudRate ?? DEFAULT_BAUD;
    if (!Number.isInteger(baud) || baud < 300 || baud > 4_000_000) throw new Error(`unsupported baud rate ${String(req.baudRate)} (offered: ${SERIAL_BAUD_RATES.join(', ')})`);
    if (req.fsHz !== undefined && !(req.fsHz >= 5 && req.fsHz <= 10_000)) throw new Error('fsHz must be 5..10000 Hz');
    this.req = req;
    this.path = req.path;
    this.baudRate = baud;
    this.cb = cb;
    this.openPort = deps.openPort ?? openSerialPort;
    this.clock = deps.clock ?? (() => performance.now());
    this.pathExists = deps.pathExists ?? existsSync;
  }

  /** Opens the port; rejects if it cannot be opened the first time (wrong path, busy, no permission). */
  async start(): Promise<SerialStatus> {
    this.startMs = this.clock();
    this.setState('opening', `opening ${this.path} at ${this.baudRate} baud`);
    await this.connect();
    let ticks = 0;
    this.timer = setInterval(() => {
      this.flushBatch();
      this.checkSilence();
      // A device node that vanished is an unplug even when the port never reports 'close'
      // (some drivers and ptys keep a dead descriptor quiet): check about every REOPEN_POLL_MS.
      if (this.port && ++ticks % Math.round(REOPEN_POLL_MS / BATCH_MS) === 0 && this.pathGone()) {
        const port = this.port;
        port.removeAllListeners();
        port.on('error', () => undefined);
        if (port.isOpen) port.close(() => undefined);
        this.onUnplug();
      }
    }, BATCH_MS);
    return this.status();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.timer = null;
    this.pollTimer = null;
    this.flushBatch();
    const port = this.port;
    this.port = null;
    if (port) {
      port.removeAllListeners();
      port.on('error', () => undefined);
      if (port.isOpen) await new Promise<void>((r) => port.close(() => r()));
    }
    this.setState('closed', 'closed');
  }

  status(): SerialStatus {
    const sq = [...this.recentSqi].sort((a, b) => a - b);
    return {
      state: this.state,
      path: this.path,
      baudRate: this.baudRate,
      message: this.message,
      ...(this.formatText ? { format: this.formatText } : {}),
      ...(this.fs !== null ? { fsHz: this.fs } : {}),
      ...(this.rateSource ? { rateSource: this.rateSource } : {}),
      ...(this.warning ? { warning: this.warning } : {}),
      recentSqi: sq.length ? (sq[sq.length >> 1] ?? null) : null,
      counts: { ...this.counts, droppedLines: this.framer.droppedLines },
    };
  }

  private setState(state: SerialState, message: string): void {
    this.state = state;
    this.message = message;
    this.cb.onStatus?.(this.status());
  }

  private async connect(): Promise<void> {
    const port = await this.openPort(this.path, this.baudRate);
    if (this.closed) {
      port.close();
      return;
    }
    this.port = port;
    this.framer.reset();
    port.on('data', (chunk: Buffer) => this.onData(chunk));
    port.on('error', (err: Error) => {
      if (!this.closed) this.warning = err.message;
    });
    port.on('close', () => this.onUnplug());
    if (this.phase === 'detecting') {
      this.detectStartMs = this.clock();
      this.setState('detecting', `reading ${this.path}: recognising the data format`);
    } else {
      this.setState('streaming', `reading ${this.path} again after a gap`);
    }
  }

  /** A device that sends nothing at all never reaches the format check: say so after a while. */
  private checkSilence(): void {
    if (this.phase !== 'detecting' || this.state !== 'detecting' || this.warning) return;
    if (this.clock() - this.detectStartMs < DETECT_DIAGNOSTIC_MS || this.counts.lines > 0) return;
    this.warning = NO_DATA_MESSAGE;
    this.setState('detecting', `nothing received from ${this.path} at ${this.baudRate} baud: ${NO_DATA_MESSAGE}`);
  }

  private onUnplug(): void {
    if (this.closed) return;
    this.port?.removeAllListeners();
    this.port = null;
    this.counts.gaps++;
    this.gapPending = true;
    this.flushBatch();
    this.detector?.reset();
    this.lastDeviceBeatMs = null;
    this.lastTs = null;
    this.parser = this.format ? new PpgLineParser(this.format) : null;
    this.setState('waiting-for-device', `${this.path} disappeared: waiting for the device to come back`);
    this.pollReopen();
  }

  /**
   * True when the device node is gone. Only Unix device paths are files: Windows COM ports
   * ("COM3") are not, so there the open attempt itself tells whether the device is back.
   */
  private pathGone(): boolean {
    return this.path.startsWith('/') && !this.pathExists(this.path);
  }

  private pollReopen(): void {
    if (this.closed) return;
    this.pollTimer = setTimeout(() => {
      this.pollTimer = null;
      if (this.closed) return;
      if (this.pathGone()) return this.pollReopen();
      this.connect().catch(() => this.pollReopen());
    }, REOPEN_POLL_MS);
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    const now = this.clock();
    const lines = this.framer.push(chunk);
    for (const line of lines) {
      this.counts.lines++;
      if (this.phase === 'detecting') this.collectForDetection(line, now);
      else this.handleLine(line, now);
    }
    if (this.phase === 'detecting') this.tryDetect(now);
    if (this.phase === 'rate') this.tryRate(now);
  }

  private collectForDetection(line: string, now: number): void {
    if (line.trim().length > 0) this.firstLineMs ??= now;
    if (this.headLines.length < DETECT_HEAD_LINES) {
      this.headLines.push(line);
      this.headArrivals.push(now);
    }
    this.detectLines.push(line);
    this.detectArrivals.push(now);
    this.detectBytes += line.length;
    // Bounded: the oldest lines fall out (they are lost only if a device talks this much before being recognised).
    while (this.detectLines.length > MAX_REPLAY_LINES || this.detectBytes > MAX_REPLAY_BYTES) {
      this.detectBytes -= this.detectLines.shift()?.length ?? 0;
      this.detectArrivals.shift();
      this.droppedBeforeDetect++;
    }
  }

  private tryDetect(now: number): void {
    const waited = now - this.detectStartMs;
    if (now - this.lastDetectTry < 100) return;
    this.lastDetectTry = now;
    const opts = {
      ...(this.req.format ? { kind: this.req.format } : {}),
      ...(this.req.column !== undefined ? { column: this.req.column } : {}),
    };
    // The first lines (header, banners) and the latest ones: a header must not slide out of view.
    const n = this.detectLines.length;
    const head = Math.min(this.headLines.length, DETECT_HEAD_LINES);
    const from = Math.max(0, n - (MAX_DETECT_LINES - head));
    const headTaken = this.droppedBeforeDetect + from > 0 ? head : 0;
    const lines = [...this.headLines.slice(0, headTaken), ...this.detectLines.slice(from)];
    const arrivalMs = [...this.headArrivals.slice(0, headTaken), ...this.detectArrivals.slice(from)];
    const d = detectPpgFormat(lines, { ...opts, arrivalMs });
    if (!d.ok) {
      if (waited > DETECT_DIAGNOSTIC_MS && this.warning !== d.message) {
        this.warning = d.message;
        this.setState('detecting', d.message === NO_DATA_MESSAGE ? `${NO_DATA_MESSAGE} (${this.baudRate} baud)` : d.message);
      }
      return;
    }
    // Decide on enough evidence: a few lines can mislead (e.g. a millisecond time stamp that has
    // not yet passed 250 looks like a BPM column).
    if (d.dataLines < DETECT_MIN_LINES && now - (this.firstLineMs ?? now) < SLOW_STREAM_CHECK_MS) return;
    // A slow line stream could be beats or a slow waveform: wait for 2 s of lines unless told.
    if (d.format.kind === 'single-value' && !this.req.format && now - (this.firstLineMs ?? now) < SLOW_STREAM_CHECK_MS) return;
    this.format = d.format;
    this.formatText = d.description;
    this.parser = new PpgLineParser(d.format);
    this.warning = undefined;
    this.phase = 'rate';
    const replay = this.detectLines;
    const replayAt = this.detectArrivals;
    this.detectLines = [];
    this.detectArrivals = [];
    this.detectBytes = 0;
    replay.forEach((l, i) => this.handleLine(l, replayAt[i] ?? now));
  }

  private tryRate(now: number): void {
    if (this.format?.kind === 'beat-interval') {
      this.phase = 'streaming';
      this.segmentStartMs = now - this.startMs;
      this.setState('streaming', `receiving beat intervals from ${this.path}`);
      return;
    }
    const p = this.pending;
    const withT = p.filter((s) => s.tS !== undefined);
    const arrivals = p.map((s) => s.at);
    const span = arrivals.length ? (arrivals[arrivals.length - 1] as number) - (arrivals[0] as number) : 0;
    const haveTs = withT.length >= 20;
    const conf = this.req.fsHz;
    if (!haveTs && conf === undefined && span < RATE_MEASURE_MS && p.length < MAX_PENDING_SAMPLES) {
      if (!this.measuringSaid) {
        this.measuringSaid = true;
        this.setState('detecting', `${this.formatText ?? 'data'}: measuring the sample rate from the arrival of lines`);
      }
      return;
    }
    const dec = decideSampleRate({
      ...(conf !== undefined ? { configuredHz: conf } : {}),
      ...(haveTs ? { timestampsS: withT.map((s) => s.tS as number) } : {}),
      ...(span >= RATE_MEASURE_MS ? { arrivalMs: arrivals } : {}),
    });
    if (dec.fsHz === null || !(dec.fsHz >= 5 && dec.fsHz <= 10_000)) {
      this.setState('error', `cannot use a sample rate of ${String(dec.fsHz)} Hz: configure the sketch's rate`);
      this.pending = [];
      return;
    }
    this.fs = dec.fsHz;
    this.rateSource = dec.source;
    this.rateChecked = span >= RATE_MEASURE_MS || haveTs;
    if (dec.warning) this.warning = dec.warning;
    this.detector = new PpgBeatDetector({ fs: dec.fsHz });
    this.phase = 'streaming';
    // The pending samples began at the first one's arrival; later segments start at reconnects.
    this.segmentStartMs = (p[0]?.at ?? now) - this.startMs;
    this.segmentSamples = 0;
    this.pending = [];
    this.setState('streaming', `${this.formatText ?? ''}; ${dec.message}`);
    for (const s of p) this.acceptSample(s.v, s.at, s.tS);
  }

  private handleLine(line: string, now: number): void {
    const parser = this.parser;
    if (!parser) return;
    const r = parser.parse(line);
    this.checkLines++;
    if (r.type === 'malformed') this.checkMalformed++;
    if (this.checkLines >= MALFORMED_CHECK_LINES) {
      // Mostly unreadable lines after recognition (sketch changed, baud rate changed at a replug).
      if (this.checkMalformed > this.checkLines / 2 && this.warning !== NO_DATA_MESSAGE) {
        this.warning = NO_DATA_MESSAGE;
        this.setState(this.state, `most lines are unreadable: ${NO_DATA_MESSAGE}`);
      } else if (this.checkMalformed <= this.checkLines / 2 && this.warning === NO_DATA_MESSAGE) {
        this.warning = undefined;
        this.setState(this.state, `reading ${this.path} (${this.formatText ?? ''})`);
      }
      this.checkLines = 0;
      this.checkMalformed = 0;
    }
    if (r.type === 'malformed') {
      this.counts.malformedLines++;
      return;
    }
    if (r.type === 'ignored') return;
    if (r.type === 'device-beat') {
      if (this.format?.kind === 'beat-interval' && r.ibiMs !== undefined) this.acceptDeviceBeat(r.ibiMs, r.tS, now);
      return;
    }
    if (this.phase === 'rate') {
      if (this.pending.length < MAX_PENDING_SAMPLES) this.pending.push(r.tS !== undefined ? { v: r.value, tS: r.tS, at: now } : { v: r.value, at: now });
      return;
    }
    this.acceptSample(r.value, now, r.tS);
  }

  private acceptSample(v: number, arrivalMs: number, tS?: number): void {
    const det = this.detector;
    const fs = this.fs;
    if (!det || fs === null) return;
    if (this.gapPending) {
      this.gapPending = false;
      this.startSegment(arrivalMs - this.startMs);
    }
    if (tS !== undefined) {
      // Device time stamps reveal samples lost on the device or the link (or a device reset).
      const last = this.lastTs;
      if (last !== null && (tS - last > Math.max(DEVICE_GAP_PERIODS / fs, DEVICE_GAP_MIN_S) || tS < last - 1 / fs)) {
        this.counts.gaps++;
        det.reset();
        const forward = tS > last && this.segTs0 !== null;
        this.startSegment(forward ? this.segmentStartMs + (tS - (this.segTs0 as number)) * 1000 : arrivalMs - this.startMs);
      }
      this.segTs0 ??= tS;
      this.lastTs = tS;
    }
    this.counts.samples++;
    if (!this.rateChecked) {
      this.rateArrivals.push(arrivalMs);
      const span = arrivalMs - (this.rateArrivals[0] ?? arrivalMs);
      if (span >= RATE_MEASURE_MS) {
        this.rateChecked = true;
        const measured = measureArrivalRate(this.rateArrivals);
        const dec = decideSampleRate({ configuredHz: fs, ...(measured !== null ? { arrivalMs: this.rateArrivals } : {}) });
        this.rateArrivals = [];
        if (dec.warning) {
          this.warning = dec.warning;
          this.setState('streaming', this.message);
        }
      }
    }
    const tMs = this.segmentStartMs + (this.segmentSamples * 1000) / fs;
    if (this.batch.length === 0) {
      this.batchT0 = tMs;
      this.batchFirst = this.sampleIndex;
    }
    this.batch.push(v);
    this.sampleIndex++;
    this.segmentSamples++;
    const beats = det.push(v);
    if (beats.length > 0) {
      const out: SerialBeat[] = beats.map((b) => ({ tMs: this.segmentStartMs + b.tS * 1000, ibiMs: b.ibiMs, sqi: b.sqi }));
      this.emitBeats(out);
    }
  }

  private startSegment(startMs: number): void {
    this.flushBatch();
    this.segmentStartMs = startMs;
    this.segmentSamples = 0;
    this.segTs0 = null;
    this.batchAfterGap = true;
  }

  private acceptDeviceBeat(ibiMs: number, tS: number | undefined, now: number): void {
    if (this.gapPending) {
      this.gapPending = false;
      this.segmentStartMs = now - this.startMs;
      this.deviceBeatT = 0;
    }
    // Grove wiki sketches give millis(); others only the interval: accumulate it.
    let tMs: number;
    if (tS !== undefined) {
      if (this.lastDeviceBeatMs === null) this.deviceBeatT = tS * 1000 - (now - this.startMs);
      tMs = tS * 1000 - this.deviceBeatT;
    } else {
      tMs = this.lastDeviceBeatMs === null ? now - this.startMs : this.lastDeviceBeatMs + ibiMs;
    }
    const first = this.lastDeviceBeatMs === null;
    this.lastDeviceBeatMs = tMs;
    this.emitBeats([{ tMs, ibiMs: first ? null : ibiMs, sqi: null }]);
  }

  private emitBeats(beats: SerialBeat[]): void {
    const rr: RrInterval[] = [];
    for (const b of beats) {
      this.counts.beats++;
      if (b.sqi !== null) {
        this.recentSqi.push(b.sqi);
        if (this.recentSqi.length > RECENT_SQI_BEATS) this.recentSqi.shift();
      }
      if (b.ibiMs === null) continue;
      const afterGap = this.counts.gaps > 0 && this.firstRrAfterGap();
      rr.push({ rrMs: b.ibiMs, tMs: b.tMs, source: 'serial-ppg', ppg: true, ...(afterGap ? { afterGap: true } : {}) });
    }
    this.cb.onBeats?.({ beats, rr });
  }

  private rrGapsSeen = 0;
  private firstRrAfterGap(): boolean {
    if (this.rrGapsSeen === this.counts.gaps) return false;
    this.rrGapsSeen = this.counts.gaps;
    return true;
  }

  private flushBatch(): void {
    if (this.batch.length === 0 || this.fs === null) return;
    const values = this.batch;
    this.batch = [];
    const batch: SerialSamplesBatch = {
      tMs0: this.batchT0,
      fsHz: this.fs,
      values,
      firstIndex: this.batchFirst,
      ...(this.batchAfterGap ? { afterGap: true } : {}),
    };
    this.batchAfterGap = false;
    this.cb.onSamples?.(batch);
  }
}

/** Quality threshold for the UI ("too low to trust HRV" below it). */
export { SQI_ACCEPTABLE };

/** Keeps at most one open device for the services; opening another closes the previous one. */
export class SerialPpgManager {
  private session: SerialPpgSession | null = null;
  private readonly cb: SerialPpgCallbacks;
  private readonly deps: SerialPpgDeps;

  constructor(cb: SerialPpgCallbacks, deps: SerialPpgDeps = {}) {
    this.cb = cb;
    this.deps = deps;
  }

  list(): Promise<SerialListResult> {
    return listSerialPorts();
  }

  async open(req: SerialOpenRequest): Promise<SerialStatus> {
    await this.close();
    const s = new SerialPpgSession(req, this.cb, this.deps);
    try {
      const st = await s.start();
      this.session = s;
      return st;
    } catch (e) {
      await s.close();
      throw new Error(`cannot open ${req.path}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  async close(): Promise<{ closed: boolean }> {
    const s = this.session;
    this.session = null;
    if (!s) return { closed: false };
    await s.close();
    return { closed: true };
  }
}
