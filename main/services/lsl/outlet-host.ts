/**
 * LSL outlets in plain Node (no liblsl): one shared discovery responder for all of Soothe's
 * streams, and per stream a TCP data server and a UDP service socket.
 *
 *   UDP multicastPort (16571)   `LSL:shortinfo` queries (unicast, broadcast, multicast groups of
 *                               the configured scope) → one reply per matching stream
 *   UDP service port (per stream, first free from basePort)   `LSL:timedata` + `LSL:shortinfo`
 *   TCP data port (per stream)  `LSL:fullinfo`, `LSL:shortinfo`, `LSL:streamfeed/110`
 *
 * Why one responder: unicast to 127.0.0.1:16571 reaches only one of several sockets bound with
 * SO_REUSEADDR (verified against liblsl, notes §4.6), so one socket must answer for every stream.
 * Protocol: ../shared/notes/lsl-protocol.md; byte formats in shared/lsl/. Legacy protocol 1.00
 * streamfeeds are served too (float32, double64 and string streams: Soothe's formats).
 */
import { randomUUID } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import os from 'node:os';
import { DEFAULT_LSL_API_CONFIG, ipv4MulticastGroups, type LslApiConfig } from '../../../shared/lsl/api-config';
import { answerStreamfeed, formatDiscoveryReply, formatTimedataReply, parseDiscoveryQuery, parseTcpRequest, parseTimedataRequest } from '../../../shared/lsl/messages';
import { encodeSample, encodeSampleV100, encodeTestPatterns, encodeTestPatternsV100, encodeV100Header, v100Supported, type LslValue } from '../../../shared/lsl/sample-codec';
import { buildInfoXml, type LslChannelFormat, type LslStreamInfo, type LslXmlElement } from '../../../shared/lsl/stream-info';
import { lslLocalClockS, type LslClock } from './clock';
import { QueryMatcher } from './query-matcher';

/** A request that does not complete within this many bytes is dropped (liblsl reads lines of bounded size). */
const MAX_REQUEST_BYTES = 64 * 1024;

export interface OutletSpec {
  readonly name: string;
  readonly type: string;
  readonly channelCount: number;
  readonly channelFormat: LslChannelFormat;
  readonly sourceId: string;
  /** Hz; 0 = irregular. */
  readonly nominalSrateHz: number;
  readonly desc: readonly LslXmlElement[];
}

export interface OutletHostOptions {
  readonly config?: Partial<LslApiConfig>;
  readonly clock?: LslClock;
  readonly hostname?: string;
  /** Diagnostics (never console in library code). */
  readonly onLog?: (message: string) => void;
}

export interface OutletHostStats {
  readonly queries: number;
  readonly replies: number;
  readonly timeProbes: number;
  /** Groups joined, as `group@interface`, and the ones that failed. */
  readonly joined: readonly string[];
  readonly joinFailed: readonly string[];
}

/** How a consumer wants its samples: protocol 1.10 in either byte order, or the legacy 1.00 archive. */
type SampleEncoding = 'le' | 'be' | 'v100';

interface Consumer {
  readonly socket: net.Socket;
  readonly encoding: SampleEncoding;
  readonly maxBufferSamples: number;
  blocked: boolean;
  pending: Buffer[];
  dropped: number;
}

/** One stream: push samples, see how many inlets read it. */
export class LslOutlet {
  readonly info: LslStreamInfo;
  readonly fullInfoXml: string;
  readonly shortInfoXml: string;
  private readonly matcher: QueryMatcher;
  private readonly consumers = new Set<Consumer>();
  private readonly sockets = new Set<net.Socket>();
  private pushed = 0;
  private closed = false;

  /** @internal created by LslOutletHost.createOutlet */
  constructor(
    spec: OutletSpec,
    base: { uid: string; createdAtS: number; sessionId: string; hostname: string; dataPort: number; servicePort: number },
    private readonly server: net.Server,
    private readonly service: dgram.Socket,
    private readonly clock: LslClock,
    private readonly host: LslOutletHost,
  ) {
    this.info = {
      name: spec.name,
      type: spec.type,
      channelCount: spec.channelCount,
      channelFormat: spec.channelFormat,
      sourceId: spec.sourceId,
      nominalSrateHz: spec.nominalSrateHz,
      createdAtS: base.createdAtS,
      uid: base.uid,
      sessionId: base.sessionId,
      hostname: base.hostname,
      v4address: '',
      v4dataPort: base.dataPort,
      v4servicePort: base.servicePort,
      v6address: '',
      v6dataPort: 0,
      v6servicePort: 0,
      desc: spec.desc,
    };
    this.fullInfoXml = buildInfoXml(this.info, true);
    this.shortInfoXml = buildInfoXml(this.info, false);
    this.matcher = new QueryMatcher(this.fullInfoXml);
    server.on('connection', (s) => this.onConnection(s));
    service.on('message', (msg, rinfo) => this.onServiceMessage(msg, rinfo));
  }

  /** True when the query (XPath 1.0 on the full info) selects this stream. */
  matches(query: string): boolean {
    return this.matcher.matches(query);
  }

  /** Inlets currently reading samples. */
  get consumerCount(): number {
    return this.consumers.size;
  }

  get samplesPushed(): number {
    return this.pushed;
  }

  /** Samples dropped because an inlet read slower than Soothe pushed (its queue was full). */
  get samplesDropped(): number {
    let n = 0;
    for (const c of this.consumers) n += c.dropped;
    return n;
  }

  /**
   * Sends one sample to every connected inlet (an LSL outlet keeps no history: without inlets
   * the sample is dropped, as liblsl does).
   * @param timestampS LSL clock, s: the time the value happened (beat time, marker time), not the send time.
   */
  push(values: readonly LslValue[], timestampS: number = this.clock()): void {
    this.pushChunk([{ values, timestampS }]);
  }

  /** Several samples in one write per inlet, each with its explicit timestamp (tag 2). */
  pushChunk(samples: readonly { readonly values: readonly LslValue[]; readonly timestampS: number }[]): void {
    if (this.closed || samples.length === 0) return;
    if (samples.some((s) => s.values.length !== this.info.channelCount)) throw new Error(`${this.info.name}: every sample needs ${this.info.channelCount} value(s)`);
    this.pushed += samples.length;
    if (this.consumers.size === 0) return;
    // each encoding is made once per push, whatever the number of inlets using it
    const encoded = new Map<SampleEncoding, Buffer[]>();
    const f = this.info.channelFormat;
    for (const c of this.consumers) {
      let parts = encoded.get(c.encoding);
      if (!parts) {
        parts = samples.map((s) =>
          Buffer.from((c.encoding === 'v100' ? encodeSampleV100(f, s.timestampS, s.values) : encodeSample(f, s.timestampS, s.values, c.encoding === 'le')).buffer),
        );
        encoded.set(c.encoding, parts);
      }
      this.send(c, parts);
    }
  }

  private send(c: Consumer, parts: readonly Buffer[]): void {
    if (c.socket.destroyed) return;
    if (!c.blocked) {
      if (!c.socket.write(parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts))) {
        c.blocked = true;
        c.socket.once('drain', () => this.flush(c));
      }
      return;
    }
    // The inlet is slow: keep at most its Max-Buffer-Length samples, dropping the oldest (consumer_queue.h).
    c.pending.push(...parts);
    const over = c.pending.length - c.maxBufferSamples;
    if (over > 0) {
      c.pending.splice(0, over);
      c.dropped += over;
    }
  }

  private flush(c: Consumer): void {
    c.blocked = false;
    if (c.pending.length === 0 || c.socket.destroyed) return;
    const all = Buffer.concat(c.pending);
    c.pending = [];
    if (!c.socket.write(all)) {
      c.blocked = true;
      c.socket.once('drain', () => this.flush(c));
    }
  }

  private onConnection(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    let text = '';
    let handled = false;
    socket.on('error', () => undefined); // inlets close abruptly (FIN then RST): not our error
    socket.on('close', () => {
      this.sockets.delete(socket);
      for (const c of this.consumers) if (c.socket === socket) this.consumers.delete(c);
    });
    socket.on('data', (chunk: Buffer) => {
      if (handled) return; // inlets send nothing after their request
      text += chunk.toString('latin1');
      const r = parseTcpRequest(text);
      if (!r) {
        if (text.length > MAX_REQUEST_BYTES) socket.destroy();
        return;
      }
      handled = true;
      const req = r.request;
      switch (req.kind) {
        case 'fullinfo':
          socket.end(Buffer.from(this.fullInfoXml, 'utf8'));
          return;
        case 'shortinfo':
          if (this.matches(Buffer.from(req.query, 'latin1').toString('utf8'))) socket.end(Buffer.from(this.shortInfoXml, 'utf8'));
          else socket.end(); // not matching: close without data (captured)
          return;
        case 'streamfeed': {
          const a = answerStreamfeed(req, this.info);
          const head = Buffer.from(a.header, 'latin1');
          const body = a.testPatterns ? Buffer.from(encodeTestPatterns(this.info.channelFormat, this.info.channelCount, a.littleEndian).buffer) : Buffer.alloc(0);
          if (a.close) {
            socket.end(Buffer.concat([head, body]));
            return;
          }
          socket.write(Buffer.concat([head, body]));
          this.consumers.add({ socket, encoding: a.littleEndian ? 'le' : 'be', maxBufferSamples: a.maxBufferSamples, blocked: false, pending: [], dropped: 0 });
          return;
        }
        case 'streamfeed100': {
          // legacy inlets (liblsl < 1.10, or UseProtocolVersion = 100): no status line, the archive header, test patterns
          if (!v100Supported(this.info.channelFormat)) return void socket.destroy();
          const f = this.info.channelFormat;
          const first = Buffer.concat([Buffer.from(encodeV100Header(this.shortInfoXml).buffer), Buffer.from(encodeTestPatternsV100(f, this.info.channelCount).buffer)]);
          if (req.maxBufferSamples <= 0) return void socket.end(first);
          socket.write(first);
          this.consumers.add({ socket, encoding: 'v100', maxBufferSamples: req.maxBufferSamples, blocked: false, pending: [], dropped: 0 });
          return;
        }
        default:
          socket.destroy();
      }
    });
  }

  private onServiceMessage(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const t1S = this.clock();
    const text = msg.toString('utf8');
    const probe = parseTimedataRequest(text);
    if (probe) {
      this.host.countTimeProbe();
      const reply = formatTimedataReply(probe.waveId, probe.t0S, t1S, this.clock());
      this.service.send(reply, rinfo.port, rinfo.address);
      return;
    }
    // Unicast discovery (liblsl's KnownPeers) also arrives here.
    const q = parseDiscoveryQuery(text);
    if (q && this.matches(q.query)) this.service.send(formatDiscoveryReply(q.queryId, this.shortInfoXml), q.returnPort, rinfo.address);
  }

  /** Stops serving this stream: closes its inlets' connections and its sockets. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.sockets) s.destroy();
    this.consumers.clear();
    await new Promise<void>((res) => this.server.close(() => res()));
    await new Promise<void>((res) => this.service.close(() => res()));
  }
}

/** All of Soothe's outlets behind one discovery responder. */
export class LslOutletHost {
  readonly config: LslApiConfig;
  private readonly clock: LslClock;
  private readonly hostname: string;
  private readonly log: (m: string) => void;
  private readonly outlets = new Set<LslOutlet>();
  private discovery: dgram.Socket | null = null;
  private stats = { queries: 0, replies: 0, timeProbes: 0, joined: [] as string[], joinFailed: [] as string[] };

  private constructor(opts: OutletHostOptions) {
    this.config = { ...DEFAULT_LSL_API_CONFIG, ...(opts.config ?? {}) };
    this.clock = opts.clock ?? lslLocalClockS;
    this.hostname = opts.hostname ?? os.hostname();
    this.log = opts.onLog ?? (() => undefined);
  }

  /** Binds the discovery responder (UDP multicastPort) and joins the scope's multicast groups. */
  static async start(opts: OutletHostOptions = {}): Promise<LslOutletHost> {
    const host = new LslOutletHost(opts);
    await host.bindDiscovery();
    return host;
  }

  get discoveryPort(): number {
    return this.discovery?.address().port ?? 0;
  }

  get counters(): OutletHostStats {
    return { ...this.stats, joined: [...this.stats.joined], joinFailed: [...this.stats.joinFailed] };
  }

  /** @internal */
  countTimeProbe(): void {
    this.stats.timeProbes++;
  }

  list(): LslOutlet[] {
    return [...this.outlets];
  }

  private async bindDiscovery(): Promise<void> {
    const sock = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    await new Promise<void>((resolve, reject) => {
      sock.once('error', reject);
      sock.bind({ port: this.config.multicastPort, address: this.config.listenAddress }, () => {
        sock.off('error', reject);
        resolve();
      });
    });
    sock.on('error', (e) => this.log(`LSL discovery socket: ${e.message}`));
    try {
      sock.setBroadcast(true);
    } catch {
      // only needed to reply to broadcast senders on some systems
    }
    for (const group of ipv4MulticastGroups(this.config.addresses)) {
      for (const iface of this.interfaceAddresses()) {
        try {
          sock.addMembership(group, iface);
          this.stats.joined.push(`${group}@${iface}`);
        } catch (e) {
          // e.g. an interface without the MULTICAST flag (often lo): discovery still works by unicast/broadcast
          this.stats.joinFailed.push(`${group}@${iface}`);
          this.log(`LSL: could not join ${group} on ${iface}: ${(e as Error).message}`);
        }
      }
    }
    sock.on('message', (msg, rinfo) => this.onQuery(msg, rinfo));
    this.discovery = sock;
  }

  /** The IPv4 addresses to join groups on: the configured interfaces, else every IPv4 interface. */
  private interfaceAddresses(): string[] {
    if (this.config.interfaces.length > 0) return [...this.config.interfaces];
    const out: string[] = [];
    for (const list of Object.values(os.networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4') out.push(a.address);
    return out;
  }

  private onQuery(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const q = parseDiscoveryQuery(msg.toString('utf8'));
    if (!q || !this.discovery) return;
    this.stats.queries++;
    for (const o of this.outlets) {
      if (!o.matches(q.query)) continue;
      this.stats.replies++;
      // To the query's source address and the *given* return port, from this socket (notes §4.4).
      this.discovery.send(formatDiscoveryReply(q.queryId, o.shortInfoXml), q.returnPort, rinfo.address, (e) => {
        if (e) this.log(`LSL reply to ${rinfo.address}:${q.returnPort}: ${e.message}`);
      });
    }
  }

  /** Creates a stream: its TCP server and UDP service socket on the first free port pair from basePort. */
  async createOutlet(spec: OutletSpec): Promise<LslOutlet> {
    if (!spec.name) throw new Error('an LSL stream needs a name');
    if (!(spec.channelCount >= 1)) throw new Error('an LSL stream needs at least one channel');
    const { server, service } = await this.bindPortPair();
    const dataPort = (server.address() as net.AddressInfo).port;
    const servicePort = service.address().port;
    const createdAtS = this.clock();
    const outlet = new LslOutlet(
      spec,
      { uid: randomUUID(), createdAtS: createdAtS === 0 ? Number.MIN_VALUE : createdAtS, sessionId: this.config.sessionId, hostname: this.hostname, dataPort, servicePort },
      server,
      service,
      this.clock,
      this,
    );
    this.outlets.add(outlet);
    return outlet;
  }

  async removeOutlet(outlet: LslOutlet): Promise<void> {
    this.outlets.delete(outlet);
    await outlet.close();
  }

  private async bindPortPair(): Promise<{ server: net.Server; service: dgram.Socket }> {
    const addr = this.config.listenAddress;
    if (this.config.basePort > 0) {
      for (let p = this.config.basePort; p < this.config.basePort + this.config.portRange && p <= 65535; p++) {
        const server = await listenTcp(addr, p).catch(() => null);
        if (!server) continue;
        const service = await bindUdp(addr, p).catch(() => null);
        if (service) return { server, service };
        await new Promise<void>((r) => server.close(() => r()));
      }
      this.log(`LSL: ports ${this.config.basePort}…${this.config.basePort + this.config.portRange - 1} busy; using free ports`);
    }
    return { server: await listenTcp(addr, 0), service: await bindUdp(addr, 0) };
  }

  /** Closes every stream and the responder. */
  async close(): Promise<void> {
    for (const o of [...this.outlets]) await this.removeOutlet(o);
    const d = this.discovery;
    this.discovery = null;
    if (d) await new Promise<void>((r) => d.close(() => r()));
  }
}

function listenTcp(address: string, port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port, host: address, exclusive: true }, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

function bindUdp(address: string, port: number): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket({ type: 'udp4' });
    s.once('error', (e) => {
      s.close();
      reject(e);
    });
    s.bind({ port, address, exclusive: true }, () => {
      s.removeAllListeners('error');
      s.on('error', () => undefined);
      resolve(s);
    });
  });
}
