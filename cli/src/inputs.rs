//! Turning `--from-host`, `--auth`, `--identity-token`, `--registry-token` and
//! `--from` into a [`RegistryConfig`], reading each secret from its source:
//! the three flags become the core's [`Operation`]s, replayed in command-line
//! order by the core.

use std::io::Read;

use clap::ArgMatches;
use registry_config::{BaseConfig, Operation, RegistryAddress, RegistryConfig};

use crate::cli::Inputs;
use crate::source::{read_up_to, Source, SOURCE_FORMS};

/// The largest base config accepted; real ones are a few KiB.
const MAX_BASE_CONFIG: usize = 4 * 1024 * 1024;

/// Bad command-line input: exit status 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub String);

/// Which flag an entry came from.
#[derive(Clone, Copy)]
enum Flag {
    Auth,
    IdentityToken,
    RegistryToken,
}

impl Flag {
    fn name(self) -> &'static str {
        match self {
            Flag::Auth => "--auth",
            Flag::IdentityToken => "--identity-token",
            Flag::RegistryToken => "--registry-token",
        }
    }
}

/// Builds the config in command-line order, so that a later flag for the
/// same registry wins whichever of the three flags it is. `--from-host`
/// credentials come first, so any flag wins over them. `stdin` may serve one
/// source (or `--from -`), not two.
pub fn resolve(inputs: &Inputs, matches: &ArgMatches) -> eyre::Result<RegistryConfig> {
    let mut flags: Vec<(usize, Flag, &str)> = Vec::new();
    for (id, flag, values) in [
        ("auth", Flag::Auth, &inputs.auth),
        (
            "identity_token",
            Flag::IdentityToken,
            &inputs.identity_token,
        ),
        (
            "registry_token",
            Flag::RegistryToken,
            &inputs.registry_token,
        ),
    ] {
        let indices = matches.indices_of(id).into_iter().flatten();
        flags.extend(
            indices
                .zip(values)
                .map(|(index, value)| (index, flag, value.as_str())),
        );
    }
    flags.sort_by_key(|&(index, ..)| index);

    // Every flag is checked before any source is read or any command run.
    let mut operations = Vec::with_capacity(flags.len());
    let mut seen = [0usize; 3];
    for (_, flag, value) in flags {
        let (registry, username, source) = split(flag, value)?;
        // Named by its canonical form from here on: an address may carry `user:password@`.
        let address = RegistryAddress::parse(registry).map_err(registry_config::Error::from)?;
        seen[flag as usize] += 1;
        let entry = format!(
            "{} #{} for {}",
            flag.name(),
            seen[flag as usize],
            address.canonical()
        );
        // The secret takes its place once read.
        let address = registry.to_owned();
        let operation = match (flag, username) {
            (Flag::Auth, Some(username)) => Operation::Auth {
                address,
                username: username.to_owned(),
                secret: (),
            },
            (Flag::IdentityToken, _) => Operation::IdentityToken { address, token: () },
            (Flag::RegistryToken, _) | (Flag::Auth, None) => {
                Operation::RegistryToken { address, token: () }
            }
        };
        operations.push((entry, source, operation));
    }
    let stdin_readers = operations
        .iter()
        .filter(|(_, source, _)| *source == Source::Stdin)
        .count()
        + usize::from(inputs.from.as_deref() == Some("-"));
    if stdin_readers > 1 {
        return Err(InputError("stdin can be the source of one input only".into()).into());
    }

    let mut config = RegistryConfig::new();
    if let Some(from) = &inputs.from {
        config.set_base(read_docker_config(&format!("--from {from}"), from)?);
    }
    if inputs.from_host {
        let host = crate::host::resolve(Some("--from-host"), None, &[], inputs.skip_unresolved)?;
        crate::host::insert_all(&mut config, host)?;
    }
    for (entry, source, operation) in operations {
        let secret = source.read(&entry, &mut std::io::stdin().lock())?;
        operation.map_secret(|()| secret).apply(&mut config)?;
    }
    Ok(config)
}

/// Splits `REGISTRY=USERNAME:SOURCE` (or `REGISTRY=SOURCE`). The source is
/// found by its prefix, so a `:` in the username reaches the core's own
/// check; anything that is not a source is refused without being echoed.
fn split(flag: Flag, value: &str) -> Result<(&str, Option<&str>, Source), InputError> {
    let name = flag.name();
    let Some((registry, rest)) = value.split_once('=') else {
        let form = match flag {
            Flag::Auth => "REGISTRY=USERNAME:SOURCE",
            _ => "REGISTRY=SOURCE",
        };
        return Err(InputError(format!(
            "{name} expects {form}; no '=' was given"
        )));
    };
    let literal = || {
        let shown = RegistryAddress::parse(registry).map_or_else(
            |_| "REGISTRY".to_owned(),
            |address| address.canonical().to_owned(),
        );
        InputError(format!(
            "{name} {shown}=...: a secret must come from {SOURCE_FORMS}, never from the \
             command line itself, where ps and shell history would show it"
        ))
    };
    match flag {
        Flag::Auth => {
            let start = ["env:", "file:", "cmd:", "stdin"]
                .iter()
                .filter_map(|prefix| rest.find(&format!(":{prefix}")))
                .min()
                .ok_or_else(literal)?;
            let source = Source::parse(&rest[start + 1..]).ok_or_else(literal)?;
            Ok((registry, Some(&rest[..start]), source))
        }
        _ => Ok((registry, None, Source::parse(rest).ok_or_else(literal)?)),
    }
}

/// Reads and parses the Docker config at `path` (`-` for stdin); `shown`
/// (`--from PATH`) starts every error message.
pub fn read_docker_config(shown: &str, path: &str) -> eyre::Result<BaseConfig> {
    let read = |reader: &mut dyn Read| read_up_to(reader, MAX_BASE_CONFIG);
    let bytes = if path == "-" {
        read(&mut std::io::stdin().lock())
    } else {
        std::fs::File::open(path).and_then(|mut file| read(&mut file))
    };
    let bytes = match bytes {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Err(InputError(format!("{shown}: larger than 4 MiB")).into()),
        Err(reason) => {
            return Err(InputError(format!("{shown}: cannot read it: {reason}")).into());
        }
    };
    BaseConfig::parse(&bytes).map_err(|err| InputError(format!("{shown}: {err}")).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_the_source_prefix() {
        let (registry, user, source) = split(Flag::Auth, "ghcr.io=me:env:TOKEN").unwrap();
        assert_eq!(
            (registry, user, source),
            ("ghcr.io", Some("me"), Source::Env("TOKEN".into()))
        );
        let (_, user, _) = split(Flag::Auth, "h=a:b:file:/x").unwrap();
        assert_eq!(user, Some("a:b"), "the core refuses this username");
        let (_, user, source) = split(Flag::Auth, "h=me:cmd:echo env:x").unwrap();
        assert_eq!(
            (user, source),
            (Some("me"), Source::Cmd("echo env:x".into()))
        );
        let (_, user, source) = split(Flag::IdentityToken, "h=stdin").unwrap();
        assert_eq!((user, source), (None, Source::Stdin));
    }

    #[test]
    fn a_literal_secret_is_refused_without_being_echoed() {
        for (flag, value) in [
            (Flag::Auth, "ghcr.io=me:hunter2"),
            (Flag::RegistryToken, "ghcr.io=hunter2"),
        ] {
            let err = split(flag, value).unwrap_err().to_string();
            assert!(!err.contains("hunter2"), "{err}");
            assert!(
                err.contains("env:NAME, file:PATH, cmd:COMMAND or stdin"),
                "{err}"
            );
        }
        let err = split(Flag::Auth, "hunter2").unwrap_err().to_string();
        assert!(!err.contains("hunter2"), "{err}");
    }
}
