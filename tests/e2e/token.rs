//! The test servers themselves, before anything relies on them: the token
//! server speaks the token and OAuth2 protocols with the documented policy; a
//! real registry in token mode accepts its tokens (skopeo logs in, pushes and
//! pulls as alice, bob and anonymously, exactly as far as the policy allows);
//! the reverse proxy forwards faithfully, and its "/v2/ answers 200" mode stops
//! skopeo even with a correct auth file.

use serde_json::{json, Value};

use crate::harness::cli::{render_file, render_file_as, Format};
use crate::harness::proxy::{Proxy, ProxyMode};
use crate::harness::sandbox::Sandbox;
use crate::harness::token_server::{
    decode_jwt, PostMode, TokenServer, ALICE, BAD_CREDENTIALS, BOB, CAROL, ISSUER, SERVICE,
};
use crate::harness::{http, output, registry_for, skopeo, token_registry_for, tools};

const TOOLS: &[&str] = &["skopeo", "umoci"];

/// The `access` claim of a token response.
#[track_caller]
fn access(body: &Value) -> Value {
    let token = body["token"].as_str().expect("a token");
    assert_eq!(body["access_token"], body["token"]);
    decode_jwt(token).1["access"].clone()
}

/// `POST /token` with a form; (status, JSON body).
fn post(tokens: &TokenServer, form: &str) -> (u16, Value) {
    let response = http::request(
        &tokens.host(),
        "POST",
        "/token",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        form.as_bytes(),
    )
    .expect("POST /token");
    let body = serde_json::from_str(&response.body).unwrap_or(Value::Null);
    (response.status, body)
}

#[test]
fn token_server_speaks_the_protocol_with_its_policy() {
    if !tools::require("openssl") {
        return;
    }
    let tokens = TokenServer::start();
    let creds = |user: &'static str| Some((user, tokens.password(user)));

    // Anonymous: pull on public/*, nothing else; the JWT carries everything a registry checks.
    let (status, body) = tokens.fetch(None, "repository:public/x:pull,push");
    assert_eq!(status, 200, "{body}");
    assert!(
        body["expires_in"].as_u64().is_some() && body["issued_at"].is_string(),
        "{body}"
    );
    let (header, claims) = decode_jwt(body["token"].as_str().expect("token"));
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["x5c"].as_array().map(Vec::len), Some(1), "{header}");
    assert_eq!(
        (claims["iss"].as_str(), claims["aud"].as_str()),
        (Some(ISSUER), Some(SERVICE))
    );
    assert_eq!(claims["sub"], "");
    for claim in ["exp", "nbf", "iat"] {
        assert!(claims[claim].is_u64(), "{claim}: {claims}");
    }
    assert!(claims["exp"].as_u64() > claims["iat"].as_u64() && claims["jti"].is_string());
    assert_eq!(
        claims["access"],
        json!([{"type": "repository", "name": "public/x", "actions": ["pull"]}])
    );
    assert_eq!(
        access(&tokens.fetch(None, "repository:alice/app:pull").1),
        json!([])
    );

    // alice: everything, over repeated and space-separated scopes.
    let path = format!(
        "/token?service={SERVICE}&scope=repository:alice/app:pull,push&scope=repository%3Aother%2Fapp%3Apull+registry:catalog:*"
    );
    let response = http::get(&tokens.host(), &path, creds(ALICE)).expect("GET /token");
    let body: Value = serde_json::from_str(&response.body).expect("JSON");
    assert_eq!(
        access(&body),
        json!([
            {"type": "repository", "name": "alice/app", "actions": ["pull", "push"]},
            {"type": "repository", "name": "other/app", "actions": ["pull"]},
            {"type": "registry", "name": "catalog", "actions": ["*"]},
        ])
    );
    assert_eq!(
        decode_jwt(body["token"].as_str().expect("token")).1["sub"],
        ALICE
    );

    // bob: pull/push on bob/* only; carol: nothing, but still a 200 with a token.
    let bob = |scope| access(&tokens.fetch(creds(BOB), scope).1);
    assert_eq!(
        bob("repository:bob/app:pull,push,delete"),
        json!([{"type": "repository", "name": "bob/app", "actions": ["pull", "push"]}])
    );
    assert_eq!(bob("repository:alice/app:pull,push"), json!([]));
    let (status, body) = tokens.fetch(creds(CAROL), "repository:public/x:pull");
    assert_eq!((status, access(&body)), (200, json!([])));
    // No scope at all: a token with empty access.
    let (status, body) = tokens.fetch(creds(ALICE), "");
    assert_eq!((status, access(&body)), (200, json!([])));

    // Bad credentials: 401 with a JSON error.
    let (status, body) = tokens.fetch(Some((ALICE, "wrong")), "repository:alice/app:pull");
    assert_eq!(status, 401);
    assert_eq!(body["errors"][0]["message"], BAD_CREDENTIALS, "{body}");
    assert_eq!(tokens.fetch(Some(("mallory", "x")), "").0, 401);

    // The refresh token stands for alice as a Basic password too.
    let (status, body) = tokens.fetch(
        Some(("<token>", tokens.refresh_token())),
        "repository:a/b:pull",
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        decode_jwt(body["token"].as_str().expect("token")).1["sub"],
        ALICE
    );

    // OAuth2 POST: password grant (with a refresh token when offline), refresh grant.
    let form = format!(
        "grant_type=password&username=bob&password={}&service={SERVICE}&client_id=e2e&access_type=offline&scope=repository%3Abob%2Fapp%3Apull%2Cpush+repository%3Aalice%2Fapp%3Apull",
        tokens.password(BOB)
    );
    let (status, body) = post(&tokens, &form);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["refresh_token"], tokens.refresh_token());
    let claims = decode_jwt(body["access_token"].as_str().expect("access_token")).1;
    assert_eq!(
        claims["access"],
        json!([{"type": "repository", "name": "bob/app", "actions": ["pull", "push"]}])
    );
    let form = format!(
        "grant_type=refresh_token&refresh_token={}&service={SERVICE}&client_id=e2e&scope=repository%3Aalice%2Fapp%3Apush",
        tokens.refresh_token()
    );
    let (status, body) = post(&tokens, &form);
    assert_eq!(status, 200, "{body}");
    let claims = decode_jwt(body["access_token"].as_str().expect("access_token")).1;
    assert_eq!(
        (claims["sub"].as_str(), claims["aud"].as_str()),
        (Some(ALICE), Some(SERVICE))
    );
    assert_eq!(
        post(&tokens, "grant_type=refresh_token&refresh_token=nope").0,
        401
    );
    assert_eq!(
        post(&tokens, "grant_type=password&username=alice&password=nope").0,
        401
    );

    // POST switched off, as ghcr.io (405) and as distribution's "unsupported" (404).
    tokens.set_post_mode(PostMode::MethodNotAllowed);
    assert_eq!(post(&tokens, &form).0, 405);
    tokens.set_post_mode(PostMode::NotFound);
    assert_eq!(post(&tokens, &form).0, 404);

    let counts = tokens.counts();
    assert_eq!(counts.get("GET /token"), Some(&10), "{counts:?}");
    assert_eq!(counts.get("POST /token"), Some(&6), "{counts:?}");
    assert_eq!(tokens.total(), 16);
}

#[test]
fn skopeo_against_the_token_registry_follows_the_policy() {
    let Some((tokens, reg)) = token_registry_for(TOOLS) else {
        return;
    };
    let sandbox = Sandbox::new();
    let host = reg.host();
    let authfile = |name: &str| sandbox.path().join(format!("{name}.json"));

    // alice: login and push anywhere.
    let alice = authfile("alice");
    output::success(
        &skopeo::login(&sandbox, &alice, host, ALICE, tokens.password(ALICE)),
        "skopeo login as alice",
    );
    for repo in ["alice/app", "public/x"] {
        output::success(
            &skopeo::push(&sandbox, Some(&alice), host, repo),
            "skopeo copy as alice",
        );
        assert!(
            reg.tags(repo).contains("\"v1\""),
            "the registry itself lists v1 in {repo}"
        );
    }
    // A file rendered by registry-config works the same.
    let rendered = render_file(host, tokens.password(ALICE), Format::Containers);
    output::success(
        &skopeo::inspect(&sandbox, Some(rendered.path()), host, "alice/app"),
        "skopeo inspect with a rendered file",
    );

    // A wrong password: login fails, and so does a push with a rendered file.
    output::failure(
        &skopeo::login(&sandbox, &authfile("wrong"), host, ALICE, "wrong-password"),
        "skopeo login with a wrong password",
        &["unauthorized", "invalid username/password"],
    );
    let wrong = render_file(host, "wrong-password", Format::Containers);
    output::failure(
        &skopeo::push(&sandbox, Some(wrong.path()), host, "alice/other"),
        "skopeo copy with a wrong password",
        &["unauthorized", "invalid username/password"],
    );

    // Anonymous: pull on public/* only.
    output::success(
        &skopeo::inspect(&sandbox, None, host, "public/x"),
        "anonymous inspect of public/x",
    );
    output::failure(
        &skopeo::inspect(&sandbox, None, host, "alice/app"),
        "anonymous inspect of alice/app",
        &["unauthorized", "authentication required"],
    );

    // bob: push to bob/*, not to alice/*; carol logs in (valid credentials) but may not pull.
    let bob = render_file_as(BOB, host, tokens.password(BOB), Format::Containers);
    output::success(
        &skopeo::push(&sandbox, Some(bob.path()), host, "bob/app"),
        "skopeo copy as bob to bob/app",
    );
    output::failure(
        &skopeo::push(&sandbox, Some(bob.path()), host, "alice/app"),
        "skopeo copy as bob to alice/app",
        &["unauthorized", "authentication required", "denied"],
    );
    let carol = render_file_as(CAROL, host, tokens.password(CAROL), Format::Containers);
    output::failure(
        &skopeo::inspect(&sandbox, Some(carol.path()), host, "alice/app"),
        "skopeo inspect as carol",
        &["unauthorized", "authentication required", "denied"],
    );
    assert!(
        tokens.counts().get("GET /token").is_some_and(|n| *n >= 8),
        "{:?}",
        tokens.counts()
    );
}

#[test]
fn proxy_forwards_and_its_ping_mode_stops_skopeo() {
    let Some(reg) = registry_for(TOOLS) else {
        return;
    };
    let sandbox = Sandbox::new();
    let transparent = Proxy::start(reg.host(), ProxyMode::Transparent);
    let ping_ok = Proxy::start(reg.host(), ProxyMode::PingOk);

    // Transparent: skopeo pushes and reads through it (bodies streamed both ways).
    let file = render_file(&transparent.host(), reg.password(), Format::Containers);
    output::success(
        &skopeo::push(&sandbox, Some(file.path()), &transparent.host(), "app"),
        "skopeo copy through the transparent proxy",
    );
    output::success(
        &skopeo::inspect(&sandbox, Some(file.path()), &transparent.host(), "app"),
        "skopeo inspect through the transparent proxy",
    );
    assert!(reg.tags("app").contains("\"v1\""));
    let seen = transparent.requests();
    assert!(
        seen.iter().any(|r| r.starts_with("PUT /v2/app/manifests/")),
        "{seen:?}"
    );
    assert!(seen.iter().any(|r| r == "GET /v2/"), "{seen:?}");

    // Ping mode: /v2/ is 200 without credentials, the rest is still the registry's 401.
    let ping = http::get(&ping_ok.host(), "/v2/", None).expect("GET /v2/");
    assert_eq!(ping.status, 200);
    assert_eq!(
        ping.header("Docker-Distribution-API-Version"),
        Some("registry/2.0")
    );
    let manifest = http::get(&ping_ok.host(), "/v2/app/manifests/v1", None).expect("GET manifest");
    assert_eq!(manifest.status, 401, "{}", manifest.body);
    assert!(manifest
        .header("WWW-Authenticate")
        .is_some_and(|c| c.starts_with("Basic")));
    let with_creds = http::get(
        &ping_ok.host(),
        "/v2/app/tags/list",
        Some(("alice", reg.password())),
    )
    .expect("GET tags");
    assert_eq!(with_creds.status, 200, "{}", with_creds.body);

    // skopeo takes its challenge from the ping only: with a correct file it never sends
    // the credentials and fails (containers/image#2754).
    let file = render_file(&ping_ok.host(), reg.password(), Format::Containers);
    output::failure(
        &skopeo::inspect(&sandbox, Some(file.path()), &ping_ok.host(), "app"),
        "skopeo inspect through the /v2/-answers-200 proxy",
        &["unauthorized", "authentication required"],
    );
    // Our own probe and skopeo's ping(s), all answered by the proxy itself.
    let pings = ping_ok
        .requests()
        .iter()
        .filter(|r| *r == "GET /v2/")
        .count();
    assert!(pings >= 2, "{:?}", ping_ok.requests());
}
