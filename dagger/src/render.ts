/**
 * From builder calls to a Dagger secret: read the secrets' plaintexts, hand
 * the calls to the Rust core (wasm `Config`), which renders the file and
 * names it, and hand the text to Dagger. Type conversion and I/O only.
 */
import { dag, Secret } from "@dagger.io/dagger"

import type { Operation } from "./operation.js"
import { Config, daggerSecretLimit } from "./wasm/registry_config_wasm.js"

/**
 * The secrets' plaintexts, read once, in the order of the secrets list.
 */
export async function readPlaintexts(secrets: Secret[]): Promise<string[]> {
  return Promise.all(secrets.map((secret) => secret.plaintext()))
}

/**
 * The core's config for `operations`, applied in order, every file it
 * renders within Dagger's secret size limit. It holds plaintexts in wasm
 * memory: free() it when done (`withCoreConfig` does).
 */
export function coreConfig(operations: Operation[], plaintexts: string[]): Config {
  const config = new Config(daggerSecretLimit())
  try {
    for (const op of operations) addOperation(config, op, plaintexts)
    return config
  } catch (err) {
    config.free()
    throw err
  }
}

/**
 * Runs `fn` on the core's config for `operations`, then frees it.
 */
export async function withCoreConfig<T>(
  operations: Operation[],
  plaintexts: string[],
  fn: (config: Config) => T | Promise<T>,
): Promise<T> {
  const config = coreConfig(operations, plaintexts)
  try {
    return await fn(config)
  } finally {
    config.free()
  }
}

/**
 * One builder call, handed to the core's `Config` method of its kind.
 */
function addOperation(config: Config, op: Operation, plaintexts: string[]): void {
  const secret = () => {
    const plaintext = plaintexts[op.secret]
    if (plaintext === undefined) {
      throw new Error(`registry-config: operation ${op.kind} ${op.address} refers to a missing secret`)
    }
    return plaintext
  }
  switch (op.kind) {
    case "auth":
      return config.addAuth(op.address, op.username, secret())
    case "identityToken":
      return config.addIdentityToken(op.address, secret())
    case "registryToken":
      return config.addRegistryToken(op.address, secret())
    case "remove":
      return config.remove(op.address)
    case "base":
      return config.setBase(secret())
    default:
      throw new Error(`registry-config: unknown operation kind ${JSON.stringify(op.kind)}`)
  }
}

/**
 * A config file's text, the name of its secret, and how many registries it holds.
 */
export interface RenderedConfig {
  config: string
  secretName: string
  entries: number
}

/**
 * Renders `config` in `format` ("docker" or "containers"), its secret named
 * `name`, or by default `registry-config-` and an argon2 digest of the file
 * (stable across runs, slow to test guesses against); an empty name counts
 * as none. Warnings (what was dropped from a base config) go to stderr; they
 * never hold a secret. Errors are the core's, unchanged.
 */
export function renderConfig(config: Config, format: string, name?: string): RenderedConfig {
  const rendering = config.render(format, name)
  try {
    for (const warning of rendering.warnings) {
      console.error(`registry-config: ${warning}`)
    }
    return { config: rendering.config, secretName: rendering.secretName, entries: rendering.entries }
  } finally {
    rendering.free()
  }
}

/**
 * `config` rendered in `format` as a Dagger secret (see `renderConfig`).
 */
export function configSecret(config: Config, format: string, name?: string): Secret {
  return renderedSecret(renderConfig(config, format, name))
}

/**
 * An already rendered config as a Dagger secret: the module's only call to
 * `setSecret` (Dagger plans to remove setting plaintext from its API one
 * day: keep it in this one place).
 */
export function renderedSecret(rendered: RenderedConfig): Secret {
  return dag.setSecret(rendered.secretName, rendered.config)
}
