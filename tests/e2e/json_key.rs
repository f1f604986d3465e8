//! Google Artifact Registry and GCR take a service-account key, multi-line
//! JSON, as the password of `_json_key` (`docker login -u _json_key
//! --password-stdin < key.json`). A registry whose password is such a key,
//! and skopeo pushing through the rendered file.

use crate::harness::cli::{render, Format};
use crate::harness::registry::Registry;
use crate::harness::sandbox::Sandbox;
use crate::harness::{output, skopeo, tools};

/// A key shaped like Google's: pretty-printed JSON, a PEM key with escaped
/// line breaks inside, a tab, and the line break a file ends with.
fn json_key() -> String {
    let private = "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----\\n";
    format!(
        "{{\n  \"type\": \"service_account\",\n  \"project_id\": \"e2e\",\n\t\"private_key\": \"{private}\",\n  \"client_email\": \"ci@e2e.iam.gserviceaccount.com\"\n}}\n"
    )
}

#[test]
fn a_multi_line_json_key_is_a_password_skopeo_can_push_with() {
    if !tools::require_all(&["docker-registry", "htpasswd", "skopeo", "umoci"]) {
        return;
    }
    let key = json_key();
    // What `docker login --password-stdin` sends: the file without its
    // last line break.
    let registry = Registry::start_with_password(key.strip_suffix('\n').unwrap());
    let dir = tempfile::tempdir().expect("tempdir");
    let key_file = dir.path().join("key.json");
    std::fs::write(&key_file, &key).expect("write the key");

    for format in [Format::Containers, Format::Docker] {
        let out = render(
            &[
                "--format",
                format.name(),
                "--auth",
                &format!("{}=alice:file:{}", registry.host(), key_file.display()),
            ],
            &[],
        );
        let rendered = output::success(&out, "registry-config render");
        let file = dir.path().join(format.file_name());
        std::fs::write(&file, rendered).expect("write the rendered file");
        let sandbox = Sandbox::new();
        let pushed = skopeo::push(&sandbox, Some(&file), registry.host(), "gcr/app");
        output::success(&pushed, "skopeo push with the JSON key");
    }
    assert!(registry.tags("gcr/app").contains("v1"));
}
