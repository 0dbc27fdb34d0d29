/**
 * The pacer view: a soft breathing orb or a flowing horizon wave, with a reward layer that
 * answers with warmth, light and growth (a warmer glow, a rising sun, gently rising motes of
 * light). It only draws a snapshot: `update(...)` writes display properties, allocates nothing
 * per frame, subscribes to nothing and changes no state. Geometry is drawn once and then moved,
 * scaled and tinted, so a frame is a few property writes on both Pixi renderers (WebGL, Canvas).
 * Never punishing: at reward 0 the scene is simply the quiet pacer; nothing turns red or flashes.
 */
import { Container, Graphics, Sprite, Texture, type Application } from 'pixi.js';
import type { PacerPhase } from '../../shared/pacer/phase';
import type { PacerStyle } from '../../shared/types/settings';
import { createRng } from '../../shared/sim/prng';
import { PARTICLE_COUNT, particleAt, warmTint } from './scene-math';

export const PACER_COLORS = {
  background: 0x0f1b2d, // deep night blue
  orb: 0x7fc8c0, // soft teal
  glow: 0xffa85c, // warm candle light (saturated: a faint pale amber over night blue reads grey)
  sun: 0xffbf73, // warm amber light of the reward
  guide: 0x9fb3c8,
  waveBack: 0x3d6f78, // deeper teal for the far wave
  mote: 0xffe6b8, // warm motes of light
} as const;

const MIN_SCALE = 0.38; // orb size at the end of the out-breath, share of full size
/** Geometry is tessellated at this radius (px) and scaled: a radius of 1 would give a polygon. */
const UNIT_R = 128;
/** Radius of the orb's glow, relative to the orb. */
const GLOW_RADIUS = 1.45;
/**
 * Light is a smooth radial gradient drawn once into a texture, not stacked flat discs: a faint,
 * uniform warm disc over night blue mixes to grey (amber at 10 % over #0f1b2d is #282c34), while
 * a gradient that is strong near its source reads as warm light fading into the night.
 * Stops: [radius share, alpha].
 */
const SUN_STOPS = [[0, 0.9], [0.4, 0.55], [0.65, 0.26], [0.85, 0.08], [1, 0]] as const;
/** The glow starts at the orb's edge (1 / GLOW_RADIUS of its radius) and fades outwards. */
const GLOW_STOPS = [[0, 0.75], [1 / GLOW_RADIUS, 0.75], [0.8, 0.35], [0.9, 0.12], [1, 0]] as const;
const LIGHT_TEXTURE_PX = 256;

/** A radial light of `color` (alpha by `stops`), drawn once on a 2D canvas. */
function radialLightTexture(color: number, stops: readonly (readonly [number, number])[]): Texture {
  const c = document.createElement('canvas');
  c.width = c.height = LIGHT_TEXTURE_PX;
  const ctx = c.getContext('2d');
  if (ctx) {
    const h = LIGHT_TEXTURE_PX / 2;
    const g = ctx.createRadialGradient(h, h, 0, h, h, h);
    const rgb = `${(color >> 16) & 255},${(color >> 8) & 255},${color & 255}`;
    for (const [at, alpha] of stops) g.addColorStop(at, `rgba(${rgb},${alpha})`);
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, LIGHT_TEXTURE_PX, LIGHT_TEXTURE_PX);
  }
  return Texture.from(c);
}

/** A centred sprite of `texture` with the given radius in unit px. */
function lightSprite(texture: Texture, radius: number): Sprite {
  const s = new Sprite(texture);
  s.anchor.set(0.5);
  s.width = s.height = 2 * radius;
  return s;
}
/** Wave geometry: two periods over WAVE_UNIT_W px, drawn once, moved sideways to flow. */
const WAVE_UNIT_W = 1024;
const WAVE_UNIT_H = 1024;
const WAVE_FLOW_PX_PER_S = 18;
const WAVE_OVERLAP = 8; // unit px each wave copy reaches into its neighbour // slow drift of the horizon, unit px per second

export interface SceneFrame {
  /** Wall-clock time, ms (drives the slow flow of waves and motes, not the breath). */
  readonly nowMs: number;
  readonly phase: PacerPhase;
  readonly style: PacerStyle;
  readonly reducedMotion: boolean;
  /** Reward shown, 0–1, already eased. */
  readonly reward: number;
  /** False while the pacer rests (settle, rest): a small still light, breathe freely. */
  readonly pacerVisible: boolean;
}

function waveShape(g: Graphics, amp: number, color: number, alpha: number): Graphics {
  // A little wider than one period, so neighbouring copies overlap and no seam shows where they meet
  // (the fill is opaque, so the overlap is invisible).
  g.moveTo(-WAVE_OVERLAP, WAVE_UNIT_H);
  for (let x = -WAVE_OVERLAP; x <= WAVE_UNIT_W + WAVE_OVERLAP; x += 8) {
    const u = x / WAVE_UNIT_W;
    g.lineTo(x, amp * (Math.sin(4 * Math.PI * u) * 0.7 + Math.sin(8 * Math.PI * u + 1) * 0.3));
  }
  g.lineTo(WAVE_UNIT_W + WAVE_OVERLAP, WAVE_UNIT_H).closePath().fill({ color, alpha });
  return g;
}

export class PacerScene {
  private readonly root = new Container();
  // Reward layer (behind the pacer).
  private readonly sun = new Container();
  private readonly motes = new Container();
  // Orb style.
  private readonly orbGroup = new Container();
  private readonly guide = new Graphics();
  private readonly glow = new Container();
  private readonly orb = new Graphics();
  // Wave style.
  private readonly waveGroup = new Container();
  private readonly waveBack = new Container();
  private readonly waveFront = new Container();
  private readonly waveLine = new Container();
  private readonly moteSeeds: { x: number; y0: number; speed: number; size: number }[] = [];

  private readonly textures: Texture[] = [];

  constructor(private readonly app: Application) {
    const sunLight = radialLightTexture(PACER_COLORS.sun, SUN_STOPS);
    const glowLight = radialLightTexture(PACER_COLORS.glow, GLOW_STOPS);
    this.textures.push(sunLight, glowLight);
    this.sun.addChild(lightSprite(sunLight, UNIT_R));
    const rng = createRng(7);
    for (let i = 0; i < PARTICLE_COUNT; i++) {
      const seed = { x: rng.uniform(), y0: rng.uniform(), speed: 0.02 + 0.03 * rng.uniform(), size: 1.5 + 2 * rng.uniform() };
      this.moteSeeds.push(seed);
      this.motes.addChild(new Graphics().circle(0, 0, UNIT_R / 32).fill({ color: PACER_COLORS.mote, alpha: 1 }));
    }
    this.guide.circle(0, 0, UNIT_R).stroke({ color: PACER_COLORS.guide, width: 1.2, alpha: 0.35 });
    this.glow.addChild(lightSprite(glowLight, UNIT_R * GLOW_RADIUS));
    // The orb keeps its teal (the colour tells the breath); warmth comes from the light around it.
    this.orb.circle(0, 0, UNIT_R).fill({ color: PACER_COLORS.orb, alpha: 0.95 });
    this.orbGroup.addChild(this.glow, this.guide, this.orb);
    // Each wave layer holds two copies side by side, so sliding by one copy's width loops seamlessly.
    for (const [layer, color, alpha, amp] of [
      [this.waveBack, PACER_COLORS.waveBack, 1, 26],
      [this.waveFront, 0xffffff, 1, 18], // white, coloured by tint (teal, warming with the reward)
    ] as const) {
      for (let c = 0; c < 2; c++) layer.addChild(waveShape(new Graphics(), amp, color, alpha)).x = c * WAVE_UNIT_W;
    }
    for (let c = 0; c < 2; c++) {
      const line = new Graphics();
      line.moveTo(0, 0);
      for (let x = 0; x <= WAVE_UNIT_W; x += 8) {
        const u = x / WAVE_UNIT_W;
        line.lineTo(x, 18 * (Math.sin(4 * Math.PI * u) * 0.7 + Math.sin(8 * Math.PI * u + 1) * 0.3));
      }
      line.stroke({ color: 0xffffff, width: 2, alpha: 0.5 });
      this.waveLine.addChild(line).x = c * WAVE_UNIT_W;
    }
    this.waveFront.tint = PACER_COLORS.orb;
    this.waveGroup.addChild(this.waveBack, this.waveFront, this.waveLine);
    this.root.addChild(this.sun, this.motes, this.orbGroup, this.waveGroup);
    app.stage.addChild(this.root);
  }

  update(f: SceneFrame): void {
    const { width, height } = this.app.screen;
    const r = Math.min(1, Math.max(0, f.reward));
    const v = f.pacerVisible ? f.phase.volume : 0.35;
    const wave = f.style === 'wave';
    this.orbGroup.visible = !wave;
    this.waveGroup.visible = wave;
    const minSide = Math.min(width, height);

    // Reward: warm light (a low sun behind the orb, or above the horizon), brighter and larger as it grows.
    const horizonY = height * (0.74 - (f.reducedMotion || !f.pacerVisible ? 0.12 : 0.24 * v));
    const sunScale = (minSide * (0.28 + 0.28 * r)) / UNIT_R;
    this.sun.scale.set(sunScale);
    this.sun.alpha = 0.05 + 0.95 * r;
    this.sun.visible = r > 0.02; // nothing to draw while quiet (software renderers pay per pixel)
    if (wave) this.sun.position.set(width / 2, horizonY - minSide * (0.02 + 0.12 * r));
    else this.sun.position.set(width / 2, height / 2);

    // Motes of light rise gently; their number and brightness grow with the reward.
    const shown = Math.round(PARTICLE_COUNT * r);
    const tS = f.reducedMotion ? 0 : f.nowMs / 1000;
    for (let i = 0; i < PARTICLE_COUNT; i++) {
      const g = this.motes.children[i];
      const s = this.moteSeeds[i];
      if (!g || !s) continue;
      g.visible = i < shown;
      if (!g.visible) continue;
      const p = particleAt(s, tS);
      g.position.set(p.x * width, p.y * height);
      g.alpha = p.alpha * (0.35 + 0.65 * r);
      g.scale.set(s.size / 4);
    }

    if (!wave) {
      const full = (minSide * 0.4) / UNIT_R; // scale of a full breath
      this.orbGroup.position.set(width / 2, height / 2);
      this.guide.scale.set(full);
      this.guide.alpha = f.pacerVisible ? 1 : 0.4;
      const glowAlpha = 0.2 + 0.8 * r;
      if (!f.pacerVisible) {
        this.orb.scale.set(full * 0.3);
        this.orb.alpha = 0.5;
        this.glow.scale.set(full * 0.3);
        this.glow.alpha = 0.2;
      } else if (f.reducedMotion) {
        this.orb.scale.set(full * 0.7);
        this.orb.alpha = 0.45 + 0.5 * v;
        this.glow.scale.set(full * 0.7 * (1 + 0.25 * r));
        this.glow.alpha = (0.3 + 0.7 * v) * glowAlpha;
      } else {
        const s = full * (MIN_SCALE + (1 - MIN_SCALE) * v);
        this.orb.scale.set(s);
        this.orb.alpha = 0.95;
        this.glow.scale.set(s * (1 + 0.25 * r));
        this.glow.alpha = glowAlpha;
      }
      return;
    }

    // Wave: the horizon rises on the in-breath and settles on the out-breath; it flows slowly sideways.
    const sx = width / WAVE_UNIT_W;
    const sy = sx;
    const flow = f.reducedMotion ? 0 : (tS * WAVE_FLOW_PX_PER_S) % WAVE_UNIT_W;
    this.waveFront.scale.set(sx, sy);
    this.waveFront.position.set(-flow * sx, horizonY);
    this.waveLine.scale.set(sx, sy);
    this.waveLine.position.set(-flow * sx, horizonY);
    this.waveBack.scale.set(sx, sy);
    this.waveBack.position.set(-((flow * 0.6) % WAVE_UNIT_W) * sx, horizonY - 14 * sy);
    this.waveFront.tint = warmTint(PACER_COLORS.orb, PACER_COLORS.glow, 0.3 * r);
    this.waveLine.alpha = f.pacerVisible ? (f.reducedMotion ? 0.4 + 0.6 * v : 1) : 0.3;
  }

  destroy(): void {
    this.root.destroy({ children: true });
    for (const t of this.textures) t.destroy(true);
  }
}
