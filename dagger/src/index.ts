/**
 * Registry credentials for every container tool, as Dagger secrets.
 *
 * Tools that talk to OCI registries (docker, buildkit, podman, skopeo, buildah,
 * helm, oras, crane) read credentials from a config file, and their login
 * commands write it in plaintext, into Dagger's layer cache. This module takes
 * credentials as secrets, renders in memory the file each tool finds
 * (addresses normalised: docker.io, https://ghcr.io/v2/ and GHCR.IO all work)
 * and hands it over as a secret mount. A drop-in for the daggerverse
 * registry-config module: same functions and arguments, plus identity and
 * registry tokens, the containers (podman) format, base configs and apply.
 *
 * Every rule lives in the registry-config Rust core, compiled to wasm.
 */
import { Container, Secret, func, object } from "@dagger.io/dagger"

import { runChecks } from "./check.js"
import { Operation, operation } from "./operation.js"
import { configSecret, readPlaintexts, withCoreConfig } from "./render.js"
import { SecretMount } from "./secret_mount.js"
import { applyEnv, applyPath, checkEntry, checkOnRejected, verify } from "./wasm/registry_config_wasm.js"

/**
 * Registry credentials, rendered on demand as a Docker config.json or a
 * containers auth.json.
 */
@object()
export class RegistryConfig {
  /**
   * The builder calls, in order: a later entry for the same registry wins, a
   * removal removes what is there by then.
   *
   * The engine restores an object from its fields without running the class's
   * initialisers, and the first call on `registryConfig()` has no fields at
   * all: read these through entries().
   */
  operations?: Operation[] = []

  /**
   * The secrets the operations refer to by index.
   */
  secrets?: Secret[] = []

  /**
   * Adds a username and password (or token) for a registry. A later entry for
   * the same registry replaces this one.
   */
  @func({ cache: "session" })
  withRegistryAuth(
    /**
     * Registry address, in any spelling tools use: ghcr.io, https://ghcr.io/v2/, docker.io, localhost:5000.
     */
    address: string,
    /**
     * Username (must not contain ':').
     */
    username: string,
    /**
     * Password or access token.
     */
    secret: Secret,
  ): RegistryConfig {
    checkEntry(address, username)
    return this.with("auth", address, username, secret)
  }

  /**
   * Removes the credentials for a registry added so far, by normalised address
   * (https://ghcr.io removes ghcr.io).
   */
  @func({ cache: "session" })
  withoutRegistryAuth(
    /**
     * Registry address.
     */
    address: string,
  ): RegistryConfig {
    checkEntry(address)
    return this.with("remove", address, "")
  }

  /**
   * Adds an identity token (OAuth2 refresh token) for a registry, written as identitytoken.
   */
  @func({ cache: "session" })
  withIdentityToken(
    /**
     * Registry address.
     */
    address: string,
    /**
     * The refresh token.
     */
    token: Secret,
  ): RegistryConfig {
    checkEntry(address)
    return this.with("identityToken", address, "", token)
  }

  /**
   * Adds a registry token (sent as a bearer token) for a registry, written as registrytoken.
   */
  @func({ cache: "session" })
  withRegistryToken(
    /**
     * Registry address.
     */
    address: string,
    /**
     * The bearer token.
     */
    token: Secret,
  ): RegistryConfig {
    checkEntry(address)
    return this.with("registryToken", address, "", token)
  }

  /**
   * Starts from an existing Docker config.json: its auths are kept unless
   * replaced or removed by later calls; credsStore, credHelpers and other
   * fields are dropped with a warning.
   */
  @func({ cache: "session" })
  withConfig(
    /**
     * The config.json to merge.
     */
    config: Secret,
  ): RegistryConfig {
    return this.with("base", "", "", config)
  }

  /**
   * Renders the config and returns it as a secret.
   */
  @func({ cache: "session" })
  async secret(
    /**
     * Name of the secret (default: registry-config- and an argon2 digest of the config).
     */
    name?: string,
    /**
     * File format: docker (config.json) or containers (auth.json, for podman, skopeo, buildah).
     */
    format: string = "docker",
  ): Promise<Secret> {
    const { operations, secrets } = this.entries()
    return withCoreConfig(operations, await readPlaintexts(secrets), (config) => configSecret(config, format, name))
  }

  /**
   * Describes how to mount the Docker-format config into containers; call mount on the result.
   */
  @func({ cache: "session" })
  secretMount(
    /**
     * Path to mount the config at (for example /root/.docker/config.json).
     */
    path: string,
    /**
     * Name of the secret to create (default: derived from the config).
     */
    secretName?: string,
    /**
     * Leave the container unchanged when no credentials were added.
     */
    skipOnEmpty: boolean = false,
    /**
     * A user:group to own the mounted file (an ID like 1000:1000 or a name like foo:bar).
     */
    owner?: string,
    /**
     * Permissions of the mounted file (for example 0600); needs an owner to apply.
     */
    mode?: number,
  ): SecretMount {
    return Object.assign(new SecretMount(), {
      path,
      secretName: secretName ?? "",
      skipOnEmpty,
      owner: owner ?? "",
      mode: mode ?? 0,
      ...this.entries(),
    })
  }

  /**
   * Mounts both formats under /run/registry-config (config.json, Docker format;
   * auth.json, containers format) and points DOCKER_CONFIG,
   * REGISTRY_AUTH_FILE and HELM_REGISTRY_CONFIG at them.
   */
  @func({ cache: "session" })
  async apply(
    /**
     * Container to configure.
     */
    container: Container,
    /**
     * A user:group to own the mounted files (default: root).
     */
    owner?: string,
  ): Promise<Container> {
    const { operations, secrets } = this.entries()
    const opts = owner ? { owner } : {}
    const [docker, containers] = await withCoreConfig(operations, await readPlaintexts(secrets), (config) => [
      configSecret(config, "docker"),
      configSecret(config, "containers"),
    ])
    let configured = container
      .withMountedSecret(applyPath("docker"), docker, opts)
      .withMountedSecret(applyPath("containers"), containers, opts)
    for (const variable of applyEnv()) {
      configured = configured.withEnvVariable(variable.name, variable.value)
      variable.free()
    }
    return configured
  }

  /**
   * Asks each registry whether it accepts its credentials, like
   * `registry-config check --json`: every entry registry-wide, unless a
   * repository of that registry is named, and each repository with the most
   * specific entry for it; all at once, each within 10 seconds. Returns JSON:
   * [{"registry", "repository" (or null), "status", "detail"}], status one of
   * valid, rejected (detail: the registry's message), anonymous (refused, but
   * the repository can be pulled without credentials), unverified (never
   * sent: the registry asks for none, or redirected them to another host) or
   * error (no verdict: unreachable, TLS, timeout). HTTPS is used except for
   * http:// addresses and loopback registries where HTTPS fails.
   */
  @func({ cache: "session" })
  async check(
    /**
     * Repositories to check, as REGISTRY/REPOSITORY (ghcr.io/org/app); each needs an entry for its registry.
     */
    repositories: string[] = [],
    /**
     * Also check that the credentials may push to the repositories (nothing is pushed).
     */
    push: boolean = false,
  ): Promise<string> {
    const { operations, secrets } = this.entries()
    const reports = await withCoreConfig(operations, await readPlaintexts(secrets), async (config) => {
      const checks = config.checks(repositories, push)
      try {
        return await runChecks(checks)
      } finally {
        for (const check of checks) check.free()
      }
    })
    if (reports.length === 0) {
      throw new Error("registry-config: nothing to check: no credentials were added")
    }
    return JSON.stringify(reports, null, 2)
  }

  /**
   * Checks every entry against its registry (as check does, registry-wide)
   * and returns the config once they pass. A registry that refuses its
   * credentials stops with an error naming it (onRejected "fail") or is left
   * out of the copy returned, with a warning, so tools go to it anonymously
   * (onRejected "drop"). A registry that cannot be reached always stops with
   * an error. A registry that asks for no credentials is kept, with a warning
   * (they were not checked). The policy is the core's, the CLI's --verify.
   */
  @func({ cache: "session" })
  async verified(
    /**
     * What to do with a registry that refuses its credentials: fail (the default) or drop.
     */
    onRejected: string = "fail",
  ): Promise<RegistryConfig> {
    checkOnRejected(onRejected)
    const { operations, secrets } = this.entries()
    const notes = await withCoreConfig(operations, await readPlaintexts(secrets), async (config) => {
      const checks = config.checks([], false)
      try {
        await runChecks(checks)
      } catch (err) {
        for (const check of checks) check.free()
        throw err
      }
      // verify takes the checks over (and frees them).
      return verify(checks, onRejected)
    })
    let verified: RegistryConfig = Object.assign(new RegistryConfig(), this.entries())
    for (const note of notes) {
      console.error(`registry-config: ${note.warning}`)
      const removed = note.removed
      if (removed !== undefined) verified = verified.withoutRegistryAuth(removed)
      note.free()
    }
    return verified
  }

  /**
   * Copies of the operations and secrets so far (empty on a fresh object).
   */
  private entries(): { operations: Operation[]; secrets: Secret[] } {
    return { operations: [...(this.operations ?? [])], secrets: [...(this.secrets ?? [])] }
  }

  /**
   * A copy with one more operation (the object is never changed in place).
   */
  private with(kind: string, address: string, username: string, secret?: Secret): RegistryConfig {
    const { operations, secrets } = this.entries()
    const index = secret === undefined ? -1 : secrets.push(secret) - 1
    operations.push(operation(kind, address, username, index))
    return Object.assign(new RegistryConfig(), { operations, secrets })
  }
}
