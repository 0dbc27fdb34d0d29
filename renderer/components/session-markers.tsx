import { useEffect, useId, useRef, useState, useSyncExternalStore } from 'react';
import type { Session } from '../session/session';

/** Preset labels: the common phases of a compassion-focused therapy (CFT) exercise. */
export const CFT_MARKER_PRESETS = ['settling', 'soothing rhythm breathing', 'compassionate imagery', 'self-critical recall', 'compassionate response', 'recovery'] as const;

const isTyping = (t: EventTarget | null): boolean => t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));

/**
 * Markers during a live session: the button or the M key (anywhere but in a text field) adds a
 * marker at the current session time with the label typed or picked (optional). Markers are
 * recorded with the session, drawn on its charts and exported.
 */
export function SessionMarkers({ session }: { readonly session: Session }) {
  const markers = useSyncExternalStore(session.markers.subscribe, session.markers.get);
  const [label, setLabel] = useState('');
  const labelRef = useRef(label);
  labelRef.current = label;
  const id = useId();

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== 'm' && e.key !== 'M') return;
      if (e.ctrlKey || e.metaKey || e.altKey || e.repeat || isTyping(e.target)) return;
      e.preventDefault();
      session.addMarker(labelRef.current);
      setLabel('');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [session]);

  const add = (): void => {
    session.addMarker(label);
    setLabel('');
  };
  const last = markers.slice(-3).reverse();
  return (
    <section className="panel session-markers" aria-label="Markers">
      <h2>Markers</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          add();
        }}
      >
        <label htmlFor={id}>Label (optional)</label>
        <input id={id} list={`${id}-presets`} value={label} maxLength={200} onChange={(e) => setLabel(e.currentTarget.value)} placeholder="e.g. settling" />
        <datalist id={`${id}-presets`}>
          {CFT_MARKER_PRESETS.map((p) => (
            <option key={p} value={p} />
          ))}
        </datalist>
        <div className="buttons">
          <button type="submit" aria-keyshortcuts="M">
            Add marker (M)
          </button>
        </div>
        <div className="buttons" role="group" aria-label="Preset markers">
          {CFT_MARKER_PRESETS.map((p) => (
            <button key={p} type="button" onClick={() => session.addMarker(p)}>
              {p}
            </button>
          ))}
        </div>
      </form>
      <p className="muted" aria-live="polite" data-testid="marker-count">
        {markers.length === 0 ? 'No markers yet.' : `${markers.length} marker${markers.length === 1 ? '' : 's'}; last: ${last.map((m) => `${(m.tMs / 1000).toFixed(0)} s${m.label ? ` ${m.label}` : ''}`).join(', ')}`}
      </p>
    </section>
  );
}
