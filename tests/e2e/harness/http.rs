//! A minimal HTTP/1.1 client over a std `TcpStream`.
//!
//! Only readiness probes, a few registry and token-server calls and the test
//! servers' own checks need it, always on loopback with tiny bodies, so a
//! client crate would be more than the job.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use base64::Engine as _;

/// A response: its status code, header fields and raw body.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// `GET path` on `host` ("127.0.0.1:PORT"), with Basic auth when `basic` is given.
pub fn get(host: &str, path: &str, basic: Option<(&str, &str)>) -> io::Result<Response> {
    let authorization = basic.map(|(user, secret)| {
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{secret}"));
        format!("Basic {token}")
    });
    let headers: Vec<(&str, &str)> = authorization
        .iter()
        .map(|value| ("Authorization", value.as_str()))
        .collect();
    request(host, "GET", path, &headers, b"")
}

/// `GET path` on `host` with `Authorization: Bearer TOKEN`.
pub fn get_bearer(host: &str, path: &str, token: &str) -> io::Result<Response> {
    let authorization = format!("Bearer {token}");
    request(host, "GET", path, &[("Authorization", &authorization)], b"")
}

/// `METHOD path` on `host` with extra header fields and a body (Content-Length
/// is added when the body is not empty).
pub fn request(
    host: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> io::Result<Response> {
    let mut stream = TcpStream::connect(host)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    for (key, value) in headers {
        request.push_str(&format!("{key}: {value}\r\n"));
    }
    if !body.is_empty() {
        request.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes())?;
    stream.write_all(body)?;

    let mut raw = String::new();
    stream.read_to_string(&mut raw)?;
    let status = raw
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, format!("not HTTP: {raw:?}")))?;
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let headers = head
        .split("\r\n")
        .skip(1)
        .filter_map(|line| line.split_once(':'))
        .map(|(key, value)| (key.trim().to_owned(), value.trim().to_owned()))
        .collect();
    Ok(Response {
        status,
        headers,
        body: body.to_owned(),
    })
}
