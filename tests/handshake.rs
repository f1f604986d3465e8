//! The handshake driven by scripted registry replies: no network.

use registry_config::auth::{
    Action, Handshake, Method, Outcome, Response, Status, TransportErrorKind,
};
use registry_config::{Credential, RegistryAddress, Secret};

/// What a scripted server answers: a status, challenges and a body.
fn reply(status: u16, challenges: &[&str], body: &str) -> Result<Response, TransportErrorKind> {
    Ok(Response {
        status,
        www_authenticate: challenges.iter().map(|c| c.to_string()).collect(),
        body: body.as_bytes().to_vec(),
        url: None,
    })
}

const BEARER: &str = r#"Bearer realm="https://auth.example/token",service="registry.example""#;
const TOKEN: &str = r#"{"token":"tok-123","expires_in":300}"#;
const DENIED: &str = r#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#;

/// Runs the handshake against `script`, returning the outcome and each
/// request as "METHOD URL [auth-scheme]".
fn drive(
    target: &str,
    credential: Option<&Credential>,
    push: bool,
    script: Vec<Result<Response, TransportErrorKind>>,
) -> (Outcome, Vec<String>) {
    let address = RegistryAddress::parse(target).unwrap();
    let mut handshake = Handshake::new(&address, credential, push);
    let mut script = script.into_iter();
    let mut sent = Vec::new();
    loop {
        match handshake.poll_action().expect("an action") {
            Action::Done(outcome) => {
                assert!(script.next().is_none(), "unused replies; sent {sent:#?}");
                return (outcome, sent);
            }
            Action::Send(request) => {
                let scheme = request
                    .authorization
                    .as_ref()
                    .map_or("-", |a| a.expose().split(' ').next().unwrap());
                let scheme = scheme.to_owned();
                let method = if request.method == Method::Post {
                    "POST"
                } else {
                    "GET"
                };
                sent.push(format!("{method} {} {scheme}", request.url));
                match script
                    .next()
                    .unwrap_or_else(|| panic!("no reply scripted for {sent:#?}"))
                {
                    Ok(response) => handshake.handle_response(response),
                    Err(kind) => handshake.handle_transport_error(kind, "connection refused"),
                }
            }
        }
    }
}

fn alice() -> Credential {
    Credential::basic("alice", Secret::new("s3cret".into()))
}

#[test]
fn bearer_registry_check_takes_two_requests() {
    let (outcome, sent) = drive(
        "registry.example",
        Some(&alice()),
        false,
        vec![reply(401, &[BEARER], ""), reply(200, &[], TOKEN)],
    );
    assert_eq!(outcome.status, Status::Valid);
    assert_eq!(
        sent,
        [
            "GET https://registry.example/v2/ -",
            "GET https://auth.example/token?service=registry.example Basic"
        ]
    );
}

#[test]
fn rejected_token_request_is_rejected_with_the_registry_s_words() {
    let (outcome, _) = drive(
        "registry.example",
        Some(&alice()),
        false,
        vec![reply(401, &[BEARER], ""), reply(401, &[], DENIED)],
    );
    assert_eq!(
        outcome,
        Outcome {
            status: Status::Rejected,
            detail: "HTTP 401: unauthorized: authentication required".into()
        }
    );
}

#[test]
fn repository_pull_and_push_are_checked_with_the_token() {
    let (outcome, sent) = drive(
        "registry.example/team/app",
        Some(&alice()),
        true,
        vec![
            reply(401, &[BEARER], ""),
            reply(200, &[], TOKEN),
            reply(404, &[], ""),
            reply(404, &[], ""),
        ],
    );
    assert_eq!(outcome.status, Status::Valid);
    assert_eq!(
        sent,
        [
            "GET https://registry.example/v2/ -",
            "GET https://auth.example/token?service=registry.example&scope=repository%3Ateam%2Fapp%3Apull%2Cpush Basic",
            "GET https://registry.example/v2/team/app/tags/list Bearer",
            "GET https://registry.example/v2/team/app/blobs/uploads/registry-config-check Bearer",
        ]
    );
}

#[test]
fn refused_credentials_on_a_public_repository_are_anonymous() {
    let (outcome, sent) = drive(
        "registry.example/public/app",
        Some(&alice()),
        false,
        vec![
            reply(401, &[BEARER], ""),
            reply(403, &[], r#"{"details":"token expired"}"#),
            reply(200, &[], TOKEN),
            reply(200, &[], "{}"),
        ],
    );
    assert_eq!(outcome.status, Status::Anonymous);
    assert!(
        outcome.detail.contains("token expired"),
        "{}",
        outcome.detail
    );
    assert_eq!(sent[2], "GET https://auth.example/token?service=registry.example&scope=repository%3Apublic%2Fapp%3Apull -");
}

#[test]
fn refused_credentials_on_a_private_repository_are_rejected() {
    let (outcome, _) = drive(
        "registry.example/private/app",
        Some(&alice()),
        false,
        vec![
            reply(401, &[BEARER], ""),
            reply(200, &[], TOKEN),
            reply(401, &[BEARER], DENIED),
            reply(200, &[], TOKEN),
            reply(401, &[BEARER], DENIED),
        ],
    );
    assert_eq!(outcome.status, Status::Rejected);
}

#[test]
fn a_401_on_the_repository_after_a_200_ping_is_answered_with_credentials() {
    // containers/image#2754: the clients give up here.
    let (outcome, sent) = drive(
        "registry.example/app",
        Some(&alice()),
        false,
        vec![
            reply(200, &[], "{}"),
            reply(401, &[r#"Basic realm="r""#], DENIED),
            reply(200, &[], "{}"),
        ],
    );
    assert_eq!(outcome.status, Status::Valid);
    assert_eq!(sent[1], "GET https://registry.example/v2/app/tags/list -");
    assert_eq!(
        sent[2],
        "GET https://registry.example/v2/app/tags/list Basic"
    );
}

#[test]
fn identity_token_posts_and_falls_back_to_get_on_405() {
    let credential = Credential::identity_token(Secret::new("refresh/1+2".into()));
    let (outcome, sent) = drive(
        "registry.example",
        Some(&credential),
        false,
        vec![
            reply(401, &[BEARER], ""),
            reply(405, &[], ""),
            reply(200, &[], r#"{"access_token":"a"}"#),
        ],
    );
    assert_eq!(outcome.status, Status::Valid);
    assert_eq!(sent[1], "POST https://auth.example/token -");
    assert!(
        sent[2].starts_with("GET https://auth.example/token?service=")
            && sent[2].ends_with("Basic")
    );
}

#[test]
fn identity_token_form_is_url_encoded() {
    let credential = Credential::identity_token(Secret::new("refresh/1+2".into()));
    let address = RegistryAddress::parse("registry.example/a").unwrap();
    let mut handshake = Handshake::new(&address, Some(&credential), false);
    let _ping = handshake.poll_action();
    handshake.handle_response(reply(401, &[BEARER], "").unwrap());
    let Some(Action::Send(post)) = handshake.poll_action() else {
        panic!()
    };
    let form = post.form.as_ref().unwrap().expose().to_owned();
    assert_eq!(
        form,
        "grant_type=refresh_token&client_id=registry-config&refresh_token=refresh%2F1%2B2&service=registry.example&scope=repository%3Aa%3Apull"
    );
    assert!(
        !format!("{post:?}").contains("refresh%2F1"),
        "Debug redacts the form"
    );
}

#[test]
fn registry_token_is_sent_as_the_bearer() {
    let credential = Credential::registry_token(Secret::new("bearer-tok".into()));
    let (outcome, sent) = drive(
        "registry.example",
        Some(&credential),
        false,
        vec![reply(401, &[BEARER], ""), reply(200, &[], "{}")],
    );
    assert_eq!(outcome.status, Status::Valid);
    assert_eq!(sent[1], "GET https://registry.example/v2/ Bearer");
}

#[test]
fn loopback_falls_back_to_plain_http_and_others_do_not() {
    let (outcome, sent) = drive(
        "127.0.0.1:5000",
        Some(&alice()),
        false,
        vec![
            Err(TransportErrorKind::Tls),
            reply(401, &[r#"Basic realm="r""#], ""),
            reply(200, &[], "{}"),
        ],
    );
    assert_eq!(outcome.status, Status::Valid);
    assert_eq!(sent[0], "GET https://127.0.0.1:5000/v2/ -");
    assert_eq!(sent[1], "GET http://127.0.0.1:5000/v2/ -");
    let (outcome, _) = drive(
        "registry.example",
        Some(&alice()),
        false,
        vec![Err(TransportErrorKind::Connect)],
    );
    assert_eq!(outcome.status, Status::Error);
    assert_eq!(outcome.detail, "GET /v2/: connection refused");
    let (_, sent) = drive(
        "http://registry.example",
        None,
        false,
        vec![reply(200, &[], "{}")],
    );
    assert_eq!(sent[0], "GET http://registry.example/v2/ -");
}

#[test]
fn docker_hub_is_reached_at_its_api_host() {
    let (_, sent) = drive("docker.io", None, false, vec![reply(200, &[], "{}")]);
    assert_eq!(sent[0], "GET https://registry-1.docker.io/v2/ -");
}

#[test]
fn malformed_replies_are_errors_not_panics() {
    let (outcome, _) = drive(
        "registry.example",
        Some(&alice()),
        false,
        vec![reply(401, &["Bearer realm="], "")],
    );
    assert_eq!(outcome.status, Status::Error);
    assert!(
        outcome.detail.starts_with("malformed WWW-Authenticate"),
        "{}",
        outcome.detail
    );
    let (outcome, _) = drive(
        "registry.example",
        Some(&alice()),
        false,
        vec![reply(401, &[BEARER], ""), reply(200, &[], "<html>")],
    );
    assert_eq!(outcome.detail, "the token response holds no token");
    let (outcome, _) = drive(
        "registry.example",
        Some(&alice()),
        false,
        vec![reply(401, &[r#"Bearer realm="ftp://x""#], "")],
    );
    assert_eq!(outcome.status, Status::Error);
    let (outcome, _) = drive(
        "registry.example",
        Some(&alice()),
        false,
        vec![reply(500, &[], "oops")],
    );
    assert_eq!(
        outcome.detail,
        "unexpected reply to GET /v2/: HTTP 500: oops"
    );
}

#[test]
fn an_echoed_secret_never_reaches_the_detail() {
    let (outcome, _) = drive(
        "registry.example",
        Some(&alice()),
        false,
        vec![
            reply(401, &[r#"Basic realm="r""#], ""),
            reply(401, &[], "bad password s3cret for alice"),
        ],
    );
    assert_eq!(
        outcome.detail,
        "HTTP 401: bad password [redacted] for alice"
    );
}

#[test]
fn a_secret_echoed_in_a_bad_realm_never_reaches_the_detail() {
    // Found by the handshake fuzz target: errors built before any reply is
    // read are scrubbed too.
    let (outcome, _) = drive(
        "registry.example",
        Some(&alice()),
        false,
        vec![reply(401, &[r#"Bearer realm="x-s3cret""#], "")],
    );
    assert_eq!(outcome.status, Status::Error);
    assert!(!outcome.detail.contains("s3cret"), "{}", outcome.detail);
}

#[test]
fn a_short_anonymous_token_does_not_garble_the_detail() {
    let (outcome, _) = drive(
        "registry.example/public/app",
        Some(&alice()),
        false,
        vec![
            reply(401, &[BEARER], ""),
            reply(403, &[], r#"{"details":"expired"}"#),
            reply(200, &[], r#"{"token":"anon"}"#),
            reply(200, &[], "{}"),
        ],
    );
    assert_eq!(outcome.status, Status::Anonymous);
    assert!(
        outcome.detail.ends_with("can be pulled anonymously"),
        "{}",
        outcome.detail
    );
}

#[test]
fn an_error_over_plain_http_after_https_failed_says_both() {
    let (outcome, sent) = drive(
        "127.0.0.1:5000",
        Some(&alice()),
        false,
        vec![
            Err(TransportErrorKind::NotTls),
            reply(400, &[], "Client sent an HTTP request to an HTTPS server."),
        ],
    );
    assert_eq!(sent.len(), 2);
    assert_eq!(outcome.status, Status::Error);
    assert!(
        outcome
            .detail
            .ends_with("(over plain HTTP, after HTTPS failed: connection refused)"),
        "{}",
        outcome.detail
    );
}

#[test]
fn a_certificate_failure_is_reported_before_the_plain_http_attempt() {
    let (outcome, _) = drive(
        "127.0.0.1:5000",
        Some(&alice()),
        false,
        vec![
            Err(TransportErrorKind::Tls),
            reply(400, &[], "Client sent an HTTP request to an HTTPS server."),
        ],
    );
    assert_eq!(outcome.status, Status::Error);
    assert!(
        outcome
            .detail
            .starts_with("HTTPS failed: connection refused (plain HTTP, tried next"),
        "{}",
        outcome.detail
    );
}

/// A response that came from `url` after the driver followed redirects.
fn redirected(status: u16, url: &str) -> Result<Response, TransportErrorKind> {
    Ok(Response {
        status,
        url: Some(url.to_owned()),
        ..Default::default()
    })
}

#[test]
fn credentials_no_one_asked_for_are_unverified_not_valid() {
    // A registry without auth: /v2/ answers 200 whatever is sent.
    let (outcome, _) = drive(
        "registry.example",
        Some(&alice()),
        false,
        vec![reply(200, &[], "{}"), reply(200, &[], "{}")],
    );
    assert_eq!(outcome.status, Status::Unverified);
    assert!(
        outcome.detail.contains("asks for no credentials"),
        "{}",
        outcome.detail
    );
    // Anonymous pull on the repository too.
    let (outcome, _) = drive(
        "registry.example/app",
        Some(&alice()),
        true,
        vec![
            reply(200, &[], "{}"),
            reply(200, &[], "{}"),
            reply(200, &[], "{}"),
            reply(404, &[], ""),
        ],
    );
    assert_eq!(outcome.status, Status::Unverified);
    assert_eq!(Status::Unverified.as_str(), "unverified");
}

#[test]
fn a_redirect_to_another_host_is_unverified() {
    let (outcome, _) = drive(
        "registry.example",
        Some(&alice()),
        false,
        vec![
            reply(401, &[r#"Basic realm="r""#], ""),
            redirected(200, "https://cdn.example:8443/v2/"),
        ],
    );
    assert_eq!(outcome.status, Status::Unverified);
    assert!(
        outcome.detail.contains("redirected to cdn.example:8443"),
        "{}",
        outcome.detail
    );
    // The same host, another path: the credentials went along.
    let (outcome, _) = drive(
        "registry.example",
        Some(&alice()),
        false,
        vec![
            reply(401, &[r#"Basic realm="r""#], ""),
            redirected(200, "https://registry.example/v2/other"),
        ],
    );
    assert_eq!(outcome.status, Status::Valid);
    // The token request redirected: the token was granted without them.
    let (outcome, _) = drive(
        "registry.example",
        Some(&alice()),
        false,
        vec![
            reply(401, &[BEARER], ""),
            Ok(Response {
                status: 200,
                body: TOKEN.as_bytes().to_vec(),
                url: Some("https://other.example/token".into()),
                ..Default::default()
            }),
        ],
    );
    assert_eq!(outcome.status, Status::Unverified);
}

#[test]
fn every_form_of_an_echoed_secret_is_hidden() {
    use base64::Engine;
    let long = "Zq9-canary-Hunter2/+x";
    let credential = Credential::basic("alice", Secret::new(long.into()));
    let b64 = base64::engine::general_purpose::STANDARD;
    for echoed in [
        long.to_owned(),
        long.to_uppercase(),
        long.to_lowercase(),
        b64.encode(long),
        b64.encode(format!("alice:{long}")),
        "Zq9-canary-Hunter2%2F%2Bx".to_owned(),
        long[2..12].to_owned(),
    ] {
        let (outcome, _) = drive(
            "registry.example",
            Some(&credential),
            false,
            vec![
                reply(401, &[r#"Basic realm="r""#], ""),
                reply(401, &[], &format!("bad: {echoed} end")),
            ],
        );
        assert_eq!(outcome.detail, "HTTP 401: bad: [redacted] end", "{echoed}");
    }
}
