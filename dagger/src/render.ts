/**
 * From builder calls to a Dagger secret: read the secrets' plaintexts, let
 * the Rust core (wasm) render the file, hand the text to Dagger.
 */
import { dag, Secret } from "@dagger.io/dagger"

import type { Operation } from "./operation.js"
import { daggerSecretLimit, render, secretName } from "./wasm/registry_config_wasm.js"

/**
 * The secrets' plaintexts, read once, in the order of the secrets list.
 */
export async function readPlaintexts(secrets: Secret[]): Promise<string[]> {
  return Promise.all(secrets.map((secret) => secret.plaintext()))
}

/**
 * Renders `operations` in `format` ("docker" or "containers") and returns the
 * config as a Dagger secret named `name`, or by default `registry-config-`
 * and an argon2 digest of the config (stable across runs, slow to test
 * guesses against). An empty name counts as no name, as in the Go module.
 */
export function configSecret(
  operations: Operation[],
  plaintexts: string[],
  format: string,
  name?: string,
): Secret {
  return renderedSecret(renderConfig(operations, plaintexts, format), name)
}

/**
 * An already rendered config as a Dagger secret (see `configSecret`).
 */
export function renderedSecret(rendered: RenderedConfig, name?: string): Secret {
  return daggerSecret(name ? name : secretName(rendered.config), rendered.config)
}

/**
 * A config file's text, and how many registries it holds.
 */
export interface RenderedConfig {
  config: string
  entries: number
}

/**
 * The config file's text. Warnings (what was dropped from a base config) go to
 * stderr; they never hold a secret. Errors are the core's, unchanged.
 */
export function renderConfig(operations: Operation[], plaintexts: string[], format: string): RenderedConfig {
  const rendering = render(renderRequest(operations, plaintexts, format))
  try {
    for (const warning of rendering.warnings) {
      console.error(`registry-config: ${warning}`)
    }
    return { config: rendering.config, entries: rendering.entries }
  } finally {
    rendering.free()
  }
}

/**
 * The core's render request (JSON) for `operations` in `format`, within
 * Dagger's secret size limit. It holds plaintexts: keep it in memory only.
 */
export function renderRequest(operations: Operation[], plaintexts: string[], format: string): string {
  return JSON.stringify({
    format,
    maxBytes: daggerSecretLimit(),
    operations: operations.map((op) => renderOperation(op, plaintexts)),
  })
}

/**
 * One operation in the JSON shape of the core's render request.
 */
function renderOperation(op: Operation, plaintexts: string[]): Record<string, string> {
  const secret = () => {
    const plaintext = plaintexts[op.secret]
    if (plaintext === undefined) {
      throw new Error(`registry-config: operation ${op.kind} ${op.address} refers to a missing secret`)
    }
    return plaintext
  }
  switch (op.kind) {
    case "auth":
      return { kind: op.kind, address: op.address, username: op.username, secret: secret() }
    case "identityToken":
    case "registryToken":
      return { kind: op.kind, address: op.address, secret: secret() }
    case "remove":
      return { kind: op.kind, address: op.address }
    case "base":
      return { kind: op.kind, config: secret() }
    default:
      throw new Error(`registry-config: unknown operation kind ${JSON.stringify(op.kind)}`)
  }
}

/**
 * The module's only call to `setSecret` (Dagger plans to remove setting
 * plaintext from its API one day: keep it in this one place).
 */
function daggerSecret(name: string, plaintext: string): Secret {
  return dag.setSecret(name, plaintext)
}
