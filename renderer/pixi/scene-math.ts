/**
 * Pure scene maths for the pacer view (no Pixi import, so it is testable on its own): colour
 * blending for warmth, and the motes of light as a function of time (no state, no integration).
 */

export const PARTICLE_COUNT = 36;

/** Blend two 0xRRGGBB colours: `share` 0 gives `from`, 1 gives `to`. */
export function warmTint(from: number, to: number, share: number): number {
  const k = Math.min(1, Math.max(0, share));
  const ch = (c: number, s: number): number => (c >> s) & 0xff;
  const mix = (s: number): number => Math.round(ch(from, s) + (ch(to, s) - ch(from, s)) * k);
  return (mix(16) << 16) | (mix(8) << 8) | mix(0);
}

/**
 * A mote's position (share of width and height, y = 0 at the top) and alpha at time `tS`:
 * it rises from the bottom at `speed` screen heights per second, sways a little, and fades in
 * and out at the ends, so nothing pops.
 */
export function particleAt(s: { readonly x: number; readonly y0: number; readonly speed: number }, tS: number): { x: number; y: number; alpha: number } {
  const u = (((s.y0 + tS * s.speed) % 1) + 1) % 1; // 0 at the bottom → 1 at the top
  const sway = 0.012 * Math.sin(2 * Math.PI * (tS * 0.05 + s.x * 7));
  const alpha = Math.min(1, u / 0.15, (1 - u) / 0.3);
  return { x: s.x + sway, y: 1 - u, alpha: Math.max(0, alpha) };
}
