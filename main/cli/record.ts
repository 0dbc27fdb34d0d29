/**
 * `soothe record`: records a session without the window, for labs.
 *   soothe record --simulator [--duration <s>] [--speed <x>] [--seed <n>] [--breathing <breaths/min>] --out <dir>
 *   soothe record --serial <path> [--format <kind>] [--baud <n>] [--fs <Hz>] [--duration <s>] --out <dir>
 * The same recorder as the app (main/services/recorder.ts) writes <dir> (manifest.json,
 * events.ndjson, raw-serial.ndjson). A one-line status every few seconds; Ctrl-C (SIGINT) or
 * SIGTERM ends the session cleanly. `--report-flushes` prints "flushed <events>" after every
 * fsync (for scripts that must know what is on disk).
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Recorder } from '../services/recorder';
import { BeatRecording } from '../services/sessions/beat-recording';
import { startHeadlessLsl } from '../services/lsl/lsl-service';

declare const __SOOTHE_VERSION__: string;
import { RrSimulator } from '../../shared/sim/rr-simulator';
import { DEFAULT_PACER } from '../../shared/pacer/phase';
import type { RecordEvent } from '../../shared/ipc/contract';
import { SERIAL_BAUD_RATES, DEFAULT_BAUD, type SerialFormatKind } from '../../shared/types/serial-ppg';

const USAGE = `soothe record --simulator [--duration <s>] [--speed <x>] [--seed <n>] [--breathing <breaths/min>] --out <dir>
soothe record --serial <path> [--format <kind>] [--baud <n>] [--fs <Hz>] [--duration <s>] --out <dir>
  options: --status-every <s> (default 5), --report-flushes, --lsl (also publish the session as Lab Streaming Layer streams; lsl_api.cfg applies)\n`;
const SERIAL_FORMATS: readonly SerialFormatKind[] = ['pulsesensor-processing', 'pulsesensor-plotter', 'single-value', 'delimited', 'key-value', 'beat-interval'];
const TICK_MS = 50;

const fmt = (v: number | null | undefined, d = 0): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(d));
const clock = (ms: number): string => {
  const s = Math.floor(ms / 1000);
  return `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      simulator: { type: 'boolean', default: false },
      serial: { type: 'string' },
      format: { type: 'string' },
      baud: { type: 'string' },
      fs: { type: 'string' },
      duration: { type: 'string' },
      speed: { type: 'string', default: '1' },
      seed: { type: 'string', default: '1' },
      breathing: { type: 'string', default: String(DEFAULT_PACER.breathsPerMin) },
      out: { type: 'string' },
      'status-every': { type: 'string', default: '5' },
      'report-flushes': { type: 'boolean', default: false },
      lsl: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  void positionals;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!values.out || values.simulator === (values.serial !== undefined)) {
    process.stderr.write(USAGE);
    return 2;
  }
  const durationMs = values.duration === undefined ? Infinity : Number(values.duration) * 1000;
  const speed = Number(values.speed);
  const statusMs = Number(values['status-every']) * 1000;
  if (!(durationMs > 0) || !(speed > 0) || !(statusMs > 0)) throw new Error('--duration, --speed and --status-every must be positive numbers');
  const baud = values.baud === undefined ? DEFAULT_BAUD : Number(values.baud);
  if (values.serial !== undefined && !(SERIAL_BAUD_RATES as readonly number[]).includes(baud) && !(baud > 0)) throw new Error('--baud must be a positive number');
  if (values.format !== undefined && !SERIAL_FORMATS.includes(values.format as SerialFormatKind)) throw new Error(`--format must be one of ${SERIAL_FORMATS.join(', ')}`);

  const out = process.stdout;
  const recorder = new Recorder('', { onFlush: values['report-flushes'] ? (_id, n) => out.write(`flushed ${n}\n`) : undefined });
  const source = values.simulator ? `Simulator (seed ${values.seed}, ${speed}× speed)` : `serial ${values.serial}`;
  const { sessionId, dir } = await recorder.startAt(values.out, { source, wallClockStartIso: new Date().toISOString(), type: 'record' });
  const beats = new BeatRecording();
  // --lsl: every recorded event also goes out on LSL (main/services/lsl), stamped on the session clock
  const lsl = values.lsl ? await startHeadlessLsl(sessionId, typeof __SOOTHE_VERSION__ === 'string' ? __SOOTHE_VERSION__ : 'dev') : null;
  if (lsl) out.write(lsl.lines.join('\n') + '\n');
  let error: string | null = null;
  const append = (events: RecordEvent[]): void => {
    if (error || events.length === 0) return;
    try {
      recorder.appendSync(sessionId, events);
      lsl?.lsl.sessionEvents(sessionId, events);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      process.stderr.write(`soothe record: recording stopped: ${error}\n`);
    }
  };
  out.write(`recording to ${dir} (${source}); Ctrl-C ends the session\n`);
  const breathing = Number(values.breathing);
  append([{ kind: 'pacer', tMs: 0, data: { ...DEFAULT_PACER, breathsPerMin: breathing } }]);

  let sessionMs = 0;
  let stopping = false;
  let finish!: () => void;
  const done = new Promise<void>((res) => (finish = res));
  const t0 = performance.now();
  let teardown: () => Promise<void> = async () => undefined;

  if (values.simulator) {
    const sim = new RrSimulator({ seed: Number(values.seed), breathsPerMin: breathing });
    sim.setBreathing(breathing, true);
    append([{ kind: 'device', tMs: 0, data: { event: 'source', sourceKind: 'simulator', label: 'Simulator' } }]);
    let pending = sim.next();
    const timer = setInterval(() => {
      sessionMs = Math.min(durationMs, (performance.now() - t0) * speed);
      const batch: RecordEvent[] = [];
      while (pending.tMs <= sessionMs) {
        batch.push(...beats.next(pending));
        pending = sim.next();
      }
      append(batch);
      if (sessionMs >= durationMs || error) finish();
    }, TICK_MS);
    teardown = async () => clearInterval(timer);
  } else {
    const { SerialPpgManager } = await import('../services/serial-ppg');
    let lastState = '';
    const serial = new SerialPpgManager({
      onSamples: (b) => {
        recorder.recordSerialSamples(b);
        lsl?.lsl.onSerialEvent('serial:samples', b);
      },
      onBeats: (b) => {
        const batch: RecordEvent[] = [];
        b.rr.forEach((rr, i) => batch.push(...beats.next(rr, { sqi: b.beats[i]?.sqi ?? null })));
        append(batch);
      },
      onStatus: (st) => {
        lsl?.lsl.onSerialEvent('serial:status', st);
        append([{ kind: 'device', tMs: recorder.sessionNowMs(sessionId), data: { event: 'status', state: st.state, message: st.message, ...(st.fsHz ? { fsHz: st.fsHz } : {}), ...(st.format ? { format: st.format } : {}) } }]);
        if (st.state !== lastState) out.write(`serial: ${st.state}: ${st.message}\n`);
        lastState = st.state;
      },
    });
    append([{ kind: 'device', tMs: 0, data: { event: 'source', sourceKind: 'serial-ppg', label: `Pulse sensor on ${values.serial}` } }]);
    await serial.open({ path: values.serial as string, baudRate: baud, ...(values.fs ? { fsHz: Number(values.fs) } : {}), ...(values.format ? { format: values.format as SerialFormatKind } : {}) });
    const timer = setInterval(() => {
      sessionMs = recorder.sessionNowMs(sessionId);
      if (sessionMs >= durationMs || error) finish();
    }, TICK_MS);
    teardown = async () => {
      clearInterval(timer);
      await serial.close();
    };
  }

  const status = setInterval(() => {
    const m = beats.latest;
    out.write(`${clock(sessionMs)}  beats ${beats.beats}  HR ${fmt(m?.hrBpm)}  RMSSD ${fmt(m?.rmssdMs)} ms  coherence ${fmt(m?.coherence?.ratio, 2)}  artifacts ${fmt(m?.artifactPct, 1)} %${error ? '  (recording stopped)' : ''}\n`);
  }, statusMs);
  const onSignal = (): void => {
    if (stopping) return;
    stopping = true;
    finish();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  await done;
  clearInterval(status);
  await teardown();
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  await lsl?.lsl.dispose();
  const r = await recorder.stop(sessionId);
  out.write(`session saved: ${dir} (${beats.beats} beats, ${r.events} events, ${(sessionMs / 1000).toFixed(1)} s)\n`);
  return error ? 1 : 0;
}
