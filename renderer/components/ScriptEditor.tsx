import { useId, useState } from 'react';
import type { SootheApi } from '../../shared/ipc/contract';
import { validateScript, type PhaseKind, type ScriptPhase, type SessionScript } from '../../shared/session-script/script';

const KINDS: readonly { id: PhaseKind; label: string }[] = [
  { id: 'baseline', label: 'Baseline' },
  { id: 'breathing', label: 'Breathing' },
  { id: 'imagery', label: 'Imagery' },
  { id: 'stressor', label: 'Stressor / recall' },
  { id: 'recovery', label: 'Recovery' },
  { id: 'rest', label: 'Rest' },
];

/**
 * Edit a session script: start from any script, change phases (title, kind, minutes, pacer,
 * instructions), add, remove or reorder them, and save it as the therapist's own script.
 */
export function ScriptEditor({ api, base, onSaved }: { readonly api: SootheApi; readonly base: SessionScript; readonly onSaved: (s: SessionScript) => void }) {
  const [draft, setDraft] = useState<SessionScript>(() => ({ ...base, id: `${base.id}-mine`, title: `${base.title} (my version)` }));
  const [message, setMessage] = useState<string | null>(null);
  const titleId = useId();
  const setPhase = (i: number, patch: Partial<ScriptPhase>): void => setDraft((d) => ({ ...d, phases: d.phases.map((p, k) => (k === i ? { ...p, ...patch } : p)) }));
  const move = (i: number, by: number): void =>
    setDraft((d) => {
      const phases = [...d.phases];
      const j = i + by;
      if (j < 0 || j >= phases.length) return d;
      const [p] = phases.splice(i, 1);
      if (p) phases.splice(j, 0, p);
      return { ...d, phases };
    });
  const save = async (): Promise<void> => {
    const v = validateScript(draft);
    if (!v.ok) return setMessage(`Not saved: ${v.error}.`);
    const r = await api.invoke('scripts:save', v.script);
    if (!r.ok) return setMessage(r.error);
    setMessage(`Saved “${r.value.title}”.`);
    onSaved(r.value);
  };

  return (
    <form
      className="script-editor"
      aria-label="Script editor"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label htmlFor={titleId}>Script title</label>
      <input id={titleId} value={draft.title} onChange={(e) => setDraft({ ...draft, title: e.currentTarget.value })} />
      <ol>
        {draft.phases.map((p, i) => (
          <li key={i}>
            <fieldset>
              <legend>Phase {i + 1}</legend>
              <label>
                Title <input value={p.title} onChange={(e) => setPhase(i, { title: e.currentTarget.value })} />
              </label>
              <label>
                Kind{' '}
                <select value={p.kind} onChange={(e) => setPhase(i, { kind: e.currentTarget.value as PhaseKind })}>
                  {KINDS.map((k) => (
                    <option key={k.id} value={k.id}>
                      {k.label}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Minutes <input type="number" min={0.5} max={120} step={0.5} value={p.durationS / 60} onChange={(e) => setPhase(i, { durationS: Math.round(Number(e.currentTarget.value) * 60) })} />
              </label>
              <label>
                <input type="checkbox" checked={p.pacer} onChange={(e) => setPhase(i, { pacer: e.currentTarget.checked })} /> Show the pacer
              </label>
              <label>
                Instructions <textarea rows={2} value={p.instructions} onChange={(e) => setPhase(i, { instructions: e.currentTarget.value })} />
              </label>
              <div className="buttons">
                <button type="button" onClick={() => move(i, -1)} disabled={i === 0} aria-label={`Move phase ${i + 1} up`}>
                  Up
                </button>
                <button type="button" onClick={() => move(i, 1)} disabled={i === draft.phases.length - 1} aria-label={`Move phase ${i + 1} down`}>
                  Down
                </button>
                <button type="button" onClick={() => setDraft({ ...draft, phases: draft.phases.filter((_, k) => k !== i) })} aria-label={`Remove phase ${i + 1}`}>
                  Remove
                </button>
              </div>
            </fieldset>
          </li>
        ))}
      </ol>
      <div className="buttons">
        <button
          type="button"
          onClick={() =>
            setDraft({ ...draft, phases: [...draft.phases, { id: `phase-${draft.phases.length + 1}`, title: 'New phase', kind: 'rest', durationS: 120, pacer: false, instructions: '' }] })
          }
        >
          Add a phase
        </button>
        <button type="submit">Save script</button>
      </div>
      {message ? <p role="status">{message}</p> : null}
    </form>
  );
}
