/**
 * LSL stream info: the XML every Lab Streaming Layer peer exchanges (protocol 1.10, liblsl 1.17).
 *
 * Source: liblsl `src/stream_info_impl.cpp` (`write_xml`, `read_xml`) and `src/util/cast.cpp`, as
 * summarised and checked against real traffic in ../shared/notes/lsl-protocol.md §5; the captures
 * in ../shared/datasets/lsl-captures/ (`01-discovery/u003-shortinfo-reply.bin`,
 * `02-fullinfo/t01-fullinfo-response.bin`) are reproduced byte for byte by `buildInfoXml`.
 *
 * Exact form (pugixml defaults): `<?xml version="1.0"?>`, LF line ends, one TAB per level, the
 * fields in liblsl's order, empty text as `<x></x>`, an empty `<desc />`, final LF. Doubles are
 * C++ `setprecision(16) << showpoint`, i.e. C `%#.16g`.
 */

/** Channel formats and their C enum values (include/lsl/common.h). */
export const LSL_CHANNEL_FORMATS = ['float32', 'double64', 'string', 'int32', 'int16', 'int8', 'int64'] as const;
export type LslChannelFormat = (typeof LSL_CHANNEL_FORMATS)[number];

/** Protocol version this implementation speaks (LSL_PROTOCOL_VERSION in liblsl src/common.h). */
export const LSL_PROTOCOL_VERSION = 110;

/** An element of the free-form `<desc>` metadata (XDF meta-data conventions for channels). */
export interface LslXmlElement {
  readonly name: string;
  readonly text?: string;
  readonly children?: readonly LslXmlElement[];
}

export interface LslStreamInfo {
  readonly name: string;
  readonly type: string;
  readonly channelCount: number;
  readonly channelFormat: LslChannelFormat;
  /** Stable id of the device/app: an inlet reconnects to a restarted outlet only through it. */
  readonly sourceId: string;
  /** Hz; 0 = irregular. */
  readonly nominalSrateHz: number;
  /** Outlet clock at creation, s (never 0: inlets treat 0 as invalid). */
  readonly createdAtS: number;
  /** Random UUID4, lower-case, new for every outlet instance. */
  readonly uid: string;
  readonly sessionId: string;
  readonly hostname: string;
  /** Filled by the inlet from the reply's source address; empty on the outlet side. */
  readonly v4address: string;
  readonly v4dataPort: number;
  readonly v4servicePort: number;
  readonly v6address: string;
  readonly v6dataPort: number;
  readonly v6servicePort: number;
  /** `version` field: protocol version / 100. */
  readonly version?: number;
  readonly desc: readonly LslXmlElement[];
}

/** C `%#.16g`: 16 significant digits, trailing zeros and the point kept (`4.000000000000000`). */
export function formatLslDouble(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-4 || a >= 1e16)) return cExponent(x.toExponential(15));
  const s = x.toPrecision(16);
  return s.includes('.') ? s : `${s}.`;
}

/** C `%.16g`: 16 significant digits without trailing zeros (time-sync replies). */
export function formatLslG16(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-4 || a >= 1e16)) {
    const [m = '', e = ''] = x.toExponential(15).split('e');
    return cExponent(`${stripZeros(m)}e${e}`);
  }
  return stripZeros(x.toPrecision(16));
}

function stripZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** C prints at least two exponent digits (`1e-05`); JavaScript prints `1e-5`. */
function cExponent(s: string): string {
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

export function escapeXmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function element(name: string, text: string, depth: number): string {
  return `${'\t'.repeat(depth)}<${name}>${escapeXmlText(text)}</${name}>\n`;
}

function descElement(e: LslXmlElement, depth: number): string {
  const pad = '\t'.repeat(depth);
  if (e.children && e.children.length > 0) {
    return `${pad}<${e.name}>\n${e.children.map((c) => descElement(c, depth + 1)).join('')}${pad}</${e.name}>\n`;
  }
  if (e.text === undefined) return `${pad}<${e.name} />\n`;
  return element(e.name, e.text, depth);
}

/**
 * The stream's XML as liblsl writes it.
 * @param full true: fullinfo (with `<desc>` content, sent over TCP); false: shortinfo (empty `<desc />`,
 *   the discovery reply).
 */
export function buildInfoXml(info: LslStreamInfo, full: boolean): string {
  const d = 1;
  let s = '<?xml version="1.0"?>\n<info>\n';
  s += element('name', info.name, d);
  s += element('type', info.type, d);
  s += element('channel_count', String(info.channelCount), d);
  s += element('channel_format', info.channelFormat, d);
  s += element('source_id', info.sourceId, d);
  s += element('nominal_srate', formatLslDouble(info.nominalSrateHz), d);
  s += element('version', formatLslDouble((info.version ?? LSL_PROTOCOL_VERSION) / 100), d);
  s += element('created_at', formatLslDouble(info.createdAtS), d);
  s += element('uid', info.uid, d);
  s += element('session_id', info.sessionId, d);
  s += element('hostname', info.hostname, d);
  s += element('v4address', info.v4address, d);
  s += element('v4data_port', String(info.v4dataPort), d);
  s += element('v4service_port', String(info.v4servicePort), d);
  s += element('v6address', info.v6address, d);
  s += element('v6data_port', String(info.v6dataPort), d);
  s += element('v6service_port', String(info.v6servicePort), d);
  if (full && info.desc.length > 0) s += descElement({ name: 'desc', children: info.desc }, d);
  else s += '\t<desc />\n';
  return s + '</info>\n';
}

function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&amp;/g, '&');
}

/** Text of a top-level `<info>` field, or null when absent (`<x/>` and `<x></x>` give ''). */
function field(xml: string, name: string): string | null {
  const m = new RegExp(`<${name}(?:\\s*/>|>([^<]*)</${name}>)`).exec(xml);
  if (!m) return null;
  return unescapeXml(m[1] ?? '');
}

/**
 * Reads the header fields of an info XML (shortinfo or fullinfo) the way liblsl's `read_xml`
 * validates them: every numeric field must parse, name and uid non-empty, a known format.
 * `desc` is not parsed (returned as []); callers that need it keep the XML.
 * @throws Error naming the first invalid field.
 */
export function parseInfoXml(xml: string): LslStreamInfo {
  const str = (n: string): string => {
    const v = field(xml, n);
    if (v === null) throw new Error(`stream info lacks <${n}>`);
    return v;
  };
  const num = (n: string): number => {
    const t = str(n).trim();
    const v = Number(t);
    if (t === '' || !Number.isFinite(v)) throw new Error(`stream info <${n}> is not a number: "${t}"`);
    return v;
  };
  const port = (n: string): number => {
    const v = num(n);
    if (!Number.isInteger(v) || v < 0 || v > 65535) throw new Error(`stream info <${n}> is not a port: ${v}`);
    return v;
  };
  const format = str('channel_format');
  if (!(LSL_CHANNEL_FORMATS as readonly string[]).includes(format)) throw new Error(`unknown channel_format "${format}"`);
  const name = str('name');
  const uid = str('uid');
  if (!name) throw new Error('stream info has an empty name');
  if (!uid) throw new Error('stream info has an empty uid');
  const version = num('version');
  if (!(version > 0)) throw new Error('stream info version must be > 0');
  return {
    name,
    type: str('type'),
    channelCount: num('channel_count'),
    channelFormat: format as LslChannelFormat,
    sourceId: str('source_id'),
    nominalSrateHz: num('nominal_srate'),
    version: Math.round(version * 100),
    createdAtS: num('created_at'),
    uid,
    sessionId: str('session_id'),
    hostname: str('hostname'),
    v4address: str('v4address'),
    v4dataPort: port('v4data_port'),
    v4servicePort: port('v4service_port'),
    v6address: str('v6address'),
    v6dataPort: port('v6data_port'),
    v6servicePort: port('v6service_port'),
    desc: [],
  };
}

/** `<desc>` channel metadata in the XDF convention: `<channels><channel><label/><unit/><type/></channel>…</channels>`. */
export function channelsDesc(channels: readonly { readonly label: string; readonly unit: string; readonly type: string }[]): LslXmlElement {
  return {
    name: 'channels',
    children: channels.map((c) => ({
      name: 'channel',
      children: [
        { name: 'label', text: c.label },
        { name: 'unit', text: c.unit },
        { name: 'type', text: c.type },
      ],
    })),
  };
}
