/**
 * A rendered config waiting to be mounted into a container.
 */
import { Container, Secret, func, object } from "@dagger.io/dagger"

import type { Operation } from "./operation.js"
import { readPlaintexts, renderConfig, renderedSecret, withCoreConfig } from "./render.js"

/**
 * A Docker-format config to mount as a secret file into containers. path,
 * secretName, skipOnEmpty, owner and mode are readable fields, as in the
 * daggerverse Go module.
 */
@object()
export class SecretMount {
  /**
   * Where the file is mounted.
   */
  @func()
  path: string = ""

  /**
   * Name of the Dagger secret ("" for the derived default).
   */
  @func()
  secretName: string = ""

  /**
   * Leave the container unchanged when there are no credentials.
   */
  @func()
  skipOnEmpty: boolean = false

  /**
   * user:group owning the file ("" for the default).
   */
  @func()
  owner: string = ""

  /**
   * The file's permissions (0 for the default; applies only with an owner).
   */
  @func()
  mode: number = 0

  /**
   * The builder calls, in order.
   */
  operations?: Operation[] = []

  /**
   * The secrets the operations refer to by index.
   */
  secrets?: Secret[] = []

  /**
   * Mounts the config into a container, or returns the container unchanged
   * when skipOnEmpty is set and the config holds no registry (none added, or
   * all removed again).
   */
  @func({ cache: "session" })
  async mount(
    /**
     * Container to mount the config into.
     */
    container: Container,
  ): Promise<Container> {
    // Fields missing from a restored object read as their defaults.
    const operations = this.operations ?? []
    if (this.skipOnEmpty && operations.length === 0) {
      return container
    }
    const rendered = await withCoreConfig(operations, await readPlaintexts(this.secrets ?? []), (config) =>
      renderConfig(config, "docker", this.secretName),
    )
    if (this.skipOnEmpty && rendered.entries === 0) {
      return container
    }
    const secret = renderedSecret(rendered)
    // "" and 0 mean "not set", as in the Go module, whose SDK omits zero values.
    return container.withMountedSecret(this.path, secret, {
      owner: this.owner || undefined,
      mode: this.mode || undefined,
    })
  }
}
