/* tslint:disable */
/* eslint-disable */

/**
 * The config file and what was dropped from the base file on the way.
 * Read-only from JavaScript: getters, no setters.
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
     * One sentence per thing dropped from the base config.
     */
    readonly warnings: string[];
}

/**
 * Checks an address, and a username when one is given, before any secret is
 * read; returns the address's canonical form.
 */
export function checkEntry(address: string, username?: string | null): string;

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
