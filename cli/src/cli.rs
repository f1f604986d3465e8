//! The command line, as clap sees it. Each field's doc comment is its help.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use std::sync::LazyLock;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use registry_config::OnRejected;

/// Registry credentials for every container tool, never on disk in plaintext.
///
/// registry-config reads credentials from secret sources (never from the
/// command line), renders the config file that docker, buildkit, podman,
/// skopeo, buildah, helm, oras, crane and kaniko read, and either prints it or
/// hands it to one command on a memory-backed filesystem. It can also resolve
/// the credentials a Docker config keeps behind credential helpers (a keychain),
/// which no container can reach, into a self-contained file.
#[derive(Debug, Parser)]
#[command(name = "registry-config", version, max_term_width = 100)]
#[command(after_help = "\
Examples:
  registry-config render --auth ghcr.io=octocat:env:GITHUB_TOKEN
  registry-config exec --auth ghcr.io=octocat:env:GITHUB_TOKEN -- \\
      helm push chart.tgz oci://ghcr.io/octocat
  registry-config exec --from-host -- \\
      helm push chart.tgz oci://ghcr.io/octocat
  registry-config import --registry ghcr.io

Exit status: 0 success; 1 failure; 2 bad input; for exec, the command's own status.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// How long a cmd: source or a credential helper may run before it is killed,
    /// with every process it started.
    #[arg(long, global = true, value_name = "SECONDS", default_value = "30", value_parser = parse_seconds)]
    pub source_timeout: Duration,
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
  registry-config render --format containers \\
                         --auth quay.io/myorg=robot:file:/run/secrets/quay

  # merge into an existing config, keeping its other hosts and settings
  registry-config render --from ~/.docker/config.json \\
                         --auth ghcr.io=octocat:cmd:'gh auth token'

  # this machine's Docker credentials (keychain helpers resolved), plus one more
  registry-config render --from-host \\
                         --auth quay.io=robot:file:/run/secrets/quay

Nothing but the file goes to stdout; warnings and errors go to stderr.")]
    Render(RenderArgs),

    /// Run a command with the rendered files in a private, memory-backed directory.
    #[command(after_help = "\
The command gets these environment variables, pointing into a fresh 0700 directory on a
memory-backed filesystem ($XDG_RUNTIME_DIR if it is tmpfs, else /dev/shm), removed when it ends:
  DOCKER_CONFIG          the directory; config.json in it (docker, buildkit, crane, oras, podman)
  REGISTRY_AUTH_FILE     auth.json in the containers format (podman, skopeo, buildah)
  HELM_REGISTRY_CONFIG   config.json (helm)
In helper mode (--isolation helper; the default where no memory-backed filesystem exists, as
on macOS) the files hold no credential: they name the credential helper registry-config, and
docker-credential-registry-config, put first on the command's PATH, asks this process for each
registry while the command runs. docker, podman, skopeo, buildah and helm read helpers; oras-py
does not. Windows: exec refuses to run (no private channel for the helper there).
SIGINT, SIGTERM, SIGHUP and SIGQUIT are forwarded to the command. The exit status is the
command's own (128+N when it died of signal N).

Examples:
  registry-config exec --auth ghcr.io=octocat:env:GITHUB_TOKEN -- \\
      skopeo copy oci:./image docker://ghcr.io/octocat/app:1.0
  registry-config exec --auth ghcr.io=octocat:env:GITHUB_TOKEN -- \\
      helm push chart-0.1.0.tgz oci://ghcr.io/octocat/charts

  # the keychain credentials of `docker login` (credsStore/credHelpers), resolved here
  registry-config exec --from-host -- \\
      helm push chart-0.1.0.tgz oci://ghcr.io/octocat/charts")]
    Exec(ExecArgs),

    /// Check credentials against their registries before a tool needs them.
    #[command(after_help = "\
Each entry is checked against its registry (ping, then the Basic or token handshake), and each
--repository for pull (with --push, pull and push) using the entry a client would pick for it.
One line per check on stdout, STATUS TARGET: DETAIL, where STATUS is
  valid       the registry asked for credentials and accepts these
  rejected    it refuses them (401/403); DETAIL is the registry's own message
  anonymous   it refuses them, but the repository can be pulled without credentials
  unverified  they were never checked: the registry asks for none, or a redirect
              took the request to another host, where they are not sent
  error       no verdict: unreachable, TLS failure, malformed reply
Exit status: 0 when every check is valid, 1 otherwise, 2 for bad input.
With --verify, render and exec keep an unverified entry, with a warning.
HTTPS is used, except for addresses written http:// and for loopback registries where HTTPS
fails (as Docker does).

Examples:
  registry-config check --auth ghcr.io=octocat:env:GITHUB_TOKEN
  registry-config check --auth ghcr.io=octocat:env:GITHUB_TOKEN \\
                        --repository ghcr.io/octocat/app --push
  registry-config check --auth registry.internal=ci:file:/run/secrets/pw \\
                        --ca-file corp-ca.pem --json
  registry-config check --from-host")]
    Check(CheckArgs),

    /// Print a Docker config's credentials, credential helpers resolved, as a self-contained file.
    #[command(after_help = "\
Reads a Docker config (default $DOCKER_CONFIG/config.json, else ~/.docker/config.json) and
resolves every registry as Docker does: its credHelpers entry, else the credsStore if one is
set, else its auths entry. Helpers run here, as `docker-credential-NAME get` with the server
URL on stdin, within --source-timeout (default 30 seconds) each; their stderr is not shown.
The registries are the auths keys, the credHelpers keys and what the credsStore lists. The
output names no helper, so it works where the keychain cannot be reached: a container, a CI
tool, a Dagger pipeline.
Nothing but the file goes to stdout; warnings and errors go to stderr.

Exit status: 0 success; 1 a helper is missing, fails or holds nothing for a registry, or a
--registry is not in the config (with --skip-unresolved: a warning, and the registry is left
out); 2 the config itself is bad input (unreadable, not JSON, an auths entry that cannot be
decoded) or a flag is.

Examples:
  # everything `docker login` stored, keychain included
  registry-config import

  # only GitHub's registry, for podman/skopeo/buildah
  registry-config import --registry ghcr.io --format containers

  # hand it to a Dagger pipeline as a secret, never writing it to disk
  dagger call publish \\
      --docker-config cmd:'registry-config import --registry ghcr.io'

  # another config, skipping registries whose helper is not available
  registry-config import --from ./ci/docker/config.json --skip-unresolved")]
    Import(ImportArgs),
}

/// `import`'s arguments.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The Docker config to read (- for stdin). Default: $DOCKER_CONFIG/config.json,
    /// else ~/.docker/config.json.
    #[arg(long, value_name = "PATH|-")]
    pub from: Option<String>,

    /// Import only this registry, in any spelling (ghcr.io, https://ghcr.io/, docker.io).
    /// Repeatable. Default: every registry of the config.
    #[arg(long = "registry", value_name = "REGISTRY")]
    pub registries: Vec<String>,

    /// Which file to print: Docker's config.json or the containers auth.json.
    #[arg(long, value_enum, default_value_t = FormatArg::Docker)]
    pub format: FormatArg,

    /// Leave out, with a warning, a registry whose helper is missing, fails or holds
    /// nothing, instead of stopping with exit status 1.
    #[arg(long)]
    pub skip_unresolved: bool,
}

/// `render`'s arguments.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Which file to render: Docker's config.json or the containers auth.json.
    #[arg(long, value_enum, default_value_t = FormatArg::Docker)]
    pub format: FormatArg,

    #[command(flatten)]
    pub inputs: Inputs,

    #[command(flatten)]
    pub verify: VerifyArgs,
}

/// `exec`'s arguments.
#[derive(Debug, Args)]
pub struct ExecArgs {
    #[command(flatten)]
    pub inputs: Inputs,

    /// Where the credentials live. auto: on Linux with a memory-backed filesystem, as
    /// root in a tmpfs mounted in a private mount namespace, seen by the command alone;
    /// as another user, as with directory; elsewhere (macOS, Linux without tmpfs) as with
    /// helper. directory: in the files of the private directory itself. In both, a
    /// guardian process removes the directory if registry-config is killed. helper: in no
    /// file at all: the files name a credential helper, docker-credential-registry-config,
    /// put on the command's PATH, which asks this process (oras-py reads no helpers: it
    /// gets no credentials this way).
    #[arg(long, value_enum, default_value_t = Isolation::Auto)]
    pub isolation: Isolation,

    #[command(flatten)]
    pub verify: VerifyArgs,

    /// The command to run, and its arguments.
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<OsString>,
}

/// `check`'s arguments.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub inputs: Inputs,

    /// A repository to check pull access on (push too with --push), as
    /// REGISTRY/REPOSITORY. Repeatable.
    #[arg(long = "repository", value_name = "REGISTRY/REPOSITORY")]
    pub repositories: Vec<String>,

    /// Check push access on each --repository as well as pull.
    #[arg(long, requires = "repositories")]
    pub push: bool,

    /// Print [{"registry", "repository", "status", "detail"}] instead of lines.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub network: NetworkArgs,
}

/// `--verify` for `render` and `exec`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Check every credential against its registry first (as `check` does).
    #[arg(long)]
    pub verify: bool,

    /// With --verify, what to do when a registry refuses a credential: stop with
    /// exit status 1 (fail), or drop that registry from the files so tools use
    /// anonymous access (drop).
    #[arg(
        long,
        default_value = "fail",
        requires = "verify",
        value_parser = PossibleValuesParser::new(["fail", "drop"]).try_map(|value| value.parse::<OnRejected>())
    )]
    pub on_rejected: OnRejected,

    #[command(flatten)]
    pub network: NetworkArgs,
}

/// `exec --isolation`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Isolation {
    /// A private mount when the machine allows one, else the directory; helper mode where
    /// no memory-backed filesystem exists.
    Auto,
    /// The private directory, seen by the user's other processes too.
    Directory,
    /// Files without credentials; a credential helper asks this process for them.
    Helper,
}

/// How registries are reached.
#[derive(Debug, Args)]
pub struct NetworkArgs {
    /// Seconds each registry has to answer the whole check.
    #[arg(long, value_name = "SECONDS", default_value = CHECK_SECONDS.as_str(), value_parser = parse_seconds)]
    pub timeout: Duration,

    /// Extra trusted CA certificates (PEM), for registries with a private CA. A registry's
    /// certs.d folder is read without it, as docker and podman read it: the *.crt files in
    /// ~/.config/containers/certs.d/HOST:PORT, else /etc/containers/certs.d/HOST:PORT, else
    /// /etc/docker/certs.d/HOST:PORT.
    #[arg(long, value_name = "PATH")]
    pub ca_file: Option<PathBuf>,
}

impl NetworkArgs {
    /// The timeout.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }
}

/// The core's default check timeout, as `--timeout` writes it.
static CHECK_SECONDS: LazyLock<String> =
    LazyLock::new(|| registry_config::CHECK_TIMEOUT.as_secs_f64().to_string());

/// The longest timeout accepted: a day. Anything longer is a typo.
const MAX_SECONDS: f64 = 86_400.0;

/// A number of seconds, above 0 and at most a day. The error never repeats
/// the value: a misplaced argument may be a secret.
fn parse_seconds(text: &str) -> Result<Duration, String> {
    let refuse = || format!("must be a number of seconds above 0 and at most {MAX_SECONDS}");
    let seconds: f64 = text.trim().parse().map_err(|_| refuse())?;
    if !(seconds > 0.0 && seconds <= MAX_SECONDS) {
        return Err(refuse());
    }
    Duration::try_from_secs_f64(seconds)
        .ok()
        .filter(|duration| !duration.is_zero())
        .ok_or_else(refuse)
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

    /// Start from this machine's Docker credentials ($DOCKER_CONFIG/config.json, else
    /// ~/.docker/config.json), credential helpers and credsStore resolved here, as `import`
    /// does. --auth, --identity-token and --registry-token come after them and win.
    #[arg(long)]
    pub from_host: bool,

    /// With --from-host: leave out, with a warning, a registry whose helper is missing,
    /// fails or holds nothing, instead of stopping with exit status 1.
    #[arg(long, requires = "from_host")]
    pub skip_unresolved: bool,
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
