/* tslint:disable */
/* eslint-disable */

/**
 * A request to send, or the end of a handshake.
 */
export class Action {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * The `Authorization` header to send, if any (holds the credential).
     */
    readonly authorization: string | undefined;
    /**
     * The form body to send (`application/x-www-form-urlencoded`), if any.
     */
    readonly body: string | undefined;
    /**
     * "send" or "done".
     */
    readonly kind: string;
    /**
     * The request's method.
     */
    readonly method: string | undefined;
    /**
     * The request's URL.
     */
    readonly url: string | undefined;
}

/**
 * One check of one registry or repository: the core's handshake, driven by
 * the caller, and its verdict once done.
 */
export class Check {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * The response to the last request: status, every `WWW-Authenticate`
     * value, the body (or its first `checkBodyLimit()` bytes), and, when
     * `fetch` followed redirects, the URL that answered (`response.url`):
     * credentials redirected to another host were not sent, so they are
     * then not called valid.
     */
    handleResponse(status: number, www_authenticate: string[], body: Uint8Array, url?: string | null): void;
    /**
     * The last request got no response: `kind` is "connect", "tls",
     * "timeout" or anything else; the core hides the credential in `message`.
     */
    handleTransportError(kind: string, message: string): void;
    /**
     * What to do next: send a request (then call `handleResponse` or
     * `handleTransportError`), or done (the verdict is in `status` and
     * `detail`). Undefined while a request is outstanding.
     */
    pollAction(): Action | undefined;
    /**
     * Why, in the registry's words where it gave any, once done.
     */
    readonly detail: string | undefined;
    /**
     * The canonical key of the entry whose credential is used.
     */
    readonly entry: string;
    /**
     * The registry checked.
     */
    readonly registry: string;
    /**
     * The repository checked, or none for a registry-wide check.
     */
    readonly repository: string | undefined;
    /**
     * The verdict ("valid", "rejected", "anonymous", "error"), once done.
     */
    readonly status: string | undefined;
}

/**
 * Registry credentials for one call of the Dagger module, built from its
 * builder calls in order (each applied by the core at once: a later entry
 * for the same registry wins, a removal removes what is there by then).
 */
export class Config {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Adds a username and password (or token) for a registry.
     */
    addAuth(address: string, username: string, secret: string): void;
    /**
     * Adds an identity token (OAuth2 refresh token) for a registry.
     */
    addIdentityToken(address: string, token: string): void;
    /**
     * Adds a registry token (sent as a bearer token) for a registry.
     */
    addRegistryToken(address: string, token: string): void;
    /**
     * The checks to run for `repositories` (each `REGISTRY/REPOSITORY`), as
     * the CLI's `check` plans them: each repository with the most specific
     * entry for it, then each entry registry-wide whose registry no
     * repository names. Empty when there is nothing to check; with `push`,
     * repositories are also checked for push.
     */
    checks(repositories: string[], push: boolean): Check[];
    /**
     * An empty config; every file it renders must fit in `maxBytes` when given.
     */
    constructor(max_bytes?: number | null);
    /**
     * Removes a registry's entry, by normalised address, base config included.
     */
    remove(address: string): void;
    /**
     * Renders the file in `format` ("docker" or "containers"), with the
     * name of its secret: `name`, or when absent or empty one derived from
     * the file.
     */
    render(format: string, name?: string | null): Rendering;
    /**
     * Starts from a Docker `config.json` (its text).
     */
    setBase(config: string): void;
}

/**
 * An environment variable `apply` sets.
 */
export class EnvVar {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * The variable's name.
     */
    readonly name: string;
    /**
     * Its value: a path under the apply folder.
     */
    readonly value: string;
}

/**
 * A rendered file, the name of its secret, and what was dropped from the
 * base file on the way. Read-only from JavaScript: getters, no setters.
 */
export class Rendering {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * The file's text.
     */
    readonly config: string;
    /**
     * How many registries the file holds (`secretMount(skipOnEmpty)` skips none).
     */
    readonly entries: number;
    /**
     * The secret's name.
     */
    readonly secretName: string;
    /**
     * One sentence per thing dropped from the base config.
     */
    readonly warnings: string[];
}

/**
 * A warning `verify` gives about an entry, and whether to leave it out.
 */
export class VerifyNote {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * The entry to leave out (its canonical address), if any.
     */
    readonly removed: string | undefined;
    /**
     * Why, as a warning to show.
     */
    readonly warning: string;
}

/**
 * The variables `apply` sets, in order.
 */
export function applyEnv(): EnvVar[];

/**
 * Where `apply` mounts the file of `format` ("docker" or "containers").
 */
export function applyPath(format: string): string;

/**
 * How many bytes of a registry's reply body a check reads.
 */
export function checkBodyLimit(): number;

/**
 * Checks an address, and a username when one is given, before any secret is
 * read; returns the address's canonical form.
 */
export function checkEntry(address: string, username?: string | null): string;

/**
 * Checks `onRejected` before any secret is read: "fail" or "drop".
 */
export function checkOnRejected(on_rejected: string): void;

/**
 * How long one check may take by default, in milliseconds.
 */
export function checkTimeoutMs(): number;

/**
 * The largest secret Dagger accepts, in bytes.
 */
export function daggerSecretLimit(): number;

/**
 * The key `address` is written under in `format` ("docker", the default, or "containers").
 */
export function normalizeAddress(address: string, format?: string | null): string;

/**
 * A name for `config` that is stable across runs but slow to test guesses
 * against: `registry-config-` and 32 hex digits of argon2id.
 */
export function secretName(config: string): string;

/**
 * The core's verify policy over checks that ran: throws when a registry
 * could not be checked, or refused its credentials and `onRejected` is
 * "fail"; otherwise returns a warning for each entry left out or kept
 * unchecked.
 */
export function verify(checks: Check[], on_rejected: string): VerifyNote[];
