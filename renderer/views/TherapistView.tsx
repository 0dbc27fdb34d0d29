import { useEffect, useId, useMemo, useState, useSyncExternalStore } from 'react';
import type { ViewProps } from './view-props';
import { BUILTIN_SCRIPTS } from '../../shared/session-script/builtin-scripts';
import { PACER_MAX_BREATHS_PER_MIN, PACER_MIN_BREATHS_PER_MIN, PACER_RATE_STEP } from '../../shared/pacer/phase';
import { ScriptRunner } from '../session/script-runner';
import { ClientPublisher } from '../session/client-publisher';
import { Tachogram } from '../components/Tachogram';
import { SourcePanel } from '../components/SourcePanel';
import { ClientPanel } from '../components/ClientPanel';
import { ScriptEditor } from '../components/ScriptEditor';
import { RatingsForm } from '../components/RatingsForm';
import { REWARD_LEVELS, normalizeRewardLevel } from '../../shared/reward/compute-reward';
import type { PacerStyle } from '../../shared/types/settings';
import type { DisplayInfo } from '../../shared/types/client-view';
import type { SessionScript } from '../../shared/session-script/script';
import { auditTime, map } from 'rxjs';
import type { PmdState, WebBluetoothHr } from '../devices/web-bluetooth-hr';
import { LiveStrip } from '../components/LiveStrip';

const MARKER_PRESETS = ['Settling', 'Soothing rhythm breathing', 'Compassionate imagery', 'Self-critical recall', 'Compassionate response', 'Recovery', 'Client spoke', 'Dizziness / discomfort'] as const;

const fmt = (v: number | null | undefined, digits = 0): string => (v === null || v === undefined ? '—' : v.toFixed(digits));
const mmss = (s: number): string => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;

/**
 * The therapist console: live signals, the session script, pacer controls for the client's
 * screen, markers and notes. The client sees only the calm pacer and reward (ClientView).
 */
export function TherapistView({ session, api, navigate }: ViewProps) {
  const ui = useSyncExternalStore(session.ui.subscribe, session.ui.get);
  const liveMarkers = useSyncExternalStore(session.markers.subscribe, session.markers.get);
  const runner = useMemo(() => new ScriptRunner(session, BUILTIN_SCRIPTS[1] ?? BUILTIN_SCRIPTS[0]!), [session]);
  const publisher = useMemo(() => new ClientPublisher(api, session, runner), [api, session, runner]);
  const script = useSyncExternalStore(runner.state.subscribe, runner.state.get);
  const [eyesClosed, setEyesClosed] = useState(false);
  const [style, setStyle] = useState<PacerStyle>('orb');
  const [audioOn, setAudioOn] = useState(false);
  const [volume, setVolume] = useState(0.5);
  const [displays, setDisplays] = useState<readonly DisplayInfo[]>([]);
  const [displayId, setDisplayId] = useState<number | undefined>(undefined);
  const [ratingsFor, setRatingsFor] = useState<'before' | 'after' | null>(null);
  const [showCaption, setShowCaption] = useState(true);
  const [markerLabel, setMarkerLabel] = useState('');
  const [notes, setNotes] = useState('');
  const [clientMsg, setClientMsg] = useState<string | null>(null);
  const [marks, setMarks] = useState<{ label: string; atS: number }[]>([]);
  const [ownScripts, setOwnScripts] = useState<readonly SessionScript[]>([]);
  const [editing, setEditing] = useState(false);
  const [strap, setStrap] = useState<WebBluetoothHr | null>(null);
  const [pmd, setPmd] = useState<PmdState | null>(null);
  const allScripts = [...BUILTIN_SCRIPTS, ...ownScripts];
  const ids = { script: useId(), rate: useId(), ratio: useId(), marker: useId(), notes: useId(), style: useId(), vol: useId(), level: useId(), display: useId() };

  useEffect(() => {
    void api.invoke('scripts:list').then((r) => r.ok && setOwnScripts(r.value));
    void api.invoke('displays:list').then((r) => r.ok && setDisplays(r.value));
  }, [api]);

  // Polar H10 raw streams (issue 9): state at most twice a second; the traces draw themselves.
  useEffect(() => {
    if (!strap) return;
    const sub = strap.pmd$.pipe(auditTime(500)).subscribe(setPmd);
    return () => sub.unsubscribe();
  }, [strap]);
  const h10 = ui.sourceKind === 'ble' && strap ? pmd : null;
  const ecg$ = useMemo(() => strap?.ecg$.pipe(map((c) => ({ tMs: c.tMs, values: c.microVolts }))), [strap]);
  const rPeakTimes$ = useMemo(() => strap?.rPeaks$.pipe(map((p) => p.tMs)), [strap]);
  const chest$ = useMemo(() => strap?.chest$.pipe(map((c) => ({ tMs: c.tMs, values: c.valueMg }))), [strap]);
  const pacerVolume = useMemo(() => (tMs: number) => session.pacerAt(tMs).volume, [session]);

  useEffect(() => {
    publisher.start();
    return () => {
      publisher.stop();
      runner.dispose();
    };
  }, [publisher, runner]);

  const setPacer = (patch: Parameters<typeof session.setPacer>[0]): void => {
    session.setPacer(patch);
    void publisher.publish(); // the client's screen follows at once
  };
  const control = (f: () => void): void => {
    f();
    void publisher.publish();
  };
  const addMarker = (label: string): void => {
    const clean = label.trim() || 'Marker';
    session.addMarker(clean, 'therapist');
    setMarks((m) => [...m, { label: clean, atS: session.now() / 1000 }]);
    setMarkerLabel('');
  };
  const openClient = async (): Promise<void> => {
    setClientMsg(null);
    const r = await api.invoke('client:open-window', displayId === undefined ? {} : { displayId });
    if (r.ok) return;
    // Browser edition: a second window of this page, on the same services (token carried in the fragment).
    const url = new URL(location.href);
    url.searchParams.set('view', 'client');
    const w = window.open(url.toString(), 'soothe-client', 'popup,width=1024,height=768');
    setClientMsg(w ? 'Client view opened in a new window: move it to the client’s screen and make it full screen (F11).' : 'The browser blocked the new window: allow pop-ups for this page.');
  };

  const finish = async (): Promise<void> => {
    if (!script.finished && script.started) session.recordEvent('script', { action: 'finish' });
    publisher.end();
    await session.flush();
    if (session.recordingId) navigate?.('report', { session: session.recordingId });
  };

  const reward = ui.trainer.reward;
  const phase = script.started && !script.finished ? script.phase : null;

  return (
    <div className="console">
      <section className="panel" aria-label="Session script">
        <h2>Session</h2>
        {!script.started ? (
          <>
            <label htmlFor={ids.script}>Script</label>
            <select id={ids.script} value={runner.current.id} onChange={(e) => control(() => runner.choose(allScripts.find((s) => s.id === e.currentTarget.value) ?? runner.current))}>
              {allScripts.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.title}
                </option>
              ))}
            </select>
            <p className="muted">{runner.current.description}</p>
            <ol className="muted">
              {runner.current.phases.map((p) => (
                <li key={p.id}>
                  {p.title} · {mmss(p.durationS)}
                  {p.pacer ? '' : ' · no pacer'}
                </li>
              ))}
            </ol>
            <div className="buttons">
              <button type="button" onClick={() => control(() => runner.start())}>
                Start the script
              </button>
              <button type="button" aria-expanded={editing} onClick={() => setEditing(!editing)}>
                {editing ? 'Close the editor' : 'Edit a copy of this script'}
              </button>
            </div>
            {editing ? (
              <ScriptEditor
                key={runner.current.id}
                api={api}
                base={runner.current}
                onSaved={(saved) => {
                  setOwnScripts((list) => [...list.filter((x) => x.id !== saved.id), saved]);
                  runner.choose(saved);
                  setEditing(false);
                }}
              />
            ) : null}
          </>
        ) : script.finished ? (
          <p data-testid="script-phase">The script has finished.</p>
        ) : (
          <>
            <p data-testid="script-phase" aria-live="polite">
              Phase {script.phaseIndex + 1} of {runner.current.phases.length}: <strong>{phase?.title}</strong>
            </p>
            <p className="muted">
              {mmss(script.phaseElapsedS)} in · {mmss(script.phaseRemainingS)} left{script.paused ? ' · paused' : ''}
            </p>
            <p className="muted">{phase?.instructions}</p>
            <div className="buttons">
              {script.paused ? (
                <button type="button" onClick={() => control(() => runner.resume())}>
                  Resume
                </button>
              ) : (
                <button type="button" onClick={() => control(() => runner.pause())}>
                  Pause
                </button>
              )}
              <button type="button" onClick={() => control(() => runner.skip())}>
                Next phase
              </button>
              <button type="button" onClick={() => control(() => runner.extend(60))}>
                One more minute
              </button>
            </div>
          </>
        )}
        <ClientPanel api={api} session={session} onClient={() => void publisher.publish()} />
        <div className="buttons">
          <button type="button" onClick={() => setRatingsFor('before')} disabled={ui.trainer.ratings.before !== null}>
            {ui.trainer.ratings.before ? 'Rated before ✓' : 'Self-ratings before'}
          </button>
          <button type="button" onClick={() => setRatingsFor('after')} disabled={ui.trainer.ratings.after !== null}>
            {ui.trainer.ratings.after ? 'Rated after ✓' : 'Self-ratings after'}
          </button>
        </div>
        {ratingsFor ? (
          <RatingsForm
            when={ratingsFor}
            onDone={(r) => {
              if (r) session.recordRatings(ratingsFor, r);
              setRatingsFor(null);
            }}
          />
        ) : null}
        <button type="button" onClick={() => void finish()}>
          Finish and show the report
        </button>
        <h2>Client screen</h2>
        <div className="buttons">
          <button type="button" onClick={() => void openClient()}>
            Open the client view
          </button>
          <button type="button" onClick={() => publisher.end()}>
            End on the client screen
          </button>
        </div>
        {clientMsg ? <p className="muted">{clientMsg}</p> : null}
        <label>
          <input
            type="checkbox"
            checked={eyesClosed}
            onChange={(e) => {
              setEyesClosed(e.currentTarget.checked);
              publisher.setOptions({ eyesClosed: e.currentTarget.checked });
            }}
          />{' '}
          Eyes-closed mode (screen dimmed)
        </label>
        {displays.length > 1 ? (
          <>
            <label htmlFor={ids.display}>Client screen on</label>
            <select id={ids.display} value={displayId ?? ''} onChange={(e) => setDisplayId(e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value))}>
              <option value="">the other display</option>
              {displays.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.label} ({d.width}×{d.height}){d.primary ? ', this screen' : ''}
                </option>
              ))}
            </select>
          </>
        ) : null}
        <label htmlFor={ids.style}>Pacer style</label>
        <select
          id={ids.style}
          value={style}
          onChange={(e) => {
            const v = e.currentTarget.value === 'wave' ? 'wave' : 'orb';
            setStyle(v);
            publisher.setOptions({ style: v });
          }}
        >
          <option value="orb">Breathing orb</option>
          <option value="wave">Flowing horizon</option>
        </select>
        <label>
          <input
            type="checkbox"
            checked={audioOn}
            onChange={(e) => {
              setAudioOn(e.currentTarget.checked);
              publisher.setOptions({ audioOn: e.currentTarget.checked });
            }}
          />{' '}
          Breath sound on the client screen
        </label>
        <label htmlFor={ids.vol}>
          Volume <output>{Math.round(volume * 100)}</output> %
        </label>
        <input
          id={ids.vol}
          type="range"
          min={0}
          max={1}
          step={0.05}
          value={volume}
          onChange={(e) => {
            setVolume(Number(e.currentTarget.value));
            publisher.setOptions({ audioVolume: Number(e.currentTarget.value) });
          }}
        />
        <label htmlFor={ids.level}>Challenge level (how much it takes for the reward to grow)</label>
        <select id={ids.level} value={ui.trainer.level} onChange={(e) => session.setRewardLevel(normalizeRewardLevel(Number(e.currentTarget.value)))}>
          {([1, 2, 3, 4] as const).map((l) => (
            <option key={l} value={l}>
              {l}: {REWARD_LEVELS[l].name}
            </option>
          ))}
        </select>
        <label>
          <input
            type="checkbox"
            checked={showCaption}
            onChange={(e) => {
              setShowCaption(e.currentTarget.checked);
              publisher.setOptions({ showCaption: e.currentTarget.checked });
            }}
          />{' '}
          Show the phase name to the client
        </label>
      </section>

      <section className="panel console-live" aria-label="Live signals">
        <h2>Live</h2>
        <div className="console-metrics">
          <p>
            Heart rate <strong aria-label="Heart rate">{fmt(ui.hrBpm)}</strong> /min
          </p>
          <p>
            RMSSD <strong aria-label="RMSSD">{ui.rmssdMs === null ? 'collecting…' : fmt(ui.rmssdMs)}</strong> ms
          </p>
          <p>
            Coherence <strong aria-label="Coherence">{ui.coherence === null ? 'collecting…' : fmt(ui.coherence, 2)}</strong>
          </p>
          {h10?.acc === 'on' && h10.lastBreath ? (
            <p data-testid="console-breathing-measured">
              Breathing <strong aria-label="Breathing rate">{fmt(h10.lastBreath.breathsPerMin, 1)}</strong> /min vs pacer {ui.pacer.breathsPerMin.toFixed(1)} · breathing (measured from chest movement)
            </p>
          ) : (
            <p>
              Breathing <strong aria-label="Breathing rate">{fmt(ui.breathsPerMinMeasured, 1)}</strong> /min vs pacer {ui.pacer.breathsPerMin.toFixed(1)}
            </p>
          )}
          <p>
            Reward <strong aria-label="Reward" data-testid="console-reward">{reward?.value === null || reward === null ? 'collecting…' : fmt((reward.value ?? 0) * 100)}</strong>
            {reward && reward.value !== null
              ? ` (rate ${fmt((reward.rateScore ?? 0) * 100)}${reward.phaseScore !== null ? `, timing ${fmt(reward.phaseScore * 100)}` : ''}, amplitude ${fmt((reward.amplitudeScore ?? 0) * 100)}, synchrony ${fmt((reward.synchronyScore ?? 0) * 100)}, coherence ${fmt((reward.coherenceScore ?? 0) * 100)})`
              : ''}
            {reward && reward.value !== null && ui.trainer.breathingSource ? (
              <span className="muted" data-testid="reward-breathing-source">
                {' '}
                · breathing {ui.trainer.breathingSource === 'chest-acc' ? '(measured from chest movement)' : '(estimated from heart rhythm)'}
              </span>
            ) : null}
          </p>
          <p>
            Session clock <strong data-testid="session-clock">{mmss(ui.sessionS)}</strong>
          </p>
        </div>
        <Tachogram data={ui.tachogram} ppg={ui.sourceKind === 'serial-ppg'} markers={liveMarkers} />
        <SourcePanel session={session} api={api} ui={ui} onStrap={setStrap} />
        {h10?.ecg === 'on' && ecg$ ? (
          <section className="ecg-panel" aria-label="Raw ECG for researchers" data-testid="ecg-panel">
            <h3>Raw ECG (Polar H10, 130 Hz)</h3>
            <LiveStrip source$={ecg$} marks$={rPeakTimes$} windowMs={5000} capacity={1024} height={90} label="Raw ECG, the last 5 seconds, R-peaks ticked at the top" testId="ecg-strip" />
            <EcgQualityTable pmd={h10} />
          </section>
        ) : null}
      </section>

      <section className="panel" aria-label="Pacer, markers and notes">
        <h2>Pacer</h2>
        <label htmlFor={ids.rate}>
          Rate: <output data-testid="console-rate">{ui.pacer.breathsPerMin.toFixed(1)}</output> breaths/min
        </label>
        <input id={ids.rate} type="range" min={PACER_MIN_BREATHS_PER_MIN} max={PACER_MAX_BREATHS_PER_MIN} step={PACER_RATE_STEP} value={ui.pacer.breathsPerMin} aria-label="Client pacer rate (breaths per minute)" onChange={(e) => setPacer({ breathsPerMin: Number(e.currentTarget.value) })} />
        <label htmlFor={ids.ratio}>
          Breathing in: <output>{Math.round(ui.pacer.inhaleShare * 100)}</output> %
        </label>
        <input id={ids.ratio} type="range" min={0.3} max={0.7} step={0.05} value={ui.pacer.inhaleShare} aria-label="Client pacer: share of each breath spent breathing in" onChange={(e) => setPacer({ inhaleShare: Number(e.currentTarget.value) })} />
        {h10?.acc === 'on' && chest$ ? (
          <div data-testid="breathing-trace-panel">
            <p className="muted">
              Breathing (measured from chest movement), the last minute: the measured breath (breathing in goes up) over the pacer (faint)
              {h10.lastBreath ? ` · ${h10.lastBreath.breathsPerMin.toFixed(1)} /min${h10.lastBreath.pacerPhaseDeg !== null ? `, ${h10.lastBreath.pacerPhaseDeg > 0 ? '+' : ''}${h10.lastBreath.pacerPhaseDeg.toFixed(0)}° from the pacer` : ''}` : ' · waiting for the first breaths'}
            </p>
            <LiveStrip source$={chest$} reference={pacerVolume} windowMs={60_000} capacity={2048} height={70} label="Breathing measured from chest movement over the last minute, with the pacer" testId="breathing-strip" />
          </div>
        ) : null}
        <h2>Markers</h2>
        <div className="buttons">
          {MARKER_PRESETS.map((m) => (
            <button key={m} type="button" onClick={() => addMarker(m)}>
              {m}
            </button>
          ))}
        </div>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            addMarker(markerLabel);
          }}
        >
          <label htmlFor={ids.marker}>Marker label</label>
          <input id={ids.marker} value={markerLabel} onChange={(e) => setMarkerLabel(e.currentTarget.value)} />
          <button type="submit">Add marker</button>
        </form>
        <ul className="muted" data-testid="console-markers">
          {marks.map((m, i) => (
            <li key={i}>
              {mmss(m.atS)} {m.label}
            </li>
          ))}
        </ul>
        <h2>Notes</h2>
        <label htmlFor={ids.notes} className="muted">
          Notes (saved with the session when you leave the box)
        </label>
        <textarea
          id={ids.notes}
          rows={6}
          value={notes}
          onChange={(e) => setNotes(e.currentTarget.value)}
          onBlur={() => {
            if (notes.trim()) session.recordEvent('note', { text: notes });
          }}
        />
      </section>
    </div>
  );
}

/** The strap's RR intervals checked against the R-peaks of its raw ECG (shared/signal/ecg-rr-quality.ts). */
function EcgQualityTable({ pmd }: { readonly pmd: PmdState }) {
  const q = pmd.ecgQuality;
  if (!q) return <p className="muted">R-peaks found: {pmd.rPeaks} · comparing them with the strap’s RR intervals (every 5 s, over the last minute)…</p>;
  const ms = (v: number | null): string => (v === null ? '—' : `${v.toFixed(1)} ms`);
  return (
    <table className="ecg-quality" data-testid="ecg-quality">
      <caption className="muted">Strap RR vs ECG R-peaks, last minute</caption>
      <tbody>
        <tr>
          <th scope="row">R-peaks found</th>
          <td>{pmd.rPeaks}</td>
        </tr>
        <tr>
          <th scope="row">Strap beats matched in the ECG</th>
          <td>
            {q.matchedBeats} of {q.strapRr}
          </td>
        </tr>
        <tr>
          <th scope="row">RR difference, median / p95</th>
          <td>
            {ms(q.rrDiffMedianMs)} / {ms(q.rrDiffP95Ms)}
          </td>
        </tr>
        <tr>
          <th scope="row">Strap RR not confirmed by the ECG</th>
          <td>{q.unconfirmedShare === null ? '—' : `${(q.unconfirmedShare * 100).toFixed(1)} %`}</td>
        </tr>
        <tr>
          <th scope="row">Strap intervals that skip an ECG beat</th>
          <td>{q.joinedRr}</td>
        </tr>
        <tr>
          <th scope="row">ECG time minus strap time</th>
          <td>{ms(q.offsetMs)}</td>
        </tr>
      </tbody>
    </table>
  );
}
