//! The registry handshake for JavaScript: the core's state machine, driven
//! by the caller with `fetch`.
//!
//! ```js
//! const handshake = new Handshake("ghcr.io/org/app", JSON.stringify({kind: "auth", username, secret}), false);
//! for (;;) {
//!   const action = JSON.parse(handshake.pollAction());
//!   if (action.kind === "done") return action; // {status, detail}
//!   try {
//!     const r = await fetch(action.url, {method: action.method, headers: ..., body: action.body});
//!     const challenges = JSON.stringify(r.headers.has("www-authenticate") ? [r.headers.get("www-authenticate")] : []);
//!     handshake.handleResponse(r.status, challenges, new Uint8Array(await r.arrayBuffer()));
//!   } catch (e) { handshake.handleTransportError("connect", String(e)); }
//! }
//! ```

use registry_config::auth::{Action, Handshake, Response, TransportErrorKind};
use registry_config::{CheckPlanError, Credential, RegistryAddress, Secret};
use wasm_bindgen::prelude::*;

use std::borrow::Borrow;

use crate::js_error;
use crate::json_out::JsonObject;
use crate::request::{string_field, RenderRequest};

/// What `check` runs for a render request and the repositories named (a
/// JSON array of `REGISTRY/REPOSITORY` strings): a
/// JSON array of `{entry, registry, repository, target, credential}`, where
/// `target` goes to the `Handshake` constructor as it is and `credential` (a
/// JSON string holding the plaintext: keep it in memory) as its second
/// argument. The plan is the core's, the one the CLI's `check` follows.
#[wasm_bindgen(js_name = checkTargets)]
pub fn check_targets(request: &str, repositories: &str) -> Result<String, JsError> {
    let repositories = string_array(repositories)
        .ok_or_else(|| JsError::new("repositories must be a JSON array of strings"))?;
    let config = RenderRequest::parse(request)
        .map_err(js_error)?
        .into_config()
        .map_err(js_error)?;
    let repositories: Vec<&str> = repositories.iter().map(String::as_str).collect();
    let targets = match config.check_targets(&repositories) {
        Ok(targets) => targets,
        // Nothing to check is for the caller to judge (`verified` passes, `check` refuses).
        Err(registry_config::Error::CheckPlan(CheckPlanError::Empty)) => Vec::new(),
        Err(err) => return Err(js_error(err)),
    };
    let planned: Vec<String> = targets
        .iter()
        .map(|planned| {
            let target = &planned.target;
            let scheme = if target.plain_http() { "http://" } else { "" };
            let credential = credential_json(planned.credential.borrow());
            JsonObject::new()
                .member("entry", Some(&planned.entry))
                .member("registry", Some(target.host()))
                .member("repository", target.repository())
                .member("target", Some(&format!("{scheme}{}", target.canonical())))
                .member("credential", Some(&credential))
                .finish()
        })
        .collect();
    Ok(format!("[{}]", planned.join(",")))
}

/// A credential in the shape the `Handshake` constructor reads.
fn credential_json(credential: &Credential) -> String {
    let (kind, username, secret) = match credential {
        Credential::Basic { username, password } => ("auth", Some(&**username), password),
        Credential::IdentityToken { token } => ("identityToken", None, token),
        Credential::RegistryToken { token } => ("registryToken", None, token),
        _ => return "null".into(),
    };
    let object = JsonObject::new().member("kind", Some(kind));
    let object = match username {
        Some(username) => object.member("username", Some(username)),
        None => object,
    };
    object.member("secret", Some(secret.expose())).finish()
}

/// One check of one registry or repository.
#[wasm_bindgen(js_name = Handshake)]
pub struct JsHandshake(Handshake);

#[wasm_bindgen(js_class = Handshake)]
impl JsHandshake {
    /// `target` is a registry or `registry/repository`; `credential` is JSON
    /// `{kind: "auth", username, secret}`, `{kind: "identityToken", secret}`,
    /// `{kind: "registryToken", secret}`, or absent for anonymous access.
    #[wasm_bindgen(constructor)]
    pub fn new(
        target: &str,
        credential: Option<String>,
        push: bool,
    ) -> Result<JsHandshake, JsError> {
        let target = RegistryAddress::parse(target).map_err(js_error)?;
        let credential = match credential {
            None => None,
            Some(json) => {
                let invalid =
                    || JsError::new("invalid credential: expected {kind, username?, secret}");
                let fields: serde_json::Value =
                    serde_json::from_str(&json).map_err(|_| invalid())?;
                let field = |name| string_field(&fields, name, 0).map_err(|_| invalid());
                let kind = field("kind")?;
                let secret = Secret::new(field("secret")?);
                let credential = match kind.as_str() {
                    "auth" => Credential::basic(field("username")?, secret),
                    "identityToken" => Credential::identity_token(secret),
                    "registryToken" => Credential::registry_token(secret),
                    _ => return Err(invalid()),
                };
                credential.validate(target.canonical()).map_err(js_error)?;
                Some(credential)
            }
        };
        Ok(Self(Handshake::new(target, credential, push)))
    }

    /// JSON: `{kind: "send", method, url, authorization?, body?}` (then call
    /// `handleResponse` or `handleTransportError`), `{kind: "done", status,
    /// detail}`, or `null` when there is nothing to do.
    #[wasm_bindgen(js_name = pollAction)]
    pub fn poll_action(&mut self) -> Option<String> {
        let action = match self.0.poll_action()? {
            Action::Send(request) => JsonObject::new()
                .member("kind", Some("send"))
                .member("method", Some(request.method.as_str()))
                .member("url", Some(&request.url))
                .member(
                    "authorization",
                    request.authorization.as_ref().map(Secret::expose),
                )
                .member("body", request.form.as_ref().map(Secret::expose)),
            Action::Done(outcome) => JsonObject::new()
                .member("kind", Some("done"))
                .member("status", Some(outcome.status.as_str()))
                .member("detail", Some(&outcome.detail)),
        };
        Some(action.finish())
    }

    /// The response to the last request: status, every `WWW-Authenticate`
    /// value (a JSON array of strings), and the body (or its first 64 KiB).
    #[wasm_bindgen(js_name = handleResponse)]
    pub fn handle_response(&mut self, status: u16, www_authenticate: &str, body: Vec<u8>) {
        // Header values are the server's, never the caller's mistake: a
        // list that does not parse is no challenge at all.
        let www_authenticate = string_array(www_authenticate).unwrap_or_default();
        self.0.handle_response(Response {
            status,
            www_authenticate,
            body,
            url: None,
        });
    }

    /// The last request got no response: `kind` is "connect", "tls", "timeout" or anything else.
    #[wasm_bindgen(js_name = handleTransportError)]
    pub fn handle_transport_error(&mut self, kind: &str, message: &str) {
        let kind = match kind {
            "connect" => TransportErrorKind::Connect,
            "tls" => TransportErrorKind::Tls,
            "timeout" => TransportErrorKind::Timeout,
            _ => TransportErrorKind::Other,
        };
        self.0.handle_transport_error(kind, message);
    }
}

/// A JSON array of strings: what JavaScript hands over for a list (one
/// string crosses into wasm with far less glue than an array of them).
fn string_array(text: &str) -> Option<Vec<String>> {
    serde_json::from_str(text).ok()
}
