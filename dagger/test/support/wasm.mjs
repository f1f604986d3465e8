// The committed wasm build, imported the way src/render.ts imports it.
export * from "../../src/wasm/registry_config_wasm.js"
