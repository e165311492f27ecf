//! The certificate of the run's `https://` sites, made when the tests start.
//!
//! Every engine is told to trust it for the session through WebDriver's `acceptInsecureCerts`:
//! the engines then treat the sites as secure contexts, which is what `Secure` cookies need.

use std::sync::{Arc, OnceLock};

use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::crypto::ring;
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

/// The names the certificate covers: every host of an `https://` origin the tests use.
const NAMES: [&str; 2] = ["localhost", "*.test"];

/// The TLS configuration of every `https://` site, with a self-signed certificate for
/// [`NAMES`] made on first use.
pub(crate) fn server_config() -> Arc<ServerConfig> {
    static CONFIG: OnceLock<Arc<ServerConfig>> = OnceLock::new();
    Arc::clone(CONFIG.get_or_init(|| {
        let made = rcgen::generate_simple_self_signed(NAMES.map(str::to_owned))
            .expect("a self-signed certificate");
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(made.signing_key.serialize_der()));
        let mut config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
            .with_safe_default_protocol_versions()
            .expect("TLS 1.2 and 1.3")
            .with_no_client_auth()
            .with_single_cert(vec![made.cert.der().clone()], key)
            .expect("the certificate and its key");
        // the sites speak HTTP/1.1 only
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Arc::new(config)
    }))
}
