//! Debug output of every core type that can hold a secret never shows it, in
//! plain text or base64.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use registry_config::auth::{Action, Handshake, Response};
use registry_config::{BaseConfig, Credential, Format, RegistryAddress, RegistryConfig, Secret};

const CANARY: &str = "dbg-canary-Xq71";

fn assert_hidden(what: &str, shown: &str) {
    for form in [
        CANARY.to_owned(),
        STANDARD.encode(CANARY),
        STANDARD.encode(format!("me:{CANARY}")),
    ] {
        assert!(!shown.contains(&form), "{what} shows {form:?}: {shown}");
    }
}

fn secret() -> Secret {
    Secret::new(CANARY.to_owned())
}

#[test]
fn debug_output_is_redacted() {
    let credentials = [
        Credential::basic("me", secret()),
        Credential::identity_token(secret()),
        Credential::registry_token(secret()),
    ];
    for credential in &credentials {
        assert_hidden("Credential", &format!("{credential:?} {credential:#?}"));
    }
    assert_hidden("Secret", &format!("{:?} {}", secret(), secret()));

    let base_json = format!(
        r#"{{"auths":{{"quay.io":{{"auth":"{}"}}}},"credsStore":"x"}}"#,
        STANDARD.encode(format!("me:{CANARY}"))
    );
    let base = BaseConfig::parse(base_json.as_bytes()).unwrap();
    assert_hidden("BaseConfig", &format!("{base:?}"));

    let mut config = RegistryConfig::new();
    config.set_base(base);
    config
        .insert("ghcr.io", Credential::basic("me", secret()))
        .unwrap();
    config
        .insert("docker.io", Credential::identity_token(secret()))
        .unwrap();
    assert_hidden("RegistryConfig", &format!("{config:?} {config:#?}"));
    let rendered = config.render(Format::Docker).unwrap();
    assert!(String::from_utf8_lossy(rendered.as_bytes())
        .contains(&STANDARD.encode(format!("me:{CANARY}"))));
    assert_hidden("Rendered", &format!("{rendered:?}"));
    let targets = config.check_targets(&[]).unwrap();
    assert_hidden("CheckTarget", &format!("{targets:?}"));

    // Requests carry the credential in their header and form.
    let address = RegistryAddress::parse("registry.example/app").unwrap();
    for credential in &credentials {
        let mut handshake = Handshake::new(&address, Some(credential), true);
        let _ping = handshake.poll_action();
        handshake.handle_response(Response {
            status: 401,
            www_authenticate: vec![
                r#"Bearer realm="https://auth.example/token",service="s""#.into()
            ],
            body: vec![],
            url: None,
        });
        if let Some(Action::Send(request)) = handshake.poll_action() {
            assert_hidden("Request", &format!("{request:?}"));
        }
    }
}
