/**
 * A hand-written stand-in for the client bindings the Dagger engine generates
 * for a module that depends on registry-config (what `dagger develop` writes
 * into the dependent module's sdk/). It exists only so that dagger/tests and
 * examples/typescript type-check without an engine; keep it in step with
 * dagger/src/index.ts and dagger/src/secret_mount.ts.
 *
 * Generated bindings are lazy: functions returning objects build a query and
 * return at once; optional arguments go in a trailing opts object.
 */
import type { Container, Secret } from "@dagger.io/dagger"

declare module "@dagger.io/dagger" {
  interface Client {
    /** The registry-config module's main object. */
    registryConfig: () => RegistryConfig
  }

  /** Optional arguments of RegistryConfig.secret. */
  export type RegistryConfigSecretOpts = {
    /** Name of the secret (default: registry-config- and an argon2 digest of the config). */
    name?: string
    /** File format: docker (default) or containers. */
    format?: string
  }

  /** Optional arguments of RegistryConfig.secretMount. */
  export type RegistryConfigSecretMountOpts = {
    /** Name of the secret to create (default: derived from the config). */
    secretName?: string
    /** Leave the container unchanged when no credentials were added. */
    skipOnEmpty?: boolean
    /** A user:group to own the mounted file. */
    owner?: string
    /** Permissions of the mounted file; needs an owner to apply. */
    mode?: number
  }

  /** Optional arguments of RegistryConfig.apply. */
  export type RegistryConfigApplyOpts = {
    /** A user:group to own the mounted files. */
    owner?: string
  }

  /** Registry credentials, rendered on demand as a Docker config.json or a containers auth.json. */
  export class RegistryConfig {
    /** Adds a username and password (or token) for a registry. */
    withRegistryAuth: (address: string, username: string, secret: Secret) => RegistryConfig
    /** Removes the credentials for a registry added so far, by normalised address. */
    withoutRegistryAuth: (address: string) => RegistryConfig
    /** Adds an identity token (OAuth2 refresh token) for a registry. */
    withIdentityToken: (address: string, token: Secret) => RegistryConfig
    /** Adds a registry token (bearer) for a registry. */
    withRegistryToken: (address: string, token: Secret) => RegistryConfig
    /** Starts from an existing Docker config.json. */
    withConfig: (config: Secret) => RegistryConfig
    /** Renders the config and returns it as a secret. */
    secret: (opts?: RegistryConfigSecretOpts) => Secret
    /** Describes how to mount the Docker-format config into containers. */
    secretMount: (path: string, opts?: RegistryConfigSecretMountOpts) => RegistryConfigSecretMount
    /** Mounts both formats under /run/registry-config and sets DOCKER_CONFIG, REGISTRY_AUTH_FILE, HELM_REGISTRY_CONFIG. */
    apply: (container: Container, opts?: RegistryConfigApplyOpts) => Container
    /** Checks every entry (and each repository named) against its registry; JSON [{registry, repository, status, detail}]. */
    check: (opts?: RegistryConfigCheckOpts) => Promise<string>
    /** Checks every entry, and fails on a rejected one or leaves it out (onRejected "drop"). */
    verified: (opts?: RegistryConfigVerifiedOpts) => RegistryConfig
    /** Forces evaluation; returns the object's ID. */
    id: () => Promise<string>
  }

  /** Optional arguments of RegistryConfig.check. */
  export type RegistryConfigCheckOpts = {
    /** Repositories to check, as REGISTRY/REPOSITORY. */
    repositories?: string[]
    /** Also check push access on them. */
    push?: boolean
  }

  /** Optional arguments of RegistryConfig.verified. */
  export type RegistryConfigVerifiedOpts = {
    /** "fail" (the default) or "drop". */
    onRejected?: string
  }

  /** A Docker-format config to mount as a secret file into containers. */
  export class RegistryConfigSecretMount {
    /** Where the file is mounted. */
    path: () => Promise<string>
    /** Name of the Dagger secret ("" for the derived default). */
    secretName: () => Promise<string>
    /** Leave the container unchanged when there are no credentials. */
    skipOnEmpty: () => Promise<boolean>
    /** user:group owning the file ("" for the default). */
    owner: () => Promise<string>
    /** The file's permissions (0 for the default; applies only with an owner). */
    mode: () => Promise<number>
    /** Mounts the config into a container. */
    mount: (container: Container) => Container
    /** Forces evaluation; returns the object's ID. */
    id: () => Promise<string>
  }
}
