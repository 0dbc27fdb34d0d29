// Draws Soothe's icon (a soft teal orb with a warm halo on night blue) as assets/icon.png, 512×512.
import { PNG } from 'pngjs';
import { writeFileSync } from 'node:fs';

const size = 512;
const png = new PNG({ width: size, height: size });
const mix = (a, b, t) => Math.round(a + (b - a) * t);
for (let y = 0; y < size; y++) {
  for (let x = 0; x < size; x++) {
    const d = Math.hypot(x - size / 2 + 0.5, y - size / 2 + 0.5) / (size / 2);
    let c = [0x0f, 0x1b, 0x2d];
    if (d < 0.95) c = [mix(0x0f, 0xf3, 0.25 * (1 - d)), mix(0x1b, 0xc9, 0.25 * (1 - d)), mix(0x2d, 0x8b, 0.25 * (1 - d))];
    if (d < 0.62) c = [0x7f, 0xc8, 0xc0].map((v, i) => mix(v, [0xe8, 0xf5, 0xf2][i], Math.max(0, 0.4 - d)));
    const i = (y * size + x) * 4;
    png.data[i] = c[0]; png.data[i + 1] = c[1]; png.data[i + 2] = c[2];
    png.data[i + 3] = d < 1 ? 255 : 0;
  }
}
writeFileSync(new URL('../assets/icon.png', import.meta.url), PNG.sync.write(png));
