// Size and speed of the committed wasm build, loaded as the module loads it.
//
//   node bench/wasm.mjs [--runs N] [--check] [--wasm DIR]
//
// Prints the size of both wasm modules (render, loaded by every function;
// check, loaded by check and verified only), the time for a fresh `node`
// process to load the render module and render 10 entries (measured inside
// the process, so Node's own start-up is reported apart; median and 9th
// decile), the in-process median for a render of 10 entries once loaded, and
// secretName (argon2) for reference. Targets: each wasm <= 96 KiB; load +
// render 10 entries < 5 ms. --check exits 1 when a target is missed.
//
// The target figure is the strict one: the glue is the process's first
// import() and first file read. A second figure, "Node warmed", first imports
// and reads another small file, as any real program (the Dagger runtime
// among them) has long done by the time it loads this module; it is what
// the module itself adds.
//
// --wasm DIR measures the build in DIR (default: the committed ../src/wasm);
// bench/first-render.mjs uses it to list what a first render compiles.
import { execFileSync } from "node:child_process"
import { readFileSync, statSync } from "node:fs"
import { performance } from "node:perf_hooks"
import { fileURLToPath, pathToFileURL } from "node:url"

const args = process.argv.slice(2)
const runs = Number(args[args.indexOf("--runs") + 1]) || 21
const check = args.includes("--check")
const wasmDir = args.includes("--wasm")
  ? pathToFileURL(`${args[args.indexOf("--wasm") + 1]}/`)
  : new URL("../src/wasm/", import.meta.url)
const wasmJs = new URL("registry_config_wasm.js", wasmDir)
const wasmBins = ["registry_config_wasm_bg.wasm", "registry_config_check_bg.wasm"].map(
  (name) => new URL(name, wasmDir),
)

const TARGET_KIB = 96
const TARGET_MS = 5

/** Ten entries of every kind, as the module sends them. */
const REQUEST = JSON.stringify({
  format: "docker",
  maxBytes: 128000,
  operations: Array.from({ length: 10 }, (_, i) =>
    i % 3 === 2
      ? { kind: "registryToken", address: `https://registry${i}.example:5000/v2/`, secret: `token-${i}-${"x".repeat(40)}` }
      : { kind: "auth", address: `registry${i}.example`, username: `user${i}`, secret: `secret-${i}-${"x".repeat(40)}` },
  ),
})

const quantile = (xs, q) => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]
}
const median = (xs) => quantile(xs, 0.5)

// Child mode: load + render once, print the times.
if (args.includes("--child")) {
  if (args.includes("--warm")) {
    const warmUp = new URL("./node-warm-up.mjs", import.meta.url)
    readFileSync(warmUp)
    await import(warmUp.href)
  }
  const t0 = performance.now()
  const wasm = await import(wasmJs.href)
  const t1 = performance.now()
  const rendering = wasm.render(REQUEST)
  rendering.config
  rendering.free()
  const t2 = performance.now()
  process.stdout.write(JSON.stringify({ load: t1 - t0, render: t2 - t1, total: t2 - t0, process: t2 }))
  process.exit(0)
}

let sizesMet = true
for (const wasmBin of wasmBins) {
  const bytes = statSync(wasmBin).size
  const kib = bytes / 1024
  sizesMet &&= kib <= TARGET_KIB
  const name = fileURLToPath(wasmBin).split("/").pop()
  console.log(`${name}: ${bytes} bytes (${kib.toFixed(1)} KiB) ${kib <= TARGET_KIB ? "<=" : ">"} ${TARGET_KIB} KiB target`)
}

// Strict and warmed children alternate, so that both see the same machine.
const child = (...extra) => {
  const start = performance.now()
  const argv = [fileURLToPath(import.meta.url), "--child", "--wasm", fileURLToPath(wasmDir), ...extra]
  const out = execFileSync(process.execPath, argv, { encoding: "utf8" })
  return { ...JSON.parse(out), wall: performance.now() - start }
}
const fresh = []
const warmed = []
for (let i = 0; i < runs; i++) {
  fresh.push(child())
  warmed.push(child("--warm"))
}
const col = (rows, key, q = 0.5) => quantile(rows.map((r) => r[key]), q)
const coldTotal = col(fresh, "total")
console.log(
  `fresh node process (median of ${runs}): load ${col(fresh, "load").toFixed(2)} ms + render 10 entries ${col(fresh, "render").toFixed(2)} ms = ${coldTotal.toFixed(2)} ms ${coldTotal < TARGET_MS ? "<" : ">="} ${TARGET_MS} ms target; 9 in 10 under ${col(fresh, "total", 0.9).toFixed(2)} ms`,
)
console.log(`  (whole process incl. Node start-up: ${col(fresh, "wall").toFixed(1)} ms wall)`)
console.log(
  `  Node warmed (another file imported and read first): load ${col(warmed, "load").toFixed(2)} ms + render ${col(warmed, "render").toFixed(2)} ms = ${col(warmed, "total").toFixed(2)} ms; 9 in 10 under ${col(warmed, "total", 0.9).toFixed(2)} ms`,
)

const wasm = await import(wasmJs.href)
for (let i = 0; i < 50; i++) wasm.render(REQUEST).free()
const warm = []
for (let i = 0; i < 1000; i++) {
  const t = performance.now()
  const rendering = wasm.render(REQUEST)
  rendering.config
  rendering.free()
  warm.push(performance.now() - t)
}
console.log(`in process, after load (median of 1000): render 10 entries ${(median(warm) * 1000).toFixed(1)} µs`)

const config = (() => {
  const r = wasm.render(REQUEST)
  try {
    return r.config
  } finally {
    r.free()
  }
})()
const names = []
for (let i = 0; i < 5; i++) {
  const t = performance.now()
  wasm.secretName(config)
  names.push(performance.now() - t)
}
console.log(`secretName (argon2, median of 5): ${median(names).toFixed(1)} ms`)

if (check && (!sizesMet || coldTotal >= TARGET_MS)) {
  console.error("bench: a target was missed")
  process.exit(1)
}
