//! The 40 routes of `../ours` with tower-http's `CorsLayer` on each, configured as the route's
//! `#[cors]` policy: what `scripts/bench-build` compiles against `../ours`. It serves them on a
//! free port of 127.0.0.1 when run.

mod handlers;
mod reply;

use std::time::Duration;

use axum::http::{HeaderName, HeaderValue, Method, header};
use tower_http::cors::{AllowOrigin, Any, CorsLayer};

#[tokio::main]
async fn main() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port on 127.0.0.1");
    axum::serve(listener, handlers::routes())
        .await
        .expect("the server runs until it is stopped");
}

/// `origins = ["https://app.example.com"], methods = [GET]` (`HEAD` comes with `GET`).
fn listed_origin() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(HeaderValue::from_static("https://app.example.com"))
        .allow_methods([Method::GET, Method::HEAD])
}

/// `origins = ["https://app.example.com", "http://localhost:3000"], credentials,
/// methods = [GET, POST], headers = ["content-type"], max_age = 600`.
fn two_origins_with_credentials() -> CorsLayer {
    CorsLayer::new()
        .allow_origin([
            HeaderValue::from_static("https://app.example.com"),
            HeaderValue::from_static("http://localhost:3000"),
        ])
        .allow_credentials(true)
        .allow_methods([Method::GET, Method::HEAD, Method::POST])
        .allow_headers([header::CONTENT_TYPE])
        .max_age(Duration::from_secs(600))
}

/// `origins = ["https://*.example.com"], methods = [GET]`.
fn subdomains() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(|origin, _| {
            is_subdomain_of_example(origin.as_bytes())
        }))
        .allow_methods([Method::GET, Method::HEAD])
}

/// Whether `origin` is `https://` and a subdomain of `example.com` on the default port.
fn is_subdomain_of_example(origin: &[u8]) -> bool {
    origin
        .strip_prefix(b"https://")
        .and_then(|host| host.strip_suffix(b".example.com"))
        .is_some_and(|labels| {
            !labels.is_empty()
                && labels.iter().all(|byte| {
                    byte.is_ascii_lowercase() || byte.is_ascii_digit() || b"-.".contains(byte)
                })
        })
}

/// `origins = ["*"]`, with the default methods `GET, HEAD, POST`.
fn any_origin() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::HEAD, Method::POST])
}

/// `origins = ["https://admin.example.com"], credentials, methods = [GET, POST, DELETE],
/// headers = ["content-type", "x-api-key"], expose = ["x-request-id"]`.
fn admin() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(HeaderValue::from_static("https://admin.example.com"))
        .allow_credentials(true)
        .allow_methods([Method::GET, Method::HEAD, Method::POST, Method::DELETE])
        .allow_headers([header::CONTENT_TYPE, HeaderName::from_static("x-api-key")])
        .expose_headers([HeaderName::from_static("x-request-id")])
}
