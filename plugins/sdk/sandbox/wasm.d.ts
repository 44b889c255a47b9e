// The QuickJS wasm imported as a compiled module: Workers refuse WebAssembly compiled from bytes, so wrangler.toml's
// `[[rules]] type = "CompiledWasm"` (and the same rule under vitest) hands the module over ready to instantiate.
declare module '@jitl/quickjs-wasmfile-release-sync/wasm' {
  const wasmModule: WebAssembly.Module;
  export default wasmModule;
}
