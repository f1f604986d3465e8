// Size and speed of the committed wasm build, loaded as the module loads it.
//
//   node bench/wasm.mjs [--runs N] [--check] [--wasm DIR]
//
// Prints the size of the wasm module(s), the time for a fresh `node` process
// to load the module and render 10 entries (measured inside the process, so
// Node's own start-up is reported apart; median and 9th decile), the
// in-process median for a render of 10 entries once loaded, and secretName
// (argon2). The render is given a secret name, so it measures rendering;
// secretName is measured on its own. Budget (issue 14): the wasm <= 400 KiB;
// load + first render <= 15 ms. --check exits 1 when one is missed.
//
// --wasm DIR measures the build in DIR (default: the committed ../src/wasm).
// --before DIR measures the build in DIR too, its processes and calls
// alternating with the other's, so both see the same machine: a before/after
// comparison in one run. Builds before issue 14 (two modules, a JSON render
// request) are measured with their own API:
//   mkdir /tmp/before && git -C .. archive COMMIT dagger/src/wasm | tar -x -C /tmp/before --strip-components=3
//   node bench/wasm.mjs --before /tmp/before --runs 41
//
// A second figure, "Node warmed", first imports and reads another small
// file, as any real program (the Dagger runtime among them) has long done by
// the time it loads this module; it is what the module itself adds.
import { execFileSync } from "node:child_process"
import { readFileSync, readdirSync, statSync } from "node:fs"
import { performance } from "node:perf_hooks"
import { fileURLToPath, pathToFileURL } from "node:url"

const args = process.argv.slice(2)
const runs = Number(args[args.indexOf("--runs") + 1]) || 21
const check = args.includes("--check")
const wasmDir = args.includes("--wasm")
  ? pathToFileURL(`${args[args.indexOf("--wasm") + 1]}/`)
  : new URL("../src/wasm/", import.meta.url)
const wasmJs = new URL("registry_config_wasm.js", wasmDir)

const TARGET_KIB = 400
const TARGET_MS = 15

/** Ten entries of every kind, as the module sends them. */
const OPERATIONS = Array.from({ length: 10 }, (_, i) =>
  i % 3 === 2
    ? { kind: "registryToken", address: `https://registry${i}.example:5000/v2/`, secret: `token-${i}-${"x".repeat(40)}` }
    : { kind: "auth", address: `registry${i}.example`, username: `user${i}`, secret: `secret-${i}-${"x".repeat(40)}` },
)

/**
 * Renders OPERATIONS in the Docker format with the module's API: the
 * `Config` object (issue 14 on), or the JSON render request before it.
 */
function render(wasm) {
  if (wasm.Config === undefined) {
    const request = JSON.stringify({ format: "docker", maxBytes: 128000, operations: OPERATIONS })
    const rendering = wasm.render(request)
    const config = rendering.config
    rendering.free()
    return config
  }
  const config = new wasm.Config(128000)
  try {
    for (const op of OPERATIONS) {
      if (op.kind === "auth") config.addAuth(op.address, op.username, op.secret)
      else config.addRegistryToken(op.address, op.secret)
    }
    const rendering = config.render("docker", "bench")
    const text = rendering.config
    rendering.free()
    return text
  } finally {
    config.free()
  }
}

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
  render(wasm)
  const t2 = performance.now()
  process.stdout.write(JSON.stringify({ load: t1 - t0, render: t2 - t1, total: t2 - t0, process: t2 }))
  process.exit(0)
}

/** The builds measured: --before DIR first when given, then --wasm DIR (or the committed one). */
const builds = [
  ...(args.includes("--before") ? [{ label: "before", dir: pathToFileURL(`${args[args.indexOf("--before") + 1]}/`) }] : []),
  { label: "after", dir: wasmDir },
]
const labelled = (build, text) => console.log(builds.length > 1 ? `[${build.label}] ${text}` : text)

let sizesMet = true
for (const build of builds) {
  for (const name of readdirSync(build.dir).filter((file) => file.endsWith(".wasm"))) {
    const bytes = statSync(new URL(name, build.dir)).size
    const kib = bytes / 1024
    sizesMet &&= build !== builds.at(-1) || kib <= TARGET_KIB
    labelled(build, `${name}: ${bytes} bytes (${kib.toFixed(1)} KiB) ${kib <= TARGET_KIB ? "<=" : ">"} ${TARGET_KIB} KiB target`)
  }
}

// Strict and warmed children of every build alternate, so that all see the same machine.
const child = (build, ...extra) => {
  const start = performance.now()
  const argv = [fileURLToPath(import.meta.url), "--child", "--wasm", fileURLToPath(build.dir), ...extra]
  const out = execFileSync(process.execPath, argv, { encoding: "utf8" })
  return { ...JSON.parse(out), wall: performance.now() - start }
}
for (const build of builds) Object.assign(build, { fresh: [], warmed: [] })
for (let i = 0; i < runs; i++) {
  for (const build of builds) {
    build.fresh.push(child(build))
    build.warmed.push(child(build, "--warm"))
  }
}
const col = (rows, key, q = 0.5) => quantile(rows.map((r) => r[key]), q)
for (const build of builds) {
  const { fresh, warmed } = build
  build.coldTotal = col(fresh, "total")
  labelled(
    build,
    `fresh node process (median of ${runs}): load ${col(fresh, "load").toFixed(2)} ms + render 10 entries ${col(fresh, "render").toFixed(2)} ms = ${build.coldTotal.toFixed(2)} ms ${build.coldTotal <= TARGET_MS ? "<=" : ">"} ${TARGET_MS} ms target; 9 in 10 under ${col(fresh, "total", 0.9).toFixed(2)} ms`,
  )
  labelled(build, `  (whole process incl. Node start-up: ${col(fresh, "wall").toFixed(1)} ms wall)`)
  labelled(
    build,
    `  Node warmed (another file imported and read first): load ${col(warmed, "load").toFixed(2)} ms + render ${col(warmed, "render").toFixed(2)} ms = ${col(warmed, "total").toFixed(2)} ms; 9 in 10 under ${col(warmed, "total", 0.9).toFixed(2)} ms`,
  )
}

for (const build of builds) {
  build.wasm = await import(new URL("registry_config_wasm.js", build.dir).href)
  for (let i = 0; i < 50; i++) render(build.wasm)
  Object.assign(build, { warm: [], names: [], config: render(build.wasm) })
}
for (let i = 0; i < 1000; i++) {
  for (const build of builds) {
    const t = performance.now()
    render(build.wasm)
    build.warm.push(performance.now() - t)
  }
}
for (let i = 0; i < 31; i++) {
  for (const build of builds) {
    const t = performance.now()
    build.wasm.secretName(build.config)
    build.names.push(performance.now() - t)
  }
}
for (const build of builds) {
  labelled(build, `in process, after load (median of 1000): render 10 entries ${(median(build.warm) * 1000).toFixed(1)} µs`)
  labelled(build, `secretName (argon2, median of 31): ${median(build.names).toFixed(1)} ms`)
}

if (check && (!sizesMet || builds.at(-1).coldTotal > TARGET_MS)) {
  console.error("bench: a target was missed")
  process.exit(1)
}
