/**
 * The guided "soothing rhythm breathing" session type: settle, breathe, rest.
 *
 * Shape from CFT teaching scripts (Balanced Minds soothing-rhythm scripts; notes/domain-facts.md
 * §4.5): first settle into an upright, grounded posture and notice the breath as it is; then let
 * the breath find a slower, smooth, even rhythm (here with the pacer, optionally slowing from the
 * person's own rate); then rest and notice how the body feels. The settle phase lasts at least
 * 60 s because the breathing rate is measured from 60 s of heart rhythm (estimate-rsa.ts); it is
 * also when the person's own baseline is measured (spontaneous breathing, reward/baseline.ts).
 * The running state reuses the pure script machine (shared/session-script/script.ts).
 */
import type { SessionScript } from '../session-script/script';

export interface SoothingPlan {
  readonly settleS: number;
  readonly breatheS: number;
  readonly restS: number;
}

export const DEFAULT_SOOTHING_PLAN: SoothingPlan = { settleS: 90, breatheS: 600, restS: 60 };
/** The breathing rate needs 60 s of data: settling is never shorter. */
export const MIN_SETTLE_S = 60;

export function soothingScript(p: SoothingPlan = DEFAULT_SOOTHING_PLAN): SessionScript {
  return {
    id: 'soothing-rhythm',
    title: 'Soothing rhythm breathing',
    description: 'Settle, breathe with a slow, kind rhythm, rest.',
    phases: [
      {
        id: 'settle',
        title: 'Settle',
        kind: 'baseline',
        durationS: Math.max(MIN_SETTLE_S, p.settleS),
        pacer: false,
        instructions: 'Sit upright but relaxed, feet on the floor. Let your face soften into a gentle, friendly expression. Just notice your breath as it is; nothing to change yet.',
      },
      {
        id: 'breathe',
        title: 'Breathe',
        kind: 'breathing',
        durationS: Math.max(30, p.breatheS),
        pacer: true,
        instructions: 'Let your breath slow a little and deepen: smooth, even, a little longer on the out-breath. Follow the pacer loosely; your own comfortable rhythm matters more.',
      },
      {
        id: 'rest',
        title: 'Rest',
        kind: 'recovery',
        durationS: Math.max(10, p.restS),
        pacer: false,
        instructions: 'Let the breath go its own way again. Notice how your body feels now, with kindness.',
      },
    ],
  };
}
