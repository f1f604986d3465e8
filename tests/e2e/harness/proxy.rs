//! A small reverse proxy in front of a registry, on threads of the test process
//! at 127.0.0.1:PORT, that counts what passes through it.
//!
//! - [`ProxyMode::PingOk`] answers `GET /v2/` (and `HEAD /v2/`) itself with 200,
//!   and forwards everything else: "/v2/ answers 200 but the repository answers
//!   401", which distribution cannot be configured to do, and which clients that
//!   take their challenge only from the ping (containers/image: skopeo, podman,
//!   buildah) cannot get past.
//! - [`ProxyMode::Transparent`] forwards everything: a request counter in front
//!   of a registry.
//! - [`ProxyMode::Delay`] forwards everything, each request (and each non-HTTP
//!   connection) after sleeping the given time: an emulated network round trip
//!   in front of a loopback server, for `scripts/bench-check`.
//!
//! One request per connection: the request head goes upstream with
//! `Connection: close`, the response head comes back with `Connection: close`,
//! and the bodies are streamed both ways as raw bytes until the registry closes
//! its side (it does, after a `Connection: close` request). The `Host` field is
//! kept, so the registry's `Location` URLs point at the proxy. Bytes that are not
//! HTTP (a TLS ClientHello from a client trying HTTPS first) get a 400 and are
//! counted apart.

use std::io::{self, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use super::wire::{self, Incoming, Server};

/// What the proxy does with `GET /v2/` (and how long it waits before answering).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProxyMode {
    /// Forward it like everything else.
    Transparent,
    /// Answer 200 itself.
    PingOk,
    /// Forward everything, each request only after sleeping this long (one
    /// emulated round trip per request; many requests wait at once, each on its
    /// own thread).
    Delay(Duration),
}

#[derive(Default)]
struct Log {
    /// "METHOD /path" (query left out) of every HTTP request, in arrival order.
    requests: Vec<String>,
    /// Connections whose first bytes were not HTTP.
    not_http: usize,
}

/// A running proxy; dropping it stops it. See the module docs.
pub struct Proxy {
    log: Arc<Mutex<Log>>,
    server: Server,
}

impl Proxy {
    /// Start a proxy in front of `upstream` ("127.0.0.1:PORT").
    pub fn start(upstream: &str, mode: ProxyMode) -> Proxy {
        let log = Arc::new(Mutex::new(Log::default()));
        let logging = Arc::clone(&log);
        let upstream = upstream.to_owned();
        let server = Server::start(move |stream| {
            let _ = handle(stream, &upstream, mode, &logging);
        });
        Proxy { log, server }
    }

    /// "127.0.0.1:PORT": the address clients use.
    pub fn host(&self) -> String {
        self.server.host()
    }

    /// Every HTTP request so far, as "METHOD /path".
    pub fn requests(&self) -> Vec<String> {
        self.log.lock().expect("log").requests.clone()
    }

    /// Connections so far that did not start with HTTP (TLS attempts).
    pub fn not_http(&self) -> usize {
        self.log.lock().expect("log").not_http
    }
}

fn handle(
    mut client: TcpStream,
    upstream: &str,
    mode: ProxyMode,
    log: &Mutex<Log>,
) -> io::Result<()> {
    let incoming = wire::read_head(&mut client)?;
    if let ProxyMode::Delay(delay) = mode {
        if !matches!(incoming, Incoming::Closed) {
            thread::sleep(delay);
        }
    }
    let (head, start) = match incoming {
        Incoming::Head(head, start) => (head, start),
        Incoming::Closed => return Ok(()),
        Incoming::NotHttp => {
            log.lock().expect("log").not_http += 1;
            return wire::respond(&mut client, 400, &[], b"not HTTP\n");
        }
    };
    let path = head.second.split('?').next().unwrap_or("").to_owned();
    log.lock()
        .expect("log")
        .requests
        .push(format!("{} {path}", head.first));

    if mode == ProxyMode::PingOk
        && matches!(head.first.as_str(), "GET" | "HEAD")
        && matches!(path.as_str(), "/v2/" | "/v2")
    {
        let body: &[u8] = if head.first == "GET" { b"{}" } else { b"" };
        return wire::respond(
            &mut client,
            200,
            &[
                ("Content-Type", "application/json; charset=utf-8"),
                ("Docker-Distribution-API-Version", "registry/2.0"),
            ],
            body,
        );
    }

    let mut server = TcpStream::connect(upstream)?;
    server.set_read_timeout(Some(Duration::from_secs(60)))?;
    server.set_nodelay(true)?;
    server.write_all(&head.to_bytes_closing())?;
    server.write_all(&start)?;

    // The rest of the request body, client -> registry, on its own thread.
    let mut from_client = client.try_clone()?;
    let mut to_server = server.try_clone()?;
    let uploader = thread::spawn(move || {
        let _ = io::copy(&mut from_client, &mut to_server);
        let _ = to_server.shutdown(Shutdown::Write);
    });

    // The response head, with `Connection: close`, then the body until the
    // registry closes. (The clients here send no `Expect: 100-continue`, so no
    // 1xx head comes first.)
    let result = (|| {
        let Incoming::Head(head, start) = wire::read_head(&mut server)? else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "no response head",
            ));
        };
        client.write_all(&head.to_bytes_closing())?;
        client.write_all(&start)?;
        io::copy(&mut server, &mut client)?;
        client.flush()
    })();
    let _ = client.shutdown(Shutdown::Both);
    let _ = server.shutdown(Shutdown::Both);
    let _ = uploader.join();
    result
}
