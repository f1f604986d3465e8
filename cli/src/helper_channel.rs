//! Helper mode's private channel: a Unix socket in exec's 0700 directory,
//! over which `docker-credential-registry-config` asks the running `exec`
//! for one registry's credential.
//!
//! Only the user (and root) can reach a socket in a 0700 directory. A random
//! per-run token, handed to the command in its environment and never on a
//! command line, must open every request, so another program of the same
//! user that finds the socket still gets nothing. When `exec` ends, the
//! socket is removed with the directory, and a helper call fails cleanly.
//!
//! One request per connection: `TOKEN\nSERVER_URL`, then the client shuts
//! its side down. The answer is a status line, `found`, `not-found` or
//! `denied`, and after `found` the helper's JSON reply.

use std::io::{Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use eyre::WrapErr;
use registry_config::RegistryConfig;
use zeroize::Zeroizing;

use crate::source::read_up_to;

/// The variable naming the socket, in the command's environment.
pub const SOCKET_VAR: &str = "REGISTRY_CONFIG_HELPER_SOCKET";
/// The variable holding the per-run token, in the command's environment.
pub const TOKEN_VAR: &str = "REGISTRY_CONFIG_HELPER_TOKEN";

/// The socket's name in the exec directory.
const SOCKET_NAME: &str = "helper.sock";
/// A request is a token and an address: far below this.
const REQUEST_LIMIT: usize = 4 * 1024;
/// A reply holds one credential: a 64 KiB secret, JSON-escaped, and its fields.
const REPLY_LIMIT: usize = 512 * 1024;
/// How long either side waits for the other before giving up.
const IO_TIMEOUT: Duration = Duration::from_secs(10);

/// The `exec` side: answers helper requests until dropped.
pub struct Channel {
    path: PathBuf,
    token: String,
    stop: Arc<AtomicBool>,
}

impl Channel {
    /// Listens on a socket in `dir` (which must be private), answering from `config`.
    pub fn open(dir: &Path, config: RegistryConfig) -> eyre::Result<Self> {
        let path = dir.join(SOCKET_NAME);
        let listener = UnixListener::bind(&path)
            .wrap_err_with(|| format!("cannot listen on {}", path.display()))?;
        let token = new_token()?;
        let stop = Arc::new(AtomicBool::new(false));
        let state = Arc::new((config, token.clone()));
        let stopped = Arc::clone(&stop);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let state = Arc::clone(&state);
                std::thread::spawn(move || serve(stream, &state.0, &state.1));
            }
        });
        Ok(Self { path, token, stop })
    }

    /// The variables the command needs to reach the channel.
    pub fn env(&self) -> [(&'static str, &std::ffi::OsStr); 2] {
        [
            (SOCKET_VAR, self.path.as_os_str()),
            (TOKEN_VAR, self.token.as_ref()),
        ]
    }
}

impl Drop for Channel {
    /// Removes the socket, so that nobody can connect any more, and wakes the
    /// listening thread so that it ends and drops the credentials.
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = UnixStream::connect(&self.path);
        let _ = std::fs::remove_file(&self.path);
    }
}

/// 32 random bytes, hex-encoded.
fn new_token() -> eyre::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|err| eyre::eyre!("cannot make the helper channel's token: {err}"))?;
    Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}

/// Answers one request; a client that breaks the protocol gets nothing.
fn serve(mut stream: UnixStream, config: &RegistryConfig, token: &str) {
    let _ = stream.set_read_timeout(Some(IO_TIMEOUT));
    let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
    let Ok(Some(request)) = read_up_to(&mut stream, REQUEST_LIMIT) else {
        return;
    };
    let Some((given, server_url)) = std::str::from_utf8(&request)
        .ok()
        .and_then(|text| text.split_once('\n'))
    else {
        return;
    };
    let _ = if !same(given.as_bytes(), token.as_bytes()) {
        stream.write_all(b"denied\n")
    } else {
        match config.helper_reply(server_url) {
            Some(reply) => stream
                .write_all(b"found\n")
                .and_then(|()| stream.write_all(reply.as_str().as_bytes())),
            None => stream.write_all(b"not-found\n"),
        }
    };
}

/// Compares in time that does not depend on where the bytes differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// What the channel answered.
pub enum Answer {
    /// The helper's JSON reply for `get`.
    Found(Zeroizing<Vec<u8>>),
    /// No credential for that registry.
    NotFound,
}

/// Why the channel gave no answer. No variant holds a secret.
#[derive(Debug, thiserror::Error)]
pub enum AskError {
    /// Not started by `exec` at all.
    #[error("it only answers for a running `registry-config exec` ({SOCKET_VAR} and {TOKEN_VAR} are not set)")]
    NotUnderExec,
    /// The socket is gone: `exec` has ended.
    #[error("the `registry-config exec` that set it up has ended")]
    Ended,
    /// The token did not match.
    #[error("the `registry-config exec` refused the request ({TOKEN_VAR} does not match)")]
    Denied,
    /// The exchange failed.
    #[error("cannot talk to the `registry-config exec`: {0}")]
    Io(String),
}

/// Asks the running `exec` for `server_url`'s credential.
pub fn ask(server_url: &str) -> Result<Answer, AskError> {
    let (Some(path), Some(token)) = (std::env::var_os(SOCKET_VAR), std::env::var_os(TOKEN_VAR))
    else {
        return Err(AskError::NotUnderExec);
    };
    let io = |err: std::io::Error| AskError::Io(err.to_string());
    let mut stream = UnixStream::connect(&path).map_err(|err| match err.kind() {
        std::io::ErrorKind::NotFound | std::io::ErrorKind::ConnectionRefused => AskError::Ended,
        _ => io(err),
    })?;
    stream.set_read_timeout(Some(IO_TIMEOUT)).map_err(io)?;
    stream.set_write_timeout(Some(IO_TIMEOUT)).map_err(io)?;
    let mut request = token.into_encoded_bytes();
    request.push(b'\n');
    request.extend_from_slice(server_url.as_bytes());
    stream.write_all(&request).map_err(io)?;
    stream.shutdown(std::net::Shutdown::Write).map_err(io)?;
    let mut reply = read_up_to(&mut stream, REPLY_LIMIT)
        .map_err(io)?
        .ok_or_else(|| AskError::Io("the reply is too large".into()))?;
    let Some(newline) = reply.iter().position(|&b| b == b'\n') else {
        // Nothing at all: the exec ended while answering.
        return Err(AskError::Ended);
    };
    match &reply[..newline] {
        b"found" => {
            reply.drain(..=newline);
            Ok(Answer::Found(reply))
        }
        b"not-found" => Ok(Answer::NotFound),
        b"denied" => Err(AskError::Denied),
        _ => Err(AskError::Io("unexpected reply".into())),
    }
}

/// Reads the rest of a stream (the helper's stdin), bounded.
pub fn read_request(reader: impl Read) -> Option<Zeroizing<Vec<u8>>> {
    read_up_to(reader, REQUEST_LIMIT).ok().flatten()
}
