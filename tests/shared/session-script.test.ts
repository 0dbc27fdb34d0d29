import { describe, expect, it } from 'vitest';
import { scriptStateAt, validateScript, scriptDurationS, type SessionScript, type ScriptEvent } from '../../shared/session-script/script';
import { BUILTIN_SCRIPTS } from '../../shared/session-script/builtin-scripts';

const script: SessionScript = {
  id: 't',
  title: 'Test',
  description: '',
  phases: [
    { id: 'a', title: 'A', kind: 'baseline', durationS: 60, pacer: false, instructions: '' },
    { id: 'b', title: 'B', kind: 'breathing', durationS: 120, pacer: true, instructions: '' },
    { id: 'c', title: 'C', kind: 'recovery', durationS: 30, pacer: false, instructions: '' },
  ],
};

describe('scriptStateAt', () => {
  it('is idle until started, then runs the phases in order and finishes', () => {
    expect(scriptStateAt(script, [], 10_000)).toMatchObject({ started: false, phaseIndex: 0 });
    const ev: ScriptEvent[] = [{ type: 'start', tMs: 5000 }];
    expect(scriptStateAt(script, ev, 5000)).toMatchObject({ started: true, phaseIndex: 0, phaseElapsedS: 0, phaseRemainingS: 60 });
    expect(scriptStateAt(script, ev, 64_000)).toMatchObject({ phaseIndex: 0, phaseElapsedS: 59, phaseRemainingS: 1 });
    expect(scriptStateAt(script, ev, 65_000)).toMatchObject({ phaseIndex: 1, phaseStartMs: 65_000, phaseElapsedS: 0 });
    expect(scriptStateAt(script, ev, 185_000 + 29_999).phase?.id).toBe('c');
    expect(scriptStateAt(script, ev, 215_000)).toMatchObject({ finished: true, phase: null });
    expect(scriptDurationS(script)).toBe(210);
  });

  it('pauses the phase clock and resumes where it was', () => {
    const ev: ScriptEvent[] = [
      { type: 'start', tMs: 0 },
      { type: 'pause', tMs: 30_000 },
      { type: 'resume', tMs: 90_000 },
    ];
    expect(scriptStateAt(script, ev, 60_000)).toMatchObject({ paused: true, phaseIndex: 0, phaseElapsedS: 30 });
    expect(scriptStateAt(script, ev, 100_000)).toMatchObject({ paused: false, phaseIndex: 0, phaseElapsedS: 40 });
    expect(scriptStateAt(script, ev, 120_000)).toMatchObject({ phaseIndex: 1, phaseStartMs: 120_000 });
  });

  it('skips and extends phases', () => {
    const ev: ScriptEvent[] = [
      { type: 'start', tMs: 0 },
      { type: 'skip', tMs: 10_000 },
      { type: 'extend', tMs: 20_000, byS: 60 },
    ];
    expect(scriptStateAt(script, ev, 10_000)).toMatchObject({ phaseIndex: 1, phaseStartMs: 10_000, phaseElapsedS: 0 });
    expect(scriptStateAt(script, ev, 20_000)).toMatchObject({ phaseIndex: 1, phaseRemainingS: 170 });
    expect(scriptStateAt(script, ev, 10_000 + 179_000).phaseIndex).toBe(1);
    expect(scriptStateAt(script, ev, 10_000 + 181_000).phaseIndex).toBe(2);
  });

  it('is a pure function: a later event never changes an earlier state', () => {
    const early: ScriptEvent[] = [{ type: 'start', tMs: 0 }];
    const later: ScriptEvent[] = [...early, { type: 'skip', tMs: 50_000 }];
    for (const t of [0, 10_000, 49_999]) expect(scriptStateAt(script, later, t)).toEqual(scriptStateAt(script, early, t));
  });
});

describe('validateScript', () => {
  it('accepts the built-in scripts and names what is wrong otherwise', () => {
    for (const s of BUILTIN_SCRIPTS) expect(validateScript(s)).toMatchObject({ ok: true });
    expect(validateScript({ title: 'x', phases: [] })).toEqual({ ok: false, error: 'the script needs at least one phase' });
    expect(validateScript({ title: 'x', phases: [{ title: 'p', kind: 'dance', durationS: 60, instructions: '', pacer: true }] })).toEqual({
      ok: false,
      error: 'phase 1 has an unknown kind "dance"',
    });
    expect(validateScript({ title: 'x', phases: [{ title: 'p', kind: 'rest', durationS: 1, instructions: '', pacer: true }] })).toMatchObject({ ok: false });
    expect(validateScript(null)).toMatchObject({ ok: false });
  });
});
