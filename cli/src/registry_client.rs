//! Drives the core's sans-IO handshake over HTTP with reqwest.

use std::path::Path;
use std::time::Duration;

use eyre::WrapErr;
use registry_config::auth::{
    Action, Handshake, Method, Outcome, Request, Response, Status, TransportErrorKind,
};
use registry_config::{Credential, RegistryAddress, CHECK_BODY_LIMIT};

use crate::certs_d;
use crate::inputs::InputError;
use crate::tls::Trusted;

/// An HTTP client for checks, with one timeout per check.
pub struct RegistryClient {
    http: reqwest::Client,
    /// What `http` trusts, for a registry with CAs of its own in certs.d.
    trusted: Trusted,
    timeout: Duration,
}

impl RegistryClient {
    /// The system's trust roots, plus `ca_file` if given; a registry with a
    /// certs.d folder (`certs_d`) gets its CAs trusted too.
    pub fn new(timeout: Duration, ca_file: Option<&Path>) -> eyre::Result<Self> {
        let mut trusted = Trusted::default();
        if let Some(pem) = system_bundle() {
            trusted.add_pem(&pem);
        }
        if let Some(path) = ca_file {
            let shown = path.display();
            let pem = std::fs::read(path)
                .map_err(|err| InputError(format!("--ca-file {shown}: cannot read it: {err}")))?;
            if trusted.add_pem(&pem) == 0 {
                return Err(
                    InputError(format!("--ca-file {shown}: holds no PEM certificate")).into(),
                );
            }
        }
        let http = http_client(trusted.clone(), timeout)?;
        Ok(Self {
            http,
            trusted,
            timeout,
        })
    }

    /// Checks one registry (or repository) with one credential, within the timeout.
    pub async fn check(
        &self,
        target: &RegistryAddress,
        credential: Option<&Credential>,
        push: bool,
    ) -> Outcome {
        let http = match self.client_for(target.host()) {
            Ok(http) => http,
            Err(detail) => {
                return Outcome {
                    status: Status::Error,
                    detail,
                }
            }
        };
        let handshake = run(&http, Handshake::new(target, credential, push));
        match tokio::time::timeout(self.timeout, handshake).await {
            Ok(outcome) => outcome,
            Err(_) => Outcome {
                status: Status::Error,
                detail: format!(
                    "no answer within {}",
                    registry_config::seconds(self.timeout)
                ),
            },
        }
    }

    /// The client for `host`: the shared one, or one that also trusts the
    /// CAs in the registry's certs.d folder.
    fn client_for(&self, host: &str) -> Result<reqwest::Client, String> {
        let cas = certs_d::registry_cas(host)?;
        if cas.is_empty() {
            return Ok(self.http.clone());
        }
        let mut trusted = self.trusted.clone();
        for (path, pem) in &cas {
            if trusted.add_pem(pem) == 0 {
                return Err(format!("{} holds no PEM certificate", path.display()));
            }
        }
        http_client(trusted, self.timeout).map_err(|err| format!("{err:#}"))
    }
}

/// An HTTP client that trusts `trusted`.
fn http_client(trusted: Trusted, timeout: Duration) -> eyre::Result<reqwest::Client> {
    let tls = trusted.client_config().wrap_err("cannot set up TLS")?;
    reqwest::Client::builder()
        .user_agent(concat!("registry-config/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(timeout)
        .use_preconfigured_tls(tls)
        .build()
        .wrap_err("cannot set up the HTTP client")
}

async fn run(
    http: &reqwest::Client,
    mut handshake: Handshake<&RegistryAddress, &Credential>,
) -> Outcome {
    loop {
        match handshake.poll_action() {
            Some(Action::Send(request)) => match send(http, request).await {
                Ok(response) => handshake.handle_response(response),
                Err((kind, message)) => handshake.handle_transport_error(kind, &message),
            },
            Some(Action::Done(outcome)) => return outcome,
            None => {
                return Outcome {
                    status: Status::Error,
                    detail: "internal: the handshake stalled".into(),
                };
            }
        }
    }
}

async fn send(
    http: &reqwest::Client,
    request: Request,
) -> Result<Response, (TransportErrorKind, String)> {
    let mut builder = match request.method {
        Method::Get => http.get(&request.url),
        Method::Post => http.post(&request.url),
    };
    if let Some(authorization) = &request.authorization {
        let mut value =
            reqwest::header::HeaderValue::from_str(authorization.expose()).map_err(|_| {
                (
                    TransportErrorKind::Other,
                    "the credential cannot be sent in a header".to_owned(),
                )
            })?;
        value.set_sensitive(true);
        builder = builder.header(reqwest::header::AUTHORIZATION, value);
    }
    if let Some(form) = &request.form {
        builder = builder
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(form.expose().to_owned());
    }
    let mut response = builder.send().await.map_err(transport_error)?;
    // Set only when a redirect was followed: the core then knows the
    // credentials stayed behind if it led to another host.
    let url = reqwest::Url::parse(&request.url)
        .ok()
        .filter(|sent| sent != response.url())
        .map(|_| response.url().to_string());
    let www_authenticate = response
        .headers()
        .get_all(reqwest::header::WWW_AUTHENTICATE)
        .iter()
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
        .collect();
    let status = response.status().as_u16();
    let mut body = Vec::new();
    while body.len() < CHECK_BODY_LIMIT {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                body.extend_from_slice(&chunk[..chunk.len().min(CHECK_BODY_LIMIT - body.len())])
            }
            Ok(None) => break,
            Err(err) => return Err(transport_error(err)),
        }
    }
    Ok(Response {
        status,
        www_authenticate,
        body,
        url,
    })
}

/// Where systems keep their CA bundle, in the order Go's crypto/x509 looks
/// (Debian and Ubuntu first); `SSL_CERT_FILE` comes before them all.
const SYSTEM_BUNDLES: [&str; 6] = [
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/pki/tls/cacert.pem",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/ssl/cert.pem",
];

/// The system's trust roots: one file read, where walking a certificate
/// directory costs hundreds of system calls on every run. None found: only
/// `--ca-file` is trusted, and HTTPS to a public registry says why it failed.
fn system_bundle() -> Option<Vec<u8>> {
    let from_env = std::env::var_os("SSL_CERT_FILE").map(std::path::PathBuf::from);
    let candidates = from_env
        .into_iter()
        .chain(SYSTEM_BUNDLES.iter().map(Into::into));
    candidates
        .filter_map(|path| std::fs::read(path).ok())
        .next()
}

/// The kind, and the innermost cause: reqwest's own message only says
/// "error sending request". A TLS failure is told apart from a server that
/// answered the handshake in plain HTTP.
fn transport_error(err: reqwest::Error) -> (TransportErrorKind, String) {
    let mut causes = Vec::new();
    let mut tls = None;
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(&err);
    while let Some(cause) = source {
        causes.push(cause.to_string());
        // io::Error's `source` skips the error it wraps: look inside.
        let inner = cause
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .map(|inner| inner as &dyn std::error::Error);
        for candidate in [Some(cause), inner].into_iter().flatten() {
            if let Some(rustls) = candidate.downcast_ref::<rustls::Error>() {
                tls = Some(rustls.clone());
            }
        }
        source = cause.source();
    }
    let kind = match tls {
        Some(rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType)) => {
            TransportErrorKind::NotTls
        }
        Some(_) => TransportErrorKind::Tls,
        None if err.is_timeout() => TransportErrorKind::Timeout,
        None if err.is_connect() => TransportErrorKind::Connect,
        None => TransportErrorKind::Other,
    };
    let message = causes.last().cloned().unwrap_or_else(|| err.to_string());
    (kind, message)
}
