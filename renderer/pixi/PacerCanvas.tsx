import { useEffect, useRef } from 'react';
import 'pixi.js/unsafe-eval'; // Pixi without eval: the app's CSP forbids it
import { Application } from 'pixi.js';
import { PACER_COLORS, PacerScene } from './pacer-scene';
import { chooseRenderer } from './renderer-choice';
import type { PacerPhase } from '../../shared/pacer/phase';
import type { PacerStyle } from '../../shared/types/settings';
import { easeReward } from '../../shared/reward/compute-reward';

interface Props {
  /** Pacer phase at the current session time; called once per frame. */
  readonly phaseNow: () => PacerPhase;
  /** Latest reward 0–1 (the scene eases toward it); called once per frame. */
  readonly rewardNow?: () => number;
  /** Whether the pacer guides now (false in settle/rest phases); called once per frame. */
  readonly pacerVisibleNow?: () => boolean;
  readonly reducedMotion: boolean;
  readonly style?: PacerStyle;
  /** Frame-rate cap (e.g. low while the eyes are closed); 0 = display rate. */
  readonly maxFps?: number;
  readonly label: string;
}

const ATTR_EVERY_MS = 250;

/** The lower of two frame-rate caps (0 = none). */
const capFps = (a: number, b: number): number => (a > 0 && b > 0 ? Math.min(a, b) : Math.max(a, b)); // data-reward for tests and diagnostics, a few times a second

/**
 * Hosts the Pixi Application. It creates the app and destroys it on unmount; the ticker
 * callback is added and removed in the same effect (symmetric lifecycle). The renderer is
 * WebGL on a real GPU and Pixi's Canvas renderer on software WebGL (renderer-choice.ts).
 */
export function PacerCanvas({ phaseNow, rewardNow, pacerVisibleNow, reducedMotion, style = 'orb', maxFps = 0, label }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const props = useRef({ phaseNow, rewardNow, pacerVisibleNow, reducedMotion, style });
  const appRef = useRef<Application | null>(null);
  const baseFps = useRef(0);
  useEffect(() => {
    props.current = { phaseNow, rewardNow, pacerVisibleNow, reducedMotion, style };
  }, [phaseNow, rewardNow, pacerVisibleNow, reducedMotion, style]);
  useEffect(() => {
    if (appRef.current?.ticker) appRef.current.ticker.maxFPS = capFps(maxFps, baseFps.current);
  }, [maxFps]);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const app = new Application();
    const choice = chooseRenderer();
    baseFps.current = choice.maxFps;
    let scene: PacerScene | undefined;
    let ro: ResizeObserver | undefined;
    let cancelled = false;
    let shown = 0;
    let lastMs = performance.now();
    let lastAttrMs = 0;
    let drawn = 0;
    const tick = (): void => {
      if (!scene) return;
      drawn++;
      const p = props.current;
      const nowMs = performance.now();
      shown = easeReward(shown, p.rewardNow?.() ?? 0, nowMs - lastMs);
      lastMs = nowMs;
      scene.update({ nowMs, phase: p.phaseNow(), style: p.style, reducedMotion: p.reducedMotion, reward: shown, pacerVisible: p.pacerVisibleNow?.() ?? true });
      if (nowMs - lastAttrMs > ATTR_EVERY_MS) {
        lastAttrMs = nowMs;
        app.canvas.dataset.reward = shown.toFixed(2);
        app.canvas.dataset.frames = String(drawn); // frames drawn so far (benchmarks count drawn frames with it)
      }
    };
    void app
      .init({ resizeTo: el, background: PACER_COLORS.background, antialias: true, preference: choice.renderer, autoDensity: true, resolution: Math.min(2, window.devicePixelRatio || 1) })
      .then(() => {
        if (cancelled) {
          app.destroy(true, { children: true });
          return;
        }
        app.canvas.setAttribute('data-testid', 'pacer-canvas');
        app.canvas.setAttribute('aria-hidden', 'true');
        app.canvas.dataset.renderer = app.renderer.name === 'canvas' ? 'canvas' : 'webgl';
        app.canvas.dataset.rendererReason = choice.reason;
        el.appendChild(app.canvas);
        scene = new PacerScene(app);
        // Pixi's resizeTo follows window resizes only; the host also grows and shrinks on its own (focus mode).
        ro = new ResizeObserver(() => app.queueResize());
        ro.observe(el);
        app.ticker.maxFPS = capFps(maxFps, choice.maxFps);
        app.canvas.dataset.maxFps = String(app.ticker.maxFPS);
        appRef.current = app;
        app.ticker.add(tick);
      });
    return () => {
      cancelled = true;
      appRef.current = null;
      ro?.disconnect();
      if (scene) {
        app.ticker.remove(tick);
        scene.destroy();
        app.destroy(true, { children: true });
      }
    };
    // The app is created once; later prop changes reach the ticker through `props`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return <div ref={host} className="pacer-canvas" role="img" aria-label={label} />;
}
