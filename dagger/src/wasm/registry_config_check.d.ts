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
     * value (a JSON array of strings), and the body (or its first 64 KiB).
     */
    handleResponse(status: number, www_authenticate: string, body: Uint8Array): void;
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
 * What `check` runs for a render request and the repositories named (a
 * JSON array of `REGISTRY/REPOSITORY` strings): a
 * JSON array of `{entry, registry, repository, target, credential}`, where
 * `target` goes to the `Handshake` constructor as it is and `credential` (a
 * JSON string holding the plaintext: keep it in memory) as its second
 * argument. The plan is the core's, the one the CLI's `check` follows.
 */
export function checkTargets(request: string, repositories: string): string;
