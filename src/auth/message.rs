//! The HTTP requests the handshake asks for and the responses it is given.
//! Plain data: the driver (reqwest in the CLI, fetch in JavaScript) sends them.

use std::fmt;

use crate::Secret;

/// An HTTP method the handshake uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// POST (the OAuth2 token request).
    Post,
}

impl Method {
    /// `GET` or `POST`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// A request to send. Its `Authorization` header and body hold credentials:
/// Debug redacts both.
pub struct Request {
    /// GET or POST.
    pub method: Method,
    /// The full URL.
    pub url: String,
    /// The `Authorization` header value, if any.
    pub authorization: Option<Secret>,
    /// An `application/x-www-form-urlencoded` body, for POST.
    pub form: Option<Secret>,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("authorization", &self.authorization)
            .field("form", &self.form)
            .finish()
    }
}

/// What came back: the status, every `WWW-Authenticate` value, and the body
/// (the driver may cut it; 64 KiB is plenty).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Response {
    /// HTTP status code.
    pub status: u16,
    /// Each `WWW-Authenticate` header value, in order.
    pub www_authenticate: Vec<String>,
    /// The body, or its start.
    pub body: Vec<u8>,
    /// The URL that answered, when redirects were followed to it; `None`
    /// when it is the one requested (or the driver cannot tell).
    pub url: Option<String>,
}

/// Why a request got no response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransportErrorKind {
    /// Connection refused, reset, or name not found.
    Connect,
    /// The TLS handshake failed: a certificate, a protocol version...
    Tls,
    /// The server answered the TLS handshake with something that is not TLS:
    /// it speaks plain HTTP on that port.
    NotTls,
    /// No answer in time.
    Timeout,
    /// Anything else.
    Other,
}
