/**
 * Renders a PDF in Chromium with pdf.js (Mozilla's PDF renderer; Chromium's own viewer is not
 * available headless) and reports, per page, its text and whether anything was drawn.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from './web-app';

export interface RenderedPdf {
  readonly numPages: number;
  readonly pages: readonly { readonly text: string; readonly inkPixels: number; readonly width: number; readonly height: number }[];
}

export async function renderPdfInChromium(page: Page, origin: string, pdf: Buffer): Promise<RenderedPdf> {
  const build = join(ROOT, 'node_modules', 'pdfjs-dist', 'build');
  const html = `<!doctype html><meta charset="utf-8"><body><script type="module">
    import * as pdfjs from '/__pdfjs/pdf.min.mjs';
    pdfjs.GlobalWorkerOptions.workerSrc = '/__pdfjs/pdf.worker.min.mjs';
    const doc = await pdfjs.getDocument('/__pdfjs/doc.pdf').promise;
    const pages = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const p = await doc.getPage(i);
      const vp = p.getViewport({ scale: 1 });
      const c = document.createElement('canvas');
      c.width = Math.ceil(vp.width); c.height = Math.ceil(vp.height);
      const ctx = c.getContext('2d');
      ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, c.width, c.height);
      await p.render({ canvasContext: ctx, viewport: vp }).promise;
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let ink = 0;
      for (let k = 0; k < d.length; k += 4) if (d[k] < 200 || d[k + 1] < 200 || d[k + 2] < 200) ink++;
      const text = (await p.getTextContent()).items.map((it) => it.str).join(' ');
      pages.push({ text, inkPixels: ink, width: c.width, height: c.height });
    }
    window.__pdfResult = { numPages: doc.numPages, pages };
  </script>`;
  const files: Record<string, { body: Buffer; type: string }> = {
    'pdf.min.mjs': { body: readFileSync(join(build, 'pdf.min.mjs')), type: 'text/javascript' },
    'pdf.worker.min.mjs': { body: readFileSync(join(build, 'pdf.worker.min.mjs')), type: 'text/javascript' },
    'doc.pdf': { body: pdf, type: 'application/pdf' },
    'viewer.html': { body: Buffer.from(html), type: 'text/html' },
  };
  await page.route(`${origin}/__pdfjs/**`, (route) => {
    const name = new URL(route.request().url()).pathname.replace('/__pdfjs/', '');
    const f = files[name];
    return f ? route.fulfill({ status: 200, body: f.body, contentType: f.type }) : route.fulfill({ status: 404 });
  });
  await page.goto(`${origin}/__pdfjs/viewer.html`);
  await page.waitForFunction(() => (window as unknown as { __pdfResult?: unknown }).__pdfResult !== undefined, null, { timeout: 30_000 });
  return page.evaluate(() => (window as unknown as { __pdfResult: RenderedPdf }).__pdfResult);
}
