// An empty module for bench/wasm.mjs --warm: imported and read before the
// wasm glue, so that Node's first import() and first file read are paid
// before the clock starts, as in any program that has loaded files already.
export {}
