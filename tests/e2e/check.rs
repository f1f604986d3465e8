//! `registry-config check`, and `render`/`exec --verify`, against real
//! registries: a token registry (harness/token_server.rs: alice everything, bob
//! pull/push on `bob/*`, anonymous pull on `public/*`), htpasswd registries,
//! a port with nothing listening, and a proxy whose `/v2/` answers 200 while
//! the repositories answer 401 (harness/proxy.rs). Each test has its own servers.
//!
//! Passwords and tokens travel only in the binary's environment (`env:NAME`).

use std::net::TcpListener;
use std::process::Output;

use serde_json::Value;

use crate::harness::check::{check, expect, line_for, lines};
use crate::harness::cli::{render_file, Format, PASSWORD_VAR};
use crate::harness::proxy::{Proxy, ProxyMode};
use crate::harness::registry::Registry;
use crate::harness::sandbox::Sandbox;
use crate::harness::token_server::{PostMode, TokenServer, ALICE, BAD_CREDENTIALS, BOB};
use crate::harness::{cli, output, registry_for, skopeo, token_registry_for, tools};

/// The CLI needs nothing but the servers; skopeo/umoci push the images the
/// repository checks read.
const SERVERS: &[&str] = &[];
const PUSHERS: &[&str] = &["skopeo", "umoci"];

/// `--auth HOST=USER:env:REGISTRY_PASSWORD`.
fn auth(host: &str, user: &str) -> String {
    format!("{host}={user}:env:{PASSWORD_VAR}")
}

/// Push `v1` of each of `repos` as alice, straight to the registry.
fn push_as_alice(reg: &Registry, password: &str, repos: &[&str]) {
    let sandbox = Sandbox::new();
    let file = render_file(reg.host(), password, Format::Containers);
    for repo in repos {
        output::success(
            &skopeo::push(&sandbox, Some(file.path()), reg.host(), repo),
            &format!("skopeo copy to {repo} as alice"),
        );
    }
}

/// A port on 127.0.0.1 where nothing listens (bound, then released).
fn dead_host() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let host = listener.local_addr().expect("addr").to_string();
    drop(listener);
    host
}

#[test]
fn alice_is_valid() {
    let Some((tokens, reg)) = token_registry_for(SERVERS) else {
        return;
    };
    let out = check(
        &["--auth", &auth(reg.host(), ALICE)],
        &[(PASSWORD_VAR, tokens.password(ALICE))],
    );
    expect(&out, 0, &[(reg.host(), "valid")]);
    // The human format: `STATUS TARGET: DETAIL`, nothing else on stdout.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with(&format!("valid {}", reg.host())) && stdout.lines().count() == 1,
        "{stdout:?}"
    );
    assert!(
        tokens.counts().get("GET /token").is_some_and(|n| *n >= 1),
        "{:?}",
        tokens.counts()
    );
}

#[test]
fn wrong_password_is_rejected_with_the_registrys_message() {
    let Some((tokens, reg)) = token_registry_for(SERVERS) else {
        return;
    };
    // Not "wrong-password": any piece of 8 characters of the secret is
    // hidden, so its "password" would blot out the one in the message.
    let out = check(
        &["--auth", &auth(reg.host(), ALICE)],
        &[(PASSWORD_VAR, "wrong-pw-7Qx9")],
    );
    let lines = expect(&out, 1, &[(reg.host(), "rejected")]);
    // The detail is the token server's own message from its 401 body.
    assert!(
        lines[0].detail.contains(BAD_CREDENTIALS),
        "detail {:?} should hold {BAD_CREDENTIALS:?}",
        lines[0].detail
    );
    assert!(
        !output::both(&out).contains("wrong-pw-7Qx9"),
        "the secret is never printed"
    );
    assert!(tokens.counts().get("GET /token").is_some_and(|n| *n >= 1));
}

#[test]
fn bob_may_push_to_bob_but_not_to_alice() {
    let Some((tokens, reg)) = token_registry_for(PUSHERS) else {
        return;
    };
    push_as_alice(&reg, tokens.password(ALICE), &["alice/app", "bob/app"]);
    let host = reg.host();
    let env = [(PASSWORD_VAR, tokens.password(BOB))];
    let bob_app = format!("{host}/bob/app");
    let alice_app = format!("{host}/alice/app");

    let out = check(
        &[
            "--auth",
            &auth(host, BOB),
            "--repository",
            &bob_app,
            "--push",
        ],
        &env,
    );
    expect(&out, 0, &[(&bob_app, "valid")]);

    let out = check(
        &[
            "--auth",
            &auth(host, BOB),
            "--repository",
            &bob_app,
            "--repository",
            &alice_app,
            "--push",
        ],
        &env,
    );
    expect(&out, 1, &[(&bob_app, "valid"), (&alice_app, "rejected")]);

    // A new repository under bob/ is fine for a push too.
    let fresh = format!("{host}/bob/new");
    let out = check(
        &["--auth", &auth(host, BOB), "--repository", &fresh, "--push"],
        &env,
    );
    expect(&out, 0, &[(&fresh, "valid")]);
}

#[test]
fn wrong_password_on_a_public_repository_is_anonymous() {
    let Some((tokens, reg)) = token_registry_for(PUSHERS) else {
        return;
    };
    push_as_alice(&reg, tokens.password(ALICE), &["public/x", "alice/app"]);
    let public = format!("{}/public/x", reg.host());
    let private = format!("{}/alice/app", reg.host());
    let out = check(
        &[
            "--auth",
            &auth(reg.host(), ALICE),
            "--repository",
            &public,
            "--repository",
            &private,
        ],
        &[(PASSWORD_VAR, "wrong-password")],
    );
    expect(&out, 1, &[(&public, "anonymous"), (&private, "rejected")]);
}

#[test]
fn nothing_listening_is_an_error() {
    let host = dead_host();
    let out = check(
        &["--auth", &auth(&host, ALICE), "--timeout", "5"],
        &[(PASSWORD_VAR, "whatever")],
    );
    let lines = expect(&out, 1, &[(&host, "error")]);
    assert!(
        !lines[0].detail.is_empty(),
        "an error says why:\n{}",
        output::both(&out)
    );
}

/// `check --identity-token HOST=env:IDENTITY_TOKEN` with POST answering as `mode`.
fn identity_token_check(mode: PostMode) -> Option<(Output, TokenServer, Registry)> {
    let (tokens, reg) = token_registry_for(SERVERS)?;
    tokens.set_post_mode(mode);
    let out = check(
        &[
            "--identity-token",
            &format!("{}=env:IDENTITY_TOKEN", reg.host()),
        ],
        &[("IDENTITY_TOKEN", tokens.refresh_token())],
    );
    eprintln!(
        "identity token, POST {mode:?}: token server saw {:?}, Basic usernames on GET {:?}\n{}",
        tokens.counts(),
        tokens.basic_users(),
        output::both(&out)
    );
    Some((out, tokens, reg))
}

#[test]
fn identity_token_is_valid_through_the_oauth2_post() {
    let Some((out, tokens, reg)) = identity_token_check(PostMode::Ok) else {
        return;
    };
    expect(&out, 0, &[(reg.host(), "valid")]);
    assert!(
        tokens.counts().get("POST /token").is_some_and(|n| *n >= 1),
        "{:?}",
        tokens.counts()
    );
}

#[test]
fn identity_token_is_valid_when_post_answers_404() {
    // 404 is distribution's "OAuth2 not supported": clients fall back to GET. This
    // token server takes the refresh token as a Basic password there (as Azure does).
    let Some((out, tokens, reg)) = identity_token_check(PostMode::NotFound) else {
        return;
    };
    expect(&out, 0, &[(reg.host(), "valid")]);
    let counts = tokens.counts();
    assert!(
        counts.get("POST /token").is_some_and(|n| *n >= 1),
        "{counts:?}"
    );
    assert!(
        counts.get("GET /token").is_some_and(|n| *n >= 1),
        "{counts:?}"
    );
}

#[test]
fn identity_token_when_post_answers_405_as_ghcr_does() {
    // What the CLI does here is reported, not prescribed: ghcr.io answers 405 to
    // the OAuth2 POST (helm#31222). Whatever it decides must be one result with
    // an exit status that agrees with it.
    let Some((out, _tokens, reg)) = identity_token_check(PostMode::MethodNotAllowed) else {
        return;
    };
    let line = line_for(&out, reg.host());
    assert!(
        ["valid", "rejected", "error"].contains(&line.status.as_str()),
        "{line:?}"
    );
    assert_eq!(
        out.status.code(),
        Some(if line.status == "valid" { 0 } else { 1 })
    );
}

#[test]
fn registry_token_is_sent_as_it_is() {
    let Some((tokens, reg)) = token_registry_for(SERVERS) else {
        return;
    };
    let (status, body) = tokens.fetch(
        Some((ALICE, tokens.password(ALICE))),
        "repository:alice/app:pull",
    );
    assert_eq!(status, 200);
    let token = body["token"].as_str().expect("a token");
    let arg = format!("{}=env:REGISTRY_TOKEN", reg.host());
    let before = tokens.total();
    let out = check(&["--registry-token", &arg], &[("REGISTRY_TOKEN", token)]);
    expect(&out, 0, &[(reg.host(), "valid")]);
    assert_eq!(
        tokens.total(),
        before,
        "a registry token needs no token server"
    );

    let out = check(
        &["--registry-token", &arg],
        &[("REGISTRY_TOKEN", "not.a.token")],
    );
    expect(&out, 1, &[(reg.host(), "rejected")]);
}

#[test]
fn json_output_has_one_object_per_result() {
    let Some((tokens, reg)) = token_registry_for(SERVERS) else {
        return;
    };
    // A second registry on the same token server, checked for a repository.
    let other = Registry::start_token(&tokens);
    let repository = format!("{}/alice/app", other.host());
    let out = check(
        &[
            "--json",
            "--auth",
            &auth(reg.host(), ALICE),
            "--auth",
            &format!("{}={ALICE}:env:WRONG", other.host()),
            "--repository",
            &repository,
        ],
        &[
            (PASSWORD_VAR, tokens.password(ALICE)),
            ("WRONG", "wrong-password"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", output::both(&out));
    let results: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|err| panic!("--json prints JSON ({err}):\n{}", output::both(&out)));
    let results = results.as_array().expect("an array");
    assert_eq!(results.len(), 2, "{results:?}");
    for result in results {
        let mut keys: Vec<&str> = result
            .as_object()
            .expect("objects")
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            ["detail", "registry", "repository", "status"],
            "{result}"
        );
        assert!(result["detail"].is_string(), "{result}");
    }
    let find = |host: &str| {
        results
            .iter()
            .find(|r| r["registry"] == host)
            .unwrap_or_else(|| panic!("a result for {host}: {results:?}"))
    };
    let first = find(reg.host());
    assert_eq!(
        (&first["repository"], &first["status"]),
        (&Value::Null, &Value::from("valid"))
    );
    let second = find(other.host());
    assert_eq!(second["repository"], "alice/app", "{second}");
    assert_eq!(second["status"], "rejected", "{second}");
}

#[test]
fn exit_status_is_0_when_all_valid_1_otherwise_2_for_bad_input() {
    let Some((tokens, reg)) = token_registry_for(SERVERS) else {
        return;
    };
    let good = [(PASSWORD_VAR, tokens.password(ALICE))];
    let dead = dead_host();
    let out = check(&["--auth", &auth(reg.host(), ALICE)], &good);
    expect(&out, 0, &[(reg.host(), "valid")]);
    let out = check(
        &[
            "--auth",
            &auth(reg.host(), ALICE),
            "--auth",
            &auth(&dead, ALICE),
            "--timeout",
            "5",
        ],
        &good,
    );
    expect(&out, 1, &[(reg.host(), "valid"), (&dead, "error")]);
    for bad in [
        &["--auth", "no-equals-sign"][..],
        &["--auth", &auth(reg.host(), ALICE), "--timeout", "soon"],
        &["--auth", &auth(reg.host(), ALICE), "--no-such-flag"],
        &[
            "--auth",
            &format!("{}={ALICE}:env:UNSET_VARIABLE_E2E", reg.host()),
        ],
    ] {
        let out = check(bad, &good);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{bad:?}:\n{}",
            output::both(&out)
        );
        assert!(
            lines(&out).is_empty(),
            "no result for bad input:\n{}",
            output::both(&out)
        );
    }
}

#[test]
fn one_valid_registry_takes_at_most_three_requests() {
    let Some((tokens, reg)) = token_registry_for(SERVERS) else {
        return;
    };
    // The transparent proxy counts what reaches the registry; the token server counts itself.
    let proxy = Proxy::start(reg.host(), ProxyMode::Transparent);
    let out = check(
        &["--auth", &auth(&proxy.host(), ALICE)],
        &[(PASSWORD_VAR, tokens.password(ALICE))],
    );
    expect(&out, 0, &[(&proxy.host(), "valid")]);
    let registry_requests = proxy.requests();
    let token_requests = tokens.counts();
    eprintln!(
        "registry: {registry_requests:?}; token server: {token_requests:?}; TLS attempts (not HTTP): {}",
        proxy.not_http()
    );
    let total = registry_requests.len() + tokens.total();
    assert!(
        total <= 3,
        "{total} HTTP requests: registry {registry_requests:?}, token server {token_requests:?}"
    );
}

/// A registry whose `/v2/` answers 200 while the repositories answer 401 (the
/// proxy), side by side: skopeo, with a correct auth file, fails; `check` says
/// valid; `exec --verify` verifies, then runs the command, where skopeo fails
/// again.
///
/// What this shows: containers/image takes its challenge only from the `/v2/`
/// ping (containers/image#2754), so it never sends the credentials and reads
/// the 401 as `unauthorized`, although they are right. `check` follows the
/// repository's own 401 challenge, as containerd, BuildKit, oras-go and regclient
/// do, and so tells a client limitation apart from a bad credential: `--verify`
/// vouches for the credentials, not for every client's handshake.
#[test]
fn behind_a_v2_200_proxy_skopeo_fails_but_check_and_exec_verify_pass() {
    let Some(reg) = registry_for(PUSHERS) else {
        return;
    };
    let sandbox = Sandbox::new();
    let direct = render_file(reg.host(), reg.password(), Format::Containers);
    output::success(
        &skopeo::push(&sandbox, Some(direct.path()), reg.host(), "app"),
        "skopeo copy straight to the registry",
    );
    let proxy = Proxy::start(reg.host(), ProxyMode::PingOk);
    let host = proxy.host();
    let env = [(PASSWORD_VAR, reg.password())];

    // 1. skopeo through the proxy, with a correct auth file: fails.
    let file = render_file(&host, reg.password(), Format::Containers);
    output::failure(
        &skopeo::inspect(&sandbox, Some(file.path()), &host, "app"),
        "skopeo inspect through the proxy",
        &["unauthorized", "authentication required"],
    );

    // 2. check: valid.
    let repository = format!("{host}/app");
    let out = check(
        &["--auth", &auth(&host, ALICE), "--repository", &repository],
        &env,
    );
    expect(&out, 0, &[(&repository, "valid")]);

    // 3. exec --verify: verification passes, the command runs (and skopeo in it fails).
    let script = format!(
        "echo command-ran; skopeo inspect --tls-verify=false --authfile \"$REGISTRY_AUTH_FILE\" docker://{host}/app:v1 >/dev/null; echo skopeo-exit=$?"
    );
    let client = sandbox.command("sh");
    let mut cmd = cli::wrap(
        &client,
        cli::BIN,
        [
            "exec",
            "--verify",
            "--auth",
            &auth(&host, ALICE),
            "--",
            "sh",
            "-c",
            &script,
        ],
    );
    let out = cmd
        .env(PASSWORD_VAR, reg.password())
        .output()
        .expect("run exec --verify");
    let stdout = output::success(&out, "registry-config exec --verify");
    assert!(stdout.contains("command-ran"), "{}", output::both(&out));
    assert!(
        stdout.contains("skopeo-exit=") && !stdout.contains("skopeo-exit=0"),
        "skopeo fails through the proxy even inside exec:\n{}",
        output::both(&out)
    );
}

#[test]
fn render_verify_drops_or_fails_on_a_rejected_registry() {
    let (Some(good), Some(bad)) = (registry_for(SERVERS), registry_for(SERVERS)) else {
        return;
    };
    let args = |extra: &[&'static str]| {
        let mut args = vec![
            "--verify".to_owned(),
            "--auth".to_owned(),
            format!("{}={ALICE}:env:GOOD", good.host()),
            "--auth".to_owned(),
            format!("{}={ALICE}:env:BAD", bad.host()),
        ];
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        args
    };
    let env = [("GOOD", good.password()), ("BAD", "wrong-password")];
    let run = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        cli::render(&args, &env)
    };

    // drop: only the good registry is rendered, a warning names the bad one, exit 0.
    let out = run(args(&["--on-rejected", "drop"]));
    let rendered: Value =
        serde_json::from_str(&output::success(&out, "render --verify --on-rejected drop"))
            .expect("a JSON config");
    let auths = rendered["auths"].as_object().expect("auths");
    assert!(auths.contains_key(good.host()), "{rendered}");
    assert!(!auths.contains_key(bad.host()), "{rendered}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(bad.host()) && !stderr.contains(good.host()),
        "{stderr}"
    );

    // fail (the default): exit 1 naming the bad registry, nothing rendered.
    for extra in [&[][..], &["--on-rejected", "fail"]] {
        let out = run(args(extra));
        assert_eq!(
            out.status.code(),
            Some(1),
            "{extra:?}: {}",
            output::both(&out)
        );
        assert!(
            out.stdout.is_empty(),
            "nothing rendered: {}",
            output::both(&out)
        );
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(bad.host()),
            "{}",
            output::both(&out)
        );
    }
}

/// The core's policy: a registry without a verdict stops the run, with or
/// without `drop`, before any refusal is reported, whatever the order of the
/// flags (the CLI used to stop at the first problem in order).
#[test]
fn render_verify_stops_on_an_unreachable_registry_before_a_rejected_one() {
    let Some(bad) = registry_for(SERVERS) else {
        return;
    };
    let dead = dead_host();
    for extra in [&[][..], &["--on-rejected", "drop"]] {
        let mut args = vec!["--verify", "--timeout", "5"];
        let (rejected, unreachable) = (
            format!("{}={ALICE}:env:BAD", bad.host()),
            format!("{dead}={ALICE}:env:BAD"),
        );
        args.extend(["--auth", &rejected, "--auth", &unreachable]);
        args.extend(extra);
        let out = cli::render(&args, &[("BAD", "wrong-password")]);
        assert_eq!(out.status.code(), Some(1), "{}", output::both(&out));
        assert!(out.stdout.is_empty(), "{}", output::both(&out));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.starts_with(&format!(
                "registry-config: error: cannot verify the credentials for {dead}: "
            )) && stderr.lines().count() == 1,
            "{extra:?}: {stderr}"
        );
    }
}

#[test]
fn exec_verify_does_not_run_the_command_when_rejected() {
    let Some(reg) = registry_for(SERVERS) else {
        return;
    };
    let sandbox = Sandbox::new();
    let marker = sandbox.path().join("ran");
    let client = sandbox.command("touch");
    let mut cmd = cli::wrap(
        &client,
        cli::BIN,
        [
            "exec",
            "--verify",
            "--auth",
            &auth(reg.host(), ALICE),
            "--",
            "touch",
        ],
    );
    let out = cmd
        .arg(&marker)
        .env(PASSWORD_VAR, "wrong-password")
        .output()
        .expect("run exec --verify");
    assert_eq!(out.status.code(), Some(1), "{}", output::both(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(reg.host()),
        "{}",
        output::both(&out)
    );
    assert!(!marker.exists(), "the command must not run");

    // With the right password it runs.
    let mut cmd = cli::wrap(
        &client,
        cli::BIN,
        [
            "exec",
            "--verify",
            "--auth",
            &auth(reg.host(), ALICE),
            "--",
            "touch",
        ],
    );
    let out = cmd
        .arg(&marker)
        .env(PASSWORD_VAR, reg.password())
        .output()
        .expect("run exec --verify");
    output::success(&out, "exec --verify with the right password");
    assert!(marker.exists());
}

/// HTTPS with a private CA: `--ca-file` makes the certificate trusted; without
/// it the TLS handshake fails, the loopback fallback to plain HTTP meets a
/// server that speaks only HTTPS, and the verdict is `error`.
#[test]
fn ca_file_trusts_a_private_certificate() {
    if !tools::require("openssl") {
        return;
    }
    let Some(_) = registry_for(&[]) else { return };
    let registry = Registry::start_tls();
    let auth = format!("{}=alice:env:PW", registry.host());
    let ca = registry.ca_file();
    let env = [("PW", registry.password())];

    let trusted = check(&["--auth", &auth, "--ca-file", ca.to_str().unwrap()], &env);
    expect(&trusted, 0, &[(registry.host(), "valid")]);

    let untrusted = check(&["--auth", &auth, "--timeout", "5"], &env);
    let lines = expect(&untrusted, 1, &[(registry.host(), "error")]);
    assert!(
        lines[0].detail.starts_with("HTTPS failed: "),
        "{}",
        lines[0].detail
    );
    assert!(lines[0].detail.contains("HTTP 400"), "{}", lines[0].detail);

    let missing = check(&["--auth", &auth, "--ca-file", "/nonexistent/ca.pem"], &env);
    assert_eq!(
        missing.status.code(),
        Some(2),
        "a missing --ca-file is bad input"
    );
}
