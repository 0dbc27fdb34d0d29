/**
 * Installs the WebAssembly HRV kernels for this process (the CLI's and the benchmarks' start-up),
 * unless SOOTHE_KERNELS=js asks for the JavaScript implementations (the definitions: the same
 * numbers, slower in a one-shot process). Returns the name of what runs: 'wasm' or 'js'.
 */
import kernelWasm from '../../dist/wasm/hrv-kernels.wasm';
import { hrvKernels, setHrvKernels } from '../../shared/hrv/kernels';
import { createWasmHrvKernels } from './wasm-kernels';

export function installHrvKernels(env: NodeJS.ProcessEnv = process.env): 'wasm' | 'js' {
  const wanted = env.SOOTHE_KERNELS ?? 'wasm';
  if (wanted !== 'js' && wanted !== 'wasm') throw new Error(`SOOTHE_KERNELS must be js or wasm, got ${JSON.stringify(wanted)}`);
  if (wanted === 'js') setHrvKernels(null);
  else if (hrvKernels()?.name !== 'wasm') setHrvKernels(createWasmHrvKernels(kernelWasm));
  return wanted;
}
