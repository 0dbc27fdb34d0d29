/**
 * The LSL feature of the main process: Soothe's outlets (off until enabled), the session
 * publisher, raw PPG from the serial service, and the optional marker inlet whose markers are
 * recorded into the running session with time correction applied.
 *
 * Configuration like liblsl's: `lsl_api.cfg` from $LSLAPICFG, ./lsl_api.cfg,
 * ~/lsl_api/lsl_api.cfg or /etc/lsl_api/lsl_api.cfg (first readable wins; shared/lsl/api-config.ts),
 * then the caller's overrides (tests confine everything to 127.0.0.1 this way).
 *
 * Session time → LSL clock: session time 0 is placed on the LSL clock from the messages that
 * carry session time. Each bound is an upper bound (a message arrives after it was sent), so the
 * smallest one wins: `lsl:push` batches carry the sender's session time (precise to the transport
 * latency); a recording:start marks an upper bound for time 0; recorded events give looser ones.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { RecordEvent } from '../../../shared/ipc/contract';
import { DEFAULT_LSL_API_CONFIG, parseLslApiConfig, type LslApiConfig } from '../../../shared/lsl/api-config';
import type { LslPushBatch, LslStatus, LslStreamChoice, LslStreamPick } from '../../../shared/types/lsl';
import type { SerialSamplesBatch, SerialStatus } from '../../../shared/types/serial-ppg';
import { lslLocalClockS, type LslClock } from './clock';
import { resolveStreams, type UdpTarget } from './inlet';
import { MarkerSubscription, xpathLiteral } from './marker-subscription';
import { LslOutletHost } from './outlet-host';
import { SessionPublisher } from './session-publisher';
import { installId as defaultInstallId } from './soothe-streams';

/** The app's session flushes its events once a second: pacer samples wait this long for a late pacer change. */
export const APP_PACER_LAG_MS = 1500;
const PACER_TICK_MS = 100;
/** A better bound on session time 0 moves it only when it improves by more than this, s. */
export const ORIGIN_REFINE_MIN_S = 0.001;

/** Reads the first readable lsl_api.cfg in liblsl's search order; defaults when none. */
export function loadLslApiConfig(env: NodeJS.ProcessEnv = process.env): { config: LslApiConfig; file: string | null } {
  const candidates = [env['LSLAPICFG'], join(process.cwd(), 'lsl_api.cfg'), join(homedir(), 'lsl_api', 'lsl_api.cfg'), '/etc/lsl_api/lsl_api.cfg'].filter((p): p is string => !!p);
  for (const file of candidates) {
    try {
      return { config: parseLslApiConfig(readFileSync(file, 'utf8')), file };
    } catch {
      // not readable: try the next, as liblsl does
    }
  }
  return { config: DEFAULT_LSL_API_CONFIG, file: null };
}

/** Where discovery queries go for this config: the scope's IPv4 addresses at MulticastPort, and KnownPeers. */
export function discoveryTargets(c: LslApiConfig): { targets: UdpTarget[]; broadcast: boolean } {
  const v4 = c.addresses.filter((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a));
  // MulticastPort 0 (an ephemeral responder port, as in tests) is nothing to send to
  const targets: UdpTarget[] = c.multicastPort > 0 ? v4.map((address) => ({ address, port: c.multicastPort })) : [];
  for (const peer of c.knownPeers) {
    // liblsl: a peer's service ports basePort…basePort+portRange−1. Soothe also accepts `host:port`
    // for one exact port (a responder on a non-default port, as in the tests).
    const m = /^(.+):(\d+)$/.exec(peer);
    if (m && !peer.includes('::')) targets.push({ address: m[1] ?? '', port: Number(m[2]) });
    else for (let p = c.basePort; p < c.basePort + c.portRange; p++) targets.push({ address: peer, port: p });
  }
  return { targets, broadcast: v4.some((a) => a === '255.255.255.255' || a.endsWith('.255')) };
}

export interface LslServiceOptions {
  readonly version: string;
  /** Applied over lsl_api.cfg (or instead of it with `ignoreConfigFiles`). */
  readonly config?: Partial<LslApiConfig>;
  readonly ignoreConfigFiles?: boolean;
  readonly clock?: LslClock;
  readonly hostname?: string;
  readonly installId?: string;
  /** How far the pacer stream stays behind session time, ms (the app: APP_PACER_LAG_MS; CLI: 0). */
  readonly pacerLagMs?: number;
  onStatus?(status: LslStatus): void;
  /** Markers received from the picked inlet, as session events, for the session's recording. */
  onInletMarkers?(sessionId: string, events: RecordEvent[]): void;
}

export class LslService {
  private host: LslOutletHost | null = null;
  private publisher: SessionPublisher | null = null;
  private subscription: MarkerSubscription | null = null;
  private pick: LslStreamPick | null = null;
  private sessionId: string | null = null;
  private originS: number | null = null;
  private pacerTimer: NodeJS.Timeout | undefined;
  private serialPath = '';
  private message = 'LSL is off.';
  private unavailable = false;
  private readonly clock: LslClock;
  private readonly installId: string;
  readonly config: LslApiConfig;
  readonly configFile: string | null;

  constructor(private readonly o: LslServiceOptions) {
    this.clock = o.clock ?? lslLocalClockS;
    this.installId = o.installId ?? defaultInstallId();
    const base = o.ignoreConfigFiles ? { config: DEFAULT_LSL_API_CONFIG, file: null } : loadLslApiConfig();
    this.config = { ...base.config, ...(o.config ?? {}) };
    this.configFile = base.file;
  }

  get enabled(): boolean {
    return this.host !== null;
  }

  status(): LslStatus {
    const outlets = this.publisher?.list() ?? [];
    return {
      enabled: this.host !== null,
      state: this.host ? 'on' : this.unavailable ? 'unavailable' : 'off',
      message: this.message,
      discoveryPort: this.host?.discoveryPort ?? null,
      streams: outlets.map((x) => ({ name: x.info.name, type: x.info.type, sourceId: x.info.sourceId, channels: x.info.channelCount, nominalSrateHz: x.info.nominalSrateHz, consumers: x.consumerCount, samples: x.samplesPushed })),
      inlet: this.pick
        ? { pick: this.pick, state: this.subscription?.state ?? 'stopped', markers: this.subscription?.markers ?? 0, correctionS: this.subscription?.timeCorrectionS ?? null }
        : null,
    };
  }

  private emit(): void {
    this.o.onStatus?.(this.status());
  }

  /** Starts or stops Soothe's outlets (and the marker inlet, if one is picked). */
  async enable(on: boolean): Promise<LslStatus> {
    if (on && !this.host) {
      try {
        this.host = await LslOutletHost.start({ config: this.config, clock: this.clock, hostname: this.o.hostname });
      } catch (e) {
        this.unavailable = true;
        this.message = `LSL could not start: ${(e as Error).message} (is the discovery port ${this.config.multicastPort} blocked?).`;
        this.emit();
        return this.status();
      }
      this.unavailable = false;
      this.publisher = new SessionPublisher(this.host, { installId: this.installId, version: this.o.version }, this.clock, this.originS ?? this.clock());
      await this.publisher.open();
      this.pacerTimer = setInterval(() => this.tickPacer(), PACER_TICK_MS);
      this.message = `Soothe's streams are on the network (discovery on UDP ${this.host.discoveryPort}${this.configFile ? `, config ${this.configFile}` : ''}).`;
      if (this.pick) this.startInlet(this.pick);
    } else if (!on && this.host) {
      clearInterval(this.pacerTimer);
      this.subscription?.stop();
      this.subscription = null;
      await this.publisher?.close();
      await this.host.close();
      this.publisher = null;
      this.host = null;
      this.message = 'LSL is off.';
    }
    this.emit();
    return this.status();
  }

  private tickPacer(): void {
    if (!this.publisher || this.originS === null) return;
    this.publisher.advancePacer((this.clock() - this.originS) * 1000 - (this.o.pacerLagMs ?? APP_PACER_LAG_MS));
  }

  /** The LSL clock, s. */
  now(): number {
    return this.clock();
  }

  /** A new session: at LSL time `atS` its session time was at least `sessionNowMs`. */
  startSession(sessionId: string, sessionNowMs = 0, atS: number = this.clock()): void {
    this.sessionId = sessionId;
    this.originS = atS - sessionNowMs / 1000;
    this.publisher?.resetSession(this.originS);
  }

  private refineOrigin(sessionId: string, sessionNowMs: number): void {
    const bound = this.clock() - sessionNowMs / 1000;
    if (this.sessionId !== sessionId || this.originS === null) return this.startSession(sessionId, sessionNowMs);
    // Small improvements are ignored so that regular streams (pacer, PPG) keep an even spacing;
    // the origin is then right to within ORIGIN_REFINE_MIN_S.
    if (bound < this.originS - ORIGIN_REFINE_MIN_S) {
      this.originS = bound;
      if (this.publisher) this.publisher.sessionOriginS = bound;
    }
  }

  /** Session events as recorded (recording:append): published with their data times. */
  sessionEvents(sessionId: string, events: readonly RecordEvent[]): void {
    if (events.length === 0) return;
    // every event happened before now: the latest one bounds time 0 from above
    this.refineOrigin(sessionId, Math.max(...events.map((e) => e.tMs)));
    this.publisher?.publish(events);
  }

  /** `lsl:push`: a batch from the renderer with its session time at sending. */
  push(batch: LslPushBatch): { accepted: number } {
    if (typeof batch?.sessionId !== 'string' || !Number.isFinite(batch.nowMs) || !Array.isArray(batch.events)) throw new Error('lsl:push needs sessionId, nowMs and events');
    this.refineOrigin(batch.sessionId, batch.nowMs);
    const events = batch.events.filter((e) => e && typeof e.kind === 'string' && Number.isFinite(e.tMs) && typeof e.data === 'object' && e.data !== null);
    this.publisher?.publish(events);
    return { accepted: this.publisher ? events.length : 0 };
  }

  /** Main → renderer events of the serial service: raw PPG becomes the SoothePPG stream while a sensor runs. */
  onSerialEvent(channel: string, payload: unknown): void {
    if (channel === 'serial:status') {
      const st = payload as SerialStatus;
      this.serialPath = st.path;
      if (st.state === 'closed' || st.state === 'error') void this.publisher?.stopPpg().then(() => this.emit());
    } else if (channel === 'serial:samples') {
      this.publisher?.pushPpg(payload as SerialSamplesBatch, this.serialPath || 'serial');
    }
  }

  /** Marker streams on the network (not Soothe's own), for the picker. */
  async listMarkerStreams(timeoutMs = 1500): Promise<LslStreamChoice[]> {
    const { targets, broadcast } = discoveryTargets(this.config);
    const found = await resolveStreams({ query: `session_id=${xpathLiteral(this.config.sessionId)} and type='Markers'`, targets, broadcast, bindAddress: this.config.listenAddress, timeoutMs });
    return found
      .filter((s) => !s.sourceId.startsWith(`soothe-${this.installId}-`))
      .map((s) => ({ name: s.name, sourceId: s.sourceId, type: s.type, hostname: s.hostname, channelCount: s.channelCount }));
  }

  /** Follows a marker stream (null stops following). Runs while LSL is enabled. */
  subscribe(pick: LslStreamPick | null): LslStatus {
    this.subscription?.stop();
    this.subscription = null;
    this.pick = pick && typeof pick.name === 'string' && pick.name ? { name: pick.name, sourceId: typeof pick.sourceId === 'string' ? pick.sourceId : '' } : null;
    if (this.pick && this.host) this.startInlet(this.pick);
    this.emit();
    return this.status();
  }

  private startInlet(pick: LslStreamPick): void {
    const { targets, broadcast } = discoveryTargets(this.config);
    this.subscription = new MarkerSubscription({
      pick,
      sessionId: this.config.sessionId,
      targets,
      broadcast,
      bindAddress: this.config.listenAddress,
      clock: this.clock,
      onState: () => this.emit(),
      onMarker: (m) => {
        if (this.sessionId === null || this.originS === null) return; // no session to record into yet
        const tMs = (m.localTimeS - this.originS) * 1000;
        this.o.onInletMarkers?.(this.sessionId, [
          { kind: 'lsl-marker', tMs, data: { text: m.text, stream: pick.name, sourceId: pick.sourceId, remoteTimeS: m.remoteTimeS, correctionS: m.correctionS, lslTimeS: m.localTimeS } },
        ]);
      },
    });
  }

  async dispose(): Promise<void> {
    await this.enable(false);
  }
}

/**
 * LSL for a headless session (`soothe record --lsl`): outlets on, session time 0 = now, and one
 * line per stream for the terminal. lsl_api.cfg applies as in the app.
 */
export async function startHeadlessLsl(sessionId: string, version: string, config?: Partial<LslApiConfig>): Promise<{ lsl: LslService; lines: string[] }> {
  const lsl = new LslService({ version, config, pacerLagMs: 200 });
  lsl.startSession(sessionId, 0);
  const st = await lsl.enable(true);
  if (!st.enabled) throw new Error(st.message);
  const lines = [`LSL: discovery on UDP ${st.discoveryPort}${lsl.configFile ? ` (config ${lsl.configFile})` : ''}; streams:`];
  for (const s of st.streams) lines.push(`  ${s.name} (${s.type}, ${s.channels} ch, ${s.nominalSrateHz ? `${s.nominalSrateHz} Hz` : 'irregular'}, source_id ${s.sourceId})`);
  return { lsl, lines };
}
