// Registries on 127.0.0.1 for the check tests: Debian's docker-registry
// (CNCF distribution) with htpasswd auth, and a small Node server acting as
// a Bearer-token registry. Both speak plain HTTP, so every check first fails
// over HTTPS and falls back, as the core does for loopback registries.
import { spawn } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { createServer } from "node:http"
import { createServer as createTcpServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"

export const USER = "alice"
export const PASSWORD = "s3cret"

/**
 * Longer than "anon": the core scrubs every token it holds from details, and
 * a token that is a common word would be scrubbed out of them.
 */
const ANONYMOUS_TOKEN = "anonymous-pull-token"

const basic = (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`

/** A port nothing listens on (bound, then released). */
export async function closedPort() {
  const server = createTcpServer()
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok))
  const { port } = server.address()
  await new Promise((ok) => server.close(ok))
  return port
}

/**
 * Starts docker-registry with htpasswd auth (alice:s3cret) on 127.0.0.1 and a
 * free port, and waits until it answers. Returns { host, port, stop() };
 * stop() kills it and removes its folder.
 */
export async function startHtpasswdRegistry() {
  const dir = mkdtempSync(join(tmpdir(), "registry-config-registry-"))
  const htpasswd = join(dir, "htpasswd")
  await run("htpasswd", ["-Bbc", htpasswd, USER, PASSWORD])
  const port = await closedPort()
  const config = join(dir, "config.yml")
  writeFileSync(
    config,
    [
      "version: 0.1",
      "log: {level: error, accesslog: {disabled: true}}",
      `storage: {filesystem: {rootdirectory: ${join(dir, "data")}}, delete: {enabled: true}}`,
      `http: {addr: 127.0.0.1:${port}, secret: test}`,
      `auth: {htpasswd: {realm: test, path: ${htpasswd}}}`,
      "",
    ].join("\n"),
  )
  const child = spawn("docker-registry", ["serve", config], { stdio: ["ignore", "ignore", "pipe"] })
  let stderr = ""
  child.stderr.on("data", (chunk) => (stderr += chunk))
  const exited = new Promise((ok) => child.once("exit", ok))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM")
      await exited
    }
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    const deadline = Date.now() + 10_000
    for (;;) {
      if (child.exitCode !== null) throw new Error(`docker-registry exited: ${stderr}`)
      try {
        const response = await fetch(`http://127.0.0.1:${port}/v2/`)
        await response.arrayBuffer()
        if (response.status === 401) break
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`docker-registry did not start: ${stderr}`)
      await new Promise((ok) => setTimeout(ok, 20))
    }
  } catch (err) {
    await stop()
    throw err
  }
  return { host: `127.0.0.1:${port}`, port, stop }
}

/**
 * A Bearer-token registry: /v2/ asks for a token from /token, which grants
 * "t" to alice:s3cret, ANONYMOUS_TOKEN to anonymous requests and refuses anything
 * else; public/* is readable with either token, everything else with "t"
 * only; an upload that does not exist is a 404 with "t". Counts the TLS
 * handshakes it was sent (the HTTPS attempts before the fallback). Returns {
 * host, port, tlsAttempts(), tokenRequests, close() }.
 */
export async function startBearerRegistry() {
  let tlsAttempts = 0
  const tokenRequests = []
  let realm = ""
  const json = (res, status, body, headers = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers })
    res.end(JSON.stringify(body))
  }
  const unauthorized = (res, message, scope) =>
    json(res, 401, { errors: [{ code: "UNAUTHORIZED", message, detail: null }] }, {
      "www-authenticate": `Bearer realm="${realm}",service="test"${scope ? `,scope="${scope}"` : ""}`,
    })
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://registry")
    const auth = req.headers.authorization
    if (url.pathname === "/token") {
      tokenRequests.push({ scope: url.searchParams.get("scope"), anonymous: !auth })
      if (!auth) return json(res, 200, { token: ANONYMOUS_TOKEN })
      if (auth === basic(USER, PASSWORD)) return json(res, 200, { token: "t" })
      return json(res, 401, { errors: [{ code: "UNAUTHORIZED", message: "invalid username/password", detail: null }] })
    }
    if (url.pathname === "/v2/") return unauthorized(res, "authentication required")
    const tags = url.pathname.match(/^\/v2\/(.+)\/tags\/list$/)
    if (tags) {
      const readable = auth === "Bearer t" || (auth === `Bearer ${ANONYMOUS_TOKEN}` && tags[1].startsWith("public/"))
      if (readable) return json(res, 200, { name: tags[1], tags: [] })
      return unauthorized(res, "authentication required", `repository:${tags[1]}:pull`)
    }
    const upload = url.pathname.match(/^\/v2\/(.+)\/blobs\/uploads\//)
    if (upload && auth === "Bearer t") return json(res, 404, { errors: [{ code: "BLOB_UPLOAD_UNKNOWN" }] })
    if (upload) return unauthorized(res, "authentication required", `repository:${upload[1]}:push`)
    json(res, 404, { errors: [{ code: "NOT_FOUND", message: "not found" }] })
  })
  // A TLS ClientHello is not HTTP: answer as Node does by default, and count it.
  server.on("clientError", (err, socket) => {
    tlsAttempts++
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")
  })
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok))
  const { port } = server.address()
  realm = `http://127.0.0.1:${port}/token`
  return {
    host: `127.0.0.1:${port}`,
    port,
    tlsAttempts: () => tlsAttempts,
    tokenRequests,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections()
        server.close(ok)
      }),
  }
}

/**
 * A server that accepts connections and never answers (for timeouts).
 * Returns { port, close() }.
 */
export async function startSilentServer() {
  const sockets = new Set()
  const server = createTcpServer((socket) => {
    sockets.add(socket)
    socket.on("close", () => sockets.delete(socket))
  })
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok))
  return {
    port: server.address().port,
    close: () =>
      new Promise((ok) => {
        for (const socket of sockets) socket.destroy()
        server.close(ok)
      }),
  }
}

function run(command, args) {
  return new Promise((ok, fail) => {
    const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"] })
    let stderr = ""
    child.stderr.on("data", (chunk) => (stderr += chunk))
    child.on("error", fail)
    child.on("exit", (code) => (code === 0 ? ok() : fail(new Error(`${command} failed: ${stderr}`))))
  })
}
