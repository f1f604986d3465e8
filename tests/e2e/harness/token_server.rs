//! A Docker token server (distribution's token auth, docs/spec/auth/token.md and
//! oauth.md) for the tests, on threads of the test process at 127.0.0.1:PORT.
//!
//! - `GET /token?service=S&scope=repository:NAME:ACTIONS` (`scope` may repeat or
//!   be absent, and may hold several space-separated scopes), with an optional
//!   `Authorization: Basic`. Bad credentials: 401 with a JSON `errors` body.
//!   Otherwise 200 `{"token", "access_token", "expires_in", "issued_at"}` (and a
//!   `refresh_token` with `offline_token=true`), even when nothing is granted.
//! - `POST /token` (OAuth2 form): `grant_type=password` with `username`/`password`,
//!   or `grant_type=refresh_token` with `refresh_token`. [`PostMode`] can make it
//!   answer 405 (as ghcr.io does) or 404 (distribution's "not supported") instead.
//!
//! The token is an RS256 JWT with `x5c: [DER of the certificate]` in its header
//! and the claims iss, aud (= service), sub, exp, nbf, iat, jti and `access`,
//! which holds only the granted actions (a scope with none granted is left out).
//!
//! Policy ([`ALICE`], [`BOB`], [`CAROL`], passwords made per server):
//! alice everything; bob pull/push on `bob/*`; anonymous pull on `public/*`;
//! carol (valid credentials) nothing. [`TokenServer::refresh_token`] stands for
//! alice, by POST and also as a Basic password with any username on GET (as
//! Azure's token server accepts a refresh token; no distribution client sends
//! the refresh token that way by itself).
//!
//! The RSA key and self-signed certificate are made by the `openssl` CLI in a
//! temporary directory per server; signatures are made with `ring`.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use ring::rand::SystemRandom;
use ring::signature::{RsaKeyPair, RSA_PKCS1_SHA256};
use serde_json::{json, Value};
use tempfile::TempDir;

use super::registry::random_secret;
use super::wire::{self, Incoming, Server};

/// Everything on every repository.
pub const ALICE: &str = "alice";
/// pull and push on `bob/*`.
pub const BOB: &str = "bob";
/// Valid credentials, nothing granted.
pub const CAROL: &str = "carol";
/// The `service` the registry is configured with (the token's audience).
pub const SERVICE: &str = "test-registry";
/// The token's `iss`.
pub const ISSUER: &str = "test-issuer";
/// The message of a 401 for bad credentials (a client may show it).
pub const BAD_CREDENTIALS: &str = "invalid username or password";

/// How `POST /token` answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PostMode {
    /// The OAuth2 flow works.
    Ok = 0,
    /// 405 Method Not Allowed, as ghcr.io answers.
    MethodNotAllowed = 1,
    /// 404, distribution's way to say the OAuth2 flow is not supported.
    NotFound = 2,
}

struct State {
    passwords: HashMap<&'static str, String>,
    refresh_token: String,
    post_mode: AtomicU8,
    counts: Mutex<BTreeMap<String, usize>>,
    basic_users: Mutex<Vec<String>>,
    key: RsaKeyPair,
    x5c: String,
    rng: SystemRandom,
}

/// A running token server; dropping it stops it. See the module docs.
pub struct TokenServer {
    state: Arc<State>,
    server: Server,
    dir: TempDir,
}

impl TokenServer {
    /// Make a key and certificate, and start serving on 127.0.0.1:free port.
    pub fn start() -> TokenServer {
        let dir = tempfile::Builder::new()
            .prefix("e2e-token-")
            .tempdir()
            .expect("tempdir");
        let (key, x5c) = make_key_and_cert(dir.path());
        let passwords = [ALICE, BOB, CAROL]
            .into_iter()
            .map(|user| (user, random_secret()))
            .collect();
        let state = Arc::new(State {
            passwords,
            refresh_token: format!("refresh-{}", random_secret()),
            post_mode: AtomicU8::new(PostMode::Ok as u8),
            counts: Mutex::new(BTreeMap::new()),
            basic_users: Mutex::new(Vec::new()),
            key,
            x5c,
            rng: SystemRandom::new(),
        });
        let serving = Arc::clone(&state);
        let server = Server::start(move |stream| serve(&serving, stream));
        TokenServer { state, server, dir }
    }

    /// "127.0.0.1:PORT".
    pub fn host(&self) -> String {
        self.server.host()
    }

    /// The realm a registry sends clients to: `http://127.0.0.1:PORT/token`.
    pub fn realm(&self) -> String {
        format!("http://{}/token", self.host())
    }

    /// The certificate (PEM) the registry's `rootcertbundle` must hold.
    pub fn cert_path(&self) -> PathBuf {
        self.dir.path().join("token.crt")
    }

    /// The password of `user` ([`ALICE`], [`BOB`] or [`CAROL`]).
    pub fn password(&self, user: &str) -> &str {
        &self.state.passwords[user]
    }

    /// A refresh token (identity token) that stands for alice.
    pub fn refresh_token(&self) -> &str {
        &self.state.refresh_token
    }

    /// Change how `POST /token` answers from now on.
    pub fn set_post_mode(&self, mode: PostMode) {
        self.state.post_mode.store(mode as u8, Ordering::SeqCst);
    }

    /// Requests so far, by "METHOD /path" (query left out), for example "GET /token".
    pub fn counts(&self) -> BTreeMap<String, usize> {
        self.state.counts.lock().expect("counts").clone()
    }

    /// The usernames of the `Authorization: Basic` headers on GET so far, in
    /// order (never the passwords): shows how a client sent a refresh token.
    pub fn basic_users(&self) -> Vec<String> {
        self.state.basic_users.lock().expect("basic users").clone()
    }

    /// Requests so far, all endpoints.
    pub fn total(&self) -> usize {
        self.counts().values().sum()
    }

    /// A token for `user:password` (None: anonymous) and `scope`, fetched over
    /// HTTP like a client does: (status, JSON body).
    pub fn fetch(&self, basic: Option<(&str, &str)>, scope: &str) -> (u16, Value) {
        let path = format!("/token?service={SERVICE}&scope={scope}");
        let response = super::http::get(&self.host(), &path, basic).expect("GET /token");
        let body = serde_json::from_str(&response.body).unwrap_or(Value::Null);
        (response.status, body)
    }
}

/// Decode a JWT's header and claims (no signature check; the registry does that).
pub fn decode_jwt(token: &str) -> (Value, Value) {
    let mut parts = token.split('.');
    let mut part = || {
        let bytes = URL_SAFE_NO_PAD
            .decode(parts.next().expect("a JWT part"))
            .expect("base64url");
        serde_json::from_slice::<Value>(&bytes).expect("JSON")
    };
    (part(), part())
}

fn make_key_and_cert(dir: &Path) -> (RsaKeyPair, String) {
    let run = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::null())
            .output()
            .expect("run openssl");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "token.key",
        "-out",
        "token.crt",
        "-days",
        "2",
        "-subj",
        "/CN=test-issuer",
    ]);
    run(&[
        "pkcs8",
        "-topk8",
        "-nocrypt",
        "-in",
        "token.key",
        "-outform",
        "DER",
        "-out",
        "token.key.der",
    ]);
    run(&[
        "x509",
        "-in",
        "token.crt",
        "-outform",
        "DER",
        "-out",
        "token.crt.der",
    ]);
    let key_der = fs::read(dir.join("token.key.der")).expect("read key");
    let key = RsaKeyPair::from_pkcs8(&key_der).expect("an RSA PKCS#8 key");
    let cert_der = fs::read(dir.join("token.crt.der")).expect("read cert");
    (key, STANDARD.encode(cert_der))
}

fn serve(state: &State, mut stream: TcpStream) {
    let Ok(Incoming::Head(head, start)) = wire::read_head(&mut stream) else {
        return;
    };
    let (path, query) = head
        .second
        .split_once('?')
        .unwrap_or((head.second.as_str(), ""));
    *state
        .counts
        .lock()
        .expect("counts")
        .entry(format!("{} {path}", head.first))
        .or_default() += 1;
    let (status, body) = match (head.first.as_str(), path) {
        ("GET", "/token") => get_token(
            state,
            &wire::form_pairs(query),
            head.header("authorization"),
        ),
        ("POST", "/token") => {
            let Ok(body) = wire::read_body(&mut stream, start, head.content_length()) else {
                return;
            };
            post_token(state, &wire::form_pairs(&String::from_utf8_lossy(&body)))
        }
        _ => (
            404,
            json!({"errors": [{"code": "NOT_FOUND", "message": "not found"}]}),
        ),
    };
    let body = body.to_string();
    let _ = wire::respond(
        &mut stream,
        status,
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    );
}

fn unauthorized() -> (u16, Value) {
    (
        401,
        json!({"errors": [{"code": "UNAUTHORIZED", "message": BAD_CREDENTIALS, "detail": null}]}),
    )
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// Every requested scope, from every `scope` parameter (space-separated in each).
fn scopes(params: &[(String, String)]) -> Vec<String> {
    params
        .iter()
        .filter(|(key, _)| key == "scope")
        .flat_map(|(_, value)| {
            value
                .split(' ')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        })
        .collect()
}

fn get_token(
    state: &State,
    params: &[(String, String)],
    authorization: Option<&str>,
) -> (u16, Value) {
    let subject = match authorization {
        None => String::new(),
        Some(header) => {
            match basic(header).and_then(|(user, password)| {
                state
                    .basic_users
                    .lock()
                    .expect("basic users")
                    .push(user.clone());
                authenticate(state, &user, &password)
            }) {
                Some(user) => user,
                None => return unauthorized(),
            }
        }
    };
    let offline = param(params, "offline_token") == Some("true") && !subject.is_empty();
    let mut body = issue(state, &subject, param(params, "service"), &scopes(params));
    body["token"] = body["access_token"].clone();
    if offline {
        body["refresh_token"] = json!(state.refresh_token);
    }
    (200, body)
}

fn post_token(state: &State, form: &[(String, String)]) -> (u16, Value) {
    match state.post_mode.load(Ordering::SeqCst) {
        1 => {
            return (
                405,
                json!({"errors": [{"code": "UNSUPPORTED", "message": "method not allowed"}]}),
            )
        }
        2 => {
            return (
                404,
                json!({"errors": [{"code": "NOT_FOUND", "message": "not found"}]}),
            )
        }
        _ => {}
    }
    let subject = match param(form, "grant_type") {
        Some("password") => {
            let user = param(form, "username").unwrap_or("");
            let password = param(form, "password").unwrap_or("");
            match state
                .passwords
                .iter()
                .find(|(name, pw)| **name == user && *pw == password)
            {
                Some((name, _)) => (*name).to_owned(),
                None => return unauthorized(),
            }
        }
        Some("refresh_token")
            if param(form, "refresh_token") == Some(state.refresh_token.as_str()) =>
        {
            ALICE.to_owned()
        }
        Some("refresh_token") => return unauthorized(),
        _ => return (400, json!({"error": "unsupported_grant_type"})),
    };
    let mut body = issue(state, &subject, param(form, "service"), &scopes(form));
    body["scope"] = json!(scopes(form).join(" "));
    if param(form, "access_type") == Some("offline")
        || param(form, "grant_type") == Some("refresh_token")
    {
        body["refresh_token"] = json!(state.refresh_token);
    }
    (200, body)
}

/// `Basic base64(user:password)`.
fn basic(header: &str) -> Option<(String, String)> {
    let (scheme, value) = header.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(value.trim()).ok()?).ok()?;
    let (user, password) = decoded.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

/// The subject for these credentials; None when they are bad.
fn authenticate(state: &State, user: &str, password: &str) -> Option<String> {
    if state.passwords.get(user).is_some_and(|pw| pw == password) {
        Some(user.to_owned())
    } else if password == state.refresh_token {
        Some(ALICE.to_owned())
    } else {
        None
    }
}

/// What `subject` ("" = anonymous) gets of `actions` on `kind:name`.
fn granted(subject: &str, kind: &str, name: &str, actions: &[&str]) -> Vec<String> {
    let allowed = |action: &str| match subject {
        ALICE => true,
        BOB => {
            kind == "repository" && name.starts_with("bob/") && matches!(action, "pull" | "push")
        }
        "" => kind == "repository" && name.starts_with("public/") && action == "pull",
        _ => false,
    };
    actions
        .iter()
        .filter(|action| !action.is_empty() && allowed(action))
        .map(|action| (*action).to_owned())
        .collect()
}

/// The token response body (`access_token`, `expires_in`, `issued_at`).
fn issue(state: &State, subject: &str, service: Option<&str>, scopes: &[String]) -> Value {
    let access: Vec<Value> = scopes
        .iter()
        .filter_map(|scope| {
            // type:name:actions; a name may hold ':' (a port in a type's class does not occur here).
            let (kind, rest) = scope.split_once(':')?;
            let (name, actions) = rest.rsplit_once(':')?;
            let actions: Vec<&str> = actions.split(',').collect();
            let granted = granted(subject, kind, name, &actions);
            (!granted.is_empty()).then(|| json!({"type": kind, "name": name, "actions": granted}))
        })
        .collect();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("time")
        .as_secs();
    let header = json!({"typ": "JWT", "alg": "RS256", "x5c": [state.x5c]});
    let claims = json!({
        "iss": ISSUER,
        "aud": service.unwrap_or(SERVICE),
        "sub": subject,
        "exp": now + 300,
        "nbf": now - 10,
        "iat": now,
        "jti": random_secret(),
        "access": access,
    });
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let mut signature = vec![0; state.key.public().modulus_len()];
    state
        .key
        .sign(
            &RSA_PKCS1_SHA256,
            &state.rng,
            signing_input.as_bytes(),
            &mut signature,
        )
        .expect("RS256 signature");
    let token = format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature));
    let issued_at = iso8601(now);
    json!({"access_token": token, "expires_in": 300, "issued_at": issued_at})
}

/// `2006-01-02T15:04:05Z` for a Unix time (civil-from-days, proleptic Gregorian).
fn iso8601(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}
