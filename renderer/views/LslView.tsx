import { useCallback, useEffect, useId, useState } from 'react';
import type { ViewProps } from './view-props';
import type { LslStatus, LslStreamChoice } from '../../shared/types/lsl';

/**
 * Lab streaming (LSL): turns Soothe's streams on or off for LabRecorder and other LSL tools, shows
 * which streams are served and how many recorders read them, and picks an experiment's marker
 * stream (PsychoPy…) to record into the session. Plain form controls: keyboard and screen readers
 * work as for any form; nothing moves.
 */

const STATUS_REFRESH_MS = 2000;
const rate = (hz: number): string => (hz > 0 ? `${hz} Hz` : 'irregular');
const key = (c: { name: string; sourceId: string }): string => `${c.name}\u0000${c.sourceId}`;

export function LslView({ api }: ViewProps) {
  const ids = { share: useId(), streams: useId(), markers: useId() };
  const [status, setStatus] = useState<LslStatus | null>(null);
  const [choices, setChoices] = useState<readonly LslStreamChoice[] | null>(null);
  const [picked, setPicked] = useState<string>('');
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    const r = await api.invoke('lsl:status');
    if (r.ok) setStatus(r.value);
  }, [api]);

  useEffect(() => {
    void refresh();
    const off = api.on('lsl:status', (s) => setStatus(s));
    // reader counts and sample totals change without events: a slow poll keeps them current
    const t = setInterval(() => void refresh(), STATUS_REFRESH_MS);
    return () => {
      off();
      clearInterval(t);
    };
  }, [api, refresh]);

  const toggle = async (on: boolean): Promise<void> => {
    setBusy(true);
    const r = await api.invoke('lsl:enable', on);
    setBusy(false);
    if (r.ok) setStatus(r.value);
    else setNote(`LSL could not be turned ${on ? 'on' : 'off'}: ${r.error}`);
  };

  const find = async (): Promise<void> => {
    setBusy(true);
    setNote('Looking for marker streams…');
    const r = await api.invoke('lsl:marker-streams');
    setBusy(false);
    if (!r.ok) return setNote(`Search failed: ${r.error}`);
    setChoices(r.value);
    setNote(r.value.length ? null : 'No marker streams found. Is the experiment running and on this network?');
    const first = r.value[0];
    if (first && !picked) setPicked(key(first));
  };

  const follow = async (pick: LslStreamChoice | null): Promise<void> => {
    const r = await api.invoke('lsl:subscribe', pick ? { name: pick.name, sourceId: pick.sourceId } : null);
    if (r.ok) setStatus(r.value);
    else setNote(r.error);
  };

  const chosen = choices?.find((c) => key(c) === picked) ?? null;
  const inlet = status?.inlet ?? null;

  return (
    <div className="main">
      <section className="panel" aria-labelledby={ids.share}>
        <h2 id={ids.share}>Lab streaming (LSL)</h2>
        <p className="muted">
          Shares heart beats, heart rate, the pacer, the reward and session markers with LabRecorder, PsychoPy, OpenViBE and other Lab Streaming Layer
          tools on this network. It stays off unless you turn it on here.
        </p>
        <label>
          <input type="checkbox" checked={status?.enabled ?? false} disabled={busy || status === null} onChange={(e) => void toggle(e.target.checked)} /> Share Soothe&apos;s
          streams on the lab network
        </label>
        <p className="muted" role="status" aria-live="polite" data-testid="lsl-message">
          {status?.message ?? '…'}
        </p>
        {status && status.streams.length > 0 ? (
          <table className="compare-table" aria-labelledby={ids.streams}>
            <caption id={ids.streams} className="muted">
              Soothe&apos;s streams
            </caption>
            <thead>
              <tr>
                <th scope="col">stream</th>
                <th scope="col">type</th>
                <th scope="col">channels</th>
                <th scope="col">rate</th>
                <th scope="col">recorders reading</th>
                <th scope="col">samples sent</th>
              </tr>
            </thead>
            <tbody>
              {status.streams.map((s) => (
                <tr key={s.sourceId}>
                  <td>{s.name}</td>
                  <td>{s.type}</td>
                  <td>{s.channels}</td>
                  <td>{rate(s.nominalSrateHz)}</td>
                  <td>{s.consumers}</td>
                  <td>{s.samples}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>

      <section className="panel" aria-labelledby={ids.markers}>
        <h2 id={ids.markers}>Markers from an experiment</h2>
        <p className="muted">Pick the marker stream of your experiment software; its markers are saved in the session beside Soothe&apos;s own, on Soothe&apos;s clock.</p>
        <div className="buttons">
          <button type="button" onClick={() => void find()} disabled={busy || !status?.enabled}>
            Find marker streams
          </button>
        </div>
        {choices && choices.length > 0 ? (
          <fieldset>
            <legend className="muted">Marker streams found</legend>
            {choices.map((c) => (
              <label key={key(c)} style={{ display: 'block' }}>
                <input type="radio" name="lsl-marker-stream" value={key(c)} checked={picked === key(c)} onChange={() => setPicked(key(c))} /> {c.name} on {c.hostname || 'unknown host'}
              </label>
            ))}
            <div className="buttons">
              <button type="button" onClick={() => void follow(chosen)} disabled={!chosen}>
                Record this stream&apos;s markers
              </button>
            </div>
          </fieldset>
        ) : null}
        {note ? <p className="muted">{note}</p> : null}
        {inlet ? (
          <div>
            <p className="muted" data-testid="lsl-inlet">
              {inlet.pick.name}: {inlet.state === 'connected' ? 'connected' : inlet.state === 'searching' ? 'looking for it…' : 'stopped'}, {inlet.markers} marker
              {inlet.markers === 1 ? '' : 's'} received
              {inlet.correctionS !== null ? `, clock offset ${(inlet.correctionS * 1000).toFixed(1)} ms` : ''}
            </p>
            <div className="buttons">
              <button type="button" onClick={() => void follow(null)}>
                Stop recording its markers
              </button>
            </div>
          </div>
        ) : null}
      </section>
    </div>
  );
}
