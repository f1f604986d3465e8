/**
 * `check` and `verified`: does each registry accept its credentials?
 *
 * The Rust core plans the checks from the config (wasm `Config.checks`) and
 * runs each handshake (wasm `Check`): it says which request to send and
 * reads the replies; this file only sends them with Node's fetch. The
 * credentials stay in wasm memory; the requests that carry them are never
 * logged and never put into an error or a result.
 */
import { type Check, checkBodyLimit, checkTimeoutMs } from "./wasm/registry_config_wasm.js"

/**
 * Bodies are read up to this size; registries' error replies are far smaller.
 */
const BODY_LIMIT = checkBodyLimit()

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
 * Runs every check at once; reports in the order of `checks`.
 */
export async function runChecks(checks: Check[], timeoutMs: number = checkTimeoutMs()): Promise<CheckReport[]> {
  return Promise.all(
    checks.map(async (check) => {
      const { status, detail } = await runHandshake(check, timeoutMs)
      return { registry: check.registry, repository: check.repository ?? null, status, detail }
    }),
  )
}

/**
 * One handshake, driven with fetch until the core gives its verdict (kept
 * in `check` too, for the core's verify policy). Every request shares one
 * deadline of `timeoutMs`.
 */
export async function runHandshake(
  check: Check,
  timeoutMs: number = checkTimeoutMs(),
): Promise<{ status: string; detail: string }> {
  const signal = AbortSignal.timeout(timeoutMs)
  for (;;) {
    const action = check.pollAction()
    if (action === undefined) {
      return { status: "error", detail: "internal: the handshake stalled" }
    }
    try {
      if (action.kind === "done") {
        return { status: check.status ?? "error", detail: check.detail ?? "" }
      }
      try {
        const response = await send(action, signal)
        check.handleResponse(response.status, response.wwwAuthenticate, response.body, response.url)
      } catch (err) {
        const kind = transportErrorKind(err)
        const message = kind === "timeout" ? `no answer within ${timeoutMs / 1000} seconds` : transportMessage(err)
        // The core hides the credential in whatever message it is given.
        check.handleTransportError(kind, message)
      }
    } finally {
      action.free()
    }
  }
}

/**
 * A request the handshake asked for.
 */
interface SendAction {
  method?: string
  url?: string
  authorization?: string
  body?: string
}

/**
 * Sends one request; returns the status, every WWW-Authenticate value and at
 * most BODY_LIMIT bytes of the body. Rejects when no response came (or the
 * body could not be read): a transport error.
 */
async function send(
  action: SendAction,
  signal: AbortSignal,
): Promise<{ status: number; wwwAuthenticate: string[]; body: Uint8Array; url?: string }> {
  let headers: Headers
  try {
    headers = new Headers()
    if (action.authorization) headers.set("authorization", action.authorization)
    if (action.body != null) headers.set("content-type", "application/x-www-form-urlencoded")
  } catch {
    // Headers' own message could quote the value.
    throw new HeaderError()
  }
  const response = await fetch(action.url ?? "", {
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
    // fetch follows redirects and drops Authorization on the way to another
    // origin: the core needs to know where the answer came from.
    url: response.redirected ? response.url : undefined,
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
