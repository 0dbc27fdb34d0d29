/**
 * @vitest-environment node
 *
 * Replays the requests real liblsl 1.17.7 inlets sent (../shared/datasets/lsl-captures) against
 * Soothe's running outlet and compares its answers with liblsl's captured answers: bytes where
 * they must be equal, field by field where values differ by nature (uid, ports, created_at,
 * sample times). Loopback only: every socket binds to 127.0.0.1, groups are joined on 127.0.0.1,
 * and every datagram goes to 127.0.0.1.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureBytes, FIXTURE_HR_DESC, loadLslIndex, lslCapturesMissing, type CapturedSample } from '../../helpers/lsl-captures';
import { LslOutletHost, type LslOutlet } from '../../../main/services/lsl/outlet-host';
import { parseDiscoveryQuery, formatDiscoveryQuery, parseDiscoveryReply, parseTimedataReply } from '../../../shared/lsl/messages';
import { parseInfoXml, type LslStreamInfo } from '../../../shared/lsl/stream-info';
import { lslLocalClockS } from '../../../main/services/lsl/clock';

const LOOPBACK = '127.0.0.1';
const skip = lslCapturesMissing !== null;
if (skip) console.warn(`LSL replay tests skipped: ${lslCapturesMissing}`);
const index = skip ? {} : loadLslIndex();

let host: LslOutletHost;
let hr: LslOutlet;
let markers: LslOutlet;

beforeAll(async () => {
  if (skip) return;
  host = await LslOutletHost.start({
    config: { multicastPort: 0, basePort: 0, listenAddress: LOOPBACK, interfaces: [LOOPBACK] },
    hostname: 'lsl-fixture-host',
  });
  hr = await host.createOutlet({ name: 'SootheFixtureHR', type: 'HR', channelCount: 2, channelFormat: 'float32', sourceId: 'soothe-fixture-hr', nominalSrateHz: 4, desc: FIXTURE_HR_DESC });
  markers = await host.createOutlet({ name: 'SootheFixtureMarkers', type: 'Markers', channelCount: 1, channelFormat: 'string', sourceId: 'soothe-fixture-markers', nominalSrateHz: 0, desc: [] });
});

afterAll(async () => {
  await host?.close();
});

/**
 * Sends one datagram to 127.0.0.1:port from a loopback socket and collects the replies: until
 * `expectCount` have arrived (or 5 s passed, on a loaded machine), then `waitMs` more for extras.
 */
async function udpExchange(payload: (localPort: number) => string, port: number, waitMs = 150, expectCount = 0): Promise<{ text: string; from: dgram.RemoteInfo }[]> {
  const sock = dgram.createSocket('udp4');
  const got: { text: string; from: dgram.RemoteInfo }[] = [];
  sock.on('message', (m, from) => got.push({ text: m.toString('utf8'), from }));
  await new Promise<void>((r) => sock.bind({ port: 0, address: LOOPBACK }, () => r()));
  sock.send(payload(sock.address().port), port, LOOPBACK);
  const deadline = Date.now() + 5000;
  while (got.length < expectCount && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, waitMs));
  sock.close();
  return got;
}

/** Writes the request, reads until the outlet closes or `untilBytes` arrived. */
function tcpExchange(port: number, request: Buffer | string, untilBytes = Infinity, afterConnect?: () => void): Promise<{ bytes: Buffer; closedByOutlet: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    const s = net.connect({ host: LOOPBACK, port, localAddress: LOOPBACK });
    const t = setTimeout(() => {
      s.destroy();
      resolve({ bytes: Buffer.concat(chunks), closedByOutlet: false });
    }, 1500);
    s.on('connect', () => {
      s.write(request);
      afterConnect?.();
    });
    s.on('data', (c) => {
      chunks.push(c);
      n += c.length;
      if (n >= untilBytes) {
        clearTimeout(t);
        s.destroy();
        resolve({ bytes: Buffer.concat(chunks), closedByOutlet: false });
      }
    });
    s.on('end', () => {
      clearTimeout(t);
      resolve({ bytes: Buffer.concat(chunks), closedByOutlet: true });
    });
    s.on('error', reject);
  });
}

/** Compares two info XMLs field by field, except the fields that differ by nature. */
function expectSameInfo(ours: string, theirs: string): void {
  const a = parseInfoXml(ours);
  const b = parseInfoXml(theirs);
  const stable = (i: LslStreamInfo) => ({ ...i, uid: '', createdAtS: 0, v4dataPort: 0, v4servicePort: 0, v6dataPort: 0, v6servicePort: 0 });
  expect(stable(a)).toEqual(stable(b));
  expect(a.v4dataPort).toBeGreaterThan(0);
  expect(a.v4servicePort).toBeGreaterThan(0);
  expect(a.createdAtS).toBeGreaterThan(0);
  expect(a.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  // and byte for byte once those fields are substituted
  const sub = (xml: string, i: LslStreamInfo) =>
    xml
      .replace(`<uid>${i.uid}</uid>`, '<uid>U</uid>')
      .replace(/<created_at>[^<]*<\/created_at>/, '<created_at>C</created_at>')
      .replace(/<(v[46](?:data|service)_port)>\d+</g, '<$1>P<');
  expect(sub(ours, a)).toBe(sub(theirs, b));
}

describe.skipIf(skip)('discovery replayed against the outlet (UDP, unicast to 127.0.0.1)', () => {
  it('answers each captured query with one reply per matching stream, id echoed, to the given return port', async () => {
    const cases = [
      { scenario: '01-discovery', file: 'u001-shortinfo-query.bin', expect: ['SootheFixtureHR'], reply: 'u003-shortinfo-reply.bin' },
      { scenario: '01-discovery', file: 'u022-shortinfo-query.bin', expect: ['SootheFixtureHR', 'SootheFixtureMarkers'], reply: null },
      { scenario: '05-streamfeed-string-markers', file: 'u001-shortinfo-query.bin', expect: ['SootheFixtureMarkers'], reply: 'u006-shortinfo-reply.bin' },
      { scenario: '06-streamfeed-protocol100', file: 'u056-shortinfo-query.bin', expect: ['SootheFixtureMarkers'], reply: null },
    ];
    for (const c of cases) {
      const captured = parseDiscoveryQuery(captureBytes(c.scenario, c.file).toString('utf8'))!;
      // a reply socket of our own: the captured return port is substituted
      const replies = await udpExchange((p) => formatDiscoveryQuery({ ...captured, returnPort: p }), host.discoveryPort, 150, c.expect.length);
      const parsed = replies.map((r) => ({ ...parseDiscoveryReply(r.text)!, from: r.from }));
      expect(parsed.map((p) => parseInfoXml(p.xml).name).sort(), c.file).toEqual(c.expect);
      for (const p of parsed) {
        expect(p.queryId).toBe(captured.queryId);
        expect(p.from.port).toBe(host.discoveryPort); // from the socket that received the query
        expect(p.xml).toContain('<desc />'); // shortinfo
      }
      if (c.reply) {
        const theirs = parseDiscoveryReply(captureBytes(c.scenario, c.reply).toString('utf8'))!;
        expectSameInfo(parsed[0]!.xml, theirs.xml);
      }
    }
  });

  it('evaluates queries as XPath 1.0 booleans, not as text', async () => {
    const ask = async (query: string, expectCount = 0) => {
      const r = await udpExchange((p) => formatDiscoveryQuery({ query, returnPort: p, queryId: '42' }), host.discoveryPort, 150, expectCount);
      return r.map((x) => parseInfoXml(parseDiscoveryReply(x.text)!.xml).name).sort();
    };
    expect(await ask("nominal_srate='4'")).toEqual([]); // string comparison with 4.000000000000000
    expect(await ask('nominal_srate=4', 1)).toEqual(['SootheFixtureHR']);
    expect(await ask("starts-with(name,'SootheFixture') and type='Markers'", 1)).toEqual(['SootheFixtureMarkers']);
    expect(await ask("desc/channels/channel[2]/unit='ms'", 1)).toEqual(['SootheFixtureHR']); // evaluated on the full info
    expect(await ask('count(desc/*)=0', 1)).toEqual(['SootheFixtureMarkers']);
    expect(await ask('', 2)).toEqual(['SootheFixtureHR', 'SootheFixtureMarkers']);
    expect(await ask("name='")).toEqual([]); // syntax error: no match, no crash
    expect(await ask("session_id='other'")).toEqual([]);
  });

  it("the stream's service port answers unicast shortinfo queries too (KnownPeers)", async () => {
    const captured = parseDiscoveryQuery(captureBytes('01-discovery', 'u001-shortinfo-query.bin').toString('utf8'))!;
    const replies = await udpExchange((p) => formatDiscoveryQuery({ ...captured, returnPort: p }), hr.info.v4servicePort, 150, 1);
    expect(replies.length).toBe(1);
    expect(parseInfoXml(parseDiscoveryReply(replies[0]!.text)!.xml).uid).toBe(hr.info.uid);
  });
});

describe.skipIf(skip)('TCP requests replayed against the outlet', () => {
  const sc = (name: string) => index[name]!;
  const req = (name: string, n = 0) => captureBytes(name, sc(name).tcp[n]!.request_file);
  const res = (name: string, n = 0) => captureBytes(name, sc(name).tcp[n]!.response_file);
  /** The captured request with the captured uid replaced by ours. */
  const withUid = (b: Buffer, theirs: string, ours: string) => Buffer.from(b.toString('latin1').replace(theirs, ours), 'latin1');

  it('fullinfo: the full XML with <desc>, then the outlet closes', async () => {
    const r = await tcpExchange(hr.info.v4dataPort, req('02-fullinfo'));
    expect(r.closedByOutlet).toBe(true);
    expectSameInfo(r.bytes.toString('utf8'), res('02-fullinfo').toString('utf8'));
    expect(r.bytes.toString('utf8')).toContain('<label>rr_interval</label>');
  });

  it('tcp shortinfo: matching → shortinfo then close; not matching → close without data', async () => {
    const a = await tcpExchange(hr.info.v4dataPort, req('07-crafted-requests', 0));
    expect(a.closedByOutlet).toBe(true);
    expectSameInfo(a.bytes.toString('utf8'), res('07-crafted-requests', 0).toString('utf8'));
    const b = await tcpExchange(hr.info.v4dataPort, req('07-crafted-requests', 1));
    expect(b).toEqual({ bytes: Buffer.alloc(0), closedByOutlet: true });
  });

  it('wrong uid → "LSL/110 404 Not found", version 210 → 505, exactly the captured bytes, then close', async () => {
    const a = await tcpExchange(hr.info.v4dataPort, req('07-crafted-requests', 2));
    expect(a.closedByOutlet).toBe(true);
    expect(a.bytes.equals(res('07-crafted-requests', 2))).toBe(true);
    const theirs = sc('07-crafted-requests').tcp[3]!.uid!;
    const b = await tcpExchange(hr.info.v4dataPort, withUid(req('07-crafted-requests', 3), theirs, hr.info.uid));
    expect(b.closedByOutlet).toBe(true);
    expect(b.bytes.equals(res('07-crafted-requests', 3))).toBe(true);
  });

  it('Max-Buffer-Length 0: header + test patterns, then close (captured bytes with our uid)', async () => {
    const theirs = sc('07-crafted-requests').tcp[5]!.uid!;
    const r = await tcpExchange(hr.info.v4dataPort, withUid(req('07-crafted-requests', 5), theirs, hr.info.uid));
    expect(r.closedByOutlet).toBe(true);
    expect(r.bytes.equals(withUid(res('07-crafted-requests', 5), theirs, hr.info.uid))).toBe(true);
  });

  const feed = async (scenario: string, n: number, outlet: LslOutlet) => {
    const t = sc(scenario).tcp[n]!;
    const samples = (t.stream!.first_samples as CapturedSample[]).filter((s) => s.tag === 2);
    const captured = res(scenario, n);
    const expectBytes = Buffer.concat([withUid(captured.subarray(0, t.stream!.body_offset), t.uid!, outlet.info.uid), captured.subarray(t.stream!.body_offset, t.stream!.test_patterns[1]!.offset + t.stream!.test_patterns[1]!.length), ...samples.map((s) => captured.subarray(s.offset, s.offset + s.length))]);
    const r = await tcpExchange(outlet.info.v4dataPort, withUid(req(scenario, n), t.uid!, outlet.info.uid), expectBytes.length, () => {
      // push once the inlet is registered as a consumer (an outlet keeps no history)
      const wait = setInterval(() => {
        if (outlet.consumerCount === 0) return;
        clearInterval(wait);
        for (const s of samples) outlet.push(s.values, s.timestamp!);
      }, 2);
    });
    return { r, expectBytes };
  };

  it('streamfeed/110 float32: header, test patterns and pushed samples equal liblsl’s bytes (uid substituted)', async () => {
    const { r, expectBytes } = await feed('03-streamfeed-float32', 0, hr);
    expect(r.bytes.equals(expectBytes)).toBe(true);
  });

  it('streamfeed/110 to a big-endian client: Byte-Order 4321 and big-endian test patterns and samples', async () => {
    const { r, expectBytes } = await feed('07-crafted-requests', 4, hr);
    expect(r.bytes.subarray(0, 131).toString('latin1')).toContain('Byte-Order: 4321');
    expect(r.bytes.equals(expectBytes)).toBe(true);
  });

  it('streamfeed/110 strings: 1- and 4-byte lengths, empty string, UTF-8, same bytes as liblsl', async () => {
    const { r, expectBytes } = await feed('05-streamfeed-string-markers', 0, markers);
    expect(r.bytes.equals(expectBytes)).toBe(true);
  });

  it('protocol 1.00 (legacy inlets): archive header with the shortinfo, test patterns and samples equal liblsl’s', async () => {
    for (const [n, outlet] of [
      [0, hr],
      [1, markers],
    ] as const) {
      const t = sc('06-streamfeed-protocol100').tcp[n]!;
      const captured = res('06-streamfeed-protocol100', n);
      const samples = (t.stream!.first_samples as CapturedSample[]).filter((s) => s.tag === 2);
      const headerEnd = t.stream!.test_patterns[0]!.offset;
      const patternsEnd = t.stream!.test_patterns[1]!.offset + t.stream!.test_patterns[1]!.length;
      const ourHeaderLen = 3 + 3 + Buffer.byteLength(outlet.shortInfoXml) + 2; // 7f 01 09, length (2-byte portable int), XML, 00 00
      const expectTail = Buffer.concat([captured.subarray(headerEnd, patternsEnd), ...samples.map((s) => captured.subarray(s.offset, s.offset + s.length))]);
      const r = await tcpExchange(outlet.info.v4dataPort, req('06-streamfeed-protocol100', n), ourHeaderLen + expectTail.length, () => {
        const wait = setInterval(() => {
          if (outlet.consumerCount === 0) return;
          clearInterval(wait);
          for (const s of samples) outlet.push(s.values, s.timestamp!);
        }, 2);
      });
      expect(r.bytes.subarray(0, 3).equals(captured.subarray(0, 3))).toBe(true);
      const ours = r.bytes.subarray(6, ourHeaderLen - 2).toString('utf8');
      const theirs = captured.subarray(6, headerEnd - 2).toString('utf8');
      expectSameInfo(ours, theirs);
      expect(r.bytes.subarray(ourHeaderLen - 2, ourHeaderLen).equals(Buffer.from([0, 0]))).toBe(true);
      expect(r.bytes.subarray(ourHeaderLen).equals(expectTail)).toBe(true);
    }
  });

  it('an inlet that disconnects mid-stream does not disturb the outlet', async () => {
    const t = sc('03-streamfeed-float32').tcp[0]!;
    await tcpExchange(hr.info.v4dataPort, withUid(req('03-streamfeed-float32'), t.uid!, hr.info.uid), 165);
    for (let k = 0; k < 50; k++) hr.push([60, 1000]);
    await new Promise((r) => setTimeout(r, 50));
    expect(hr.consumerCount).toBe(0);
    const again = await tcpExchange(hr.info.v4dataPort, req('02-fullinfo'));
    expect(again.bytes.length).toBeGreaterThan(500);
  });
});

describe.skipIf(skip)('time sync replayed against the service port', () => {
  it('echoes the wave id and t0 (as liblsl formats them) and stamps t1 ≤ t2 on the LSL clock', async () => {
    const request = captureBytes('04-timedata', index['04-timedata']!.udp['timedata-request']!.file).toString('utf8');
    const before = lslLocalClockS();
    const replies = await udpExchange(() => request, hr.info.v4servicePort, 100, 1);
    const after = lslLocalClockS();
    expect(replies.length).toBe(1);
    const text = replies[0]!.text;
    expect(text.startsWith(' 1804289383 2571.546195189 ')).toBe(true);
    expect(text.endsWith('\n')).toBe(false);
    const r = parseTimedataReply(text)!;
    expect(r.t1S).toBeGreaterThanOrEqual(before);
    expect(r.t2S).toBeGreaterThanOrEqual(r.t1S);
    expect(r.t2S).toBeLessThanOrEqual(after);
  });
});
