import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { ViewProps } from './view-props';
import type { SessionDetail, SessionExportFormat, SessionListEntry } from '../../shared/session-format/library-types';
import { SessionCharts, sessionChartData } from '../components/session-charts';
import { SessionProgress } from '../components/session-progress';
import { createReplaySource } from '../session/replay-source';
import './sessions.css';

/**
 * The session library: every recorded or imported session (date, duration, source, type, key
 * numbers, interrupted/damaged badges), progress over weeks, and one session opened for review:
 * its charts with markers, rename, notes, export, replay and delete (with confirmation).
 */

const fmt = (v: number | null | undefined, d = 0): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(d));
const duration = (ms: number): string => {
  const s = Math.round(ms / 1000);
  return s >= 3600 ? `${Math.floor(s / 3600)} h ${Math.floor(s / 60) % 60} min` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
};
const when = (iso: string): string => {
  const d = new Date(iso);
  return Number.isFinite(d.getTime()) ? d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : iso;
};
const title = (s: SessionListEntry): string => s.name || when(s.wallClockStartIso);

const EXPORTS: readonly { format: SessionExportFormat; label: string }[] = [
  { format: 'csv', label: 'CSV' },
  { format: 'json', label: 'JSON' },
  { format: 'kubios', label: 'Kubios RR' },
  { format: 'edf', label: 'EDF+' },
];

function Badges({ s }: { readonly s: SessionListEntry }) {
  return (
    <>
      {s.recording ? <span className="badge">recording</span> : null}
      {s.interrupted ? (
        <span className="badge" title={s.droppedPartialLines ? `${s.droppedPartialLines} cut line(s) dropped on recovery` : 'ended early'}>
          interrupted
        </span>
      ) : null}
      {s.damaged.length > 0 ? (
        <span className="badge" title={s.damaged.join('; ')}>
          damaged
        </span>
      ) : null}
    </>
  );
}

function download(fileName: string, mime: string, base64: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function SessionReview({ detail, api, session, onChanged, onClosed }: ViewProps & { readonly detail: SessionDetail; readonly onChanged: () => void; readonly onClosed: () => void }) {
  const [name, setName] = useState(detail.name);
  const [notes, setNotes] = useState(detail.notes);
  const [message, setMessage] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [speed, setSpeed] = useState(1);
  const nameId = useId();
  const notesId = useId();
  const speedId = useId();
  const charts = useMemo(() => sessionChartData(detail.events), [detail.events]);
  const busy = detail.recording;
  // Opening a session moves the focus to it (it appears above the list, out of the Tab order's
  // way); a screen reader then reads its title. Once per session: the review remounts per id.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const rename = async (): Promise<void> => {
    const r = await api.invoke('sessions:rename', detail.id, name);
    setMessage(r.ok ? 'Name saved.' : `Could not rename: ${r.error}`);
    if (r.ok) onChanged();
  };
  const saveNotes = async (): Promise<void> => {
    const r = await api.invoke('sessions:note', detail.id, notes);
    setMessage(r.ok ? 'Notes saved.' : `Could not save the notes: ${r.error}`);
    if (r.ok) onChanged();
  };
  const exportAs = async (format: SessionExportFormat): Promise<void> => {
    const r = await api.invoke('sessions:export', detail.id, format);
    if (!r.ok) return setMessage(`Could not export: ${r.error}`);
    download(r.value.fileName, r.value.mime, r.value.base64);
    setMessage(`Exported ${r.value.fileName} (${(r.value.bytes / 1024).toFixed(1)} kB).`);
  };
  const remove = async (): Promise<void> => {
    const r = await api.invoke('sessions:delete', detail.id);
    setConfirming(false);
    if (!r.ok) return setMessage(`Could not delete: ${r.error}`);
    onClosed();
    onChanged();
  };
  const replay = async (): Promise<void> => {
    const src = createReplaySource(detail.events, { clock: () => session.now(), speed, name: title(detail) });
    if (src.total === 0) return setMessage('This session has no beats to replay.');
    await session.useSource(src);
    setMessage(`Replaying ${src.total} beats at ${speed}× as the live source: open Practice to watch it.`);
  };

  return (
    <section className="panel session-review" aria-label={`Session ${title(detail)}`} data-testid="session-review">
      <h2 tabIndex={-1} ref={heading}>
        {title(detail)} <Badges s={detail} />
      </h2>
      <p className="muted">
        {when(detail.wallClockStartIso)} · {detail.summary ? duration(detail.summary.durationMs) : '—'} · {detail.source} · {detail.type}
      </p>
      {detail.damaged.length > 0 ? (
        <p className="notice" data-testid="session-damage">
          Parts of this session could not be read and are left out: {detail.damaged.join('; ')}.
        </p>
      ) : null}
      <SessionCharts data={charts} />
      {charts.markers.length > 0 ? (
        <table className="session-table" data-testid="session-markers">
          <caption>Markers</caption>
          <thead>
            <tr>
              <th scope="col">time (s)</th>
              <th scope="col">label</th>
            </tr>
          </thead>
          <tbody>
            {charts.markers.map((m, i) => (
              <tr key={i}>
                <td>{(m.tMs / 1000).toFixed(1)}</td>
                <td>{m.label || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No markers in this session.</p>
      )}
      <form
        className="session-edit"
        onSubmit={(e) => {
          e.preventDefault();
          void rename();
        }}
      >
        <label htmlFor={nameId}>Name</label>
        <input id={nameId} value={name} maxLength={200} disabled={busy} onChange={(e) => setName(e.currentTarget.value)} />
        <button type="submit" disabled={busy}>
          Rename
        </button>
      </form>
      <div className="session-edit">
        <label htmlFor={notesId}>Notes</label>
        <textarea id={notesId} value={notes} rows={3} maxLength={20_000} disabled={busy} onChange={(e) => setNotes(e.currentTarget.value)} />
        <button type="button" disabled={busy} onClick={() => void saveNotes()}>
          Save notes
        </button>
      </div>
      <div className="buttons" role="group" aria-label="Export">
        {EXPORTS.map((x) => (
          <button key={x.format} type="button" onClick={() => void exportAs(x.format)}>
            Export {x.label}
          </button>
        ))}
      </div>
      <div className="buttons">
        <label htmlFor={speedId}>Replay speed</label>
        <select id={speedId} value={speed} onChange={(e) => setSpeed(Number(e.currentTarget.value))}>
          {[1, 2, 5, 10, 30].map((v) => (
            <option key={v} value={v}>
              {v}×
            </option>
          ))}
        </select>
        <button type="button" onClick={() => void replay()}>
          Replay
        </button>
        {confirming ? (
          <span role="alertdialog" aria-label="Confirm delete" className="confirm">
            Delete this session for good?{' '}
            <button type="button" onClick={() => void remove()}>
              Yes, delete
            </button>{' '}
            <button type="button" autoFocus onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </span>
        ) : (
          <button type="button" disabled={busy} onClick={() => setConfirming(true)}>
            Delete…
          </button>
        )}
        <button type="button" onClick={onClosed}>
          Close
        </button>
      </div>
      <p className="muted" aria-live="polite" data-testid="session-message">
        {message ?? ''}
      </p>
    </section>
  );
}

export function SessionsView({ session, api }: ViewProps) {
  const [sessions, setSessions] = useState<readonly SessionListEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<SessionDetail | null>(null);
  const [importMsg, setImportMsg] = useState<string | null>(null);
  const importId = useId();

  const refresh = useCallback(async () => {
    const r = await api.invoke('sessions:list');
    if (r.ok) {
      setSessions(r.value);
      setError(null);
    } else setError(r.error);
  }, [api]);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const openSession = async (id: string): Promise<void> => {
    const r = await api.invoke('sessions:get', id);
    if (r.ok) setOpen(r.value);
    else setError(`Could not open the session: ${r.error}`);
  };
  const importFile = async (file: File): Promise<void> => {
    const r = await api.invoke('sessions:import', file.name, await file.text());
    setImportMsg(r.ok ? `Imported ${r.value.beats} beats from ${file.name}.` : `Could not import ${file.name}: ${r.error}`);
    if (r.ok) await refresh();
  };

  return (
    <div className="sessions">
      <section className="panel" aria-label="Progress over weeks">
        <h2>Progress over weeks</h2>
        {sessions ? <SessionProgress sessions={sessions} /> : null}
      </section>
      {open ? (
        <SessionReview
          key={open.id}
          detail={open}
          api={api}
          session={session}
          onChanged={() => {
            void refresh();
            void openSession(open.id).catch(() => undefined);
          }}
          onClosed={() => {
            setOpen(null);
            // Back to where the person came from: the session's Open button in the list (if it is still there).
            requestAnimationFrame(() => document.querySelector<HTMLButtonElement>(`tr[data-session-id="${CSS.escape(open.id)}"] button`)?.focus());
          }}
        />
      ) : null}
      <section className="panel" aria-label="Sessions">
        <h2>Sessions</h2>
        <div className="buttons">
          <button type="button" onClick={() => void refresh()}>
            Refresh
          </button>
          <label htmlFor={importId}>Import an RR file or a Soothe export:</label>
          <input
            id={importId}
            type="file"
            accept=".txt,.csv,.json,.ndjson,.rr,.hrv,text/plain,text/csv,application/json"
            onChange={(e) => {
              const f = e.currentTarget.files?.[0];
              if (f) void importFile(f);
              e.currentTarget.value = '';
            }}
          />
        </div>
        {importMsg ? <p aria-live="polite">{importMsg}</p> : null}
        {error ? <p className="notice">{error}</p> : null}
        {sessions === null ? (
          <p className="muted">Loading…</p>
        ) : sessions.length === 0 ? (
          <p className="muted">No sessions yet.</p>
        ) : (
          <table className="session-table" data-testid="session-list">
            <thead>
              <tr>
                <th scope="col">date</th>
                <th scope="col">duration</th>
                <th scope="col">source</th>
                <th scope="col">type</th>
                <th scope="col">mean HR</th>
                <th scope="col">RMSSD (ms)</th>
                <th scope="col">coherence</th>
                <th scope="col">markers</th>
                <th scope="col">
                  <span className="visually-hidden">open</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.id} data-session-id={s.id}>
                  <td>
                    {title(s)} <Badges s={s} />
                  </td>
                  <td>{s.summary ? duration(s.summary.durationMs) : '—'}</td>
                  <td>{s.source}</td>
                  <td>{s.type}</td>
                  <td>{fmt(s.summary?.meanHrBpm)}</td>
                  <td>{fmt(s.summary?.meanRmssdMs)}</td>
                  <td>{fmt(s.summary?.meanCoherence, 2)}</td>
                  <td>{s.summary?.markers ?? '—'}</td>
                  <td>
                    <button type="button" aria-label={`Open session ${title(s)}`} onClick={() => void openSession(s.id)}>
                      Open
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
