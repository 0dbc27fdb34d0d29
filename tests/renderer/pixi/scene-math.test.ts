import { describe, expect, it } from 'vitest';
import { particleAt, warmTint } from '../../../renderer/pixi/scene-math';
import { chooseRenderer, isSoftwareRenderer } from '../../../renderer/pixi/renderer-choice';

describe('pacer scene maths', () => {
  it('blends teal toward candle light, ending exactly at each colour', () => {
    expect(warmTint(0x7fc8c0, 0xf3c98b, 0)).toBe(0x7fc8c0);
    expect(warmTint(0x7fc8c0, 0xf3c98b, 1)).toBe(0xf3c98b);
    expect(warmTint(0x7fc8c0, 0xf3c98b, 0.5)).toBe(0xb9c9a6) // each channel half-way, rounded;
    expect(warmTint(0x7fc8c0, 0xf3c98b, 7)).toBe(0xf3c98b); // clamped
  });

  it('motes rise steadily, wrap around and fade in and out (no pop)', () => {
    const s = { x: 0.3, y0: 0.1, speed: 0.04 };
    const a = particleAt(s, 0);
    const b = particleAt(s, 1);
    expect(b.y).toBeLessThan(a.y); // rising = y toward the top
    let prevAlpha = particleAt(s, 0).alpha;
    for (let t = 0.05; t < 60; t += 0.05) {
      const p = particleAt(s, t);
      expect(p.alpha).toBeGreaterThanOrEqual(0);
      expect(p.alpha).toBeLessThanOrEqual(1);
      expect(Math.abs(p.alpha - prevAlpha)).toBeLessThan(0.05);
      prevAlpha = p.alpha;
    }
  });
});

describe('renderer choice', () => {
  it('recognises software WebGL renderers', () => {
    expect(isSoftwareRenderer('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)')).toBe(true);
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0)')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (NVIDIA, NVIDIA GeForce GTX 1060 Direct3D11 vs_5_0 ps_5_0, D3D11)')).toBe(false);
    expect(isSoftwareRenderer('Apple M1')).toBe(false);
  });

  it('honours ?renderer= before probing', () => {
    expect(chooseRenderer('?renderer=canvas')).toMatchObject({ renderer: 'canvas', reason: 'forced by ?renderer=canvas', maxFps: 0 });
    expect(chooseRenderer('?speed=10&renderer=webgl')).toMatchObject({ renderer: 'webgl' });
  });
});
