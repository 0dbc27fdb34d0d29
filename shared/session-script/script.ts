/**
 * Session scripts: a sequence of phases with durations and instructions, as therapists use them
 * in biofeedback sessions (BioGraph Infiniti and NeXus BioTrace+ call them "scripts" or
 * "protocols"). The running state is a pure function of the script, the therapist's control
 * events (start, pause, resume, skip, extend) and the time: like the pacer, nothing integrates
 * frame deltas, so a replay or a second window computes exactly the same phase.
 */

export type PhaseKind = 'baseline' | 'breathing' | 'imagery' | 'stressor' | 'recovery' | 'rest';

export interface ScriptPhase {
  readonly id: string;
  readonly title: string;
  readonly kind: PhaseKind;
  /** Planned duration, s. */
  readonly durationS: number;
  /** What the client is invited to do, in kind words (shown to the therapist, optionally to the client). */
  readonly instructions: string;
  /** Whether the breathing pacer is shown during this phase. */
  readonly pacer: boolean;
}

export interface SessionScript {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly phases: readonly ScriptPhase[];
}

export type ScriptEvent =
  | { readonly type: 'start'; readonly tMs: number }
  | { readonly type: 'pause'; readonly tMs: number }
  | { readonly type: 'resume'; readonly tMs: number }
  | { readonly type: 'skip'; readonly tMs: number }
  | { readonly type: 'extend'; readonly tMs: number; readonly byS: number };

export interface ScriptState {
  readonly started: boolean;
  readonly finished: boolean;
  readonly paused: boolean;
  /** Index of the current phase (phases.length when finished). */
  readonly phaseIndex: number;
  readonly phase: ScriptPhase | null;
  /** Running (unpaused) time spent in the current phase, s. */
  readonly phaseElapsedS: number;
  /** Planned time left in the current phase, including extensions, s. */
  readonly phaseRemainingS: number;
  /** Session time at which the current phase began, ms. */
  readonly phaseStartMs: number | null;
}

/** Checks a script (e.g. from the editor or a file): clear errors, never a half-valid script. */
export function validateScript(s: unknown): { ok: true; script: SessionScript } | { ok: false; error: string } {
  const o = s as Partial<SessionScript> | null;
  if (!o || typeof o !== 'object') return { ok: false, error: 'a script must be an object' };
  if (typeof o.title !== 'string' || o.title.trim() === '') return { ok: false, error: 'the script needs a title' };
  if (!Array.isArray(o.phases) || o.phases.length === 0) return { ok: false, error: 'the script needs at least one phase' };
  const kinds: readonly PhaseKind[] = ['baseline', 'breathing', 'imagery', 'stressor', 'recovery', 'rest'];
  for (const [i, p] of o.phases.entries()) {
    const where = `phase ${i + 1}`;
    if (!p || typeof p !== 'object') return { ok: false, error: `${where} is not an object` };
    if (typeof p.title !== 'string' || p.title.trim() === '') return { ok: false, error: `${where} needs a title` };
    if (!kinds.includes(p.kind)) return { ok: false, error: `${where} has an unknown kind "${String(p.kind)}"` };
    if (typeof p.durationS !== 'number' || !(p.durationS >= 5 && p.durationS <= 7200)) return { ok: false, error: `${where} needs a duration between 5 s and 2 h` };
    if (typeof p.instructions !== 'string') return { ok: false, error: `${where} needs instructions (may be empty)` };
    if (typeof p.pacer !== 'boolean') return { ok: false, error: `${where} must say whether the pacer is shown` };
  }
  const id = typeof o.id === 'string' && o.id ? o.id : o.title.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return {
    ok: true,
    script: {
      id,
      title: o.title.trim(),
      description: typeof o.description === 'string' ? o.description : '',
      phases: o.phases.map((p, i) => ({ ...p, id: typeof p.id === 'string' && p.id ? p.id : `phase-${i + 1}` })),
    },
  };
}

/**
 * The script's state at session time `tMs`, given the control events so far (in time order;
 * events after `tMs` are ignored). Skip ends the current phase at once; extend adds time to it;
 * pause stops the phase clock until resume.
 */
export function scriptStateAt(script: SessionScript, events: readonly ScriptEvent[], tMs: number): ScriptState {
  const idle: ScriptState = { started: false, finished: false, paused: false, phaseIndex: 0, phase: script.phases[0] ?? null, phaseElapsedS: 0, phaseRemainingS: script.phases[0]?.durationS ?? 0, phaseStartMs: null };
  let started = false;
  let paused = false;
  let index = 0;
  let phaseStartMs = 0;
  let runMs = 0; // unpaused ms in this phase up to `clockMs`
  let clockMs = 0; // time up to which runMs is accounted
  let extraS = 0;
  const plannedMs = (): number => ((script.phases[index]?.durationS ?? 0) + extraS) * 1000;
  /** Advance the phase clock to `toMs`, rolling over into later phases when planned time ends. */
  const advance = (toMs: number): void => {
    while (index < script.phases.length) {
      if (paused) {
        clockMs = toMs;
        return;
      }
      const left = plannedMs() - runMs;
      if (clockMs + left > toMs) {
        runMs += toMs - clockMs;
        clockMs = toMs;
        return;
      }
      clockMs += left;
      index += 1;
      phaseStartMs = clockMs;
      runMs = 0;
      extraS = 0;
    }
    clockMs = toMs;
  };
  for (const e of events) {
    if (e.tMs > tMs) break;
    if (!started) {
      if (e.type !== 'start') continue;
      started = true;
      phaseStartMs = clockMs = e.tMs;
      continue;
    }
    advance(e.tMs);
    if (index >= script.phases.length) break;
    switch (e.type) {
      case 'pause':
        paused = true;
        break;
      case 'resume':
        paused = false;
        break;
      case 'skip':
        index += 1;
        phaseStartMs = e.tMs;
        runMs = 0;
        extraS = 0;
        break;
      case 'extend':
        extraS += Math.max(0, e.byS);
        break;
      case 'start':
        break;
    }
  }
  if (!started) return idle;
  advance(tMs);
  const finished = index >= script.phases.length;
  const phase = script.phases[index] ?? null;
  return {
    started,
    finished,
    paused: paused && !finished,
    phaseIndex: index,
    phase,
    phaseElapsedS: finished ? 0 : runMs / 1000,
    phaseRemainingS: finished ? 0 : Math.max(0, (plannedMs() - runMs) / 1000),
    phaseStartMs: finished ? null : phaseStartMs,
  };
}

/** Planned length of a script, s. */
export const scriptDurationS = (s: SessionScript): number => s.phases.reduce((t, p) => t + p.durationS, 0);
