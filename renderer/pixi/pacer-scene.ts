/**
 * The pacer view: a soft breathing orb. It only draws a snapshot: `update(phase, opts)` writes
 * display properties, allocates nothing per frame, subscribes to nothing and changes no state.
 * Geometry is drawn once at unit size and scaled, so a frame is a few property writes.
 */
import { Container, Graphics, type Application } from 'pixi.js';
import type { PacerPhase } from '../../shared/pacer/phase';

export const PACER_COLORS = {
  background: 0x0f1b2d, // deep night blue
  orb: 0x7fc8c0, // soft teal
  glow: 0xf3c98b, // warm candle light
  guide: 0x9fb3c8,
} as const;

const MIN_SCALE = 0.38; // orb size at the end of the out-breath, share of full size
/** Geometry is tessellated at this radius (px) and scaled: a radius of 1 would give a polygon. */
const UNIT_R = 128;
const GLOW_LAYERS = [1.08, 1.18, 1.3] as const; // glow rings, radius relative to the orb

export class PacerScene {
  private readonly root = new Container();
  private readonly guide = new Graphics();
  private readonly glow = new Container();
  private readonly orb = new Graphics();

  constructor(private readonly app: Application) {
    this.guide.circle(0, 0, UNIT_R).stroke({ color: PACER_COLORS.guide, width: 1.2, alpha: 0.35 });
    for (const k of GLOW_LAYERS) this.glow.addChild(new Graphics().circle(0, 0, UNIT_R * k).fill({ color: PACER_COLORS.glow, alpha: 0.07 }));
    this.orb.circle(0, 0, UNIT_R).fill({ color: PACER_COLORS.orb, alpha: 0.95 });
    this.root.addChild(this.glow, this.guide, this.orb);
    app.stage.addChild(this.root);
  }

  /** Draw the pacer for `phase`. `reducedMotion`: the orb stays still and only its light breathes. */
  update(phase: PacerPhase, reducedMotion: boolean): void {
    const { width, height } = this.app.screen;
    const full = (Math.min(width, height) * 0.4) / UNIT_R; // scale of a full breath
    this.root.position.set(width / 2, height / 2);
    this.guide.scale.set(full);
    if (reducedMotion) {
      this.orb.scale.set(full * 0.7);
      this.orb.alpha = 0.45 + 0.5 * phase.volume;
      this.glow.scale.set(full * 0.7);
      this.glow.alpha = 0.3 + 0.7 * phase.volume;
    } else {
      const s = full * (MIN_SCALE + (1 - MIN_SCALE) * phase.volume);
      this.orb.scale.set(s);
      this.orb.alpha = 0.95;
      this.glow.scale.set(s);
      this.glow.alpha = 1;
    }
  }

  destroy(): void {
    this.root.destroy({ children: true });
  }
}
