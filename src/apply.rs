//! Where drivers put rendered configs, and the limits they share, named once:
//! the Dagger module, the dagger-sdk crate and the CLI use these items.

use std::time::Duration;

use crate::Format;

/// The folder `apply` mounts both files in, and the value of `DOCKER_CONFIG`
/// (docker, buildkit, crane and oras read `config.json` from it).
pub const APPLY_DIR: &str = "/run/registry-config";

/// Where `apply` mounts the Docker format, and the value of `HELM_REGISTRY_CONFIG`.
pub const APPLY_DOCKER_CONFIG: &str = "/run/registry-config/config.json";

/// Where `apply` mounts the containers format, and the value of `REGISTRY_AUTH_FILE`.
pub const APPLY_AUTH_FILE: &str = "/run/registry-config/auth.json";

/// The environment variables `apply` sets, with their values, in order:
/// `DOCKER_CONFIG` names the Docker format's folder (docker, buildkit, crane,
/// oras), the other two name a file (podman, skopeo, buildah; helm).
pub const APPLY_ENV: [(&str, &str); 3] = [
    ("DOCKER_CONFIG", APPLY_DIR),
    ("REGISTRY_AUTH_FILE", APPLY_AUTH_FILE),
    ("HELM_REGISTRY_CONFIG", APPLY_DOCKER_CONFIG),
];

/// How much of a registry's reply body a check reads; registries' error
/// replies are far smaller.
pub const CHECK_BODY_LIMIT: usize = 64 * 1024;

/// How long one check (all of its requests) may take by default.
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(10);

/// Where `apply` mounts the file of `format`.
pub fn apply_path(format: Format) -> &'static str {
    match format {
        Format::Docker => APPLY_DOCKER_CONFIG,
        Format::Containers => APPLY_AUTH_FILE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_the_formats_file_names_in_apply_dir() {
        for format in [Format::Docker, Format::Containers] {
            assert_eq!(
                apply_path(format),
                format!("{APPLY_DIR}/{}", format.file_name())
            );
        }
    }
}
