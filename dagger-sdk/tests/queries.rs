//! The exact queries the crate sends through the real `dagger_sdk::Query`,
//! checked against golden files in `tests/fixtures/` (`UPDATE_GOLDEN=1`
//! rewrites them), and where the input secrets' plaintexts may appear: in
//! `setSecret` queries only.

mod support;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use registry_config::{secret_name, Credential, Format, Secret as CoreSecret};
use registry_config_dagger::{
    Error, RegistryConfig, APPLY_AUTH_FILE, APPLY_DIR, APPLY_DOCKER_CONFIG,
};
use support::{assert_golden, Recorded, Recorder};

const GHCR_OLD: &str = "canary-ghcr-old-3c1f";
const GHCR_TOKEN: &str = "canary-ghcr-token-9b7e";
const HUB_PASSWORD: &str = "canary-hub-password-55d0";
const QUAY_REFRESH: &str = "canary-quay-refresh-a41c";
const BEARER: &str = "canary-bearer-e802";

/// The engine's secrets: `secret(uri:)` → plaintext.
const SECRETS: &[(&str, &str)] = &[
    ("env:GHCR_OLD", GHCR_OLD),
    ("env:GHCR_TOKEN", GHCR_TOKEN),
    ("env:HUB_PASSWORD", HUB_PASSWORD),
    ("env:QUAY_REFRESH", QUAY_REFRESH),
    ("env:BEARER", BEARER),
];

/// Every kind of operation, addresses spelled as users write them.
fn full_config(query: &dagger_sdk::Query) -> RegistryConfig {
    let secret = |uri: &str| query.secret(uri);
    RegistryConfig::new()
        .with_registry_auth("ghcr.io", "octocat", &secret("env:GHCR_OLD"))
        .unwrap()
        .with_registry_auth("docker.io", "hubuser", &secret("env:HUB_PASSWORD"))
        .unwrap()
        .with_identity_token("quay.io", &secret("env:QUAY_REFRESH"))
        .unwrap()
        .with_registry_token("registry.example.com", &secret("env:BEARER"))
        .unwrap()
        .without_registry_auth("https://registry.example.com/")
        .unwrap()
        .with_registry_token("localhost:5000", &secret("env:BEARER"))
        .unwrap()
        // Replaces the first entry: the same registry, spelled differently.
        .with_registry_auth("https://GHCR.io/v2/", "octocat", &secret("env:GHCR_TOKEN"))
        .unwrap()
}

/// The same config built on the core directly: what the crate must send.
fn core_config() -> registry_config::RegistryConfig {
    let secret = |s: &str| CoreSecret::new(s.to_owned());
    let mut config = registry_config::RegistryConfig::new();
    config
        .insert("ghcr.io", Credential::basic("octocat", secret(GHCR_OLD)))
        .unwrap();
    config
        .insert(
            "docker.io",
            Credential::basic("hubuser", secret(HUB_PASSWORD)),
        )
        .unwrap();
    config
        .insert("quay.io", Credential::identity_token(secret(QUAY_REFRESH)))
        .unwrap();
    config
        .insert(
            "registry.example.com",
            Credential::registry_token(secret(BEARER)),
        )
        .unwrap();
    config.remove("https://registry.example.com/").unwrap();
    config
        .insert("localhost:5000", Credential::registry_token(secret(BEARER)))
        .unwrap();
    config
        .insert(
            "https://GHCR.io/v2/",
            Credential::basic("octocat", secret(GHCR_TOKEN)),
        )
        .unwrap();
    config
}

fn rendered(config: &registry_config::RegistryConfig, format: Format) -> String {
    String::from_utf8(config.render(format).unwrap().as_bytes().to_vec()).unwrap()
}

/// Strings that give a secret away: the plaintexts and the `auth` values.
fn sensitive() -> Vec<String> {
    let mut strings: Vec<String> = SECRETS.iter().map(|(_, p)| (*p).to_owned()).collect();
    for (user, password) in [
        ("octocat", GHCR_OLD),
        ("octocat", GHCR_TOKEN),
        ("hubuser", HUB_PASSWORD),
    ] {
        strings.push(STANDARD.encode(format!("{user}:{password}")));
    }
    strings
}

/// No query but `setSecret` holds a plaintext, and at least one `setSecret` does
/// (else the check proves nothing).
fn assert_plaintexts_only_in_set_secret(recorded: &[Recorded]) {
    let mut carried = false;
    for query in recorded {
        let leaked: Vec<String> = sensitive()
            .into_iter()
            .filter(|s| query.raw.contains(s.as_str()))
            .collect();
        if query.has_field("setSecret") {
            carried |= !leaked.is_empty();
        } else {
            assert!(leaked.is_empty(), "{leaked:?} in {}", query.raw);
        }
    }
    assert!(carried, "no setSecret carried a credential");
}

fn set_secrets(recorded: &[Recorded]) -> Vec<&Recorded> {
    recorded
        .iter()
        .filter(|q| q.has_field("setSecret"))
        .collect()
}

fn assert_derived_name(name: &str, plaintext: &str) {
    assert_eq!(name, secret_name(plaintext.as_bytes()));
    let hex = name.strip_prefix("registry-config-").expect(name);
    assert_eq!(hex.len(), 32, "{name}");
    assert!(
        hex.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
        "{name}"
    );
}

#[tokio::test]
async fn secret_sends_the_cores_docker_render_under_its_argon2_name() {
    let recorder = Recorder::new(SECRETS);
    let query = recorder.query();
    let secret = full_config(&query)
        .secret(&query, None, Format::Docker)
        .await
        .unwrap();
    // The returned secret refers to the created one by ID: using it sends no plaintext again.
    query
        .container()
        .with_mounted_secret("/root/.docker/config.json", secret)
        .id()
        .await
        .unwrap();

    let recorded = recorder.recorded();
    let sets = set_secrets(&recorded);
    assert_eq!(sets.len(), 1);
    let plaintext = sets[0].string_arg("setSecret", "plaintext").unwrap();
    assert_eq!(plaintext, rendered(&core_config(), Format::Docker));
    assert_derived_name(sets[0].string_arg("setSecret", "name").unwrap(), plaintext);
    assert_plaintexts_only_in_set_secret(&recorded);
    assert_golden("secret_docker", &recorder.normalised());
}

#[tokio::test]
async fn secret_with_a_name_in_the_containers_format() {
    let recorder = Recorder::new(SECRETS);
    let query = recorder.query();
    full_config(&query)
        .secret(&query, Some("podman-auth"), Format::Containers)
        .await
        .unwrap();

    let recorded = recorder.recorded();
    let sets = set_secrets(&recorded);
    assert_eq!(sets.len(), 1);
    assert_eq!(sets[0].string_arg("setSecret", "name"), Some("podman-auth"));
    let plaintext = sets[0].string_arg("setSecret", "plaintext").unwrap();
    assert_eq!(plaintext, rendered(&core_config(), Format::Containers));
    assert!(plaintext.contains("\"docker.io\""), "{plaintext}");
    assert_plaintexts_only_in_set_secret(&recorded);
    assert_golden("secret_containers_named", &recorder.normalised());
}

#[tokio::test]
async fn secret_mount_mounts_with_path_owner_and_mode() {
    let recorder = Recorder::new(SECRETS);
    let query = recorder.query();
    let config = RegistryConfig::new()
        .with_registry_auth("ghcr.io", "octocat", &query.secret("env:GHCR_TOKEN"))
        .unwrap();
    let container = query.container().from("quay.io/skopeo/stable");
    config
        .secret_mount(
            "/home/app/.docker/config.json",
            None,
            false,
            Some("1000:1000"),
            Some(0o600),
        )
        .mount(&container)
        .await
        .unwrap()
        .id()
        .await
        .unwrap();

    let recorded = recorder.recorded();
    let sets = set_secrets(&recorded);
    assert_eq!(sets.len(), 1);
    assert_derived_name(
        sets[0].string_arg("setSecret", "name").unwrap(),
        sets[0].string_arg("setSecret", "plaintext").unwrap(),
    );
    let mount = recorded
        .iter()
        .find(|q| q.has_field("withMountedSecret"))
        .unwrap();
    assert_eq!(
        mount.string_arg("withMountedSecret", "path"),
        Some("/home/app/.docker/config.json")
    );
    assert_eq!(
        mount.string_arg("withMountedSecret", "owner"),
        Some("1000:1000")
    );
    assert!(
        mount.normalised().contains("mode:384"),
        "{}",
        mount.normalised()
    );
    assert_plaintexts_only_in_set_secret(&recorded);
    assert_golden("secret_mount", &recorder.normalised());
}

#[tokio::test]
async fn secret_mount_skip_on_empty() {
    let recorder = Recorder::new(SECRETS);
    let query = recorder.query();
    let container = query.container().from("alpine");
    let empty = RegistryConfig::new();

    // Skipped: no query at all, and the container is the one given.
    let same = empty
        .secret_mount(
            "/root/.docker/config.json",
            Some("unused"),
            true,
            None,
            None,
        )
        .mount(&container)
        .await
        .unwrap();
    assert!(recorder.recorded().is_empty());
    same.id().await.unwrap();

    // Not skipped: an empty config is mounted, under the name given.
    empty
        .secret_mount(
            "/root/.docker/config.json",
            Some("empty-auths"),
            false,
            None,
            None,
        )
        .mount(&container)
        .await
        .unwrap()
        .id()
        .await
        .unwrap();
    assert_golden("secret_mount_empty", &recorder.normalised());
}

#[tokio::test]
async fn secret_mount_skip_on_empty_after_removal() {
    // Every entry added was removed again: skipped too, with no setSecret and no mount.
    let recorder = Recorder::new(SECRETS);
    let query = recorder.query();
    let container = query.container().from("alpine");
    let emptied = RegistryConfig::new()
        .with_registry_auth(
            "https://ghcr.io/",
            "octocat",
            &query.secret("env:GHCR_TOKEN"),
        )
        .unwrap()
        .without_registry_auth("ghcr.io")
        .unwrap();
    emptied
        .secret_mount("/root/.docker/config.json", None, true, None, None)
        .mount(&container)
        .await
        .unwrap();
    let queries: Vec<String> = recorder.recorded().iter().map(|r| r.raw.clone()).collect();
    assert!(!queries.is_empty(), "the secret was read to render");
    assert!(
        queries
            .iter()
            .all(|q| !q.contains("setSecret") && !q.contains("withMountedSecret")),
        "{queries:#?}"
    );
}

#[tokio::test]
async fn apply_mounts_both_formats_and_sets_the_three_variables() {
    let recorder = Recorder::new(SECRETS);
    let query = recorder.query();
    let container = query.container().from("quay.io/skopeo/stable");
    full_config(&query)
        .apply(&container, Some("1000"))
        .await
        .unwrap()
        .id()
        .await
        .unwrap();

    let recorded = recorder.recorded();
    // Each input secret is read once, though two files are rendered.
    let reads: Vec<&str> = recorded
        .iter()
        .filter(|q| q.has_field("plaintext"))
        .map(|q| q.string_arg("secret", "uri").unwrap())
        .collect();
    assert_eq!(
        reads,
        [
            "env:GHCR_OLD",
            "env:HUB_PASSWORD",
            "env:QUAY_REFRESH",
            "env:BEARER",
            "env:BEARER",
            "env:GHCR_TOKEN"
        ]
    );
    let sets = set_secrets(&recorded);
    assert_eq!(sets.len(), 2);
    let core = core_config();
    for (set, format) in sets.iter().zip([Format::Docker, Format::Containers]) {
        let plaintext = set.string_arg("setSecret", "plaintext").unwrap();
        assert_eq!(plaintext, rendered(&core, format));
        assert_derived_name(set.string_arg("setSecret", "name").unwrap(), plaintext);
    }
    let last = recorded.last().unwrap().normalised();
    for expected in [
        format!(r#"withMountedSecret(owner:"1000", path:"{APPLY_DOCKER_CONFIG}", source:"#),
        format!(r#"withMountedSecret(owner:"1000", path:"{APPLY_AUTH_FILE}", source:"#),
        format!(r#"withEnvVariable(name:"DOCKER_CONFIG", value:"{APPLY_DIR}")"#),
        format!(r#"withEnvVariable(name:"REGISTRY_AUTH_FILE", value:"{APPLY_AUTH_FILE}")"#),
        format!(r#"withEnvVariable(name:"HELM_REGISTRY_CONFIG", value:"{APPLY_DOCKER_CONFIG}")"#),
    ] {
        assert!(last.contains(&expected), "{expected} not in {last}");
    }
    assert_plaintexts_only_in_set_secret(&recorded);
    assert_golden("apply", &recorder.normalised());
}

#[tokio::test]
async fn with_config_merges_a_base_file() {
    let base = r#"{"auths":{"quay.io":{"auth":"cXVheTpvbGQ="},"ghcr.io":{"auth":"Z2hjcjpvbGQ="}},"credsStore":"desktop","psFormat":"table"}"#;
    let recorder = Recorder::new(&[
        ("file:/home/me/.docker/config.json", base),
        ("env:GHCR_TOKEN", GHCR_TOKEN),
    ]);
    let query = recorder.query();
    RegistryConfig::new()
        .with_config(&query.secret("file:/home/me/.docker/config.json"))
        .with_registry_auth("ghcr.io", "octocat", &query.secret("env:GHCR_TOKEN"))
        .unwrap()
        .secret(&query, Some("merged"), Format::Docker)
        .await
        .unwrap();
    let recorded = recorder.recorded();
    let plaintext = set_secrets(&recorded)[0]
        .string_arg("setSecret", "plaintext")
        .unwrap()
        .to_owned();
    assert!(
        plaintext.contains("cXVheTpvbGQ=") && !plaintext.contains("Z2hjcjpvbGQ="),
        "{plaintext}"
    );
    assert!(
        !plaintext.contains("credsStore") && plaintext.contains("psFormat"),
        "{plaintext}"
    );
    assert_golden("with_config", &recorder.normalised());
}

/// The error of a call expected to fail (`dagger_sdk::Secret` has no Debug for unwrap_err).
fn expect_err<T>(result: Result<T, Error>) -> Error {
    match result {
        Ok(_) => panic!("expected an error"),
        Err(err) => err,
    }
}

/// Formats an error with its whole cause chain, as a binary would print it.
fn chain(err: &Error) -> String {
    let mut text = format!("{err} {err:?}");
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(&format!(" / {cause}"));
        source = cause.source();
    }
    text
}

#[tokio::test]
async fn builder_refuses_bad_addresses_and_usernames_before_any_query() {
    let recorder = Recorder::new(SECRETS);
    let query = recorder.query();
    let token = query.secret("env:GHCR_TOKEN");
    let err = RegistryConfig::new()
        .with_registry_auth("ghcr.io", "a:b", &token)
        .unwrap_err();
    assert!(
        matches!(err, Error::Core(registry_config::Error::Credential(_))),
        "{err:?}"
    );
    assert!(err.to_string().contains("ghcr.io"), "{err}");
    for bad in ["", "ghcr io", "user@ghcr.io", "ghcr.io:99999"] {
        let results = [
            RegistryConfig::new()
                .with_registry_auth(bad, "u", &token)
                .err(),
            RegistryConfig::new().with_identity_token(bad, &token).err(),
            RegistryConfig::new().with_registry_token(bad, &token).err(),
            RegistryConfig::new().without_registry_auth(bad).err(),
        ];
        for err in results {
            assert!(
                matches!(err, Some(Error::Core(registry_config::Error::Address(_)))),
                "{bad:?}: {err:?}"
            );
        }
    }
    assert!(RegistryConfig::new()
        .with_registry_auth("ghcr.io", "", &token)
        .is_err());
    assert!(recorder.recorded().is_empty());
}

#[tokio::test]
async fn render_errors_send_no_set_secret_and_hold_no_plaintext() {
    let big = "x".repeat(60_000);
    let recorder = Recorder::new(&[
        ("env:GHCR_TOKEN", GHCR_TOKEN),
        ("env:NEWLINE", "canary-line-1\ncanary-line-2"),
        ("env:BIG", &big),
        ("env:BASE", "{\"auths\": canary-not-json"),
    ]);
    let query = recorder.query();
    let secret = |uri: &str| query.secret(uri);

    // A repository scope is fine in auth.json but has no key in config.json.
    let scoped = RegistryConfig::new()
        .with_registry_auth("ghcr.io/octocat", "octocat", &secret("env:GHCR_TOKEN"))
        .unwrap();
    let err = expect_err(scoped.secret(&query, None, Format::Docker).await);
    assert!(
        matches!(err, Error::Core(registry_config::Error::Address(_))),
        "{err:?}"
    );
    scoped
        .secret(&query, None, Format::Containers)
        .await
        .unwrap();

    // A password may hold line breaks (a JSON key); a token, sent in a
    // header as it is, may not.
    let newline = RegistryConfig::new()
        .with_registry_token("ghcr.io", &secret("env:NEWLINE"))
        .unwrap();
    let err = expect_err(newline.secret(&query, None, Format::Docker).await);
    assert!(
        matches!(err, Error::Core(registry_config::Error::Credential(_))),
        "{err:?}"
    );
    assert!(!chain(&err).contains("canary"), "{}", chain(&err));

    let base = RegistryConfig::new().with_config(&secret("env:BASE"));
    let err = expect_err(base.secret(&query, None, Format::Docker).await);
    assert!(
        matches!(err, Error::Core(registry_config::Error::BaseConfig(_))),
        "{err:?}"
    );
    assert!(!chain(&err).contains("canary"), "{}", chain(&err));

    // Three 60 kB tokens: each is allowed, the file is over Dagger's 128000 bytes.
    let mut large = RegistryConfig::new();
    for registry in ["a.example.com", "b.example.com", "c.example.com"] {
        large = large
            .with_registry_token(registry, &secret("env:BIG"))
            .unwrap();
    }
    let err = expect_err(large.secret(&query, None, Format::Docker).await);
    assert!(
        matches!(
            err,
            Error::Core(registry_config::Error::TooLarge { limit: 128_000, .. })
        ),
        "{err:?}"
    );

    // Only the containers-format render reached the engine.
    let recorded = recorder.recorded();
    assert_eq!(set_secrets(&recorded).len(), 1);
    assert!(recorded
        .iter()
        .all(|q| q.has_field("setSecret") || !q.raw.contains("canary")));
}

#[tokio::test]
async fn engine_errors_name_the_operation() {
    let recorder = Recorder::new(&[]);
    let query = recorder.query();
    let err = expect_err(
        RegistryConfig::new()
            .with_identity_token("quay.io", &query.secret("env:MISSING"))
            .unwrap()
            .secret(&query, None, Format::Docker)
            .await,
    );
    assert!(matches!(err, Error::ReadSecret { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "could not read the secret of identity token for quay.io from the Dagger engine"
    );
    assert!(
        chain(&err).contains("secret env:MISSING not found"),
        "{}",
        chain(&err)
    );
    assert!(set_secrets(&recorder.recorded()).is_empty());
}

#[test]
fn errors_can_cross_threads() {
    fn check<T: Send + Sync + 'static + std::error::Error>() {}
    check::<Error>();
}
