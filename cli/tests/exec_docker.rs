//! docker under `exec` behaves as without registry-config, but for the
//! credentials: the real docker CLI finds the user's context, CLI plugin,
//! buildx state and config.json settings; and a repository-scoped
//! credential goes into auth.json, left out of config.json with a warning.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

/// A user's HOME with a docker context `foo` (made current with
/// `docker context use`) pointing at `host`, a CLI plugin `docker-hello`,
/// a `buildx/` directory, and settings and credentials in config.json.
fn docker_home(host: &str) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let docker = |args: &[&str]| {
        let output = run(Command::new("docker")
            .env("HOME", home.path())
            .env_remove("DOCKER_CONFIG")
            .args(args));
        assert!(
            output.status.success(),
            "docker {args:?}: {}",
            stderr(&output)
        );
    };
    docker(&[
        "context",
        "create",
        "foo",
        "--docker",
        &format!("host={host}"),
    ]);
    docker(&["context", "use", "foo"]);
    let dir = home.path().join(".docker");
    let plugins = dir.join("cli-plugins");
    std::fs::create_dir_all(&plugins).unwrap();
    let plugin = plugins.join("docker-hello");
    std::fs::write(
        &plugin,
        "#!/bin/sh\nif [ \"$1\" = docker-cli-plugin-metadata ]; then\n  \
         echo '{\"SchemaVersion\":\"0.1.0\",\"Vendor\":\"test\",\"Version\":\"1.0\",\"ShortDescription\":\"hello\"}'\n  \
         exit 0\nfi\necho \"plugin says hello\"\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&plugin, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::create_dir_all(dir.join("buildx")).unwrap();
    std::fs::write(dir.join("buildx").join("current"), "{\"Key\":\"foo\"}").unwrap();
    // Entries named as helper mode's own folder and socket: they must not
    // take the place of the helper (a fake one prints this canary).
    std::fs::create_dir_all(dir.join("bin")).unwrap();
    let fake = dir.join("bin").join("docker-credential-registry-config");
    std::fs::write(&fake, "#!/bin/sh\necho fake-helper-canary\n").unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(dir.join("helper.sock"), "not a socket").unwrap();
    // docker wrote currentContext (and possibly a credsStore); add settings
    // and a credential of the user's own, which exec must not hand on.
    let path = dir.join("config.json");
    let mut config: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    config["auths"] = serde_json::json!({"quay.io": {"auth": "dXNlcjp1c2VyLWNhbmFyeQ=="}});
    config["credsStore"] = "pass".into();
    config["detachKeys"] = "ctrl-x,x".into();
    config["proxies"] = serde_json::json!({"default": {"httpProxy": "http://127.0.0.1:3128"}});
    std::fs::write(&path, serde_json::to_vec(&config).unwrap()).unwrap();
    home
}

/// A TCP address nothing listens on.
fn closed_address() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("tcp://127.0.0.1:{port}")
}

/// `registry-config exec [extra] --auth ghcr.io=me:env:TOKEN -- sh -c SCRIPT` in `home`.
fn exec_in(home: &Path, extra: &[&str], script: &str) -> std::process::Output {
    run(registry_config()
        .env("HOME", home)
        .env_remove("DOCKER_CONFIG")
        .env("TOKEN", "exec-canary-7Hq")
        .arg("exec")
        .args(extra)
        .args(["--auth", "ghcr.io=me:env:TOKEN", "--", "sh", "-c", script]))
}

const DOCKER_SCRIPT: &str = "cat \"$DOCKER_CONFIG/config.json\"; echo ---; \
    docker context ls --format '{{.Name}}{{if .Current}} *{{end}}'; echo ---; \
    docker context inspect --format '{{.Endpoints.docker.Host}}'; echo ---; \
    docker hello; echo ---; cat \"$DOCKER_CONFIG/buildx/current\"; echo; echo ---; \
    docker version 2>&1; true";

/// Checks what DOCKER_SCRIPT printed: the user's settings in config.json,
/// context, plugin, buildx state, and docker trying the context's `host`.
/// Returns config.json and whatever the script printed after it.
#[track_caller]
fn assert_users_setup<'a>(text: &'a str, host: &str) -> (serde_json::Value, Vec<&'a str>) {
    let parts: Vec<&str> = text.split("---\n").collect();
    let [config, contexts, endpoint, plugin, buildx, version, rest @ ..] = &parts[..] else {
        panic!("{text}");
    };
    let config: serde_json::Value = serde_json::from_str(config).unwrap();
    assert_eq!(config["currentContext"], "foo", "{config}");
    assert_eq!(config["detachKeys"], "ctrl-x,x");
    assert_eq!(
        config["proxies"]["default"]["httpProxy"],
        "http://127.0.0.1:3128"
    );
    assert!(config.get("credsStore").is_none(), "{config}");
    assert!(contexts.lines().any(|line| line == "foo *"), "{contexts}");
    assert_eq!(endpoint.trim(), host);
    assert_eq!(plugin.trim(), "plugin says hello");
    assert_eq!(buildx.trim(), "{\"Key\":\"foo\"}");
    assert!(
        version.contains(host),
        "docker version tried the context's host: {version}"
    );
    (config, rest.to_vec())
}

#[test]
fn docker_keeps_the_users_context_plugins_buildx_and_settings() {
    if !common::tools::require(&["docker"]) {
        return;
    }
    let host = closed_address();
    let home = docker_home(&host);
    let from = home.path().join(".docker/config.json");
    let from = from.to_str().unwrap();
    // As root, auto makes the links in the private mount; directory makes
    // them in the directory itself, as for every other user.
    for extra in [&[][..], &["--from", from], &["--isolation", "directory"]] {
        let output = exec_in(home.path(), extra, DOCKER_SCRIPT);
        assert!(output.status.success(), "{}", stderr(&output));
        // Only --from warns, about the credsStore of the file it was given.
        let warned = stderr(&output);
        let from_given = extra.contains(&"--from");
        assert_eq!(warned.is_empty(), !from_given, "{warned}");
        let text = stdout(&output);
        let (config, _) = assert_users_setup(&text, &host);
        assert!(config["auths"]["ghcr.io"]["auth"].is_string(), "{config}");
        if !from_given {
            assert!(
                config["auths"].get("quay.io").is_none(),
                "only the given credentials: {config}"
            );
        } else {
            assert!(
                config["auths"].get("quay.io").is_some(),
                "--from keeps its hosts: {config}"
            );
        }
    }
}

/// Helper mode (the default on macOS) keeps the same setup, and no file in
/// its directory holds the secret (nor its `auth` form, which the same
/// search finds in directory mode): config.json has the user's settings and
/// maps ghcr.io to the helper, which hands the credential over.
#[test]
fn helper_mode_keeps_the_users_context_plugins_buildx_and_settings() {
    if !common::tools::require(&["docker"]) {
        return;
    }
    let host = closed_address();
    let home = docker_home(&host);
    let script = format!(
        "{DOCKER_SCRIPT}; echo ---; \
         grep -rlF -D skip -e exec-canary-7Hq -e \"$(printf me:exec-canary-7Hq | base64)\" \
             \"$(dirname \"$REGISTRY_CONFIG_HELPER_SOCKET\")\"; \
         echo ---; printf ghcr.io | docker-credential-registry-config get"
    );
    let output = exec_in(home.path(), &["--isolation", "helper"], &script);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
    let text = stdout(&output);
    let (config, rest) = assert_users_setup(&text, &host);
    assert_eq!(config["credHelpers"]["ghcr.io"], "registry-config");
    assert_eq!(config["auths"], serde_json::json!({}), "{config}");
    let [holders, reply] = rest[..] else {
        panic!("{text}");
    };
    assert_eq!(holders, "", "files holding the secret");
    assert!(reply.contains("\"Secret\":\"exec-canary-7Hq\""), "{reply}");
}

/// Helper mode still refuses a --from file that holds credentials: they
/// would be written to a file as they are.
#[test]
fn helper_mode_refuses_a_from_file_with_credentials() {
    let home = tempfile::tempdir().unwrap();
    let from = home.path().join("ci.json");
    std::fs::write(&from, r#"{"auths":{"quay.io":{"auth":"dTpw"}}}"#).unwrap();
    let from = from.to_str().unwrap();
    let output = exec_in(
        home.path(),
        &["--isolation", "helper", "--from", from],
        "true",
    );
    assert_bad_input(
        &output,
        "a base config (--from) cannot be used in helper mode",
    );
}

#[test]
fn a_scoped_credential_goes_into_auth_json_and_config_json_leaves_it_out_with_a_warning() {
    let home = tempfile::tempdir().unwrap();
    let output = run(registry_config()
        .env("HOME", home.path())
        .env_remove("DOCKER_CONFIG")
        .env("TOKEN", "scope-canary-2Kd")
        .args([
            "exec",
            "--auth",
            "127.0.0.1:5000/app=me:env:TOKEN",
            "--auth",
            "ghcr.io=me:env:TOKEN",
        ])
        .args([
            "--",
            "sh",
            "-c",
            "cat \"$REGISTRY_AUTH_FILE\"; echo ---; cat \"$DOCKER_CONFIG/config.json\"",
        ]));
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let (containers, docker) = text.split_once("---\n").unwrap();
    let containers: serde_json::Value = serde_json::from_str(containers).unwrap();
    let docker: serde_json::Value = serde_json::from_str(docker).unwrap();
    assert!(
        containers["auths"]["127.0.0.1:5000/app"].is_object(),
        "{containers}"
    );
    assert!(
        docker["auths"].get("127.0.0.1:5000/app").is_none(),
        "{docker}"
    );
    assert!(
        docker["auths"].get("127.0.0.1:5000").is_none(),
        "not widened: {docker}"
    );
    assert!(docker["auths"]["ghcr.io"].is_object(), "{docker}");
    let warning = stderr(&output);
    assert_eq!(warning.lines().count(), 1, "{warning}");
    for tool in [
        "\"127.0.0.1:5000/app\"",
        "docker",
        "buildkit",
        "helm",
        "oras",
        "crane",
        "auth.json",
    ] {
        assert!(
            warning.contains(tool),
            "the warning names {tool}: {warning}"
        );
    }
    assert!(!warning.contains("scope-canary"));
}

/// A config.json docker cannot read either: as docker does, exec warns
/// (naming the file and the position, never its content) and runs the
/// command without the user's settings.
#[test]
fn a_broken_user_config_is_a_warning_and_the_command_still_runs() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join(".docker");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("config.json"),
        "{\"auths\": {\"x\": \"broken-canary-Qz\"",
    )
    .unwrap();
    let output = exec_in(
        home.path(),
        &[],
        "grep -c ghcr.io \"$DOCKER_CONFIG/config.json\"",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output).trim(), "1");
    let warning = stderr(&output);
    assert_eq!(warning.lines().count(), 1, "{warning}");
    assert!(
        warning.contains("config.json") && warning.contains("not valid JSON"),
        "{warning}"
    );
    assert!(!warning.contains("broken-canary"), "{warning}");
}

/// A --from file gives credentials; docker's settings stay the user's (here
/// none), as docker without registry-config would have them.
#[test]
fn a_from_file_gives_credentials_not_settings() {
    let home = tempfile::tempdir().unwrap();
    let from = home.path().join("ci.json");
    std::fs::write(
        &from,
        r#"{"psFormat":"from-file","auths":{"quay.io":{"auth":"dTpw"}}}"#,
    )
    .unwrap();
    let output = exec_in(
        home.path(),
        &["--from", from.to_str().unwrap()],
        "cat \"$DOCKER_CONFIG/config.json\"",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let config: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert!(config.get("psFormat").is_none(), "{config}");
    assert!(config["auths"]["quay.io"].is_object(), "{config}");
    assert!(config["auths"]["ghcr.io"].is_object(), "{config}");
}
