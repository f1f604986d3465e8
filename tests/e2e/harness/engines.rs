//! The push/pull round trip podman and buildah share: the same commands and
//! flags in both tools, so one body proves both.

use std::process::Output;

use super::image::OciImage;
use super::output;
use super::registry::Registry;
use super::sandbox::Sandbox;
use super::storage::Storage;
use super::via::Via;

/// A tool (podman or buildah) with private storage in its own sandbox.
pub struct Engine {
    tool: &'static str,
    sandbox: Sandbox,
    storage: Storage,
}

impl Engine {
    /// Fresh storage for `tool`.
    pub fn new(tool: &'static str) -> Engine {
        let sandbox = Sandbox::new();
        let storage = Storage::new(&sandbox);
        Engine {
            tool,
            sandbox,
            storage,
        }
    }

    /// `TOOL SUBCOMMAND [credentials] ARGS...`, credentials from `via` if any.
    fn run(&self, subcommand: &str, args: &[&str], via: Option<&Via>) -> Output {
        let mut cmd = self.storage.command(&self.sandbox, self.tool);
        cmd.arg(subcommand);
        match via {
            Some(via) => via.run(cmd, args),
            None => cmd.args(args).output().expect("run engine"),
        }
    }

    /// Load the umoci image into local storage (no registry involved); its image id.
    fn load(&self) -> String {
        let image = OciImage::build();
        let out = self.run("pull", &["-q", &image.reference()], None);
        let id = output::success(&out, &format!("{} pull oci:", self.tool));
        id.trim().to_owned()
    }

    fn push(&self, id: &str, dest: &str, via: &Via) -> Output {
        let target = format!("docker://{dest}");
        self.run("push", &["--tls-verify=false", id, &target], Some(via))
    }

    fn pull(&self, dest: &str, via: &Via) -> Output {
        self.run("pull", &["-q", "--tls-verify=false", dest], Some(via))
    }

    /// Push the image to `HOST/repo:v1` with `push`'s credentials, forget it
    /// locally, then pull it back with `pull`'s credentials.
    pub fn push_pull(&self, reg: &Registry, repo: &str, push: &Via, pull: &Via) {
        let (tool, id) = (self.tool, self.load());
        let dest = format!("{}/{repo}:v1", reg.host());
        output::success(&self.push(&id, &dest, push), &format!("{tool} push"));
        assert!(reg.tags(repo).contains("\"v1\""), "the registry lists v1");

        output::success(&self.run("rmi", &["-f", &id], None), &format!("{tool} rmi"));
        let pulled = output::success(&self.pull(&dest, pull), &format!("{tool} pull"));
        assert_eq!(pulled.trim(), id, "pulled the image that was pushed");
    }

    /// Push and pull must both fail with `unauthorized`.
    pub fn denied(&self, reg: &Registry, via: &Via) {
        let (tool, id) = (self.tool, self.load());
        let dest = format!("{}/denied/app:v1", reg.host());
        let push = self.push(&id, &dest, via);
        output::failure(&push, &format!("{tool} push"), &["unauthorized"]);
        let pull = self.pull(&dest, via);
        output::failure(&pull, &format!("{tool} pull"), &["unauthorized"]);
    }
}
