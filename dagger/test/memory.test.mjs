// After the wasm module has worked with secrets, no copy of one is left in
// its memory: the wasm build's allocator zeroes every block it frees
// (wasm/src/lib.rs), and the strings passed in, the decoded secrets, the
// rendered file and the handshake's requests all live in freed blocks by the time a call
// has returned and `free()` has run. The canaries are searched for in the
// whole of the module's linear memory, as plaintext and as the base64 that
// configs and Authorization headers hold.
import assert from "node:assert/strict"
import { test } from "node:test"

// The glue keeps its instance to itself: catch it as it is made. (This file
// runs in a process of its own, as every file under node --test does.)
const instances = []
const Instance = WebAssembly.Instance
WebAssembly.Instance = function (module, imports) {
  const instance = new Instance(module, imports)
  instances.push(instance)
  return instance
}
const wasm = await import("../src/wasm/registry_config_wasm.js")
WebAssembly.Instance = Instance
assert.equal(instances.length, 1, "the module makes one instance")
const memory = instances[0].exports.memory

const PASSWORD = "canary-password-Qm3vX8"
const IDENTITY_TOKEN = "canary-identity-Wt5pL2"
const REGISTRY_TOKEN = "canary-registry-Hc9rN4"
const BASE_PASSWORD = "canary-base-Jd7sK1"
const base64 = (text) => Buffer.from(text).toString("base64")

/** Every form in which a canary could be left behind. */
const needles = [
  PASSWORD,
  IDENTITY_TOKEN,
  REGISTRY_TOKEN,
  BASE_PASSWORD,
  base64(`octocat:${PASSWORD}`),
  base64(`robot:${BASE_PASSWORD}`),
]

function leftovers(more = []) {
  const bytes = Buffer.from(memory.buffer)
  return [...needles, ...more].filter((needle) => bytes.includes(needle))
}

/** A config holding every kind of canary; free() it. */
function configWithCanaries() {
  const config = new wasm.Config(wasm.daggerSecretLimit())
  config.setBase(JSON.stringify({ auths: { "quay.io": { auth: base64(`robot:${BASE_PASSWORD}`) } } }))
  config.addAuth("ghcr.io", "octocat", PASSWORD)
  config.addIdentityToken("registry.example", IDENTITY_TOKEN)
  config.addRegistryToken("https://token.example/v2/", REGISTRY_TOKEN)
  return config
}

function renderWithCanaries(format) {
  const config = configWithCanaries()
  try {
    const rendering = config.render(format)
    try {
      return rendering.config
    } finally {
      rendering.free()
    }
  } finally {
    config.free()
  }
}

/** The checks planned for the canary config, and the config; free() them all. */
function checksWithCanaries() {
  const config = configWithCanaries()
  return { config, checks: config.checks([], false) }
}

function freeAll({ config, checks }) {
  for (const check of checks) check.free()
  config.free()
}

/** The next action of `check`, as a plain object; the wasm object is freed. */
function next(check) {
  const action = check.pollAction()
  try {
    const { kind, method, url, authorization, body } = action
    return { kind, method, url, authorization, body, status: check.status }
  } finally {
    action.free()
  }
}

test("a render leaves no secret in wasm memory", () => {
  const config = renderWithCanaries("docker")
  // The canaries did go through: the file holds them.
  for (const needle of [base64(`octocat:${PASSWORD}`), IDENTITY_TOKEN, REGISTRY_TOKEN, base64(`robot:${BASE_PASSWORD}`)]) {
    assert.ok(config.includes(needle), `the rendered file lacks ${needle}`)
  }
  assert.deepEqual(leftovers(), [])
})

test("a containers-format render and a refused render leave none either", () => {
  renderWithCanaries("containers")
  const config = new wasm.Config()
  try {
    assert.throws(() => config.addAuth("bad host", "u", PASSWORD))
  } finally {
    config.free()
  }
  assert.deepEqual(leftovers(), [])
})

test("naming a config leaves no secret in wasm memory", () => {
  const config = renderWithCanaries("docker")
  assert.match(wasm.secretName(config), /^registry-config-[0-9a-f]{32}$/)
  assert.deepEqual(leftovers(), [])
})

test("planning checks and a Basic handshake leave no secret in wasm memory", () => {
  const planned = checksWithCanaries()
  try {
    const ghcr = planned.checks.find((check) => check.registry === "ghcr.io")
    assert.ok(ghcr, "the plan holds ghcr.io")
    const first = next(ghcr)
    assert.equal(first.kind, "send")
    ghcr.handleResponse(401, ['Basic realm="ghcr.io"'], new Uint8Array())
    const second = next(ghcr)
    assert.equal(second.authorization, `Basic ${base64(`octocat:${PASSWORD}`)}`)
    ghcr.handleResponse(200, [], new Uint8Array())
    assert.equal(next(ghcr).status, "valid")
  } finally {
    freeAll(planned)
  }
  assert.deepEqual(leftovers(), [])
})

test("an identity-token handshake leaves neither the refresh token nor the access token behind", () => {
  const ACCESS_TOKEN = "canary-access-Vb6tY3"
  const planned = checksWithCanaries()
  const actions = []
  try {
    const check = planned.checks.find((c) => c.registry === "registry.example")
    const step = () => {
      const action = next(check)
      actions.push(action)
      return action
    }
    step()
    check.handleResponse(401, ['Bearer realm="https://auth.example/token",service="registry.example"'], new Uint8Array())
    const tokenRequest = step()
    assert.equal(tokenRequest.method, "POST")
    assert.ok(tokenRequest.body.includes(IDENTITY_TOKEN), "the refresh token is sent")
    // A registry-wide check is done once a token is granted (two requests).
    check.handleResponse(200, [], new TextEncoder().encode(JSON.stringify({ access_token: ACCESS_TOKEN })))
    assert.equal(step().status, "valid", JSON.stringify(actions))
  } finally {
    freeAll(planned)
  }
  assert.deepEqual(leftovers([ACCESS_TOKEN]), [])
})
