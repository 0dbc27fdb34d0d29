import { REWARD_LEVELS, REWARD_WEIGHTS } from '../../shared/reward/compute-reward';

/** The safety line, shown on first use and in the help. */
export const SAFETY_NOTE = 'Breathe gently and comfortably. If you feel dizzy, light-headed or uncomfortable, stop, let your breath go its own way, and rest. Nothing here asks you to hold your breath.';

/**
 * Short, kind guidance for soothing rhythm breathing (compassion-focused therapy; after the
 * Balanced Minds scripts, notes/domain-facts.md §4.5), shown before a session and available during it.
 */
export function GuidanceText({ open = false }: { readonly open?: boolean }) {
  return (
    <details className="help" open={open} data-testid="srb-guidance">
      <summary>Soothing rhythm breathing: how to begin</summary>
      <ul>
        <li>
          <strong>Posture.</strong> Sit upright but relaxed, feet resting on the floor, shoulders soft, as if the chair holds you.
        </li>
        <li>
          <strong>A friendly face.</strong> Let a gentle, warm expression come to your face, the small smile you might give a good friend.
        </li>
        <li>
          <strong>Your breath, slower and smoother.</strong> Let the breath find its own rhythm, a little slower and deeper than usual, but
          comfortable: smooth, even, a little longer on the out-breath. The pacer is a suggestion, not a test.
        </li>
        <li>
          <strong>A warm inner voice.</strong> If you speak to yourself, use a kind, unhurried tone, as you would with someone you care about.
        </li>
        <li>
          <strong>When the mind wanders</strong>, that is what minds do: notice it and kindly come back to the rhythm.
        </li>
        <li>{SAFETY_NOTE}</li>
      </ul>
    </details>
  );
}

/** How the reward is computed, in words and formulas (help). */
export function GuidanceRewardHelp() {
  const lv = Object.entries(REWARD_LEVELS);
  return (
    <details className="help">
      <summary>How the warm light (reward) works</summary>
      <p>
        The scene grows warmer and brighter as your body follows the slow rhythm. When the signal is low nothing goes wrong: the scene simply
        stays quiet. It is computed every 5 s from the last 60–64 s of your heart rhythm, compared with your own baseline (measured while you
        settle, before breathing with the pacer):
      </p>
      <ul>
        <li>
          <strong>Breathing rate</strong> (from your heart rhythm) near the pacer: 1 / (1 + (difference ÷ tolerance)²).
        </li>
        <li>
          <strong>Heart rate following the breath</strong>: the average of how much larger your heart-rate swing per breath is than your
          baseline (up to the level’s “full” gain), and how closely heart rate rises and falls with the pacer (correlation with a wave locked
          to the pacer, 0–1).
        </li>
        <li>
          <strong>Coherence</strong> above your baseline, counted at the pacer’s rhythm.
        </li>
      </ul>
      <p>
        reward = {REWARD_WEIGHTS.rate} × rate + {REWARD_WEIGHTS.follow} × following + {REWARD_WEIGHTS.coherence} × coherence, always between 0
        and 1. Levels:{' '}
        {lv.map(([k, v]) => `${k} ${v.name} (tolerance ${v.rateTolBreathsPerMin}/min, full at ${v.gainFull}× swing, coherence ${v.coherenceFull})`).join('; ')}.
      </p>
    </details>
  );
}
