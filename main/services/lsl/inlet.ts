/**
 * An LSL inlet in plain Node (no liblsl): discovery, fullinfo, streamfeed with test-pattern
 * check, and time correction, as liblsl 1.17's inlet does them (`resolve_attempt_udp.cpp`,
 * `info_receiver.cpp`, `data_receiver.cpp`, `time_receiver.cpp`; ../shared/notes/lsl-protocol.md).
 *
 * Soothe uses it to record a researcher's marker stream (PsychoPy…); the tests use it to check
 * Soothe's own outlets. Every socket binds to `bindAddress`, so a caller that passes 127.0.0.1
 * and targets 127.0.0.1 never sends a packet beyond the loopback interface.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { estimateTimeCorrection, formatDiscoveryQuery, formatStreamfeedRequest, formatTimedataRequest, parseDiscoveryReply, parseStreamfeedResponse, parseTimedataReply, queryIdOf, type TimeProbe } from '../../../shared/lsl/messages';
import { SampleStreamDecoder, TEST_PATTERN_TIMESTAMP_S, testPatternValues, valueBytes, type LslValue } from '../../../shared/lsl/sample-codec';
import { parseInfoXml, type LslStreamInfo } from '../../../shared/lsl/stream-info';
import { lslLocalClockS, type LslClock } from './clock';

export interface UdpTarget {
  readonly address: string;
  readonly port: number;
}

export interface ResolveOptions {
  /** XPath predicate (liblsl's resolve_byprop builds `session_id='default' and name='X'`). */
  readonly query: string;
  /** Where queries go: e.g. 127.0.0.1:16571, or the scope's groups and broadcast. */
  readonly targets: readonly UdpTarget[];
  /** Local address for the reply socket (127.0.0.1 keeps everything on loopback). */
  readonly bindAddress?: string;
  /** Stop once this many distinct streams answered (0 = wait the whole time). */
  readonly minimum?: number;
  readonly timeoutMs?: number;
  /** A query wave every this many ms (liblsl MulticastMinRTT 0.5 s). */
  readonly waveMs?: number;
  /** Needed when a target is a broadcast address. */
  readonly broadcast?: boolean;
  readonly multicastTtl?: number;
}

/** A stream as discovered: its shortinfo, with v4address set to the reply's source (as liblsl does). */
export type ResolvedStream = LslStreamInfo;

/** Sends discovery queries in waves and collects the distinct streams that answer (by uid). */
export function resolveStreams(opts: ResolveOptions): Promise<ResolvedStream[]> {
  const timeoutMs = opts.timeoutMs ?? 1000;
  const waveMs = opts.waveMs ?? 500;
  const minimum = opts.minimum ?? 0;
  const queryId = queryIdOf(opts.query);
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket('udp4');
    const found = new Map<string, ResolvedStream>();
    let timer: NodeJS.Timeout | undefined;
    let wave: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(wave);
      sock.close();
      resolve([...found.values()]);
    };
    sock.on('error', (e) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(wave);
      sock.close();
      reject(e);
    });
    sock.on('message', (msg, rinfo) => {
      const r = parseDiscoveryReply(msg.toString('utf8'));
      if (!r || r.queryId !== queryId) return;
      try {
        const info = parseInfoXml(r.xml);
        if (!found.has(info.uid)) found.set(info.uid, { ...info, v4address: rinfo.address });
      } catch {
        return; // an invalid info: liblsl lists it as "(invalid)", we skip it
      }
      if (minimum > 0 && found.size >= minimum) finish();
    });
    sock.bind({ port: 0, address: opts.bindAddress ?? '0.0.0.0' }, () => {
      if (opts.broadcast) sock.setBroadcast(true);
      if (opts.multicastTtl !== undefined) sock.setMulticastTTL(opts.multicastTtl);
      const text = formatDiscoveryQuery({ query: opts.query, returnPort: sock.address().port, queryId });
      const send = (): void => {
        for (const t of opts.targets) {
          try {
            sock.send(text, t.port, t.address, () => undefined);
          } catch {
            // a bad target (port 0, unresolvable name) must not stop the others
          }
        }
      };
      send();
      wave = setInterval(send, waveMs);
      timer = setTimeout(finish, timeoutMs);
    });
  });
}

/** Reads a TCP answer to EOF (fullinfo, shortinfo): the outlet closes after it. */
export function requestInfo(stream: Pick<LslStreamInfo, 'v4address' | 'v4dataPort'>, request: string, timeoutMs = 2000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = net.connect({ host: stream.v4address, port: stream.v4dataPort });
    s.setTimeout(timeoutMs, () => s.destroy(new Error('LSL info request timed out')));
    s.on('connect', () => s.write(request));
    s.on('data', (c) => chunks.push(c));
    s.on('error', reject);
    s.on('close', () => resolve(Buffer.concat(chunks)));
  });
}

export function fetchFullInfo(stream: Pick<LslStreamInfo, 'v4address' | 'v4dataPort'>): Promise<string> {
  return requestInfo(stream, 'LSL:fullinfo\r\n').then((b) => b.toString('utf8'));
}

export interface TimeCorrectionOptions {
  readonly bindAddress?: string;
  readonly clock?: LslClock;
  /** liblsl TimeProbeCount 8, TimeProbeInterval 64 ms, TimeProbeMaxRTT 128 ms. */
  readonly probes?: number;
  readonly intervalMs?: number;
  readonly waitMs?: number;
}

/**
 * liblsl's `time_correction()`: probes the outlet's service port and returns the value to add to
 * its timestamps to get this machine's LSL clock, from the probe with the smallest round trip.
 * @returns correctionS and that probe's rttS, plus every probe (for diagnostics and benches).
 */
export function measureTimeCorrection(stream: Pick<LslStreamInfo, 'v4address' | 'v4servicePort'>, opts: TimeCorrectionOptions = {}): Promise<{ correctionS: number; rttS: number; probes: TimeProbe[] }> {
  const clock = opts.clock ?? lslLocalClockS;
  const count = opts.probes ?? 8;
  const intervalMs = opts.intervalMs ?? 64;
  const waitMs = opts.waitMs ?? 128;
  const waveId = String(Math.floor(Math.random() * 2147483647));
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket('udp4');
    const probes: TimeProbe[] = [];
    const timers: NodeJS.Timeout[] = [];
    const finish = (): void => {
      for (const t of timers) clearTimeout(t);
      sock.close();
      const best = estimateTimeCorrection(probes);
      // liblsl needs most probes back; fewer means a lossy path and no trustworthy estimate
      if (!best || probes.length < Math.ceil((count * 3) / 4)) reject(new Error(`time correction: ${probes.length} of ${count} probes answered`));
      else resolve({ ...best, probes });
    };
    sock.on('error', (e) => {
      for (const t of timers) clearTimeout(t);
      sock.close();
      reject(e);
    });
    sock.on('message', (msg) => {
      const t3S = clock();
      const r = parseTimedataReply(msg.toString('utf8'));
      if (!r || r.waveId !== waveId) return;
      probes.push({ t0S: r.t0S, t1S: r.t1S, t2S: r.t2S, t3S });
      if (probes.length === count) finish();
    });
    sock.bind({ port: 0, address: opts.bindAddress ?? '0.0.0.0' }, () => {
      for (let k = 0; k < count; k++) {
        timers.push(setTimeout(() => sock.send(formatTimedataRequest({ waveId, t0S: clock() }), stream.v4servicePort, stream.v4address, () => undefined), k * intervalMs));
      }
      timers.push(setTimeout(finish, count * intervalMs + waitMs));
    });
  });
}

export interface InletSample {
  /** Outlet clock, s (deduced timestamps resolved). */
  readonly timestampS: number;
  readonly values: readonly LslValue[];
}

export interface OpenInletOptions {
  /** Ask for big-endian data (`Native-Byte-Order: 4321`), to exercise the outlet's byte swap. */
  readonly bigEndian?: boolean;
  /** Max-Buffer-Length in samples; 0 = only the test patterns (default 360 s of data, as liblsl). */
  readonly maxBufferSamples?: number;
  readonly hostname?: string;
  readonly timeoutMs?: number;
}

/**
 * A streamfeed connection. Rejects (like liblsl, which then reconnects) when the status is not
 * 200, the UID differs, or the test-pattern samples do not match the specification exactly.
 */
export class StreamInlet {
  private listeners = new Set<(s: InletSample) => void>();
  private queue: InletSample[] = [];
  private closedWith: Error | null = null;
  private ended = false;

  private constructor(
    readonly info: LslStreamInfo,
    private readonly socket: net.Socket,
    readonly byteOrder: 1234 | 4321,
    readonly responseHeaders: Readonly<Record<string, string>>,
  ) {}

  static open(info: LslStreamInfo, opts: OpenInletOptions = {}): Promise<StreamInlet> {
    const maxBuf = opts.maxBufferSamples ?? Math.round(360 * (info.nominalSrateHz > 0 ? info.nominalSrateHz : 100));
    const request = formatStreamfeedRequest({
      uid: info.uid,
      bigEndian: opts.bigEndian === true,
      valueBytes: info.channelFormat === 'string' ? 32 : valueBytes(info.channelFormat),
      maxBufferSamples: maxBuf,
      hostname: opts.hostname ?? '',
      sourceId: info.sourceId,
      sessionId: info.sessionId,
      supportsSubnormals: info.channelFormat !== 'string',
    });
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: info.v4address, port: info.v4dataPort });
      socket.setNoDelay(true);
      let head = Buffer.alloc(0);
      let inlet: StreamInlet | null = null;
      let decoder: SampleStreamDecoder | null = null;
      let patternsSeen = 0;
      const timeout = setTimeout(() => socket.destroy(new Error('LSL streamfeed: no answer')), opts.timeoutMs ?? 3000);
      const fail = (e: Error): void => {
        clearTimeout(timeout);
        socket.destroy();
        reject(e);
      };
      const onBody = (bytes: Uint8Array): void => {
        if (!decoder || !inlet) return;
        for (const s of decoder.next(bytes)) {
          if (patternsSeen < 2) {
            const expect = testPatternValues(info.channelFormat, info.channelCount, patternsSeen === 0 ? 4 : 2);
            const same = s.timestampS === TEST_PATTERN_TIMESTAMP_S && s.values.length === expect.length && s.values.every((v, k) => v === expect[k]);
            if (!same) return fail(new Error('The received test-pattern samples do not match the specification'));
            patternsSeen++;
            if (patternsSeen === 2) {
              clearTimeout(timeout);
              resolve(inlet);
            }
            continue;
          }
          inlet.deliver(s);
        }
      };
      socket.on('connect', () => socket.write(request));
      socket.on('error', (e) => (inlet && patternsSeen === 2 ? inlet.finish(e) : fail(e)));
      socket.on('close', () => {
        if (inlet && patternsSeen === 2) inlet.finish(null);
        else if (!inlet) {
          const text = head.toString('latin1').trim();
          fail(new Error(text ? `LSL streamfeed refused: ${text}` : 'LSL streamfeed closed without an answer'));
        } else fail(new Error('LSL streamfeed closed before the test patterns'));
      });
      socket.on('data', (chunk: Buffer) => {
        if (inlet) return onBody(chunk);
        head = Buffer.concat([head, chunk]);
        const r = parseStreamfeedResponse(head.toString('latin1'));
        if (!r) return;
        if (r.status !== 200) return; // the error line has no line end: reported on close
        if (r.headers['uid'] !== info.uid) return fail(new Error(`LSL streamfeed answered for uid ${r.headers['uid'] ?? '?'}`));
        const order = r.headers['byte-order'] === '4321' ? 4321 : 1234;
        inlet = new StreamInlet(info, socket, order, r.headers);
        decoder = new SampleStreamDecoder(info.channelFormat, info.channelCount, order === 1234, info.nominalSrateHz);
        const rest = head.subarray(r.consumed);
        head = Buffer.alloc(0);
        if (rest.length > 0) onBody(rest);
      });
    });
  }

  private deliver(s: InletSample): void {
    if (this.listeners.size > 0) for (const l of this.listeners) l(s);
    else this.queue.push(s);
  }

  private finish(e: Error | null): void {
    this.ended = true;
    this.closedWith = e;
    for (const l of [...this.listeners]) this.listeners.delete(l);
    this.endListeners.forEach((l) => l(e));
  }

  private endListeners = new Set<(e: Error | null) => void>();

  /** Calls back for every sample from now on (queued samples first). Returns an unsubscribe. */
  onSample(listener: (s: InletSample) => void): () => void {
    for (const s of this.queue.splice(0)) listener(s);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called once when the connection ends (error or outlet gone). */
  onEnd(listener: (e: Error | null) => void): () => void {
    if (this.ended) listener(this.closedWith);
    else this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  /** Waits for the next `n` samples. */
  pull(n: number, timeoutMs = 3000): Promise<InletSample[]> {
    return new Promise((resolve, reject) => {
      const got = this.queue.splice(0, n);
      if (got.length >= n) return resolve(got);
      if (this.ended) return reject(this.closedWith ?? new Error('LSL stream ended'));
      const t = setTimeout(() => {
        off();
        offEnd();
        reject(new Error(`LSL pull: ${got.length} of ${n} samples in ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.onSample((s) => {
        got.push(s);
        if (got.length >= n) {
          clearTimeout(t);
          off();
          offEnd();
          resolve(got);
        }
      });
      const offEnd = this.onEnd((e) => {
        clearTimeout(t);
        off();
        reject(e ?? new Error('LSL stream ended'));
      });
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
