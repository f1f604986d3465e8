//! Which server certificates `check` and `--verify` trust: the system's CA
//! bundle and `--ca-file`, as webpki checks them, and also a server
//! certificate that is itself one of those trusted certificates.
//!
//! Why the second rule: the registry documentation's self-signed certificate
//! (`openssl req -x509 -newkey rsa:4096 ... -addext subjectAltName=...`) is
//! marked CA:TRUE, and webpki refuses a CA certificate as a server's
//! (`CaUsedAsEndEntity`), while Go's crypto/x509, and so docker, skopeo,
//! podman and helm, accept it when it is in the trusted pool. Its name is
//! still checked.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};

/// Trusted certificates, parsed from PEM.
#[derive(Clone, Default)]
pub struct Trusted {
    certificates: Vec<CertificateDer<'static>>,
}

impl Trusted {
    /// Adds every certificate of a PEM bundle; returns how many it held.
    pub fn add_pem(&mut self, pem: &[u8]) -> usize {
        let before = self.certificates.len();
        self.certificates
            .extend(CertificateDer::pem_slice_iter(pem).filter_map(Result::ok));
        self.certificates.len() - before
    }

    /// A rustls client configuration that trusts them.
    pub fn client_config(self) -> Result<rustls::ClientConfig, rustls::Error> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = RootCertStore::empty();
        roots.add_parsable_certificates(self.certificates.iter().cloned());
        let webpki = match roots.is_empty() {
            true => None,
            false => Some(
                WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                    .build()
                    .map_err(|err| rustls::Error::General(err.to_string()))?,
            ),
        };
        let verifier = ExactOrWebPki {
            exact: self.certificates,
            webpki,
            provider: provider.clone(),
        };
        Ok(rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth())
    }
}

/// webpki's verdict, except that a server certificate identical (DER) to a
/// trusted one passes once its name matches.
#[derive(Debug)]
struct ExactOrWebPki {
    exact: Vec<CertificateDer<'static>>,
    webpki: Option<Arc<WebPkiServerVerifier>>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for ExactOrWebPki {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let webpki = match &self.webpki {
            Some(webpki) => webpki.verify_server_cert(
                end_entity,
                intermediates,
                server_name,
                ocsp_response,
                now,
            ),
            None => Err(CertificateError::UnknownIssuer.into()),
        };
        match webpki {
            Ok(verified) => Ok(verified),
            Err(err) if self.exact.iter().any(|c| c.as_ref() == end_entity.as_ref()) => {
                let parsed = ParsedCertificate::try_from(end_entity).map_err(|_| err)?;
                rustls::client::verify_server_name(&parsed, server_name)?;
                Ok(ServerCertVerified::assertion())
            }
            Err(err) => Err(err),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
