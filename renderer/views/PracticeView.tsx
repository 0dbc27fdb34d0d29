import { useCallback, useEffect, useId, useRef, useState, useSyncExternalStore } from 'react';
import type { ViewProps } from './view-props';
import { PacerCanvas } from '../pixi/PacerCanvas';
import { Tachogram } from '../components/Tachogram';
import { PpgWaveform } from '../components/PpgWaveform';
import { SourcePanel } from '../components/SourcePanel';
import { HelpText } from '../components/HelpText';
import { SessionMarkers } from '../components/session-markers';
import { GuidanceRewardHelp, GuidanceText, SAFETY_NOTE } from '../components/GuidanceText';
import { RatingsForm } from '../components/RatingsForm';
import { useSystemReducedMotion } from '../hooks/useReducedMotion';
import { BreathAudio } from '../audio/breath-audio';
import { PACER_MAX_BREATHS_PER_MIN, PACER_MIN_BREATHS_PER_MIN, PACER_RATE_STEP, type BreathStage } from '../../shared/pacer/phase';
import { DEFAULT_TRAINER, type Settings, type TrainerSettings } from '../../shared/types/settings';
import { REWARD_LEVELS, normalizeRewardLevel } from '../../shared/reward/compute-reward';

const STAGE_WORDS: Record<BreathStage, string> = {
  inhale: 'Breathe in',
  'hold-in': 'Rest',
  exhale: 'Breathe out',
  'hold-out': 'Rest',
};

const fmt = (v: number | null | undefined, digits = 0): string => (v === null || v === undefined ? '—' : v.toFixed(digits));
const collecting = (fill: number): string => `collecting… ${Math.round(fill * 100)} %`;
const pct = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${Math.round(v * 100)} %`);
const FULL_SCREEN: React.CSSProperties = { position: 'fixed', inset: 0, zIndex: 20, borderRadius: 0 };
/** The pacer keeps a calm size and stays in view while the side panels scroll. */
const PACER_BOX: React.CSSProperties = { alignSelf: 'start', height: 'min(72vh, 640px)', position: 'sticky', top: 8 };
const EYES_CLOSED_FPS = 10; // the screen is dimmed: a slow frame rate saves power

/** Soothing-session flow as the person meets it. */
type Flow = 'idle' | 'rate-before' | 'running' | 'rate-after';

export function PracticeView({ session, api }: ViewProps) {
  const ui = useSyncExternalStore(session.ui.subscribe, session.ui.get);
  const liveMarkers = useSyncExternalStore(session.markers.subscribe, session.markers.get);
  const systemReduced = useSystemReducedMotion();
  const [trainer, setTrainer] = useState<TrainerSettings>(DEFAULT_TRAINER);
  const [reducedSetting, setReducedSetting] = useState<Settings['reducedMotion']>('system');
  const [eyesClosed, setEyesClosed] = useState(false);
  const [focus, setFocus] = useState(false);
  const [flow, setFlow] = useState<Flow>('idle');
  const audio = useRef<BreathAudio | null>(null);
  const audioStatus = useRef<HTMLSpanElement>(null);
  const pacerRef = useRef<HTMLElement>(null);
  const ids = { rate: useId(), ratio: useId(), holdIn: useId(), holdOut: useId(), style: useId(), vol: useId(), motion: useId(), level: useId() };
  const phaseNow = useCallback(() => session.pacerAt(session.now()), [session]);
  const rewardNow = useCallback(() => session.rewardTarget, [session]);
  const visibleNow = useCallback(() => session.pacerVisible, [session]);
  const cue = session.pacerAt(session.now());
  const windowS = Math.round(session.rmssdWindowMs / 1000);
  const reducedMotion = reducedSetting === 'on' || (reducedSetting === 'system' && systemReduced);
  const t = ui.trainer;

  useEffect(() => {
    let live = true;
    void api.invoke('settings:get').then((r) => {
      if (!live || !r.ok) return;
      setTrainer(r.value.trainer ?? DEFAULT_TRAINER);
      setReducedSetting(r.value.reducedMotion);
      if (r.value.trainer?.progressiveSlowing) session.setProgressiveSlowing(true);
    });
    return () => {
      live = false;
    };
  }, [api, session]);

  const saveTrainer = (patch: Partial<TrainerSettings>): void => {
    const next = { ...trainer, ...patch };
    setTrainer(next);
    void api.invoke('settings:set', { trainer: next });
  };

  // Sound: on when chosen, and always with the eyes closed.
  const soundOn = trainer.audioEnabled || eyesClosed;
  useEffect(() => {
    if (!soundOn) return;
    const a = new BreathAudio(phaseNow, visibleNow);
    const statusEl = audioStatus.current;
    audio.current = a;
    void a.start(trainer.audioVolume);
    const timer = setInterval(() => {
      const s = a.status;
      const el = statusEl;
      if (el) {
        el.dataset.state = s.state;
        el.dataset.level = s.level.toFixed(4);
        el.textContent = s.state === 'running' ? 'sound on' : `sound ${s.state}`;
      }
    }, 250);
    return () => {
      clearInterval(timer);
      audio.current = null;
      void a.stop();
      if (statusEl) {
        statusEl.dataset.state = 'off';
        statusEl.textContent = 'sound off';
      }
    };
    // The volume reaches a running sound through setVolume below, without restarting it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [soundOn, phaseNow, visibleNow]);
  useEffect(() => audio.current?.setVolume(trainer.audioVolume), [trainer.audioVolume]);

  // Keyboard: F focus, E eyes closed, Escape leaves either (not while typing in a text field).
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const el = e.target as HTMLElement | null;
      if (el && (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || (el.tagName === 'INPUT' && (el as HTMLInputElement).type === 'text'))) return;
      if (e.key === 'Escape') {
        setEyesClosed(false);
        setFocus(false);
      } else if ((e.key === 'f' || e.key === 'F') && !e.ctrlKey && !e.metaKey && !e.altKey) setFocus((x) => !x);
      else if ((e.key === 'e' || e.key === 'E') && !e.ctrlKey && !e.metaKey && !e.altKey) setEyesClosed((x) => !x);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // Focus mode fills the screen (and asks the browser for full screen where it may).
  useEffect(() => {
    if (focus && pacerRef.current?.requestFullscreen && !document.fullscreenElement) void pacerRef.current.requestFullscreen().catch(() => undefined);
    if (!focus && document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
  }, [focus]);

  // Eyes closed: the focus moves into the dimmed screen (its button) and, on leaving, back to
  // where it was (e.g. the Eyes closed button), instead of being lost on the page.
  const beforeEyesClosed = useRef<HTMLElement | null>(null);
  const openEyesButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (eyesClosed) {
      beforeEyesClosed.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      openEyesButton.current?.focus();
      return;
    }
    const el = beforeEyesClosed.current;
    beforeEyesClosed.current = null;
    if (el?.isConnected) el.focus();
  }, [eyesClosed]);

  useEffect(() => {
    if (flow === 'running' && t.soothing?.finished) setFlow('rate-after');
  }, [flow, t.soothing?.finished]);

  const startSoothing = (): void => setFlow('rate-before');
  const afterBefore = (r: Parameters<typeof session.recordRatings>[1] | null): void => {
    if (r) session.recordRatings('before', r);
    session.startSoothingSession();
    setFlow('running');
  };

  return (
    <>
      {!trainer.safetyNoteSeen ? (
        <section className="panel" aria-label="Before you start" data-testid="safety-note">
          <p>
            <strong>Before you start:</strong> {SAFETY_NOTE}
          </p>
          <div className="buttons">
            <button type="button" onClick={() => saveTrainer({ safetyNoteSeen: true })}>
              I understand
            </button>
          </div>
        </section>
      ) : null}
      <div className="layout">
        <section className="pacer" aria-label="Breathing pacer" ref={pacerRef} style={focus ? FULL_SCREEN : PACER_BOX} data-focus={focus ? 'on' : 'off'}>
          <PacerCanvas
            phaseNow={phaseNow}
            rewardNow={rewardNow}
            pacerVisibleNow={visibleNow}
            reducedMotion={reducedMotion}
            style={trainer.pacerStyle}
            maxFps={eyesClosed ? EYES_CLOSED_FPS : 0}
            label={`Breathing pacer at ${ui.pacer.breathsPerMin} breaths per minute`}
          />
          <p className="cue" aria-hidden="true">
            {t.pacerVisible ? STAGE_WORDS[cue.stage] : 'Breathe freely'}
          </p>
          {t.soothing && !t.soothing.finished ? (
            <p className="muted" style={{ position: 'absolute', top: 8, left: 12, right: 12, margin: 0, padding: '2px 10px', borderRadius: 10, color: 'var(--text)', background: 'rgba(15, 27, 45, 0.72)' }} data-testid="soothing-phase">
              {t.soothing.title} · {Math.ceil(t.soothing.remainingS)} s — {t.soothing.instructions}
            </p>
          ) : null}
          {/* Screen readers hear each new part once; the countdown above stays readable but silent. */}
          <p className="visually-hidden" aria-live="polite">
            {t.soothing && !t.soothing.finished ? `${t.soothing.title}: ${t.soothing.instructions}` : ''}
          </p>
          {focus ? (
            <button type="button" style={{ position: 'absolute', top: 8, right: 8 }} onClick={() => setFocus(false)}>
              Leave focus (Esc)
            </button>
          ) : null}
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
          <section className="panel" aria-label="Reward and its inputs" data-testid="reward-panel">
            <h2>Warm light (reward)</h2>
            <p>
              Reward: <strong data-testid="reward-value">{t.reward?.value == null ? 'collecting…' : pct(t.reward.value)}</strong> · level {t.level} (
              {REWARD_LEVELS[t.level].name})
            </p>
            <p className="muted">
              rate {pct(t.reward?.rateScore)} · following {pct(t.reward?.followScore)} (swing {pct(t.reward?.amplitudeScore)}, with pacer{' '}
              {pct(t.synchrony?.strength)}, phase {t.synchrony ? `${Math.round(t.synchrony.lagDeg)}°` : '—'}) · coherence {pct(t.reward?.coherenceScore)}
            </p>
            <p className="muted">
              Heart-rate swing per breath {fmt(ui.rsaPeakToTroughBpm, 1)} beats/min (your baseline {t.baseline.peakToTroughBpm.toFixed(1)}); baseline
              coherence {t.baseline.coherence.toFixed(2)}
            </p>
            {t.slowing ? (
              <p className="muted" data-testid="slowing-status">
                {t.slowing.waitingForMeasure
                  ? 'Measuring your own breathing rate…'
                  : t.slowing.done
                    ? `Reached ${t.slowing.targetBreathsPerMin.toFixed(1)} /min.`
                    : `Slowing gently toward ${t.slowing.targetBreathsPerMin.toFixed(1)} /min${t.slowing.holding ? ' (waiting for you)' : ''}.`}
                {t.slowing.breathingSource && !t.slowing.done
                  ? t.slowing.breathingSource === 'chest-acc'
                    ? ' Your breathing is measured from chest movement.'
                    : ' Your breathing is estimated from your heart rhythm.'
                  : ''}
              </p>
            ) : null}
          </section>
          <form className="panel controls" aria-label="Pacer settings" onSubmit={(e) => e.preventDefault()}>
            <label htmlFor={ids.rate}>
              Breathing rate: <output data-testid="pacer-rate">{ui.pacer.breathsPerMin.toFixed(1)}</output> breaths/min
            </label>
            <input
              id={ids.rate}
              type="range"
              min={PACER_MIN_BREATHS_PER_MIN}
              max={PACER_MAX_BREATHS_PER_MIN}
              step={PACER_RATE_STEP}
              value={ui.pacer.breathsPerMin}
              aria-label="Breathing rate (breaths per minute)"
              onChange={(e) => session.setPacer({ breathsPerMin: Number(e.currentTarget.value) })}
            />
            <label htmlFor={ids.ratio}>
              Breathing in: <output>{Math.round(ui.pacer.inhaleShare * 100)}</output> % of each breath
            </label>
            <input
              id={ids.ratio}
              type="range"
              min={0.3}
              max={0.7}
              step={0.05}
              value={ui.pacer.inhaleShare}
              aria-label="Share of each breath spent breathing in"
              onChange={(e) => session.setPacer({ inhaleShare: Number(e.currentTarget.value) })}
            />
            <label htmlFor={ids.holdIn}>
              Pause after breathing in: <output>{ui.pacer.pauseAfterInhaleS.toFixed(1)}</output> s (optional)
            </label>
            <input id={ids.holdIn} type="range" min={0} max={4} step={0.5} value={ui.pacer.pauseAfterInhaleS} onChange={(e) => session.setPacer({ pauseAfterInhaleS: Number(e.currentTarget.value) })} />
            <label htmlFor={ids.holdOut}>
              Pause after breathing out: <output>{ui.pacer.pauseAfterExhaleS.toFixed(1)}</output> s (optional)
            </label>
            <input id={ids.holdOut} type="range" min={0} max={4} step={0.5} value={ui.pacer.pauseAfterExhaleS} onChange={(e) => session.setPacer({ pauseAfterExhaleS: Number(e.currentTarget.value) })} />
            <label>
              <input
                type="checkbox"
                checked={trainer.progressiveSlowing}
                onChange={(e) => {
                  saveTrainer({ progressiveSlowing: e.currentTarget.checked });
                  session.setProgressiveSlowing(e.currentTarget.checked);
                }}
              />{' '}
              Start at my own breathing rate and slow down gently
            </label>
          </form>
          <details className="panel controls" data-testid="trainer-settings">
            <summary>Look, sound and challenge</summary>
            <label htmlFor={ids.style}>Look</label>
            <select id={ids.style} value={trainer.pacerStyle} onChange={(e) => saveTrainer({ pacerStyle: e.currentTarget.value === 'wave' ? 'wave' : 'orb' })}>
              <option value="orb">Breathing orb</option>
              <option value="wave">Horizon wave</option>
            </select>
            <label htmlFor={ids.motion}>Motion</label>
            <select
              id={ids.motion}
              value={reducedSetting}
              onChange={(e) => {
                const v = e.currentTarget.value === 'on' ? 'on' : e.currentTarget.value === 'off' ? 'off' : 'system';
                setReducedSetting(v);
                void api.invoke('settings:set', { reducedMotion: v });
              }}
            >
              <option value="system">As my system (reduced: {systemReduced ? 'yes' : 'no'})</option>
              <option value="on">Reduced motion: only light breathes</option>
              <option value="off">Full motion</option>
            </select>
            <label htmlFor={ids.level}>Challenge</label>
            <select id={ids.level} value={t.level} onChange={(e) => session.setRewardLevel(normalizeRewardLevel(Number(e.currentTarget.value)))}>
              {Object.entries(REWARD_LEVELS).map(([k, v]) => (
                <option key={k} value={k}>
                  {k} · {v.name}
                </option>
              ))}
            </select>
            <label>
              <input type="checkbox" checked={trainer.audioEnabled} onChange={(e) => saveTrainer({ audioEnabled: e.currentTarget.checked })} /> Sound guidance
            </label>
            <label htmlFor={ids.vol}>Volume</label>
            <input id={ids.vol} type="range" min={0} max={1} step={0.05} value={trainer.audioVolume} aria-label="Sound volume" onChange={(e) => saveTrainer({ audioVolume: Number(e.currentTarget.value) })} />
          </details>
          <div className="buttons">
              <button type="button" aria-pressed={focus} onClick={() => setFocus((x) => !x)}>
                Focus mode (F)
              </button>
              <button type="button" aria-pressed={eyesClosed} onClick={() => setEyesClosed(true)}>
                Eyes closed (E)
              </button>
              <span className="muted" ref={audioStatus} data-testid="audio-status" data-state="off" aria-live="polite">
                sound off
              </span>
            </div>
          <section className="panel" aria-label="Soothing rhythm breathing session">
            <h2>Soothing rhythm breathing</h2>
            {flow === 'idle' ? (
              <>
                <p className="muted">Settle (1½ min), breathe (10 min), rest (1 min), with optional ratings before and after.</p>
                <div className="buttons">
                  <button type="button" onClick={startSoothing}>
                    Begin a soothing session
                  </button>
                </div>
              </>
            ) : null}
            {flow === 'rate-before' ? <RatingsForm when="before" onDone={afterBefore} /> : null}
            {flow === 'running' ? (
              <div className="buttons">
                <button type="button" onClick={() => session.skipSoothingPhase()}>
                  Next phase
                </button>
                <button
                  type="button"
                  onClick={() => {
                    session.endSoothingSession();
                    setFlow('rate-after');
                  }}
                >
                  End session
                </button>
              </div>
            ) : null}
            {flow === 'rate-after' ? (
              <RatingsForm
                when="after"
                onDone={(r) => {
                  if (r) session.recordRatings('after', r);
                  session.endSoothingSession();
                  setFlow('idle');
                }}
              />
            ) : null}
            <GuidanceText open={flow === 'rate-before'} />
          </section>
          <SourcePanel session={session} api={api} ui={ui} />
          <SessionMarkers session={session} />
        </aside>
        <section className="panel chart" aria-label="Charts">
          <Tachogram data={ui.tachogram} ppg={ui.sourceKind === 'serial-ppg'} markers={liveMarkers} />
          {ui.sourceKind === 'serial-ppg' ? <PpgWaveform store={session.ppg} /> : null}
        </section>
      </div>
      <HelpText />
      <GuidanceRewardHelp />
      {eyesClosed ? (
        <div
          data-testid="eyes-closed-dim"
          role="dialog"
          aria-modal="true"
          aria-label="Eyes closed: follow the sound"
          style={{ position: 'fixed', inset: 0, zIndex: 30, background: 'rgba(4, 8, 16, 0.88)', display: 'flex', alignItems: 'flex-end', justifyContent: 'center' }}
          onClick={() => setEyesClosed(false)}
          // Tab stays on the one button: the controls behind the dimmed screen cannot be seen.
          onKeyDown={(e) => {
            if (e.key === 'Tab') e.preventDefault();
          }}
        >
          <p className="muted" style={{ marginBottom: 40 }}>
            Eyes closed: the sound rises as you breathe in and falls as you breathe out. Press Esc or click to open your eyes.
          </p>
          <button type="button" ref={openEyesButton} onClick={() => setEyesClosed(false)} style={{ position: 'absolute', top: 12, right: 12, background: 'transparent', color: 'var(--muted)' }}>
            Open eyes
          </button>
        </div>
      ) : null}
    </>
  );
}
