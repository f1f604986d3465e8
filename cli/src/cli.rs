//! The command line, as clap sees it. Each field's doc comment is its help.

use std::ffi::OsString;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Registry credentials for every container tool, never on disk in plaintext.
///
/// registry-config reads credentials from secret sources (never from the
/// command line), renders the config file that docker, buildkit, podman,
/// skopeo, buildah, helm, oras, crane and kaniko read, and either prints it or
/// hands it to one command on a memory-backed filesystem.
#[derive(Debug, Parser)]
#[command(name = "registry-config", version, max_term_width = 100)]
#[command(after_help = "\
Examples:
  registry-config render --auth ghcr.io=octocat:env:GITHUB_TOKEN
  registry-config exec --auth ghcr.io=octocat:env:GITHUB_TOKEN -- helm push chart.tgz oci://ghcr.io/octocat

Exit status: 0 success; 1 failure; 2 bad input; for exec, the command's own status.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print a rendered config file to stdout.
    #[command(after_help = "\
Examples:
  # Docker config.json for GitHub and Docker Hub, from environment variables
  registry-config render --auth ghcr.io=octocat:env:GITHUB_TOKEN \\
                         --auth docker.io=me:env:DOCKERHUB_TOKEN

  # containers auth.json, password read from a file, scoped to one namespace
  registry-config render --format containers --auth quay.io/myorg=robot:file:/run/secrets/quay

  # merge into an existing config, keeping its other hosts and settings
  registry-config render --from ~/.docker/config.json --auth ghcr.io=octocat:cmd:'gh auth token'

Nothing but the file goes to stdout; warnings and errors go to stderr.")]
    Render(RenderArgs),

    /// Run a command with the rendered files in a private, memory-backed directory.
    #[command(after_help = "\
The command gets these environment variables, pointing into a fresh 0700 directory on a
memory-backed filesystem ($XDG_RUNTIME_DIR if it is tmpfs, else /dev/shm), removed when it ends:
  DOCKER_CONFIG          the directory; config.json in it (docker, buildkit, crane, oras, podman)
  REGISTRY_AUTH_FILE     auth.json in the containers format (podman, skopeo, buildah)
  HELM_REGISTRY_CONFIG   config.json (helm)
SIGINT and SIGTERM are forwarded to the command. The exit status is the command's own
(128+N when it died of signal N).

Examples:
  registry-config exec --auth ghcr.io=octocat:env:GITHUB_TOKEN -- \\
      skopeo copy oci:./image docker://ghcr.io/octocat/app:1.0
  registry-config exec --auth ghcr.io=octocat:env:GITHUB_TOKEN -- \\
      helm push chart-0.1.0.tgz oci://ghcr.io/octocat/charts")]
    Exec(ExecArgs),
}

/// `render`'s arguments.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Which file to render: Docker's config.json or the containers auth.json.
    #[arg(long, value_enum, default_value_t = FormatArg::Docker)]
    pub format: FormatArg,

    #[command(flatten)]
    pub inputs: Inputs,
}

/// `exec`'s arguments.
#[derive(Debug, Args)]
pub struct ExecArgs {
    #[command(flatten)]
    pub inputs: Inputs,

    /// The command to run, and its arguments.
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<OsString>,
}

/// Where credentials come from; shared by every subcommand.
#[derive(Debug, Args)]
pub struct Inputs {
    /// A username and password or token: REGISTRY=USERNAME:SOURCE, where SOURCE is
    /// env:NAME, file:PATH, cmd:COMMAND or stdin. Repeat for more registries; a later
    /// entry for the same registry wins.
    #[arg(long, value_name = "REGISTRY=USERNAME:SOURCE")]
    pub auth: Vec<String>,

    /// An OAuth2 refresh token (written as identitytoken): REGISTRY=SOURCE.
    #[arg(long, value_name = "REGISTRY=SOURCE")]
    pub identity_token: Vec<String>,

    /// A bearer token sent as it is (written as registrytoken): REGISTRY=SOURCE.
    #[arg(long, value_name = "REGISTRY=SOURCE")]
    pub registry_token: Vec<String>,

    /// An existing Docker config.json to merge into (- for stdin). Its other hosts and
    /// settings are kept; credsStore, and credHelpers for the rendered registries, are
    /// dropped with a warning.
    #[arg(long, value_name = "PATH|-")]
    pub from: Option<String>,
}

/// `--format`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum FormatArg {
    /// Docker's config.json: docker, buildkit, crane, kaniko, helm, oras, regclient.
    Docker,
    /// containers auth.json: podman, skopeo, buildah; keys may name a repository.
    Containers,
}

impl From<FormatArg> for registry_config::Format {
    fn from(format: FormatArg) -> Self {
        match format {
            FormatArg::Docker => registry_config::Format::Docker,
            FormatArg::Containers => registry_config::Format::Containers,
        }
    }
}
