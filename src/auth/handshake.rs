//! The registry-auth handshake as a state machine with no I/O.
//!
//! It says which request to send next ([`Handshake::poll_action`]) and takes
//! what came back ([`Handshake::handle_response`],
//! [`Handshake::handle_transport_error`]); the CLI drives it with reqwest, the
//! wasm build with `fetch`, the tests with scripted responses.
//!
//! ```text
//! ping GET /v2/ ──401──► challenge ──Basic──► GET target with Basic ─────────┐
//!    │                      └──Bearer──► token: POST (identity token; 404/405 │
//!    │                                   → GET) or GET with Basic ──► target ─┤
//!    └─200─► repository named? GET it anonymously ──401──► challenge (above)  │
//!                                                                             ▼
//!  valid ◄── accepted        rejected (401/403) ──repository named──► again without
//!                                                  credentials: readable? anonymous : rejected
//! ```
//!
//! A 401 on the repository after an anonymous 200 on `/v2/` is answered with
//! the credentials (containers/image gives up there: containers/image#2754),
//! and rejected credentials on a repository that anyone may pull are told
//! apart from a repository nobody may pull.
//!
//! ```
//! use registry_config::auth::{Action, Handshake, Response, Status};
//! use registry_config::{Credential, RegistryAddress, Secret};
//!
//! let registry = RegistryAddress::parse("registry.example").unwrap();
//! let credential = Credential::basic("alice", Secret::new("s3cret".into()));
//! let mut handshake = Handshake::new(&registry, Some(&credential), false);
//!
//! let Some(Action::Send(ping)) = handshake.poll_action() else { panic!() };
//! assert_eq!(ping.url, "https://registry.example/v2/");
//! handshake.handle_response(Response {
//!     status: 401,
//!     www_authenticate: vec![r#"Bearer realm="https://auth.example/token",service="reg""#.into()],
//!     body: vec![],
//!     url: None,
//! });
//! let Some(Action::Send(token)) = handshake.poll_action() else { panic!() };
//! assert_eq!(token.url, "https://auth.example/token?service=reg");
//! assert!(token.authorization.is_some());
//! handshake.handle_response(Response { status: 200, body: br#"{"token":"t"}"#.to_vec(), ..Default::default() });
//! let Some(Action::Done(outcome)) = handshake.poll_action() else { panic!() };
//! assert_eq!(outcome.status, Status::Valid);
//! ```

use std::borrow::Borrow;

use zeroize::Zeroizing;

use super::challenge::{parse_challenges, Challenge};
use super::message::{Method, Request, Response, TransportErrorKind};
use super::reply;
use crate::json::Quoted;
use crate::redact::{push_percent_encoded as percent_encode, Pieces, Redactor};
use crate::{Credential, RegistryAddress, Secret};

/// Docker Hub's API host; `docker.io` itself serves no registry API.
const DOCKER_HUB_API: &str = "registry-1.docker.io";
/// Sent as the OAuth2 `client_id`.
const CLIENT_ID: &str = "registry-config";
/// Tokens the registry issued that are shorter than this are not hidden in
/// messages: they are placeholders such as `anon`, not credentials.
const ISSUED_TOKEN_MIN: usize = 16;
/// The user's own secret is hidden from this length up (a password of four
/// letters may then blot out part of a word).
const USER_SECRET_MIN: usize = 4;
/// The upload session asked about to learn whether push is allowed; it does
/// not exist, so an authorised request gets a 404 and nothing is created.
const PUSH_PROBE_UPLOAD: &str = "registry-config-check";

/// The verdict on one registry or repository.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// The credentials are accepted (for the repository and actions asked).
    Valid,
    /// The registry refuses them (401/403).
    Rejected,
    /// Refused, but the repository can be pulled without credentials.
    Anonymous,
    /// Answered, but the credentials were never checked: the registry asked
    /// for none (`/v2/` and the repository answer without them), or a
    /// redirect took the request to another host, where clients do not send
    /// them.
    Unverified,
    /// No verdict: unreachable, TLS, a malformed reply.
    Error,
}

impl Status {
    /// `valid`, `rejected`, `anonymous`, `unverified` or `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Valid => "valid",
            Status::Rejected => "rejected",
            Status::Anonymous => "anonymous",
            Status::Unverified => "unverified",
            Status::Error => "error",
        }
    }

    /// What `--verify` (CLI) and `verified` (Dagger) do with an entry of
    /// this status.
    pub fn on_verify(self) -> VerifyPolicy {
        match self {
            Status::Valid => VerifyPolicy::Keep,
            Status::Unverified => VerifyPolicy::KeepWithWarning,
            Status::Rejected | Status::Anonymous => VerifyPolicy::Refused,
            Status::Error => VerifyPolicy::Stop,
        }
    }
}

/// How a verified render treats one entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VerifyPolicy {
    /// Accepted: rendered.
    Keep,
    /// Not checked (the registry asked for no credentials): rendered, with a
    /// warning, since tools reach the registry with or without them.
    KeepWithWarning,
    /// Refused: stop, or leave the entry out (`--on-rejected`).
    Refused,
    /// No verdict: always stop.
    Stop,
}

/// The verdict and the registry's own words for it. `detail` never holds the
/// credential or a token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The verdict.
    pub status: Status,
    /// Why, in the registry's words where it gave any.
    pub detail: String,
}

/// What the driver does next.
#[derive(Debug)]
pub enum Action {
    /// Send this request, then call `handle_response` or `handle_transport_error`.
    Send(Request),
    /// The handshake is over.
    Done(Outcome),
}

/// Which request is outstanding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// `GET /v2/` without credentials.
    Ping,
    /// The pull request without credentials, after a 200 ping.
    Probe,
    /// POST to the token realm with the refresh token.
    TokenPost,
    /// GET from the token realm.
    TokenGet,
    /// `GET /v2/` with credentials (no repository named).
    Root,
    /// `GET /v2/NAME/tags/list` with credentials.
    Pull,
    /// `GET /v2/NAME/blobs/uploads/…` with credentials.
    Push,
}

/// How requests to the registry are authorised.
enum Authorization {
    None,
    Header(Secret),
}

/// One check of one registry, or one repository on it.
///
/// It holds the address and credential either borrowed (`&RegistryAddress`,
/// `&Credential`: the CLI checks many entries of one config at once) or owned
/// (the wasm build hands a handshake to JavaScript).
pub struct Handshake<A = RegistryAddress, C = Credential> {
    registry: A,
    credential: Option<C>,
    push: bool,
    plain_http: bool,
    /// True once the credentials were refused and the repository is being
    /// tried without them.
    anonymous: bool,
    challenge: Option<Challenge>,
    authorization: Authorization,
    /// Why the credentials were refused, kept for the final detail.
    rejection: Option<String>,
    /// Why HTTPS failed, when plain HTTP was tried instead: an error over
    /// HTTP is then reported with it (the certificate is the likelier fault).
    https_failure: Option<(TransportErrorKind, String)>,
    /// True once the registry answered 401 without credentials: only then
    /// does a later success say anything about them.
    asked: bool,
    /// The host a credentialed request was redirected to, where the driver
    /// (like every client) did not send the credentials.
    withheld_at: Option<String>,
    next: Option<Step>,
    outstanding: Option<Step>,
    /// The URL of the outstanding request.
    outstanding_url: String,
    outcome: Option<Outcome>,
}

impl<A: Borrow<RegistryAddress>, C: Borrow<Credential>> Handshake<A, C> {
    /// Checks `credential` (or anonymous access, with `None`) against the
    /// registry of `target`, and against its repository if it names one:
    /// pull, and with `push`, push too.
    pub fn new(target: A, credential: Option<C>, push: bool) -> Self {
        let address = target.borrow();
        Self {
            push: push && address.repository().is_some(),
            plain_http: address.plain_http(),
            anonymous: credential.is_none(),
            registry: target,
            credential,
            challenge: None,
            authorization: Authorization::None,
            rejection: None,
            https_failure: None,
            asked: false,
            withheld_at: None,
            next: Some(Step::Ping),
            outstanding: None,
            outstanding_url: String::new(),
            outcome: None,
        }
    }

    fn registry(&self) -> &RegistryAddress {
        self.registry.borrow()
    }

    fn credential(&self) -> Option<&Credential> {
        self.credential.as_ref().map(Borrow::borrow)
    }

    /// The next thing to do; `None` after `Done` was returned, or while a
    /// request is outstanding.
    #[must_use]
    pub fn poll_action(&mut self) -> Option<Action> {
        if let Some(outcome) = self.outcome.take() {
            self.next = None;
            return Some(Action::Done(outcome));
        }
        let step = self.next.take()?;
        match self.request(step) {
            Ok(request) => {
                self.outstanding = Some(step);
                self.outstanding_url.clone_from(&request.url);
                Some(Action::Send(request))
            }
            Err(detail) => Some(Action::Done(Outcome {
                status: Status::Error,
                detail: self.scrub(detail),
            })),
        }
    }

    /// Takes the response to the outstanding request.
    pub fn handle_response(&mut self, response: Response) {
        let Some(step) = self.outstanding.take() else {
            return;
        };
        if let Some(other) = self.withheld_by_redirect(step, &response) {
            self.withheld_at = Some(other);
        }
        if matches!(step, Step::Ping | Step::Probe) && response.status == 401 {
            self.asked = true;
        }
        match (step, response.status) {
            (Step::Ping, 200..=299) if self.registry().repository().is_some() => {
                self.next = Some(Step::Probe)
            }
            (Step::Ping, 200..=299) => self.authenticate(),
            (Step::Ping | Step::Probe, 401) => {
                match parse_challenges(response.www_authenticate.iter().map(String::as_str)) {
                    Ok(challenges) => {
                        self.challenge = pick(challenges);
                        self.authenticate();
                    }
                    Err(err) => self.finish(Status::Error, err.to_string()),
                }
            }
            // Readable without credentials: now see whether ours are accepted.
            (Step::Probe, 200..=299 | 404) => self.authenticate(),
            (Step::TokenPost, 404 | 405) => self.next = Some(Step::TokenGet),
            (Step::TokenPost | Step::TokenGet, 200..=299) => match reply::token(&response.body) {
                Some(token) => {
                    self.authorization = Authorization::Header(bearer(token.expose()));
                    self.next = self.resource_step();
                    match (self.next, &self.withheld_at) {
                        (Some(_), _) => {}
                        (None, Some(_)) => self.accepted(),
                        (None, None) => self.finish(Status::Valid, "token granted".to_owned()),
                    }
                }
                None => self.finish(
                    Status::Error,
                    "the token response holds no token".to_owned(),
                ),
            },
            (Step::Root | Step::Pull, 200..=299 | 404) if self.push && step == Step::Pull => {
                self.next = Some(Step::Push)
            }
            (Step::Root | Step::Pull | Step::Push, 200..=299 | 404) => self.accepted(),
            // An authorised request for an upload that does not exist: push is allowed.
            (Step::Push, 400 | 405) => self.accepted(),
            (
                Step::TokenPost | Step::TokenGet | Step::Root | Step::Pull | Step::Push,
                401 | 403,
            ) => self.refused(reply::message(response.status, &response.body)),
            (_, status) => {
                let detail = reply::message(status, &response.body);
                self.finish(
                    Status::Error,
                    format!("unexpected reply to {}: {detail}", step_name(step)),
                );
            }
        }
    }

    /// Takes a failure to get any response. On a loopback registry, an HTTPS
    /// failure is retried over plain HTTP, as Docker does.
    pub fn handle_transport_error(&mut self, kind: TransportErrorKind, message: &str) {
        let Some(step) = self.outstanding.take() else {
            return;
        };
        let to_registry = !matches!(step, Step::TokenPost | Step::TokenGet);
        if to_registry
            && !self.plain_http
            && self.is_loopback()
            && kind != TransportErrorKind::Timeout
        {
            self.plain_http = true;
            self.https_failure = Some((kind, message.to_owned()));
            self.next = Some(step);
            return;
        }
        self.finish(Status::Error, format!("{}: {message}", step_name(step)));
    }

    /// After the challenge is known (or none came): how to get authorised.
    fn authenticate(&mut self) {
        let bearer_challenge = self
            .challenge
            .as_ref()
            .is_some_and(|c| c.scheme() == "bearer");
        let credential = if self.anonymous {
            None
        } else {
            self.credential()
        };
        let header = match (credential, bearer_challenge) {
            (Some(Credential::RegistryToken { token }), _) => Some(bearer(token.expose())),
            (Some(Credential::IdentityToken { .. }), true) => {
                self.next = Some(Step::TokenPost);
                return;
            }
            (_, true) => {
                self.next = Some(Step::TokenGet);
                return;
            }
            (Some(credential), false) => Some(basic(credential)),
            (None, false) => None,
        };
        match header {
            Some(header) => {
                self.authorization = Authorization::Header(header);
                self.next = Some(self.resource_step().unwrap_or(Step::Root));
            }
            // Nothing to send: what the ping or probe said is the answer.
            None if self.challenge.is_some() => {
                self.refused("the registry asks for credentials".to_owned())
            }
            None => {
                self.authorization = Authorization::None;
                self.accepted();
            }
        }
    }

    /// The first request that proves access to the repository, if one is named.
    fn resource_step(&self) -> Option<Step> {
        self.registry().repository().map(|_| Step::Pull)
    }

    fn accepted(&mut self) {
        match (&self.rejection, self.anonymous && self.credential.is_some()) {
            (Some(rejection), true) => {
                let detail = format!("credentials refused ({rejection}), but the repository can be pulled anonymously");
                self.finish(Status::Anonymous, detail);
            }
            _ if self.credential.is_none() => {
                self.finish(Status::Valid, "readable without credentials".to_owned())
            }
            _ => match (&self.withheld_at, self.asked) {
                (Some(host), _) => {
                    let detail = format!(
                        "redirected to {host}, where credentials are not sent: they were not checked"
                    );
                    self.finish(Status::Unverified, detail);
                }
                (None, false) => {
                    let detail = match self.registry().repository() {
                        Some(_) => "the registry asks for no credentials (the repository answers without them): they were not checked",
                        None => "the registry asks for no credentials (GET /v2/ answers without them): they were not checked; --repository checks one repository",
                    };
                    self.finish(Status::Unverified, detail.to_owned());
                }
                (None, true) => self.finish(Status::Valid, "credentials accepted".to_owned()),
            },
        }
    }

    /// The other host a response came from, when the request carried
    /// credentials and a redirect took it off the host it was sent to: the
    /// driver then sends no credentials (reqwest and `fetch` drop the
    /// `Authorization` header on a redirect to another origin).
    fn withheld_by_redirect(&self, step: Step, response: &Response) -> Option<String> {
        let credentialed = match step {
            Step::TokenPost => true,
            Step::TokenGet => !self.anonymous && self.credential.is_some(),
            Step::Root | Step::Pull | Step::Push => {
                matches!(self.authorization, Authorization::Header(_))
            }
            Step::Ping | Step::Probe => false,
        };
        let final_url = response.url.as_deref()?;
        (credentialed && origin(final_url) != origin(&self.outstanding_url))
            .then(|| host_of(final_url).to_owned())
    }

    /// Credentials refused: a named repository is then tried without them,
    /// for pull only.
    fn refused(&mut self, detail: String) {
        if let Some(host) = self.withheld_at.clone() {
            let detail = format!(
                "redirected to {host}, where credentials are not sent, which answered {detail}: they were not checked"
            );
            return self.finish(Status::Unverified, detail);
        }
        let retry_anonymously = !self.anonymous && self.registry().repository().is_some();
        if retry_anonymously {
            self.rejection = Some(detail);
            self.anonymous = true;
            self.push = false;
            self.authenticate();
        } else {
            let detail = self.rejection.take().unwrap_or(detail);
            self.finish(Status::Rejected, detail);
        }
    }

    fn finish(&mut self, status: Status, mut detail: String) {
        if let (Status::Error, Some((kind, https))) = (status, &self.https_failure) {
            detail = match kind {
                // The port speaks plain HTTP: what it said there is the answer.
                TransportErrorKind::NotTls => {
                    format!("{detail} (over plain HTTP, after HTTPS failed: {https})")
                }
                // A certificate or handshake fault is the likelier story;
                // the plain-HTTP attempt only says the port is not HTTP.
                _ => format!(
                    "HTTPS failed: {https} (plain HTTP, tried next as Docker does for a loopback registry: {detail})"
                ),
            };
        }
        let detail = self.scrub(detail);
        self.outcome = Some(Outcome { status, detail });
        self.next = None;
    }

    /// A registry could echo a header back in an error body: never repeat a
    /// secret. The user's secret is hidden in every form and piece (see
    /// [`crate::redact`]; a password of four letters may then blot out part
    /// of a word); a token the registry issued only whole, and only when it
    /// is long enough to be one, so that an anonymous token such as `anon`
    /// leaves "anonymously" alone.
    fn scrub(&self, detail: String) -> String {
        let mut redactor = Redactor::default();
        let user = match self.credential() {
            Some(Credential::Basic { username, .. }) => username.as_str(),
            _ => "<token>",
        };
        if let Some(credential) = self.credential() {
            let secret = credential.secret().expose();
            redactor.add(Some(user), secret, USER_SECRET_MIN, Pieces::Hidden);
        }
        // A Basic header's value is already one of the forms above; a
        // bearer token the registry issued is hidden on its own, whole.
        if let Authorization::Header(header) = &self.authorization {
            if let Some((_, token)) = header.expose().split_once(' ') {
                redactor.add(None, token, ISSUED_TOKEN_MIN, Pieces::Shown);
            }
        }
        redactor.scrub(&detail)
    }

    fn request(&self, step: Step) -> Result<Request, String> {
        let base = format!(
            "{}://{}",
            if self.plain_http { "http" } else { "https" },
            self.api_host()
        );
        let repository = self.registry().repository().unwrap_or_default();
        let registry_get = |path: String, authorization: Option<Secret>| Request {
            method: Method::Get,
            url: format!("{base}{path}"),
            authorization,
            form: None,
        };
        let authorization = || match &self.authorization {
            Authorization::Header(header) => Some(Secret::new(header.expose().to_owned())),
            Authorization::None => None,
        };
        Ok(match step {
            Step::Ping => registry_get("/v2/".to_owned(), None),
            Step::Probe => registry_get(format!("/v2/{repository}/tags/list"), None),
            Step::Root => registry_get("/v2/".to_owned(), authorization()),
            Step::Pull => registry_get(format!("/v2/{repository}/tags/list"), authorization()),
            Step::Push => registry_get(
                format!("/v2/{repository}/blobs/uploads/{PUSH_PROBE_UPLOAD}"),
                authorization(),
            ),
            Step::TokenGet => self.token_get()?,
            Step::TokenPost => self.token_post()?,
        })
    }

    fn token_get(&self) -> Result<Request, String> {
        let (realm, service) = self.realm()?;
        let mut url = realm.to_owned();
        let mut separator = if url.contains('?') { '&' } else { '?' };
        for (name, value) in [("service", service), ("scope", self.scope().as_deref())] {
            if let Some(value) = value.filter(|v| !v.is_empty()) {
                url.push(separator);
                url.push_str(name);
                url.push('=');
                percent_encode(value, &mut url);
                separator = '&';
            }
        }
        let credential = if self.anonymous {
            None
        } else {
            self.credential()
        };
        Ok(Request {
            method: Method::Get,
            url,
            authorization: credential.map(basic),
            form: None,
        })
    }

    fn token_post(&self) -> Result<Request, String> {
        let (realm, service) = self.realm()?;
        let Some(Credential::IdentityToken { token }) = self.credential() else {
            return Err("internal: a POST token request needs an identity token".to_owned());
        };
        let mut form = Zeroizing::new(String::with_capacity(token.len() * 3 + 256));
        form.push_str("grant_type=refresh_token&client_id=");
        form.push_str(CLIENT_ID);
        form.push_str("&refresh_token=");
        percent_encode(token.expose(), &mut form);
        for (name, value) in [("service", service), ("scope", self.scope().as_deref())] {
            if let Some(value) = value.filter(|v| !v.is_empty()) {
                form.push('&');
                form.push_str(name);
                form.push('=');
                percent_encode(value, &mut form);
            }
        }
        Ok(Request {
            method: Method::Post,
            url: realm.to_owned(),
            authorization: None,
            form: Some(Secret::new(std::mem::take(&mut *form))),
        })
    }

    fn realm(&self) -> Result<(&str, Option<&str>), String> {
        let challenge = self.challenge.as_ref().ok_or("internal: no challenge")?;
        let realm = challenge.param("realm").unwrap_or_default();
        if !(realm.starts_with("https://") || realm.starts_with("http://")) {
            return Err(format!(
                "the registry's token realm {} is not an http(s) URL",
                Quoted(realm)
            ));
        }
        Ok((realm, challenge.param("service")))
    }

    /// `repository:NAME:pull` or `repository:NAME:pull,push`; none for a
    /// registry-wide check.
    fn scope(&self) -> Option<String> {
        let repository = self.registry().repository()?;
        let actions = if self.push { "pull,push" } else { "pull" };
        Some(format!("repository:{repository}:{actions}"))
    }

    fn api_host(&self) -> &str {
        if self.registry().is_docker_hub() {
            DOCKER_HUB_API
        } else {
            self.registry().host()
        }
    }

    fn is_loopback(&self) -> bool {
        let host = self.registry().host();
        let name = match host.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or_default(),
            None => host.split(':').next().unwrap_or_default(),
        };
        name == "localhost"
            || name == "::1"
            || name
                .parse::<std::net::Ipv4Addr>()
                .is_ok_and(|ip| ip.is_loopback())
    }
}

/// Bearer over Basic when both are offered: it carries per-repository scopes.
fn pick(challenges: Vec<Challenge>) -> Option<Challenge> {
    let mut basic = None;
    for challenge in challenges {
        match challenge.scheme() {
            "bearer" if challenge.param("realm").is_some() => return Some(challenge),
            "basic" => basic = basic.or(Some(challenge)),
            _ => {}
        }
    }
    basic
}

fn step_name(step: Step) -> &'static str {
    match step {
        Step::Ping | Step::Root => "GET /v2/",
        Step::Probe | Step::Pull => "GET tags/list",
        Step::Push => "GET blobs/uploads",
        Step::TokenPost => "POST token",
        Step::TokenGet => "GET token",
    }
}

/// `Basic base64(user:secret)`; identity tokens go as `<token>:TOKEN`, the
/// form Docker's credential helpers store them in.
fn basic(credential: &Credential) -> Secret {
    let (username, secret) = match credential {
        Credential::Basic { username, password } => (username.as_str(), password.expose()),
        Credential::IdentityToken { token } | Credential::RegistryToken { token } => {
            ("<token>", token.expose())
        }
    };
    // Sized once: growing would leave a copy of the credentials behind.
    let plain_len = username.len() + 1 + secret.len();
    let mut header = String::with_capacity(6 + plain_len.div_ceil(3) * 4);
    header.push_str("Basic ");
    crate::basic_auth::push_base64_pair(&mut header, username, secret);
    Secret::new(header)
}

fn bearer(token: &str) -> Secret {
    let mut header = String::with_capacity(7 + token.len());
    header.push_str("Bearer ");
    header.push_str(token);
    Secret::new(header)
}

/// `scheme://host[:port]` of a URL.
fn origin(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let end = url[after_scheme..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| after_scheme + i);
    &url[..end]
}

/// `host[:port]` of a URL.
fn host_of(url: &str) -> &str {
    let origin = origin(url);
    origin.split_once("://").map_or(origin, |(_, host)| host)
}
