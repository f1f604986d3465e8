/* tslint:disable */
/* eslint-disable */

/**
 * One check of one registry or repository.
 */
export class Handshake {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * The response to the last request: status, every `WWW-Authenticate`
     * value, and the body (or its first 64 KiB).
     */
    handleResponse(status: number, www_authenticate: string[], body: Uint8Array): void;
    /**
     * The last request got no response: `kind` is "connect", "tls", "timeout" or anything else.
     */
    handleTransportError(kind: string, message: string): void;
    /**
     * `target` is a registry or `registry/repository`; `credential` is JSON
     * `{kind: "auth", username, secret}`, `{kind: "identityToken", secret}`,
     * `{kind: "registryToken", secret}`, or absent for anonymous access.
     */
    constructor(target: string, credential: string | null | undefined, push: boolean);
    /**
     * JSON: `{kind: "send", method, url, authorization?, body?}` (then call
     * `handleResponse` or `handleTransportError`), `{kind: "done", status,
     * detail}`, or `null` when there is nothing to do.
     */
    pollAction(): string | undefined;
}

/**
 * The config file and what was dropped from the base file on the way.
 */
export class Rendering {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * The file's text.
     */
    config: string;
    /**
     * How many registries the file holds (`secretMount(skipOnEmpty)` skips none).
     */
    entries: number;
    /**
     * One sentence per thing dropped from the base config.
     */
    warnings: string[];
}

/**
 * Checks an address, and a username when one is given, before any secret is
 * read; returns the address's canonical form.
 */
export function checkEntry(address: string, username?: string | null): string;

/**
 * What `check` runs for a render request and the repositories named: a
 * JSON array of `{entry, registry, repository, target, credential}`, where
 * `target` goes to the `Handshake` constructor as it is and `credential` (a
 * JSON string holding the plaintext: keep it in memory) as its second
 * argument. The plan is the core's, the one the CLI's `check` follows.
 */
export function checkTargets(request: string, repositories: string[]): string;

/**
 * The largest secret Dagger accepts, in bytes.
 */
export function daggerSecretLimit(): number;

/**
 * The key `address` is written under in `format` ("docker", the default, or "containers").
 */
export function normalizeAddress(address: string, format?: string | null): string;

/**
 * Renders a config from a JSON [`RenderRequest`].
 */
export function render(request: string): Rendering;

/**
 * A name for `config` that is stable across runs but slow to test guesses
 * against: `registry-config-` and 32 hex digits of argon2id.
 */
export function secretName(config: string): string;
