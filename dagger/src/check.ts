/**
 * `check` and `verified`: does each registry accept its credentials?
 *
 * The Rust core's sans-IO handshake (wasm `Handshake`) says which request to
 * send and reads the replies; this file only sends them with Node's fetch and
 * says which entries exist. Plaintexts stay in memory: they are never logged
 * and never put into an error or a result.
 */
import type { Operation } from "./operation.js"
import { renderConfig } from "./render.js"
import { Handshake, checkEntry } from "./wasm/registry_config_wasm.js"

/**
 * How long one check (all of its requests) may take.
 */
export const CHECK_TIMEOUT_MS = 10_000

/**
 * Bodies are read up to this size; registries' error replies are far smaller.
 */
const BODY_LIMIT = 64 * 1024

/**
 * One line of check's report, as `registry-config check --json` writes it.
 */
export interface CheckReport {
  registry: string
  repository: string | null
  status: string
  detail: string
}

/**
 * One check to run: the address the handshake is given, and the credential
 * as the wasm Handshake takes it (JSON holding the plaintext: keep it in
 * memory only).
 */
export interface CheckTarget {
  /** The canonical key of the entry whose credential is used. */
  entry: string
  /** What the report names: host, and repository or null. */
  registry: string
  repository: string | null
  /** The handshake's target: `[http://]host[/repository]`. */
  address: string
  /** `{kind, username?, secret}` as JSON, or undefined when none can be used. */
  credential?: string
}

/**
 * An entry of the config as rendered: canonical key, host, whether plain
 * HTTP was asked for, and its credential (JSON for the Handshake).
 */
export interface ConfigEntry {
  key: string
  host: string
  plainHttp: boolean
  credential?: string
}

/**
 * The entries the rendered file holds once every operation is applied in
 * order (removals and the base config included), in the file's order. The
 * core renders them (containers format: one canonical key per entry, scopes
 * kept); the wasm's checkEntry normalises the base file's keys as written.
 * Base keys that are not registry addresses cannot be checked and are left
 * out.
 */
export function configEntries(operations: Operation[], plaintexts: string[]): ConfigEntry[] {
  const { config } = renderConfig(operations, plaintexts, "containers")
  const auths: Record<string, Record<string, unknown>> = JSON.parse(config).auths ?? {}
  // How each of our own entries was last written: an http:// spelling asks for plain HTTP.
  const spellings = new Map<string, string>()
  for (const op of operations) {
    if (op.kind === "auth" || op.kind === "identityToken" || op.kind === "registryToken") {
      spellings.set(checkEntry(op.address), op.address)
    } else if (op.kind === "remove") {
      spellings.delete(checkEntry(op.address))
    }
  }
  const entries: ConfigEntry[] = []
  for (const [written, value] of Object.entries(auths)) {
    let key: string
    try {
      key = checkEntry(written)
    } catch {
      continue
    }
    const spelling = spellings.get(key) ?? written
    entries.push({
      key,
      host: hostOf(key),
      plainHttp: /^http:\/\//i.test(spelling),
      credential: credentialJson(value),
    })
  }
  return entries
}

/**
 * What check runs: each repository (REGISTRY/REPOSITORY) with the most
 * specific entry for it (`quay.io/org` before `quay.io` for
 * `quay.io/org/app`, as containers/image looks keys up), then each entry
 * registry-wide unless a repository of its registry was named. Throws (bad
 * input) for a repository that is not REGISTRY/REPOSITORY or that no entry
 * covers.
 */
export function checkTargets(entries: ConfigEntry[], repositories: string[]): CheckTarget[] {
  const byKey = new Map(entries.map((entry) => [entry.key, entry]))
  const targets: CheckTarget[] = []
  for (const reference of repositories) {
    const canonical = checkEntry(reference)
    const host = hostOf(canonical)
    if (canonical === host) {
      throw new Error(`registry-config: repository ${reference}: expected REGISTRY/REPOSITORY`)
    }
    const entry = mostSpecific(byKey, canonical, host)
    if (!entry) {
      throw new Error(`registry-config: repository ${reference}: no credential was given for ${host}`)
    }
    const plainHttp = entry.plainHttp || /^http:\/\//i.test(reference)
    targets.push({
      entry: entry.key,
      registry: host,
      repository: canonical.slice(host.length + 1),
      address: plainHttp ? `http://${canonical}` : canonical,
      credential: entry.credential,
    })
  }
  for (const entry of entries) {
    if (!targets.some((target) => target.registry === entry.host)) {
      targets.push(registryWide(entry))
    }
  }
  return targets
}

/**
 * Every entry, each checked registry-wide (what verified checks).
 */
export function registryWideTargets(entries: ConfigEntry[]): CheckTarget[] {
  return entries.map(registryWide)
}

/**
 * Runs every check at once; reports in the order of `targets`.
 */
export async function runChecks(
  targets: CheckTarget[],
  push: boolean,
  timeoutMs: number = CHECK_TIMEOUT_MS,
): Promise<CheckReport[]> {
  return Promise.all(
    targets.map(async (target) => {
      const { status, detail } = await runHandshake(target, push, timeoutMs)
      return { registry: target.registry, repository: target.repository, status, detail }
    }),
  )
}

/**
 * One handshake, driven with fetch until the core gives its verdict. Every
 * request shares one deadline of `timeoutMs`.
 */
export async function runHandshake(
  target: CheckTarget,
  push: boolean,
  timeoutMs: number = CHECK_TIMEOUT_MS,
): Promise<{ status: string; detail: string }> {
  if (target.credential === undefined) {
    return { status: "error", detail: "the entry holds no credential a check can send" }
  }
  let handshake: Handshake
  try {
    handshake = new Handshake(target.address, target.credential, push)
  } catch (err) {
    // The core's messages name the address or the field, never the secret.
    return { status: "error", detail: err instanceof Error ? err.message : String(err) }
  }
  const signal = AbortSignal.timeout(timeoutMs)
  try {
    for (;;) {
      const json = handshake.pollAction()
      if (json === undefined) {
        return { status: "error", detail: "internal: the handshake stalled" }
      }
      const action = JSON.parse(json)
      if (action.kind === "done") {
        return { status: action.status, detail: action.detail }
      }
      try {
        const response = await send(action, signal)
        handshake.handleResponse(response.status, response.wwwAuthenticate, response.body)
      } catch (err) {
        const kind = transportErrorKind(err)
        const message = kind === "timeout" ? `no answer within ${timeoutMs / 1000} seconds` : transportMessage(err)
        handshake.handleTransportError(kind, scrub(message, action))
      }
    }
  } finally {
    handshake.free()
  }
}

/**
 * A request the handshake asked for.
 */
interface SendAction {
  method: string
  url: string
  authorization?: string | null
  body?: string | null
}

/**
 * Sends one request; returns the status, every WWW-Authenticate value and at
 * most BODY_LIMIT bytes of the body. Rejects when no response came (or the
 * body could not be read): a transport error.
 */
async function send(
  action: SendAction,
  signal: AbortSignal,
): Promise<{ status: number; wwwAuthenticate: string[]; body: Uint8Array }> {
  let headers: Headers
  try {
    headers = new Headers()
    if (action.authorization) headers.set("authorization", action.authorization)
    if (action.body != null) headers.set("content-type", "application/x-www-form-urlencoded")
  } catch {
    // Headers' own message could quote the value.
    throw new HeaderError()
  }
  const response = await fetch(action.url, {
    method: action.method,
    headers,
    body: action.body ?? undefined,
    signal,
  })
  // Headers.get joins several WWW-Authenticate headers with ", ": the core's
  // parser reads several challenges from one line, so one value is enough.
  const challenge = response.headers.get("www-authenticate")
  return {
    status: response.status,
    wwwAuthenticate: challenge === null ? [] : [challenge],
    body: await readBody(response),
  }
}

/**
 * The credential could not be put in a header (a character outside Latin-1).
 */
class HeaderError extends Error {
  constructor() {
    super("the credential cannot be sent in a header")
  }
}

/**
 * The first BODY_LIMIT bytes of the body; the rest is not read.
 */
async function readBody(response: Response): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array()
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    while (size < BODY_LIMIT) {
      const { done, value } = await reader.read()
      if (done) break
      const chunk = value.subarray(0, BODY_LIMIT - size)
      chunks.push(chunk)
      size += chunk.length
    }
  } finally {
    reader.cancel().catch(() => {})
  }
  const body = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    body.set(chunk, offset)
    offset += chunk.length
  }
  return body
}

/**
 * Error codes of a connection that could not be made.
 */
const CONNECT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL"])

/**
 * Error codes of a failed TLS handshake or certificate check (OpenSSL's and Node's).
 */
const TLS_CODES = new Set([
  "EPROTO",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "HOSTNAME_MISMATCH",
])

/**
 * The handshake's kind for a fetch rejection: "connect", "tls", "timeout" or
 * "other", from the error's name and its cause's code. (The core retries a
 * loopback registry over plain HTTP after any kind but "timeout".)
 */
export function transportErrorKind(err: unknown): "connect" | "tls" | "timeout" | "other" {
  const error = err as { name?: string; cause?: { name?: string; code?: string; message?: string } } | undefined
  const names = [error?.name, error?.cause?.name]
  const code = error?.cause?.code ?? ""
  if (names.includes("TimeoutError") || names.includes("AbortError") || /TIMEOUT/.test(code)) {
    return "timeout"
  }
  if (CONNECT_CODES.has(code)) return "connect"
  if (TLS_CODES.has(code) || /^ERR_(TLS|SSL)_/.test(code) || /\b(SSL|TLS)\b|certificate/i.test(error?.cause?.message ?? "")) {
    return "tls"
  }
  return "other"
}

/**
 * The innermost message: fetch's own is only "fetch failed".
 */
function transportMessage(err: unknown): string {
  let message = err instanceof Error ? err.message : String(err)
  let cause = err instanceof Error ? err.cause : undefined
  while (cause instanceof Error) {
    message = cause.message
    cause = cause.cause
  }
  return message.trim() || "no response"
}

/**
 * Leaves the request's header and form out of a message (the core scrubs
 * too; this keeps them from ever reaching it).
 */
function scrub(message: string, action: SendAction): string {
  for (const secret of [action.authorization, action.authorization?.split(" ")[1], action.body]) {
    if (secret && secret.length >= 4) message = message.split(secret).join("[redacted]")
  }
  return message
}

/**
 * The registry-wide check of an entry (a repository scope is dropped, plain HTTP kept).
 */
function registryWide(entry: ConfigEntry): CheckTarget {
  return {
    entry: entry.key,
    registry: entry.host,
    repository: null,
    address: entry.plainHttp ? `http://${entry.host}` : entry.host,
    credential: entry.credential,
  }
}

/**
 * The entry whose key is `canonical` or its nearest parent below `host`.
 */
function mostSpecific(byKey: Map<string, ConfigEntry>, canonical: string, host: string): ConfigEntry | undefined {
  let key = canonical
  for (;;) {
    const entry = byKey.get(key)
    if (entry) return entry
    if (key.length <= host.length) return undefined
    key = key.slice(0, key.lastIndexOf("/"))
  }
}

/**
 * `host[:port]` of a canonical key (checkEntry's output: no scheme, host first).
 */
function hostOf(canonical: string): string {
  const slash = canonical.indexOf("/")
  return slash === -1 ? canonical : canonical.slice(0, slash)
}

/**
 * The credential of a rendered `auths` entry, as JSON for the Handshake:
 * identitytoken, then registrytoken, then auth (base64 of user:secret), then
 * username and password fields (a base file may use those).
 */
function credentialJson(value: Record<string, unknown>): string | undefined {
  const text = (name: string) => (typeof value[name] === "string" ? (value[name] as string) : "")
  if (text("identitytoken")) {
    return JSON.stringify({ kind: "identityToken", secret: text("identitytoken") })
  }
  if (text("registrytoken")) {
    return JSON.stringify({ kind: "registryToken", secret: text("registrytoken") })
  }
  if (text("auth")) {
    const decoded = Buffer.from(text("auth"), "base64").toString("utf8")
    const colon = decoded.indexOf(":")
    if (colon > 0) {
      return JSON.stringify({ kind: "auth", username: decoded.slice(0, colon), secret: decoded.slice(colon + 1) })
    }
    return undefined
  }
  if (text("username") && text("password")) {
    return JSON.stringify({ kind: "auth", username: text("username"), secret: text("password") })
  }
  return undefined
}
