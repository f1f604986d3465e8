/* @ts-self-types="./registry_config_wasm.d.ts" */
import { readFileSync } from 'node:fs';


/**
 * A request to send, or the end of a handshake.
 */
export class Action {
    static __wrap(ptr) {
        const obj = Object.create(Action.prototype);
        obj.__wbg_ptr = ptr;
        ActionFinalization.register(obj, obj.__wbg_ptr, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        ActionFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_action_free(ptr, 0);
    }
    /**
     * The `Authorization` header to send, if any (holds the credential).
     * @returns {string | undefined}
     */
    get authorization() {
        const ret = wasm.action_authorization(this.__wbg_ptr);
        let v1;
        if (ret[0] !== 0) {
            v1 = getStringFromWasm0(ret[0], ret[1]);
            wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        }
        return v1;
    }
    /**
     * The form body to send (`application/x-www-form-urlencoded`), if any.
     * @returns {string | undefined}
     */
    get body() {
        const ret = wasm.action_body(this.__wbg_ptr);
        let v1;
        if (ret[0] !== 0) {
            v1 = getStringFromWasm0(ret[0], ret[1]);
            wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        }
        return v1;
    }
    /**
     * "send" or "done".
     * @returns {string}
     */
    get kind() {
        let deferred1_0;
        let deferred1_1;
        try {
            const ret = wasm.action_kind(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
    /**
     * The request's method.
     * @returns {string | undefined}
     */
    get method() {
        const ret = wasm.action_method(this.__wbg_ptr);
        let v1;
        if (ret[0] !== 0) {
            v1 = getStringFromWasm0(ret[0], ret[1]);
            wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        }
        return v1;
    }
    /**
     * The request's URL.
     * @returns {string | undefined}
     */
    get url() {
        const ret = wasm.action_url(this.__wbg_ptr);
        let v1;
        if (ret[0] !== 0) {
            v1 = getStringFromWasm0(ret[0], ret[1]);
            wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        }
        return v1;
    }
}
if (Symbol.dispose) Action.prototype[Symbol.dispose] = Action.prototype.free;

/**
 * One check of one registry or repository: the core's handshake, driven by
 * the caller, and its verdict once done.
 */
export class Check {
    static __wrap(ptr) {
        const obj = Object.create(Check.prototype);
        obj.__wbg_ptr = ptr;
        CheckFinalization.register(obj, obj.__wbg_ptr, obj);
        return obj;
    }
    static __unwrap(jsValue) {
        if (!(jsValue instanceof Check)) {
            return 0;
        }
        return jsValue.__destroy_into_raw();
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        CheckFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_check_free(ptr, 0);
    }
    /**
     * Why, in the registry's words where it gave any, once done.
     * @returns {string | undefined}
     */
    get detail() {
        const ret = wasm.check_detail(this.__wbg_ptr);
        let v1;
        if (ret[0] !== 0) {
            v1 = getStringFromWasm0(ret[0], ret[1]);
            wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        }
        return v1;
    }
    /**
     * The canonical key of the entry whose credential is used.
     * @returns {string}
     */
    get entry() {
        let deferred1_0;
        let deferred1_1;
        try {
            const ret = wasm.check_entry(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
    /**
     * The response to the last request: status, every `WWW-Authenticate`
     * value, the body (or its first `checkBodyLimit()` bytes), and, when
     * `fetch` followed redirects, the URL that answered (`response.url`):
     * credentials redirected to another host were not sent, so they are
     * then not called valid.
     * @param {number} status
     * @param {string[]} www_authenticate
     * @param {Uint8Array} body
     * @param {string | null} [url]
     */
    handleResponse(status, www_authenticate, body, url) {
        const ptr0 = passArrayJsValueToWasm0(www_authenticate, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passArray8ToWasm0(body, wasm.__wbindgen_malloc);
        const len1 = WASM_VECTOR_LEN;
        var ptr2 = isLikeNone(url) ? 0 : passStringToWasm0(url, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        var len2 = WASM_VECTOR_LEN;
        wasm.check_handleResponse(this.__wbg_ptr, status, ptr0, len0, ptr1, len1, ptr2, len2);
    }
    /**
     * The last request got no response: `kind` is "connect", "tls",
     * "timeout" or anything else; the core hides the credential in `message`.
     * @param {string} kind
     * @param {string} message
     */
    handleTransportError(kind, message) {
        const ptr0 = passStringToWasm0(kind, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(message, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        wasm.check_handleTransportError(this.__wbg_ptr, ptr0, len0, ptr1, len1);
    }
    /**
     * What to do next: send a request (then call `handleResponse` or
     * `handleTransportError`), or done (the verdict is in `status` and
     * `detail`). Undefined while a request is outstanding.
     * @returns {Action | undefined}
     */
    pollAction() {
        const ret = wasm.check_pollAction(this.__wbg_ptr);
        return ret === 0 ? undefined : Action.__wrap(ret);
    }
    /**
     * The registry checked.
     * @returns {string}
     */
    get registry() {
        let deferred1_0;
        let deferred1_1;
        try {
            const ret = wasm.check_registry(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
    /**
     * The repository checked, or none for a registry-wide check.
     * @returns {string | undefined}
     */
    get repository() {
        const ret = wasm.check_repository(this.__wbg_ptr);
        let v1;
        if (ret[0] !== 0) {
            v1 = getStringFromWasm0(ret[0], ret[1]);
            wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        }
        return v1;
    }
    /**
     * The verdict ("valid", "rejected", "anonymous", "error"), once done.
     * @returns {string | undefined}
     */
    get status() {
        const ret = wasm.check_status(this.__wbg_ptr);
        let v1;
        if (ret[0] !== 0) {
            v1 = getStringFromWasm0(ret[0], ret[1]);
            wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        }
        return v1;
    }
}
if (Symbol.dispose) Check.prototype[Symbol.dispose] = Check.prototype.free;

/**
 * Registry credentials for one call of the Dagger module, built from its
 * builder calls in order (each applied by the core at once: a later entry
 * for the same registry wins, a removal removes what is there by then).
 */
export class Config {
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        ConfigFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_config_free(ptr, 0);
    }
    /**
     * Adds a username and password (or token) for a registry.
     * @param {string} address
     * @param {string} username
     * @param {string} secret
     */
    addAuth(address, username, secret) {
        const ptr0 = passStringToWasm0(address, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(username, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ptr2 = passStringToWasm0(secret, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len2 = WASM_VECTOR_LEN;
        const ret = wasm.config_addAuth(this.__wbg_ptr, ptr0, len0, ptr1, len1, ptr2, len2);
        if (ret[1]) {
            throw takeFromExternrefTable0(ret[0]);
        }
    }
    /**
     * Adds an identity token (OAuth2 refresh token) for a registry.
     * @param {string} address
     * @param {string} token
     */
    addIdentityToken(address, token) {
        const ptr0 = passStringToWasm0(address, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(token, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ret = wasm.config_addIdentityToken(this.__wbg_ptr, ptr0, len0, ptr1, len1);
        if (ret[1]) {
            throw takeFromExternrefTable0(ret[0]);
        }
    }
    /**
     * Adds a registry token (sent as a bearer token) for a registry.
     * @param {string} address
     * @param {string} token
     */
    addRegistryToken(address, token) {
        const ptr0 = passStringToWasm0(address, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(token, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ret = wasm.config_addRegistryToken(this.__wbg_ptr, ptr0, len0, ptr1, len1);
        if (ret[1]) {
            throw takeFromExternrefTable0(ret[0]);
        }
    }
    /**
     * The checks to run for `repositories` (each `REGISTRY/REPOSITORY`), as
     * the CLI's `check` plans them: each repository with the most specific
     * entry for it, then each entry registry-wide whose registry no
     * repository names. Empty when there is nothing to check; with `push`,
     * repositories are also checked for push.
     * @param {string[]} repositories
     * @param {boolean} push
     * @returns {Check[]}
     */
    checks(repositories, push) {
        const ptr0 = passArrayJsValueToWasm0(repositories, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.config_checks(this.__wbg_ptr, ptr0, len0, push);
        if (ret[3]) {
            throw takeFromExternrefTable0(ret[2]);
        }
        var v2 = getArrayJsValueFromWasm0(ret[0], ret[1]);
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v2;
    }
    /**
     * An empty config; every file it renders must fit in `maxBytes` when given.
     * @param {number | null} [max_bytes]
     */
    constructor(max_bytes) {
        const ret = wasm.config_new(isLikeNone(max_bytes) ? Number.MAX_SAFE_INTEGER : (max_bytes) >>> 0);
        this.__wbg_ptr = ret;
        ConfigFinalization.register(this, this.__wbg_ptr, this);
        return this;
    }
    /**
     * Removes a registry's entry, by normalised address, base config included.
     * @param {string} address
     */
    remove(address) {
        const ptr0 = passStringToWasm0(address, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.config_remove(this.__wbg_ptr, ptr0, len0);
        if (ret[1]) {
            throw takeFromExternrefTable0(ret[0]);
        }
    }
    /**
     * Renders the file in `format` ("docker" or "containers"), with the
     * name of its secret: `name`, or when absent or empty one derived from
     * the file.
     * @param {string} format
     * @param {string | null} [name]
     * @returns {Rendering}
     */
    render(format, name) {
        const ptr0 = passStringToWasm0(format, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        var ptr1 = isLikeNone(name) ? 0 : passStringToWasm0(name, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        var len1 = WASM_VECTOR_LEN;
        const ret = wasm.config_render(this.__wbg_ptr, ptr0, len0, ptr1, len1);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return Rendering.__wrap(ret[0]);
    }
    /**
     * Starts from a Docker `config.json` (its text).
     * @param {string} config
     */
    setBase(config) {
        const ptr0 = passStringToWasm0(config, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.config_setBase(this.__wbg_ptr, ptr0, len0);
        if (ret[1]) {
            throw takeFromExternrefTable0(ret[0]);
        }
    }
}
if (Symbol.dispose) Config.prototype[Symbol.dispose] = Config.prototype.free;

/**
 * An environment variable `apply` sets.
 */
export class EnvVar {
    static __wrap(ptr) {
        const obj = Object.create(EnvVar.prototype);
        obj.__wbg_ptr = ptr;
        EnvVarFinalization.register(obj, obj.__wbg_ptr, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        EnvVarFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_envvar_free(ptr, 0);
    }
    /**
     * The variable's name.
     * @returns {string}
     */
    get name() {
        let deferred1_0;
        let deferred1_1;
        try {
            const ret = wasm.envvar_name(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
    /**
     * Its value: a path under the apply folder.
     * @returns {string}
     */
    get value() {
        let deferred1_0;
        let deferred1_1;
        try {
            const ret = wasm.envvar_value(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
}
if (Symbol.dispose) EnvVar.prototype[Symbol.dispose] = EnvVar.prototype.free;

/**
 * A rendered file, the name of its secret, and what was dropped from the
 * base file on the way. Read-only from JavaScript: getters, no setters.
 */
export class Rendering {
    static __wrap(ptr) {
        const obj = Object.create(Rendering.prototype);
        obj.__wbg_ptr = ptr;
        RenderingFinalization.register(obj, obj.__wbg_ptr, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        RenderingFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_rendering_free(ptr, 0);
    }
    /**
     * The file's text.
     * @returns {string}
     */
    get config() {
        let deferred1_0;
        let deferred1_1;
        try {
            const ret = wasm.rendering_config(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
    /**
     * How many registries the file holds (`secretMount(skipOnEmpty)` skips none).
     * @returns {number}
     */
    get entries() {
        const ret = wasm.rendering_entries(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * The secret's name.
     * @returns {string}
     */
    get secretName() {
        let deferred1_0;
        let deferred1_1;
        try {
            const ret = wasm.rendering_secretName(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
    /**
     * One sentence per thing dropped from the base config.
     * @returns {string[]}
     */
    get warnings() {
        const ret = wasm.rendering_warnings(this.__wbg_ptr);
        var v1 = getArrayJsValueFromWasm0(ret[0], ret[1]);
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
}
if (Symbol.dispose) Rendering.prototype[Symbol.dispose] = Rendering.prototype.free;

/**
 * A warning `verify` gives about an entry, and whether to leave it out.
 */
export class VerifyNote {
    static __wrap(ptr) {
        const obj = Object.create(VerifyNote.prototype);
        obj.__wbg_ptr = ptr;
        VerifyNoteFinalization.register(obj, obj.__wbg_ptr, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        VerifyNoteFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_verifynote_free(ptr, 0);
    }
    /**
     * The entry to leave out (its canonical address), if any.
     * @returns {string | undefined}
     */
    get removed() {
        const ret = wasm.verifynote_removed(this.__wbg_ptr);
        let v1;
        if (ret[0] !== 0) {
            v1 = getStringFromWasm0(ret[0], ret[1]);
            wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        }
        return v1;
    }
    /**
     * Why, as a warning to show.
     * @returns {string}
     */
    get warning() {
        let deferred1_0;
        let deferred1_1;
        try {
            const ret = wasm.verifynote_warning(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
}
if (Symbol.dispose) VerifyNote.prototype[Symbol.dispose] = VerifyNote.prototype.free;

/**
 * The variables `apply` sets, in order.
 * @returns {EnvVar[]}
 */
export function applyEnv() {
    const ret = wasm.applyEnv();
    var v1 = getArrayJsValueFromWasm0(ret[0], ret[1]);
    wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
    return v1;
}

/**
 * Where `apply` mounts the file of `format` ("docker" or "containers").
 * @param {string} format
 * @returns {string}
 */
export function applyPath(format) {
    let deferred3_0;
    let deferred3_1;
    try {
        const ptr0 = passStringToWasm0(format, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.applyPath(ptr0, len0);
        var ptr2 = ret[0];
        var len2 = ret[1];
        if (ret[3]) {
            ptr2 = 0; len2 = 0;
            throw takeFromExternrefTable0(ret[2]);
        }
        deferred3_0 = ptr2;
        deferred3_1 = len2;
        return getStringFromWasm0(ptr2, len2);
    } finally {
        wasm.__wbindgen_free(deferred3_0, deferred3_1, 1);
    }
}

/**
 * How many bytes of a registry's reply body a check reads.
 * @returns {number}
 */
export function checkBodyLimit() {
    const ret = wasm.checkBodyLimit();
    return ret >>> 0;
}

/**
 * Checks an address, and a username when one is given, before any secret is
 * read; returns the address's canonical form.
 * @param {string} address
 * @param {string | null} [username]
 * @returns {string}
 */
export function checkEntry(address, username) {
    let deferred4_0;
    let deferred4_1;
    try {
        const ptr0 = passStringToWasm0(address, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        var ptr1 = isLikeNone(username) ? 0 : passStringToWasm0(username, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        var len1 = WASM_VECTOR_LEN;
        const ret = wasm.checkEntry(ptr0, len0, ptr1, len1);
        var ptr3 = ret[0];
        var len3 = ret[1];
        if (ret[3]) {
            ptr3 = 0; len3 = 0;
            throw takeFromExternrefTable0(ret[2]);
        }
        deferred4_0 = ptr3;
        deferred4_1 = len3;
        return getStringFromWasm0(ptr3, len3);
    } finally {
        wasm.__wbindgen_free(deferred4_0, deferred4_1, 1);
    }
}

/**
 * Checks `onRejected` before any secret is read: "fail" or "drop".
 * @param {string} on_rejected
 */
export function checkOnRejected(on_rejected) {
    const ptr0 = passStringToWasm0(on_rejected, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.checkOnRejected(ptr0, len0);
    if (ret[1]) {
        throw takeFromExternrefTable0(ret[0]);
    }
}

/**
 * How long one check may take by default, in milliseconds.
 * @returns {number}
 */
export function checkTimeoutMs() {
    const ret = wasm.checkTimeoutMs();
    return ret >>> 0;
}

/**
 * The largest secret Dagger accepts, in bytes.
 * @returns {number}
 */
export function daggerSecretLimit() {
    const ret = wasm.daggerSecretLimit();
    return ret >>> 0;
}

/**
 * The key `address` is written under in `format` ("docker", the default, or "containers").
 * @param {string} address
 * @param {string | null} [format]
 * @returns {string}
 */
export function normalizeAddress(address, format) {
    let deferred4_0;
    let deferred4_1;
    try {
        const ptr0 = passStringToWasm0(address, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        var ptr1 = isLikeNone(format) ? 0 : passStringToWasm0(format, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        var len1 = WASM_VECTOR_LEN;
        const ret = wasm.normalizeAddress(ptr0, len0, ptr1, len1);
        var ptr3 = ret[0];
        var len3 = ret[1];
        if (ret[3]) {
            ptr3 = 0; len3 = 0;
            throw takeFromExternrefTable0(ret[2]);
        }
        deferred4_0 = ptr3;
        deferred4_1 = len3;
        return getStringFromWasm0(ptr3, len3);
    } finally {
        wasm.__wbindgen_free(deferred4_0, deferred4_1, 1);
    }
}

/**
 * A name for `config` that is stable across runs but slow to test guesses
 * against: `registry-config-` and 32 hex digits of argon2id.
 * @param {string} config
 * @returns {string}
 */
export function secretName(config) {
    let deferred2_0;
    let deferred2_1;
    try {
        const ptr0 = passStringToWasm0(config, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.secretName(ptr0, len0);
        deferred2_0 = ret[0];
        deferred2_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred2_0, deferred2_1, 1);
    }
}

/**
 * The core's verify policy over checks that ran: throws when a registry
 * could not be checked, or refused its credentials and `onRejected` is
 * "fail"; otherwise returns a warning for each entry left out or kept
 * unchecked.
 * @param {Check[]} checks
 * @param {string} on_rejected
 * @returns {VerifyNote[]}
 */
export function verify(checks, on_rejected) {
    const ptr0 = passArrayJsValueToWasm0(checks, wasm.__wbindgen_malloc);
    const len0 = WASM_VECTOR_LEN;
    const ptr1 = passStringToWasm0(on_rejected, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len1 = WASM_VECTOR_LEN;
    const ret = wasm.verify(ptr0, len0, ptr1, len1);
    if (ret[3]) {
        throw takeFromExternrefTable0(ret[2]);
    }
    var v3 = getArrayJsValueFromWasm0(ret[0], ret[1]);
    wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
    return v3;
}
function __wbg_get_imports() {
    const import0 = {
        __proto__: null,
        __wbg_Error_30c8987f7c2ed4e2: function(arg0, arg1) {
            const ret = Error(getStringFromWasm0(arg0, arg1));
            return ret;
        },
        __wbg___wbindgen_string_get_0380ccaa2f57f0d9: function(arg0, arg1) {
            const obj = arg1;
            const ret = typeof(obj) === 'string' ? obj : undefined;
            var ptr1 = isLikeNone(ret) ? 0 : passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            var len1 = WASM_VECTOR_LEN;
            getDataViewMemory0().setInt32(arg0 + 4 * 1, len1, true);
            getDataViewMemory0().setInt32(arg0 + 4 * 0, ptr1, true);
        },
        __wbg___wbindgen_throw_41e9ee4f547fc59a: function(arg0, arg1) {
            throw new Error(getStringFromWasm0(arg0, arg1));
        },
        __wbg_check_new: function(arg0) {
            const ret = Check.__wrap(arg0);
            return ret;
        },
        __wbg_check_unwrap: function(arg0) {
            const ret = Check.__unwrap(arg0);
            return ret;
        },
        __wbg_envvar_new: function(arg0) {
            const ret = EnvVar.__wrap(arg0);
            return ret;
        },
        __wbg_verifynote_new: function(arg0) {
            const ret = VerifyNote.__wrap(arg0);
            return ret;
        },
        __wbindgen_generic_0000000000000001: function(arg0, arg1) {
            // Cast intrinsic for `Ref(String) -> Externref`.
            const ret = getStringFromWasm0(arg0, arg1);
            return ret;
        },
        __wbindgen_init_externref_table: function() {
            const table = wasm.__wbindgen_externrefs;
            const offset = table.grow(4);
            table.set(0, undefined);
            table.set(offset + 0, undefined);
            table.set(offset + 1, null);
            table.set(offset + 2, true);
            table.set(offset + 3, false);
        },
    };
    return {
        __proto__: null,
        "./registry_config_wasm_bg.js": import0,
    };
}

const ActionFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_action_free(ptr, 1));
const CheckFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_check_free(ptr, 1));
const ConfigFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_config_free(ptr, 1));
const EnvVarFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_envvar_free(ptr, 1));
const RenderingFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_rendering_free(ptr, 1));
const VerifyNoteFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_verifynote_free(ptr, 1));

function addToExternrefTable0(obj) {
    const idx = wasm.__externref_table_alloc();
    wasm.__wbindgen_externrefs.set(idx, obj);
    return idx;
}

function getArrayJsValueFromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    const mem = getDataViewMemory0();
    const result = [];
    for (let i = ptr; i < ptr + 4 * len; i += 4) {
        result.push(wasm.__wbindgen_externrefs.get(mem.getUint32(i, true)));
    }
    wasm.__externref_drop_slice(ptr, len);
    return result;
}

let cachedDataViewMemory0 = null;
function getDataViewMemory0() {
    if (cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer.detached === true || (cachedDataViewMemory0.buffer.detached === undefined && cachedDataViewMemory0.buffer !== wasm.memory.buffer)) {
        cachedDataViewMemory0 = new DataView(wasm.memory.buffer);
    }
    return cachedDataViewMemory0;
}

function getStringFromWasm0(ptr, len) {
    return decodeText(ptr >>> 0, len);
}

let cachedUint8ArrayMemory0 = null;
function getUint8ArrayMemory0() {
    if (cachedUint8ArrayMemory0 === null || cachedUint8ArrayMemory0.byteLength === 0) {
        cachedUint8ArrayMemory0 = new Uint8Array(wasm.memory.buffer);
    }
    return cachedUint8ArrayMemory0;
}

function isLikeNone(x) {
    return x === undefined || x === null;
}

function passArray8ToWasm0(arg, malloc) {
    const ptr = malloc(arg.length * 1, 1) >>> 0;
    getUint8ArrayMemory0().set(arg, ptr / 1);
    WASM_VECTOR_LEN = arg.length;
    return ptr;
}

function passArrayJsValueToWasm0(array, malloc) {
    const ptr = malloc(array.length * 4, 4) >>> 0;
    for (let i = 0; i < array.length; i++) {
        const add = addToExternrefTable0(array[i]);
        getDataViewMemory0().setUint32(ptr + 4 * i, add, true);
    }
    WASM_VECTOR_LEN = array.length;
    return ptr;
}

function passStringToWasm0(arg, malloc, realloc) {
    if (realloc === undefined) {
        const buf = cachedTextEncoder.encode(arg);
        const ptr = malloc(buf.length, 1) >>> 0;
        getUint8ArrayMemory0().subarray(ptr, ptr + buf.length).set(buf);
        WASM_VECTOR_LEN = buf.length;
        return ptr;
    }

    let len = arg.length;
    let ptr = malloc(len, 1) >>> 0;

    const mem = getUint8ArrayMemory0();

    let offset = 0;

    for (; offset < len; offset++) {
        const code = arg.charCodeAt(offset);
        if (code > 0x7F) break;
        mem[ptr + offset] = code;
    }
    if (offset !== len) {
        if (offset !== 0) {
            arg = arg.slice(offset);
        }
        ptr = realloc(ptr, len, len = offset + arg.length * 3, 1) >>> 0;
        const view = getUint8ArrayMemory0().subarray(ptr + offset, ptr + len);
        const ret = cachedTextEncoder.encodeInto(arg, view);

        offset += ret.written;
        ptr = realloc(ptr, len, offset, 1) >>> 0;
    }

    WASM_VECTOR_LEN = offset;
    return ptr;
}

function takeFromExternrefTable0(idx) {
    const value = wasm.__wbindgen_externrefs.get(idx);
    wasm.__externref_table_dealloc(idx);
    return value;
}

let cachedTextDecoder = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });
cachedTextDecoder.decode();
function decodeText(ptr, len) {
    return cachedTextDecoder.decode(getUint8ArrayMemory0().subarray(ptr, ptr + len));
}

const cachedTextEncoder = new TextEncoder();

if (!('encodeInto' in cachedTextEncoder)) {
    cachedTextEncoder.encodeInto = function (arg, view) {
        const buf = cachedTextEncoder.encode(arg);
        view.set(buf);
        return {
            read: arg.length,
            written: buf.length
        };
    };
}

let WASM_VECTOR_LEN = 0;

const wasmUrl = new URL('registry_config_wasm_bg.wasm', import.meta.url);
const wasmBytes = readFileSync(wasmUrl);
const wasmModule = new WebAssembly.Module(wasmBytes);
let wasmInstance = new WebAssembly.Instance(wasmModule, __wbg_get_imports());
let wasm = wasmInstance.exports;
wasm.__wbindgen_start();
