import { PNG } from 'pngjs';

export interface Rgba {
  readonly r: number;
  readonly g: number;
  readonly b: number;
  readonly a: number;
}

export function decodePng(buf: Buffer): PNG {
  return PNG.sync.read(buf);
}

export function pixelAt(png: PNG, x: number, y: number): Rgba {
  const i = (png.width * Math.round(y) + Math.round(x)) * 4;
  return { r: png.data[i] ?? 0, g: png.data[i + 1] ?? 0, b: png.data[i + 2] ?? 0, a: png.data[i + 3] ?? 0 };
}

/** Number of pixels within `tol` (per channel) of `color` (0xRRGGBB). */
export function countColor(png: PNG, color: number, tol = 24): number {
  const r = (color >> 16) & 0xff;
  const g = (color >> 8) & 0xff;
  const b = color & 0xff;
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    if (Math.abs((png.data[i] ?? 0) - r) <= tol && Math.abs((png.data[i + 1] ?? 0) - g) <= tol && Math.abs((png.data[i + 2] ?? 0) - b) <= tol) n++;
  }
  return n;
}
