/**
 * `soothe lsl --simulator`: publishes a simulated session on the Lab Streaming Layer, so a lab can
 * check its LabRecorder set-up without a sensor (streams: SootheRR, SootheHeartRate, SoothePacer,
 * SootheReward, SootheBreathing, SootheMarkers). Uses the same outlets and session publisher as the
 * app (main/services/lsl). Network settings come from lsl_api.cfg like liblsl's (or `--config`);
 * `--loopback` keeps everything on 127.0.0.1 (discovery on this machine only).
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { RrSimulator } from '../../shared/sim/rr-simulator';
import { DEFAULT_PACER } from '../../shared/pacer/phase';
import { parseLslApiConfig, type LslApiConfig } from '../../shared/lsl/api-config';
import { computeReward } from '../../shared/reward/compute-reward';
import { DEFAULT_REWARD_BASELINE } from '../../shared/reward/baseline';
import type { RecordEvent } from '../../shared/ipc/contract';
import { BeatRecording } from '../services/sessions/beat-recording';
import { LslService } from '../services/lsl/lsl-service';

declare const __SOOTHE_VERSION__: string;

const USAGE = `soothe lsl --simulator [--duration <s>] [--seed <n>] [--breathing <breaths/min>] [--config <lsl_api.cfg>] [--loopback]
  Publishes a simulated session as LSL streams until Ctrl-C (or --duration).
  --config   liblsl-style api config (default: $LSLAPICFG, ./lsl_api.cfg, ~/lsl_api/lsl_api.cfg, /etc/lsl_api/lsl_api.cfg)
  --loopback bind and answer on 127.0.0.1 only (a recorder on this machine; nothing leaves it)\n`;
const TICK_MS = 50;
const MARKER_EVERY_MS = 30_000;

export const LOOPBACK_LSL_CONFIG: Partial<LslApiConfig> = { listenAddress: '127.0.0.1', interfaces: ['127.0.0.1'], addresses: ['127.0.0.1'], resolveScope: 'machine', ttl: 0 };

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      simulator: { type: 'boolean', default: false },
      duration: { type: 'string' },
      seed: { type: 'string', default: '1' },
      breathing: { type: 'string', default: String(DEFAULT_PACER.breathsPerMin) },
      config: { type: 'string' },
      loopback: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!values.simulator) {
    process.stderr.write(USAGE);
    return 2;
  }
  const durationMs = values.duration === undefined ? Infinity : Number(values.duration) * 1000;
  const breathing = Number(values.breathing);
  if (!(durationMs > 0) || !(breathing >= 3 && breathing <= 10)) throw new Error('--duration must be positive and --breathing within 3–10 breaths/min');
  const fileConfig = values.config ? parseLslApiConfig(readFileSync(values.config, 'utf8')) : undefined;
  const config = { ...(fileConfig ?? {}), ...(values.loopback ? LOOPBACK_LSL_CONFIG : {}) };
  const out = process.stdout;
  const lsl = new LslService({ version: typeof __SOOTHE_VERSION__ === 'string' ? __SOOTHE_VERSION__ : 'dev', config, ignoreConfigFiles: fileConfig !== undefined, pacerLagMs: 0 });
  const sessionId = `lsl-simulator-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  const t0 = performance.now();
  const nowMs = (): number => performance.now() - t0;
  // same process, same clock (performance.now and the LSL clock are both libuv's hrtime): exact origin
  lsl.startSession(sessionId, nowMs());
  const st = await lsl.enable(true);
  if (!st.enabled) {
    process.stderr.write(`soothe lsl: ${st.message}\n`);
    return 1;
  }
  out.write(`LSL discovery on UDP ${st.discoveryPort}${values.loopback ? ' (127.0.0.1 only)' : ''}; streams:\n`);
  for (const s of st.streams) out.write(`  ${s.name} (${s.type}, ${s.channels} ch, ${s.nominalSrateHz ? `${s.nominalSrateHz} Hz` : 'irregular'}, source_id ${s.sourceId})\n`);
  out.write('Ctrl-C ends.\n');

  const sim = new RrSimulator({ seed: Number(values.seed), breathsPerMin: breathing });
  sim.setBreathing(breathing, true);
  const beats = new BeatRecording();
  let pending = sim.next();
  let nextMarkerMs = MARKER_EVERY_MS;
  const publish = (events: RecordEvent[]): void => {
    lsl.push({ sessionId, nowMs: nowMs(), events });
  };
  publish([
    { kind: 'pacer', tMs: 0, data: { ...DEFAULT_PACER, breathsPerMin: breathing } },
    { kind: 'marker', tMs: 0, data: { label: 'simulator-start', category: 'session' } },
  ]);
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  const timer = setInterval(() => {
    const t = Math.min(durationMs, nowMs());
    const batch: RecordEvent[] = [];
    while (pending.tMs <= t) {
      batch.push(...beats.next(pending));
      const m = beats.latest;
      if (m) {
        const r = computeReward(
          {
            measuredBreathsPerMin: m.rsa?.breathsPerMin ?? null,
            pacerBreathsPerMin: breathing,
            peakToTroughBpm: m.rsa?.peakToTroughBpm ?? null,
            synchrony: null,
            coherence: m.coherence?.ratio ?? null,
            coherencePeakBreathsPerMin: m.coherence?.peakHz != null ? m.coherence.peakHz * 60 : null,
          },
          DEFAULT_REWARD_BASELINE,
          1,
        );
        if (r.value !== null) batch.push({ kind: 'reward', tMs: pending.tMs, data: { value: r.value } });
      }
      pending = sim.next();
    }
    if (t >= nextMarkerMs) {
      batch.push({ kind: 'marker', tMs: nextMarkerMs, data: { label: `minute-${(nextMarkerMs / 60_000).toFixed(1)}`, category: 'simulator' } });
      nextMarkerMs += MARKER_EVERY_MS;
    }
    if (batch.length > 0) publish(batch);
    if (t >= durationMs) finish();
  }, TICK_MS);
  const onSignal = (): void => finish();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  await done;
  clearInterval(timer);
  publish([{ kind: 'marker', tMs: nowMs(), data: { label: 'simulator-end', category: 'session' } }]);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  const end = lsl.status();
  await lsl.dispose();
  out.write(`published ${beats.beats} beats; ${end.streams.map((s) => `${s.name} ${s.samples}`).join(', ')}\n`);
  return 0;
}
