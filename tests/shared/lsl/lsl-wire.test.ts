/**
 * Byte-level checks of the pure LSL encoders/decoders against real liblsl 1.17.7 traffic
 * (../shared/datasets/lsl-captures): XML byte for byte, test patterns, samples, the outlet's
 * answers to the captured requests, discovery and time-sync datagrams.
 */
import { describe, expect, it } from 'vitest';
import { captureBytes, FIXTURE_HR_DESC, loadLslIndex, lslCapturesMissing, type CapturedSample } from '../../helpers/lsl-captures';
import { buildInfoXml, formatLslDouble, formatLslG16, parseInfoXml, type LslStreamInfo } from '../../../shared/lsl/stream-info';
import { decodeSample, encodeSample, encodeSampleV100, encodeTestPatterns, encodeTestPatternsV100, encodeV100Header, SampleStreamDecoder, testPatternValues, utf8Decode, utf8Encode } from '../../../shared/lsl/sample-codec';
import {
  answerStreamfeed,
  estimateTimeCorrection,
  formatDiscoveryQuery,
  formatDiscoveryReply,
  formatTimedataReply,
  formatTimedataRequest,
  parseDiscoveryQuery,
  parseDiscoveryReply,
  parseStreamfeedResponse,
  parseTcpRequest,
  parseTimedataReply,
  parseTimedataRequest,
} from '../../../shared/lsl/messages';
import { DEFAULT_LSL_API_CONFIG, ipv4MulticastGroups, parseLslApiConfig } from '../../../shared/lsl/api-config';

const skip = lslCapturesMissing !== null;
if (skip) console.warn(`LSL capture tests skipped: ${lslCapturesMissing}`);
const index = skip ? {} : loadLslIndex();
const scen = (name: string) => {
  const s = index[name];
  if (!s) throw new Error(`index.json lacks ${name}`);
  return s;
};

/** The capture's stream info, rebuilt from index.json values and the ports the capture used. */
function infoFromCapture(scenario: string, streamName: string, xmlForPorts: string, desc: LslStreamInfo['desc'] = []): LslStreamInfo {
  const o = scen(scenario).outlet_streams.find((s) => s.name === streamName);
  if (!o) throw new Error(`no ${streamName} in ${scenario}`);
  const ports = parseInfoXml(xmlForPorts);
  return {
    name: o.name,
    type: o.type,
    channelCount: o.channel_count,
    channelFormat: o.channel_count === 2 ? 'float32' : 'string',
    sourceId: o.source_id,
    nominalSrateHz: o.nominal_srate,
    createdAtS: o.created_at,
    uid: o.uid,
    sessionId: 'default',
    hostname: o.hostname,
    v4address: '',
    v4dataPort: ports.v4dataPort,
    v4servicePort: ports.v4servicePort,
    v6address: '',
    v6dataPort: ports.v6dataPort,
    v6servicePort: ports.v6servicePort,
    desc,
  };
}

describe.skipIf(skip)('stream info XML (liblsl write_xml)', () => {
  it('rebuilds the captured shortinfo replies byte for byte (float32 4 Hz and irregular string)', () => {
    for (const [file, name] of [
      ['u003-shortinfo-reply.bin', 'SootheFixtureHR'],
      ['u049-shortinfo-reply.bin', 'SootheFixtureMarkers'],
    ] as const) {
      const reply = captureBytes('01-discovery', file).toString('utf8');
      const parsed = parseDiscoveryReply(reply);
      expect(parsed).not.toBeNull();
      const info = infoFromCapture('01-discovery', name, parsed!.xml);
      expect(formatDiscoveryReply(parsed!.queryId, buildInfoXml(info, false))).toBe(reply);
    }
  });

  it('rebuilds the captured fullinfo (with <desc> channels and acquisition) byte for byte', () => {
    const full = captureBytes('02-fullinfo', 't01-fullinfo-response.bin');
    const info = infoFromCapture('02-fullinfo', 'SootheFixtureHR', full.toString('utf8'), FIXTURE_HR_DESC);
    expect(Buffer.from(buildInfoXml(info, true), 'utf8').equals(full)).toBe(true);
  });

  it('parses every field and rejects what liblsl rejects', () => {
    const info = parseInfoXml(captureBytes('02-fullinfo', 't01-fullinfo-response.bin').toString('utf8'));
    expect(info).toMatchObject({ name: 'SootheFixtureHR', type: 'HR', channelCount: 2, channelFormat: 'float32', nominalSrateHz: 4, version: 110, v4dataPort: 16572, v6dataPort: 16573 });
    const good = buildInfoXml(info, false);
    expect(() => parseInfoXml(good.replace('<v4data_port>16572</v4data_port>', '<v4data_port></v4data_port>'))).toThrow(/v4data_port/);
    expect(() => parseInfoXml(good.replace('float32', 'float16'))).toThrow(/channel_format/);
    expect(() => parseInfoXml(good.replace(/<uid>[^<]*<\/uid>/, '<uid></uid>'))).toThrow(/uid/);
  });

  it('formats doubles as C %#.16g and %.16g', () => {
    expect(formatLslDouble(4)).toBe('4.000000000000000');
    expect(formatLslDouble(0)).toBe('0.000000000000000');
    expect(formatLslDouble(1.1)).toBe('1.100000000000000');
    expect(formatLslDouble(2564.997585624)).toBe('2564.997585624000');
    expect(formatLslDouble(1e-5)).toBe('1.000000000000000e-05');
    expect(formatLslG16(2571.5462973)).toBe('2571.5462973');
    expect(formatLslG16(1000)).toBe('1000');
    expect(formatLslG16(1.5e-7)).toBe('1.5e-07');
  });

  it('escapes text', () => {
    const info = { ...parseInfoXml(captureBytes('02-fullinfo', 't01-fullinfo-response.bin').toString('utf8')), name: 'a<b>&c' };
    expect(buildInfoXml(info, false)).toContain('<name>a&lt;b&gt;&amp;c</name>');
    expect(parseInfoXml(buildInfoXml(info, false)).name).toBe('a<b>&c');
  });
});

const bodyOf = (scenario: string, n = 0): Buffer => captureBytes(scenario, scen(scenario).tcp[n]!.response_file);
const reqOf = (scenario: string, n = 0): string => captureBytes(scenario, scen(scenario).tcp[n]!.request_file).toString('latin1');

describe.skipIf(skip)('samples (protocol 1.10)', () => {
  it('test patterns equal the captured bytes: float32 × 2 little- and big-endian, string × 1', () => {
    expect(Buffer.from(encodeTestPatterns('float32', 2, true)).equals(bodyOf('03-streamfeed-float32').subarray(131, 165))).toBe(true);
    expect(Buffer.from(encodeTestPatterns('string', 1, true)).equals(bodyOf('05-streamfeed-string-markers').subarray(131, 157))).toBe(true);
    expect(Buffer.from(encodeTestPatterns('float32', 2, false)).equals(bodyOf('07-crafted-requests', 4).subarray(131, 165))).toBe(true);
  });

  it('test-pattern values for every format follow sample::assign_test_pattern', () => {
    expect(testPatternValues('float32', 3, 4)).toEqual([4, -5, 6]);
    expect(testPatternValues('double64', 2, 2)).toEqual([16777219, -16777220]);
    expect(testPatternValues('int32', 2, 4)).toEqual([65541, -65542]);
    expect(testPatternValues('int16', 2, 4)).toEqual([261, -262]);
    expect(testPatternValues('int8', 3, 2)).toEqual([3, -4, 5]);
    expect(testPatternValues('int64', 2, 4)).toEqual([2147483653n, -2147483654n]);
    expect(testPatternValues('string', 3, 2)).toEqual(['10', '-11', '12']);
  });

  const check = (scenario: string, n: number, format: 'float32' | 'string', littleEndian: boolean): void => {
    const body = bodyOf(scenario, n);
    const samples = scen(scenario).tcp[n]!.stream!.first_samples as CapturedSample[];
    expect(samples.length).toBeGreaterThan(3);
    for (const s of samples) {
      const captured = body.subarray(s.offset, s.offset + s.length);
      const enc = encodeSample(format, s.tag === 2 ? s.timestamp : null, s.values, littleEndian);
      expect(Buffer.from(enc).equals(captured)).toBe(true);
      const dec = decodeSample(new Uint8Array(captured), 0, format, s.values.length, littleEndian);
      expect(dec?.bytes).toBe(s.length);
      expect(dec?.sample.values).toEqual(s.values);
    }
  };
  it('encodes/decodes the captured float32 samples (tag 2 and deduced tag 1)', () => check('03-streamfeed-float32', 0, 'float32', true));
  it('encodes/decodes the captured big-endian float32 samples', () => check('07-crafted-requests', 4, 'float32', false));
  it('encodes/decodes the captured strings: 1-byte and 4-byte lengths, empty, UTF-8', () => check('05-streamfeed-string-markers', 0, 'string', true));

  it('the streaming decoder gives the same samples however the TCP stream is split', () => {
    const body = bodyOf('03-streamfeed-float32');
    const tail = new Uint8Array(body.subarray(131));
    const whole = new SampleStreamDecoder('float32', 2, true, 4).next(tail);
    expect(whole.length).toBe(2 + (scen('03-streamfeed-float32').tcp[0]!.stream as unknown as { n_samples: number }).n_samples);
    // deduced timestamps: previous + 1/4 s
    expect(whole[4]!.timestampS).toBeCloseTo(whole[3]!.timestampS + 0.25, 9);
    for (let cut = 1; cut < tail.length; cut++) {
      const d = new SampleStreamDecoder('float32', 2, true, 4);
      const got = [...d.next(tail.subarray(0, cut)), ...d.next(tail.subarray(cut))];
      expect(got).toEqual(whole);
    }
    const strings = new Uint8Array(bodyOf('05-streamfeed-string-markers').subarray(131));
    const sWhole = new SampleStreamDecoder('string', 1, true, 0).next(strings);
    for (let cut = 1; cut < strings.length; cut += 7) {
      const d = new SampleStreamDecoder('string', 1, true, 0);
      expect([...d.next(strings.subarray(0, cut)), ...d.next(strings.subarray(cut))]).toEqual(sWhole);
    }
    expect(sWhole.map((s) => s.values[0])).toContain('ünïcödé ✓');
  });

  it('UTF-8 round trip and malformed input', () => {
    for (const s of ['', 'abc', 'ünïcödé ✓', '😀 breath']) expect(utf8Decode(utf8Encode(s))).toBe(s);
    expect(utf8Encode('ünïcödé ✓').length).toBe(15);
    expect(utf8Decode(Uint8Array.from([0x61, 0xff, 0x62]))).toBe('a\ufffdb');
    expect(() => decodeSample(Uint8Array.from([3, 0]), 0, 'float32', 1, true)).toThrow(/tag 3/);
    expect(decodeSample(Uint8Array.from([2, 0, 0]), 0, 'float32', 1, true)).toBeNull();
  });
});

describe.skipIf(skip)('protocol 1.00 (portable binary archive)', () => {
  for (const [n, format] of [
    [0, 'float32'],
    [1, 'string'],
  ] as const) {
    it(`reproduces liblsl's ${format} answer: header with the shortinfo, test patterns, samples`, () => {
      const body = bodyOf('06-streamfeed-protocol100', n);
      const t = scen('06-streamfeed-protocol100').tcp[n]!.stream!;
      const text = body.toString('latin1');
      const xml = Buffer.from(text.slice(text.indexOf('<?xml'), text.indexOf('</info>\n') + 8), 'latin1').toString('utf8');
      const headerEnd = t.test_patterns[0]!.offset;
      expect(Buffer.from(encodeV100Header(xml)).equals(body.subarray(0, headerEnd))).toBe(true);
      const channels = t.test_patterns[0]!.values.length;
      expect(Buffer.from(encodeTestPatternsV100(format, channels)).equals(body.subarray(headerEnd, t.test_patterns[1]!.offset + t.test_patterns[1]!.length))).toBe(true);
      for (const x of t.first_samples as CapturedSample[]) {
        expect(Buffer.from(encodeSampleV100(format, x.tag === 2 ? x.timestamp : null, x.values)).equals(body.subarray(x.offset, x.offset + x.length))).toBe(true);
      }
    });
  }
});

describe.skipIf(skip)('TCP requests and the outlet decisions (tcp_server.cpp)', () => {
  const ownHr = (scenario: string) => ({ uid: scen(scenario).outlet_streams[0]!.uid, channelFormat: 'float32' as const });

  const answerFor = (scenario: string, n: number, own: { uid: string; channelFormat: 'float32' | 'string' }) => {
    const r = parseTcpRequest(reqOf(scenario, n));
    expect(r?.request.kind).toBe('streamfeed');
    if (r?.request.kind !== 'streamfeed') throw new Error('not a streamfeed');
    return answerStreamfeed(r.request, own);
  };

  it('streamfeed/110 float32: header equals the captured one; queue of Max-Buffer-Length samples', () => {
    const a = answerFor('03-streamfeed-float32', 0, ownHr('03-streamfeed-float32'));
    expect(a.header).toBe(bodyOf('03-streamfeed-float32').subarray(0, 131).toString('latin1'));
    expect(a).toMatchObject({ close: false, testPatterns: true, littleEndian: true, maxBufferSamples: 1440 });
  });

  it('streamfeed/110 string: Suppress-Subnormals stays 0 for strings although the client has none', () => {
    const a = answerFor('05-streamfeed-string-markers', 0, { uid: scen('05-streamfeed-string-markers').outlet_streams[0]!.uid, channelFormat: 'string' });
    expect(a.header).toBe(bodyOf('05-streamfeed-string-markers').subarray(0, 131).toString('latin1'));
    expect(a.maxBufferSamples).toBe(36000);
    const r = parseTcpRequest(reqOf('05-streamfeed-string-markers'));
    if (r?.request.kind !== 'streamfeed') throw new Error('not a streamfeed');
    expect(answerStreamfeed(r.request, { uid: r.request.uid, channelFormat: 'float32' }).header).toContain('Suppress-Subnormals: 1');
  });

  it('wrong uid → 404, version 210 → 505, both without line end, then close', () => {
    const own = ownHr('07-crafted-requests');
    const a404 = answerFor('07-crafted-requests', 2, own);
    expect(a404.header).toBe(bodyOf('07-crafted-requests', 2).toString('latin1'));
    expect(a404).toMatchObject({ close: true, testPatterns: false });
    const a505 = answerFor('07-crafted-requests', 3, own);
    expect(a505.header).toBe(bodyOf('07-crafted-requests', 3).toString('latin1'));
    expect(a505.close).toBe(true);
  });

  it('big-endian client → Byte-Order 4321; Max-Buffer-Length 0 → test patterns then close (whole answer equal)', () => {
    const own = ownHr('07-crafted-requests');
    const be = answerFor('07-crafted-requests', 4, own);
    expect(be.header).toBe(bodyOf('07-crafted-requests', 4).subarray(0, 131).toString('latin1'));
    expect(be.littleEndian).toBe(false);
    const zero = answerFor('07-crafted-requests', 5, own);
    const whole = Buffer.concat([Buffer.from(zero.header, 'latin1'), Buffer.from(encodeTestPatterns('float32', 2, zero.littleEndian))]);
    expect(whole.equals(bodyOf('07-crafted-requests', 5))).toBe(true);
    expect(zero.close).toBe(true);
  });

  it('fullinfo, tcp shortinfo, protocol 1.00 and partial requests', () => {
    expect(parseTcpRequest(reqOf('02-fullinfo'))?.request).toEqual({ kind: 'fullinfo' });
    expect(parseTcpRequest(reqOf('07-crafted-requests', 0))?.request).toEqual({ kind: 'shortinfo', query: "name='SootheFixtureHR'" });
    expect(parseTcpRequest(reqOf('06-streamfeed-protocol100'))?.request).toEqual({ kind: 'streamfeed100', maxBufferSamples: 1440, maxChunkSamples: 0 });
    expect(parseTcpRequest(reqOf('06-streamfeed-protocol100', 1))?.request).toEqual({ kind: 'streamfeed100', maxBufferSamples: 36000, maxChunkSamples: 0 });
    expect(parseTcpRequest('LSL:streamfeed\r\n14')).toBeNull();
    const full = reqOf('03-streamfeed-float32');
    for (let cut = 0; cut < full.length - 2; cut++) {
      const r = parseTcpRequest(full.slice(0, cut));
      expect(r === null || r.request.kind === 'streamfeed').toBe(true);
      if (r) expect(cut).toBeGreaterThanOrEqual(full.length - 2);
    }
    expect(parseTcpRequest(full)?.consumed).toBe(full.length);
  });

  it('the inlet side reads the captured responses', () => {
    const r = parseStreamfeedResponse(bodyOf('07-crafted-requests', 4).toString('latin1'));
    expect(r).toMatchObject({ status: 200, consumed: 131, headers: { 'byte-order': '4321', 'data-protocol-version': '110' } });
    expect(parseStreamfeedResponse(bodyOf('07-crafted-requests', 2).toString('latin1') + '\n')).toMatchObject({ status: 404, statusText: 'Not found' });
  });
});

describe.skipIf(skip)('UDP discovery and time sync', () => {
  it('parses and re-formats every captured query byte for byte', () => {
    for (const [scenario, file] of [
      ['01-discovery', 'u001-shortinfo-query.bin'],
      ['01-discovery', 'u022-shortinfo-query.bin'],
      ['05-streamfeed-string-markers', 'u001-shortinfo-query.bin'],
      ['06-streamfeed-protocol100', 'u056-shortinfo-query.bin'],
      ['07-crafted-requests', 'u001-shortinfo-query.bin'],
    ] as const) {
      const text = captureBytes(scenario, file).toString('utf8');
      const q = parseDiscoveryQuery(text);
      expect(q, `${scenario}/${file}`).not.toBeNull();
      expect(formatDiscoveryQuery(q!)).toBe(text);
    }
    const q = parseDiscoveryQuery(captureBytes('01-discovery', 'u001-shortinfo-query.bin').toString('utf8'));
    expect(q).toEqual({ query: "session_id='default' and name='SootheFixtureHR'", returnPort: 16577, queryId: '15879833750738033088' });
    expect(parseDiscoveryQuery('LSL:timedata\r\n1 2\r\n')).toBeNull();
    expect(parseDiscoveryQuery('LSL:shortinfo\r\nname=1\r\nnot-a-port 5\r\n')).toBeNull();
  });

  it('timedata: request and reply byte for byte from the captured values', () => {
    const td = scen('04-timedata').udp;
    const reqText = captureBytes('04-timedata', td['timedata-request']!.file).toString('utf8');
    const req = parseTimedataRequest(reqText);
    expect(req).toEqual({ waveId: '1804289383', t0S: 2571.546195189 });
    expect(formatTimedataRequest(req!)).toBe(reqText);
    const rep = td['timedata-reply']!;
    const replyText = captureBytes('04-timedata', rep.file).toString('utf8');
    expect(formatTimedataReply(String(rep.wave_id), rep.t0!, rep.t1!, rep.t2!)).toBe(replyText);
    expect(parseTimedataReply(replyText)).toEqual({ waveId: '1804289383', t0S: rep.t0, t1S: rep.t1, t2S: rep.t2 });
  });

  it('time correction takes the probe with the smallest round trip (NTP estimate)', () => {
    // outlet clock = inlet clock + 100 s; probes with 2 ms and 0.2 ms one-way delays
    const p = (t0S: number, upS: number, downS: number) => ({ t0S, t1S: t0S + upS + 100, t2S: t0S + upS + 100 + 1e-5, t3S: t0S + upS + 1e-5 + downS });
    const r = estimateTimeCorrection([p(10, 0.002, 0.004), p(11, 0.0002, 0.0002), p(12, 0.001, 0.0001)]);
    expect(r!.rttS).toBeCloseTo(0.0004, 9);
    expect(r!.correctionS).toBeCloseTo(-100, 9);
    expect(estimateTimeCorrection([])).toBeNull();
  });
});

describe('lsl_api.cfg', () => {
  it('defaults are liblsl 1.13+ site scope: 127.0.0.1, broadcast, 224.0.0.1, 224.0.0.183, 239.255.172.215', () => {
    expect(DEFAULT_LSL_API_CONFIG.multicastPort).toBe(16571);
    expect(DEFAULT_LSL_API_CONFIG.basePort).toBe(16572);
    expect(ipv4MulticastGroups(DEFAULT_LSL_API_CONFIG.addresses)).toEqual(['224.0.0.1', '224.0.0.183', '239.255.172.215']);
    expect(DEFAULT_LSL_API_CONFIG.addresses).toContain('255.255.255.255');
  });

  it('reads ports, scope, override, interfaces, peers and session id', () => {
    const c = parseLslApiConfig(
      ['[ports]', 'MulticastPort = 26571 ; comment', 'BasePort=26572', 'PortRange = 8', 'IPv6 = disable', '[multicast]', 'ResolveScope = link', 'Interfaces = {127.0.0.1}', 'ListenAddress = 127.0.0.1', '[lab]', 'KnownPeers = {10.0.0.2, lab-pc}', 'SessionID = sleeplab'].join('\n'),
    );
    expect(c).toMatchObject({ multicastPort: 26571, basePort: 26572, portRange: 8, ipv6: 'disable', resolveScope: 'link', ttl: 1, interfaces: ['127.0.0.1'], listenAddress: '127.0.0.1', knownPeers: ['10.0.0.2', 'lab-pc'], sessionId: 'sleeplab' });
    expect(ipv4MulticastGroups(c.addresses)).toEqual(['224.0.0.1', '224.0.0.183']);
    expect(parseLslApiConfig('[multicast]\nResolveScope = machine').addresses).toEqual(['127.0.0.1']);
    expect(parseLslApiConfig('[multicast]\nAddressesOverride = {239.1.2.3}').addresses).toEqual(['239.1.2.3']);
    expect(parseLslApiConfig('[ports]\nMulticastPort = banana').multicastPort).toBe(16571);
  });
});
