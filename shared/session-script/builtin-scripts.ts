/**
 * Built-in scripts for compassion-focused biofeedback sessions. Phase lengths follow CFT teaching
 * material (Balanced Minds scripts: settle, find a soothing rhythm, then imagery) and, for the
 * stress–recovery script, the research protocol of Steffen et al. 2021 (Front Psychol 12:624254:
 * 5-min baseline, 10-min breathing, 5-min self-critical writing, 5-min self-compassionate
 * writing, 10-min recovery). Durations are suggestions: the therapist can pause, skip or extend.
 */
import type { SessionScript } from './script';

const SRB_INSTRUCTIONS =
  'Sit upright but relaxed, feet grounded. Let a gentle, friendly expression come to your face. Allow your breath to slow a little and deepen, smooth and even, ' +
  'a little longer on the out-breath. There is no right way: if your mind wanders, kindly bring it back to the rhythm. Stop if you feel dizzy.';

export const BUILTIN_SCRIPTS: readonly SessionScript[] = [
  {
    id: 'srb-short',
    title: 'Soothing rhythm breathing (short)',
    description: 'Settle, breathe with the pacer, rest. About 7 minutes.',
    phases: [
      { id: 'settle', title: 'Settling', kind: 'baseline', durationS: 60, pacer: false, instructions: 'Find a comfortable, upright posture. Just notice your breathing as it is.' },
      { id: 'srb', title: 'Soothing rhythm breathing', kind: 'breathing', durationS: 300, pacer: true, instructions: SRB_INSTRUCTIONS },
      { id: 'rest', title: 'Resting', kind: 'recovery', durationS: 60, pacer: false, instructions: 'Let the breath go its own way. Notice how your body feels now.' },
    ],
  },
  {
    id: 'cft-biofeedback',
    title: 'CFT biofeedback session',
    description: 'Baseline, soothing rhythm breathing, compassionate imagery, recovery. About 21 minutes.',
    phases: [
      { id: 'baseline', title: 'Baseline (eyes open, no pacer)', kind: 'baseline', durationS: 180, pacer: false, instructions: 'Sit quietly with your eyes open. No need to do anything.' },
      { id: 'srb', title: 'Soothing rhythm breathing', kind: 'breathing', durationS: 360, pacer: true, instructions: SRB_INSTRUCTIONS },
      { id: 'safe-place', title: 'Imagery: safe place', kind: 'imagery', durationS: 180, pacer: true, instructions: 'Keeping the soothing rhythm, imagine a place that gives you a sense of safeness and calm: its colours, sounds, the feel of the air.' },
      { id: 'compassionate-other', title: 'Imagery: compassionate other', kind: 'imagery', durationS: 180, pacer: true, instructions: 'Imagine a being who is wise, strong, warm and non-judgemental, who wishes you well. Notice their voice and their face.' },
      { id: 'compassionate-self', title: 'Imagery: compassionate self', kind: 'imagery', durationS: 180, pacer: true, instructions: 'Imagine yourself at your most wise, strong and kind. Feel your posture and the warmth in your voice.' },
      { id: 'recovery', title: 'Recovery', kind: 'recovery', durationS: 180, pacer: false, instructions: 'Let the images fade. Breathe as you like and notice how you feel.' },
    ],
  },
  {
    id: 'stress-recovery',
    title: 'Self-criticism and compassionate response',
    description: 'Research-style protocol (after Steffen et al. 2021): baseline, breathing, self-critical recall, compassionate response, recovery. 35 minutes.',
    phases: [
      { id: 'baseline', title: 'Baseline', kind: 'baseline', durationS: 300, pacer: false, instructions: 'Sit quietly with your eyes open.' },
      { id: 'srb', title: 'Soothing rhythm breathing', kind: 'breathing', durationS: 600, pacer: true, instructions: SRB_INSTRUCTIONS },
      { id: 'self-critical', title: 'Self-critical recall', kind: 'stressor', durationS: 300, pacer: false, instructions: 'Recall a recent moment when you were hard on yourself. Only as far as feels manageable; you can stop at any time.' },
      { id: 'compassionate-response', title: 'Compassionate response', kind: 'imagery', durationS: 300, pacer: true, instructions: 'With your soothing rhythm, respond to that moment as a compassionate friend would: warm, understanding, encouraging.' },
      { id: 'recovery', title: 'Recovery', kind: 'recovery', durationS: 600, pacer: false, instructions: 'Rest. Let your breath find its own rhythm.' },
    ],
  },
];
