/**
 * `check` and `verified`: does each registry accept its credentials?
 *
 * The Rust core's sans-IO handshake (wasm `Handshake`) says which request to
 * send and reads the replies; this file only sends them with Node's fetch and
 * says which entries exist. Plaintexts stay in memory: they are never logged
 * and never put into an error or a result.
 */
import type { Operation } from "./operation.js"
import { renderRequest } from "./render.js"

/**
 * The check module (wasm `Handshake`, `checkTargets`), loaded on first use:
 * the functions that only render never pay for it.
 */
let checkModule: Promise<typeof import("./wasm/registry_config_check.js")> | undefined
function loadCheckModule() {
  checkModule ??= import("./wasm/registry_config_check.js")
  return checkModule
}

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
 * One check to run, as the Rust core plans it (wasm `checkTargets`): the
 * entry whose credential is used, what the report names, the handshake's
 * target (`[http://]host[/repository]`) and the credential as the wasm
 * Handshake takes it (JSON holding the plaintext: keep it in memory only).
 */
export interface CheckTarget {
  entry: string
  registry: string
  repository: string | null
  target: string
  credential: string
}

/**
 * What check runs once every operation is applied in order (removals and the
 * base config included): each repository (REGISTRY/REPOSITORY) with the most
 * specific entry for it, then each entry registry-wide whose registry no
 * repository names. The plan is the core's, the one the CLI's check follows;
 * it throws (bad input) for a repository that is not REGISTRY/REPOSITORY or
 * that no entry covers, and returns [] when there is nothing to check.
 */
export async function planChecks(
  operations: Operation[],
  plaintexts: string[],
  repositories: string[],
): Promise<CheckTarget[]> {
  const { checkTargets } = await loadCheckModule()
  return JSON.parse(checkTargets(renderRequest(operations, plaintexts, "containers"), JSON.stringify(repositories)))
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
  const { Handshake } = await loadCheckModule()
  let handshake: InstanceType<typeof Handshake>
  try {
    handshake = new Handshake(target.target, target.credential, push)
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
        handshake.handleResponse(response.status, JSON.stringify(response.wwwAuthenticate), response.body)
      } catch (err) {
        const kind = transportErrorKind(err)
        const message = kind === "timeout" ? `no answer within ${timeoutMs / 1000} seconds` : transportMessage(err)
        // The core hides the credential in whatever message it is given.
        handshake.handleTransportError(kind, message)
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
