import { useEffect, useRef } from 'react';
import 'pixi.js/unsafe-eval'; // Pixi without eval: the app's CSP forbids it
import { Application } from 'pixi.js';
import { PACER_COLORS, PacerScene } from './pacer-scene';
import type { PacerPhase } from '../../shared/pacer/phase';

interface Props {
  /** Pacer phase at the current session time; called once per frame. */
  readonly phaseNow: () => PacerPhase;
  readonly reducedMotion: boolean;
  readonly label: string;
}

/**
 * Hosts the Pixi Application. It creates the app and destroys it on unmount; the ticker
 * callback is added and removed in the same effect (symmetric lifecycle).
 */
export function PacerCanvas({ phaseNow, reducedMotion, label }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const reduced = useRef(reducedMotion);
  const phaseRef = useRef(phaseNow);
  useEffect(() => {
    reduced.current = reducedMotion;
    phaseRef.current = phaseNow;
  }, [reducedMotion, phaseNow]);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const app = new Application();
    let scene: PacerScene | undefined;
    let cancelled = false;
    const tick = (): void => scene?.update(phaseRef.current(), reduced.current);
    void app
      .init({ resizeTo: el, background: PACER_COLORS.background, antialias: true, preference: 'webgl', autoDensity: true, resolution: Math.min(2, window.devicePixelRatio || 1) })
      .then(() => {
        if (cancelled) {
          app.destroy(true, { children: true });
          return;
        }
        app.canvas.setAttribute('data-testid', 'pacer-canvas');
        app.canvas.setAttribute('aria-hidden', 'true');
        el.appendChild(app.canvas);
        scene = new PacerScene(app);
        app.ticker.add(tick);
      });
    return () => {
      cancelled = true;
      if (scene) {
        app.ticker.remove(tick);
        scene.destroy();
        app.destroy(true, { children: true });
      }
    };
  }, []);

  return <div ref={host} className="pacer-canvas" role="img" aria-label={label} />;
}
