//! The server side of HTTP/1.1, as little as the test servers need: read a
//! request or response head, look up a header, decode a query or form, write a
//! whole response. Both test servers (token_server.rs, proxy.rs) answer one
//! request per connection and close it (`Connection: close`), so no framing of
//! several messages on one connection is needed.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// The largest head the servers accept.
const MAX_HEAD: usize = 64 * 1024;

/// A parsed head: the start line split in three, and the header fields in order.
#[derive(Debug)]
pub struct Head {
    /// Request: method; response: version.
    pub first: String,
    /// Request: target (path and query); response: status code.
    pub second: String,
    /// Request: version; response: reason phrase.
    pub third: String,
    pub headers: Vec<(String, String)>,
}

impl Head {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// `Content-Length`, 0 when absent.
    pub fn content_length(&self) -> usize {
        self.header("content-length")
            .and_then(|value| value.trim().parse().ok())
            .unwrap_or(0)
    }

    /// The head as bytes, with every `Connection`/`Keep-Alive` field replaced by
    /// `Connection: close`.
    pub fn to_bytes_closing(&self) -> Vec<u8> {
        let mut text = format!("{} {} {}\r\n", self.first, self.second, self.third);
        for (key, value) in &self.headers {
            if key.eq_ignore_ascii_case("connection")
                || key.eq_ignore_ascii_case("keep-alive")
                || key.eq_ignore_ascii_case("proxy-connection")
            {
                continue;
            }
            text.push_str(&format!("{key}: {value}\r\n"));
        }
        text.push_str("Connection: close\r\n\r\n");
        text.into_bytes()
    }
}

/// What [`read_head`] found on the connection.
pub enum Incoming {
    /// A head, and the bytes read after it (the start of the body).
    Head(Head, Vec<u8>),
    /// The peer closed before sending anything.
    Closed,
    /// Bytes that are not HTTP (a TLS ClientHello, say).
    NotHttp,
}

/// Read up to the blank line that ends a head.
pub fn read_head(stream: &mut impl Read) -> io::Result<Incoming> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Ok(if buf.is_empty() {
                Incoming::Closed
            } else {
                Incoming::NotHttp
            });
        }
        buf.extend_from_slice(&chunk[..n]);
        // Anything but a printable ASCII start is not HTTP (TLS starts with 0x16).
        if !buf[0].is_ascii_alphabetic() {
            return Ok(Incoming::NotHttp);
        }
        if let Some(end) = find(&buf, b"\r\n\r\n") {
            let rest = buf.split_off(end + 4);
            return Ok(
                parse_head(&buf).map_or(Incoming::NotHttp, |head| Incoming::Head(head, rest))
            );
        }
        if buf.len() > MAX_HEAD {
            return Ok(Incoming::NotHttp);
        }
    }
}

fn parse_head(bytes: &[u8]) -> Option<Head> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut lines = text.split("\r\n").filter(|line| !line.is_empty());
    let mut start = lines.next()?.splitn(3, ' ');
    let (first, second) = (start.next()?.to_owned(), start.next()?.to_owned());
    let third = start.next().unwrap_or("").to_owned();
    let headers = lines
        .map(|line| {
            let (key, value) = line.split_once(':')?;
            Some((key.trim().to_owned(), value.trim().to_owned()))
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Head {
        first,
        second,
        third,
        headers,
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// Read the rest of a `len`-byte body whose first bytes are `start`.
pub fn read_body(stream: &mut impl Read, mut start: Vec<u8>, len: usize) -> io::Result<Vec<u8>> {
    if start.len() < len {
        let mut rest = vec![0; len - start.len()];
        stream.read_exact(&mut rest)?;
        start.extend_from_slice(&rest);
    }
    start.truncate(len);
    Ok(start)
}

/// Write a whole response and close the connection.
pub fn respond(
    stream: &mut TcpStream,
    status: u16,
    headers: &[(&str, &str)],
    body: &[u8],
) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (key, value) in headers {
        head.push_str(&format!("{key}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()?;
    let _ = stream.shutdown(std::net::Shutdown::Write);
    Ok(())
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Other",
    }
}

/// `a=1&b=2` (a query or an `application/x-www-form-urlencoded` body), decoded.
pub fn form_pairs(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(key), percent_decode(value))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match (bytes[i], hex) {
            (b'+', _) => out.push(b' '),
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 2;
            }
            (byte, _) => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A listener on 127.0.0.1:free port whose accept loop runs on a thread and
/// hands each connection to `handle` on a thread of its own. Dropping it stops
/// accepting; connections in flight finish on their own (with read timeouts).
pub struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Bind and start accepting.
    pub fn start<F>(handle: F) -> Server
    where
        F: Fn(TcpStream) + Send + Sync + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local_addr");
        let stop = Arc::new(AtomicBool::new(false));
        let handle = Arc::new(handle);
        let stopping = Arc::clone(&stop);
        let thread = thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
                let _ = stream.set_nodelay(true);
                let handle = Arc::clone(&handle);
                thread::spawn(move || handle(stream));
            }
        });
        Server {
            addr,
            stop,
            thread: Some(thread),
        }
    }

    /// "127.0.0.1:PORT".
    pub fn host(&self) -> String {
        self.addr.to_string()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
