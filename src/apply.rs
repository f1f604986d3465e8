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

/// The environment variables that point every tool at a folder holding both
/// rendered files, each with the file it names (none: the folder itself):
/// `DOCKER_CONFIG` the folder (docker, buildkit, crane, oras),
/// `REGISTRY_AUTH_FILE` the containers format (podman, skopeo, buildah) and
/// `HELM_REGISTRY_CONFIG` the Docker format (helm). `apply` sets them for
/// [`APPLY_DIR`], and the CLI's `exec` for its private folder.
pub const TOOL_ENV: [(&str, Option<Format>); 3] = [
    ("DOCKER_CONFIG", None),
    ("REGISTRY_AUTH_FILE", Some(Format::Containers)),
    ("HELM_REGISTRY_CONFIG", Some(Format::Docker)),
];

/// [`TOOL_ENV`] for [`APPLY_DIR`]: the variables `apply` sets, with their
/// values, in order.
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
    fn apply_env_is_tool_env_in_apply_dir() {
        for ((name, file), (apply_name, value)) in TOOL_ENV.into_iter().zip(APPLY_ENV) {
            assert_eq!(name, apply_name);
            assert_eq!(value, file.map_or(APPLY_DIR, apply_path));
        }
    }

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
