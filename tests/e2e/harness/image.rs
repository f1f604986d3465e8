//! A tiny OCI image layout built with `umoci`, to push with skopeo or load
//! into podman/buildah. One small file in one layer: pushing it takes
//! milliseconds, and nothing is downloaded.

use std::fs;
use std::process::Command;

use tempfile::TempDir;

use super::registry::random_secret;

/// An OCI image layout on disk (removed on drop).
pub struct OciImage {
    dir: TempDir,
}

impl OciImage {
    /// Build the image: `umoci init`, `umoci new`, `umoci insert` of one file.
    pub fn build() -> OciImage {
        // podman and buildah name an `oci:` image after its path, and image names
        // must be lower-case, so the directory gets a lower-case random name.
        let dir = tempfile::Builder::new()
            .prefix(&format!("e2e-image-{}", random_secret()))
            .rand_bytes(0)
            .tempdir()
            .expect("tempdir");
        let layout = dir.path().join("layout");
        let image = format!("{}:latest", layout.display());
        let file = dir.path().join("hello.txt");
        fs::write(&file, "hello from registry-config\n").expect("write layer file");
        let layout = layout.to_str().expect("utf-8 path");
        let file = file.to_str().expect("utf-8 path");
        // --rootless: works as root too, and without it a non-root run would fail on chown.
        for args in [
            &["init", "--layout", layout][..],
            &["new", "--image", &image],
            &[
                "insert",
                "--rootless",
                "--image",
                &image,
                file,
                "/hello.txt",
            ],
        ] {
            let out = Command::new("umoci")
                .args(args)
                .output()
                .expect("run umoci");
            assert!(
                out.status.success(),
                "umoci {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        OciImage { dir }
    }

    /// The image as a containers-image reference: `oci:DIR:latest`.
    pub fn reference(&self) -> String {
        format!("oci:{}:latest", self.dir.path().join("layout").display())
    }
}
