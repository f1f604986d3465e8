// A recording stand-in for the Dagger engine's GraphQL endpoint, on
// 127.0.0.1. It answers any query with data nested along the whole selection
// (new IDs for `id`), answers `plaintext` for the secrets it was told about,
// and records every query, parsed, so tests compare arguments rather than
// strings (the SDK does not promise an argument order).
import { createServer } from "node:http"

import { Kind, parse, valueFromASTUntyped } from "graphql"

/**
 * Starts the fake. `secrets` maps secret IDs (handed to the module as Secret
 * arguments) to their plaintexts. Returns { port, token, env, requests,
 * calls(field), close() }.
 */
export async function startFakeEngine({ secrets = {}, token = "fake-session-token" } = {}) {
  const plaintexts = new Map(Object.entries(secrets))
  /** id -> the chain of fields that produced it */
  const chains = new Map()
  const requests = []
  let nextId = 0

  const newId = (chain) => {
    const id = `fake-id-${++nextId}`
    chains.set(id, chain)
    return id
  }

  /** The plaintext of the secret a chain of fields designates. */
  const plaintextOf = (chain) => {
    const step = chain.at(-1)
    if (!step) throw new Error("plaintext at the query root")
    if (step.field === "setSecret") return step.args.plaintext
    if (step.field === "node" || step.field === "loadSecretFromID") {
      if (plaintexts.has(step.args.id)) return plaintexts.get(step.args.id)
      if (chains.has(step.args.id)) return plaintextOf(chains.get(step.args.id))
    }
    throw new Error(`no plaintext for ${JSON.stringify(chain)}`)
  }

  const leaf = (field, chain) => {
    switch (field) {
      case "id": {
        // `node(id: X) { ... on T { id } }` is X itself, as in the engine.
        const last = chain.at(-1)
        if (chain.length === 1 && last.field === "node") return last.args.id
        return newId(chain)
      }
      case "plaintext":
        return plaintextOf(chain)
      case "name":
        return "registry-config"
      default:
        return null
    }
  }

  const resolve = (selectionSet, chain, calls) => {
    const data = {}
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        Object.assign(data, resolve(selection.selectionSet, chain, calls))
        continue
      }
      const field = selection.name.value
      const args = Object.fromEntries(
        (selection.arguments ?? []).map((arg) => [arg.name.value, valueFromASTUntyped(arg.value)]),
      )
      const step = { field, args }
      calls.push(step)
      const key = selection.alias?.value ?? field
      data[key] = selection.selectionSet
        ? resolve(selection.selectionSet, [...chain, step], calls)
        : leaf(field, chain)
    }
    return data
  }

  const expectedAuth = `Basic ${Buffer.from(`${token}:`).toString("base64")}`
  const server = createServer((req, res) => {
    let body = ""
    req.setEncoding("utf8")
    req.on("data", (chunk) => (body += chunk))
    req.on("end", () => {
      const reply = (status, payload) => {
        res.writeHead(status, { "content-type": "application/json" })
        res.end(JSON.stringify(payload))
      }
      if (req.method !== "POST" || req.url !== "/query") return reply(404, { errors: [{ message: "not found" }] })
      if (req.headers.authorization !== expectedAuth) return reply(401, { errors: [{ message: "bad token" }] })
      const { query } = JSON.parse(body)
      const calls = []
      try {
        const document = parse(query)
        const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION)
        const data = resolve(operation.selectionSet, [], calls)
        requests.push({ query, calls })
        reply(200, { data })
      } catch (err) {
        requests.push({ query, calls, error: err.message })
        reply(200, { errors: [{ message: err.message }] })
      }
    })
  })
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok))
  const { port } = server.address()
  return {
    port,
    token,
    env: { DAGGER_SESSION_PORT: String(port), DAGGER_SESSION_TOKEN: token },
    requests,
    /** Arguments of every recorded call to `field`, in order. */
    calls: (field) => requests.flatMap((r) => r.calls.filter((c) => c.field === field).map((c) => c.args)),
    /** Adds a secret the module can be handed by ID. */
    addSecret: (id, plaintext) => plaintexts.set(id, plaintext),
    close: () => new Promise((ok) => server.close(ok)),
  }
}
