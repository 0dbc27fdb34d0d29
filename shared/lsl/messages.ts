/**
 * LSL protocol 1.10 text messages: discovery queries and replies (UDP), time-sync probes (UDP),
 * and the TCP request/response headers, with the outlet's decisions made as liblsl makes them.
 *
 * Sources: liblsl 1.17 `src/resolve_attempt_udp.cpp`, `src/udp_server.cpp`, `src/tcp_server.cpp`,
 * `src/data_receiver.cpp`, `src/time_receiver.cpp`; ../shared/notes/lsl-protocol.md §4, §6, §7.
 * Each format is checked against ../shared/datasets/lsl-captures/ in tests/shared/lsl/.
 */
import { formatLslG16, LSL_PROTOCOL_VERSION, type LslChannelFormat } from './stream-info';

const CRLF = '\r\n';

// ---------------------------------------------------------------------------------------------
// Discovery (UDP 16571 + the service ports)

export interface DiscoveryQuery {
  /** XPath 1.0 predicate, evaluated as a boolean on the stream's `<info>`; '' = every stream. */
  readonly query: string;
  /** UDP port on the querying host that receives the replies. */
  readonly returnPort: number;
  /** Opaque id echoed in the reply (liblsl: std::hash of the query, decimal). */
  readonly queryId: string;
}

/** `LSL:shortinfo\r\n<query>\r\n<return-port> <query-id>\r\n`; null when not a shortinfo query. */
export function parseDiscoveryQuery(text: string): DiscoveryQuery | null {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if ((lines[0] ?? '').trim() !== 'LSL:shortinfo') return null;
  const query = (lines[1] ?? '').trim();
  const [portText = '', queryId = ''] = (lines[2] ?? '').trim().split(/\s+/);
  const returnPort = Number(portText);
  if (!Number.isInteger(returnPort) || returnPort <= 0 || returnPort > 65535 || !queryId) return null;
  return { query, returnPort, queryId };
}

export function formatDiscoveryQuery(q: DiscoveryQuery): string {
  return `LSL:shortinfo${CRLF}${q.query}${CRLF}${q.returnPort} ${q.queryId}${CRLF}`;
}

/** The reply datagram: `<query-id>\r\n<shortinfo XML>`. */
export function formatDiscoveryReply(queryId: string, shortinfoXml: string): string {
  return `${queryId}${CRLF}${shortinfoXml}`;
}

export function parseDiscoveryReply(text: string): { queryId: string; xml: string } | null {
  const i = text.indexOf(CRLF);
  if (i <= 0) return null;
  return { queryId: text.slice(0, i).trim(), xml: text.slice(i + 2) };
}

/**
 * A query id for our own inlet: FNV-1a 64-bit of the query, decimal (liblsl uses std::hash,
 * which is implementation-defined; outlets echo it verbatim, so any stable number works).
 */
export function queryIdOf(query: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < query.length; i++) {
    h ^= BigInt(query.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(10);
}

// ---------------------------------------------------------------------------------------------
// Time synchronisation (UDP, the outlet's service port)

export interface TimedataRequest {
  readonly waveId: string;
  /** Inlet clock when sent, s. */
  readonly t0S: number;
}

/** `LSL:timedata\r\n<wave_id> <t0>\r\n`; null when not a timedata request. */
export function parseTimedataRequest(text: string): TimedataRequest | null {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if ((lines[0] ?? '').trim() !== 'LSL:timedata') return null;
  const [waveId = '', t0 = ''] = (lines[1] ?? '').trim().split(/\s+/);
  const t0S = Number(t0);
  if (!/^\d+$/.test(waveId) || t0 === '' || !Number.isFinite(t0S)) return null;
  return { waveId, t0S };
}

export function formatTimedataRequest(r: TimedataRequest): string {
  return `LSL:timedata${CRLF}${r.waveId} ${formatLslG16(r.t0S)}${CRLF}`;
}

/** ` <wave_id> <t0> <t1> <t2>`: leading space, no line end, `%.16g` numbers (t1 on receipt, t2 on reply). */
export function formatTimedataReply(waveId: string, t0S: number, t1S: number, t2S: number): string {
  return ` ${waveId} ${formatLslG16(t0S)} ${formatLslG16(t1S)} ${formatLslG16(t2S)}`;
}

export function parseTimedataReply(text: string): { waveId: string; t0S: number; t1S: number; t2S: number } | null {
  const p = text.trim().split(/\s+/);
  if (p.length !== 4) return null;
  const [waveId = '', a, b, c] = p;
  const t0S = Number(a);
  const t1S = Number(b);
  const t2S = Number(c);
  if (![t0S, t1S, t2S].every(Number.isFinite)) return null;
  return { waveId, t0S, t1S, t2S };
}

export interface TimeProbe {
  readonly t0S: number;
  readonly t1S: number;
  readonly t2S: number;
  /** Inlet clock when the reply arrived, s. */
  readonly t3S: number;
}

/**
 * liblsl's time correction (`time_receiver.cpp`, NTP-style): per probe rtt = (t3 − t0) − (t2 − t1)
 * and offset = ((t1 − t0) + (t2 − t3)) / 2; the probe with the smallest rtt wins. Returns the value
 * to ADD to the outlet's timestamps to get the inlet's clock (= −offset), with that rtt.
 */
export function estimateTimeCorrection(probes: readonly TimeProbe[]): { correctionS: number; rttS: number } | null {
  let best: { correctionS: number; rttS: number } | null = null;
  for (const p of probes) {
    const rttS = p.t3S - p.t0S - (p.t2S - p.t1S);
    const offsetS = (p.t1S - p.t0S + (p.t2S - p.t3S)) / 2;
    if (!best || rttS < best.rttS) best = { correctionS: -offsetS, rttS };
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// TCP data connection

export type TcpRequest =
  | { readonly kind: 'fullinfo' }
  | { readonly kind: 'shortinfo'; readonly query: string }
  | { readonly kind: 'streamfeed'; readonly version: number; readonly uid: string; readonly headers: Readonly<Record<string, string>> }
  | { readonly kind: 'streamfeed100'; readonly maxBufferSamples: number; readonly maxChunkSamples: number }
  | { readonly kind: 'unknown'; readonly line: string };

/**
 * Parses a complete TCP request, or returns null while more bytes are needed (requests can be
 * split across reads). fullinfo needs its first line, shortinfo and protocol 1.00 their second,
 * streamfeed/1.10 its empty line after the headers.
 */
export function parseTcpRequest(text: string): { request: TcpRequest; consumed: number } | null {
  const eol = text.indexOf('\n');
  if (eol < 0) return null;
  const first = text.slice(0, eol).trim();
  if (first === 'LSL:fullinfo') return { request: { kind: 'fullinfo' }, consumed: eol + 1 };
  if (first === 'LSL:shortinfo') {
    const eol2 = text.indexOf('\n', eol + 1);
    if (eol2 < 0) return null;
    return { request: { kind: 'shortinfo', query: text.slice(eol + 1, eol2).trim() }, consumed: eol2 + 1 };
  }
  if (first === 'LSL:streamfeed') {
    // protocol 1.00: `LSL:streamfeed\r\n<max_buflen> <max_chunklen>\r\n`
    const eol2 = text.indexOf('\n', eol + 1);
    if (eol2 < 0) return null;
    const [buf = '', chunk = ''] = text.slice(eol + 1, eol2).trim().split(/\s+/);
    const num = (x: string): number => (/^-?\d+$/.test(x) ? Number(x) : 0);
    return { request: { kind: 'streamfeed100', maxBufferSamples: num(buf), maxChunkSamples: num(chunk) }, consumed: eol2 + 1 };
  }
  const m = /^LSL:streamfeed\/(\d+)(?:\s+(\S*))?$/.exec(first);
  if (!m) return { request: { kind: 'unknown', line: first }, consumed: eol + 1 };
  const end = text.search(/\r?\n\r?\n/);
  if (end < 0) return null;
  const endLen = (/\r?\n\r?\n/.exec(text.slice(end)) ?? [''])[0].length;
  return { request: { kind: 'streamfeed', version: Number(m[1]), uid: m[2] ?? '', headers: parseHeaderLines(text.slice(eol + 1, end)) }, consumed: end + endLen };
}

/** Header lines as liblsl reads them: key before the first ':', ';' starts a comment, lower-cased, trimmed. */
export function parseHeaderLines(block: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of block.split('\n')) {
    const line = raw.replace(/\r$/, '').split(';')[0] ?? '';
    const c = line.indexOf(':');
    if (c < 0) continue;
    const key = line.slice(0, c).trim().toLowerCase();
    if (key) out[key] = line.slice(c + 1).trim().toLowerCase();
  }
  return out;
}

export interface StreamfeedAnswer {
  /** Bytes to send: error line, or status + headers + blank line. */
  readonly header: string;
  /** true: after the header (and test patterns) close the connection. */
  readonly close: boolean;
  /** true: send both test patterns after the header. */
  readonly testPatterns: boolean;
  readonly littleEndian: boolean;
  /** Consumer queue length, samples (0 = none: stop after the test patterns). */
  readonly maxBufferSamples: number;
}

/**
 * The outlet's decisions for `LSL:streamfeed/<v> <uid>` (tcp_server.cpp, in this order):
 * a newer major version → 505; another uid → 404 (both without line end, then close); protocol
 * min(110, client's); byte order: the client's own when it is big-endian (a conversion costs this
 * outlet nothing, so it always "wins" liblsl's endian benchmark), else little-endian;
 * Suppress-Subnormals 1 only for float formats and a client without subnormals.
 */
export function answerStreamfeed(req: { version: number; uid: string; headers: Readonly<Record<string, string>> }, own: { uid: string; channelFormat: LslChannelFormat }): StreamfeedAnswer {
  const refuse = (header: string): StreamfeedAnswer => ({ header, close: true, testPatterns: false, littleEndian: true, maxBufferSamples: 0 });
  if (Math.floor(req.version / 100) > Math.floor(LSL_PROTOCOL_VERSION / 100)) return refuse(`LSL/${LSL_PROTOCOL_VERSION} 505 Version not supported`);
  if (req.uid !== '' && req.uid !== own.uid) return refuse(`LSL/${LSL_PROTOCOL_VERSION} 404 Not found`);
  const h = req.headers;
  const clientProtocol = Number(h['data-protocol-version'] ?? LSL_PROTOCOL_VERSION);
  if (Number.isFinite(clientProtocol) && clientProtocol < 110) return refuse(`LSL/${LSL_PROTOCOL_VERSION} 505 Version not supported`);
  const bigEndianClient = h['native-byte-order'] === '4321';
  const littleEndian = !(bigEndianClient && own.channelFormat !== 'int8');
  const float = own.channelFormat === 'float32' || own.channelFormat === 'double64';
  const suppress = float && h['supports-subnormals'] === '0' ? 1 : 0;
  const maxBuf = Number(h['max-buffer-length'] ?? 0);
  const maxBufferSamples = Number.isFinite(maxBuf) && maxBuf > 0 ? Math.floor(maxBuf) : 0;
  const header =
    `LSL/${LSL_PROTOCOL_VERSION} 200 OK${CRLF}` +
    `UID: ${own.uid}${CRLF}` +
    `Byte-Order: ${littleEndian ? 1234 : 4321}${CRLF}` +
    `Suppress-Subnormals: ${suppress}${CRLF}` +
    `Data-Protocol-Version: ${Math.min(LSL_PROTOCOL_VERSION, Number.isFinite(clientProtocol) ? clientProtocol : LSL_PROTOCOL_VERSION)}${CRLF}` +
    CRLF;
  return { header, close: maxBufferSamples === 0, testPatterns: true, littleEndian, maxBufferSamples };
}

/** The inlet's streamfeed request (data_receiver.cpp), as liblsl 1.17 writes it. */
export function formatStreamfeedRequest(o: {
  uid: string;
  bigEndian: boolean;
  valueBytes: number;
  maxBufferSamples: number;
  hostname: string;
  sourceId: string;
  sessionId: string;
  supportsSubnormals?: boolean;
}): string {
  return (
    `LSL:streamfeed/${LSL_PROTOCOL_VERSION} ${o.uid}${CRLF}` +
    `Native-Byte-Order: ${o.bigEndian ? 4321 : 1234}${CRLF}` +
    `Endian-Performance: 0${CRLF}` +
    `Has-IEEE754-Floats: 1${CRLF}` +
    `Supports-Subnormals: ${o.supportsSubnormals === false ? 0 : 1}${CRLF}` +
    `Value-Size: ${o.valueBytes}${CRLF}` +
    `Data-Protocol-Version: ${LSL_PROTOCOL_VERSION}${CRLF}` +
    `Max-Buffer-Length: ${o.maxBufferSamples}${CRLF}` +
    `Max-Chunk-Length: 0${CRLF}` +
    `Hostname: ${o.hostname}${CRLF}` +
    `Source-Id: ${o.sourceId}${CRLF}` +
    `Session-Id: ${o.sessionId}${CRLF}` +
    CRLF
  );
}

/**
 * The inlet's reading of a streamfeed response header (data_receiver.cpp): null while incomplete.
 * `status` 200 with `uid`/`byteOrder`/`protocol`; any other status carries its text.
 */
export function parseStreamfeedResponse(text: string): { status: number; statusText: string; headers: Record<string, string>; consumed: number } | null {
  const eol = text.indexOf('\n');
  if (eol < 0) return null;
  const first = text.slice(0, eol).trim();
  const m = /^LSL\/(\d+)\s+(\d+)\s*(.*)$/.exec(first);
  if (!m) return { status: 0, statusText: first, headers: {}, consumed: text.length };
  const status = Number(m[2]);
  if (status !== 200) return { status, statusText: m[3] ?? '', headers: {}, consumed: text.length };
  const end = text.search(/\r?\n\r?\n/);
  if (end < 0) return null;
  const endLen = (/\r?\n\r?\n/.exec(text.slice(end)) ?? [''])[0].length;
  return { status, statusText: m[3] ?? '', headers: parseHeaderLines(text.slice(eol + 1, end)), consumed: end + endLen };
}
