/**
 * Which Pixi renderer draws the pacer. A software WebGL implementation (SwiftShader, llvmpipe,
 * Microsoft's Basic Render Driver: old laptops, remote desktops, VMs) runs every pixel on the
 * CPU; a full-screen WebGL scene then costs about a whole core (measured: bench/RESULTS.md,
 * notes/platform-facts.md §3), while Pixi's Canvas 2D renderer draws the same scene for a small
 * fraction of one. So: a software WebGL renderer → Canvas at 30 fps (slow breathing motion stays
 * smooth); a real GPU → WebGL at the display rate.
 * `?renderer=webgl|canvas` in the page address forces one (tests and benchmarks).
 */
export type PacerRenderer = 'webgl' | 'canvas';

export interface RendererChoice {
  readonly renderer: PacerRenderer;
  /** Why, in words (shown in the diagnostics and as a data attribute). */
  readonly reason: string;
  /** UNMASKED_RENDERER_WEBGL (or RENDERER), when WebGL was probed. */
  readonly glRenderer: string | null;
  /** Frame-rate cap, 0 = display rate. Without a GPU the slow breathing motion is drawn at 30 fps: smooth to the eye, half the work. */
  readonly maxFps: number;
}

/** Frame rate when drawing on the CPU (software fallback). */
export const SOFTWARE_MAX_FPS = 30;

const SOFTWARE = /SwiftShader|llvmpipe|softpipe|Software|Basic Render Driver/i;

/** True when a WebGL renderer string names a software implementation. */
export const isSoftwareRenderer = (glRenderer: string): boolean => SOFTWARE.test(glRenderer);

/** Probe WebGL once on a throwaway canvas and release the context. */
function probeGlRenderer(): string | null {
  try {
    const c = document.createElement('canvas');
    const gl = (c.getContext('webgl2') ?? c.getContext('webgl')) as WebGLRenderingContext | null;
    if (!gl) return null;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const name = String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return name;
  } catch {
    return null;
  }
}

export function chooseRenderer(search: string = location.search): RendererChoice {
  const forced = new URLSearchParams(search).get('renderer');
  if (forced === 'webgl' || forced === 'canvas') return { renderer: forced, reason: `forced by ?renderer=${forced}`, glRenderer: null, maxFps: 0 };
  const gl = probeGlRenderer();
  if (gl === null) return { renderer: 'canvas', reason: 'no WebGL', glRenderer: null, maxFps: SOFTWARE_MAX_FPS };
  if (isSoftwareRenderer(gl)) return { renderer: 'canvas', reason: `software WebGL (${gl}): Canvas is far cheaper`, glRenderer: gl, maxFps: SOFTWARE_MAX_FPS };
  return { renderer: 'webgl', reason: 'hardware WebGL', glRenderer: gl, maxFps: 0 };
}
