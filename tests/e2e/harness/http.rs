//! A minimal HTTP/1.1 GET over a std `TcpStream`.
//!
//! Only the registry's readiness probe and one tag listing need HTTP, always on
//! loopback and with tiny bodies, so a client crate would be more than the job.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use base64::Engine as _;

/// A response: its status code and its raw body.
pub struct Response {
    pub status: u16,
    pub body: String,
}

/// `GET path` on `host` ("127.0.0.1:PORT"), with Basic auth when `basic` is given.
pub fn get(host: &str, path: &str, basic: Option<(&str, &str)>) -> io::Result<Response> {
    let mut stream = TcpStream::connect(host)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    if let Some((user, secret)) = basic {
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{secret}"));
        request.push_str(&format!("Authorization: Basic {token}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes())?;

    let mut raw = String::new();
    stream.read_to_string(&mut raw)?;
    let status = raw
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, format!("not HTTP: {raw:?}")))?;
    let body = raw
        .split_once("\r\n\r\n")
        .map_or("", |(_, body)| body)
        .to_owned();
    Ok(Response { status, body })
}
