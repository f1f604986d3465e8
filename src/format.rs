//! The two config file formats registry-config renders.

use crate::Quoted;
use std::fmt;
use std::str::FromStr;

/// Which file to render.
///
/// ```
/// use registry_config::Format;
///
/// assert_eq!("containers".parse::<Format>().unwrap(), Format::Containers);
/// assert_eq!(Format::default().to_string(), "docker");
/// assert!("podman".parse::<Format>().is_err());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Format {
    /// Docker's `config.json`: read by docker, buildkit, crane, kaniko, helm,
    /// oras, regclient and, as a fallback, podman, skopeo and buildah.
    /// Host-wide keys only.
    #[default]
    Docker,
    /// The containers `auth.json` (podman, skopeo, buildah): the same shape,
    /// but keys may name a repository scope, and Docker Hub is `docker.io`.
    Containers,
}

impl Format {
    /// The file name each format's tools look for.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Docker => "config.json",
            Format::Containers => "auth.json",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Docker => "docker",
            Format::Containers => "containers",
        })
    }
}

/// A format name other than `docker` or `containers`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown format {}: expected \"docker\" or \"containers\"", Quoted(.0))]
pub struct UnknownFormat(String);

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "docker" => Ok(Format::Docker),
            "containers" => Ok(Format::Containers),
            other => Err(UnknownFormat(other.to_owned())),
        }
    }
}
