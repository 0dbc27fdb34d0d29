import { useId, useState } from 'react';
import type { Ratings } from '../session/session';

const SCALES: readonly { key: keyof Ratings; label: string; low: string; high: string }[] = [
  { key: 'calm', label: 'How calm do you feel?', low: 'not at all', high: 'very calm' },
  { key: 'safe', label: 'How safe do you feel?', low: 'not at all', high: 'very safe' },
  { key: 'selfCritical', label: 'How self-critical do you feel?', low: 'not at all', high: 'very' },
];

/** Optional before/after self-ratings on simple 0–10 sliders; skipping is always fine. */
export function RatingsForm({ when, onDone }: { readonly when: 'before' | 'after'; readonly onDone: (r: Ratings | null) => void }) {
  const [r, setR] = useState<Ratings>({ calm: 5, safe: 5, selfCritical: 5 });
  const id = useId();
  return (
    <form
      className="panel controls"
      aria-label={when === 'before' ? 'How you feel before' : 'How you feel after'}
      data-testid={`ratings-${when}`}
      onSubmit={(e) => {
        e.preventDefault();
        onDone(r);
      }}
    >
      <h2>{when === 'before' ? 'Before you begin (optional)' : 'How do you feel now? (optional)'}</h2>
      {SCALES.map((s) => (
        <div key={s.key}>
          <label htmlFor={`${id}-${s.key}`}>
            {s.label} <output>{r[s.key]}</output>
          </label>
          <input id={`${id}-${s.key}`} type="range" min={0} max={10} step={1} value={r[s.key]} aria-valuetext={`${r[s.key]} of 10 (0 ${s.low}, 10 ${s.high})`} onChange={(e) => setR({ ...r, [s.key]: Number(e.currentTarget.value) })} />
        </div>
      ))}
      <div className="buttons">
        <button type="submit">Save</button>
        <button type="button" onClick={() => onDone(null)}>
          Skip
        </button>
      </div>
    </form>
  );
}
