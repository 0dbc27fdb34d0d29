import { useCallback, useEffect, useRef, useState } from 'react';
import type { SootheApi } from '../../shared/ipc/contract';
import type { ClientViewState } from '../../shared/types/client-view';
import { pacerPhase, startPacer } from '../../shared/pacer/phase';
import { PacerCanvas } from '../pixi/PacerCanvas';
import { BreathAudio } from '../audio/breath-audio';
import { useSystemReducedMotion } from '../hooks/useReducedMotion';

/** Epoch milliseconds on a clock shared by every window of this machine. */
const epochNow = (): number => performance.timeOrigin + performance.now();

/**
 * The client's screen: the calm pacer and the reward only, large, nothing clinical. Everything
 * it shows comes from the therapist console ('client:state'); it starts no source and records
 * nothing. The breath sound plays here, on the client's computer, when the therapist turns it on
 * (and always with the eyes closed).
 */
export function ClientView({ api }: { readonly api: SootheApi }) {
  const [state, setState] = useState<ClientViewState | null>(null);
  const latest = useRef<ClientViewState | null>(null);
  const reduced = useSystemReducedMotion();
  useEffect(
    () =>
      api.on('client:state', (s) => {
        if (latest.current && s.seq <= latest.current.seq && s.sessionEpochStartMs === latest.current.sessionEpochStartMs) return;
        latest.current = s;
        setState(s);
      }),
    [api],
  );
  const fallback = useRef(startPacer(0));
  const phaseNow = useCallback(() => {
    const s = latest.current;
    if (!s) return pacerPhase(fallback.current, 0);
    return pacerPhase(s.schedule, (epochNow() - s.sessionEpochStartMs) * s.speed);
  }, []);
  const rewardNow = useCallback(() => latest.current?.reward ?? 0, []);
  const visibleNow = useCallback(() => latest.current?.pacerVisible ?? true, []);

  const soundOn = !!state && !state.ended && (state.audio.on || state.eyesClosed);
  const volume = state?.audio.volume ?? 0.5;
  const audio = useRef<BreathAudio | null>(null);
  // The volume reaches a running sound through setVolume, without restarting it.
  const volumeRef = useRef(volume);
  const [audioState, setAudioState] = useState('off');
  useEffect(() => {
    volumeRef.current = volume;
    audio.current?.setVolume(volume);
  }, [volume]);
  useEffect(() => {
    if (!soundOn) return;
    const a = new BreathAudio(phaseNow, visibleNow);
    audio.current = a;
    void a.start(volumeRef.current).then(() => setAudioState(a.status.state));
    return () => {
      audio.current = null;
      setAudioState('off');
      void a.stop();
    };
  }, [soundOn, phaseNow, visibleNow]);

  const rate = state?.schedule[state.schedule.length - 1]?.settings.breathsPerMin;
  return (
    <main
      className={`client-view${state?.eyesClosed ? ' eyes-closed' : ''}`}
      data-testid="client-view"
      data-seq={state?.seq ?? -1}
      data-reward={(state?.reward ?? 0).toFixed(2)}
      data-audio={audioState}
    >
      {state === null ? (
        <p className="client-caption">Waiting for your therapist to begin…</p>
      ) : state.ended ? (
        <p className="client-caption">Thank you. The session has ended.</p>
      ) : (
        <>
          {state.pacerVisible ? (
            <div className="client-pacer">
              <PacerCanvas
                phaseNow={phaseNow}
                rewardNow={rewardNow}
                pacerVisibleNow={visibleNow}
                style={state.style}
                maxFps={state.eyesClosed ? 10 : 0}
                reducedMotion={reduced}
                label={`Breathing pacer at ${rate ?? ''} breaths per minute`}
              />
            </div>
          ) : (
            <div className="client-rest" aria-label="Resting: no pacer in this part of the session" role="img" />
          )}
          {state.caption ? (
            <p className="client-caption" data-testid="client-caption">
              {state.caption}
            </p>
          ) : null}
        </>
      )}
    </main>
  );
}
