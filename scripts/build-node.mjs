// Bundles the Node entry points (CLI, browser-edition server, benchmarks) with esbuild.
// Runs on `npm install` (prepare), so `soothe` works right after installing a fresh clone.
import { build } from 'esbuild';
import asc from 'assemblyscript/asc';
import { readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// The HRV kernels for `soothe analyze`, ahead of time to WebAssembly (main/hrv/assembly, see
// main/hrv/wasm-kernels.ts); the bundles below embed the bytes (loader 'binary').
const compiled = await asc.main([
  'main/hrv/assembly/index.ts', '--outFile', 'dist/wasm/hrv-kernels.wasm',
  '-O3', '--runtime', 'stub', '--noAssert', '--enable', 'bulk-memory', '--enable', 'simd',
]);
if (compiled.error) {
  console.error(compiled.stderr.toString());
  throw compiled.error;
}

const common = {
  outdir: 'dist/node',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  define: { __SOOTHE_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
  loader: { '.wasm': 'binary' },
};
await build({ ...common, entryPoints: { web: 'main/web/entry.ts', bench: 'bench/run.ts', 'child-timer': 'bench/child-timer-main.ts' } });
// Chunk names carry a content hash: clear the old ones so dist/ holds only this build's.
rmSync('dist/node/chunks', { recursive: true, force: true });
// The CLI with code splitting: each subcommand's `import('./x')` stays a separate chunk
// (dist/node/chunks/), so `soothe analyze` does not load what `soothe record` needs (serialport,
// sockets, crypto) at start-up.
await build({ ...common, entryPoints: { cli: 'main/cli/index.ts' }, splitting: true, chunkNames: 'chunks/[name]-[hash]' });
// `soothe analyze` alone as one CommonJS file (bin/soothe.cjs picks it): no ES-module loader and
// no chunk loading at start-up for the command scripts run once per file.
await build({ ...common, format: 'cjs', outExtension: { '.js': '.cjs' }, entryPoints: { analyze: 'main/cli/analyze-main.ts' } });
// The stages of `soothe analyze` timed in a fresh process (bench/hrv-stages.ts), loaded the same way.
await build({ ...common, format: 'cjs', outExtension: { '.js': '.cjs' }, entryPoints: { 'hrv-stages': 'bench/hrv-stages.ts' } });
