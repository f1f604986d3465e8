// Which wasm functions a first render makes V8 compile, and how much code:
// V8 compiles a wasm function, whole, on its first call, so this is most of
// what the first render of a fresh process costs (docs/benchmarks.md, "On the wasm cold start").
//
//   scripts/build-wasm --names /tmp/named      # the same build, names kept
//   node bench/first-render.mjs /tmp/named [--top N]
//
// Runs bench/wasm.mjs --child (load + render 10 entries) under Node's
// --trace-wasm-compilation-times, and names each function compiled from the
// wasm's name section.
import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

const args = process.argv.slice(2)
const dir = args[0]
const top = args.includes("--top") ? Number(args[args.indexOf("--top") + 1]) : 25
if (!dir || dir.startsWith("--")) {
  console.error("usage: node bench/first-render.mjs DIR [--top N]  (DIR from scripts/build-wasm --names DIR)")
  process.exit(2)
}

/** Function index -> [name, body size], from the code and name sections. */
function functions(bytes) {
  let pos = 8
  const leb = () => {
    let value = 0
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[pos++]
      value += (byte & 0x7f) * 2 ** shift
      if (byte < 0x80) return value
    }
  }
  const text = (length) => new TextDecoder().decode(bytes.subarray(pos, (pos += length)))
  let imported = 0
  const sizes = []
  const names = new Map()
  while (pos < bytes.length) {
    const id = bytes[pos++]
    const size = leb()
    const end = pos + size
    if (id === 2) {
      for (let count = leb(); count > 0; count--) {
        text(leb())
        text(leb())
        if (bytes[pos++] !== 0) throw new Error("only function imports are expected")
        leb()
        imported++
      }
    } else if (id === 10) {
      for (let count = leb(); count > 0; count--) {
        const body = leb()
        sizes.push(body)
        pos += body
      }
    } else if (id === 0 && text(leb()) === "name") {
      while (pos < end) {
        const kind = bytes[pos++]
        const subEnd = leb() + pos
        if (kind === 1) {
          for (let count = leb(); count > 0; count--) names.set(leb(), text(leb()))
        }
        pos = subEnd
      }
    }
    pos = end
  }
  if (names.size === 0) throw new Error(`${dir} has no function names; build it with scripts/build-wasm --names DIR`)
  return (index) => [names.get(index) ?? `#${index}`, sizes[index - imported]]
}

const bench = fileURLToPath(new URL("./wasm.mjs", import.meta.url))
const trace = execFileSync(process.execPath, ["--trace-wasm-compilation-times", bench, "--child", "--wasm", dir], {
  encoding: "utf8",
})
let lookUp
try {
  lookUp = functions(readFileSync(`${dir}/registry_config_wasm_bg.wasm`))
} catch (err) {
  console.error(`first-render: ${err.message}`)
  process.exit(1)
}
const compiled = [...trace.matchAll(/^Compiled function .*#(\d+) using Liftoff/gm)].map((m) => lookUp(Number(m[1])))
compiled.sort((a, b) => b[1] - a[1])
const bytesTotal = compiled.reduce((sum, [, size]) => sum + size, 0)
console.log(`a first render of 10 entries compiles ${compiled.length} functions, ${bytesTotal} bytes of code`)
for (const [name, size] of compiled.slice(0, top)) console.log(`${String(size).padStart(6)}  ${name}`)
