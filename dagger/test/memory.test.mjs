// After the wasm modules have worked with secrets, no copy of one is left in
// their memory: the wasm build's allocator zeroes every block it frees
// (wasm/src/lib.rs), and the request, the decoded secrets, the rendered file
// and the handshake's requests all live in freed blocks by the time a call
// has returned and `free()` has run. The canaries are searched for in the
// whole of each module's linear memory, as plaintext and as the base64 that
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
const check = await import("../src/wasm/registry_config_check.js")
WebAssembly.Instance = Instance
assert.equal(instances.length, 2, "each module makes one instance")
const [renderMemory, checkMemory] = instances.map((instance) => instance.exports.memory)

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

function leftovers(memory = renderMemory, more = []) {
  const bytes = Buffer.from(memory.buffer)
  return [...needles, ...more].filter((needle) => bytes.includes(needle))
}

function requestWithCanaries(format) {
  return JSON.stringify({
    format,
    maxBytes: wasm.daggerSecretLimit(),
    operations: [
      { kind: "base", config: JSON.stringify({ auths: { "quay.io": { auth: base64(`robot:${BASE_PASSWORD}`) } } }) },
      { kind: "auth", address: "ghcr.io", username: "octocat", secret: PASSWORD },
      { kind: "identityToken", address: "registry.example", secret: IDENTITY_TOKEN },
      { kind: "registryToken", address: "https://token.example/v2/", secret: REGISTRY_TOKEN },
    ],
  })
}

function renderWithCanaries(format) {
  const rendering = wasm.render(requestWithCanaries(format))
  try {
    return rendering.config
  } finally {
    rendering.free()
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
  assert.throws(() =>
    wasm.render(
      JSON.stringify({ operations: [{ kind: "auth", address: "bad host", username: "u", secret: PASSWORD }] }),
    ),
  )
  assert.deepEqual(leftovers(), [])
})

test("naming a config leaves no secret in wasm memory", () => {
  const config = renderWithCanaries("docker")
  assert.match(wasm.secretName(config), /^registry-config-[0-9a-f]{32}$/)
  assert.deepEqual(leftovers(), [])
})

test("planning checks and a Basic handshake leave no secret in the check module's memory", () => {
  const targets = JSON.parse(check.checkTargets(requestWithCanaries("containers"), "[]"))
  const ghcr = targets.find((target) => target.registry === "ghcr.io")
  assert.ok(ghcr.credential.includes(PASSWORD), "the plan hands the credential over")
  const handshake = new check.Handshake(ghcr.target, ghcr.credential, false)
  try {
    const first = JSON.parse(handshake.pollAction())
    assert.equal(first.kind, "send")
    handshake.handleResponse(401, JSON.stringify(['Basic realm="ghcr.io"']), new Uint8Array())
    const second = JSON.parse(handshake.pollAction())
    assert.equal(second.authorization, `Basic ${base64(`octocat:${PASSWORD}`)}`)
    handshake.handleResponse(200, "[]", new Uint8Array())
    assert.equal(JSON.parse(handshake.pollAction()).status, "valid")
  } finally {
    handshake.free()
  }
  assert.deepEqual(leftovers(checkMemory), [])
})

test("an identity-token handshake leaves neither the refresh token nor the access token behind", () => {
  const ACCESS_TOKEN = "canary-access-Vb6tY3"
  const targets = JSON.parse(check.checkTargets(requestWithCanaries("containers"), "[]"))
  const target = targets.find((t) => t.registry === "registry.example")
  const handshake = new check.Handshake(target.target, target.credential, false)
  const actions = []
  try {
    const next = () => {
      const action = JSON.parse(handshake.pollAction())
      actions.push(action)
      return action
    }
    next()
    handshake.handleResponse(
      401,
      JSON.stringify(['Bearer realm="https://auth.example/token",service="registry.example"']),
      new Uint8Array(),
    )
    const tokenRequest = next()
    assert.equal(tokenRequest.method, "POST")
    assert.ok(tokenRequest.body.includes(IDENTITY_TOKEN), "the refresh token is sent")
    // A registry-wide check is done once a token is granted (two requests).
    handshake.handleResponse(200, "[]", new TextEncoder().encode(JSON.stringify({ access_token: ACCESS_TOKEN })))
    assert.equal(next().status, "valid", JSON.stringify(actions))
  } finally {
    handshake.free()
  }
  assert.deepEqual(leftovers(checkMemory, [ACCESS_TOKEN]), [])
})
