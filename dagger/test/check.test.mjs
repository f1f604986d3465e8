// check and verified, run through the TypeScript SDK's own module machinery
// (as in wire.test.mjs) against the recording fake engine, with real
// registries on 127.0.0.1: docker-registry with htpasswd (Basic) and a small
// Bearer-token server. Every registry speaks plain HTTP: each verdict below
// also proves the HTTPS -> HTTP fallback for loopback registries.
import assert from "node:assert/strict"
import { createServer } from "node:http"
import { after, before, describe, test } from "node:test"


import { runHandshake, transportErrorKind } from "../src/check.ts"
import { Config } from "../src/wasm/registry_config_wasm.js"
import { startFakeEngine } from "./support/fake-engine.mjs"
import {
  PASSWORD,
  USER,
  closedPort,
  startBearerRegistry,
  startHtpasswdRegistry,
  startSilentServer,
} from "./support/registries.mjs"
import { buildState, loadModule, recordRejection, recordSession } from "./support/runtime.mjs"

const WRONG = "canary-Wr0ng-pass"
const b64 = (s) => Buffer.from(s).toString("base64")

let engine
let mod
let registry
let bearer
let closed

/** Every plaintext handed to the module, and the forms it is sent in. */
const PLAINTEXTS = [PASSWORD, WRONG]
const FORMS = PLAINTEXTS.flatMap((p) => [p, b64(`${USER}:${p}`)])

before(async () => {
  registry = await startHtpasswdRegistry()
  bearer = await startBearerRegistry()
  closed = await closedPort()
  const base = JSON.stringify({ auths: { [`http://${registry.host}`]: { auth: b64(`${USER}:${PASSWORD}`) } } })
  engine = await startFakeEngine({ secrets: { good: PASSWORD, wrong: WRONG, base } })
  Object.assign(process.env, engine.env)
  mod = await loadModule()
})

after(async () => {
  await registry?.stop()
  await bearer?.close()
  await engine?.close()
})

const session = (fn) => recordSession(engine, fn)
const build = (...calls) => buildState(mod, ...calls)

const auth = (address, secret = "good") => ["withRegistryAuth", { address, username: USER, secret }]

/** No plaintext in any query sent to the engine, nor in `values`. */
function assertNoPlaintext(requests, ...values) {
  for (const request of requests) {
    for (const form of FORMS) assert.ok(!request.query.includes(form), `a plaintext left the module in: ${request.query}`)
  }
  for (const value of values) {
    for (const form of FORMS) assert.ok(!JSON.stringify(value).includes(form), `a plaintext in ${JSON.stringify(value)}`)
  }
}

/** check() on a config built from `calls`; returns { reports, requests }. */
async function check(calls, args = {}) {
  let json
  const requests = await session(async () => {
    json = await mod.call("RegistryConfig", "check", await build(...calls), args)
  })
  const reports = JSON.parse(json)
  assertNoPlaintext(requests, reports)
  return reports
}

/** Captures console.error while `fn` runs. */
async function stderrOf(fn) {
  const lines = []
  const original = console.error
  console.error = (...args) => lines.push(args.join(" "))
  try {
    return { result: await fn(), lines }
  } finally {
    console.error = original
  }
}

/** Runs `fn` in a session, expects an error matching `pattern`, holding no plaintext; returns the requests. */
async function rejects(fn, pattern) {
  const requests = await recordRejection(engine, fn, pattern, FORMS)
  assertNoPlaintext(requests)
  return requests
}

describe("check", () => {
  test("Check_Valid: the right password on the htpasswd registry, over HTTP after HTTPS failed", async () => {
    const reports = await check([auth(registry.host)])
    assert.deepEqual(reports, [
      { registry: registry.host, repository: null, status: "valid", detail: "credentials accepted" },
    ])
  })

  test("Check_Rejected: a wrong password, with the registry's own message", async () => {
    const [report] = await check([auth(registry.host, "wrong")])
    assert.equal(report.status, "rejected")
    assert.equal(report.registry, registry.host)
    assert.match(report.detail, /401.*authentication required/)
  })

  test("Check_Unreachable: a closed port is an error, naming the request", async () => {
    const [report] = await check([auth(`127.0.0.1:${closed}`)])
    assert.equal(report.status, "error")
    assert.match(report.detail, /GET \/v2\/.*ECONNREFUSED/)
  })

  test("Check_RedirectUnverified: a credentialed request redirected to another host is not called valid", async () => {
    // fetch drops Authorization on a redirect to another origin (localhost is
    // not 127.0.0.1), so the host that answers 200 never saw the password.
    const authorizations = []
    const elsewhere = createServer((request, response) => {
      authorizations.push(request.headers.authorization ?? null)
      response.writeHead(200, { "content-type": "application/json" })
      response.end("{}")
    })
    await new Promise((ok) => elsewhere.listen(0, "127.0.0.1", ok))
    const target = `localhost:${elsewhere.address().port}`
    const redirecting = createServer((request, response) => {
      if (request.headers.authorization) {
        response.writeHead(307, { location: `http://${target}/v2/` })
      } else {
        response.writeHead(401, { "www-authenticate": 'Basic realm="r"' })
      }
      response.end()
    })
    await new Promise((ok) => redirecting.listen(0, "127.0.0.1", ok))
    const host = `127.0.0.1:${redirecting.address().port}`
    try {
      const [report] = await check([auth(host, "wrong")])
      assert.deepEqual(authorizations, [null], "the other host got no credentials")
      assert.equal(report.status, "unverified", report.detail)
      assert.match(report.detail, new RegExp(`redirected to ${target}`))
    } finally {
      redirecting.close()
      elsewhere.close()
    }
  })

  test("Check_Bearer: a token registry, registry-wide and per repository, with push", async () => {
    const tlsBefore = bearer.tlsAttempts()
    const reports = await check([auth(bearer.host)], { repositories: [`${bearer.host}/private/app`], push: true })
    assert.deepEqual(reports, [
      { registry: bearer.host, repository: "private/app", status: "valid", detail: "credentials accepted" },
    ])
    assert.ok(bearer.tlsAttempts() > tlsBefore, "HTTPS was tried first")
    assert.ok(bearer.tokenRequests.some((r) => r.scope === "repository:private/app:pull,push" && !r.anonymous))
    const [wide] = await check([auth(bearer.host)])
    assert.deepEqual(wide, { registry: bearer.host, repository: null, status: "valid", detail: "token granted" })
  })

  test("Check_Anonymous: a wrong password on a public repository; rejected on a private one", async () => {
    const reports = await check([auth(bearer.host, "wrong")], {
      repositories: [`${bearer.host}/public/app`, `${bearer.host}/private/app`],
    })
    assert.deepEqual(
      reports.map((r) => [r.repository, r.status]),
      [
        ["public/app", "anonymous"],
        ["private/app", "rejected"],
      ],
    )
    assert.match(reports[0].detail, /invalid username\/password.*pulled anonymously/)
    assert.match(reports[1].detail, /invalid username\/password/)
  })

  test("Check_MostSpecificEntry: a repository is checked with the entry a client would use", async () => {
    const reports = await check([auth(registry.host, "wrong"), auth(`${registry.host}/team`)], {
      repositories: [`${registry.host}/team/app`, `${registry.host}/other/app`],
    })
    assert.deepEqual(
      reports.map((r) => [r.registry, r.repository, r.status]),
      [
        [registry.host, "team/app", "valid"],
        [registry.host, "other/app", "rejected"],
      ],
      "no registry-wide line for a registry a repository names",
    )
  })

  test("Check_AllEntries: every entry at once, in the file's order, the base config's too; removals honoured", async () => {
    const reports = await check([
      ["withConfig", { config: "base" }],
      auth(`https://${bearer.host}/v2/`),
      auth(`127.0.0.1:${closed}`),
      ["withoutRegistryAuth", { address: bearer.host }],
    ])
    assert.deepEqual(
      reports.map((r) => [r.registry, r.status]),
      [
        [registry.host, "valid"],
        [`127.0.0.1:${closed}`, "error"],
      ],
    )
  })

  test("Check_BadRepository: not REGISTRY/REPOSITORY, or no entry for it: an error before any request", async () => {
    await rejects(async () => {
      await mod.call("RegistryConfig", "check", await build(auth(registry.host)), { repositories: [registry.host] })
    }, /expected REGISTRY\/REPOSITORY/)
    await rejects(async () => {
      await mod.call("RegistryConfig", "check", await build(auth(registry.host)), { repositories: ["quay.io/org/app"] })
    }, /no credential was given for quay\.io/)
  })

  test("Check_Empty: nothing to check", async () => {
    await rejects(() => mod.call("RegistryConfig", "check", {}), /nothing to check/)
  })
})

describe("verified", () => {
  test("Verified_Valid: the config comes back unchanged", async () => {
    let state
    let result
    const requests = await session(async () => {
      state = await build(auth(registry.host), auth(bearer.host))
      result = await mod.call("RegistryConfig", "verified", state)
    })
    assert.deepEqual(result, state)
    assertNoPlaintext(requests, result)
  })

  test("Verified_Drop: a rejected registry is removed, with a warning naming it", async () => {
    let result
    let plaintext
    const { lines } = await stderrOf(async () => {
      const requests = await session(async () => {
        const state = await build(auth(registry.host, "wrong"), auth(bearer.host))
        result = await mod.call("RegistryConfig", "verified", state, { onRejected: "drop" })
        await mod.call("RegistryConfig", "secret", result)
      })
      plaintext = engine.calls("setSecret").at(-1).plaintext
      assertNoPlaintext(requests.filter((r) => r.calls[0]?.field !== "setSecret"), result)
    })
    assert.deepEqual(result.operations.at(-1), { kind: "remove", address: registry.host, username: "", secret: -1 })
    assert.deepEqual(Object.keys(JSON.parse(plaintext).auths), [bearer.host])
    const warning = lines.find((line) => line.includes(`left ${registry.host} out`))
    assert.ok(warning, lines.join("\n"))
    assert.match(warning, /authentication required/)
    for (const line of lines) for (const form of FORMS) assert.ok(!line.includes(form), line)
  })

  test("Verified_Fail: a rejected registry stops the call, naming it and the registry's message", async () => {
    await rejects(async () => {
      await mod.call("RegistryConfig", "verified", await build(auth(bearer.host), auth(registry.host, "wrong")))
    }, new RegExp(`${registry.host.replace(/\./g, "\\.")} rejected the credentials: .*authentication required`))
  })

  test("Verified_Unreachable: an error even with drop", async () => {
    await rejects(async () => {
      const state = await build(auth(registry.host), auth(`127.0.0.1:${closed}`))
      await mod.call("RegistryConfig", "verified", state, { onRejected: "drop" })
    }, new RegExp(`cannot verify the credentials for 127\\.0\\.0\\.1:${closed}: .*ECONNREFUSED`))
  })

  test("Verified_Unverified: a registry that asks for no credentials is kept, with a warning, even with fail", async () => {
    const open = createServer((request, response) => {
      response.writeHead(200, { "content-type": "application/json" })
      response.end("{}")
    })
    await new Promise((ok) => open.listen(0, "127.0.0.1", ok))
    const host = `127.0.0.1:${open.address().port}`
    try {
      let result
      const { lines } = await stderrOf(async () => {
        const requests = await session(async () => {
          result = await mod.call("RegistryConfig", "verified", await build(auth(host)), { onRejected: "fail" })
        })
        assertNoPlaintext(requests, result)
      })
      assert.ok(!result.operations.some((op) => op.kind === "remove"), JSON.stringify(result.operations))
      const warning = lines.find((line) => line.includes(`kept ${host} unverified`))
      assert.ok(warning, lines.join("\n"))
      assert.match(warning, /asks for no credentials/)
    } finally {
      open.close()
    }
  })

  test("Verified_BadOnRejected: neither fail nor drop, before any secret is read", async () => {
    const requests = await rejects(async () => {
      await mod.call("RegistryConfig", "verified", await build(auth(registry.host)), { onRejected: "warn" })
    }, /onRejected must be "fail" or "drop", not "warn"/)
    assert.ok(!requests.some((r) => r.calls.some((c) => c.field === "plaintext")))
  })

  test("Verified_Empty: nothing to verify, the empty config comes back", async () => {
    let result
    await session(async () => {
      result = await mod.call("RegistryConfig", "verified", {})
    })
    assert.deepEqual(result, { operations: [], secrets: [] })
  })
})

describe("transport", () => {
  test("TransportError_TlsOnPlainHttp: fetch's rejection over HTTPS to a plain HTTP port is a TLS error", async () => {
    const err = await fetch(`https://${registry.host}/v2/`).then(
      () => assert.fail("HTTPS to a plain HTTP port answered"),
      (e) => e,
    )
    assert.equal(transportErrorKind(err), "tls")
  })

  test("TransportError_Kinds: refused, timed out, certificate, anything else", async () => {
    const refused = await fetch(`http://127.0.0.1:${closed}/`).catch((e) => e)
    assert.equal(transportErrorKind(refused), "connect")
    const silent = await startSilentServer()
    try {
      const timedOut = await fetch(`http://127.0.0.1:${silent.port}/`, { signal: AbortSignal.timeout(50) }).catch((e) => e)
      assert.equal(transportErrorKind(timedOut), "timeout")
    } finally {
      await silent.close()
    }
    const cause = (code, message = "") => Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error(message), { code }) })
    assert.equal(transportErrorKind(cause("ENOTFOUND")), "connect")
    assert.equal(transportErrorKind(cause("ERR_TLS_CERT_ALTNAME_INVALID")), "tls")
    assert.equal(transportErrorKind(cause("DEPTH_ZERO_SELF_SIGNED_CERT")), "tls")
    assert.equal(transportErrorKind(cause("ECONNRESET", "Client network socket disconnected before secure TLS connection was established")), "tls")
    assert.equal(transportErrorKind(cause("UND_ERR_CONNECT_TIMEOUT")), "timeout")
    assert.equal(transportErrorKind(cause("ECONNRESET", "socket hang up")), "other")
  })

  test("Handshake_Timeout: a registry that never answers is an error within the deadline, without fallback", async () => {
    const silent = await startSilentServer()
    try {
      const started = Date.now()
      const config = new Config()
      config.addAuth(`127.0.0.1:${silent.port}`, USER, WRONG)
      const [check] = config.checks([], false)
      let outcome
      try {
        outcome = await runHandshake(check, 300)
      } finally {
        check.free()
        config.free()
      }
      assert.deepEqual(outcome, { status: "error", detail: "GET /v2/: no answer within 0.3 seconds" })
      assert.ok(Date.now() - started < 5000)
    } finally {
      await silent.close()
    }
  })
})
