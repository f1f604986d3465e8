// A recording stand-in for the Dagger engine's GraphQL endpoint, on
// 127.0.0.1. It answers any query with data nested along the whole selection
// (new IDs for `id`), answers `plaintext` for the secrets it was told about,
// and records every query, parsed, so tests compare arguments rather than
// strings (the SDK does not promise an argument order). Given a function call
// (setFunctionCall), it answers what the generated entrypoint asks the engine:
// currentModule.name and currentFunctionCall's name, parentName, parent and
// inputArgs, and records returnValue and returnError.
import { createServer } from "node:http"

import { Kind, parse, valueFromASTUntyped } from "graphql"

/**
 * Starts the fake. `secrets` maps secret IDs (handed to the module as Secret
 * arguments) to their plaintexts. Returns { port, token, env, requests,
 * calls(field), setFunctionCall(call), returned(), close() }.
 */
export async function startFakeEngine({ secrets = {}, token = "fake-session-token" } = {}) {
  const plaintexts = new Map(Object.entries(secrets))
  /** id -> the chain of fields that produced it */
  const chains = new Map()
  const requests = []
  let nextId = 0
  /** The call the entrypoint is asked to make: { module, parentName, name, parent, args: [[name, json]] }. */
  let functionCall = { module: "registry-config", parentName: "", name: "", parent: "{}", args: [] }
  /** id of an input argument -> [name, json] */
  const inputArgs = new Map()
  /** What the entrypoint sent back: { value } or { error } (the error's message). */
  const returns = []

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

  /** The input argument a chain designates (node(id: X) for X an argument's id), if any. */
  const inputArgOf = (chain) => {
    const last = chain.at(-1)
    return last?.field === "node" ? inputArgs.get(last.args.id) : undefined
  }

  const leaf = (field, chain, args) => {
    const last = chain.at(-1)
    const inCall = last?.field === "currentFunctionCall"
    switch (field) {
      case "id": {
        if (last?.inputArg) return last.inputArg
        // `node(id: X) { ... on T { id } }` is X itself, as in the engine.
        if (chain.length === 1 && last.field === "node") return last.args.id
        return newId(chain)
      }
      case "plaintext":
        return plaintextOf(chain)
      case "name":
        if (inCall) return functionCall.name
        if (last?.field === "currentModule") return functionCall.module
        return inputArgOf(chain)?.[0] ?? "registry-config"
      case "value":
        return inputArgOf(chain)?.[1] ?? null
      case "parentName":
        return inCall ? functionCall.parentName : null
      case "parent":
        return inCall ? functionCall.parent : null
      case "returnValue":
        if (inCall) returns.push({ value: args.value })
        return null
      case "returnError":
        if (inCall) returns.push({ error: chains.get(args.error)?.at(-1)?.args.message ?? args.error })
        return null
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
      if (field === "inputArgs" && chain.at(-1)?.field === "currentFunctionCall") {
        // A list: one element per argument, each with an id node() resolves.
        data[key] = functionCall.args.map((arg) => {
          const id = `fake-arg-${++nextId}`
          inputArgs.set(id, arg)
          return resolve(selection.selectionSet, [...chain, { ...step, inputArg: id }], calls)
        })
        continue
      }
      data[key] = selection.selectionSet
        ? resolve(selection.selectionSet, [...chain, step], calls)
        : leaf(field, chain, args)
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
    /**
     * Sets the call the next entrypoint run makes: `parentName` "" registers
     * the module; otherwise `name` is called on `parent` (JSON text) with
     * `args` ({ name: JSON value }), in module `module`.
     */
    setFunctionCall: ({ module = "registry-config", parentName = "", name = "", parent = "{}", args = {} }) => {
      functionCall = {
        module,
        parentName,
        name,
        parent,
        args: Object.entries(args).map(([arg, value]) => [arg, JSON.stringify(value)]),
      }
    },
    /** What entrypoint runs sent back so far: { value } (JSON text) or { error } (message). */
    returned: () => [...returns],
    /** Adds a secret the module can be handed by ID. */
    addSecret: (id, plaintext) => plaintexts.set(id, plaintext),
    close: () => new Promise((ok) => server.close(ok)),
  }
}
