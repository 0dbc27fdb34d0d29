/** `import bytes from './x.wasm'`: esbuild's 'binary' loader (scripts/build-node.mjs) embeds the file. */
declare module '*.wasm' {
  const bytes: Uint8Array;
  export default bytes;
}
