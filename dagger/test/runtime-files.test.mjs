// Every file the runtime's generated entrypoint imports (each .ts/.mts under
// src/, the wasm folder included) must load under tsx, or the module fails
// before any function runs.
import assert from "node:assert/strict"
import { relative } from "node:path"
import { pathToFileURL } from "node:url"
import { test } from "node:test"

import { SRC, isRawWasmDeclarations, runtimeFiles } from "./support/runtime.mjs"

for (const file of runtimeFiles()) {
  const todo = isRawWasmDeclarations(file)
    ? "scripts/build-wasm ships this file; esbuild (tsx) cannot load it: remove it from dagger/src/wasm/"
    : undefined
  test(`the runtime can import src/${relative(SRC, file)}`, { todo }, async () => {
    await assert.doesNotReject(() => import(pathToFileURL(file).href))
  })
}
