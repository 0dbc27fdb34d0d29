import { useCallback, useEffect, useRef, useState } from 'react';
import type { SootheApi } from '../../shared/ipc/contract';
import type { ClientViewState } from '../../shared/types/client-view';
import { pacerPhase, startPacer } from '../../shared/pacer/phase';
import { PacerCanvas } from '../pixi/PacerCanvas';
import { useSystemReducedMotion } from '../hooks/useReducedMotion';

/** Epoch milliseconds on a clock shared by every window of this machine. */
const epochNow = (): number => performance.timeOrigin + performance.now();

/**
 * The client's screen: the calm pacer and the reward only, large, nothing clinical. Everything
 * it shows comes from the therapist console ('client:state'); it starts no source and records nothing.
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

  const rate = state?.schedule[state.schedule.length - 1]?.settings.breathsPerMin;
  const reward = state?.reward ?? 0;
  return (
    <div className={`client-view${state?.eyesClosed ? ' eyes-closed' : ''}`} data-testid="client-view" data-seq={state?.seq ?? -1} data-reward={reward.toFixed(2)}>
      {state === null ? (
        <p className="client-caption">Waiting for your therapist to begin…</p>
      ) : state.ended ? (
        <p className="client-caption">Thank you. The session has ended.</p>
      ) : (
        <>
          {state.pacerVisible ? (
            <div className="client-pacer" style={{ filter: `brightness(${0.85 + 0.3 * reward})` }}>
              <PacerCanvas phaseNow={phaseNow} reducedMotion={reduced} label={`Breathing pacer at ${rate ?? ''} breaths per minute`} />
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
    </div>
  );
}
