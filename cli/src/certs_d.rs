//! A registry's own CA certificates, where docker, podman, skopeo and
//! buildah look for them: a `certs.d` folder named after the registry's
//! `host:port`.
//!
//! The registry documentation tells users to trust a self-signed registry
//! by copying its certificate to `/etc/docker/certs.d/HOST:PORT/ca.crt`;
//! containers-certs.d(5) adds `/etc/containers/certs.d` and, per user,
//! `~/.config/containers/certs.d`. A `check` that ignored them would call a
//! registry unreachable that every one of those clients reaches. The lookup
//! is containers/image's (`dockerCertDir` in docker/docker_client.go): the
//! first of the three folders that exists, and every `*.crt` in it is a CA.
//! Client certificates (`*.cert`, `*.key`) are not used.

use std::path::{Path, PathBuf};

/// The certs.d roots, in containers/image's order; the per-user one first.
fn roots() -> Vec<PathBuf> {
    let home = std::env::var_os("HOME").filter(|home| !home.is_empty());
    (home.map(|home| Path::new(&home).join(".config/containers/certs.d")))
        .into_iter()
        .chain(["/etc/containers/certs.d", "/etc/docker/certs.d"].map(PathBuf::from))
        .collect()
}

/// Each `*.crt` file of `host_port`'s folder with its contents, in name
/// order; none when no folder exists for it.
///
/// An unreadable folder or file is an error naming it, as containers/image
/// fails on one: the user put it there to be trusted.
pub fn registry_cas(host_port: &str) -> Result<Vec<(PathBuf, Vec<u8>)>, String> {
    // A host:port never holds a path separator; one that did would leave the root.
    if host_port.contains(['/', '\\']) || host_port.starts_with('.') {
        return Ok(Vec::new());
    }
    let Some(folder) = roots()
        .into_iter()
        .map(|root| root.join(host_port))
        .find(|folder| folder.is_dir())
    else {
        return Ok(Vec::new());
    };
    let cannot =
        |path: &Path, err: std::io::Error| format!("cannot read {}: {err}", path.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .map_err(|err| cannot(&folder, err))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "crt"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| match std::fs::read(&path) {
            Ok(pem) => Ok((path, pem)),
            Err(err) => Err(cannot(&path, err)),
        })
        .collect()
}
