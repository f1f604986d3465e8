//! Rendering: golden files, ordering, replacement, removal and base-config merge.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use registry_config::{
    AddressProblem, BaseConfig, Credential, Error, Format, RegistryConfig, Secret, Warning,
};

fn secret(value: &str) -> Secret {
    Secret::new(value.to_owned())
}

fn render(config: &RegistryConfig, format: Format) -> String {
    String::from_utf8(config.render(format).unwrap().as_bytes().to_vec()).unwrap()
}

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}"))
}

/// One entry of each kind, with Docker Hub and a loopback registry.
fn sample() -> RegistryConfig {
    let mut config = RegistryConfig::new();
    config
        .insert(
            "https://ghcr.io/",
            Credential::basic("octo", secret("ghp_pass:word")),
        )
        .unwrap();
    config
        .insert("docker.io", Credential::basic("me", secret("dckr_pat_1")))
        .unwrap();
    config
        .insert(
            "http://localhost:5000",
            Credential::identity_token(secret("refresh-1")),
        )
        .unwrap();
    config
        .insert(
            "registry.example:8443",
            Credential::registry_token(secret("bearer\"1")),
        )
        .unwrap();
    config
}

#[test]
fn docker_and_containers_formats_match_the_golden_files() {
    let config = sample();
    assert_eq!(
        render(&config, Format::Docker),
        fixture("sample.docker.json")
    );
    assert_eq!(
        render(&config, Format::Containers),
        fixture("sample.containers.json")
    );
}

#[test]
fn output_is_deterministic() {
    let (a, b) = (sample(), sample());
    assert_eq!(
        a.render(Format::Docker).unwrap().as_bytes(),
        b.render(Format::Docker).unwrap().as_bytes()
    );
    assert_eq!(
        a.render(Format::Docker).unwrap().as_bytes(),
        a.render(Format::Docker).unwrap().as_bytes()
    );
}

#[test]
fn auth_is_padded_base64_of_username_and_secret() {
    let mut config = RegistryConfig::new();
    config
        .insert("ghcr.io", Credential::basic("a", secret("b:c")))
        .unwrap();
    let json: serde_json::Value = serde_json::from_str(&render(&config, Format::Docker)).unwrap();
    let auth = json["auths"]["ghcr.io"]["auth"].as_str().unwrap();
    assert_eq!(auth, "YTpiOmM=");
    assert_eq!(STANDARD.decode(auth).unwrap(), b"a:b:c");
    assert_eq!(
        json["auths"]["ghcr.io"].as_object().unwrap().len(),
        1,
        "only `auth` is written"
    );
}

#[test]
fn an_empty_config_renders_empty_auths() {
    assert_eq!(
        render(&RegistryConfig::new(), Format::Docker),
        "{\n\t\"auths\": {}\n}\n"
    );
}

#[test]
fn a_later_entry_for_the_same_registry_wins_in_place() {
    let mut config = RegistryConfig::new();
    config
        .insert("https://ghcr.io", Credential::basic("a", secret("old")))
        .unwrap();
    config
        .insert("quay.io", Credential::basic("q", secret("q")))
        .unwrap();
    config
        .insert("GHCR.io/", Credential::basic("a", secret("new")))
        .unwrap();
    let json: serde_json::Value = serde_json::from_str(&render(&config, Format::Docker)).unwrap();
    let keys: Vec<_> = json["auths"].as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["ghcr.io", "quay.io"]);
    assert_eq!(json["auths"]["ghcr.io"]["auth"], STANDARD.encode("a:new"));
}

#[test]
fn removal_goes_by_the_normalised_key() {
    let mut config = sample();
    assert!(config.remove("https://index.docker.io/v1/").unwrap());
    assert!(config.remove("GHCR.IO").unwrap());
    assert!(!config.remove("ghcr.io").unwrap(), "already gone");
    assert!(matches!(config.remove("bad host"), Err(Error::Address(_))));
    let keys: Vec<_> = config
        .registries()
        .map(|a| a.canonical().to_owned())
        .collect();
    assert_eq!(keys, ["localhost:5000", "registry.example:8443"]);
}

#[test]
fn repository_scopes_render_in_the_containers_format_only() {
    // Vectors 15 and 16: the most specific key wins in podman, so both are kept.
    let mut config = RegistryConfig::new();
    config
        .insert("ghcr.io", Credential::basic("a", secret("host")))
        .unwrap();
    config
        .insert("ghcr.io/org", Credential::basic("a", secret("org")))
        .unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&render(&config, Format::Containers)).unwrap();
    let keys: Vec<_> = json["auths"].as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["ghcr.io", "ghcr.io/org"]);

    match config.render(Format::Docker) {
        Err(Error::Address(err)) => {
            assert_eq!(err.problem(), &AddressProblem::RepositoryInDockerFormat);
            assert!(err.to_string().contains("\"ghcr.io/org\""), "{err}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn base_config_is_merged_keeping_what_is_not_replaced() {
    let base = BaseConfig::parse(fixture("base.in.json").as_bytes()).unwrap();
    let mut config = RegistryConfig::new();
    config.set_base(base);
    config
        .insert("ghcr.io", Credential::basic("octo", secret("fresh")))
        .unwrap();
    config
        .insert("index.docker.io", Credential::basic("me", secret("hub")))
        .unwrap();
    let rendered = config.render(Format::Docker).unwrap();
    assert_eq!(
        std::str::from_utf8(rendered.as_bytes()).unwrap(),
        fixture("base.out.json")
    );
    assert_eq!(
        rendered.warnings(),
        [
            Warning::CredsStoreDropped,
            Warning::CredHelperDropped {
                registry: "ghcr.io".into(),
                helper: "gh".into()
            },
            Warning::CredHelperDropped {
                registry: "https://index.docker.io/v1/".into(),
                helper: "desktop".into()
            },
        ]
    );
    let messages: Vec<String> = rendered
        .warnings()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        messages[0].starts_with("dropped \"credsStore\""),
        "{}",
        messages[0]
    );
}

#[test]
fn removal_reaches_into_the_base_config() {
    let mut config = RegistryConfig::new();
    config.set_base(BaseConfig::parse(fixture("base.in.json").as_bytes()).unwrap());
    assert!(config.remove("quay.io").unwrap());
    let json: serde_json::Value = serde_json::from_str(&render(&config, Format::Docker)).unwrap();
    assert!(json["auths"].get("quay.io").is_none());
    assert!(
        json["auths"].get("https://ghcr.io").is_some(),
        "other entries stay"
    );
}

#[test]
fn a_thousand_entries_keep_their_order() {
    let mut config = RegistryConfig::new();
    for i in (0..1000).rev() {
        config
            .insert(
                &format!("r{i}.example"),
                Credential::basic("u", secret("s")),
            )
            .unwrap();
    }
    let json: serde_json::Value = serde_json::from_str(&render(&config, Format::Docker)).unwrap();
    let keys: Vec<_> = json["auths"].as_object().unwrap().keys().cloned().collect();
    let expected: Vec<_> = (0..1000).rev().map(|i| format!("r{i}.example")).collect();
    assert_eq!(keys, expected);
}

/// For exec, which writes both files: a scope stays in the containers file
/// and is left out of the Docker file (not widened to its host), with a
/// warning; the user's settings come with the Docker file, not their
/// credentials; the plain render still refuses the scope.
#[test]
fn what_fits_leaves_a_scope_out_of_the_docker_file_and_keeps_the_users_settings() {
    let mut config = sample();
    config
        .insert(
            "quay.io/org/app",
            Credential::basic("bot", secret("scoped-pw")),
        )
        .unwrap();
    let user = BaseConfig::parse(
        br#"{"auths":{"quay.io":{"auth":"dTpw"}},"currentContext":"foo","credsStore":"pass"}"#,
    )
    .unwrap();
    config.keep_settings_of(&user);

    let docker = config.render_what_fits(Format::Docker);
    let text = docker.as_str();
    assert!(
        !text.contains("quay.io"),
        "neither the scope nor the user's own: {text}"
    );
    assert!(text.contains("\"currentContext\": \"foo\""), "{text}");
    assert!(!text.contains("credsStore"), "{text}");
    assert_eq!(docker.entries(), config.len() - 1);
    assert_eq!(
        docker.warnings(),
        [Warning::ScopeLeftOut {
            registry: "quay.io/org/app".into()
        }]
    );
    let containers = config.render_what_fits(Format::Containers);
    assert!(containers.as_str().contains("\"quay.io/org/app\""));
    assert!(containers.warnings().is_empty());
    assert!(config.render(Format::Docker).is_err());
}
