// Each TypeScript module of the repository, laid out, installed and run as the
// Dagger engine's TypeScript runtime does (support/engine-runtime.mjs): the
// engine's package.json rewrite and npm install decision, the SDK bundled
// without typescript, the generated entrypoint under tsx and Node 24, against
// the recording fake engine. The other tests load the module through our own
// node_modules, which hold every devDependency; this one catches a module
// whose dependencies the engine would not install.
import assert from "node:assert/strict"
import { existsSync } from "node:fs"
import { join } from "node:path"
import { after, before, describe, test } from "node:test"

import { REPO, installAsV0194, prepareModule } from "./support/engine-runtime.mjs"
import { startFakeEngine } from "./support/fake-engine.mjs"
import { FUNCTIONS, SECRET_MOUNT_FIELDS } from "./support/registration.mjs"

const CANARY = "canary-Rq7wP2-pass"
const BASE = JSON.stringify({ auths: { "quay.io": { auth: Buffer.from("q:canary-Rq7wP2-base").toString("base64") } } })
const CONTAINER = "container-in"

/** Arguments of every recorded call to `field` since request number `from`. */
const callsSince = (engine, from, field) =>
  engine.requests.slice(from).flatMap((r) => r.calls.filter((c) => c.field === field).map((c) => c.args))

/**
 * Runs one entrypoint call; fails with the runtime's output unless it exits 0
 * and returns a value. Returns { value (parsed), requests made }.
 */
async function call(engine, mod, fn) {
  const from = engine.requests.length
  const returned = engine.returned().length
  const { code, stdout, stderr } = await mod.run(engine, fn)
  const sent = engine.returned().slice(returned)
  assert.equal(code, 0, `the entrypoint exited with ${code}:\n${stderr.slice(-4000)}\n${stdout.slice(-2000)}`)
  assert.equal(sent.length, 1, `one returnValue expected, got ${JSON.stringify(sent)}`)
  assert.ok("value" in sent[0], `returnError: ${sent[0].error}`)
  return { value: JSON.parse(sent[0].value), from }
}

/** The names of the functions and fields registered on `object`. */
function registered(engine, from, object) {
  const requests = engine.requests.slice(from)
  const functions = requests
    .flatMap((r) => r.calls)
    .filter((c) => c.field === "function")
    .map((c) => c.args.name)
  const fields = requests
    .filter((r) => r.calls.some((c) => c.field === "withObject" && c.args.name === object))
    .flatMap((r) => r.calls.filter((c) => c.field === "withField").map((c) => c.args.name))
  return { functions, fields }
}

let engine
before(async () => {
  engine = await startFakeEngine({ secrets: { pass: CANARY, base: BASE } })
})
after(async () => {
  await engine?.close()
})

/**
 * A describe block for the module of `daggerJson`: prepared before its tests
 * and removed after; its first test checks the install step left a
 * typescript the SDK's scan() can import. `tests(holder)` adds the others
 * (holder.mod is the prepared module).
 */
function describeModule(title, daggerJson, tests) {
  describe(title, () => {
    const holder = {}
    before(async () => {
      holder.mod = await prepareModule(join(REPO, daggerJson))
    })
    after(() => holder.mod?.remove())

    test("Install_Typescript: the engine's install step provides typescript", () => {
      const { install, dir } = holder.mod
      if (install.npmInstall) assert.equal(install.npmInstall.code, 0, install.npmInstall.output)
      assert.ok(
        existsSync(join(dir, "node_modules/typescript/package.json")),
        `no node_modules/typescript after the engine's install step (${JSON.stringify(install)})`,
      )
    })
    test("Install_v0.19.4: the lowest declared engine's npm install --omit=dev provides typescript", () => {
      const { code, output, typescript } = installAsV0194(join(REPO, daggerJson))
      assert.equal(code, 0, output)
      assert.ok(typescript, `no node_modules/typescript after npm install --omit=dev:\n${output}`)
    })
    tests(holder)
  })
}

describeModule("root module (dagger.json, source dagger/)", "dagger.json", (holder) => {
  test("Register: the functions, and SecretMount's fields", async () => {
    const { from } = await call(engine, holder.mod, { parentName: "" })
    assert.deepEqual(registered(engine, from, "RegistryConfig").functions, FUNCTIONS)
    assert.deepEqual(registered(engine, from, "SecretMount").fields, SECRET_MOUNT_FIELDS)
  })

  test("WithConfig_WithRegistryAuth_Secret_SecretMount_Mount_Apply: a chain of calls, each in its own runtime", async () => {
    const mod = holder.mod
    const base = await call(engine, mod, { parentName: "RegistryConfig", name: "withConfig", args: { config: "base" } })
    const config = await call(engine, mod, {
      parentName: "RegistryConfig",
      name: "withRegistryAuth",
      parent: JSON.stringify(base.value),
      args: { address: "https://ghcr.io/v2/", username: "me", secret: "pass" },
    })
    const parent = JSON.stringify(config.value)

    const secret = await call(engine, mod, { parentName: "RegistryConfig", name: "secret", parent })
    const [set] = callsSince(engine, secret.from, "setSecret")
    assert.match(set.name, /^registry-config-[0-9a-f]{32}$/)
    assert.deepEqual(Object.keys(JSON.parse(set.plaintext).auths), ["quay.io", "ghcr.io"])
    assert.equal(JSON.parse(set.plaintext).auths["ghcr.io"].auth, Buffer.from(`me:${CANARY}`).toString("base64"))
    assert.equal(typeof secret.value, "string")

    const mount = await call(engine, mod, {
      parentName: "RegistryConfig",
      name: "secretMount",
      parent,
      args: { path: "/root/.docker/config.json", owner: "1000:1000", mode: 0o600 },
    })
    assert.equal(mount.value.path, "/root/.docker/config.json")
    const mounted = await call(engine, mod, { parentName: "SecretMount", name: "mount", parent: JSON.stringify(mount.value), args: { container: CONTAINER } })
    const [{ source, ...options }] = callsSince(engine, mounted.from, "withMountedSecret")
    assert.deepEqual(options, { path: "/root/.docker/config.json", owner: "1000:1000", mode: 0o600 })
    assert.ok(source.startsWith("fake-id-"), source)

    const applied = await call(engine, mod, { parentName: "RegistryConfig", name: "apply", parent, args: { container: CONTAINER } })
    assert.deepEqual(
      callsSince(engine, applied.from, "withMountedSecret").map((m) => m.path),
      ["/run/registry-config/config.json", "/run/registry-config/auth.json"],
    )
    assert.deepEqual(
      callsSince(engine, applied.from, "withEnvVariable").map((e) => e.name),
      ["DOCKER_CONFIG", "REGISTRY_AUTH_FILE", "HELM_REGISTRY_CONFIG"],
    )
  })
})

describeModule("tests module (dagger/tests)", "dagger/tests/dagger.json", (holder) => {
  test("Register: all and one function per test", async () => {
    const { from } = await call(engine, holder.mod, { parentName: "" })
    const { functions } = registered(engine, from, "Tests")
    assert.equal(functions[0], "all")
    assert.ok(functions.includes("secretMount_Mount"), functions.join(", "))
    assert.ok(functions.length > 10, functions.join(", "))
  })
})

describeModule("TypeScript example (examples/typescript)", "examples/typescript/dagger.json", (holder) => {
  test("Register: the examples", async () => {
    const { from } = await call(engine, holder.mod, { parentName: "" })
    assert.deepEqual(registered(engine, from, "Examples").functions, [
      "registryConfigApply_helmPush",
      "registryConfigSecretMount_skopeoCopy",
    ])
  })
})
