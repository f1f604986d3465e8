/**
 * One builder call, kept in order until the config is rendered.
 */
import { object } from "@dagger.io/dagger"

/**
 * A builder call waiting to be rendered: what it does, to which registry,
 * and which of the owner's secrets it carries.
 */
@object()
export class Operation {
  /**
   * The core's operation kind: auth, identityToken, registryToken, remove or base.
   */
  kind: string = ""

  /**
   * The registry address as the caller wrote it ("" for base).
   */
  address: string = ""

  /**
   * The username ("" unless kind is auth).
   */
  username: string = ""

  /**
   * Index into the owner's secrets list, -1 when the operation carries none.
   *
   * Secrets are kept in a top-level list rather than here: the TypeScript SDK
   * restores core objects (Secret) only in an object's own fields, not inside
   * nested module objects.
   */
  secret: number = -1
}

/**
 * Builds an operation (module objects other than the main one take no
 * constructor arguments).
 */
export function operation(kind: string, address: string, username: string, secret: number): Operation {
  return Object.assign(new Operation(), { kind, address, username, secret })
}
