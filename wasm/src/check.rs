//! Credential checks for JavaScript: the core plans them from a [`Config`]
//! and runs each handshake; the caller only sends the requests with `fetch`.
//! The credentials go from the config into the checks inside wasm; only the
//! requests to send (an `Authorization` header, a token form) reach
//! JavaScript.
//!
//! ```js
//! for (const check of config.checks(repositories, push)) {
//!   for (let action = check.pollAction(); action.kind === "send"; action = check.pollAction()) {
//!     try {
//!       const r = await fetch(action.url, { method: action.method, ... });
//!       check.handleResponse(r.status, challenges, new Uint8Array(await r.arrayBuffer()),
//!                            r.redirected ? r.url : undefined);
//!     } catch (e) { check.handleTransportError("connect", String(e)); }
//!   }
//!   // check.status, check.detail
//! }
//! ```

use registry_config::auth::{
    Action as CoreAction, Handshake, Outcome, Response, Status, TransportErrorKind,
};
use registry_config::{CheckPlanError, Credential, OnRejected, RegistryAddress, VerifyError};
use wasm_bindgen::prelude::*;

use crate::js_error;
use crate::Config;

#[wasm_bindgen]
impl Config {
    /// The checks to run for `repositories` (each `REGISTRY/REPOSITORY`), as
    /// the CLI's `check` plans them: each repository with the most specific
    /// entry for it, then each entry registry-wide whose registry no
    /// repository names. Empty when there is nothing to check; with `push`,
    /// repositories are also checked for push.
    pub fn checks(&self, repositories: Vec<String>, push: bool) -> Result<Vec<Check>, JsError> {
        let repositories: Vec<&str> = repositories.iter().map(String::as_str).collect();
        let targets = match self.config.check_targets(&repositories) {
            Ok(targets) => targets,
            // Nothing to check is for the caller to judge (`verified` passes, `check` refuses).
            Err(registry_config::Error::CheckPlan(CheckPlanError::Empty)) => Vec::new(),
            Err(err) => return Err(js_error(err)),
        };
        Ok(targets
            .into_iter()
            .map(|planned| Check {
                registry: planned.target.host().to_owned(),
                repository: planned.target.repository().map(str::to_owned),
                handshake: Handshake::new(
                    planned.target,
                    Some(planned.credential.into_owned()),
                    push,
                ),
                entry: planned.entry,
                outcome: None,
            })
            .collect())
    }
}

/// One check of one registry or repository: the core's handshake, driven by
/// the caller, and its verdict once done.
#[wasm_bindgen]
pub struct Check {
    entry: String,
    registry: String,
    repository: Option<String>,
    handshake: Handshake<RegistryAddress, Credential>,
    outcome: Option<Outcome>,
}

#[wasm_bindgen]
impl Check {
    /// The canonical key of the entry whose credential is used.
    #[wasm_bindgen(getter)]
    pub fn entry(&self) -> String {
        self.entry.clone()
    }

    /// The registry checked.
    #[wasm_bindgen(getter)]
    pub fn registry(&self) -> String {
        self.registry.clone()
    }

    /// The repository checked, or none for a registry-wide check.
    #[wasm_bindgen(getter)]
    pub fn repository(&self) -> Option<String> {
        self.repository.clone()
    }

    /// The verdict ("valid", "rejected", "anonymous", "error"), once done.
    #[wasm_bindgen(getter)]
    pub fn status(&self) -> Option<String> {
        self.outcome.as_ref().map(|o| o.status.as_str().to_owned())
    }

    /// Why, in the registry's words where it gave any, once done.
    #[wasm_bindgen(getter)]
    pub fn detail(&self) -> Option<String> {
        self.outcome.as_ref().map(|o| o.detail.clone())
    }

    /// What to do next: send a request (then call `handleResponse` or
    /// `handleTransportError`), or done (the verdict is in `status` and
    /// `detail`). Undefined while a request is outstanding.
    #[wasm_bindgen(js_name = pollAction)]
    pub fn poll_action(&mut self) -> Option<Action> {
        Some(match self.handshake.poll_action()? {
            CoreAction::Send(request) => Action {
                kind: "send",
                method: Some(request.method.as_str().to_owned()),
                url: Some(request.url),
                authorization: request
                    .authorization
                    .as_ref()
                    .map(|s| s.expose().to_owned()),
                body: request.form.as_ref().map(|s| s.expose().to_owned()),
            },
            CoreAction::Done(outcome) => {
                self.outcome = Some(outcome);
                Action {
                    kind: "done",
                    method: None,
                    url: None,
                    authorization: None,
                    body: None,
                }
            }
        })
    }

    /// The response to the last request: status, every `WWW-Authenticate`
    /// value, the body (or its first `checkBodyLimit()` bytes), and, when
    /// `fetch` followed redirects, the URL that answered (`response.url`):
    /// credentials redirected to another host were not sent, so they are
    /// then not called valid.
    #[wasm_bindgen(js_name = handleResponse)]
    pub fn handle_response(
        &mut self,
        status: u16,
        www_authenticate: Vec<String>,
        body: Vec<u8>,
        url: Option<String>,
    ) {
        self.handshake.handle_response(Response {
            status,
            www_authenticate,
            body,
            url,
        });
    }

    /// The last request got no response: `kind` is "connect", "tls",
    /// "timeout" or anything else; the core hides the credential in `message`.
    #[wasm_bindgen(js_name = handleTransportError)]
    pub fn handle_transport_error(&mut self, kind: &str, message: &str) {
        let kind = match kind {
            "connect" => TransportErrorKind::Connect,
            "tls" => TransportErrorKind::Tls,
            "timeout" => TransportErrorKind::Timeout,
            _ => TransportErrorKind::Other,
        };
        self.handshake.handle_transport_error(kind, message);
    }
}

/// A request to send, or the end of a handshake.
#[wasm_bindgen]
pub struct Action {
    kind: &'static str,
    method: Option<String>,
    url: Option<String>,
    authorization: Option<String>,
    body: Option<String>,
}

#[wasm_bindgen]
impl Action {
    /// "send" or "done".
    #[wasm_bindgen(getter)]
    pub fn kind(&self) -> String {
        self.kind.to_owned()
    }

    /// The request's method.
    #[wasm_bindgen(getter)]
    pub fn method(&self) -> Option<String> {
        self.method.clone()
    }

    /// The request's URL.
    #[wasm_bindgen(getter)]
    pub fn url(&self) -> Option<String> {
        self.url.clone()
    }

    /// The `Authorization` header to send, if any (holds the credential).
    #[wasm_bindgen(getter)]
    pub fn authorization(&self) -> Option<String> {
        self.authorization.clone()
    }

    /// The form body to send (`application/x-www-form-urlencoded`), if any.
    #[wasm_bindgen(getter)]
    pub fn body(&self) -> Option<String> {
        self.body.clone()
    }
}

/// Checks `onRejected` before any secret is read: "fail" or "drop".
#[wasm_bindgen(js_name = checkOnRejected)]
pub fn check_on_rejected(on_rejected: &str) -> Result<(), JsError> {
    parse_on_rejected(on_rejected).map(drop)
}

fn parse_on_rejected(on_rejected: &str) -> Result<OnRejected, JsError> {
    on_rejected
        .parse()
        .map_err(|err| JsError::new(&format!("registry-config: onRejected {err}")))
}

/// A warning `verify` gives about an entry, and whether to leave it out.
#[wasm_bindgen]
pub struct VerifyNote {
    removed: Option<String>,
    warning: String,
}

#[wasm_bindgen]
impl VerifyNote {
    /// The entry to leave out (its canonical address), if any.
    #[wasm_bindgen(getter)]
    pub fn removed(&self) -> Option<String> {
        self.removed.clone()
    }

    /// Why, as a warning to show.
    #[wasm_bindgen(getter)]
    pub fn warning(&self) -> String {
        self.warning.clone()
    }
}

/// The core's verify policy over checks that ran: throws when a registry
/// could not be checked, or refused its credentials and `onRejected` is
/// "fail"; otherwise returns a warning for each entry left out or kept
/// unchecked.
#[wasm_bindgen]
pub fn verify(checks: Vec<Check>, on_rejected: &str) -> Result<Vec<VerifyNote>, JsError> {
    let on_rejected = parse_on_rejected(on_rejected)?;
    let unfinished = Outcome {
        status: Status::Error,
        detail: "the check did not finish".to_owned(),
    };
    let checked: Vec<(&str, &Outcome)> = checks
        .iter()
        .map(|check| {
            (
                check.entry.as_str(),
                check.outcome.as_ref().unwrap_or(&unfinished),
            )
        })
        .collect();
    match registry_config::verify(checked, on_rejected) {
        Ok(notes) => Ok(notes
            .into_iter()
            .map(|note| VerifyNote {
                warning: note.to_string(),
                removed: note.removed().map(str::to_owned),
            })
            .collect()),
        Err(err @ VerifyError::Rejected { .. }) => Err(JsError::new(&format!(
            "registry-config: {err} (verified(onRejected: \"drop\") leaves it out instead)"
        ))),
        Err(err) => Err(JsError::new(&format!("registry-config: {err}"))),
    }
}
