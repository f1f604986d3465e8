// Runs the module the way the TypeScript SDK's runtime does. The engine's
// runtime container runs `tsx src/__dagger.entrypoint.ts`, which lists every
// .ts/.mts file under src/ and hands them to the SDK's entrypoint(): load()
// imports each file, scan() introspects them, invoke() loads Secret/Container
// arguments and the parent state from IDs, calls the function and serialises
// the result and state back. This file does the same with the SDK's own
// load/scan/Executor/invoke/Register; only the engine's side of the handshake
// (currentFunctionCall, returnValue) is replaced by direct calls that
// JSON round-trip state and results, as the engine stores them.
//
// Run under tsx (`node --import tsx`), as the runtime is.
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, extname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { connection } from "@dagger.io/dagger"
import assert from "node:assert/strict"

const dagger = new URL("../../", import.meta.url)
const sdk = new URL("node_modules/@dagger.io/dagger/dist/src/", dagger)
const { load } = await import(new URL("module/entrypoint/load.js", sdk).href)
const { scan } = await import(new URL("module/introspector/index.js", sdk).href)
const { Executor } = await import(new URL("module/executor.js", sdk).href)
const { invoke } = await import(new URL("module/entrypoint/invoke.js", sdk).href)
const { Register } = await import(new URL("module/entrypoint/register.js", sdk).href)

export const SRC = fileURLToPath(new URL("src/", dagger))

/**
 * The files the generated __dagger.entrypoint.ts hands to entrypoint(): every
 * .ts and .mts file under src/, declaration files included.
 */
export function runtimeFiles(dir = SRC) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return runtimeFiles(path)
    return [".ts", ".mts"].includes(extname(path)) ? [path] : []
  })
}

/**
 * wasm-bindgen's declarations for the raw wasm exports (`export const memory:
 * WebAssembly.Memory;`): esbuild cannot transform them, so the runtime's
 * load() fails on this file. scripts/build-wasm should not ship it (the glue's
 * own .d.ts does not use it); until then it is left out here and
 * runtime-files.test.mjs reports it.
 */
export const isRawWasmDeclarations = (path) => path.endsWith("_bg.wasm.d.ts")

/**
 * Loads and introspects the module as the runtime does.
 *
 * In the engine the scanner finds core types (Secret, Container) in the
 * generated client.gen.ts; a two-line client.gen.ts stands in for it here
 * (the scanner only needs the class names).
 */
export async function loadModule() {
  const files = runtimeFiles().filter((f) => !isRawWasmDeclarations(f))
  const shim = join(mkdtempSync(join(tmpdir(), "registry-config-client-gen-")), "client.gen.ts")
  writeFileSync(shim, "export class Container {}\nexport class Secret {}\n")
  const scanned = await scan([...files, shim], "registry-config", false).finally(() =>
    rmSync(dirname(shim), { recursive: true, force: true }),
  )
  const executor = new Executor(await load(files), scanned)

  return {
    scanned,
    /** Registers the module's types, as the engine's first call does; returns the module ID. */
    register: () => new Register(scanned).run(),
    /**
     * Calls `fnName` on an object of type `parentName` whose state is `parent`
     * (JSON, as returned by an earlier call; {} for a fresh main object);
     * `args` are JSON values (IDs for Secret and Container). Returns the JSON
     * result.
     */
    call: async (parentName, fnName, parent, args = {}) => {
      const result = await invoke(executor, scanned, {
        parentName,
        fnName,
        parentArgs: JSON.parse(JSON.stringify(parent ?? {})),
        fnArgs: JSON.parse(JSON.stringify(args)),
      })
      return result === undefined ? null : JSON.parse(JSON.stringify(result))
    },
  }
}

/** Runs `fn` in a client session against `engine`; returns the requests it made. */
export async function recordSession(engine, fn) {
  const first = engine.requests.length
  await connection(fn)
  return engine.requests.slice(first)
}

/** Chains builder calls on a fresh RegistryConfig (state {} as the engine passes it). */
export async function buildState(mod, ...calls) {
  let state = {}
  for (const [fn, args] of calls) {
    state = await mod.call("RegistryConfig", fn, state, args)
  }
  return state
}

/**
 * Runs `fn` in a session against `engine`, expects an error matching
 * `pattern` that holds none of `forbidden`; returns the requests made.
 */
export async function recordRejection(engine, fn, pattern, forbidden) {
  const first = engine.requests.length
  await assert.rejects(
    () => recordSession(engine, fn),
    (err) => {
      assert.match(err.message, pattern)
      for (const text of forbidden) assert.ok(!err.message.includes(text), err.message)
      return true
    },
  )
  return engine.requests.slice(first)
}
