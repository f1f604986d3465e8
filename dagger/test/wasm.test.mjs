// The committed wasm build, loaded as the module loads it: rendering,
// normalisation (the 20 vectors), ordering, and errors that name the address
// and never the secret.
import assert from "node:assert/strict"
import { readFileSync } from "node:fs"
import { describe, test } from "node:test"

import { Config, checkEntry, daggerSecretLimit, normalizeAddress, secretName } from "./support/wasm.mjs"

const repo = new URL("../../", import.meta.url)
const goldenFile = (name) => readFileSync(new URL(`tests/fixtures/${name}`, repo), "utf8")
const { vectors, refusals } = JSON.parse(readFileSync(new URL("fixtures/address_vectors.json", import.meta.url), "utf8"))

/** A value that must never show up in an error. */
const CANARY = "canary-Zq8vX1-secret"

/** The core's config for `operations`, each handed to the Config method of its kind. */
function configOf(operations, maxBytes) {
  const config = new Config(maxBytes)
  try {
    for (const op of operations) {
      if (op.kind === "auth") config.addAuth(op.address, op.username, op.secret)
      else if (op.kind === "identityToken") config.addIdentityToken(op.address, op.secret)
      else if (op.kind === "registryToken") config.addRegistryToken(op.address, op.secret)
      else if (op.kind === "remove") config.remove(op.address)
      else if (op.kind === "base") config.setBase(op.config)
      else throw new Error(`unknown kind ${op.kind}`)
    }
    return config
  } catch (err) {
    config.free()
    throw err
  }
}

function renderOps(operations, format = "docker", extra = {}) {
  const config = configOf(operations, extra.maxBytes)
  try {
    const rendering = config.render(format, extra.name)
    try {
      return { config: rendering.config, warnings: [...rendering.warnings], secretName: rendering.secretName }
    } finally {
      rendering.free()
    }
  } finally {
    config.free()
  }
}

/** Asserts `fn` throws an Error whose message matches `pattern` and holds no secret. */
function assertRefused(fn, pattern, secrets = [CANARY]) {
  let error
  assert.throws(fn, (err) => {
    error = err
    return err instanceof Error
  })
  assert.match(error.message, pattern)
  for (const secret of secrets) {
    assert.ok(!error.message.includes(secret), `the message holds a secret: ${error.message}`)
    assert.ok(!error.message.includes(Buffer.from(`u:${secret}`).toString("base64")), error.message)
  }
  return error.message
}

const auth = (address, username, secret) => ({ kind: "auth", address, username, secret })

describe("render", () => {
  const sample = [
    auth("https://ghcr.io/", "octo", "ghp_pass:word"),
    auth("docker.io", "me", "dckr_pat_1"),
    { kind: "identityToken", address: "http://localhost:5000", secret: "refresh-1" },
    { kind: "registryToken", address: "registry.example:8443", secret: 'bearer"1' },
  ]

  test("matches the Rust core's golden files in both formats", () => {
    assert.equal(renderOps(sample, "docker").config, goldenFile("sample.docker.json"))
    assert.equal(renderOps(sample, "containers").config, goldenFile("sample.containers.json"))
  })

  test("an empty config has empty auths", () => {
    assert.deepEqual(JSON.parse(renderOps([]).config), { auths: {} })
  })

  test("writes only auth, as padded base64 of user:secret", () => {
    const { auths } = JSON.parse(renderOps([auth("ghcr.io", "a", "b:c")]).config)
    assert.deepEqual(auths, { "ghcr.io": { auth: "YTpiOmM=" } })
  })

  test("a later entry for the same registry wins, whatever its spelling", () => {
    const { auths } = JSON.parse(
      renderOps([auth("https://ghcr.io/v2/", "u", "old"), auth("GHCR.IO", "u", "new")]).config,
    )
    assert.deepEqual(auths, { "ghcr.io": { auth: Buffer.from("u:new").toString("base64") } })
  })

  test("removal is by normalised address and applies to what is there by then", () => {
    const ops = [
      auth("ghcr.io", "u", "p"),
      auth("quay.io", "u", "p"),
      { kind: "remove", address: "https://ghcr.io" },
      auth("ghcr.io", "u", "again"),
      { kind: "remove", address: "quay.io/" },
    ]
    assert.deepEqual(Object.keys(JSON.parse(renderOps(ops).config).auths), ["ghcr.io"])
  })

  test("merges a base config and warns about what it dropped, without secrets", () => {
    const { config, warnings } = renderOps([
      { kind: "base", config: goldenFile("base.in.json") },
      auth("ghcr.io", "octo", "fresh"),
      auth("index.docker.io", "me", "hub"),
    ])
    assert.equal(config, goldenFile("base.out.json"))
    assert.ok(warnings.some((w) => w.includes("credsStore")), warnings.join("\n"))
    for (const warning of warnings) {
      assert.ok(!/fresh|hub|b2xkOm9sZA==/.test(warning), warning)
    }
  })

  test("repository scopes are kept in the containers format", () => {
    const { auths } = JSON.parse(renderOps([auth("ghcr.io/org", "u", "p")], "containers").config)
    assert.deepEqual(Object.keys(auths), ["ghcr.io/org"])
  })

  test("the same input gives the same bytes", () => {
    assert.equal(renderOps(sample).config, renderOps(sample).config)
  })
})

describe("normalisation: the 20 vectors", () => {
  test("the fixture covers all 20 vectors", () => {
    assert.equal(new Set(vectors.map((v) => v.vector)).size, 20)
  })

  for (const { vector, address, docker, containers } of vectors) {
    test(`vector ${vector}: ${address}`, () => {
      assert.equal(normalizeAddress(address, "containers"), containers)
      const rendered = renderOps([auth(address, "u", CANARY)], "containers")
      assert.deepEqual(Object.keys(JSON.parse(rendered.config).auths), [containers])
      if (docker === null) {
        const pattern = /docker format has no per-repository keys/
        const message = assertRefused(() => normalizeAddress(address, "docker"), pattern)
        assert.ok(message.includes(JSON.stringify(address)), message)
        assertRefused(() => renderOps([auth(address, "u", CANARY)], "docker"), pattern)
      } else {
        assert.equal(normalizeAddress(address), docker)
        assert.equal(normalizeAddress(address, "docker"), docker)
        const { auths } = JSON.parse(renderOps([auth(address, "u", CANARY)], "docker").config)
        assert.deepEqual(Object.keys(auths), [docker])
      }
    })
  }
})

describe("errors name the address and never the secret", () => {
  for (const { address, problem } of refusals) {
    test(`refuses ${JSON.stringify(address)} (${problem})`, () => {
      const message = assertRefused(() => checkEntry(address, "u"), /^invalid registry address /)
      if (problem === "UserInfo") {
        // The userinfo may hold a password: it is redacted, the host is kept.
        assert.ok(!message.includes(address.split("@")[0].replace(/^https:\/\//, "")), message)
        assert.match(message, /\[redacted\]@ghcr\.io/)
      } else {
        assert.ok(message.includes(JSON.stringify(address)), message)
      }
      assertRefused(() => renderOps([auth(address, "u", CANARY)]), /^invalid registry address /)
    })
  }

  test("checkEntry returns the canonical address", () => {
    assert.equal(checkEntry("HTTPS://GHCR.io/v2/", "me"), "ghcr.io")
    assert.equal(checkEntry("docker.io"), "docker.io")
  })

  test("':' in a username", () => {
    const message = assertRefused(() => checkEntry("ghcr.io", "me:x"), /username contains ':'/)
    assert.match(message, /ghcr\.io/)
    assertRefused(() => renderOps([auth("ghcr.io", "me:x", CANARY)]), /ghcr\.io.*username contains ':'/)
  })

  test("an empty username", () => {
    assertRefused(() => checkEntry("ghcr.io", ""), /ghcr\.io/)
  })

  test("an empty secret", () => {
    assertRefused(() => renderOps([auth("ghcr.io", "u", "")]), /ghcr\.io.*secret is empty/)
    assertRefused(
      () => renderOps([{ kind: "registryToken", address: "quay.io", secret: "" }]),
      /quay\.io.*empty/,
    )
  })

  test(`a config over Dagger's ${128000} bytes`, () => {
    assert.equal(daggerSecretLimit(), 128000)
    const big = CANARY.repeat(Math.floor(60000 / CANARY.length))
    const ops = ["r1.io", "r2.io", "r3.io"].map((address) => auth(address, "u", big))
    assertRefused(() => renderOps(ops, "docker", { maxBytes: daggerSecretLimit() }), /over the limit of 128000 bytes/, [
      CANARY,
    ])
    // Without maxBytes the same config renders: the limit is Dagger's, not the format's.
    assert.ok(renderOps(ops).config.length > 128000)
  })

  test("one secret over the core's own limit names its address", () => {
    assertRefused(() => renderOps([auth("ghcr.io", "u", CANARY.repeat(4000))]), /ghcr\.io/)
  })

  test("malformed input does not echo it", () => {
    // A secret that is not a string is refused at the boundary (there is no
    // request text of our own to parse any more).
    const config = new Config()
    try {
      assertRefused(() => config.addAuth("ghcr.io", "u", [CANARY]), /./)
    } finally {
      config.free()
    }
    assertRefused(() => renderOps([{ kind: "base", config: `{"auths": ${CANARY}` }]), /base config/)
  })

  test("an unknown format", () => {
    assertRefused(() => renderOps([], "podman"), /unknown format "podman"/)
  })
})

describe("secretName", () => {
  test("is registry-config- and 32 hex digits, stable, and differs per config", () => {
    const a = renderOps([auth("ghcr.io", "u", "a")]).config
    const b = renderOps([auth("ghcr.io", "u", "b")]).config
    assert.match(secretName(a), /^registry-config-[0-9a-f]{32}$/)
    assert.equal(secretName(a), secretName(a))
    assert.notEqual(secretName(a), secretName(b))
  })

  test("render names the file: the derived name, or the caller's unless empty", () => {
    const ops = [auth("ghcr.io", "u", "a")]
    const rendered = renderOps(ops)
    assert.equal(rendered.secretName, secretName(rendered.config))
    assert.equal(renderOps(ops, "docker", { name: "" }).secretName, secretName(rendered.config))
    assert.equal(renderOps(ops, "docker", { name: "mine" }).secretName, "mine")
  })
})
