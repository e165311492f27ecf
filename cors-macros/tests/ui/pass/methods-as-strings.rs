//! `methods` as string literals, for extension methods, mixed with identifiers.

use axum::http::{HeaderMap, HeaderValue, Method};
use axum::Router;
use axum::routing::{MethodFilter, on};
use cors_runtime::{Decision, Refusal, Verdict, cors, decide};

#[cors(origins = ["https://app.example.com"], methods = ["DELETE", PUT, "PROPFIND"])]
async fn remove() -> &'static str {
    "removed"
}

fn main() {
    let mut preflight = HeaderMap::new();
    preflight.insert("origin", HeaderValue::from_static("https://app.example.com"));
    preflight.insert("access-control-request-method", HeaderValue::from_static("PROPFIND"));
    assert!(matches!(
        decide(remove::policy(), &Method::OPTIONS, &preflight),
        Decision::Preflight(Verdict::Allowed(_))
    ));
    preflight.insert("access-control-request-method", HeaderValue::from_static("GET"));
    assert!(matches!(
        decide(remove::policy(), &Method::OPTIONS, &preflight),
        Decision::Explained { refusal: Refusal::MethodNotAllowed(b"GET"), .. }
    ));

    let _app: Router = Router::new().route(
        "/items",
        on(MethodFilter::DELETE.or(MethodFilter::PUT), remove).layer(remove::layer()),
    );
}
