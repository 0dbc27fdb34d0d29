import { useCallback, useId, useSyncExternalStore } from 'react';
import type { ViewProps } from './view-props';
import { PacerCanvas } from '../pixi/PacerCanvas';
import { Tachogram } from '../components/Tachogram';
import { PpgWaveform } from '../components/PpgWaveform';
import { SourcePanel } from '../components/SourcePanel';
import { HelpText } from '../components/HelpText';
import { SessionMarkers } from '../components/session-markers';
import { useSystemReducedMotion } from '../hooks/useReducedMotion';
import { PACER_MAX_BREATHS_PER_MIN, PACER_MIN_BREATHS_PER_MIN, PACER_RATE_STEP, type BreathStage } from '../../shared/pacer/phase';

const STAGE_WORDS: Record<BreathStage, string> = {
  inhale: 'Breathe in',
  'hold-in': 'Rest',
  exhale: 'Breathe out',
  'hold-out': 'Rest',
};

const fmt = (v: number | null, digits = 0): string => (v === null ? '—' : v.toFixed(digits));
const collecting = (fill: number): string => `collecting… ${Math.round(fill * 100)} %`;

export function PracticeView({ session, api }: ViewProps) {
  const ui = useSyncExternalStore(session.ui.subscribe, session.ui.get);
  const systemReduced = useSystemReducedMotion();
  const rateId = useId();
  const ratioId = useId();
  const phaseNow = useCallback(() => session.pacerAt(session.now()), [session]);
  const cue = session.pacerAt(session.now());
  const windowS = Math.round(session.rmssdWindowMs / 1000);

  return (
    <>
      <div className="layout">
        <section className="pacer" aria-label="Breathing pacer">
          <PacerCanvas phaseNow={phaseNow} reducedMotion={systemReduced} label={`Breathing pacer at ${ui.pacer.breathsPerMin} breaths per minute`} />
          <p className="cue" aria-hidden="true">
            {STAGE_WORDS[cue.stage]}
          </p>
        </section>
        <aside className="side">
          <section className="panel metrics" aria-label="Live measures">
            <div className="metric">
              <span className="metric-name">Heart rate</span>
              <span className="metric-value" aria-label="Heart rate" data-testid="heart-rate">
                {fmt(ui.hrBpm)}
              </span>
              <span className="metric-unit">beats/min</span>
            </div>
            <div className="metric">
              <span className="metric-name">RMSSD (last {windowS} s)</span>
              <span className="metric-value" aria-label="RMSSD" data-testid="rmssd">
                {ui.rmssdMs === null ? collecting(ui.rmssdFill) : fmt(ui.rmssdMs)}
              </span>
              <span className="metric-unit">ms</span>
            </div>
            <div className="metric">
              <span className="metric-name">Coherence (64 s)</span>
              <span className="metric-value" aria-label="Coherence" data-testid="coherence">
                {ui.coherence === null ? 'collecting…' : fmt(ui.coherence, 2)}
              </span>
              <span className="metric-unit">ratio</span>
            </div>
            <div className="metric">
              <span className="metric-name">Breathing (from your heart rhythm)</span>
              <span className="metric-value" aria-label="Breathing rate" data-testid="breathing-rate">
                {ui.breathsPerMinMeasured === null ? 'collecting…' : fmt(ui.breathsPerMinMeasured, 1)}
              </span>
              <span className="metric-unit">/min (pacer {ui.pacer.breathsPerMin.toFixed(1)})</span>
            </div>
            <div className="metric">
              <span className="metric-name">Last interval</span>
              <span className="metric-value" aria-label="Last RR interval" data-testid="last-rr">
                {fmt(ui.lastRrMs)}
              </span>
              <span className="metric-unit">ms</span>
            </div>
          </section>
          <form className="panel controls" aria-label="Pacer settings" onSubmit={(e) => e.preventDefault()}>
            <label htmlFor={rateId}>
              Breathing rate: <output data-testid="pacer-rate">{ui.pacer.breathsPerMin.toFixed(1)}</output> breaths/min
            </label>
            <input
              id={rateId}
              type="range"
              min={PACER_MIN_BREATHS_PER_MIN}
              max={PACER_MAX_BREATHS_PER_MIN}
              step={PACER_RATE_STEP}
              value={ui.pacer.breathsPerMin}
              aria-label="Breathing rate (breaths per minute)"
              onChange={(e) => session.setPacer({ breathsPerMin: Number(e.currentTarget.value) })}
            />
            <label htmlFor={ratioId}>
              Breathing in: <output>{Math.round(ui.pacer.inhaleShare * 100)}</output> % of each breath
            </label>
            <input
              id={ratioId}
              type="range"
              min={0.3}
              max={0.7}
              step={0.05}
              value={ui.pacer.inhaleShare}
              aria-label="Share of each breath spent breathing in"
              onChange={(e) => session.setPacer({ inhaleShare: Number(e.currentTarget.value) })}
            />
          </form>
          <SourcePanel session={session} api={api} ui={ui} />
          <SessionMarkers session={session} />
        </aside>
        <section className="panel chart" aria-label="Charts">
          <Tachogram data={ui.tachogram} ppg={ui.sourceKind === 'serial-ppg'} />
          {ui.sourceKind === 'serial-ppg' ? <PpgWaveform store={session.ppg} /> : null}
        </section>
      </div>
      <HelpText />
    </>
  );
}
