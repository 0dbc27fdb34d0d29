import { useCallback, useEffect, useId, useRef, useState, useSyncExternalStore } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ViewProps } from './view-props';
import { PacerCanvas } from '../pixi/PacerCanvas';
import { SAFETY_NOTE } from '../components/GuidanceText';
import { useSystemReducedMotion } from '../hooks/useReducedMotion';
import { DEFAULT_RESONANCE_PROTOCOL, normalizeProtocol, protocolDurationS, protocolStageAt, protocolWindows, type ProtocolStage, type ResonanceProtocol } from '../../shared/resonance/protocol';
import { CRITERIA_WEIGHTS, recommendRate, scoreRate, type RateResult, type Recommendation } from '../../shared/resonance/score-resonance';

type Phase = { kind: 'intro' } | { kind: 'running'; startMs: number; protocol: ResonanceProtocol } | { kind: 'done'; results: RateResult[]; rec: Recommendation | null; saved: boolean; settleS: number };

const fmt = (v: number | null, d = 0): string => (v === null ? '—' : v.toFixed(d));
const mmss = (s: number): string => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;

/** LF power and peak-to-trough HR per rate, drawn by uPlot (as the tachogram). */
function ResultsChart({ results, recommended }: { readonly results: readonly RateResult[]; readonly recommended: number | null }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const axis = { stroke: '#9fb3c8', grid: { stroke: 'rgba(159,179,200,0.12)' }, ticks: { stroke: 'rgba(159,179,200,0.25)' } };
    const sorted = [...results].sort((a, b) => a.breathsPerMin - b.breathsPerMin);
    const p = new uPlot(
      {
        width: el.clientWidth || 600,
        height: 220,
        legend: { show: true },
        cursor: { show: false },
        scales: { x: { time: false }, lf: {}, ptt: {} },
        axes: [
          { ...axis, label: 'breathing rate (breaths/min)' },
          { ...axis, scale: 'lf', label: 'LF power (ms²)', size: 60 },
          { ...axis, scale: 'ptt', side: 1, label: 'HR swing (beats/min)', size: 50, grid: { show: false } },
        ],
        series: [
          {},
          { label: 'LF power', scale: 'lf', stroke: '#7fc8c0', width: 2, points: { show: true, size: 7 } },
          { label: 'HR peak-to-trough', scale: 'ptt', stroke: '#f3c98b', width: 2, points: { show: true, size: 7 } },
        ],
      },
      [sorted.map((r) => r.breathsPerMin), sorted.map((r) => r.lfPowerMs2), sorted.map((r) => r.peakToTroughBpm)],
      el,
    );
    return () => p.destroy();
  }, [results]);
  return <div ref={host} role="img" data-testid="resonance-chart" aria-label={`Chart of LF power and heart-rate swing per breathing rate${recommended === null ? '' : `; recommended ${recommended} breaths per minute`}`} />;
}

/**
 * Resonance-frequency assessment: a guided protocol (6.5 → 4.5 breaths/min, 2 min each by
 * default, short rests), then the results per rate, a recommended rate with its reasons, saved
 * to the settings and used as the pacer's default from then on.
 */
export function AssessmentView({ session, api }: ViewProps) {
  const ui = useSyncExternalStore(session.ui.subscribe, session.ui.get);
  const reduced = useSystemReducedMotion();
  const [phase, setPhase] = useState<Phase>({ kind: 'intro' });
  const [stepMin, setStepMin] = useState(DEFAULT_RESONANCE_PROTOCOL.stepS / 60);
  const [restS, setRestS] = useState(DEFAULT_RESONANCE_PROTOCOL.restS);
  const stageKey = useRef('');
  const ids = { step: useId(), rest: useId() };
  const phaseNow = useCallback(() => session.pacerAt(session.now()), [session]);
  const visibleNow = useCallback(() => session.pacerVisible, [session]);

  const finish = useCallback(
    (startMs: number, protocol: ResonanceProtocol) => {
      const cap = session.takeNnCapture();
      // Breaths measured by an H10's chest accelerometer (if any) score criterion 1 and breathing compliance (issue 9).
      const results = protocolWindows(protocol).map((w) => scoreRate(w.breathsPerMin, cap.tMs, cap.nnMs, cap.schedule, startMs + w.fromMs, startMs + w.toMs, cap.breaths));
      const rec = recommendRate(results);
      session.recordAssessmentResult({ results, recommendedBreathsPerMin: rec?.breathsPerMin ?? null, reasons: rec?.reasons ?? [], phaseCriterion: rec?.phaseCriterion ?? null, measuredBreaths: cap.breaths.length });
      session.setAssessmentPacer(rec?.breathsPerMin ?? session.pacerSettings.breathsPerMin);
      if (rec) {
        // One write for both (two concurrent settings:set calls would each merge into the same old settings).
        void api.invoke('settings:set', {
          pacer: { ...session.pacerSettings, breathsPerMin: rec.breathsPerMin }, // the pacer's default from now on
          resonance: { breathsPerMin: rec.breathsPerMin, assessedAtIso: new Date().toISOString(), reasons: rec.reasons },
        });
      }
      setPhase({ kind: 'done', results, rec, saved: rec !== null, settleS: protocol.settleS });
    },
    [api, session],
  );

  // Drive the protocol from the session clock (a few times a second, with the UI snapshot).
  let stage: ProtocolStage | null = null;
  if (phase.kind === 'running') stage = protocolStageAt(phase.protocol, session.now() - phase.startMs);
  useEffect(() => {
    if (phase.kind !== 'running' || !stage) return;
    const key = stage.kind === 'done' ? 'done' : `${stage.kind}${stage.index}`;
    if (key === stageKey.current) return;
    stageKey.current = key;
    if (stage.kind === 'breathe') session.setAssessmentPacer(stage.breathsPerMin);
    else if (stage.kind === 'rest') session.setAssessmentPacer(null);
    else finish(phase.startMs, phase.protocol);
  });

  const start = (): void => {
    const protocol = normalizeProtocol({ stepS: stepMin * 60, restS });
    session.setProgressiveSlowing(false);
    session.startNnCapture();
    stageKey.current = '';
    setPhase({ kind: 'running', startMs: session.now(), protocol });
  };
  const stop = (): void => {
    session.takeNnCapture();
    session.setAssessmentPacer(session.pacerSettings.breathsPerMin);
    setPhase({ kind: 'intro' });
  };

  return (
    <div className="layout">
      <section className="pacer" aria-label="Breathing pacer" style={{ alignSelf: 'start', height: 'min(60vh, 520px)' }}>
        <PacerCanvas phaseNow={phaseNow} pacerVisibleNow={visibleNow} reducedMotion={reduced} label={`Breathing pacer at ${ui.pacer.breathsPerMin} breaths per minute`} />
        <p className="cue" data-testid="assessment-stage">
          {stage?.kind === 'breathe'
            ? `Breathe with the pacer: ${stage.breathsPerMin.toFixed(1)} /min · ${mmss(stage.remainingS)} left`
            : stage?.kind === 'rest'
              ? `Rest, breathe freely · next ${stage.nextBreathsPerMin.toFixed(1)} /min in ${mmss(stage.remainingS)}`
              : phase.kind === 'done'
                ? 'Finished'
                : ''}
        </p>
        {/* Screen readers hear each new step once; the countdown above stays readable but silent. */}
        <p className="visually-hidden" aria-live="polite">
          {stage?.kind === 'breathe'
            ? `Breathe with the pacer at ${stage.breathsPerMin.toFixed(1)} breaths per minute`
            : stage?.kind === 'rest'
              ? `Rest, breathe freely; next ${stage.nextBreathsPerMin.toFixed(1)} breaths per minute`
              : phase.kind === 'done'
                ? 'Finished'
                : ''}
        </p>
      </section>
      <aside className="side">
        <section className="panel" aria-label="Resonance-frequency assessment">
          <h2>Find your resonance rate</h2>
          {phase.kind === 'intro' ? (
            <>
              <p className="muted">
                Breathe with the pacer at {DEFAULT_RESONANCE_PROTOCOL.ratesBreathsPerMin.join(', ')} breaths per minute, a few minutes each, with a
                short rest between. Soothe then compares how your heart rhythm answered at each rate (Lehrer et al.; Shaffer &amp; Meehan 2020) and
                suggests the rate where it swings most fully and smoothly. With a Polar H10 and &ldquo;breathing from chest movement&rdquo; on,
                your breathing itself is measured, so Soothe can also see whether your heart rate rises and falls in step with each breath.{' '}
                {SAFETY_NOTE}
              </p>
              <form className="controls" onSubmit={(e) => e.preventDefault()}>
                <label htmlFor={ids.step}>Minutes per rate</label>
                <select id={ids.step} value={stepMin} onChange={(e) => setStepMin(Number(e.currentTarget.value))}>
                  {[1, 2, 3, 4].map((m) => (
                    <option key={m} value={m}>
                      {m}
                    </option>
                  ))}
                </select>
                <label htmlFor={ids.rest}>Rest between rates (s)</label>
                <select id={ids.rest} value={restS} onChange={(e) => setRestS(Number(e.currentTarget.value))}>
                  {[0, 15, 30, 60].map((s) => (
                    <option key={s} value={s}>
                      {s}
                    </option>
                  ))}
                </select>
                <p className="muted">Total about {Math.round(protocolDurationS(normalizeProtocol({ stepS: stepMin * 60, restS })) / 60)} minutes.</p>
                <div className="buttons">
                  <button type="button" onClick={start}>
                    Begin the assessment
                  </button>
                </div>
              </form>
            </>
          ) : null}
          {phase.kind === 'running' ? (
            <div className="buttons">
              <button type="button" onClick={stop}>
                Stop (nothing is saved)
              </button>
            </div>
          ) : null}
          {phase.kind === 'done' ? (
            <>
              <p data-testid="resonance-recommendation">
                {phase.rec ? (
                  <>
                    Your suggested rate: <strong>{phase.rec.breathsPerMin.toFixed(1)}</strong> breaths per minute
                    {phase.saved ? ' (saved; the pacer now starts here).' : '.'}
                  </>
                ) : (
                  'Not enough heart-rate data to suggest a rate; please try again with the sensor well in place.'
                )}
              </p>
              <ul className="muted">{phase.rec?.reasons.map((r) => <li key={r}>{r}</li>)}</ul>
              <div className="buttons">
                <button type="button" onClick={() => setPhase({ kind: 'intro' })}>
                  Assess again
                </button>
              </div>
            </>
          ) : null}
        </section>
      </aside>
      {phase.kind === 'done' ? (
        <section className="panel chart" aria-label="Results per breathing rate">
          <table data-testid="resonance-table" style={{ width: '100%', fontVariantNumeric: 'tabular-nums' }}>
            <caption className="muted">
              Per rate, scored after the first {phase.settleS} s of each step. Weights: {Object.entries(CRITERIA_WEIGHTS).map(([k, w]) => `${k} ${w}`).join(', ')}.{' '}
              <span data-testid="resonance-phase-criterion">
                {phase.rec?.phaseCriterion === 'hr-breath-phase'
                  ? 'Heart rate and breathing in phase (the first criterion) was scored from your breathing measured by chest movement: 0° means heart rate rises with the in-breath.'
                  : 'Heart rate and breathing in phase (the first criterion) was scored from how closely heart rate followed the pacer; the phase shown is against the pacer, not your measured breath.'}
              </span>
            </caption>
            <thead>
              <tr>
                <th scope="col">rate /min</th>
                <th scope="col">LF power ms²</th>
                <th scope="col">LF peak ms²/Hz</th>
                <th scope="col">HR swing beats/min</th>
                <th scope="col">with pacer</th>
                <th scope="col">phase to pacer °</th>
                <th scope="col">phase to breath °</th>
                <th scope="col">smoothness</th>
                <th scope="col">LF peaks</th>
                <th scope="col">breathing /min</th>
                <th scope="col">breathing from</th>
                <th scope="col">score</th>
              </tr>
            </thead>
            <tbody>
              {phase.results.map((r, i) => (
                <tr key={r.breathsPerMin} aria-current={phase.rec?.breathsPerMin === r.breathsPerMin ? 'true' : undefined} style={phase.rec?.breathsPerMin === r.breathsPerMin ? { color: 'var(--warm)' } : undefined}>
                  <th scope="row">{r.breathsPerMin.toFixed(1)}</th>
                  <td>{fmt(r.lfPowerMs2)}</td>
                  <td>{fmt(r.lfPeakMs2PerHz)}</td>
                  <td>{fmt(r.peakToTroughBpm, 1)}</td>
                  <td>{fmt(r.synchrony, 2)}</td>
                  <td>{fmt(r.lagDeg)}</td>
                  <td>{fmt(r.hrBreathPhaseDeg ?? null)}</td>
                  <td>{r.smoothness === null ? '—' : `${Math.round(r.smoothness * 100)} %`}</td>
                  <td>{fmt(r.lfPeaks)}</td>
                  <td>{fmt(r.measuredBreathsPerMin, 1)}</td>
                  <td>{r.breathingSource === 'chest-acc' ? 'chest movement' : r.breathingSource === 'rsa' ? 'heart rhythm' : '—'}</td>
                  <td>{fmt(phase.rec?.scores[i] ?? null, 1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <ResultsChart results={phase.results} recommended={phase.rec?.breathsPerMin ?? null} />
        </section>
      ) : null}
    </div>
  );
}
