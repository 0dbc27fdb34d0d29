import { useEffect, useId, useState } from 'react';
import type { SootheApi } from '../../shared/ipc/contract';
import type { ClientRecord } from '../../shared/types/client-record';
import type { SessionListEntry } from '../../shared/session-format/library-types';
import type { Session } from '../session/session';

const f = (v: number | null | undefined, d = 0): string => (v === null || v === undefined ? '—' : v.toFixed(d));

/**
 * The client this session is with: a pseudonymous code (no names), their resonance rate and
 * preferred pacer, and their earlier sessions side by side.
 */
export function ClientPanel({ api, session, onClient }: { readonly api: SootheApi; readonly session: Session; readonly onClient: (c: ClientRecord | null) => void }) {
  const [clients, setClients] = useState<readonly ClientRecord[]>([]);
  const [current, setCurrent] = useState<ClientRecord | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [history, setHistory] = useState<readonly SessionListEntry[]>([]);
  const codeId = useId();

  useEffect(() => {
    void api.invoke('clients:list').then((r) => r.ok && setClients(r.value));
  }, [api]);

  useEffect(() => {
    if (!current || current.sessionIds.length === 0) return setHistory([]);
    void api.invoke('sessions:list').then((r) => {
      if (r.ok) setHistory(r.value.filter((s) => current.sessionIds.includes(s.id) && s.id !== session.recordingId));
    });
  }, [api, current, session]);

  const choose = async (c: string): Promise<void> => {
    setError(null);
    const trimmed = c.trim();
    const existing = clients.find((x) => x.code === trimmed);
    const rec = existing ?? null;
    const saved = await api.invoke('clients:save', { code: trimmed, ...(session.recordingId ? { sessionIds: [session.recordingId] } : {}) });
    if (!saved.ok) return setError(saved.error);
    setCurrent(saved.value);
    onClient(saved.value);
    session.recordEvent('client', { code: saved.value.code });
    const pacer = rec?.pacer ?? (rec?.resonanceBreathsPerMin ? { breathsPerMin: rec.resonanceBreathsPerMin } : null);
    if (pacer) session.setPacer(pacer);
    const all = await api.invoke('clients:list');
    if (all.ok) setClients(all.value);
  };

  const exportRecord = async (): Promise<void> => {
    if (!current) return;
    const r = await api.invoke('clients:export', current.code);
    if (!r.ok) return setError(r.error);
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([r.value.json], { type: 'application/json' }));
    a.download = r.value.fileName;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  };

  const deleteRecord = async (): Promise<void> => {
    if (!current) return;
    // The record only: the sessions themselves stay in the library (delete them there).
    if (!window.confirm(`Delete the client record ${current.code}? Its sessions stay in the Sessions library.`)) return;
    const r = await api.invoke('clients:delete', current.code);
    if (!r.ok) return setError(r.error);
    setCurrent(null);
    onClient(null);
    const all = await api.invoke('clients:list');
    if (all.ok) setClients(all.value);
  };

  const rememberPacer = async (): Promise<void> => {
    if (!current) return;
    const saved = await api.invoke('clients:save', { code: current.code, pacer: session.pacerSettings });
    if (saved.ok) setCurrent(saved.value);
  };

  return (
    <section aria-label="Client">
      <h2>Client</h2>
      {current ? (
        <>
          <p data-testid="client-code">
            Client <strong>{current.code}</strong>
            {current.resonanceBreathsPerMin ? ` · resonance ${current.resonanceBreathsPerMin} /min` : ''}
          </p>
          <div className="buttons">
            <button type="button" onClick={() => void rememberPacer()}>
              Remember this pacer for {current.code}
            </button>
            <button type="button" onClick={() => void exportRecord()}>
              Export the record
            </button>
            <button type="button" onClick={() => void deleteRecord()}>
              Delete the record…
            </button>
          </div>
          {history.length > 0 ? (
            <table className="compare-table">
              <caption>Earlier sessions</caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Minutes</th>
                  <th scope="col">Resting RMSSD</th>
                  <th scope="col">Mean coherence</th>
                  <th scope="col">Breathing</th>
                </tr>
              </thead>
              <tbody>
                {history.map((s) => (
                  <tr key={s.id}>
                    <td>{new Date(s.wallClockStartIso).toLocaleDateString()}</td>
                    <td>{f(s.summary ? s.summary.durationMs / 60_000 : null)}</td>
                    <td>{f(s.summary?.restingRmssdMs)}</td>
                    <td>{f(s.summary?.meanCoherence, 2)}</td>
                    <td>{f(s.summary?.meanBreathsPerMin, 1)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void choose(code);
          }}
        >
          <label htmlFor={codeId}>Client code (a pseudonym such as C-014; no names needed)</label>
          <input id={codeId} list={`${codeId}-list`} value={code} onChange={(e) => setCode(e.currentTarget.value)} />
          <datalist id={`${codeId}-list`}>
            {clients.map((c) => (
              <option key={c.code} value={c.code} />
            ))}
          </datalist>
          <button type="submit" disabled={code.trim() === ''}>
            Use this client
          </button>
        </form>
      )}
      {error ? <p role="alert">{error}</p> : null}
    </section>
  );
}
