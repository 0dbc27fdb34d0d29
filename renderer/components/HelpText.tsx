/** What the numbers mean, in plain words, with the exact formulas (shown on request). */
export function HelpText() {
  return (
    <details className="help">
      <summary>What do these numbers mean?</summary>
      <dl>
        <dt>Heart rate</dt>
        <dd>Beats per minute of the latest beat (60 000 ÷ its interval in ms).</dd>
        <dt>RMSSD</dt>
        <dd>
          How much each beat-to-beat interval differs from the next, in ms: √(mean of (NNᵢ − NNᵢ₋₁)²) over the last 60 s, after artifact
          correction. Higher values mean more beat-to-beat variability. Values differ a lot between people; compare yourself with yourself.
        </dd>
        <dt>Coherence</dt>
        <dd>
          How much of your heart rhythm swings in one smooth wave (HeartMath-style ratio, McCraty et al. 2009). Over the last 64 s, recomputed
          every 5 s: the RR series is resampled at 4 Hz (cubic spline), its power spectrum is computed, the highest peak between 0.04 and 0.26 Hz
          is found, and <code>ratio = peak power ÷ (total power − peak power)</code>, where peak power is the power within ±0.015 Hz of the peak
          and total power is the power from 0.0033 to 0.4 Hz.
        </dd>
        <dt>Breathing</dt>
        <dd>Your breathing rate as your heart shows it: the dominant frequency of the heart-rate wave (respiratory sinus arrhythmia), per minute.</dd>
        <dt>Artifacts</dt>
        <dd>
          Missed, extra and ectopic beats are found and corrected with the Lipponen &amp; Tarvainen (2019) method; each corrected beat is marked
          on the tachogram (open ring at its measured value) and recorded. A window with more than 5 % corrected beats is flagged as not
          reliable.
        </dd>
        <dt>Pulse sensors</dt>
        <dd>Optical (PPG) sensors measure pulse-rate variability, which follows heart-rate variability closely at rest but is not ECG RR.</dd>
      </dl>
    </details>
  );
}
