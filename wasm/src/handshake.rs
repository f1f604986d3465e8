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
//!     handshake.handleResponse(r.status, r.headers.getSetCookie ? ... : [], new Uint8Array(await r.arrayBuffer()));
//!   } catch (e) { handshake.handleTransportError("connect", String(e)); }
//! }
//! ```

use registry_config::auth::{Action, Handshake, Response, TransportErrorKind};
use registry_config::{CheckPlanError, Credential, RegistryAddress, Secret};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

use std::borrow::Borrow;

use crate::js_error;
use crate::request::take_string;
use crate::request::RenderRequest;

/// What `check` runs for a render request and the repositories named: a
/// JSON array of `{entry, registry, repository, target, credential}`, where
/// `target` goes to the `Handshake` constructor as it is and `credential` (a
/// JSON string holding the plaintext: keep it in memory) as its second
/// argument. The plan is the core's, the one the CLI's `check` follows.
#[wasm_bindgen(js_name = checkTargets)]
pub fn check_targets(request: &str, repositories: Vec<String>) -> Result<String, JsError> {
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
    let planned: Vec<Value> = targets
        .iter()
        .map(|planned| {
            let target = &planned.target;
            let scheme = if target.plain_http() { "http://" } else { "" };
            json!({
                "entry": planned.entry,
                "registry": target.host(),
                "repository": target.repository(),
                "target": format!("{scheme}{}", target.canonical()),
                "credential": credential_json(planned.credential.borrow()).to_string(),
            })
        })
        .collect();
    Ok(Value::Array(planned).to_string())
}

/// A credential in the shape the `Handshake` constructor reads.
fn credential_json(credential: &Credential) -> Value {
    match credential {
        Credential::Basic { username, password } => {
            json!({"kind": "auth", "username": username, "secret": password.expose()})
        }
        Credential::IdentityToken { token } => {
            json!({"kind": "identityToken", "secret": token.expose()})
        }
        Credential::RegistryToken { token } => {
            json!({"kind": "registryToken", "secret": token.expose()})
        }
        _ => json!(null),
    }
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
                let Ok(Value::Object(mut fields)) = serde_json::from_str::<Value>(&json) else {
                    return Err(invalid());
                };
                let kind = take_string(&mut fields, "kind", 0).map_err(|_| invalid())?;
                let secret =
                    Secret::new(take_string(&mut fields, "secret", 0).map_err(|_| invalid())?);
                let credential = match kind.as_str() {
                    "auth" => {
                        let username =
                            take_string(&mut fields, "username", 0).map_err(|_| invalid())?;
                        Credential::basic(username, secret)
                    }
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
            Action::Send(request) => json!({
                "kind": "send",
                "method": request.method.as_str(),
                "url": request.url,
                "authorization": request.authorization.as_ref().map(Secret::expose),
                "body": request.form.as_ref().map(Secret::expose),
            }),
            Action::Done(outcome) => json!({
                "kind": "done",
                "status": outcome.status.as_str(),
                "detail": outcome.detail,
            }),
        };
        Some(action.to_string())
    }

    /// The response to the last request: status, every `WWW-Authenticate`
    /// value, and the body (or its first 64 KiB).
    #[wasm_bindgen(js_name = handleResponse)]
    pub fn handle_response(&mut self, status: u16, www_authenticate: Vec<String>, body: Vec<u8>) {
        self.0.handle_response(Response {
            status,
            www_authenticate,
            body,
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
