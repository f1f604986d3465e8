// The module's real functions, run through the TypeScript SDK's own module
// machinery (scan, register, invoke) with the real @dagger.io/dagger client,
// against a recording fake engine on 127.0.0.1. Checks the GraphQL the module
// sends: setSecret with the argon2-derived name, withMountedSecret with
// path/owner/mode, apply's mounts and environment, registration (names,
// docs, session caching), and that no plaintext secret leaves the module
// except inside setSecret.
import assert from "node:assert/strict"
import { after, before, describe, test } from "node:test"


import { startFakeEngine } from "./support/fake-engine.mjs"
import { FUNCTIONS, SECRET_MOUNT_FIELDS } from "./support/registration.mjs"
import { buildState, loadModule, recordRejection, recordSession } from "./support/runtime.mjs"
import { secretName } from "./support/wasm.mjs"

const CANARY = "canary-Zq8vX1-pass"
const TOKEN = "canary-Zq8vX1-token"
const BIG = "canary-Zq8vX1-".repeat(4200) // ~59 KB: three of them exceed 128000 bytes
const BASE = JSON.stringify({ auths: { "quay.io": { auth: Buffer.from("q:canary-Zq8vX1-base").toString("base64") } }, credsStore: "desktop" })
/** Every plaintext handed to the module; none may leave it except through setSecret. */
const PLAINTEXTS = [CANARY, TOKEN, BIG.slice(0, 40), "canary-Zq8vX1-base"]
const CONTAINER = "container-in"

let engine
let mod

before(async () => {
  engine = await startFakeEngine({
    secrets: { pass: CANARY, token: TOKEN, empty: "", big: BIG, base: BASE },
  })
  Object.assign(process.env, engine.env)
  mod = await loadModule()
})

after(async () => {
  await engine?.close()
})

const session = (fn) => recordSession(engine, fn)
const build = (...calls) => buildState(mod, ...calls)

const calls = (requests, field) => requests.flatMap((r) => r.calls.filter((c) => c.field === field).map((c) => c.args))
const b64 = (s) => Buffer.from(s).toString("base64")

/** No plaintext (raw or inside an auth value) in any request but setSecret's, nor in module state. */
function assertNoPlaintextOutside(requests, ...states) {
  const forms = PLAINTEXTS.flatMap((p) => [p, b64(`me:${p}`), b64(`${p}:`)])
  for (const request of requests) {
    const setSecretOnly = request.calls[0]?.field === "setSecret" && request.calls.slice(1).every((c) => c.field === "id")
    if (setSecretOnly) continue
    for (const form of forms) {
      assert.ok(!request.query.includes(form), `a plaintext left the module in: ${request.query.slice(0, 300)}`)
    }
  }
  for (const state of states) {
    for (const form of forms) assert.ok(!JSON.stringify(state).includes(form), "a plaintext is in the object state")
  }
}

/** The one setSecret call among `requests`, checked for the derived name. */
function setSecretCalls(requests) {
  const found = calls(requests, "setSecret")
  for (const { name, plaintext } of found) {
    assert.ok(name === secretName(plaintext) || !name.startsWith("registry-config-"), name)
  }
  return found
}

/** Runs `fn` in a session, expects an error matching `pattern` that holds no plaintext; returns the requests made. */
const rejects = (fn, pattern) => recordRejection(engine, fn, pattern, PLAINTEXTS)

describe("registration", () => {
  let requests
  before(async () => {
    requests = await session(() => mod.register())
  })

  test("Register_Functions: the daggerverse names, plus the new ones", () => {
    assert.deepEqual(
      calls(requests, "function").map((f) => f.name),
      FUNCTIONS,
    )
  })

  test("Register_SecretMountFields: path, secretName, skipOnEmpty, owner and mode are readable fields", () => {
    const fields = requests
      .filter((r) => r.calls.some((c) => c.field === "withObject" && c.args.name === "SecretMount"))
      .flatMap((r) => calls([r], "withField").map((f) => f.name))
    assert.deepEqual(fields, SECRET_MOUNT_FIELDS)
  })

  test("Register_Docs: every function and argument has a description, every function is cached per session", () => {
    const functions = requests.filter((r) => r.calls[0]?.field === "function")
    assert.equal(functions.length, 11)
    for (const { calls: fn } of functions) {
      const name = fn[0].args.name
      assert.ok(fn.some((c) => c.field === "withDescription" && c.args.description.length > 10), name)
      assert.deepEqual(calls([{ calls: fn }], "withCachePolicy"), [{ policy: "PerSession" }], name)
      for (const arg of calls([{ calls: fn }], "withArg")) {
        assert.ok(arg.description?.length > 5, `${name}(${arg.name}) has no description`)
      }
    }
  })

  test("Register_Arguments: same names and defaults as the daggerverse module", () => {
    const functions = Object.fromEntries(
      requests
        .filter((r) => r.calls[0]?.field === "function")
        .map((r) => [r.calls[0].args.name, calls([r], "withArg")]),
    )
    const names = (fn) => functions[fn].map((a) => a.name)
    assert.deepEqual(names("withRegistryAuth"), ["address", "username", "secret"])
    assert.deepEqual(names("withoutRegistryAuth"), ["address"])
    assert.deepEqual(names("secret"), ["name", "format"])
    assert.deepEqual(names("secretMount"), ["path", "secretName", "skipOnEmpty", "owner", "mode"])
    assert.deepEqual(names("mount"), ["container"])
    assert.deepEqual(names("apply"), ["container", "owner"])
    assert.deepEqual(names("check"), ["repositories", "push"])
    assert.deepEqual(names("verified"), ["onRejected"])
    assert.equal(functions.secret.find((a) => a.name === "format").defaultValue, '"docker"')
    assert.equal(functions.check.find((a) => a.name === "push").defaultValue, "false")
    assert.equal(functions.verified.find((a) => a.name === "onRejected").defaultValue, '"fail"')
    assert.equal(functions.secretMount.find((a) => a.name === "skipOnEmpty").defaultValue, "false")
  })
})

describe("functions", () => {
  test("Secret_Default: setSecret gets the rendered config under registry-config-<argon2>", async () => {
    let state
    const requests = await session(async () => {
      state = await build(
        ["withRegistryAuth", { address: "https://ghcr.io/v2/", username: "me", secret: "pass" }],
        ["withRegistryAuth", { address: "index.docker.io", username: "me", secret: "pass" }],
      )
      await mod.call("RegistryConfig", "secret", state)
    })
    const [set, ...more] = setSecretCalls(requests)
    assert.equal(more.length, 0)
    assert.match(set.name, /^registry-config-[0-9a-f]{32}$/)
    assert.equal(set.name, secretName(set.plaintext))
    assert.deepEqual(JSON.parse(set.plaintext), {
      auths: {
        "ghcr.io": { auth: b64(`me:${CANARY}`) },
        "https://index.docker.io/v1/": { auth: b64(`me:${CANARY}`) },
      },
    })
    // Secrets are kept as IDs in the object state, never as plaintext.
    assert.deepEqual(state.secrets, ["pass", "pass"])
    assertNoPlaintextOutside(requests, state)
  })

  test("Secret_NameAndFormat: a given name and the containers format", async () => {
    const requests = await session(async () => {
      const state = await build(["withRegistryAuth", { address: "ghcr.io/org", username: "me", secret: "pass" }])
      await mod.call("RegistryConfig", "secret", state, { name: "my-config", format: "containers" })
    })
    const [set] = setSecretCalls(requests)
    assert.equal(set.name, "my-config")
    assert.deepEqual(Object.keys(JSON.parse(set.plaintext).auths), ["ghcr.io/org"])
    assertNoPlaintextOutside(requests)
  })

  test("WithoutRegistryAuth_Normalised: https://ghcr.io removes ghcr.io", async () => {
    const requests = await session(async () => {
      const state = await build(
        ["withRegistryAuth", { address: "ghcr.io", username: "me", secret: "pass" }],
        ["withRegistryAuth", { address: "quay.io", username: "me", secret: "pass" }],
        ["withoutRegistryAuth", { address: "https://ghcr.io" }],
      )
      await mod.call("RegistryConfig", "secret", state)
    })
    assert.deepEqual(Object.keys(JSON.parse(setSecretCalls(requests)[0].plaintext).auths), ["quay.io"])
  })

  test("WithIdentityToken_WithRegistryToken: tokens are rendered", async () => {
    const requests = await session(async () => {
      const state = await build(
        ["withIdentityToken", { address: "localhost:5000", token: "token" }],
        ["withRegistryToken", { address: "registry.example", token: "pass" }],
      )
      await mod.call("RegistryConfig", "secret", state)
    })
    const { auths } = JSON.parse(setSecretCalls(requests)[0].plaintext)
    assert.equal(auths["localhost:5000"].identitytoken, TOKEN)
    assert.equal(auths["registry.example"].registrytoken, CANARY)
    assertNoPlaintextOutside(requests)
  })

  test("WithConfig_Warnings: the base is merged, warnings go to stderr without secrets", async () => {
    const errors = []
    const consoleError = console.error
    console.error = (...args) => errors.push(args.join(" "))
    let requests
    try {
      requests = await session(async () => {
        const state = await build(
          ["withConfig", { config: "base" }],
          ["withRegistryAuth", { address: "ghcr.io", username: "me", secret: "pass" }],
        )
        await mod.call("RegistryConfig", "secret", state)
      })
    } finally {
      console.error = consoleError
    }
    assert.deepEqual(Object.keys(JSON.parse(setSecretCalls(requests)[0].plaintext).auths), ["quay.io", "ghcr.io"])
    assert.ok(errors.some((e) => e.includes("credsStore")), errors.join("\n"))
    for (const line of errors) for (const p of PLAINTEXTS) assert.ok(!line.includes(p), line)
    assertNoPlaintextOutside(requests)
  })

  test("SecretMount_Mount: withMountedSecret with path, owner and mode", async () => {
    const requests = await session(async () => {
      const state = await build(["withRegistryAuth", { address: "ghcr.io", username: "me", secret: "pass" }])
      const mount = await mod.call("RegistryConfig", "secretMount", state, {
        path: "/root/.docker/config.json",
        owner: "1000:1000",
        mode: 0o600,
      })
      assertNoPlaintextOutside([], mount)
      await mod.call("SecretMount", "mount", mount, { container: CONTAINER })
    })
    const [set] = setSecretCalls(requests)
    const mounts = calls(requests, "withMountedSecret")
    assert.equal(mounts.length, 1)
    const { source, ...rest } = mounts[0]
    assert.deepEqual(rest, { path: "/root/.docker/config.json", owner: "1000:1000", mode: 384 })
    const setRequest = requests.find((r) => r.calls[0]?.field === "setSecret")
    assert.ok(setRequest && set, "the mounted secret comes from setSecret")
    assert.match(set.name, /^registry-config-[0-9a-f]{32}$/)
    assert.ok(typeof source === "string" && source.startsWith("fake-id-"), source)
    assertNoPlaintextOutside(requests)
  })

  test("SecretMount_Defaults: no owner or mode unless given; a given secret name", async () => {
    const requests = await session(async () => {
      const state = await build(["withRegistryAuth", { address: "ghcr.io", username: "me", secret: "pass" }])
      const mount = await mod.call("RegistryConfig", "secretMount", state, { path: "/cfg.json", secretName: "named" })
      await mod.call("SecretMount", "mount", mount, { container: CONTAINER })
    })
    const { source, ...rest } = calls(requests, "withMountedSecret")[0]
    assert.deepEqual(rest, { path: "/cfg.json" })
    assert.equal(setSecretCalls(requests)[0].name, "named")
  })

  test("SecretMount_SkipOnEmpty: the container comes back unchanged", async () => {
    let result
    const requests = await session(async () => {
      const mount = await mod.call("RegistryConfig", "secretMount", {}, { path: "/cfg.json", skipOnEmpty: true })
      result = await mod.call("SecretMount", "mount", mount, { container: CONTAINER })
    })
    assert.equal(result, CONTAINER)
    assert.equal(calls(requests, "setSecret").length, 0)
    assert.equal(calls(requests, "withMountedSecret").length, 0)
  })

  test("SecretMount_SkipOnEmptyAfterRemoval: an entry added then removed counts as empty", async () => {
    let result
    const requests = await session(async () => {
      const state = await build(
        ["withRegistryAuth", { address: "https://ghcr.io/", username: "me", secret: "pass" }],
        ["withoutRegistryAuth", { address: "ghcr.io" }],
      )
      const mount = await mod.call("RegistryConfig", "secretMount", state, { path: "/cfg.json", skipOnEmpty: true })
      result = await mod.call("SecretMount", "mount", mount, { container: CONTAINER })
    })
    assert.equal(result, CONTAINER)
    assert.equal(calls(requests, "setSecret").length, 0)
    assert.equal(calls(requests, "withMountedSecret").length, 0)
  })

  test("SecretMount_Empty: without skipOnEmpty an empty config is mounted", async () => {
    const requests = await session(async () => {
      const mount = await mod.call("RegistryConfig", "secretMount", {}, { path: "/cfg.json" })
      await mod.call("SecretMount", "mount", mount, { container: CONTAINER })
    })
    assert.deepEqual(JSON.parse(setSecretCalls(requests)[0].plaintext), { auths: {} })
  })

  test("Apply: both formats mounted, three environment variables set", async () => {
    const requests = await session(async () => {
      const state = await build(["withRegistryAuth", { address: "docker.io", username: "me", secret: "pass" }])
      await mod.call("RegistryConfig", "apply", state, { container: CONTAINER, owner: "1000" })
    })
    const sets = setSecretCalls(requests)
    assert.deepEqual(sets.map((s) => Object.keys(JSON.parse(s.plaintext).auths)[0]), ["https://index.docker.io/v1/", "docker.io"])
    for (const s of sets) assert.match(s.name, /^registry-config-[0-9a-f]{32}$/)
    assert.deepEqual(
      calls(requests, "withMountedSecret").map(({ source, ...rest }) => rest),
      [
        { path: "/run/registry-config/config.json", owner: "1000" },
        { path: "/run/registry-config/auth.json", owner: "1000" },
      ],
    )
    assert.deepEqual(calls(requests, "withEnvVariable"), [
      { name: "DOCKER_CONFIG", value: "/run/registry-config" },
      { name: "REGISTRY_AUTH_FILE", value: "/run/registry-config/auth.json" },
      { name: "HELM_REGISTRY_CONFIG", value: "/run/registry-config/config.json" },
    ])
    assertNoPlaintextOutside(requests)
  })

  test("Apply_RepositoryScope: the docker render error surfaces, naming the address", async () => {
    const requests = await rejects(async () => {
      const state = await build(["withRegistryAuth", { address: "ghcr.io/org", username: "me", secret: "pass" }])
      await mod.call("RegistryConfig", "apply", state, { container: CONTAINER })
    }, /"ghcr\.io\/org".*docker format/)
    assert.equal(calls(requests, "setSecret").length, 0)
    assert.equal(calls(requests, "withMountedSecret").length, 0)
  })
})

describe("errors", () => {
  test("WithRegistryAuth_BadAddress: refused at the call, before any secret is read", async () => {
    const requests = await rejects(
      () => build(["withRegistryAuth", { address: "ghcr .io", username: "me", secret: "pass" }]),
      /invalid registry address "ghcr \.io"/,
    )
    assert.equal(calls(requests, "plaintext").length, 0)
  })

  test("WithRegistryAuth_ColonInUsername: refused at the call, naming the address", async () => {
    await rejects(
      () => build(["withRegistryAuth", { address: "ghcr.io", username: "me:you", secret: "pass" }]),
      /ghcr\.io.*username contains ':'/,
    )
  })

  test("WithoutRegistryAuth_BadAddress: refused at the call", async () => {
    await rejects(() => build(["withoutRegistryAuth", { address: "https://" }]), /invalid registry address "https:\/\/"/)
  })

  test("Secret_EmptySecret: names the address", async () => {
    const requests = await rejects(async () => {
      const state = await build(["withRegistryAuth", { address: "ghcr.io", username: "me", secret: "empty" }])
      await mod.call("RegistryConfig", "secret", state)
    }, /ghcr\.io.*secret is empty/)
    assert.equal(calls(requests, "setSecret").length, 0)
  })

  test("Secret_TooLarge: over Dagger's 128000 bytes, nothing is sent", async () => {
    const requests = await rejects(async () => {
      const state = await build(
        ["withRegistryAuth", { address: "r1.io", username: "me", secret: "big" }],
        ["withRegistryAuth", { address: "r2.io", username: "me", secret: "big" }],
        ["withRegistryAuth", { address: "r3.io", username: "me", secret: "big" }],
      )
      await mod.call("RegistryConfig", "secret", state)
    }, /over the limit of 128000 bytes/)
    assert.equal(calls(requests, "setSecret").length, 0)
  })

  test("Secret_UnknownFormat", async () => {
    await rejects(() => mod.call("RegistryConfig", "secret", {}, { format: "podman" }), /unknown format "podman"/)
  })
})
