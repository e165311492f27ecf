//! The certificate of the run's `https://` sites, made when the tests start.
//!
//! Every engine is told to trust it for the session through WebDriver's `acceptInsecureCerts`;
//! WebKitGTK is also given the certificate for each host (`webkitgtk:browserOptions`
//! `certificates`). The engines then treat the sites as secure contexts, which is what `Secure`
//! cookies need.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::{env, fs, process};

use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::crypto::ring;
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

/// The hosts of every `https://` origin the tests use, which the certificate covers.
pub(crate) const HOSTS: [&str; 2] = ["localhost", "127.0.0.1"];

/// The run's certificate and its key, made on first use.
fn made() -> &'static rcgen::CertifiedKey<rcgen::KeyPair> {
    static MADE: OnceLock<rcgen::CertifiedKey<rcgen::KeyPair>> = OnceLock::new();
    MADE.get_or_init(|| {
        rcgen::generate_simple_self_signed(HOSTS.map(str::to_owned))
            .expect("a self-signed certificate")
    })
}

/// The run's certificate as a PEM file, written on first use to a directory of this process.
pub(crate) fn certificate_file() -> &'static Path {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| {
        let path = env::temp_dir().join(format!("cors-suite-{}.pem", process::id()));
        fs::write(&path, made().cert.pem()).expect("the certificate's file");
        path
    })
}

/// The TLS configuration of every `https://` site, with the run's certificate.
pub(crate) fn server_config() -> Arc<ServerConfig> {
    static CONFIG: OnceLock<Arc<ServerConfig>> = OnceLock::new();
    Arc::clone(CONFIG.get_or_init(|| {
        let made = made();
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
